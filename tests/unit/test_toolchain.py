"""Which cmake and ninja are used, and what is requested from PyPI, with fake tools on PATH."""

from __future__ import annotations

import logging
import sysconfig
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from ironwheel.errors import ToolError
from ironwheel.tools.toolchain import build_requirements, cmake_requirement, find_cmake, find_ninja


def fake_tool(directory: Path, name: str, output: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f"#!/bin/sh\necho '{output}'\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def bins(tmp_path: Path) -> Path:
    return tmp_path / "bin"


def test_first_suitable_cmake_on_path_wins(tmp_path: Path) -> None:
    old = fake_tool(tmp_path / "a", "cmake", "cmake version 3.16.3")
    new = fake_tool(tmp_path / "b", "cmake3", "cmake3 version 3.28.1")
    environ = {"PATH": f"{old.parent}:{new.parent}"}
    cmake, why = find_cmake(SpecifierSet(">=3.18"), environ)
    assert cmake is not None
    assert (cmake.path, str(cmake.version), why) == (new, "3.28.1", "")
    none, why = find_cmake(SpecifierSet(">=3.30"), environ)
    assert none is None
    assert why == f"{old} is 3.16.3; {new} is 3.28.1"


def test_cmake_executable_is_honoured_and_checked(tmp_path: Path) -> None:
    chosen = fake_tool(tmp_path / "x", "my-cmake", "cmake version 3.27.0-rc2")
    cmake, _ = find_cmake(SpecifierSet(">=3.18"), {"CMAKE_EXECUTABLE": str(chosen), "PATH": ""})
    assert cmake is not None
    assert (cmake.path, cmake.origin) == (chosen, "CMAKE_EXECUTABLE")
    with pytest.raises(ToolError) as caught:
        find_cmake(SpecifierSet(">=3.30"), {"CMAKE_EXECUTABLE": str(chosen), "PATH": ""})
    assert (
        caught.value.message
        == f"CMAKE_EXECUTABLE={chosen} is cmake 3.27.0rc2, but the project needs cmake>=3.30"
    )
    with pytest.raises(ToolError, match="does not run as cmake"):
        find_cmake(SpecifierSet(">=3.18"), {"CMAKE_EXECUTABLE": str(tmp_path / "nope"), "PATH": ""})


def test_requirements_only_for_what_is_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="ironwheel")
    # The test runner's own environment may hold cmake or ninja from PyPI: search an empty one.
    get_path = sysconfig.get_path
    empty = str(tmp_path / "empty")
    monkeypatch.setattr(
        sysconfig,
        "get_path",
        lambda name, *args, **kw: empty if name == "scripts" else get_path(name, *args, **kw),
    )
    cmake = fake_tool(tmp_path / "bin", "cmake", "cmake version 3.25.1")
    fake_tool(tmp_path / "bin", "ninja", "1.11.1")
    environ = {"PATH": str(cmake.parent)}
    assert build_requirements(SpecifierSet(">=3.18"), environ) == []
    assert build_requirements(SpecifierSet(">=3.26"), environ) == ["cmake>=3.26"]
    assert f"requesting cmake>=3.26 from PyPI: {cmake} is 3.25.1" in caplog.text
    assert build_requirements(SpecifierSet(">=3.18"), {"PATH": str(tmp_path / "empty")}) == [
        "cmake>=3.18",
        "ninja>=1.10",
    ]


def test_ninja_not_needed_for_other_generators(tmp_path: Path) -> None:
    fake_tool(tmp_path / "bin", "cmake", "cmake version 3.25.1")
    environ = {"PATH": str(tmp_path / "bin"), "CMAKE_GENERATOR": "Unix Makefiles"}
    assert build_requirements(SpecifierSet(">=3.18"), environ) == []


def test_old_ninja_is_skipped(tmp_path: Path) -> None:
    fake_tool(tmp_path / "a", "ninja", "1.8.2")
    good = fake_tool(tmp_path / "b", "ninja-build", "1.10.2")
    ninja, _ = find_ninja({"PATH": f"{tmp_path / 'a'}:{tmp_path / 'b'}"})
    assert ninja is not None
    assert ninja.path == good


@pytest.mark.parametrize(
    ("lists", "configured", "expected"),
    [
        ("cmake_minimum_required(VERSION 3.26...3.31)\n", ">=3.18", ">=3.26"),
        ("cmake_minimum_required(VERSION 3.26)\n", ">=3.18,<4,<=3.40,<=3.30", ">=3.26,<4,<=3.30"),
        ("cmake_minimum_required(VERSION 3.26)\n", ">3.18,!=3.27.0", ">3.18,!=3.27.0,>=3.26"),
        ("CMAKE_MINIMUM_REQUIRED ( VERSION 3.15 )\n", ">=3.18", ">=3.18"),
        ("# cmake_minimum_required(VERSION 3.99)\nproject(x)\n", ">=3.18", ">=3.18"),
        ("cmake_minimum_required(VERSION 3.20)\n", ">=3.21", ">=3.21"),
    ],
)
def test_requirement_includes_cmake_minimum_required(
    tmp_path: Path, lists: str, configured: str, expected: str
) -> None:
    (tmp_path / "CMakeLists.txt").write_text(lists)
    # Compared as text: the redundant bounds are gone from what messages and requests say.
    assert str(cmake_requirement(configured, tmp_path)) == str(SpecifierSet(expected))
