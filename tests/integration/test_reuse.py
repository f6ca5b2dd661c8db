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
from tests.conftest import copy_project

pytestmark = pytest.mark.slow

EXT = sysconfig.get_config_var("EXT_SUFFIX")
INSTALL_SKIPPED = "the installed files are up to date"
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


def test_a_file_changed_in_the_moment_before_the_install_is_not_trusted(build: Builder) -> None:
    build()
    build()
    assert INSTALL_SKIPPED in build.output
    # Changed just now: whatever the build after this one sees of it, its times prove nothing.
    edit(build.root / "src" / "table.txt", "one,1", "one,5")
    build()
    assert INSTALL_SKIPPED not in build.output
    wheel = build()
    assert INSTALL_SKIPPED not in build.output
    settle()
    build()
    assert INSTALL_SKIPPED in build.output
    assert members(wheel)["reuse/data/table.txt"] == b"one,5\ntwo,2\n"


WHEEL_REUSED = "copied its wheel instead of writing it again"


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
    assert WHEEL_REUSED in build.output
