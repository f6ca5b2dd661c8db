"""ironwheel inspect on archives made here: tag meanings, exact reports, refusals, the JSON schema."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from packaging.tags import Tag

from ironwheel.archive.wheel import render_wheel_file, write_wheel
from ironwheel.inspect.render import size
from ironwheel.inspect.tags import describe_tag
from tests.unit.test_wheelfile import raw_wheel, with_record

pytestmark = pytest.mark.unchecked_archives

SRC = Path(__file__).resolve().parents[2] / "src"
DIST = "demo-1.0.dist-info"
WHEEL_HINT = (
    "hint: rebuild the wheel with a standards-compliant build backend; such a wheel is refused, not unpacked"
)


def inspect(*arguments: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m ironwheel inspect ...`` as a user runs it."""
    environ = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ironwheel", "inspect", *(str(item) for item in arguments)],
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        check=False,
    )


def schema() -> dict[str, object]:
    text = resources.files("ironwheel.inspect").joinpath("schema.json").read_text(encoding="utf-8")
    loaded: dict[str, object] = json.loads(text)
    return loaded


def make_wheel(directory: Path, tag: str, files: dict[str, bytes], wheel_tags: tuple[str, ...] = ()) -> Path:
    entries: dict[str, bytes | Path] = {
        **files,
        f"{DIST}/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
        f"{DIST}/WHEEL": render_wheel_file(list(wheel_tags or (tag,)), purelib=tag.endswith("any")),
    }
    return write_wheel(directory / f"demo-1.0-{tag}.whl", entries, dist_info=DIST, epoch=315532800)


@pytest.mark.parametrize(
    ("tag", "python", "abi", "platform", "minimums"),
    [
        (
            "py3-none-any",
            "any Python 3",
            "none (no compiled code tied to a Python ABI)",
            "any platform (pure Python)",
            {},
        ),
        (
            "cp39-abi3-manylinux_2_17_x86_64",
            "CPython 3.9",
            "stable ABI (abi3): CPython 3.9 or newer",
            "Linux with glibc 2.17 or newer, x86_64",
            {"abi3_floor": "3.9", "glibc": "2.17", "arch": "x86_64"},
        ),
        (
            "cp313-cp313t-musllinux_1_2_aarch64",
            "CPython 3.13",
            "free-threaded CPython 3.13 only (no GIL)",
            "Linux with musl 1.2 or newer, aarch64",
            {"free_threaded": True, "musl": "1.2", "arch": "aarch64"},
        ),
        (
            "cp312-cp312-macosx_11_0_universal2",
            "CPython 3.12",
            "CPython 3.12 only",
            "macOS 11.0 or newer, arm64 and x86_64",
            {"macos": "11.0", "arch": "universal2"},
        ),
        (
            "cp310-cp310-manylinux2014_x86_64",
            "CPython 3.10",
            "CPython 3.10 only",
            "Linux with glibc 2.17 or newer (manylinux2014), x86_64",
            {"glibc": "2.17", "arch": "x86_64"},
        ),
        ("cp311-cp311-win_amd64", "CPython 3.11", "CPython 3.11 only", "Windows, x64", {"arch": "x64"}),
        (
            "cp311-cp311-linux_x86_64",
            "CPython 3.11",
            "CPython 3.11 only",
            "Linux, x86_64, this build machine's libraries (PyPI refuses the tag)",
            {"arch": "x86_64"},
        ),
        ("pp310-pypy310_pp73-win_amd64", "PyPy 3.10", "pypy310_pp73 only", "Windows, x64", {"arch": "x64"}),
    ],
)
def test_what_a_tag_means(
    tag: str, python: str, abi: str, platform: str, minimums: dict[str, object]
) -> None:
    interpreter, abi_tag, platform_tag = tag.split("-")
    info = describe_tag(Tag(interpreter, abi_tag, platform_tag))
    assert (info.tag, info.python, info.abi, info.platform) == (tag, python, abi, platform)
    assert info.pure == (platform_tag == "any")
    found = {
        key: value
        for key in ("abi3_floor", "free_threaded", "glibc", "musl", "macos", "arch")
        if (value := getattr(info, key))
    }
    assert found == minimums


