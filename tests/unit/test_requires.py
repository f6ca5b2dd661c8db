"""Reusing the last get_requires_for_build_wheel answer, and the tool versions builds learnt."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from ironwheel import _requires
from ironwheel._records import Record
from ironwheel.archive.tags import WheelTag, target_tag
from ironwheel.target import TargetInputs, resolve_target, running_python
from ironwheel.tools import toolchain
from ironwheel.tools.toolcache import ToolCache


def _running_tag() -> WheelTag:
    """The tag of a wheel for this interpreter: the name of the default build dir."""
    return target_tag(resolve_target(TargetInputs(running=running_python())), native=True, py_api="")[0]


SRC = Path(__file__).resolve().parents[2] / "src"


def fake_tool(directory: Path, name: str, output: str, log: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f"#!/bin/sh\necho run >> '{log}'\necho '{output}'\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "build" / "cp-tag" / ".ironwheel").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '1'\n")
    (root / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.18)\n")
    fake_tool(tmp_path / "bin", "cmake", "cmake version 3.28.1", tmp_path / "runs.log")
    monkeypatch.chdir(root)
    return root


def environ(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": str(tmp_path / "bin"), **extra}


def remember(root: Path, tmp_path: Path, answer: list[str], **extra: str) -> None:
    lists = str(root / "CMakeLists.txt")
    _requires.record(
        str(root),
        str(root / "build" / "cp-tag"),
        [lists, str(root / "sub" / "CMakeLists.txt")],
        {"a": "1"},
        "wheel",
        answer,
        environ(tmp_path, **extra),
    )


def test_the_answer_comes_back_while_nothing_changed(tree: Path, tmp_path: Path) -> None:
    assert _requires.recall({"a": "1"}, "wheel", environ(tmp_path)) is None
    remember(tree, tmp_path, ["ninja>=1.10"])
    assert _requires.recall({"a": "1"}, "wheel", environ(tmp_path)) == ["ninja>=1.10"]
    remember(tree, tmp_path, [])
    assert _requires.recall({"a": "1"}, "wheel", environ(tmp_path)) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda root, tmp_path: {"config": {"a": "2"}},
        lambda root, tmp_path: {"state": "editable"},
        lambda root, tmp_path: {"environ": environ(tmp_path, IRONWHEEL_CMAKE_VERSION=">=3.30")},
        lambda root, tmp_path: {"environ": environ(tmp_path, CMAKE_GENERATOR="Unix Makefiles")},
        lambda root, tmp_path: {"environ": environ(tmp_path, CMAKE_ARGS="-DCMAKE_SKIP_RPATH=ON")},
        lambda root, tmp_path: {"environ": environ(tmp_path, _PYTHON_HOST_PLATFORM="linux-aarch64")},
        lambda root, tmp_path: (root / "pyproject.toml").write_text("[project]\nname = 'y'\nversion = '1'\n"),
        lambda root, tmp_path: (root / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 4.0)\n"),
        lambda root, tmp_path: (root / "sub").mkdir() or (root / "sub" / "CMakeLists.txt").write_text(""),
        lambda root, tmp_path: fake_tool(tmp_path / "bin", "ninja", "1.13.0", tmp_path / "runs.log"),
        lambda root, tmp_path: (tmp_path / "bin" / "cmake").write_text(
            "#!/bin/sh\necho cmake version 4.0.0\n"
        ),
    ],
    ids=[
        "-C",
        "hook",
        "IRONWHEEL_*",
        "CMAKE_GENERATOR",
        "CMAKE_ARGS",
        "host platform",
        "pyproject",
        "CMakeLists",
        "another input",
        "new ninja",
        "new cmake",
    ],
)
def test_any_changed_input_asks_again(
    tree: Path, tmp_path: Path, change: Callable[[Path, Path], object]
) -> None:
    remember(tree, tmp_path, [])
    changed = change(tree, tmp_path)
    options = changed if isinstance(changed, dict) else {}
    recalled = _requires.recall(
        options.get("config", {"a": "1"}),
        options.get("state", "wheel"),
        options.get("environ", environ(tmp_path)),
    )
    assert recalled is None


def test_only_build_dirs_under_the_project_build_dir_are_recorded(tree: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "cp-tag"
    (elsewhere / ".ironwheel").mkdir(parents=True)
    lists = str(tree / "CMakeLists.txt")
    _requires.record(str(tree), str(elsewhere), [lists], None, "wheel", [], environ(tmp_path))
    assert not (elsewhere / ".ironwheel" / "requires.txt").exists()


def run_hook(root: Path, tmp_path: Path) -> str:
    code = (
        "import sys, ironwheel\n"
        "print(ironwheel.get_requires_for_build_wheel(), 'ironwheel._hooks' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={
            **os.environ,
            "PYTHONPATH": str(SRC),
            "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")
def test_the_hook_answers_a_repeated_question_without_loading_ironwheel(tree: Path, tmp_path: Path) -> None:
    # The first question is answered in full; the build dir exists, so the answer is recorded.
    tag = _running_tag()
    (tree / "build" / str(tag) / ".ironwheel").mkdir(parents=True)
    assert run_hook(tree, tmp_path) == "[] True\n"
    assert run_hook(tree, tmp_path) == "[] False\n"
    (tree / "pyproject.toml").write_text(
        "[project]\nname = 'x'\nversion = '1'\n[tool.ironwheel.cmake]\nversion = '>=3.30'\n"
    )
    assert run_hook(tree, tmp_path) == "['cmake>=3.30'] True\n"
    assert run_hook(tree, tmp_path) == "['cmake>=3.30'] False\n"


@pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")
def test_a_recalled_answer_follows_the_files_it_came_from(tree: Path, tmp_path: Path) -> None:
    tag = _running_tag()
    (tree / "build" / str(tag) / ".ironwheel").mkdir(parents=True)
    (tree / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.18)\nadd_subdirectory(sub)\n")
    (tree / "sub").mkdir()
    (tree / "sub" / "CMakeLists.txt").write_text("# nothing yet\n")
    assert run_hook(tree, tmp_path) == "[] True\n"
    assert run_hook(tree, tmp_path) == "[] False\n"
    # A helper that needs Cython, called from a CMake file other than the top level.
    (tree / "sub" / "CMakeLists.txt").write_text("ironwheel_add_cython_module(_fast SOURCES fast.pyx)\n")
    assert run_hook(tree, tmp_path) == "['cython>=3.0'] True\n"
    assert run_hook(tree, tmp_path) == "['cython>=3.0'] False\n"

    # An extension table whose source starts including pybind11.
    (tree / "src").mkdir()
    (tree / "src" / "core.cpp").write_text("int f() { return 1; }\n")
    with (tree / "pyproject.toml").open("a") as handle:
        handle.write('[tool.ironwheel.extension."x._core"]\nsources = ["src/*.cpp"]\n')
    assert run_hook(tree, tmp_path) == "['cython>=3.0'] True\n"
    (tree / "src" / "core.cpp").write_text("#include <pybind11/pybind11.h>\n")
    assert run_hook(tree, tmp_path) == "['cython>=3.0', 'pybind11'] True\n"
    # A new file matching the table's pattern is seen through its directory.
    assert run_hook(tree, tmp_path) == "['cython>=3.0', 'pybind11'] False\n"
    (tree / "src" / "more.pyx").write_text("def g(): return 2\n")
    assert "True" in run_hook(tree, tmp_path)


@pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")
def test_a_repair_that_may_request_its_tool_is_never_recorded(tree: Path, tmp_path: Path) -> None:
    tag = _running_tag()
    (tree / "build" / str(tag) / ".ironwheel").mkdir(parents=True)
    with (tree / "pyproject.toml").open("a") as handle:
        handle.write('[tool.ironwheel.repair]\nmode = "on"\n')
    run_hook(tree, tmp_path)
    assert run_hook(tree, tmp_path).endswith(" True\n")


@pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")
def test_tool_versions_are_asked_once_per_build_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "runs.log"
    fake_tool(tmp_path / "bin", "cmake", "cmake version 3.28.1", log)
    state = tmp_path / "build" / ".ironwheel"
    state.mkdir(parents=True)
    record = Record(state / "tools.json")
    cache = ToolCache(record)
    cmake, _ = toolchain.find_cmake(SpecifierSet(">=3.18"), environ(tmp_path), cache.versions)
    assert cmake is not None
    cache.save()
    assert log.read_text() == "run\n"

    # Another process: the version comes from the record.
    again, _ = toolchain.find_cmake(SpecifierSet(">=3.18"), environ(tmp_path), ToolCache(record).versions)
    assert again == cmake
    assert log.read_text() == "run\n"

    # A replaced program is asked again.
    fake_tool(tmp_path / "bin", "cmake", "cmake version 3.29.0  ", log)
    newer, _ = toolchain.find_cmake(SpecifierSet(">=3.18"), environ(tmp_path), ToolCache(record).versions)
    assert newer is not None
    assert str(newer.version) == "3.29.0"
    assert log.read_text() == "run\nrun\n"


@pytest.mark.parametrize(("variable", "mode"), [(None, "check"), ("1", "on")])
def test_a_release_asks_for_what_its_repair_needs(
    tree: Path, monkeypatch: pytest.MonkeyPatch, variable: str | None, mode: str
) -> None:
    # `ironwheel build` marks its hooks as a release's through the environment: the question
    # before the build must see the same decision as the build, or the repair tool is missing.
    from ironwheel import _hooks
    from ironwheel.repair import requests
    from ironwheel.repair.mode import Decision
    from ironwheel.request import RELEASE_VARIABLE

    seen: list[Decision] = []

    def spy(project: object, decision: Decision) -> list[str]:
        seen.append(decision)
        return []

    monkeypatch.setattr(requests, "repair_requirements", spy)
    if variable is None:
        monkeypatch.delenv(RELEASE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(RELEASE_VARIABLE, variable)
    _hooks.get_requires_for_build_wheel({"build.dir": str(tree / "elsewhere")})
    assert [decision.mode for decision in seen] == [mode]


def copy_of(tree: Path, where: Path) -> Path:
    import shutil

    shutil.copytree(tree, where, ignore=shutil.ignore_patterns("build"))
    return where


@pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")
def test_the_same_project_elsewhere_is_answered_by_its_contents(tree: Path, tmp_path: Path) -> None:
    # A fresh clone or a newly unpacked sdist has no build dir: the user cache knows the answer
    # by the contents of the files it came from, wherever the project lies.
    (tree / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.18)\nadd_subdirectory(sub)\n")
    (tree / "sub").mkdir()
    (tree / "sub" / "CMakeLists.txt").write_text("# nothing yet\n")
    assert run_hook(tree, tmp_path) == "[] True\n"
    first = copy_of(tree, tmp_path / "clone-1")
    assert run_hook(first, tmp_path) == "[] False\n"

    # Any file it was derived from, edited in a copy, is asked again.
    second = copy_of(tree, tmp_path / "clone-2")
    (second / "sub" / "CMakeLists.txt").write_text("ironwheel_add_cython_module(_fast SOURCES fast.pyx)\n")
    assert run_hook(second, tmp_path) == "['cython>=3.0'] True\n"
    assert run_hook(copy_of(second, tmp_path / "clone-3"), tmp_path) == "['cython>=3.0'] False\n"
    # A new file in a directory that was read (an extension table's pattern) is a change too.
    third = copy_of(tree, tmp_path / "clone-4")
    (third / "src").mkdir()
    (third / "src" / "core.cpp").write_text("int f() { return 1; }\n")
    with (third / "pyproject.toml").open("a") as handle:
        handle.write('[tool.ironwheel.extension."x._core"]\nsources = ["src/*"]\n')
    assert run_hook(third, tmp_path) == "[] True\n"
    assert run_hook(copy_of(third, tmp_path / "clone-5"), tmp_path) == "[] False\n"
    fourth = copy_of(third, tmp_path / "clone-6")
    (fourth / "src" / "more.pyx").write_text("def g(): return 2\n")
    assert run_hook(fourth, tmp_path) == "['cython>=3.0'] True\n"
    # The older answers are still kept beside the newer.
    assert run_hook(copy_of(tree, tmp_path / "clone-7"), tmp_path) == "[] False\n"


@pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")
@pytest.mark.parametrize("damage", ["", "{", "[[1, 2], [3]]", '[[["x"], "y"]]', "[[[[1], 2], [3]]]"])
def test_a_damaged_user_cache_answer_is_asked_again(tree: Path, tmp_path: Path, damage: str) -> None:
    assert run_hook(tree, tmp_path) == "[] True\n"
    memo = Path(os.environ["IRONWHEEL_CACHE_DIR"]) / "requires.json"
    assert memo.is_file()
    memo.write_text(damage)
    assert run_hook(copy_of(tree, tmp_path / "clone"), tmp_path) == "[] True\n"
    assert run_hook(copy_of(tree, tmp_path / "again"), tmp_path) == "[] False\n"


@pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")
def test_without_a_user_cache_every_first_question_is_answered_in_full(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IRONWHEEL_CACHE_DIR", "")
    assert run_hook(tree, tmp_path) == "[] True\n"
    assert run_hook(copy_of(tree, tmp_path / "clone"), tmp_path) == "[] True\n"
