"""The build dir's view of the environment: links, content-synced copies, kept times."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ironwheel.cmake import envfiles, envview
from ironwheel.cmake.builddir import BuildDir


def make_site(root: Path, version: str = "1") -> Path:
    site = root / "lib" / "site-packages"
    files = {
        "plain_pkg/__init__.py": "",
        "cmake_pkg/__init__.py": "",
        "cmake_pkg/cmake/cmake_pkg-config.cmake": f"# version {version}\n",
        "cmake_pkg/include/header.h": "int x;\n",
        "shared_pkg/share/cmake/SharedPkg/SharedPkgConfig.cmake": "",
        "module.py": "",
        "plain_pkg-1.0.dist-info/METADATA": "",
    }
    for name, text in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return site


def test_cmake_packages_are_copied_the_rest_linked(tmp_path: Path) -> None:
    site = make_site(tmp_path / "env-1")
    (view,) = envview.sync_view(tmp_path / "view", [site])
    assert view == tmp_path / "view" / "site-0"
    assert not view.is_symlink()
    for linked in ("plain_pkg", "module.py", "plain_pkg-1.0.dist-info"):
        assert (view / linked).is_symlink()
        assert (view / linked).resolve() == site / linked
    for copied in ("cmake_pkg", "shared_pkg"):
        assert not (view / copied).is_symlink()
    assert (view / "cmake_pkg" / "include" / "header.h").read_text() == "int x;\n"
    assert not (view / "cmake_pkg" / "include" / "header.h").is_symlink()


def test_a_new_environment_keeps_the_times_of_unchanged_files(tmp_path: Path) -> None:
    first = make_site(tmp_path / "env-1")
    (view,) = envview.sync_view(tmp_path / "view", [first])
    header = view / "cmake_pkg" / "include" / "header.h"
    config = view / "cmake_pkg" / "cmake" / "cmake_pkg-config.cmake"
    os.utime(header, ns=(0, 10**18))
    os.utime(config, ns=(0, 10**18))
    second = make_site(tmp_path / "env-2", version="2")
    (second / "plain_pkg" / "__init__.py").unlink()
    (second / "gone.py").write_text("")
    envview.sync_view(tmp_path / "view", [second])
    assert header.stat().st_mtime_ns == 10**18  # same content: untouched
    assert config.stat().st_mtime_ns != 10**18  # new content: rewritten
    assert config.read_text() == "# version 2\n"
    assert (view / "plain_pkg").resolve() == second / "plain_pkg"
    assert (view / "gone.py").is_symlink()


def test_stale_entries_and_views_go(tmp_path: Path) -> None:
    one = make_site(tmp_path / "a")
    two = make_site(tmp_path / "b")
    envview.sync_view(tmp_path / "view", [one, two])
    (one / "module.py").unlink()
    assert envview.sync_view(tmp_path / "view", [one]) == [tmp_path / "view" / "site-0"]
    assert not (tmp_path / "view" / "site-1").exists()
    assert not (tmp_path / "view" / "site-0" / "module.py").exists()


def test_large_cmake_packages_are_linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envview, "MIRROR_LIMIT", 4)
    site = make_site(tmp_path / "env")
    (view,) = envview.sync_view(tmp_path / "view", [site])
    assert (view / "cmake_pkg").is_symlink()


def test_environment_files_get_their_recorded_times_back(tmp_path: Path) -> None:
    with BuildDir.open(tmp_path / "build") as build_dir:
        view = build_dir.state_dir / "env" / "site-0"
        view.mkdir(parents=True)
        same = view / "same.h"
        changed = view / "changed.h"
        same.write_text("same\n")
        changed.write_text("old\n")
        spaced = view / "with space.cmake"
        spaced.write_text("config\n")
        # As CMake writes them: paths inside the build dir relative to it, spaces escaped.
        (build_dir.path / "build.ninja").write_text(
            "build build.ninja: RERUN_CMAKE | .ironwheel/env/site-0/with$ space.cmake /usr/share/x.cmake\n"
            f"build a.o: CXX_COMPILER a.cpp | .ironwheel/env/site-0/same.h {changed}\n"
            "build b.o: CXX_COMPILER b.cpp\n"
            "build gen.c: CUSTOM_COMMAND gen.pyx\n"
            "  depfile = CMakeFiles/d/1234.d\n"
            "build gone.c: CUSTOM_COMMAND gone.pyx\n"
            "  depfile = CMakeFiles/d/missing.d\n"
        )
        # A custom command's dependency file (Cython's): read by ninja each time, never logged.
        pxd = view / "Cython" / "Includes" / "libc" / "my string.pxd"
        pxd.parent.mkdir(parents=True)
        pxd.write_text("cdef extern from *: pass\n")
        (build_dir.path / "CMakeFiles" / "d").mkdir(parents=True)
        (build_dir.path / "CMakeFiles" / "d" / "1234.d").write_text(
            "gen.c: \\\n  /src/gen.pyx \\\n  .ironwheel/env/site-0/Cython/Includes/libc/my\\ string.pxd\n"
        )
        inputs = envfiles.environment_inputs(build_dir)
        assert inputs == {str(same), str(changed), str(spaced), str(pxd)}
        for path in (same, changed):
            os.utime(path, ns=(0, 5 * 10**17))
        envfiles.remember(build_dir)
        for path in (same, changed):
            os.utime(path, ns=(0, 9 * 10**17))  # reinstalled: new times
        changed.write_text("new\n")
        envfiles.restore(build_dir)
        assert same.stat().st_mtime_ns == 5 * 10**17
        assert changed.stat().st_mtime_ns != 5 * 10**17


def test_copies_are_links_that_never_write_into_an_environment(tmp_path: Path) -> None:
    one = make_site(tmp_path / "env-1")
    (view,) = envview.sync_view(tmp_path / "view", [one])
    config = view / "cmake_pkg" / "cmake" / "cmake_pkg-config.cmake"
    original = one / "cmake_pkg" / "cmake" / "cmake_pkg-config.cmake"
    assert config.stat().st_ino == original.stat().st_ino  # made at once, where the file system allows
    # Another environment, used by the same build dir, whose package differs: the first keeps its file.
    two = make_site(tmp_path / "env-2", version="2")
    envview.sync_view(tmp_path / "view", [two])
    assert config.read_text() == "# version 2\n"
    assert original.read_text() == "# version 1\n"
    envview.sync_view(tmp_path / "view", [one])
    assert config.read_text() == "# version 1\n"
    assert (two / "cmake_pkg" / "cmake" / "cmake_pkg-config.cmake").read_text() == "# version 2\n"


def test_a_changed_file_gets_a_time_ninja_sees_even_from_an_older_environment(tmp_path: Path) -> None:
    one = make_site(tmp_path / "env-1")
    (view,) = envview.sync_view(tmp_path / "view", [one])
    config = view / "cmake_pkg" / "cmake" / "cmake_pkg-config.cmake"
    built = config.stat().st_mtime_ns
    # An installer that kept the times of its files: the new content is older than the build.
    two = make_site(tmp_path / "env-2", version="2")
    os.utime(two / "cmake_pkg" / "cmake" / "cmake_pkg-config.cmake", ns=(0, 10**9))
    envview.sync_view(tmp_path / "view", [two])
    assert config.read_text() == "# version 2\n"
    assert config.stat().st_mtime_ns >= built


@pytest.mark.parametrize(
    "linked",
    ["file", "package", "shared"],
    ids=["a hard link in the view", "through a linked package", "shared, through a linked package"],
)
def test_restoring_times_never_writes_through_a_file_another_name_shares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linked: str
) -> None:
    if linked != "file":
        monkeypatch.setattr(envview, "MIRROR_LIMIT", 4)  # the package stays a link to the environment's
    site = make_site(tmp_path / "env")
    original = site / "cmake_pkg" / "include" / "header.h"
    if linked == "shared":
        os.link(original, tmp_path / "an installer's cache")  # uv links its cache's files into environments
    os.utime(original, ns=(0, 5 * 10**17))
    with BuildDir.open(tmp_path / "build") as build_dir:
        (view,) = envview.sync_view(build_dir.view, [site])
        header = view / "cmake_pkg" / "include" / "header.h"
        assert os.path.samefile(header, original)
        (build_dir.path / "build.ninja").write_text(f"build a.o: CXX_COMPILER a.cpp | {header.as_posix()}\n")
        envfiles.remember(build_dir)
        os.utime(original, ns=(0, 9 * 10**17))  # reinstalled, the same content: a new time
        envfiles.restore(build_dir)
        if linked == "file":
            # The view's file is now a copy of its own, with the time ninja saw; the environment's keeps its own.
            assert original.stat().st_mtime_ns == 9 * 10**17
            assert not os.path.samefile(header, original)
            assert header.stat().st_mtime_ns == 5 * 10**17
            assert header.read_text() == "int x;\n"
            assert original.stat().st_nlink == 1
        elif linked == "package":
            # The environment's own file, no other name's: its time back, as ninja saw it.
            assert os.path.samefile(header, original)
            assert original.stat().st_mtime_ns == 5 * 10**17
        else:
            # Shared with a file outside the environment: left alone (ninja rebuilds what includes it).
            assert original.stat().st_mtime_ns == 9 * 10**17
            assert (tmp_path / "an installer's cache").stat().st_mtime_ns == 9 * 10**17
