"""The core metadata kept in the build dir: reused while its inputs last, rendered again after."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ironwheel._records import Record
from ironwheel.project.metacache import Core, load_core
from ironwheel.project.project import Project

PYPROJECT = """\
[project]
name = "My.Demo"
dynamic = ["version"]
description = "a demo"
readme = "README.md"
license-files = ["licenses/*.txt"]

[project.scripts]
demo = "demo:main"

[tool.ironwheel.metadata.version]
file = "src/demo/__init__.py"
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "README.md").write_text("# Demo\n")
    (tmp_path / "licenses").mkdir()
    (tmp_path / "licenses" / "MIT.txt").write_text("MIT\n")
    (tmp_path / "src" / "demo").mkdir(parents=True)
    (tmp_path / "src" / "demo" / "__init__.py").write_text('__version__ = "1.2"\n')
    return tmp_path


def core(root: Path, record: Path | None) -> Core:
    project = Project.load(root)
    return load_core(project.pyproject, project.root, project.settings, Record(record) if record else None)


def test_the_record_gives_what_pyproject_metadata_renders(root: Path, tmp_path: Path) -> None:
    record = tmp_path / "metadata.json"
    rendered = core(root, record)
    assert rendered.name == "My.Demo"
    assert str(rendered.version) == "1.2"
    assert rendered.dist_info_name == "my_demo-1.2"
    assert rendered.license_files == ("licenses/MIT.txt",)
    assert rendered.entry_points == b"[console_scripts]\ndemo = demo:main\n"
    assert b"Description-Content-Type: text/markdown" in rendered.metadata
    assert rendered.metadata.endswith(b"# Demo\n")
    assert record.is_file()
    recalled = core(root, record)
    assert recalled == rendered


def edit(path: Path, text: str) -> None:
    # A new size (or a new file): a change whatever the file system's clock resolution.
    path.write_text(text)


@pytest.mark.parametrize(
    ("change", "check"),
    [
        (
            lambda root: edit(root / "README.md", "# Demo, again\n"),
            lambda new: new.metadata.endswith(b"again\n"),
        ),
        (
            lambda root: edit(root / "src/demo/__init__.py", '__version__ = "1.3"\n'),
            lambda new: str(new.version) == "1.3",
        ),
        (
            lambda root: edit(root / "licenses/BSD.txt", "BSD\n"),
            lambda new: sorted(new.license_files) == ["licenses/BSD.txt", "licenses/MIT.txt"],
        ),
        (
            lambda root: edit(root / "pyproject.toml", PYPROJECT.replace("a demo", "another demo")),
            lambda new: new.description == "another demo",
        ),
        (
            lambda root: edit(root / "PKG-INFO", "Metadata-Version: 2.1\nName: My.Demo\nVersion: 2.0\n"),
            lambda new: str(new.version) == "2.0",
        ),
    ],
    ids=["readme", "version file", "new license file", "project table", "PKG-INFO"],
)
def test_a_changed_input_renders_again(
    root: Path, tmp_path: Path, change: Callable[[Path], None], check: Callable[[Core], bool]
) -> None:
    record = tmp_path / "metadata.json"
    core(root, record)
    change(root)
    assert check(core(root, record))


def test_no_record_is_written_or_read_without_a_build_dir(root: Path) -> None:
    project = Project.load(root)
    assert project.core.dist_info_name == "my_demo-1.2"
    assert project.dist_info == "my_demo-1.2.dist-info"
    assert not (root / "build").exists()


@pytest.mark.skipif(os.name == "nt", reason="checked where the build dir layout is POSIX")
def test_a_build_with_a_record_does_not_import_pyproject_metadata(root: Path) -> None:
    import subprocess

    state = Project.load(root).build_dir()
    assert state is not None
    (state / ".ironwheel").mkdir(parents=True)
    code = "import sys; from ironwheel.project.project import Project; print(Project.load(__import__('pathlib').Path('.')).dist_info, 'pyproject_metadata' in sys.modules)"
    environ = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    first = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=environ, capture_output=True, text=True, check=True
    )
    second = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=environ, capture_output=True, text=True, check=True
    )
    assert (first.stdout, second.stdout) == ("my_demo-1.2.dist-info True\n", "my_demo-1.2.dist-info False\n")
