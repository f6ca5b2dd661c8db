"""What a rebuild reuses (the staging trees, the last wheel) and that every input that matters breaks it.

Each test changes one input of a built project and checks the next wheel
against a full build of the same sources from scratch, in a directory of its
own: byte for byte the same (builds are reproducible), whatever was reused.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import ironwheel
from ironwheel import _records
from tests.conftest import copy_project

pytestmark = pytest.mark.slow

EXT = sysconfig.get_config_var("EXT_SUFFIX")
INSTALL_SKIPPED = "the installed files are up to date"
WHEEL_REUSED = "copied its wheel instead of writing it again"
# The build_wheel hook answered from the record of the last build, without building.
HANDED_OUT = "nothing changed since the last build of"
CHANGED = b"<anything else>"


class Builder:
    """Builds one project in-process through the build_wheel hook, and from scratch elsewhere."""

    def __init__(self, root: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.tmp_path = tmp_path
        self.capfd = capfd
        self.count = 0
        self.output = ""

    def __call__(self, settings: dict[str, str] | None = None) -> Path:
        self.count += 1
        out = self.tmp_path / f"out-{self.count}"
        previous = Path.cwd()
        os.chdir(self.root)
        try:
            name = ironwheel.build_wheel(str(out), settings)
        finally:
            os.chdir(previous)
        self.output = self.capfd.readouterr().err
        return out / name

    def scratch(self, settings: dict[str, str] | None = None) -> Path:
        """The same sources built in a new directory, from nothing."""
        self.count += 1
        copy = copy_project(self.root, self.tmp_path / f"scratch-{self.count}")
        shutil.rmtree(copy / "build", ignore_errors=True)
        builder = Builder(copy, self.tmp_path / f"scratch-out-{self.count}", self.capfd)
        return builder(settings)


def settle() -> None:
    """Let the files just written age past the moment in which a change may not show in their times."""
    time.sleep(0.15)


def members(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def build(project: Callable[[str], Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> Builder:
    builder = Builder(project("reuse"), tmp_path, capfd)
    settle()
    return builder


def test_an_unchanged_tree_skips_the_install_and_gives_the_same_wheel(build: Builder) -> None:
    first = build()
    assert INSTALL_SKIPPED not in build.output
    second = build()
    assert INSTALL_SKIPPED in build.output
    assert second.read_bytes() == first.read_bytes()
    assert sorted(members(second)) == [
        "reuse-1.0.dist-info/METADATA",
        "reuse-1.0.dist-info/RECORD",
        "reuse-1.0.dist-info/WHEEL",
        "reuse/__init__.py",
        f"reuse/_core{EXT}",
        "reuse/assets/README.txt",
        "reuse/assets/icons/a.svg",
        "reuse/data/table.txt",
    ]


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize(
    ("change", "member", "content"),
    [
        (
            lambda root: edit(root / "src" / "table.txt", "two,2", "two,3"),
            "reuse/data/table.txt",
            b"one,1\ntwo,3\n",
        ),
        # The same size and modification time: only the status-change time tells.
        (
            lambda root: rewrite_keeping_times(root / "src" / "table.txt", b"one,1\ntwo,9\n"),
            "reuse/data/table.txt",
            b"one,1\ntwo,9\n",
        ),
        (
            lambda root: (root / "assets" / "icons" / "b.svg").write_text("<b/>\n"),
            "reuse/assets/icons/b.svg",
            b"<b/>\n",
        ),
        (
            lambda root: edit(root / "assets" / "icons" / "a.svg", "svg", "svg "),
            "reuse/assets/icons/a.svg",
            b"<svg />\n",
        ),
        (lambda root: (root / "assets" / "README.txt").unlink(), "reuse/assets/README.txt", None),
        (
            lambda root: edit(root / "src" / "reuse" / "_core.c", "FromLong(42)", "FromLong(43)"),
            f"reuse/_core{EXT}",
            CHANGED,
        ),
    ],
    ids=[
        "a file of install(FILES)",
        "the same file in place",
        "a new file",
        "a file",
        "a removed file",
        "a source",
    ],
)
def test_what_the_install_rules_take_installs_again(
    build: Builder, change: Callable[[Path], object], member: str, content: bytes | None
) -> None:
    first = members(build())
    build()
    assert INSTALL_SKIPPED in build.output
    change(build.root)
    wheel = build()
    assert INSTALL_SKIPPED not in build.output
    after = members(wheel)
    if content is None:
        assert member not in after
    elif content == CHANGED:
        assert after[member] != first[member]
    else:
        assert after[member] == content
    assert wheel.read_bytes() == build.scratch().read_bytes()


def rewrite_keeping_times(path: Path, content: bytes) -> None:
    before = path.stat()
    assert len(content) == before.st_size
    path.write_bytes(content)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def staging(root: Path) -> Path:
    (tree,) = root.glob("build/*/.ironwheel/staging")
    return tree


@pytest.mark.parametrize(
    "tamper",
    [
        lambda tree: (tree / "platlib" / "reuse" / "data" / "table.txt").write_text("tampered\n"),
        lambda tree: rewrite_keeping_times(
            tree / "platlib" / "reuse" / "data" / "table.txt", b"tw0,2\none,1\n"
        ),
        lambda tree: (tree / "platlib" / "reuse" / "data" / "table.txt").unlink(),
        lambda tree: (tree / "platlib" / "reuse" / "stray.txt").write_text("not installed by anything\n"),
        shutil.rmtree,
    ],
    ids=[
        "a staged file changed",
        "changed in place",
        "a staged file removed",
        "a file added",
        "the trees removed",
    ],
)
def test_a_staging_tree_that_was_touched_is_not_trusted(
    build: Builder, tamper: Callable[[Path], object]
) -> None:
    first = build()
    build()
    assert INSTALL_SKIPPED in build.output
    tamper(staging(build.root))
    wheel = build()
    assert INSTALL_SKIPPED not in build.output
    assert wheel.read_bytes() == first.read_bytes()


def test_an_install_code_rule_always_installs(build: Builder) -> None:
    settings = {"cmake.define.WITH_CODE": "ON"}
    build(settings)
    assert members(build(settings))["reuse/stamp.txt"] == b"stamp one\n"
    assert INSTALL_SKIPPED not in build.output
    # What install(CODE) reads, no rule names: only running it tells.
    edit(build.root / "src" / "stamp.in", "one", "two")
    wheel = build(settings)
    assert members(wheel)["reuse/stamp.txt"] == b"stamp two\n"
    assert wheel.read_bytes() == build.scratch(settings).read_bytes()


def test_a_file_changed_in_the_moment_before_the_install_is_not_trusted(
    build: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    build()
    build()
    assert INSTALL_SKIPPED in build.output
    # Changed "a moment" before the install read it (the moment made a minute long, so that
    # it surely is): whatever the next build sees of it, its times prove nothing.
    moment = _records._FINE_RACY_NS
    monkeypatch.setattr(_records, "_FINE_RACY_NS", 60 * 10**9)
    edit(build.root / "src" / "table.txt", "one,1", "one,5")
    build()
    assert INSTALL_SKIPPED not in build.output
    monkeypatch.setattr(_records, "_FINE_RACY_NS", moment)
    settle()
    wheel = build()
    assert INSTALL_SKIPPED not in build.output  # nothing was kept of the install before
    assert members(wheel)["reuse/data/table.txt"] == b"one,5\ntwo,2\n"
    build()
    assert INSTALL_SKIPPED in build.output or HANDED_OUT in build.output


def test_an_unchanged_build_hands_out_its_last_wheel(build: Builder) -> None:
    first = build()
    assert WHEEL_REUSED not in build.output
    again = build()
    assert WHEEL_REUSED in build.output
    assert again.read_bytes() == first.read_bytes()
    assert again.read_bytes() == build.scratch().read_bytes()


@pytest.mark.parametrize(
    ("change", "settings"),
    [
        (lambda root, env: edit(root / "src" / "reuse" / "__init__.py", "__all__", "__all__ "), {}),
        (lambda root, env: (root / "src" / "reuse" / "extra.py").write_text("X = 1\n"), {}),
        (lambda root, env: edit(root / "pyproject.toml", "A build", "One build"), {}),
        (lambda root, env: env.setenv("SOURCE_DATE_EPOCH", "1700000000"), {}),
        (lambda root, env: None, {"wheel.exclude": "reuse/assets/README.txt"}),
        (lambda root, env: None, {"cmake.define.WITH_CODE": "ON"}),
        (lambda root, env: env.setenv("IRONWHEEL_WHEEL_EXCLUDE", "reuse/data/table.txt"), {}),
    ],
    ids=[
        "a Python file",
        "a new Python file",
        "the metadata",
        "SOURCE_DATE_EPOCH",
        "a setting",
        "a CMake definition",
        "a setting from the environment",
    ],
)
def test_every_input_of_the_wheel_writes_it_again(
    build: Builder,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Path, pytest.MonkeyPatch], object],
    settings: dict[str, str],
) -> None:
    first = build()
    build()
    assert WHEEL_REUSED in build.output
    change(build.root, monkeypatch)
    wheel = build(settings)
    assert WHEEL_REUSED not in build.output
    assert wheel.read_bytes() != first.read_bytes()
    assert wheel.read_bytes() == build.scratch(settings).read_bytes()


def kept_wheel(root: Path) -> Path:
    (wheel,) = root.glob("build/*/.ironwheel/wheel/*.whl")
    return wheel


@pytest.mark.parametrize(
    "tamper",
    [
        lambda wheel: wheel.unlink(),
        lambda wheel: wheel.write_bytes(b"PK not a wheel"),
        lambda wheel: rewrite_keeping_times(wheel, bytes(reversed(wheel.read_bytes()))),
    ],
    ids=["removed", "replaced", "changed in place, its times kept"],
)
def test_a_kept_wheel_that_was_touched_is_not_handed_out(
    build: Builder, tamper: Callable[[Path], object]
) -> None:
    first = build()
    tamper(kept_wheel(build.root))
    wheel = build()
    assert WHEEL_REUSED not in build.output
    assert wheel.read_bytes() == first.read_bytes()
    build()
    assert WHEEL_REUSED in build.output or HANDED_OUT in build.output


def settled(build: Builder, settings: dict[str, str] | None = None) -> Path:
    """A full build whose record the next build may use.

    A first build makes the build dir, a change to the project it sees while it runs: the one after
    it records, if nothing it read changed a moment before.
    """
    if not list(build.root.glob("build/*/.ironwheel")):
        build(settings)
    settle()
    wheel = build(settings)
    assert HANDED_OUT not in build.output
    assert list(build.root.glob("build/*/.ironwheel/reuse.json")), build.output
    return wheel


def test_a_build_in_which_nothing_changed_hands_out_the_last_wheel(build: Builder) -> None:
    first = settled(build)
    again = build()
    assert HANDED_OUT in build.output
    assert "ninja: no work to do." in build.output  # ninja had its say
    assert again.read_bytes() == first.read_bytes()
    assert again.read_bytes() == build.scratch().read_bytes()


@pytest.mark.parametrize(
    ("change", "settings"),
    [
        (lambda root, env: edit(root / "src" / "reuse" / "_core.c", "FromLong(42)", "FromLong(44)"), {}),
        (lambda root, env: edit(root / "src" / "reuse" / "__init__.py", "__all__", "__all__ "), {}),
        (lambda root, env: (root / "src" / "reuse" / "extra.py").write_text("X = 1\n"), {}),
        (lambda root, env: edit(root / "src" / "table.txt", "two,2", "two,4"), {}),
        (lambda root, env: (root / "assets" / "more.txt").write_text("more\n"), {}),
        (lambda root, env: edit(root / "pyproject.toml", "A build", "One build"), {}),
        (lambda root, env: env.setenv("SOURCE_DATE_EPOCH", "1700000000"), {}),
        (lambda root, env: env.setenv("IRONWHEEL_WHEEL_EXCLUDE", "reuse/data/table.txt"), {}),
        (lambda root, env: None, {"wheel.exclude": "reuse/assets/README.txt"}),
    ],
    ids=[
        "a source",
        "a Python file",
        "a new Python file",
        "a file of install(FILES)",
        "a new file of install(DIRECTORY)",
        "the metadata",
        "SOURCE_DATE_EPOCH",
        "a setting from the environment",
        "a -C setting",
    ],
)
def test_no_changed_input_gets_the_last_wheel_back(
    build: Builder,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Path, pytest.MonkeyPatch], object],
    settings: dict[str, str],
) -> None:
    first = settled(build)
    change(build.root, monkeypatch)
    wheel = build(settings)
    assert HANDED_OUT not in build.output
    assert wheel.read_bytes() != first.read_bytes()
    assert wheel.read_bytes() == build.scratch(settings).read_bytes()


def test_a_header_outside_the_project_is_ninja_s_to_see(build: Builder, tmp_path: Path) -> None:
    # Nothing of the project changes: only ninja knows the module depends on the header.
    include = tmp_path / "include"
    include.mkdir()
    (include / "answer.h").write_text("#define ANSWER 42\n")
    edit(
        build.root / "src" / "reuse" / "_core.c",
        "#include <Python.h>",
        '#include <Python.h>\n#include "answer.h"',
    )
    edit(build.root / "src" / "reuse" / "_core.c", "FromLong(42)", "FromLong(ANSWER)")
    settings = {"cmake.define.CMAKE_C_FLAGS": f"-I{include}"}
    first = settled(build, settings)
    (include / "answer.h").write_text("#define ANSWER 45\n")
    wheel = build(settings)
    assert HANDED_OUT not in build.output
    assert "Building C object" in build.output
    assert wheel.read_bytes() != first.read_bytes()


def test_a_compiler_changed_where_it_is_gets_no_wheel_back(
    build: Builder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ninja does not see the compiler; the full build does (it configures again).
    cc = tmp_path / "bin" / "cc-wrapper"
    cc.parent.mkdir()
    compiler = shutil.which("cc") or shutil.which("gcc")
    assert compiler is not None
    cc.write_text(f'#!/bin/sh\nexec {compiler} "$@"\n')
    cc.chmod(0o755)
    monkeypatch.setenv("CC", str(cc))
    first = settled(build)
    cc.write_text(f'#!/bin/sh\nexec {compiler} "$@" -O0\n')  # the last -O wins
    wheel = build()
    assert HANDED_OUT not in build.output
    assert "configuring" in build.output
    assert members(wheel)[f"reuse/_core{EXT}"] != members(first)[f"reuse/_core{EXT}"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda root: kept_wheel(root).unlink(),
        lambda root: rewrite_keeping_times(kept_wheel(root), bytes(reversed(kept_wheel(root).read_bytes()))),
        lambda root: (staging(root) / "platlib" / "reuse" / "data" / "table.txt").write_text("tampered\n"),
        lambda root: (staging(root) / "platlib" / "reuse" / "stray.txt").write_text("stray\n"),
        lambda root: next(root.glob("build/*/.ironwheel/reuse.json")).write_text("{not json"),
        lambda root: next(root.glob("build/*/.ironwheel/reuse.json")).write_text('{"process": 1}'),
    ],
    ids=[
        "the kept wheel removed",
        "the kept wheel changed in place",
        "a staged file changed",
        "a staged file added",
        "the record damaged",
        "a foreign record",
    ],
)
def test_a_touched_build_dir_gets_no_wheel_back(build: Builder, tamper: Callable[[Path], object]) -> None:
    first = settled(build)
    tamper(build.root)
    wheel = build()
    assert HANDED_OUT not in build.output
    assert wheel.read_bytes() == first.read_bytes()


def test_a_change_during_the_build_is_not_recorded(build: Builder) -> None:
    settled(build)
    edit(build.root / "src" / "reuse" / "__init__.py", "__all__", "__all__ ")
    # Changed the moment before the build started: it may yet change without its times showing.
    build()
    assert not list(build.root.glob("build/*/.ironwheel/reuse.json"))
    settled(build)


def test_the_warnings_of_the_build_are_given_again(build: Builder) -> None:
    (build.root / "src" / "reuse" / ".env").write_text("TOKEN=1\n")
    settled(build)
    assert "warning: packing src/reuse/.env" in build.output
    build()
    assert HANDED_OUT in build.output
    assert "warning: packing src/reuse/.env" in build.output


def test_pip_without_isolation_gets_the_last_wheel_back(build: Builder, tmp_path: Path) -> None:
    from tests.integration.frontends import pip_wheel, tail

    settle()
    first = pip_wheel(build.root, tmp_path / "one", isolated=False)
    assert first.returncode == 0, tail(first.output)
    settle()
    second = pip_wheel(build.root, tmp_path / "two", isolated=False)
    assert second.returncode == 0, tail(second.output)
    third = pip_wheel(build.root, tmp_path / "three", isolated=False)
    assert HANDED_OUT in third.output, tail(third.output)
    assert third.wheel.read_bytes() == first.wheel.read_bytes()


def replace(path: Path, content: str) -> None:
    """A new file in the place of ``path``: another inode, whatever its times."""
    path.unlink()
    path.write_text(content)


@pytest.mark.parametrize(
    ("table", "entry"),
    [
        (
            '[tool.ironwheel.wheel.force-include]\n"third_party/build/lib/libfoo.md" = "reuse/libfoo.md"\n',
            "reuse/libfoo.md",
        ),
        ('readme = "third_party/build/lib/libfoo.md"\n', "reuse-1.0.dist-info/METADATA"),
    ],
    ids=["a force-included file", "the readme"],
)
def test_a_file_named_in_a_directory_the_tree_skips_gets_no_wheel_back(
    build: Builder, table: str, entry: str
) -> None:
    # A directory holding a CMakeCache.txt is a build tree the project's walk skips.
    library = build.root / "third_party" / "build" / "lib"
    library.mkdir(parents=True)
    (library.parent / "CMakeCache.txt").touch()
    (library / "libfoo.md").write_text("v1\n")
    pyproject = build.root / "pyproject.toml"
    if table.startswith("readme"):
        edit(pyproject, 'version = "1.0"\n', 'version = "1.0"\n' + table)
    else:
        pyproject.write_text(pyproject.read_text() + "\n" + table)
    first = settled(build)
    assert b"v1" in members(first)[entry]
    build()
    assert HANDED_OUT in build.output
    replace(library / "libfoo.md", "v2\n")
    wheel = build()
    assert HANDED_OUT not in build.output
    assert b"v2" in members(wheel)[entry]


def test_a_file_ninja_rewrites_in_the_build_dir_gets_no_wheel_back(build: Builder, tmp_path: Path) -> None:
    # Generated from a file outside the project: only the shortcut's ninja run sees it change.
    source = tmp_path / "gen-source.py"
    source.write_text("VALUE = 1\n")
    with (build.root / "CMakeLists.txt").open("a") as cmake:
        cmake.write(
            f'add_custom_command(OUTPUT "${{CMAKE_BINARY_DIR}}/gen.py"\n'
            f'  COMMAND "${{CMAKE_COMMAND}}" -E copy "{source.as_posix()}" "${{CMAKE_BINARY_DIR}}/gen.py"\n'
            f'  DEPENDS "{source.as_posix()}")\n'
            'add_custom_target(gen ALL DEPENDS "${CMAKE_BINARY_DIR}/gen.py")\n'
        )
    with (build.root / "pyproject.toml").open("a") as pyproject:
        pyproject.write(
            '\n[tool.ironwheel.build]\ndir = "build/out"\n'
            '\n[tool.ironwheel.wheel.force-include]\n"build/out/gen.py" = "reuse/gen.py"\n'
        )
    first = settled(build)
    assert members(first)["reuse/gen.py"] == b"VALUE = 1\n"
    build()
    assert HANDED_OUT in build.output
    source.write_text("VALUE = 2\n")
    wheel = build()
    assert HANDED_OUT not in build.output
    assert members(wheel)["reuse/gen.py"] == b"VALUE = 2\n"
