"""The sdist (what goes in, bit-for-bit determinism) and package discovery for the wheel."""

from __future__ import annotations

import os
import tarfile
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import ironwheel
from ironwheel.archive.layout import discover_packages
from ironwheel.errors import ConfigError, PackagingError

PYPROJECT = """\
[build-system]
requires = ["ironwheel"]
build-backend = "ironwheel"

[project]
name = "demo-pkg"
version = "1.0"
"""


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "demo"
    files = {
        "pyproject.toml": PYPROJECT
        + '\n[tool.ironwheel.sdist]\ninclude = ["generated/keep.c"]\nexclude = ["notes/"]\n',
        "README.md": "readme\n",
        ".gitignore": "*.so\ngenerated/\n",
        "src/demo_pkg/__init__.py": "",
        "src/demo_pkg/_core.so": "binary",
        "src/demo_pkg/data/table.csv": "a,b\n",
        "generated/keep.c": "int x;\n",
        "generated/drop.c": "int y;\n",
        "notes/todo.txt": "x\n",
        "tests/test_demo.py": "def test(): pass\n",
        "build/cp311/CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n",
        "build/cp311/CMakeCache.txt": "",
        ".venv/pyvenv.cfg": "",
        ".git/HEAD": "ref\n",
        "dist/demo_pkg-0.9.tar.gz": "",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "run.sh").write_text("#!/bin/sh\n")
    (root / "run.sh").chmod(0o755)
    previous = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(previous)


def test_sdist_contents_and_metadata(tree: Path) -> None:
    # An output directory inside the project is never packed into the sdist.
    name = ironwheel.build_sdist(str(tree / "out"))
    assert ironwheel.build_sdist(str(tree / "out")) == name
    assert name == "demo_pkg-1.0.tar.gz"
    with tarfile.open(tree / "out" / name) as archive:
        members = archive.getmembers()
        assert [member.name for member in members] == [
            "demo_pkg-1.0/.gitignore",
            "demo_pkg-1.0/README.md",
            "demo_pkg-1.0/generated/keep.c",
            "demo_pkg-1.0/pyproject.toml",
            "demo_pkg-1.0/run.sh",
            "demo_pkg-1.0/src/demo_pkg/__init__.py",
            "demo_pkg-1.0/src/demo_pkg/data/table.csv",
            "demo_pkg-1.0/tests/test_demo.py",
            "demo_pkg-1.0/PKG-INFO",
        ]
        assert {(member.uid, member.gid, member.uname, member.gname) for member in members} == {
            (0, 0, "", "")
        }
        assert {member.mtime for member in members} == {315532800}
        modes = {member.name.split("/", 1)[1]: member.mode for member in members}
        assert modes["run.sh"] == 0o755
        assert modes["README.md"] == 0o644
        pkg_info = archive.extractfile("demo_pkg-1.0/PKG-INFO")
        assert pkg_info is not None
        assert pkg_info.read().decode().startswith("Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n")


def test_sdist_is_reproducible(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = (tmp_path / "a" / ironwheel.build_sdist(str(tmp_path / "a"))).read_bytes()
    (tree / "README.md").touch()
    second = (tmp_path / "b" / ironwheel.build_sdist(str(tmp_path / "b"))).read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    third_dir = tmp_path / "c"
    with tarfile.open(third_dir / ironwheel.build_sdist(str(third_dir))) as archive:
        assert {member.mtime for member in archive.getmembers()} == {1700000000}


def test_wheel_from_tree_and_from_sdist_are_identical(tree: Path, tmp_path: Path) -> None:
    from_tree = tree / "wheels-tree"
    wheel = ironwheel.build_wheel(str(from_tree))
    sdist = ironwheel.build_sdist(str(tree / "sdists"))
    with tarfile.open(tree / "sdists" / sdist) as archive:
        if hasattr(tarfile, "data_filter"):  # Python 3.12+ (and security backports)
            archive.extraction_filter = tarfile.data_filter
        archive.extractall(tmp_path / "unpacked")
    os.chdir(tmp_path / "unpacked" / "demo_pkg-1.0")
    from_sdist = tmp_path / "wheels-sdist"
    assert ironwheel.build_wheel(str(from_sdist)) == wheel == "demo_pkg-1.0-py3-none-any.whl"
    assert (from_sdist / wheel).read_bytes() == (from_tree / wheel).read_bytes()
    with zipfile.ZipFile(from_tree / wheel) as archive:
        assert archive.namelist() == [
            "demo_pkg/__init__.py",
            "demo_pkg/data/table.csv",
            "demo_pkg-1.0.dist-info/METADATA",
            "demo_pkg-1.0.dist-info/WHEEL",
            "demo_pkg-1.0.dist-info/RECORD",
        ]


def _make(root: Path, names: list[str]) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(""))
    return root


