"""Helpers for the repair tests: the ironwheel command line, wheel contents, tool output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.conftest import require_tool
from tests.integration.frontends import SRC, Result, tail

__all__ = [
    "auditwheel_show",
    "build_in_place",
    "built",
    "contents",
    "ironwheel",
    "llvm",
    "member",
    "members",
    "readelf_dynamic",
    "tag_of",
    "windows_cc",
]


def ironwheel(
    *arguments: str | Path, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Result:
    """``python -m ironwheel ARGUMENTS`` from this checkout; wheels are collected from ``-o``/``-w``."""
    environ = dict(os.environ)
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), environ.get("PYTHONPATH")]))
    environ.update(env or {})
    argv = [str(item) for item in arguments]
    completed = subprocess.run(
        [sys.executable, "-m", "ironwheel", *argv],
        env=environ,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    outdir = next((Path(argv[i + 1]) for i, a in enumerate(argv[:-1]) if a in ("-o", "-w")), None)
    wheels = sorted(outdir.glob("*.whl")) if outdir is not None and outdir.is_dir() else []
    return Result(completed.returncode, completed.stdout, wheels)


def build_in_place(
    root: Path, out: Path, *options: str | Path, env: Mapping[str, str] | None = None
) -> Result:
    """``ironwheel build --wheel --no-isolation -o OUT ROOT OPTIONS``: a wheel from this environment."""
    return ironwheel("build", "--wheel", "--no-isolation", "-o", out, root, *options, env=env)


def built(result: Result) -> Path:
    """The wheel of a build that must have succeeded (else its output's tail)."""
    assert result.returncode == 0, tail(result.output)
    return result.wheel


def auditwheel_show(wheel: Path) -> dict[str, object]:
    """``auditwheel show --json``: the tags and libraries auditwheel sees in the wheel."""
    output = subprocess.run(
        [sys.executable, "-m", "auditwheel", "show", "--json", str(wheel)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data: dict[str, object] = json.loads(output)
    return data


def members(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def member(wheel: Path, name: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(name)


def contents(wheel: Path, skip: Sequence[str] = ()) -> dict[str, bytes]:
    """Every member but RECORD (and ``skip``), by name."""
    with zipfile.ZipFile(wheel) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if not name.endswith((".dist-info/RECORD", "/")) and name not in skip
        }


def tag_of(wheel: Path) -> str:
    return "-".join(wheel.name[: -len(".whl")].split("-")[-3:])


def readelf_dynamic(path: Path) -> dict[str, list[str]]:
    """NEEDED, SONAME, RPATH and RUNPATH as binutils' readelf shows them."""
    readelf = require_tool("readelf")
    output = subprocess.run([readelf, "-d", str(path)], capture_output=True, text=True, check=True).stdout
    found: dict[str, list[str]] = {}
    for kind, value in re.findall(r"\((NEEDED|SONAME|RPATH|RUNPATH)\)\s+[^\[]*\[([^\]]*)\]", output):
        found.setdefault(kind, []).append(value)
    return found


def llvm(tool: str) -> str:
    """An LLVM tool, unversioned or from a versioned install (Debian's llvm-14, say)."""
    return require_tool(tool, *(f"{tool}-{version}" for version in range(22, 13, -1)))


def windows_cc() -> list[str]:
    """A C compiler for 64-bit Windows DLLs that any machine has: zig, from PyPI (ziglang)."""
    return [sys.executable, "-m", "ziglang", "cc", "-target", "x86_64-windows-gnu"]
