"""The cross-checks every built archive gets: they must be able to fail."""

from __future__ import annotations

import io
import tarfile
import warnings
import zipfile
from pathlib import Path

import pytest
from installer.exceptions import InstallerError

import tests.conftest
from ironwheel.archive.wheel import write_wheel
from tests.archive_checks import check_archive

pytestmark = pytest.mark.unchecked_archives

METADATA = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"


def wheel(tmp_path: Path, metadata: bytes = METADATA) -> Path:
    return write_wheel(
        tmp_path / "demo-1.0-py3-none-any.whl",
        {"demo.py": b"x = 1\n", "demo-1.0.dist-info/METADATA": metadata},
        dist_info="demo-1.0.dist-info",
        epoch=315532800,
    )


def sdist(tmp_path: Path, pkg_info: bytes) -> Path:
    path = tmp_path / "demo-1.0.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in (("demo-1.0/PKG-INFO", pkg_info), ("demo-1.0/pyproject.toml", b"")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_good_archives_pass(tmp_path: Path) -> None:
    check_archive(wheel(tmp_path))
    check_archive(sdist(tmp_path, METADATA))


def test_invalid_metadata_fails(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="invalid core metadata"):
        check_archive(wheel(tmp_path, b"Metadata-Version: 2.1\nName: demo\nVersion: one\n"))
    with pytest.raises(AssertionError, match="invalid core metadata"):
        check_archive(sdist(tmp_path, b"Name: demo\n"))


def test_a_tampered_member_fails(tmp_path: Path) -> None:
    path = wheel(tmp_path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["demo.py"] = b"x = 2\n"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with pytest.raises(InstallerError, match=r"demo\.py"):
        check_archive(path)


def test_duplicate_members_fail(tmp_path: Path) -> None:
    path = wheel(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("demo.py", b"x = 1\n")
    with pytest.raises(AssertionError, match=r"duplicate members \['demo.py'\]"):
        check_archive(path)


def test_twine_checks_a_description(tmp_path: Path) -> None:
    broken_rst = (
        METADATA + b"Description-Content-Type: text/x-rst\n\n=====\nTitle\n==\n\n.. unknown-directive::\n"
    )
    with pytest.raises(AssertionError, match="twine check --strict fails"):
        check_archive(wheel(tmp_path, broken_rst))
    check_archive(wheel(tmp_path, METADATA + b"Description-Content-Type: text/markdown\n\n# Demo\n"))


def test_every_writer_of_ironwheel_is_checked() -> None:
    sites = {
        (getattr(module, "__name__", ""), attribute)
        for module, attribute, _ in tests.conftest._writer_sites()
    }
    assert {
        ("ironwheel.builds.wheel", "write_wheel"),
        ("ironwheel.editable.wheel", "write_wheel"),
        ("ironwheel.repair.standalone", "write_wheel"),
        ("ironwheel.repair.skeleton", "write_wheel"),
        ("ironwheel.builds.sdist", "build_sdist"),
    } <= sites
