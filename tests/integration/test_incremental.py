"""Incremental isolated builds: what is skipped when nothing relevant changed, what starts over."""

from __future__ import annotations

import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Venv, require_tool
from tests.integration.frontends import Result, configure_runs, pip_wheel, python_build, tail

pytestmark = pytest.mark.slow

OBJECT = re.compile(r"Building C object CMakeFiles/_impl\.dir/src/incremental/(\w+)\.c\.o")
DETECTION = "Detecting C compiler ABI info"


def compiled(result: Result) -> list[str]:
    assert result.returncode == 0, tail(result.output)
    return sorted(OBJECT.findall(result.output))


@pytest.fixture
def root(project: Callable[[str], Path], offline_pip: Path) -> Path:
    del offline_pip
    return project("incremental")


def test_python_build_is_incremental_under_isolation(root: Path, tmp_path: Path, fresh_venv: Venv) -> None:
    first = python_build(root, tmp_path / "one", "--wheel")
    assert compiled(first) == ["_impl", "one", "two"]
    assert DETECTION in first.output

    second = python_build(root, tmp_path / "two", "--wheel")
    assert compiled(second) == []
    assert DETECTION not in second.output
    assert "is up to date" in second.output
    assert "ninja: no work to do." in second.output

    # A source edit recompiles that file; CMake does not run (it rewrites a file when it does).
    configured = configure_runs(root)
    one = root / "src" / "incremental" / "one.c"
    one.write_text(one.read_text().replace("return 1;", "return 2;"))
    third = python_build(root, tmp_path / "three", "--wheel")
    assert compiled(third) == ["one"]
    assert DETECTION not in third.output
    assert configure_runs(root) == configured
    fresh_venv.install(third.wheel)
    assert fresh_venv.run("import incremental; print(incremental.answer())") == "43"


def test_pip_wheel_after_an_edit_detects_no_compiler(root: Path, tmp_path: Path) -> None:
    assert DETECTION in pip_wheel(root, tmp_path / "one").output
    two = root / "src" / "incremental" / "two.c"
    two.write_text(two.read_text().replace("return 2;", "return 3;"))
    again = pip_wheel(root, tmp_path / "two")
    assert compiled(again) == ["two"]
    assert DETECTION not in again.output
    assert "CMake configuration of" in again.output


def test_a_changed_compiler_launcher_starts_over(root: Path, tmp_path: Path) -> None:
    require_tool("ccache")
    first = pip_wheel(root, tmp_path / "one")
    assert compiled(first) == ["_impl", "one", "two"]
    assert "ironwheel: compiler launcher: " in first.output
    (cache,) = root.glob("build/*/CMakeCache.txt")
    assert re.search(r"^CMAKE_C_COMPILER_LAUNCHER:STRING=\S*ccache$", cache.read_text(), re.MULTILINE)

    off = pip_wheel(root, tmp_path / "two", "-C", "build.compiler-launcher=none")
    assert compiled(off) == ["_impl", "one", "two"]
    assert re.search(r"from scratch \(changed: launcher\)", off.output), tail(off.output)
    assert DETECTION in off.output
    assert "CMAKE_C_COMPILER_LAUNCHER" not in cache.read_text()
    assert "ccache" not in (cache.parent / "build.ninja").read_text()

    same = pip_wheel(root, tmp_path / "three", "-C", "build.compiler-launcher=none")
    assert compiled(same) == []
    assert DETECTION not in same.output


def test_a_replaced_compiler_binary_starts_over(root: Path, tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    assert gcc is not None
    wrapper = tmp_path / "bin" / "my-cc"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec {gcc} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    environment = {"CC": str(wrapper)}
    assert compiled(pip_wheel(root, tmp_path / "one", env=environment)) == ["_impl", "one", "two"]
    assert compiled(pip_wheel(root, tmp_path / "two", env=environment)) == []

    # Same CC, but the program behind it changed (an upgraded compiler).
    wrapper.write_text(f'#!/bin/sh\n# upgraded\nexec {gcc} "$@"\n')
    again = pip_wheel(root, tmp_path / "three", env=environment)
    assert compiled(again) == ["_impl", "one", "two"]
    assert re.search(rf"from scratch \(the compiler {re.escape(str(wrapper))} changed\)", again.output)
    assert DETECTION in again.output
