"""What a wheel tag promises: which Pythons, which ABI, which systems."""

from __future__ import annotations

import re

from packaging.tags import Tag

from ironwheel.inspect.model import TagInfo

__all__ = ["describe_tag", "python_version"]

_IMPLEMENTATIONS = {"cp": "CPython", "pp": "PyPy", "py": "Python", "gp": "GraalPy", "ip": "IronPython"}
# The names manylinux had before PEP 600, and the glibc each one means.
_LEGACY_MANYLINUX = {"manylinux1": "2.5", "manylinux2010": "2.12", "manylinux2014": "2.17"}
_WINDOWS = {"win32": "x86", "win_amd64": "x64", "win_arm64": "arm64"}
_VERSION_TAG = re.compile(r"^(?P<impl>[a-z]+?)(?P<major>\d)(?P<minor>\d*)$")


def python_version(interpreter: str) -> tuple[str, str] | None:
    """``cp311`` -> ("CPython", "3.11"); ``py3`` -> ("Python", "3"); None when unknown."""
    match = _VERSION_TAG.match(interpreter)
    if match is None:
        return None
    family = _IMPLEMENTATIONS.get(match["impl"], match["impl"])
    minor = match["minor"]
    return family, f"{match['major']}.{minor}" if minor else match["major"]


def _python(interpreter: str) -> str:
    found = python_version(interpreter)
    if found is None:
        return interpreter
    family, version = found
    if family == "Python":
        return f"any Python {version}"
    return f"{family} {version}"


def _abi(tag: Tag) -> tuple[str, str | None, bool]:
    """The ABI's description, the abi3 floor and whether it is free-threaded."""
    abi = tag.abi
    if abi == "none":
        return "none (no compiled code tied to a Python ABI)", None, False
    if abi == "abi3":
        found = python_version(tag.interpreter)
        floor = found[1] if found else None
        return f"stable ABI (abi3): CPython {floor} or newer", floor, False
    match = re.fullmatch(r"cp(\d)(\d+)([dmt]*)", abi)
    if match:
        version = f"{match[1]}.{match[2]}"
        free = "t" in match[3]
        text = f"free-threaded CPython {version} only (no GIL)" if free else f"CPython {version} only"
        return text + (", debug build" if "d" in match[3] else ""), None, free
    return f"{abi} only", None, False


def _platform(platform: str) -> tuple[str, dict[str, str]]:
    """The platform's description and its minimums (glibc, musl, macos, arch)."""
    if platform == "any":
        return "any platform (pure Python)", {}
    legacy = re.fullmatch(r"(manylinux1|manylinux2010|manylinux2014)_(\w+)", platform)
    if legacy:
        glibc = _LEGACY_MANYLINUX[legacy[1]]
        return f"Linux with glibc {glibc} or newer ({legacy[1]}), {legacy[2]}", {
            "glibc": glibc,
            "arch": legacy[2],
        }
    match = re.fullmatch(r"(manylinux|musllinux)_(\d+)_(\d+)_(\w+)", platform)
    if match:
        libc = "glibc" if match[1] == "manylinux" else "musl"
        version = f"{match[2]}.{match[3]}"
        return f"Linux with {libc} {version} or newer, {match[4]}", {libc: version, "arch": match[4]}
    match = re.fullmatch(r"macosx_(\d+)_(\d+)_(\w+)", platform)
    if match:
        version = f"{match[1]}.{match[2]}"
        arch = match[3]
        shown = "arm64 and x86_64" if arch == "universal2" else arch
        return f"macOS {version} or newer, {shown}", {"macos": version, "arch": arch}
    if platform in _WINDOWS:
        return f"Windows, {_WINDOWS[platform]}", {"arch": _WINDOWS[platform]}
    match = re.fullmatch(r"linux_(\w+)", platform)
    if match:
        return f"Linux, {match[1]}, this build machine's libraries (PyPI refuses the tag)", {"arch": match[1]}
    return platform, {}


def describe_tag(tag: Tag) -> TagInfo:
    """What ``tag`` means for the people who install the wheel."""
    abi, floor, free = _abi(tag)
    platform, minimums = _platform(tag.platform)
    return TagInfo(
        tag=str(tag),
        python=_python(tag.interpreter),
        abi=abi,
        platform=platform,
        pure=tag.platform == "any",
        abi3_floor=floor,
        free_threaded=free,
        glibc=minimums.get("glibc"),
        musl=minimums.get("musl"),
        macos=minimums.get("macos"),
        arch=minimums.get("arch"),
    )
