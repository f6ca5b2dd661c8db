"""Native sources that nothing builds are named, with how to build them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import ironwheel
from tests.unit.test_project import BUILD_SYSTEM, write

PYPROJECT = BUILD_SYSTEM + '[project]\nname = "demo"\nversion = "1"\n'


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning:")]


def test_a_setup_py_project_without_a_build_is_told_how_to_build(
    chdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        chdir,
        {
            "pyproject.toml": PYPROJECT,
            "setup.py": "from setuptools import setup\nsetup()\n",
            "src/demo/__init__.py": "",
            "src/demo/_speedups.c": "",
            "src/demo/fast.pyx": "",
            "src/demo/kernels/k.cu": "",
            "src/demo/solve.F90": "",
            "src/demo/header.h": "",
            "src/ext/wrap.cpp": "",  # in no package
            "src/.hidden/x.c": "",
        },
    )
    name = ironwheel.build_wheel(str(chdir / "dist"))
    assert name == "demo-1-py3-none-any.whl"
    assert _warnings(capsys.readouterr().err) == [
        "warning: src/demo/_speedups.c, src/demo/fast.pyx, src/demo/kernels/k.cu and 2 more: native sources "
        "that nothing builds: the wheel ships them as plain files, with no compiled module; build them with a "
        '[tool.ironwheel.extension."demo._speedups"] table or a CMakeLists.txt, or convert setup.py with '
        "`python -m ironwheel migrate`"
    ]


def test_sources_outside_the_packages_and_excluded_ones(
    chdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        chdir,
        {
            "pyproject.toml": PYPROJECT + '[tool.ironwheel.wheel]\nexclude = ["*.c"]\n',
            "src/demo/__init__.py": "",
            "src/demo/_core.c": "",
            "src/lib/helper.cc": "",
        },
    )
    name = ironwheel.build_wheel(str(chdir / "dist"))
    with zipfile.ZipFile(chdir / "dist" / name) as archive:
        assert "demo/_core.c" not in archive.namelist()
    assert _warnings(capsys.readouterr().err) == [
        "warning: src/lib/helper.cc: native sources that nothing builds: the wheel ships them as plain files, "
        'with no compiled module; build them with a [tool.ironwheel.extension."demo.helper"] table or a '
        "CMakeLists.txt"
    ]


def test_a_pure_project_says_nothing(chdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(chdir, {"pyproject.toml": PYPROJECT, "src/demo/__init__.py": "", "src/demo/data.txt": ""})
    ironwheel.build_wheel(str(chdir / "dist"))
    assert _warnings(capsys.readouterr().err) == []
