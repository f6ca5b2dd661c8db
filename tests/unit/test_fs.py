"""Outputs are only ever finished files in the output directory; killed builds' leftovers go."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ironwheel._fs import atomic_output, clean_stale, write_if_changed


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_output_is_written_elsewhere_and_moved_in_finished(tmp_path: Path) -> None:
    outdir = tmp_path / "dist"
    work = tmp_path / "work"
    with atomic_output(outdir / "demo.whl", work_dir=work) as temporary:
        temporary.write_bytes(b"part")
        assert temporary.parent == work
        assert temporary.name.startswith(f".demo.whl.{os.getpid()}-")
        assert list(outdir.iterdir()) == []  # nothing in the output directory until it is finished
        temporary.write_bytes(b"whole")
    assert [path.name for path in outdir.iterdir()] == ["demo.whl"]
    assert (outdir / "demo.whl").read_bytes() == b"whole"
    assert list(work.iterdir()) == []


def test_without_a_work_dir_a_temporary_directory_is_used(tmp_path: Path) -> None:
    with atomic_output(tmp_path / "demo.tar.gz") as temporary:
        assert tmp_path not in temporary.parents
        temporary.write_bytes(b"x")
    assert [path.name for path in tmp_path.iterdir()] == ["demo.tar.gz"]
    assert not temporary.parent.exists()


def test_across_file_systems_a_hidden_copy_is_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outdir = tmp_path / "dist"
    real_replace = os.replace
    moves: list[tuple[str, str]] = []

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        moves.append((Path(source).parent.name, Path(target).name))
        if Path(source).parent.name == "work":
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with atomic_output(outdir / "demo.whl", work_dir=tmp_path / "work") as temporary:
        temporary.write_bytes(b"whole")
    assert moves[0] == ("work", "demo.whl")
    assert moves[1][0] == "dist"
    assert moves[1][1] == "demo.whl"
    assert [path.name for path in outdir.iterdir()] == ["demo.whl"]
    assert (outdir / "demo.whl").read_bytes() == b"whole"


def _interrupted_write(target: Path, work: Path) -> None:
    with atomic_output(target, work_dir=work) as temporary:
        temporary.write_bytes(b"part")
        raise KeyboardInterrupt


def test_a_failure_leaves_nothing(tmp_path: Path) -> None:
    outdir = tmp_path / "dist"
    with pytest.raises(KeyboardInterrupt):
        _interrupted_write(outdir / "demo.whl", tmp_path / "work")
    assert list(outdir.iterdir()) == []
    assert list((tmp_path / "work").iterdir()) == []


def test_leftovers_of_killed_builds_are_removed(tmp_path: Path) -> None:
    dead = _dead_pid()
    stale = tmp_path / f".demo.whl.{dead}-abc123_x.tmp"
    live = tmp_path / f".demo.whl.{os.getpid()}-abc123_x.tmp"
    other = tmp_path / ".notes.tmp"
    for path in (stale, live, other):
        path.write_bytes(b"")
    assert clean_stale(tmp_path) == [stale.name]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([live.name, other.name])
    stale.write_bytes(b"")
    with atomic_output(tmp_path / "demo.whl", work_dir=tmp_path / "work") as temporary:
        temporary.write_bytes(b"x")
    assert not stale.exists()
    assert live.exists()


def test_write_if_changed_writes_beside_and_keeps_unchanged_files(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert write_if_changed(path, "{}")
    before = path.stat().st_mtime_ns
    assert not write_if_changed(path, "{}")
    assert path.stat().st_mtime_ns == before
    assert [entry.name for entry in tmp_path.iterdir()] == ["state.json"]
