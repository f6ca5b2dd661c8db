"""The comparison of the old build's wheel with ironwheel's, as migrate --check prints it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ironwheel.errors import PackagingError
from ironwheel.migrate import check
from ironwheel.migrate.plan import Migration
from ironwheel.migrate.report import Report


def wheel(path: Path, names: list[str], metadata: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "")
        archive.writestr("pkg-1.0.dist-info/METADATA", metadata)
    return path


OLD_METADATA = "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\nRequires-Dist: numpy >=1.0\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Topic :: Utilities\n"
NEW_METADATA = "Metadata-Version: 2.4\nName: pkg\nVersion: 1.0\nRequires-Dist: numpy>=1.0\nLicense-Expression: MIT\nClassifier: Topic :: Utilities\n"


def test_compare(tmp_path: Path) -> None:
    old = wheel(
        tmp_path / "pkg-1.0-cp311-cp311-linux_x86_64.whl",
        [
            "pkg/__init__.py",
            "pkg/_a.cpython-311-x86_64-linux-gnu.so",
            "pkg/_b.cpython-311-x86_64-linux-gnu.so",
            "pkg/data.json",
        ],
        OLD_METADATA,
    )
    new = wheel(
        tmp_path / "pkg-1.0-cp39-abi3-linux_x86_64.whl",
        ["pkg/__init__.py", "pkg/_a.abi3.so", "pkg/notes.txt"],
        NEW_METADATA,
    )
    assert check.wheel_modules(old) == {"pkg", "pkg._a", "pkg._b"}
    problems, notes = check.compare_wheels(old, new)
    assert problems == ["modules missing from the ironwheel wheel: pkg._b"]
    assert notes == [
        "files only in the old wheel: pkg/data.json",
        "files only in the ironwheel wheel: pkg/notes.txt",
        "tags differ: cp311-cp311-linux_x86_64 (old), cp39-abi3-linux_x86_64 (ironwheel)",
    ]


def test_missing_modules_fail_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old = wheel(tmp_path / "pkg-1.0-py3-none-any.whl", ["pkg/__init__.py", "pkg/extra.py"], OLD_METADATA)
    new = wheel(tmp_path / "pkg-1.0-py3-none-any.whl.new", ["pkg/__init__.py"], OLD_METADATA)
    (tmp_path / "project").mkdir()
    built = iter([old, new])
    monkeypatch.setattr(check, "_build", lambda project, outdir: next(built))

    def fake_sdist(command: list[str]) -> None:
        outdir = Path(command[-2])
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / "pkg-1.0.tar.gz").write_text("")

    monkeypatch.setattr(check, "run", fake_sdist)
    migration = Migration(tmp_path / "project", "", "[project]\n", Report(), [])
    with pytest.raises(PackagingError) as raised:
        check.check_migration(migration)
    assert raised.value.message == "modules missing from the ironwheel wheel: pkg.extra"
    assert capsys.readouterr().out.startswith("check: old wheel pkg-1.0-py3-none-any.whl")
