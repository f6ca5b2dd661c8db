"""Extension modules: the Python their file name names, and what their binary imports from it.

An abi3 module may import only the limited API's symbols, and none added
after the wheel's abi3 floor. The symbol data comes from ``abi3info`` (what
abi3audit uses: every function and data symbol of the stable ABI with the
version that added it), not from a list kept here.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from ironwheel.inspect.model import Finding, Module

__all__ = ["audit_module", "is_module_name", "limited_api_data", "suffix_of"]

# Module file names: the name, then a tag (or none), then the extension.
_MODULE = re.compile(
    r"^(?P<stem>[A-Za-z_][A-Za-z0-9_]*)(?P<suffix>(\.(cpython|pypy|graalpy)[-\w.]*|\.abi3|\.cp\d+[-\w]*)?\.(so|pyd))$"
)
_CPYTHON = re.compile(r"^\.cpython-(\d)(\d+)([dmt]*)-")
_PYD = re.compile(r"^\.cp(\d)(\d+)([dt]*)-")
_PYPY = re.compile(r"^\.pypy(\d)(\d+)-")
# What CPython exports: functions and data (Py*, _Py*), never a project's own names.
_PYTHON_SYMBOL = re.compile(r"^_?Py[A-Z_]")
_LIBPYTHON = re.compile(r"^(lib)?python3(\.?\d+)?[dmt]*(\.so.*|\.dll|\.dylib)$|/Python$", re.IGNORECASE)

LimitedAPI = dict[str, tuple[int, int]]


def limited_api_data() -> LimitedAPI | None:
    """Every symbol of the stable ABI with the version that added it; None without abi3info."""
    try:
        import abi3info  # type: ignore[import-untyped]  # no type information shipped
    except ImportError:
        return None
    return {
        symbol.name: (item.added.major, item.added.minor)
        for table in (abi3info.FUNCTIONS, abi3info.DATAS)
        for symbol, item in table.items()
    }


def is_module_name(path: str, *, imports_python: bool) -> bool:
    """Whether a binary at ``path`` is an extension module (by name; a bare ``x.so`` must import Python)."""
    match = _MODULE.match(posixpath.basename(path))
    if match is None:
        return False
    if match["suffix"] == ".so":
        return not match["stem"].startswith("lib") and imports_python
    return True


def suffix_of(path: str) -> str:
    match = _MODULE.match(posixpath.basename(path))
    return match["suffix"] if match else posixpath.splitext(path)[1]


def _built_for(suffix: str, wheel_abi3: bool) -> tuple[str, bool]:
    """What the suffix says the module is built for, and whether it is an abi3 module."""
    for pattern, family in ((_CPYTHON, "CPython"), (_PYD, "CPython")):
        match = pattern.match(suffix)
        if match:
            free = " free-threaded" if "t" in match[3] else ""
            return f"{family}{free} {match[1]}.{match[2]}" + (" (debug)" if "d" in match[3] else ""), False
    match = _PYPY.match(suffix)
    if match:
        return f"PyPy {match[1]}.{match[2]}", False
    if suffix == ".abi3.so":
        return "stable ABI (abi3)", True
    if suffix == ".pyd" and wheel_abi3:
        return "stable ABI (abi3)", True  # Windows names abi3 modules without a tag
    if suffix == ".so" and wheel_abi3:
        return "stable ABI (abi3)", True
    return "any (unversioned suffix)", False


def _version(pair: tuple[int, int]) -> str:
    return f"{pair[0]}.{pair[1]}"


def audit_module(
    path: str,
    format_: str,
    needed: Sequence[str],
    imports: Sequence[tuple[str, str]],
    *,
    wheel_abi3: bool,
    floor: tuple[int, int] | None,
    limited: LimitedAPI | None,
) -> tuple[Module, list[Finding]]:
    """Describe one module; an abi3 module's imports are checked against the limited API."""
    suffix = suffix_of(path)
    built_for, abi3 = _built_for(suffix, wheel_abi3)
    links = next((name for name in needed if _LIBPYTHON.search(name)), None)
    if format_ == "pe":  # only what comes from the Python DLL is Python's API
        python = [name for dll, name in imports if _LIBPYTHON.search(dll)]
    else:
        python = [name for _dll, name in imports if _PYTHON_SYMBOL.match(name)]
    findings: list[Finding] = []
    outside: list[str] = []
    newer: list[tuple[str, str]] = []
    needs: tuple[int, int] | None = None
    if limited is not None:
        for name in sorted(set(python)):
            added = limited.get(name)
            if added is None:
                outside.append(name)
                continue
            needs = max(needs or added, added)
            if abi3 and floor is not None and added > floor:
                newer.append((name, _version(added)))
    if abi3:
        if limited is None:
            findings.append(
                Finding(
                    "warning",
                    "abi3-unchecked",
                    f"{path}: the limited-API check needs abi3info (pip install abi3info)",
                    path,
                )
            )
        if outside:
            shown = ", ".join(outside[:5]) + (f" and {len(outside) - 5} more" if len(outside) > 5 else "")
            findings.append(
                Finding(
                    "defect",
                    "abi3-outside-limited-api",
                    f"{path} claims the stable ABI but imports {len(outside)} symbol"
                    f"{'s' if len(outside) != 1 else ''} outside the limited API: {shown}",
                    path,
                )
            )
        if newer and floor is not None:
            shown = ", ".join(f"{name} ({added})" for name, added in newer[:5])
            findings.append(
                Finding(
                    "defect",
                    "abi3-newer-than-floor",
                    f"{path} is tagged for CPython {_version(floor)} or newer but imports symbols "
                    f"added later: {shown}",
                    path,
                )
            )
        if links is not None and format_ == "pe" and links.lower() != "python3.dll":
            findings.append(
                Finding(
                    "defect",
                    "abi3-links-versioned-python",
                    f"{path} claims the stable ABI but links {links}, not python3.dll",
                    path,
                )
            )
    module = Module(
        path=path,
        format=format_,
        suffix=suffix,
        built_for=built_for,
        abi3=abi3,
        links_python=links,
        limited_api_needed=_version(needs) if needs else None,
        outside_limited_api=tuple(outside) if abi3 else (),
        newer_than_floor=tuple(newer),
    )
    return module, findings
