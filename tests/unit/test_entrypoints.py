"""CMake directories registered through entry points, and the record that saves rescanning them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ironwheel._records import Record
from ironwheel._usercache import Memo
from ironwheel.cmake.entrypoints import CMakeEntryPoints, cmake_entry_points


def distribution(site: Path, name: str, entry_points: str) -> None:
    (site / name / "share").mkdir(parents=True)
    (site / name / "__init__.py").write_text("")
    (site / name / "share" / "__init__.py").write_text("")
    dist_info = site / f"{name}-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(entry_points)


def test_the_answer_is_kept_until_a_distribution_comes_or_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    site.mkdir()
    distribution(site, "iw_first", "[cmake.prefix]\nfirst = iw_first.share\n")
    monkeypatch.syspath_prepend(str(site))
    path = tmp_path / "entry-points.json"
    cache = Record(path)
    first = cmake_entry_points(cache)
    assert first == CMakeEntryPoints(prefix=(site / "iw_first" / "share",))
    assert path.is_file()

    # Nothing installed or removed (the directory's time is unchanged): the record answers.
    entry_points = site / "iw_first-1.0.dist-info" / "entry_points.txt"
    stamp = site.stat().st_mtime_ns
    entry_points.write_text("[cmake.module]\nfirst = iw_first.share\n")
    os.utime(site, ns=(stamp, stamp))
    assert cmake_entry_points(cache) == first
    # So does the user cache, for a build dir that has no record yet.
    assert cmake_entry_points(Record(tmp_path / "new-build-dir.json")) == first
    assert (tmp_path / "new-build-dir.json").is_file()
    # Kept nowhere: read.
    fresh = Memo("nothing-kept.json")
    assert cmake_entry_points(memo=fresh) == CMakeEntryPoints(module=(site / "iw_first" / "share",))

    # A new distribution changes the directory: everything is read again.
    distribution(site, "iw_second", "[cmake.root]\nSecond = iw_second\n")
    assert cmake_entry_points(cache) == CMakeEntryPoints(
        module=(site / "iw_first" / "share",), root=(("Second", site / "iw_second"),)
    )


@pytest.mark.parametrize(
    "text",
    ["", "{", "[]", '{"key": 1}', '{"key": [], "value": {"module": 3}}', '{"module": [], "prefix": []}'],
)
def test_a_damaged_or_foreign_record_is_read_again(tmp_path: Path, text: str) -> None:
    path = tmp_path / "entry-points.json"
    path.write_text(text)
    assert cmake_entry_points(Record(path)) == cmake_entry_points(memo=Memo("nothing-kept.json"))
    assert Record(path).load(dict) is not None  # rewritten, whole
