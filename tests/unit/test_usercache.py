"""The user cache: tool versions learnt once per machine, whatever state the cache is in."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from packaging.specifiers import SpecifierSet

from ironwheel._records import Record
from ironwheel._usercache import Memo, cache_dir, user_record
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


def test_ironwheel_cache_dir_names_the_cache_or_turns_it_off(
    cmake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache_dir({"IRONWHEEL_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x"}) == os.path.abspath("/c")
    assert cache_dir({"IRONWHEEL_CACHE_DIR": "", "XDG_CACHE_HOME": "/x"}) is None
    monkeypatch.setenv("IRONWHEEL_CACHE_DIR", "")
    assert find(tmp_path) == "3.28.1"
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 2


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
    monkeypatch.setenv("IRONWHEEL_CACHE_DIR", str(tmp_path / "not" / "yet"))
    assert find(tmp_path) == "3.28.1"
    assert (tmp_path / "not" / "yet" / "tools.json").is_file()
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1


def _refuse_writes_under(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only directory does to a process that is not root: root writes anyway, so refuse."""
    import builtins
    import errno

    real_open, real_mkdir = builtins.open, os.mkdir

    def inside(path: object) -> bool:
        return isinstance(path, (str, os.PathLike)) and Path(os.fspath(path)).is_relative_to(directory)

    def guarded_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if inside(file) and any(flag in mode for flag in "wax+"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))
        return real_open(file, mode, *args, **kwargs)

    def guarded_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if inside(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "mkdir", guarded_mkdir)


def test_a_read_only_cache_costs_only_the_saving(
    cmake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "ro"
    home.mkdir()
    home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.name == "posix" and os.geteuid() == 0:
        _refuse_writes_under(home, monkeypatch)
    monkeypatch.setenv("IRONWHEEL_CACHE_DIR", str(home))
    try:
        assert find(tmp_path) == "3.28.1"
        assert find(tmp_path) == "3.28.1"
    finally:
        home.chmod(0o755)
    assert list(home.iterdir()) == []
    assert runs(tmp_path) == 2


def test_a_cache_that_is_not_a_directory_costs_only_the_saving(
    cmake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where root may write anyway: the cache's directory is a file.
    (tmp_path / "file").write_text("not a directory\n")
    monkeypatch.setenv("IRONWHEEL_CACHE_DIR", str(tmp_path / "file"))
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
    record = Path(os.environ["IRONWHEEL_CACHE_DIR"]) / "tools.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    key = toolchain.program_key(cmake)
    assert key is not None
    record.write_text(content.replace("KEY", key.replace("\\", "\\\\")))
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 1


def test_no_home_at_all_asks_every_time(cmake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("IRONWHEEL_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    assert find(tmp_path) == "3.28.1"
    assert find(tmp_path) == "3.28.1"
    assert runs(tmp_path) == 2


def test_a_memo_keeps_the_newest_answers_and_survives_damage() -> None:
    memo = Memo("memo.json", size=2)
    memo.keep(["env", 1], {"a": 1})
    memo.keep(["env", 2], {"a": 2})
    assert memo.recall(["env", 1], dict) == {"a": 1}
    memo.keep(["env", 3], {"a": 3})  # the oldest goes
    assert memo.recall(["env", 1], dict) is None
    assert memo.recall(("env", 2), dict) == {"a": 2}  # keys compare as they read back from JSON
    assert memo.recall(["env", 3], lambda value: value["missing"]) is None  # a foreign value
    path = Path(os.environ["IRONWHEEL_CACHE_DIR"]) / "memo.json"
    for damaged in ("{", '{"a": 1}', "[[1]]", '[["only a key"]]'):
        path.write_text(damaged)
        assert memo.recall(["env", 3], dict) is None
        memo.keep(["env", 3], {"a": 3})
        assert memo.recall(["env", 3], dict) == {"a": 3}


def test_a_wrong_version_in_the_cache_is_asked_again_before_the_program_is_refused(
    cmake: Path, tmp_path: Path
) -> None:
    record = Path(os.environ["IRONWHEEL_CACHE_DIR"]) / "tools.json"
    record.parent.mkdir(parents=True, exist_ok=True)
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
