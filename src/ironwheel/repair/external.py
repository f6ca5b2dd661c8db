"""Without a repair tool: which libraries the binaries load from outside the wheel.

A check in a build environment that lacks the tool (a frontend's isolated
environment only gets the tool when it will repair) still says what repair
would have to deal with. The lists of libraries every system provides are
deliberately short: this is a hint, the tool's own report is the answer.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ironwheel.archive.wheel import Source
from ironwheel.repair.binaries import Format, read_binary

__all__ = ["is_system_library", "outside_libraries"]

# The C and C++ runtimes of Linux, which every manylinux policy allows.
_ELF_SYSTEM = re.compile(
    r"^(ld-linux.*|ld64\.so\..*|libc|libm|libdl|librt|libpthread|libutil|libresolv|libnsl|libanl|libmvec"
    r"|libgcc_s|libstdc\+\+|libatomic|libz)\.so(\.\d+)*$"
)
# Windows' own DLLs and the runtimes CPython ships.
_PE_SYSTEM = re.compile(
    r"^(api-ms-win-.*|ext-ms-.*|kernel32|kernelbase|ntdll|user32|gdi32|advapi32|shell32|ole32|oleaut32"
    r"|ws2_32|msvcrt|ucrtbase|vcruntime140(_1)?|python3\d*|bcrypt|crypt32|version|winmm|shlwapi|rpcrt4"
    r"|secur32|setupapi|userenv|dbghelp|psapi|iphlpapi|comdlg32|comctl32)\.dll$",
    re.IGNORECASE,
)


def is_system_library(format_: Format, needed: str) -> bool:
    """Whether every system of the format provides ``needed`` (a short list; see the module's docstring)."""
    if format_ == "elf":
        return bool(_ELF_SYSTEM.match(needed))
    if format_ == "macho":
        return needed.startswith(("/usr/lib/", "/System/"))
    return bool(_PE_SYSTEM.match(needed))


def outside_libraries(entries: Mapping[str, Source], names: Iterable[str]) -> list[str]:
    """Libraries the binaries among ``names`` load that neither the wheel nor every system has."""
    inside: set[str] = set()
    wanted: set[str] = set()
    for name in names:
        source = entries[name]
        binary = read_binary(source) if isinstance(source, Path) else None
        if binary is None:
            continue
        inside.add(posixpath.basename(name).lower())
        inside.add(binary.name.lower())
        wanted.update(
            needed
            for needed in binary.needed
            if not needed.startswith("@") and not is_system_library(binary.format, needed)
        )
    return sorted(
        {posixpath.basename(item) for item in wanted if posixpath.basename(item).lower() not in inside}
    )
