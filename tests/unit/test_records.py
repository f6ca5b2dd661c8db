"""Records in the build directory: tolerant reads, atomic writes, one owner of the layout."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from ironwheel import _layout, _requires
from ironwheel._fs import clean_stale
from ironwheel._records import Record, file_stat
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