def test_a_pure_wheel_report(tmp_path: Path) -> None:
    wheel = make_wheel(
        tmp_path, "py3-none-any", {"demo/__init__.py": b"x = 1\n", "demo/data.txt": b"d" * 2000}
    )
    result = inspect(wheel)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"demo-1.0-py3-none-any.whl  ({size(wheel.stat().st_size)}; 5 files, 2.5 kB unpacked)",
        "  demo 1.0, wheel",
        "",
        "Tags",
        "  TAG           PYTHON        ABI                                           PLATFORM",
        "  py3-none-any  any Python 3  none (no compiled code tied to a Python ABI)  any platform (pure Python)",
        "",
        "SBOM (.dist-info/sboms)",
        "  none",
        "",
        "Largest files (of 5, 2.5 kB in all)",
        "  2.0 kB  demo/data.txt",
        "  329 B   demo-1.0.dist-info/RECORD",
        "  86 B    demo-1.0.dist-info/WHEEL",
        "  46 B    demo-1.0.dist-info/METADATA",
        "  6 B     demo/__init__.py",
        "",
        "RECORD",
        "  verified: 4 files, every hash and size matches",
        "",
        "Findings",
        "  none",
        "",
        "0 defects, 0 warnings",
    ]
    document = json.loads(inspect(wheel, "--json").stdout)
    jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)
    assert document["tags"] == [
        {
            "tag": "py3-none-any",
            "python": "any Python 3",
            "abi": "none (no compiled code tied to a Python ABI)",
            "platform": "any platform (pure Python)",
            "pure": True,
            "abi3_floor": None,
            "free_threaded": False,
            "glibc": None,
            "musl": None,
            "macos": None,
            "arch": None,
        }
    ]
    assert document["record"] == {"entries": 4, "verified": True}
    assert document["summary"] == {"defects": 0, "warnings": 0, "notes": 0}
    assert (document["modules"], document["libraries"], document["findings"]) == ([], [], [])


def _some_elf() -> bytes:
    """A real ELF file of this system (libz, which needs only libc): a stand-in binary."""
    maps = Path("/proc/self/maps").read_text().splitlines()
    paths = {line.split()[-1] for line in maps if "/libz.so" in line}
    if not paths:
        import zlib

        assert zlib.compress(b"")  # loads libz where it is a shared library
        paths = {
            line.split()[-1]
            for line in Path("/proc/self/maps").read_text().splitlines()
            if "/libz.so" in line
        }
    if not paths:
        pytest.skip("this Python links zlib statically")
    return Path(sorted(paths)[0]).read_bytes()


@pytest.mark.skipif(sys.platform != "linux", reason="uses an ELF library of this system")
def test_binaries_in_a_pure_wheel_and_a_module_for_another_python(tmp_path: Path) -> None:
    module = "demo/_fast.cpython-310-x86_64-linux-gnu.so"
    wheel = make_wheel(tmp_path, "py3-none-any", {module: _some_elf()})
    result = inspect(wheel, "--json")
    assert result.returncode == 7, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)
    assert [(item["severity"], item["code"], item["message"]) for item in document["findings"]] == [
        (
            "defect",
            "binary-in-pure-wheel",
            "demo-1.0-py3-none-any.whl is tagged for any platform but holds binaries",
        ),
        (
            "defect",
            "module-python-mismatch",
            f"{module} is built for CPython 3.10 but the wheel is tagged py3",
        ),
    ]
    assert document["modules"][0]["built_for"] == "CPython 3.10"
    assert document["modules"][0]["suffix"] == ".cpython-310-x86_64-linux-gnu.so"


def test_a_plain_linux_tag_is_a_warning_and_fails_with_strict(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "py3-none-linux_x86_64", {"demo/__init__.py": b""})
    message = (
        "  warning: linux_x86_64 wheels are refused by PyPI and run only where they were built; "
        "repair them (python -m ironwheel build, or ironwheel repair)"
    )
    plain = inspect(wheel)
    assert plain.returncode == 0
    assert message in plain.stdout.splitlines()
    assert plain.stdout.splitlines()[-1] == "0 defects, 1 warning"
    assert inspect(wheel, "--strict").returncode == 7


def test_tags_the_file_name_and_wheel_file_disagree_on(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "py3-none-any", {"demo/__init__.py": b""}, wheel_tags=("py2-none-any",))
    result = inspect(wheel)
    assert result.returncode == 7
    assert (
        "  defect: the file name has the tags py3-none-any but WHEEL declares py2-none-any"
        in result.stdout.splitlines()
    )


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            lambda: [("demo/../../evil.py", b""), *with_record({"demo/__init__.py": b""})],
            'error: demo-1.0-py3-none-any.whl: member "demo/../../evil.py" climbs out of the wheel with ".."',
        ),
        (
            lambda: [("/etc/passwd", b""), *with_record({"demo/__init__.py": b""})],
            'error: demo-1.0-py3-none-any.whl: member "/etc/passwd" is an absolute path',
        ),
        (
            lambda: [
                ("demo/__init__.py", b"changed"),
                (f"{DIST}/METADATA", b"Name: demo\n"),
                (
                    f"{DIST}/RECORD",
                    with_record({"demo/__init__.py": b"x", f"{DIST}/METADATA": b"Name: demo\n"})[-1][1],
                ),
            ],
            'error: demo-1.0-py3-none-any.whl: member "demo/__init__.py" is 7 bytes, but RECORD says 1',
        ),
    ],
    ids=["dotdot", "absolute", "record"],
)
def test_unsafe_wheels_are_refused(tmp_path: Path, members: object, message: str) -> None:
    assert callable(members)
    wheel = raw_wheel(tmp_path / "demo-1.0-py3-none-any.whl", members())
    result = inspect(wheel)
    assert result.returncode == 5
    assert result.stdout == ""
    assert result.stderr.splitlines() == [message, WHEEL_HINT]


