"""The persistent build dir across real pip builds: what is reused, what starts over."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Venv
from tests.integration.frontends import Result, configure_runs, names, pip_wheel, tail

pytestmark = pytest.mark.slow

OBJECT = re.compile(r"Building C object CMakeFiles/_impl\.dir/src/incremental/(\w+)\.c\.o")


CONTENTS = [
    "incremental/__init__.py",
    f"incremental/_impl{sysconfig.get_config_var('EXT_SUFFIX')}",
    "incremental/stamp.txt",
    "incremental-1.0.dist-info/METADATA",
    "incremental-1.0.dist-info/WHEEL",
    "incremental-1.0.dist-info/RECORD",
]


def compiled(result: Result) -> list[str]:
    assert result.returncode == 0, tail(result.output)
    return sorted(OBJECT.findall(result.output))


@pytest.fixture
def root(project: Callable[[str], Path], offline_pip: Path) -> Path:
    del offline_pip
    return project("incremental")


def test_isolated_rebuilds_reuse_the_build_dir(root: Path, tmp_path: Path, fresh_venv: Venv) -> None:
    first = pip_wheel(root, tmp_path / "one")
    assert compiled(first) == ["_impl", "one", "two"]
    assert "ironwheel: configuring" not in first.output

    # A second build gets a new isolated environment, yet nothing runs again: not the
    # compiler, and not CMake (whose every run rewrites a file in the build dir).
    configured = configure_runs(root)
    second = pip_wheel(root, tmp_path / "two")
    assert compiled(second) == []
    assert "CMake configuration of" in second.output
    assert "is up to date" in second.output
    assert "ninja: no work to do." in second.output
    assert configure_runs(root) == configured
    assert second.wheel.read_bytes() == first.wheel.read_bytes()
    assert names(second.wheel) == CONTENTS

    # Editing one source recompiles that file only.
    one = root / "src" / "incremental" / "one.c"
    one.write_text(one.read_text().replace("return 1;", "return 2;"))
    third = pip_wheel(root, tmp_path / "three")
    assert compiled(third) == ["one"]
    assert configure_runs(root) == configured
    fresh_venv.install(third.wheel)
    assert fresh_venv.run("import incremental; print(incremental.answer())") == "43"


def test_changed_flags_start_over(root: Path, tmp_path: Path) -> None:
    assert compiled(pip_wheel(root, tmp_path / "one")) == ["_impl", "one", "two"]
    again = pip_wheel(root, tmp_path / "two", env={"CFLAGS": "-O1"})
    assert compiled(again) == ["_impl", "one", "two"]
    assert re.search(r"configuring \S+ from scratch \(changed: CFLAGS\)", again.output), tail(again.output)
    assert "-O1" in (next(root.glob("build/*/CMakeCache.txt"))).read_text()


def test_changed_compiler_starts_over(root: Path, tmp_path: Path) -> None:
    assert compiled(pip_wheel(root, tmp_path / "one")) == ["_impl", "one", "two"]
    compiler = shutil.which("gcc")
    assert compiler is not None
    again = pip_wheel(root, tmp_path / "two", env={"CC": compiler})
    assert compiled(again) == ["_impl", "one", "two"]
    assert re.search(r"from scratch \(changed: CC\)", again.output), tail(again.output)


def test_changed_setting_reconfigures_without_starting_over(
    root: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    assert compiled(pip_wheel(root, tmp_path / "one")) == ["_impl", "one", "two"]
    again = pip_wheel(root, tmp_path / "two", "-C", "cmake.define.ANSWER_OFFSET=100")
    # The define only changes _impl.c's command line; one.c and two.c are reused.
    assert compiled(again) == ["_impl"]
    assert "from scratch" not in again.output
    assert "Detecting C compiler ABI info" not in again.output
    fresh_venv.install(again.wheel)
    assert fresh_venv.run("import incremental; print(incremental.answer())") == "142"


def test_other_interpreter_with_the_same_tag_starts_over(root: Path, tmp_path: Path) -> None:
    system = Path("/usr/bin/python3")
    probe = "import sys, sysconfig; print(sys.implementation.cache_tag, sysconfig.get_platform())"
    ours = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    if (
        not system.exists()
        or subprocess.run([system, "-c", probe], capture_output=True, text=True, check=False).stdout != ours
    ):
        pytest.skip("needs a second interpreter with the same wheel tag (Debian's /usr/bin/python3)")
    if system.resolve() == Path(sys.executable).resolve():
        pytest.skip("the system interpreter is the one running the tests")
    assert compiled(pip_wheel(root, tmp_path / "one")) == ["_impl", "one", "two"]
    other = pip_wheel(root, tmp_path / "two", python=str(system))
    assert compiled(other) == ["_impl", "one", "two"]
    assert re.search(r"from scratch \(changed: python\)", other.output), tail(other.output)


def test_temporary_build_dir_leaves_nothing_behind(root: Path, tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = pip_wheel(root, tmp_path / "one", "-C", "build.dir=", env={"TMPDIR": str(temporary)})
    assert compiled(result) == ["_impl", "one", "two"]
    assert re.search(rf"-B {re.escape(str(temporary))}/ironwheel-build-\w+", result.output)
    assert not (root / "build").exists()
    assert list(temporary.glob("ironwheel-build-*")) == []


def test_build_dir_is_invisible_to_git(root: Path, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    assert compiled(pip_wheel(root, tmp_path / "one")) == ["_impl", "one", "two"]
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "build/" not in status


BUILD_STEP = re.compile(r"Building (C|CXX) object|ironwheel: configuring")


@pytest.mark.parametrize("name", ["cpp-pybind11", "cpp-nanobind", "nanobind_cmake_dir"])
def test_bindings_from_a_new_environment_compile_nothing(
    name: str, project: Callable[[str], Path], offline_pip: Path, tmp_path: Path
) -> None:
    # Every isolated build reinstalls pybind11/nanobind: new paths, new file times.
    del offline_pip
    root = project(name)
    first = pip_wheel(root, tmp_path / "one")
    assert first.returncode == 0, tail(first.output)
    assert BUILD_STEP.search(first.output)
    configured = configure_runs(root)
    second = pip_wheel(root, tmp_path / "two")
    assert second.returncode == 0, tail(second.output)
    assert BUILD_STEP.findall(second.output) == [], tail(second.output)
    assert configure_runs(root) == configured
    assert "ninja: no work to do." in second.output
    assert second.wheel.read_bytes() == first.wheel.read_bytes()


def test_other_generator_and_parallel_level(root: Path, tmp_path: Path, fresh_venv: Venv) -> None:
    environment = {"CMAKE_GENERATOR": "Unix Makefiles", "CMAKE_BUILD_PARALLEL_LEVEL": "1"}
    first = pip_wheel(root, tmp_path / "one", env=environment)
    assert first.returncode == 0, tail(first.output)
    assert re.search(r"ironwheel: \+ \S+cmake --build \S+", first.output)
    assert "-G 'Unix Makefiles'" in first.output
    assert sorted(
        re.findall(r"Building C object CMakeFiles/_impl\.dir/src/incremental/(\w+)\.c\.o", first.output)
    ) == [
        "_impl",
        "one",
        "two",
    ]
    second = pip_wheel(root, tmp_path / "two", env=environment)
    assert second.returncode == 0, tail(second.output)
    assert "is up to date" in second.output
    assert "Building C object" not in second.output
    fresh_venv.install(second.wheel)
    assert fresh_venv.run("import incremental; print(incremental.answer())") == "42"


def test_wheel_after_a_cmakelists_edit_equals_a_clean_one(root: Path, tmp_path: Path) -> None:
    assert compiled(pip_wheel(root, tmp_path / "one")) == ["_impl", "one", "two"]
    source = root / "src" / "incremental" / "three.c"
    source.write_text("int three(void) { return 3; }\n")
    lists = root / "CMakeLists.txt"
    lists.write_text(
        lists.read_text().replace("src/incremental/two.c)", "src/incremental/two.c src/incremental/three.c)")
    )
    configured = configure_runs(root)
    incremental = pip_wheel(root, tmp_path / "two")
    assert compiled(incremental) == ["three"]
    # The edit made ninja re-run CMake, which the build dir shows.
    assert "Re-running CMake" in incremental.output
    assert configure_runs(root) != configured
    shutil.rmtree(root / "build")
    clean = pip_wheel(root, tmp_path / "three")
    assert compiled(clean) == ["_impl", "one", "three", "two"]
    assert names(incremental.wheel) == CONTENTS
    assert incremental.wheel.read_bytes() == clean.wheel.read_bytes()
