"""The wheel writer: exact contents, RECORD, determinism, atomic output."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import stat
import zipfile
from pathlib import Path

import pytest

from ironwheel.archive.wheel import render_wheel_file, write_wheel
from ironwheel.errors import PackagingError

DIST_INFO = "demo-1.0.dist-info"


def _entries(tmp_path: Path) -> dict[str, Path | bytes]:
    module = tmp_path / "mod.py"
    module.write_text("x = 1\n")
    tool = tmp_path / "tool"
    tool.write_text("#!python\nprint('hi')\n")
    tool.chmod(0o700)
    return {
        "demo/__init__.py": module,
        "demo-1.0.data/scripts/tool": tool,
        f"{DIST_INFO}/WHEEL": render_wheel_file(["cp311-cp311-linux_x86_64"], purelib=False),
        f"{DIST_INFO}/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
        "demo/_core.so": b"\x7fELF",
    }


def test_layout_record_and_modes(tmp_path: Path) -> None:
    target = write_wheel(tmp_path / "demo.whl", _entries(tmp_path), dist_info=DIST_INFO, epoch=315532800)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert names == [
            "demo-1.0.data/scripts/tool",
            "demo/__init__.py",
            "demo/_core.so",
            f"{DIST_INFO}/METADATA",
            f"{DIST_INFO}/WHEEL",
            f"{DIST_INFO}/RECORD",
        ]
        infos = {info.filename: info for info in archive.infolist()}
        assert {info.date_time for info in infos.values()} == {(1980, 1, 1, 0, 0, 0)}
        assert stat.S_IMODE(infos["demo-1.0.data/scripts/tool"].external_attr >> 16) == 0o755
        assert stat.S_IMODE(infos["demo/__init__.py"].external_attr >> 16) == 0o644
        record = list(csv.reader(io.StringIO(archive.read(f"{DIST_INFO}/RECORD").decode())))
        assert record[-1] == [f"{DIST_INFO}/RECORD", "", ""]
        assert [row[0] for row in record[:-1]] == names[:-1]
        for name, digest, size in record[:-1]:
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (f"sha256={expected}", len(data))


def test_same_input_same_bytes_whatever_the_file_times(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    first = write_wheel(tmp_path / "a.whl", entries, dist_info=DIST_INFO, epoch=1700000000).read_bytes()
    (tmp_path / "mod.py").touch()
    second = write_wheel(tmp_path / "b.whl", entries, dist_info=DIST_INFO, epoch=1700000000).read_bytes()
    assert first == second
    other_epoch = write_wheel(tmp_path / "c.whl", entries, dist_info=DIST_INFO, epoch=1800000000).read_bytes()
    assert other_epoch != first


def test_failure_leaves_no_file(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    entries["demo/missing.py"] = tmp_path / "does-not-exist.py"
    with pytest.raises(FileNotFoundError):
        write_wheel(tmp_path / "out" / "demo.whl", entries, dist_info=DIST_INFO, epoch=315532800)
    assert list((tmp_path / "out").iterdir()) == []


def test_previous_wheel_survives_a_failed_rewrite(tmp_path: Path) -> None:
    target = write_wheel(tmp_path / "demo.whl", _entries(tmp_path), dist_info=DIST_INFO, epoch=315532800)
    before = target.read_bytes()
    with pytest.raises(PackagingError):
        write_wheel(target, {"../escape.py": b""}, dist_info=DIST_INFO, epoch=315532800)
    assert target.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["demo.whl", "mod.py", "tool"]


@pytest.mark.parametrize("name", ["/abs.py", "a/../b.py", "a\\\\b.py", "a//b.py"])
def test_rejects_paths_that_escape_the_wheel(tmp_path: Path, name: str) -> None:
    with pytest.raises(PackagingError, match="is not a valid path inside a wheel"):
        write_wheel(tmp_path / "x.whl", {name: b""}, dist_info=DIST_INFO, epoch=315532800)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["pkg/A.py", "pkg/a.py"], '"pkg/a.py" and "pkg/A.py" differ only in case'),
        (
            ["pkg/data", "pkg/data/x.txt"],
            '"pkg/data/x.txt" would be installed inside "pkg/data", which is a file',
        ),
        (["pkg/x\n.py"], '"pkg/x\n.py" is not a valid path inside a wheel: it holds a control character'),
        (["C:/x.py"], '"C:/x.py" is not a valid path inside a wheel: it starts with a drive letter'),
    ],
)
def test_rejects_paths_that_collide_once_installed(tmp_path: Path, names: list[str], message: str) -> None:
    with pytest.raises(PackagingError) as caught:
        write_wheel(tmp_path / "x.whl", dict.fromkeys(names, b""), dist_info=DIST_INFO, epoch=315532800)
    assert caught.value.message == message
    assert not (tmp_path / "x.whl").exists()


def test_wheel_file_expands_compressed_tags() -> None:
    text = render_wheel_file(["py2.py3-none-any"], purelib=True).decode()
    assert text.splitlines()[2:] == ["Root-Is-Purelib: true", "Tag: py2-none-any", "Tag: py3-none-any"]


def test_output_has_the_usual_permissions(tmp_path: Path) -> None:
    import os

    umask = os.umask(0o022)
    os.umask(umask)
    target = write_wheel(tmp_path / "demo.whl", _entries(tmp_path), dist_info=DIST_INFO, epoch=315532800)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