def test_what_is_no_archive_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    result = inspect(tmp_path / "notes.txt")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: notes.txt: not a wheel (.whl) or an sdist (.tar.gz)",
        "hint: give the path of a wheel or an sdist, e.g. one in dist/",
    ]
    missing = inspect(tmp_path / "gone.whl")
    assert missing.returncode == 2
    assert missing.stderr.splitlines() == [
        f"error: {tmp_path / 'gone.whl'}: no such file",
        "hint: give the path of a wheel (.whl) or an sdist (.tar.gz)",
    ]
    (tmp_path / "demo.whl").write_bytes(b"")
    bad_name = inspect(tmp_path / "demo.whl")
    assert bad_name.returncode == 5
    assert bad_name.stderr.splitlines()[0].startswith("error: demo.whl: not a wheel file name (")


def make_sdist(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return path


PKG_INFO = b"Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nRequires-Python: >=3.9\nRequires-Dist: numpy\n"


def test_an_sdist_compared_with_the_git_tree(tmp_path: Path) -> None:
    project = tmp_path / "demo"
    (project / "src" / "demo").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    (project / "src" / "demo" / "__init__.py").write_text("")
    (project / "notes.md").write_text("kept out\n")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    sdist = make_sdist(
        tmp_path / "demo-1.0.tar.gz",
        {
            "demo-1.0/PKG-INFO": PKG_INFO,
            "demo-1.0/pyproject.toml": (project / "pyproject.toml").read_bytes(),
            "demo-1.0/src/demo/__init__.py": b"",
        },
    )
    result = inspect(sdist, cwd=project)  # the project here names the same distribution
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("PKG-INFO")
    assert lines[start : start + 13] == [
        "PKG-INFO",
        "  Metadata-Version  2.4",
        "  Name              demo",
        "  Version           1.0",
        "  Requires-Python   >=3.9",
        "  Requires-Dist     1 requirement",
        "",
        "Compared with git",
        f"  project: {project}",
        "  in git, not in the sdist: notes.md",
        "  in the sdist, not in git: PKG-INFO",
        "",
        f"Largest files (of 3, {len(PKG_INFO) + 40} B in all)",
    ]
    assert "  note: 1 file tracked by git is not in the sdist: notes.md" in lines
    document = json.loads(inspect(sdist, "--json", "--project", project).stdout)
    jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)
    assert document["sdist"] == {
        "metadata": {
            "Metadata-Version": "2.4",
            "Name": "demo",
            "Version": "1.0",
            "Requires-Python": ">=3.9",
            "Requires-Dist": "1 requirement",
        },
        "compared_with": str(project),
        "not_in_sdist": ["notes.md"],
        "not_in_git": ["PKG-INFO"],
    }
    elsewhere = json.loads(inspect(sdist, "--json", cwd=tmp_path).stdout)
    assert elsewhere["sdist"]["compared_with"] is None


def test_an_sdist_without_pyproject_or_pkg_info(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path / "Demo-1.0.tar.gz", {"Demo-1.0/setup.py": b""})
    result = inspect(sdist, "--json", cwd=tmp_path)
    assert result.returncode == 7
    findings = [(item["code"], item["message"]) for item in json.loads(result.stdout)["findings"]]
    assert findings == [
        ("missing-pkg-info", "Demo-1.0/PKG-INFO is missing"),
        ("missing-pyproject", "Demo-1.0/pyproject.toml is missing: no frontend can build it"),
    ]


@pytest.mark.parametrize(
    ("members", "links", "message"),
    [
        (
            {"demo-1.0/PKG-INFO": PKG_INFO},
            {"demo-1.0/passwd": "/etc/passwd"},
            'member "demo-1.0/passwd" is a symbolic link',
        ),
        ({"demo-1.0/../evil": b""}, {}, 'member "demo-1.0/../evil" climbs out of the wheel with ".."'),
        ({"/tmp/evil": b""}, {}, 'member "/tmp/evil" is an absolute path'),
        (
            {"a-1.0/PKG-INFO": PKG_INFO, "b-1.0/PKG-INFO": PKG_INFO},
            {},
            "its files are in 2 top-level directories instead of one",
        ),
    ],
    ids=["symlink", "dotdot", "absolute", "two-tops"],
)
def test_unsafe_sdists_are_refused(
    tmp_path: Path, members: dict[str, bytes], links: dict[str, str], message: str
) -> None:
    sdist = make_sdist(tmp_path / "demo-1.0.tar.gz", members, links)
    result = inspect(sdist, cwd=tmp_path)
    assert result.returncode == 5
    assert result.stderr.splitlines() == [
        f"error: demo-1.0.tar.gz: {message}",
        "hint: rebuild the sdist with a standards-compliant build backend; such an sdist is refused, not unpacked",
    ]
