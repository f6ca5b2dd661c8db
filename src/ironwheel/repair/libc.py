"""The C library of a Linux wheel's binaries, told to auditwheel by the skeleton's name.

auditwheel learns the C library (glibc or musl) of an extension module from
its own NEEDED entries, else from the wheel's platform tag, and stops with a
traceback at a module that names none (one that calls nothing in libc, or
only loads an internal library). Such a module places no constraint on the
policy: the skeleton gets a platform tag of the family the other binaries
(or the requested policy, or the interpreter) name, ``<family>_<arch>``,
which is no policy's and so never a result, and the repaired wheel's name
and auditwheel's SBOM leave it out again.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from ironwheel.archive.reproducible import source_date_epoch
from ironwheel.archive.wheel import Source, write_wheel
from ironwheel.repair.elf import ElfFile, read_elf
from ironwheel.repair.skeleton import extract_wheel

__all__ = ["Family", "interpreter_needs", "libc_family", "marked_skeleton", "names_no_libc", "unmarked"]

# The libraries whose name says which C library a binary runs on, as auditwheel reads them.
_GLIBC = re.compile(r"^(libc\.so\.6|ld-linux.*|ld64\.so\..*)$")
_MUSL = re.compile(r"^(libc\.musl-.*|ld-musl-.*)$")
Family = Literal["manylinux", "musllinux"]


def libc_family(needed: Iterable[Iterable[str]], interpreter: Iterable[str] = ()) -> Family | None:
    """The policy family of the C library the binaries (each by its NEEDED entries) name.

    A binary that names none runs on whatever the others, or else the
    interpreter, run on; None when the binaries name both.
    """
    named: set[Family] = set()
    for names in needed:
        for name in names:
            if _GLIBC.match(name):
                named.add("manylinux")
            elif _MUSL.match(name):
                named.add("musllinux")
    if not named:
        named = {"musllinux" if any(_MUSL.match(name) for name in interpreter) else "manylinux"}
    return named.pop() if len(named) == 1 else None


def interpreter_needs() -> tuple[str, ...]:
    """The NEEDED entries of this interpreter: the C library it runs on."""
    try:
        return read_elf(Path(sys.executable).resolve()).needed
    except (OSError, ValueError):
        return ()


def names_no_libc(binaries: Sequence[tuple[str, ElfFile]]) -> list[str]:
    """The binaries whose NEEDED entries name no C library (auditwheel cannot tell theirs)."""
    return [name for name, elf in binaries if not any(_GLIBC.match(n) or _MUSL.match(n) for n in elf.needed)]


def marked_skeleton(skeleton: Path, family: Family, arch: str) -> tuple[Path, str]:
    """A copy of ``skeleton`` whose name also has the tag ``<family>_<arch>``, and that tag."""
    marker = f"{family}_{arch}"
    marked = skeleton.with_name(f"{skeleton.name[: -len('.whl')]}.{marker}.whl")
    marked.unlink(missing_ok=True)
    shutil.copyfile(skeleton, marked)
    return marked, marker


def unmarked(wheel: Path, marker: str, scratch: Path) -> Path:
    """``wheel`` renamed without the platform tag ``marker`` (auditwheel keeps the input's tags).

    auditwheel's SBOM names the wheel file it wrote; it gets the final name.
    """
    if not marker:
        return wheel
    head, _, platforms = wheel.name[: -len(".whl")].rpartition("-")
    kept = [platform for platform in platforms.split(".") if platform != marker]
    target = wheel.with_name(f"{head}-{'.'.join(kept)}.whl")
    entries: dict[str, Source] = extract_wheel(wheel, scratch)
    renamed = [(wheel.name, target.name), (quote(wheel.name, safe=""), quote(target.name, safe=""))]
    for name, source in entries.items():
        if name.partition("/")[0].endswith(".dist-info") and "/sboms/" in name and isinstance(source, Path):
            text = source.read_bytes()
            for old, new in renamed:
                text = text.replace(old.encode(), new.encode())
            entries[name] = text
    dist_info = next(
        name.partition("/")[0] for name in entries if name.partition("/")[0].endswith(".dist-info")
    )
    write_wheel(target, entries, dist_info=dist_info, epoch=source_date_epoch(), work_dir=scratch)
    wheel.unlink()
    return target
