"""The user cache: tool versions learnt once per machine, whatever state the cache is in."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from ironwheel._records import Record
from ironwheel._usercache import cache_dir, user_record
from ironwheel.tools import toolchain
from ironwheel.tools.toolcache import ToolCache

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")


def fake_cmake(directory: Path, version: str, log: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "cmake"
    path.write_text(f"#!/bin/sh\necho run >> '{log}'\necho 'cmake version {version}'\n")
    path.chmod(0o755)
    return path


def find(tmp_path: Path, build_record: Record | None = None) -> str:
    """The version the first cmake on the fake PATH has, through a new process's tool cache."""
    cache = ToolCache(build_record or Record(None))
    cmake, why = toolchain.find_cmake(SpecifierSet(">=3.18"), {"PATH": str(tmp_path / "bin")}, cache.versions)
    assert cmake is not None, why
    cache.save()
    return str(cmake.version)


def runs(tmp_path: Path) -> int:
    log = tmp_path / "runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


@pytest.fixture
def cmake(tmp_path: Path) -> Path:
    return fake_cmake(tmp_path / "bin", "3.28.1", tmp_path / "runs.log")


def test_the_cache_directory_follows_the_platform_conventions() -> None:
    assert cache_dir({"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"}) == os.path.join(
        "/x/cache", "ironwheel"
    )
    assert cache_dir({"XDG_CACHE_HOME": "relative", "HOME": "/home/u"}) != os.path.join(
        "relative", "ironwheel"
    )
    assert cache_dir({}) is None or os.name == "nt"
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert cache_dir({"HOME": "/home/u"}) == "/home/u/.cache/ironwheel"


def test_a_version_is_asked_once_per_machine_not_once_per_build_dir(cmake: Path, tmp_path: Path) -> None:
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1
    # No build directory, another one, a new process each time: the user cache answers.
    assert find(tmp_path) == "3.28.1"
    state = tmp_path / "other" / ".ironwheel"
    state.mkdir(parents=True)
    assert find(tmp_path, Record(state / "tools.json")) == "3.28.1"
    assert runs(tmp_path) == 1


def test_a_program_replaced_at_the_same_path_is_asked_again(cmake: Path, tmp_path: Path) -> None:
    assert find(tmp_path) == "3.28.1"
    # Rewritten in place: its modification time changes.
    time.sleep(0.01)
    cmake.write_text(cmake.read_text().replace("3.28.1", "3.29.2"))
    assert find(tmp_path) == "3.29.2"
    assert runs(tmp_path) == 2
    # A new file moved into its place, as package managers install, even with the old one's
    # size and modification time: a new inode.
    before = cmake.stat()
    replacement = fake_cmake(tmp_path / "new", "3.30.0", tmp_path / "runs.log")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert replacement.stat().st_size == before.st_size
    os.replace(replacement, cmake)
    assert find(tmp_path) == "3.30.0"
    assert runs(tmp_path) == 3
    # What the cache keeps describes only the program there now.
    versions = user_record("tools.json").load(lambda data: dict(data["versions"]))
    assert versions is not None
    assert list(versions.values()) == ["3.30.0"]


def test_a_link_to_a_program_asks_nothing_again(cmake: Path, tmp_path: Path) -> None:
    # Builds keep hard links to tools that live in Python environments: that is no new program.
    assert find(tmp_path) == "3.28.1"
    os.link(cmake, tmp_path / "kept-copy")
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1


def test_a_missing_cache_directory_is_made(
    cmake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not" / "yet"))
    assert find(tmp_path) == "3.28.1"
    assert (tmp_path / "not" / "yet" / "ironwheel" / "tools.json").is_file()
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1


@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_cache_costs_only_the_saving(
    cmake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "ro"
    home.mkdir()
    home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    try:
        assert find(tmp_path) == "3.28.1"
        assert find(tmp_path) == "3.28.1"
    finally:
        home.chmod(0o755)
    assert runs(tmp_path) == 2


def test_a_cache_that_is_not_a_directory_costs_only_the_saving(
    cmake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where root may write anyway: the cache's directory is a file.
    (tmp_path / "file").write_text("not a directory\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert find(tmp_path) == "3.28.1"
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 2


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[1, 2]",
        '{"versions": ["a"]}',
        '{"versions": {"KEY": "not a version"}}',
        '{"versions": {"KEY": 3.28}}',
        "",
    ],
    ids=["garbage", "a list", "versions a list", "a bad version", "a number", "empty"],
)
def test_a_damaged_cache_is_asked_past_and_repaired(cmake: Path, tmp_path: Path, content: str) -> None:
    record = Path(os.environ["XDG_CACHE_HOME"]) / "ironwheel" / "tools.json"
    record.parent.mkdir(parents=True)
    key = toolchain.program_key(cmake)
    assert key is not None
    record.write_text(content.replace("KEY", key.replace("\\", "\\\\")))
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1


def test_no_home_at_all_asks_every_time(cmake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    assert find(tmp_path) == "3.28.1"
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 2


def test_a_wrong_version_in_the_cache_is_asked_again_before_the_program_is_refused(
    cmake: Path, tmp_path: Path
) -> None:
    record = Path(os.environ["XDG_CACHE_HOME"]) / "ironwheel" / "tools.json"
    record.parent.mkdir(parents=True)
    key = toolchain.program_key(cmake)
    assert key is not None
    ninja = tmp_path / "bin" / "ninja"
    ninja.write_text("#!/bin/sh\necho 1.11.1\n")
    ninja.chmod(0o755)
    ninja_key = toolchain.program_key(ninja)
    assert ninja_key is not None
    # The same program by its key, with a version it does not have.
    record.write_text(json.dumps({"versions": {key: "3.2", ninja_key: "1.0"}}))
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1
    cache = ToolCache(Record(None))
    found, why = toolchain.find_ninja({"PATH": str(tmp_path / "bin")}, cache.versions)
    assert found is not None, why
    assert str(found.version) == "1.11.1"
    cache.save()
    assert json.loads(record.read_text())["versions"] == {key: "3.28.1", ninja_key: "1.11.1"}
    # Rewritten: asked no more.
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1
