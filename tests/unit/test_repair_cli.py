"""``ironwheel repair`` on bad input: one error, a hint, exit code 5, nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ironwheel.cli import main


@pytest.mark.parametrize(
    ("name", "make", "lines"),
    [
        (
            "missing-1.0-py3-none-any.whl",
            None,
            ["error: {path}: no such file", "hint: pass the path of a .whl file"],
        ),
        (
            "notes.txt",
            b"text",
            ["error: {path} is not a wheel (a .whl file)", "hint: pass the path of a .whl file"],
        ),
        (
            "garbage-1.0-py3-none-any.whl",
            b"not a zip",
            [
                "error: garbage-1.0-py3-none-any.whl: not a valid zip archive (File is not a zip file)",
                "hint: rebuild the wheel with a standards-compliant build backend; such a wheel is refused, not unpacked",
            ],
        ),
        (
            "bare-1.0-py3-none-any.whl",
            {"bare.py": b""},
            [
                "error: bare-1.0-py3-none-any.whl: it has 0 .dist-info directories instead of one",
                "hint: rebuild the wheel with a standards-compliant build backend; such a wheel is refused, not unpacked",
            ],
        ),
        (
            "escape-1.0-py3-none-any.whl",
            {"../escape.py": b"", "escape-1.0.dist-info/METADATA": b""},
            [
                'error: escape-1.0-py3-none-any.whl: member "../escape.py" climbs out of the wheel with ".."',
                "hint: rebuild the wheel with a standards-compliant build backend; such a wheel is refused, not unpacked",
            ],
        ),
    ],
)
def test_bad_wheels(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    make: bytes | dict[str, bytes] | None,
    lines: list[str],
) -> None:
    path = tmp_path / name
    if isinstance(make, bytes):
        path.write_bytes(make)
    elif make is not None:
        with zipfile.ZipFile(path, "w") as archive:
            for member, data in make.items():
                archive.writestr(member, data)
    out = tmp_path / "out"
    assert main(["repair", str(path), "-w", str(out), "--project", str(tmp_path)]) == 5
    assert capsys.readouterr().err.splitlines() == [line.format(path=path) for line in lines]
    assert not out.exists() or not list(out.iterdir())


def test_a_pure_wheel_is_written_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ironwheel.archive.wheel import write_wheel

    wheel = write_wheel(
        tmp_path / "in" / "pure-1.0-py3-none-any.whl",
        {
            "pure.py": b"x = 1\n",
            "pure-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: pure\nVersion: 1.0\n",
        },
        dist_info="pure-1.0.dist-info",
        epoch=315532800,
    )
    assert main(["repair", str(wheel), "-w", str(tmp_path / "out"), "--project", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "out" / wheel.name)
    assert (tmp_path / "out" / wheel.name).read_bytes() == wheel.read_bytes()
