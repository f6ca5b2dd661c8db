"""The editable rebuild: what the build depends on, when to rebuild, how it reports."""

from __future__ import annotations

import os
import stat
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from ironwheel.editable import rebuild
from ironwheel.editable.rebuild import Rebuilder, RebuildError


def deps_log(paths: Sequence[str], records: Sequence[tuple[int, Sequence[int]]], version: int = 4) -> bytes:
    """A ``.ninja_deps`` file as ninja writes it."""
    data = b"# ninjadeps\n" + struct.pack("<i", version)
    for index, path in enumerate(paths):
        raw = path.encode()
        raw += b"\0" * (-len(raw) % 4)
        data += struct.pack("<I", len(raw) + 4) + raw + struct.pack("<I", ~index & 0xFFFFFFFF)
    for output, dependencies in records:
        mtime = struct.pack("<Q", 123) if version >= 4 else struct.pack("<I", 123)
        payload = struct.pack("<i", output) + mtime + struct.pack(f"<{len(dependencies)}i", *dependencies)
        data += struct.pack("<I", len(payload) | 0x80000000) + payload
    return data


MANIFEST = """\
# CMake's layout, with the escapes and statement forms ninja allows.
include rules.ninja
build CMakeFiles/a.dir/a.c.o: C_COMPILER__a_Release /src/a.c || cmake_object_order_depends_target_a
build CMakeFiles/a.dir/with$ space.c.o: C_COMPILER__a_Release /src/with$ space.c$:x | /src/implicit.h $
    /src/continued.h
build a.so: C_SHARED_LIBRARY_LINKER__a_Release CMakeFiles/a.dir/a.c.o CMakeFiles/a.dir/with$ space.c.o
build gen.c: CUSTOM_COMMAND /src/gen.py |@ validation
build build.ninja: RERUN_CMAKE | /src/CMakeLists.txt /usr/share/cmake/Modules/X.cmake CMakeCache.txt
build /src/CMakeLists.txt /usr/share/cmake/Modules/X.cmake CMakeCache.txt: phony
build all: phony a.so
build odd$$: phony
"""


@pytest.fixture
def build_dir(tmp_path: Path) -> Path:
    build = tmp_path / "build"
    build.mkdir()
    (build / "build.ninja").write_text(MANIFEST)
    (build / "rules.ninja").write_text("subninja more.ninja\nrule C_COMPILER__a_Release\n  command = cc\n")
    (build / "more.ninja").write_text("build extra.o: C /src/extra.c\n")
    paths = [
        "CMakeFiles/a.dir/a.c.o",
        "/src/a.c",
        "/src/a.h",
        "/usr/include/stdio.h",
        "gone.o",  # an output no longer in the manifest: its old deps do not count
        "/src/stale.h",
        "CMakeFiles/a.dir/with space.c.o",
        "../src/relative.h",
    ]
    (build / ".ninja_deps").write_bytes(deps_log(paths, [(0, [1, 5]), (4, [5]), (0, [1, 2, 3]), (6, [7])]))
    return build


def test_ninja_inputs(build_dir: Path, tmp_path: Path) -> None:
    assert rebuild.ninja_inputs(str(build_dir)) == sorted(
        [
            "/src/CMakeLists.txt",
            "/src/a.c",
            "/src/a.h",
            "/src/continued.h",
            "/src/extra.c",
            "/src/gen.py",
            "/src/implicit.h",
            "/src/with space.c:x",
            "/usr/include/stdio.h",
            "/usr/share/cmake/Modules/X.cmake",
            str(build_dir / "CMakeCache.txt"),
            str(tmp_path / "src" / "relative.h"),
        ]
    )


def test_older_deps_log_format(tmp_path: Path) -> None:
    (tmp_path / "build.ninja").write_text("build x.o: CC /src/x.c\n")
    (tmp_path / ".ninja_deps").write_bytes(deps_log(["x.o", "/src/x.h"], [(0, [1])], version=3))
    assert rebuild.ninja_inputs(str(tmp_path)) == ["/src/x.c", "/src/x.h"]


