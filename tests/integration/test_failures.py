"""Build failures through a real frontend: a clear message, a non-zero exit, no wheel."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.frontends import Result, pip_wheel, tail

pytestmark = pytest.mark.slow


def backend_error(result: Result) -> list[str]:
    """Our last ``error:`` ... ``hint:`` block (no blank line inside), as pip shows it."""
    lines = [
        line.strip().replace("\u2018", "'").replace("\u2019", "'") for line in result.output.splitlines()
    ]
    for end in reversed(range(len(lines))):
        if not lines[end].startswith("hint: "):
            continue
        start = end
        while start > 0 and lines[start - 1] and not lines[start].startswith("error: "):
            start -= 1
        if lines[start].startswith("error: "):
            return lines[start : end + 1]
    raise AssertionError(tail(result.output))


def test_c_syntax_error(project: Callable[[str], Path], tmp_path: Path) -> None:
    root = project("c_error")
    result = pip_wheel(root, tmp_path / "dist", isolated=False)
    assert result.returncode != 0
    assert result.wheels == []
    # The compiler's own diagnostic is shown, and summarised in our error line.
    output = result.output.replace("\u2018", "'").replace("\u2019", "'")
    assert f"{root}/src/c_error/_broken.c:5:1: error: expected expression before '}}' token" in output
    assert backend_error(result) == [
        f"error: the build failed: {root}/src/c_error/_broken.c:5:1: error: expected expression before '}}' token",
        "hint: fix the error reported by the compiler above (-C build.verbose=true shows every compiler command)",
    ]


def test_missing_compiler(project: Callable[[str], Path], tmp_path: Path) -> None:
    result = pip_wheel(project("c-capi"), tmp_path / "dist", isolated=False, env={"CC": "no-such-cc"})
    assert result.returncode != 0, tail(result.output)
    assert result.wheels == []
    assert backend_error(result) == [
        "error: the compiler CC=no-such-cc was not found",
        "hint: set CC to an installed compiler, or unset it to use the default one",
    ]


def test_cmake_too_old(project: Callable[[str], Path], tmp_path: Path) -> None:
    result = pip_wheel(project("c-capi"), tmp_path / "dist", "-C", "cmake.version=>=99", isolated=False)
    assert result.returncode != 0, tail(result.output)
    assert result.wheels == []
    error = backend_error(result)
    assert re.fullmatch(r"error: no cmake>=99 found \(.*cmake is 3\.\d+\.\d+.*\)", error[0]), error
    assert error[1] == (
        'hint: install one (pip install "cmake>=99"), set CMAKE_EXECUTABLE, or build with build '
        "isolation so that ironwheel can request it"
    )


def test_unknown_config_setting(project: Callable[[str], Path], tmp_path: Path) -> None:
    result = pip_wheel(project("c-capi"), tmp_path / "dist", "-C", "cmake.buildtype=Debug", isolated=False)
    assert result.returncode != 0
    assert backend_error(result) == [
        "error: -C cmake.buildtype: unknown setting",
        "hint: did you mean -C cmake.build-type?",
    ]


def test_missing_cmake_package(project: Callable[[str], Path], tmp_path: Path) -> None:
    root = project("c-capi")
    lists = root / "CMakeLists.txt"
    lists.write_text(
        lists.read_text().replace(
            "find_package(Python", "find_package(NotThere CONFIG REQUIRED)\nfind_package(Python"
        )
    )
    result = pip_wheel(root, tmp_path / "dist", isolated=False)
    assert result.returncode != 0
    assert backend_error(result) == [
        'error: CMake could not find the package "NotThere"',
        'hint: add the Python package that provides it (e.g. "notthere") to build-system.requires, '
        "or install NotThere and set NotThere_DIR",
    ]


def test_install_outside_the_wheel(project: Callable[[str], Path], tmp_path: Path) -> None:
    root = project("c-capi")
    outside = tmp_path / "outside"
    with (root / "CMakeLists.txt").open("a") as lists:
        lists.write(f'install(FILES pyproject.toml DESTINATION "{outside}")\n')
    result = pip_wheel(root, tmp_path / "dist", isolated=False)
    assert result.returncode != 0
    assert result.wheels == []
    line = len((root / "CMakeLists.txt").read_text().splitlines())
    assert backend_error(result) == [
        f'error: CMakeLists.txt:{line}: install(FILES) DESTINATION "{outside}" is an absolute path outside '
        "the wheel",
        "hint: write DESTINATION relative to the wheel's root, such as DESTINATION c_capi_example for the "
        "package; for the wheel's data, scripts and headers use ${IRONWHEEL_DATA_DIR}, "
        "${IRONWHEEL_SCRIPTS_DIR} and ${IRONWHEEL_HEADERS_DIR}",
    ]
    assert not outside.exists()  # refused before anything was installed
