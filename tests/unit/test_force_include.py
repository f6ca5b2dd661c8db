"""wheel.force-include: project files put into the wheel at a path of their own, and carried by the sdist."""

from __future__ import annotations

import os
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import ironwheel
import ironwheel._hooks
from ironwheel._compat import tomllib
from ironwheel.errors import ConfigError, format_error
from ironwheel.settings import load_settings

PYPROJECT = """\
[build-system]
requires = ["ironwheel"]
build-backend = "ironwheel"

[project]
name = "demo"
version = "1.0"

[tool.ironwheel.wheel.force-include]
"""


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "demo"
    files = {
        ".gitignore": "models/*.bin\n",
        "src/demo/__init__.py": "",
        "src/demo/data.txt": "package data\n",
        "models/small.bin": "weights\n",
        "models/nested/large.bin": "more weights\n",
        "models/__pycache__/x.pyc": "",
        "NOTES.extra": "text\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    previous = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(previous)


def configure(root: Path, entries: str) -> None:
    (root / "pyproject.toml").write_text(PYPROJECT + entries)


def names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_directories_and_files_land_where_they_are_mapped(tree: Path, tmp_path: Path) -> None:
    configure(tree, '"models" = "demo/models"\n"NOTES.extra" = "demo/NOTES"\n')
    wheel = tmp_path / "out" / ironwheel.build_wheel(str(tmp_path / "out"))
    # Ignored by git, forced all the same; caches are never packed.
    assert names(wheel) == [
        "demo/NOTES",
        "demo/__init__.py",
        "demo/data.txt",
        "demo/models/nested/large.bin",
        "demo/models/small.bin",
        "demo-1.0.dist-info/METADATA",
        "demo-1.0.dist-info/WHEEL",
        "demo-1.0.dist-info/RECORD",
    ]


def test_the_sdist_carries_the_sources_and_its_wheel_is_the_same(tree: Path, tmp_path: Path) -> None:
    configure(tree, '"models" = "demo/models"\n')
    wheel = ironwheel.build_wheel(str(tmp_path / "from-tree"))
    sdist = ironwheel.build_sdist(str(tmp_path / "sdist"))
    with tarfile.open(tmp_path / "sdist" / sdist) as archive:
        packed = archive.getnames()
        if hasattr(tarfile, "data_filter"):
            archive.extraction_filter = tarfile.data_filter
        archive.extractall(tmp_path / "unpacked")
    assert "demo-1.0/models/small.bin" in packed
    assert "demo-1.0/models/nested/large.bin" in packed
    os.chdir(tmp_path / "unpacked" / "demo-1.0")
    assert ironwheel.build_wheel(str(tmp_path / "from-sdist")) == wheel
    assert (tmp_path / "from-sdist" / wheel).read_bytes() == (tmp_path / "from-tree" / wheel).read_bytes()


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            '"../shared" = "demo/shared"',
            'error: tool.ironwheel.wheel.force-include: "../shared" = "demo/shared": the source must be a '
            "path inside the project, relative to its root",
        ),
        (
            '"/etc/passwd" = "demo/passwd"',
            'error: tool.ironwheel.wheel.force-include: "/etc/passwd" = "demo/passwd": the source must be a '
            "path inside the project, relative to its root",
        ),
        (
            '"models" = "demo/../../x"',
            'error: tool.ironwheel.wheel.force-include: "models" = "demo/../../x": the destination must be a '
            'path inside the wheel, such as "mypkg/data"',
        ),
        (
            '"models" = "."',
            'error: tool.ironwheel.wheel.force-include: "models" = ".": the destination must be a path inside '
            'the wheel, such as "mypkg/data"',
        ),
        (
            '"NOTES.extra" = "demo-1.0.dist-info/NOTES"',
            'error: tool.ironwheel.wheel.force-include: "NOTES.extra" = "demo-1.0.dist-info/NOTES": the '
            ".dist-info directory is written by ironwheel, not taken from the project",
        ),
        (
            '"models" = 3',
            "error: tool.ironwheel.wheel.force-include: expected a table of strings, got a table",
        ),
    ],
)
def test_bad_entries(entries: str, message: str) -> None:
    pyproject = tomllib.loads(PYPROJECT + entries + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(pyproject, environ={})
    assert (
        format_error(caught.value)
        == message + "\nhint: python -m ironwheel config --schema lists every setting"
    )


def test_a_source_that_does_not_exist(tree: Path, tmp_path: Path) -> None:
    configure(tree, '"weights" = "demo/weights"\n')
    with pytest.raises(ConfigError) as caught:
        ironwheel._hooks.build_wheel(str(tmp_path / "out"), {})
    assert format_error(caught.value) == (
        "error: tool.ironwheel.wheel.force-include.weights: weights does not exist\n"
        "hint: name a file or directory of the project, relative to its root"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_no_link_out_of_the_project(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("x\n")
    (tree / "models" / "leak").symlink_to(outside)
    configure(tree, '"models" = "demo/models"\n')
    with pytest.raises(ConfigError) as caught:
        ironwheel._hooks.build_wheel(str(tmp_path / "out"), {})
    assert format_error(caught.value) == (
        f"error: tool.ironwheel.wheel.force-include.models: models/leak is a symbolic link to {outside}, "
        "outside the project\n"
        "hint: force-include takes what is inside the project: remove the link, or point the entry at "
        "the files themselves"
    )


def test_no_destination_takes_the_place_of_a_package_file(tree: Path, tmp_path: Path) -> None:
    configure(tree, '"NOTES.extra" = "demo/data.txt"\n')
    with pytest.raises(ConfigError) as caught:
        ironwheel._hooks.build_wheel(str(tmp_path / "out"), {})
    assert format_error(caught.value) == (
        'error: tool.ironwheel.wheel.force-include."NOTES.extra": demo/data.txt would take the place of '
        "a file the wheel already has (a package file, a file CMake installed or a generated file)\n"
        "hint: choose a destination that no other file of the wheel has"
    )