def test_watch_list_leaves_out_the_build_dir_and_missing_files(tmp_path: Path) -> None:
    build, source = tmp_path / "build", tmp_path / "src"
    build.mkdir()
    source.mkdir()
    (source / "a.c").write_text("")
    (source / "a.h").write_text("")
    (build / "config.h").write_text("")
    (build / "build.ninja").write_text(
        f"build a.o: CC {source}/a.c | {source}/a.h config.h {source}/deleted.h\n"
    )
    watch = tmp_path / "state" / "watch.txt"
    assert rebuild.write_watch_list(str(build), str(watch)) == 2
    assert watch.read_text() == f"{source}/a.c\n{source}/a.h\n"


def test_first_change(tmp_path: Path) -> None:
    source = tmp_path / "a.c"
    source.write_text("")
    os.utime(source, ns=(0, 10**18))
    state = tmp_path / "state"
    watch, stamp = str(state / "watch.txt"), str(state / "stamp")
    assert rebuild.first_change(watch, stamp) == "no record of the last build"
    state.mkdir()
    (state / "watch.txt").write_text(f"{source}\n")
    pending = rebuild.start_stamp(stamp)
    assert rebuild.first_change(watch, stamp) == "no record of the last build"  # not committed yet
    rebuild.commit_stamp(pending, stamp)
    started = (state / "stamp").stat().st_mtime_ns
    assert rebuild.first_change(watch, stamp) is None
    os.utime(source, ns=(0, started))  # as new as the build: it may have changed while it ran
    assert rebuild.first_change(watch, stamp) == str(source)
    os.utime(source, ns=(0, started - 1))
    assert rebuild.first_change(watch, stamp) is None
    source.unlink()
    assert rebuild.first_change(watch, stamp) == str(source)


def edit(path: Path, stamp: Path) -> None:
    """Change a file after the last build started (which was ten seconds ago)."""
    os.utime(path, ns=(0, stamp.stat().st_mtime_ns + 5 * 10**9))


def script(path: Path, text: str) -> str:
    path.write_text(f"#!{sys.executable}\n{text}")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture
def project(tmp_path: Path) -> tuple[dict[str, object], Path]:
    """A build dir whose "ninja" and "cmake --install" are scripts that print what they are told to."""
    build = tmp_path / "build"
    state = build / ".ironwheel" / "editable"
    state.mkdir(parents=True)
    source = tmp_path / "one.c"
    source.write_text("int one;\n")
    os.utime(source, ns=(0, 10**18))  # long before the build
    (build / "build.ninja").write_text(f"build one.o: CC {source}\n")
    rebuild.write_watch_list(str(build), str(state / "watch.txt"))
    rebuild.commit_stamp(rebuild.start_stamp(str(state / "stamp")), str(state / "stamp"))
    os.utime(state / "stamp", ns=(0, time.time_ns() - 10 * 10**9))
    output = tmp_path / "ninja-output.txt"
    ninja = script(
        tmp_path / "ninja",
        "import os, pathlib, sys\n"
        f"text = pathlib.Path({str(output)!r}).read_text()\n"
        "sys.stdout.write(text.replace('SKIP', os.environ.get('IRONWHEEL_EDITABLE_SKIP', '')))\n"
        "sys.exit(1 if 'error' in text else 0)\n",
    )
    install = script(tmp_path / "install", "print('-- Installing: x.so')\n")
    config: dict[str, object] = {
        "build_dir": str(build),
        "watch": str(state / "watch.txt"),
        "stamp": str(state / "stamp"),
        "lock": str(build / ".ironwheel" / "lock"),
        "build": [ninja],
        "install": [install],
        "project": str(tmp_path),
    }
    return config, source


def test_nothing_changed_runs_nothing_and_says_nothing(
    project: tuple[dict[str, object], Path], capfd: pytest.CaptureFixture[str]
) -> None:
    config, _ = project
    assert Rebuilder("demo", config).run() is False
    assert capfd.readouterr() == ("", "")


