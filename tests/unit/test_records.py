"""Records in the build directory: tolerant reads, atomic writes, one owner of the layout."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from ironwheel import _layout, _requires
from ironwheel._fs import clean_stale
from ironwheel._records import Record, file_stat, is_racy, signature
from ironwheel.cmake.builddir import BuildDir


def pair(data: Any) -> tuple[int, int]:
    return int(data["a"]), int(data["b"])


@pytest.mark.parametrize(
    "text",
    ["", "{", "null", "[1, 2]", '{"a": 1}', '{"a": "x", "b": 2}', "\udcff".encode("utf-8", "surrogatepass")],
)
def test_a_damaged_or_foreign_record_is_unknown(tmp_path: Path, text: str | bytes) -> None:
    path = tmp_path / "r.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    assert Record(path).load(pair) is None
    assert Record(path).recall("key", pair) is None


def test_a_missing_record_is_unknown(tmp_path: Path) -> None:
    assert Record(tmp_path / "none.json").load(pair) is None
    assert Record(None).load(pair) is None


def test_a_kept_value_comes_back_for_the_same_key_only(tmp_path: Path) -> None:
    record = Record(tmp_path / "r.json")
    # A key with tuples reads back from JSON as lists: it still matches.
    key = ("pyproject.toml", (123, 4))
    assert record.keep(key, {"a": 1, "b": 2})
    assert record.recall(key, pair) == (1, 2)
    assert record.recall(("pyproject.toml", (124, 4)), pair) is None
    assert json.loads((tmp_path / "r.json").read_text())["key"] == ["pyproject.toml", [123, 4]]


def test_writes_are_atomic_and_leave_nothing_behind(tmp_path: Path) -> None:
    record = Record(tmp_path / "r.json")
    assert record.save({"a": 1, "b": 2})
    assert record.save({"a": 3, "b": 4})
    assert record.load(pair) == (3, 4)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r.json"]


def test_a_record_is_never_written_into_a_directory_that_is_missing(tmp_path: Path) -> None:
    record = Record(tmp_path / "gone" / "r.json")
    assert not record.save({"a": 1, "b": 2})
    assert not (tmp_path / "gone").exists()
    assert not Record(None).save({"a": 1})


def test_what_a_killed_writer_left_is_cleaned_by_the_next_build(tmp_path: Path) -> None:
    # The temporary file of a writer that died carries its (gone) process id.
    gone = 2**22 + 7
    while True:
        try:
            os.kill(gone, 0)
        except ProcessLookupError:
            break
        except PermissionError:
            pass
        gone += 1
    (tmp_path / f".r.json.{gone}-record.tmp").write_text("{")
    assert clean_stale(tmp_path) == [f".r.json.{gone}-record.tmp"]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_link_planted_at_the_temporary_name_is_not_written_through(tmp_path: Path) -> None:
    # The temporary file's name is predictable (it carries the pid): a link put there must not
    # carry the record's text to the file it points at.
    outside = tmp_path / "outside"
    outside.write_text("keep me\n")
    records = tmp_path / "records"
    records.mkdir()
    (records / f".r.json.{os.getpid()}-record.tmp").symlink_to(outside)
    record = Record(records / "r.json")
    assert record.save({"a": 1, "b": 2})
    assert record.load(pair) == (1, 2)
    assert outside.read_text() == "keep me\n"
    assert sorted(path.name for path in records.iterdir()) == ["r.json"]


def test_stats_read_back_from_json_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("x")
    stat = file_stat(path)
    assert stat == json.loads(json.dumps(stat))
    assert stat is not None
    assert stat[1] == 1
    assert file_stat(tmp_path / "none") is None


def test_the_build_dir_names_every_record(tmp_path: Path) -> None:
    build_dir = BuildDir(tmp_path / "build")
    state = tmp_path / "build" / ".ironwheel"
    assert build_dir.state_dir == state
    assert build_dir.record("tools").path == str(state / "tools.json")
    assert build_dir.record("metadata").path == str(state / "metadata.json")
    assert build_dir.relink_marker == state / "needs-patchelf"
    assert build_dir.editable_watch == state / "editable" / "watch.txt"
    assert build_dir.lock_file == state / "lock"
    # The answer of get_requires_for_build_wheel is kept beside them, by the same names.
    assert os.path.join(_layout.STATE_DIR, _layout.REQUIRES) == _requires._RECORD
    # A temporary build dir keeps nothing for the next build.
    assert BuildDir(tmp_path / "tmp", temporary=True).record("tools").path is None
    assert not state.exists()  # naming paths makes no directory


def test_a_signature_tells_a_file_rewritten_in_place_with_its_old_times(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"one")
    before = signature(path)
    info = path.stat()
    time.sleep(0.01)
    path.write_bytes(b"two")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = signature(path)
    assert before is not None
    assert after is not None
    assert after[:5] == before[:5]  # type, device, inode, size and modification time alike
    assert after != before


def test_a_signature_follows_a_link_to_its_target(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a")
    (tmp_path / "b").write_text("b")
    (tmp_path / "link").symlink_to("a")
    first = signature(tmp_path / "link")
    (tmp_path / "link").unlink()
    (tmp_path / "link").symlink_to("b")
    assert signature(tmp_path / "link") != first
    (tmp_path / "b").unlink()
    broken = signature(tmp_path / "link")
    assert broken is not None
    assert broken[-1] == -1
    assert signature(tmp_path / "missing") is None


def test_a_signature_taken_just_after_a_change_proves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("new")
    found = signature(path)
    assert found is not None
    assert is_racy(found, time.time_ns())
    time.sleep(0.15)
    assert not is_racy(found, time.time_ns())
    # A file system that keeps whole seconds (or two): a longer moment.
    second = 1_000_000_000
    now = 1_700_000_000 * second
    coarse = [0o100644, 1, 2, 3, now - second, now - second]
    assert is_racy(coarse, now)
    assert not is_racy([*coarse[:4], now - 3 * second, now - 3 * second], now)
