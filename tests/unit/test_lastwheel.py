"""The last wheel kept in a build dir: which files are read again, and when a wheel is not kept."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ironwheel.archive.wheel import write_wheel
from ironwheel.builds import lastwheel
from ironwheel.builds.lastwheel import LastWheel
from ironwheel.cmake.builddir import BuildDir


@pytest.fixture
def build_dir(tmp_path: Path) -> BuildDir:
    build_dir = BuildDir(tmp_path / "build")
    build_dir.state_dir.mkdir(parents=True)
    return build_dir


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    read: list[Path] = []
    digest = lastwheel._file_digest

    def counting(path: Path) -> str:
        read.append(path)
        return digest(path)

    monkeypatch.setattr(lastwheel, "_file_digest", counting)
    return read


DIST_INFO = {
    "demo-1.dist-info/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1\n",
    "demo-1.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}


def pack(build_dir: BuildDir, files: dict[str, Path | bytes], out: Path) -> bool:
    """One build's packing: True when the kept wheel was handed out."""
    entries = {**files, **DIST_INFO}
    last = LastWheel(build_dir)
    key = last.key(
        entries, frozenset(), dist_info="demo-1.dist-info", epoch=315532800, name="demo-1-py3-none-any.whl"
    )
    if last.take(key, out / "demo-1-py3-none-any.whl"):
        return True
    last.write(
        key,
        out / "demo-1-py3-none-any.whl",
        entries,
        frozenset(),
        dist_info="demo-1.dist-info",
        epoch=315532800,
    )
    return False


def test_a_file_is_read_again_only_when_its_signature_changed(
    build_dir: BuildDir, tmp_path: Path, reads: list[Path]
) -> None:
    source = tmp_path / "mod.py"
    source.write_text("x = 1\n")
    time.sleep(0.15)
    entries: dict[str, Path | bytes] = {"demo/mod.py": source}
    assert not pack(build_dir, entries, tmp_path / "one")
    assert reads == [source]
    assert pack(build_dir, entries, tmp_path / "two")
    assert reads == [source]  # its digest was kept with its signature
    assert (tmp_path / "two" / "demo-1-py3-none-any.whl").read_bytes() == (
        tmp_path / "one" / "demo-1-py3-none-any.whl"
    ).read_bytes()
    source.write_text("x = 2\n")
    assert not pack(build_dir, entries, tmp_path / "three")
    assert reads == [source, source]


def test_a_file_changed_a_moment_ago_is_read_every_time(
    build_dir: BuildDir, tmp_path: Path, reads: list[Path]
) -> None:
    source = tmp_path / "mod.py"
    source.write_text("x = 1\n")
    entries: dict[str, Path | bytes] = {"demo/mod.py": source}
    pack(build_dir, entries, tmp_path / "one")
    # Its times may not show a change made in the same tick: its digest is not taken on trust.
    assert pack(build_dir, entries, tmp_path / "two")
    assert reads == [source, source]


def test_a_wheel_whose_files_changed_while_it_was_written_is_not_kept(
    build_dir: BuildDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "mod.py"
    source.write_text("x = 1\n")
    entries: dict[str, Path | bytes] = {"demo/mod.py": source}

    def changing(target: Path, entries: dict[str, Path | bytes], **options: object) -> Path:
        source.write_text("x = 2\n")  # after the key was taken, before the file is zipped
        return write_wheel(target, entries, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(lastwheel, "write_wheel", changing)
    assert not pack(build_dir, entries, tmp_path / "one")
    monkeypatch.setattr(lastwheel, "write_wheel", write_wheel)
    source.write_text("x = 1\n")
    # The key of the first content again: the wheel holding the second must not come back.
    assert not pack(build_dir, entries, tmp_path / "two")