def test_a_change_with_nothing_to_compile_stays_silent(
    project: tuple[dict[str, object], Path], capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config, source = project
    (tmp_path / "ninja-output.txt").write_text("ninja: no work to do.\n")
    edit(source, Path(str(config["stamp"])))
    assert Rebuilder("demo", config).run() is True
    assert capfd.readouterr() == ("", "")
    assert Rebuilder("demo", config).run() is False  # the stamp moved on


def test_a_compile_is_shown_on_stderr(
    project: tuple[dict[str, object], Path], capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config, source = project
    (tmp_path / "ninja-output.txt").write_text("[1/2] Building C object one.o\n[2/2] Linking C module x.so\n")
    edit(source, Path(str(config["stamp"])))
    assert Rebuilder("demo", config).run() is True
    out, err = capfd.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[:3] == [
        f"ironwheel: rebuilding demo in {config['build_dir']}",
        "[1/2] Building C object one.o",
        "[2/2] Linking C module x.so",
    ]
    assert lines[3].startswith("ironwheel: rebuilt demo in ")
    assert len(lines) == 4


def test_the_rebuild_marks_its_subprocesses(
    project: tuple[dict[str, object], Path], capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config, source = project
    (tmp_path / "ninja-output.txt").write_text("[1/1] SKIP\n")
    edit(source, Path(str(config["stamp"])))
    Rebuilder("demo", config).run()
    assert f"[1/1] {config['build_dir']}\n" in capfd.readouterr().err


def test_a_marked_process_does_not_rebuild_its_own_build_dir(
    project: tuple[dict[str, object], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config, source = project
    (tmp_path / "ninja-output.txt").write_text("ninja: no work to do.\n")
    edit(source, Path(str(config["stamp"])))
    monkeypatch.setenv("IRONWHEEL_EDITABLE_SKIP", os.pathsep.join(["/elsewhere", str(config["build_dir"])]))
    assert Rebuilder("demo", config).run() is False
    assert Rebuilder("demo", config).run(force=True) is True  # an explicit rebuild still builds


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (
            "[1/2] Building C object one.o\n"
            "FAILED: one.o\n"
            "cc -c one.c\n"
            "/src/one.c: In function 'one':\n"
            "/src/one.c:1:25: error: expected ';' before '}' token\n"
            "/src/one.c:2:1: error: unknown type name 'x'\n"
            "ninja: build stopped: subcommand failed.\n",
            "rebuilding demo failed (compile): /src/one.c:1:25: error: expected ';' before '}' token\n"
            "  /src/one.c:2:1: error: unknown type name 'x'\n"
            "hint: fix the error and import again (IRONWHEEL_EDITABLE_VERBOSE=1 shows every command)",
        ),
        (
            "ninja: error: '/src/two.c', needed by 'two.o', missing and no known rule to make it\n",
            "rebuilding demo failed (compile): ninja: error: '/src/two.c', needed by 'two.o', "
            "missing and no known rule to make it\n"
            "hint: fix the error and import again (IRONWHEEL_EDITABLE_VERBOSE=1 shows every command)",
        ),
    ],
)
def test_a_failure_raises_import_error_with_the_first_errors(
    project: tuple[dict[str, object], Path],
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    output: str,
    message: str,
) -> None:
    config, source = project
    (tmp_path / "ninja-output.txt").write_text(output)
    edit(source, Path(str(config["stamp"])))
    with pytest.raises(ImportError) as caught:
        Rebuilder("demo", config).run()
    assert isinstance(caught.value, RebuildError)
    assert str(caught.value) == message
    assert caught.value.name == "demo"
    assert capfd.readouterr().err.count(output.splitlines()[-1]) == 1  # the whole output, once
    assert rebuild.first_change(str(config["watch"]), str(config["stamp"])) == str(
        source
    )  # and it tries again


def test_a_missing_build_dir(project: tuple[dict[str, object], Path]) -> None:
    config, _ = project
    config["build_dir"] = "/nowhere/build"
    with pytest.raises(RebuildError) as caught:
        Rebuilder("demo", config).run()
    assert str(caught.value) == (
        f"the build directory /nowhere/build of the editable install of demo is gone; "
        f"reinstall it: pip install -e {config['project']}"
    )
