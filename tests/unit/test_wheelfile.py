"""The safe wheel reader: each hostile wheel and the exact error it gets."""

from __future__ import annotations

import base64
import hashlib
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ironwheel.archive.wheel import write_wheel
from ironwheel.archive.wheelfile import Limits, open_wheel
from ironwheel.errors import PackagingError

pytestmark = pytest.mark.unchecked_archives

DIST = "demo-1.0.dist-info"
HINT = "rebuild the wheel with a standards-compliant build backend; such a wheel is refused, not unpacked"


def digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def record(members: dict[str, bytes], extra: str = "") -> bytes:
    rows = [f"{name},{digest(data)},{len(data)}" for name, data in members.items()]
    return ("\n".join([*rows, f"{DIST}/RECORD,,", ""]) + extra).encode()


def raw_wheel(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """Write members as given: duplicates, odd names and all."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in members:
                archive.writestr(info, data)
    return path


def good_members(**extra: bytes) -> dict[str, bytes]:
    return {"demo/__init__.py": b"x = 1\n", **extra, f"{DIST}/METADATA": b"Name: demo\nVersion: 1.0\n"}


def with_record(members: dict[str, bytes]) -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    return [*members.items(), (f"{DIST}/RECORD", record(members))]


def symlink_member() -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    info = zipfile.ZipInfo("demo/passwd")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return [*with_record(good_members()), (info, b"/etc/passwd")]


def bzip2_member() -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    info = zipfile.ZipInfo("demo/data.bin")
    info.compress_type = zipfile.ZIP_BZIP2
    return [(info, b"x"), *with_record(good_members())]


def patch_size(path: Path, name: str, size: int) -> None:
    """Make the central directory lie about a member's uncompressed size."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    start = 0
    while True:
        start = data.index(b"PK\x01\x02", start)
        length = struct.unpack("<H", data[start + 28 : start + 30])[0]
        if data[start + 46 : start + 46 + length] == encoded:
            data[start + 24 : start + 28] = struct.pack("<I", size)
            break
        start += 4
    path.write_bytes(bytes(data))


INIT_HASH = digest(b"x = 1\n")[len("sha256=") :]

CASES: list[tuple[str, Callable[[], list[tuple[zipfile.ZipInfo | str, bytes]]], str]] = [
    (
        "absolute",
        lambda: [("/etc/cron.d/x", b""), *with_record(good_members())],
        'member "/etc/cron.d/x" is an absolute path',
    ),
    (
        "dotdot",
        lambda: [("demo/../../x.py", b""), *with_record(good_members())],
        'member "demo/../../x.py" climbs out of the wheel with ".."',
    ),
    (
        "backslash",
        lambda: [("demo\\..\\x.py", b""), *with_record(good_members())],
        'member "demo\\..\\x.py" holds a backslash',
    ),
    (
        "drive",
        lambda: [("C:/x.py", b""), *with_record(good_members())],
        'member "C:/x.py" starts with a drive letter',
    ),
    (
        "empty part",
        lambda: [("demo//x.py", b""), *with_record(good_members())],
        'member "demo//x.py" has an empty or "." path component',
    ),
    (
        "dot part",
        lambda: [("demo/./x.py", b""), *with_record(good_members())],
        'member "demo/./x.py" has an empty or "." path component',
    ),
    (
        "control character",
        lambda: [("demo/x\n.py", b""), *with_record(good_members())],
        'member "demo/x\n.py" holds a control character',
    ),
    (
        "duplicate",
        lambda: [*with_record(good_members()), ("demo/__init__.py", b"evil")],
        'member "demo/__init__.py" appears twice',
    ),
    (
        "case",
        lambda: [*with_record(good_members()), ("Demo/__init__.py", b"")],
        'member "Demo/__init__.py" differs from "demo/__init__.py" only in case',
    ),
    (
        "file and directory",
        lambda: [*with_record(good_members()), ("demo/__init__.py/x", b"")],
        'member "demo/__init__.py/x" lies inside the file "demo/__init__.py"',
    ),
    ("symlink", symlink_member, 'member "demo/passwd" is a symbolic link'),
    ("compression", bzip2_member, 'member "demo/data.bin" uses compression method 12, not deflate'),
    ("no dist-info", lambda: [("demo.py", b"")], "it has 0 .dist-info directories instead of one"),
    (
        "two dist-infos",
        lambda: [*with_record(good_members()), ("other-1.dist-info/METADATA", b"")],
        "it has 2 .dist-info directories instead of one",
    ),
    ("no RECORD", lambda: list(good_members().items()), f"{DIST}/RECORD is missing"),
    (
        "unlisted",
        lambda: [*with_record(good_members()), ("demo/extra.py", b"")],
        f'member "demo/extra.py" is not listed in {DIST}/RECORD',
    ),
    (
        "listed, absent",
        lambda: [*good_members().items(), (f"{DIST}/RECORD", record(good_members(**{"demo/gone.py": b""})))],
        f'{DIST}/RECORD lists "demo/gone.py", which is not in the wheel',
    ),
    (
        "listed twice",
        lambda: [*good_members().items(), (f"{DIST}/RECORD", record(good_members(), "demo/__init__.py,,\n"))],
        f'{DIST}/RECORD lists "demo/__init__.py" twice',
    ),
    (
        "malformed",
        lambda: [*good_members().items(), (f"{DIST}/RECORD", record(good_members(), "a,b\n"))],
        f"{DIST}/RECORD line 4 has 2 fields instead of 3",
    ),
    (
        "weak hash",
        lambda: [
            *good_members().items(),
            (f"{DIST}/RECORD", record(good_members()).replace(b"sha256=", b"md5=", 1)),
        ],
        f'{DIST}/RECORD gives "demo/__init__.py" the hash "md5={INIT_HASH}", not sha256 or stronger',
    ),
    (
        "not utf-8",
        lambda: [*good_members().items(), (f"{DIST}/RECORD", b"\xff\xfe")],
        f"{DIST}/RECORD is not UTF-8",
    ),
    (
        "wrong hash",
        lambda: [
            *good_members().items(),
            (f"{DIST}/RECORD", record(good_members(**{"demo/__init__.py": b"x = 2\n"}))),
        ],
        'member "demo/__init__.py" does not match its hash in RECORD',
    ),
    (
        "wrong size",
        lambda: [
            *good_members().items(),
            (f"{DIST}/RECORD", record(good_members()).replace(b",6\n", b",7\n", 1)),
        ],
        'member "demo/__init__.py" is 6 bytes, but RECORD says 7',
    ),
    ("not a zip", lambda: [], "not a valid zip archive (File is not a zip file)"),
]


@pytest.mark.parametrize(("name", "members", "message"), CASES, ids=[case[0] for case in CASES])
def test_hostile_wheels_are_refused(
    tmp_path: Path, name: str, members: Callable[[], list[tuple[zipfile.ZipInfo | str, bytes]]], message: str
) -> None:
    del name
    path = tmp_path / "demo-1.0-py3-none-any.whl"
    content = members()
    if content:
        raw_wheel(path, content)
    else:
        path.write_bytes(b"PK nothing")
    with pytest.raises(PackagingError) as caught, open_wheel(path) as wheel:
        wheel.extract(tmp_path / "out")
    assert (caught.value.message, caught.value.hint) == (f"{path.name}: {message}", HINT)
    assert not (tmp_path / "etc").exists()
    assert not (tmp_path / "x.py").exists()


def test_a_header_that_understates_the_size(tmp_path: Path) -> None:
    members = good_members(**{"demo/data.bin": b"a" * 4000})
    path = raw_wheel(tmp_path / "demo-1.0-py3-none-any.whl", with_record(members))
    patch_size(path, "demo/data.bin", 100)
    with pytest.raises(PackagingError) as caught, open_wheel(path) as wheel:
        wheel.extract(tmp_path / "out")
    assert caught.value.message == (
        f"{path.name}: member \"demo/data.bin\" is damaged (Bad CRC-32 for file 'demo/data.bin')"
    )


def test_a_header_that_overstates_the_size(tmp_path: Path) -> None:
    members = good_members(**{"demo/data.bin": b"a" * 4000})
    path = raw_wheel(tmp_path / "demo-1.0-py3-none-any.whl", with_record(members))
    patch_size(path, "demo/data.bin", 5000)
    with pytest.raises(PackagingError) as caught, open_wheel(path) as wheel:
        wheel.verify()
    assert caught.value.message == f'{path.name}: member "demo/data.bin" holds less than its header says'


def test_a_declared_size_no_deflate_stream_can_reach(tmp_path: Path) -> None:
    members = good_members(**{"demo/data.bin": b"a" * 4000})
    path = raw_wheel(tmp_path / "demo-1.0-py3-none-any.whl", with_record(members))
    patch_size(path, "demo/data.bin", 4_000_000_000)
    with pytest.raises(PackagingError) as caught:
        open_wheel(path)
    assert caught.value.message.startswith(
        f'{path.name}: member "demo/data.bin" would unpack to 4000000000 bytes from '
    )


def test_size_limits(tmp_path: Path) -> None:
    members = good_members(**{"demo/zeros.bin": bytes(3 << 20)})
    path = raw_wheel(tmp_path / "demo-1.0-py3-none-any.whl", with_record(members))
    with open_wheel(path) as wheel:  # zeros compress about 1000:1, as deflate allows
        wheel.verify()
    with pytest.raises(PackagingError) as caught:
        open_wheel(path, Limits(ratio=100))
    assert "would unpack to 3145728 bytes from" in caught.value.message
    with pytest.raises(PackagingError) as caught:
        open_wheel(path, Limits(total_size=1 << 20))
    assert caught.value.message == f"{path.name}: it would unpack to more than 1048576 bytes"
    with pytest.raises(PackagingError) as caught:
        open_wheel(path, Limits(members=2))
    assert caught.value.message == f"{path.name}: it has 4 members, more than the limit of 2"


def test_a_good_wheel_round_trips(tmp_path: Path) -> None:
    script = tmp_path / "tool"
    script.write_bytes(b"#!/bin/sh\n")
    script.chmod(0o755)
    path = write_wheel(
        tmp_path / "demo-1.0-py3-none-any.whl",
        {**good_members(), "demo-1.0.data/scripts/tool": script},
        dist_info=DIST,
        epoch=315532800,
    )
    with open_wheel(path) as wheel:
        assert wheel.dist_info == DIST
        assert wheel.read(f"{DIST}/METADATA") == b"Name: demo\nVersion: 1.0\n"
        extracted = wheel.extract(tmp_path / "out")
    assert sorted(extracted) == ["demo-1.0.data/scripts/tool", f"{DIST}/METADATA", "demo/__init__.py"]
    assert extracted["demo-1.0.data/scripts/tool"].stat().st_mode & 0o777 == 0o755
    assert extracted["demo/__init__.py"].stat().st_mode & 0o777 == 0o644
