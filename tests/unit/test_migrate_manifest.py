"""MANIFEST.in: simulated as setuptools runs it, and translated to gitignore patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from ironwheel.migrate.manifest import all_files, matches, read_manifest
from ironwheel.migrate.report import Report

FILES = [
    "README.rst",
    "notes.txt",
    "docs/index.rst",
    "docs/_build/page.html",
    "pkg/__init__.py",
    "pkg/data/a.json",
    "pkg/data/deep/b.json",
    "pkg/scratch.tmp",
    "pkg/x.pyc",
    "tests/test_a.py",
]

# MANIFEST.in line -> (include patterns, exclude patterns)
LINES: list[tuple[str, list[str], list[str]]] = [
    ("include *.txt README.rst", ["/*.txt", "/README.rst"], []),
    ("exclude notes.txt", [], ["/notes.txt"]),
    ("recursive-include pkg/data *.json", ["/pkg/data/**/*.json"], []),
    ("recursive-exclude docs *.html", [], ["/docs/**/*.html"]),
    ("global-include *.json", ["*.json"], []),
    ("global-exclude *.py[cod] *.tmp", [], ["*.py[cod]", "*.tmp"]),
    ("graft docs", ["/docs/"], []),
    ("prune tests", [], ["/tests/"]),
]


@pytest.mark.parametrize(("line", "include", "exclude"), LINES)
def test_commands_become_gitignore_patterns(
    tmp_path: Path, line: str, include: list[str], exclude: list[str]
) -> None:
    (tmp_path / "MANIFEST.in").write_text(line + "\n")
    manifest = read_manifest(tmp_path, Report())
    assert manifest is not None
    assert manifest.patterns() == (include, exclude)


def test_commands_apply_in_order(tmp_path: Path) -> None:
    (tmp_path / "MANIFEST.in").write_text(
        "graft docs\nprune docs/_build\ninclude docs/_build/page.html\nrecursive-include pkg *.json\nglobal-exclude *.tmp\n"
    )
    manifest = read_manifest(tmp_path, Report())
    assert manifest is not None
    assert manifest.apply(FILES, ["pkg/__init__.py", "pkg/scratch.tmp"]) == [
        "docs/_build/page.html",
        "docs/index.rst",
        "pkg/__init__.py",
        "pkg/data/a.json",
        "pkg/data/deep/b.json",
    ]
    assert manifest.excluded(FILES) == {"pkg/scratch.tmp"}


def test_unknown_lines_are_reported(tmp_path: Path) -> None:
    (tmp_path / "MANIFEST.in").write_text("include README.rst\ndist-include foo\nrecursive-include onlydir\n")
    report = Report()
    read_manifest(tmp_path, report)
    assert [(item.subject, item.text) for item in report.items] == [
        ("MANIFEST.in", "line 2 (dist-include foo) is not a command migrate knows"),
        ("MANIFEST.in", "line 3 (recursive-include onlydir) is not a command migrate knows"),
    ]


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.json", "a.json", True),
        ("*.json", "data/a.json", False),
        ("data/*.json", "data/a.json", True),
        ("data/**/*.json", "data/x/y/a.json", True),
        ("py.typed", "py.typed", True),
    ],
)
def test_package_data_globs(pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, path) is expected


def test_all_files_leaves_out_vcs_and_build_directories(tmp_path: Path) -> None:
    for name in (
        "a.py",
        ".git/HEAD",
        "build/x.o",
        "pkg.egg-info/PKG-INFO",
        "venv/pyvenv.cfg",
        "venv/lib/x.py",
        "pkg/b.pyc",
        "pkg/c.py",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert all_files(tmp_path) == ["a.py", "pkg/c.py"]