@pytest.mark.parametrize(
    ("files", "found"),
    [
        (["src/demo_pkg/__init__.py", "src/other/__init__.py", "src/mod.py"], ["demo_pkg"]),
        (["src/demo_pkg/sub/ns.py"], ["demo_pkg"]),
        (
            [
                "src/alpha/__init__.py",
                "src/beta/sub/ns.py",
                "src/stubs/__init__.pyi",
                "src/gen.py",
                "src/weird-name/x.py",
                "src/c/x.c",
            ],
            ["alpha", "beta", "stubs"],
        ),
        (["src/core.c", "src/gen_tables.py", "demo_pkg/__init__.py"], ["demo_pkg"]),
        (["src/weird-name/x.py", "demo_pkg/__init__.py"], ["demo_pkg"]),
        (["src/demo_pkg.py", "src/other/__init__.py"], ["demo_pkg.py"]),
        (["python/demo_pkg/__init__.py"], ["demo_pkg"]),
        (["demo_pkg.py", "setup.py"], ["demo_pkg.py"]),
        (["demo_pkg/data.txt"], []),
        ([], []),
    ],
)
def test_discovery(tmp_path: Path, files: list[str], found: list[str]) -> None:
    root = _make(tmp_path, files)
    assert [package.name for package in discover_packages(root, "Demo.Pkg", [])] == found


def test_explicit_packages(tmp_path: Path) -> None:
    root = _make(tmp_path / "p", ["lib/fancy/__init__.py", "tool.py", "data.txt"])
    packages = discover_packages(root, "x", ["lib/fancy", "tool.py"])
    assert [(package.name, package.is_module) for package in packages] == [
        ("fancy", False),
        ("tool.py", True),
    ]
    for entry, message in [
        ("missing", 'tool.ironwheel.wheel.packages[0]: "missing" does not exist'),
        ("data.txt", 'tool.ironwheel.wheel.packages[0]: "data.txt" is neither a directory nor a .py module'),
        ("..", 'tool.ironwheel.wheel.packages[0]: ".." is outside the project'),
    ]:
        with pytest.raises(ConfigError) as caught:
            discover_packages(root, "x", [entry])
        assert caught.value.message == message


def test_packages_shipped_under_another_name(tmp_path: Path) -> None:
    root = _make(tmp_path / "p", ["regex_3/__init__.py", "src/p/__init__.py", "notes.txt"])
    packages = discover_packages(root, "p", [], {"regex": "regex_3"})
    assert [(package.name, package.source.relative_to(root).as_posix()) for package in packages] == [
        ("p", "src/p"),
        ("regex", "regex_3"),
    ]
    for renamed, message in [
        (
            {"regex": "missing"},
            'tool.ironwheel.wheel.package-dirs.regex: "missing" is not a directory of the project',
        ),
        (
            {"regex": "notes.txt"},
            'tool.ironwheel.wheel.package-dirs.regex: "notes.txt" is not a directory of the project',
        ),
        ({"re-gex": "regex_3"}, 'tool.ironwheel.wheel.package-dirs.re-gex: "re-gex" is not a package name'),
        (
            {"re-stubs-x": "regex_3"},
            'tool.ironwheel.wheel.package-dirs.re-stubs-x: "re-stubs-x" is not a package name',
        ),
    ]:
        with pytest.raises(ConfigError) as caught:
            discover_packages(root, "p", [], renamed)
        assert caught.value.message == message


def test_a_stub_only_package_under_another_name(tmp_path: Path) -> None:
    root = _make(tmp_path / "p", ["typings/fast/__init__.pyi", "fast.c"])
    packages = discover_packages(root, "p", [], {"fast-stubs": "typings/fast"})
    assert [(package.name, package.source.relative_to(root).as_posix()) for package in packages] == [
        ("fast-stubs", "typings/fast")
    ]


def test_symlinked_package_outside_the_project(tmp_path: Path) -> None:
    from ironwheel.archive.files import Selection
    from ironwheel.archive.layout import package_files

    outside = _make(tmp_path / "elsewhere", ["real/__init__.py", "real/data.txt"])
    root = _make(tmp_path / "project", ["pyproject.toml"])
    (root / "src").mkdir()
    (root / "src" / "demo_pkg").symlink_to(outside / "real", target_is_directory=True)
    packages = discover_packages(root, "demo-pkg", [])
    assert [package.name for package in packages] == ["demo_pkg"]
    with pytest.raises(PackagingError) as caught:
        package_files(root, packages, Selection())
    assert caught.value.message == (
        f"src/demo_pkg is a symbolic link to {outside / 'real'}, outside the project"
    )
    follow = Selection(follow_external_links=True)
    assert sorted(package_files(root, packages, follow)) == ["demo_pkg/__init__.py", "demo_pkg/data.txt"]
