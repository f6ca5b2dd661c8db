"""File selection: gitignore semantics checked against git itself, and the hard rules."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ironwheel.archive.files import Selection, project_tree, select_files
from ironwheel.archive.gitignore import Rules

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is the oracle for gitignore semantics"
)

FILES = [
    "a.py",
    "a.log",
    "keep.log",
    "build/out.o",
    "src/build/x.c",
    "doc/readme.txt",
    "doc/sub/deep.txt",
    "src/temp/t.c",
    "temp",
    "a/b",
    "a/x/b",
    "a/x/y/b",
    "a/x/y/c",
    "foo/one",
    "sub/foo",
    "bar/z",
    "x/bar",
    "lib.o",
    "lib.a",
    "lib.so",
    "#hash",
    "data/a/b.bin",
    "data/important/keep.bin",
    "sub/file.tmp",
    "sub/x.tmp",
    "sub/deeper/x.tmp",
    "sub/deeper/y.tmp",
    "weird[1].txt",
    "space ",
]
ROOT_IGNORE = "\n".join(
    [
        "# comment",
        "*.log",
        "!keep.log",
        "/build/",
        "doc/*.txt",
        "**/temp",
        "a/**/b",
        "foo/",
        "bar",
        "*.[oa]",
        "\\#hash",
        "data/**",
        "!data/important/",
        "weird[[]1].txt",
        "space\\ ",  # an escaped trailing space is part of the name
        "",
    ]
)
SUB_IGNORE = """
*.tmp
!/x.tmp
"""


def _tree(root: Path, files: list[str], ignores: dict[str, str]) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    for directory, text in ignores.items():
        (root / directory).mkdir(parents=True, exist_ok=True)
        (root / directory / ".gitignore").write_text(text)


def _git_selection(root: Path) -> list[str]:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "-z"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(name for name in listed.split("\0") if name)


def _ours(root: Path) -> list[str]:
    return select_files(root, Selection())


def test_matches_git_on_a_rich_tree(tmp_path: Path) -> None:
    _tree(tmp_path, FILES, {".": ROOT_IGNORE, "sub": SUB_IGNORE})
    assert _ours(tmp_path) == _git_selection(tmp_path)


_SEGMENTS = st.sampled_from(["a", "b", "c", "x.py", "y.txt", "d"])
_PATTERN_PARTS = st.sampled_from(["a", "b", "*", "**", "?", "*.py", "x.*", "[ab]", "[!a]", "c", "d"])


@st.composite
def _patterns(draw: st.DrawFn) -> str:
    parts = draw(st.lists(_PATTERN_PARTS, min_size=1, max_size=3))
    pattern = "/".join(parts)
    if draw(st.booleans()):
        pattern = "/" + pattern
    if draw(st.integers(0, 4)) == 0:
        pattern += "/"
    if draw(st.integers(0, 3)) == 0:
        pattern = "!" + pattern
    return pattern


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(
        st.lists(_SEGMENTS, min_size=1, max_size=3).map("/".join), min_size=1, max_size=8, unique=True
    ),
    patterns=st.lists(_patterns(), min_size=1, max_size=4),
)
def test_matches_git_on_random_patterns(
    tmp_path_factory: pytest.TempPathFactory, files: list[str], patterns: list[str]
) -> None:
    # A path cannot be both a file and a directory.
    files = [name for name in files if not any(other.startswith(name + "/") for other in files)]
    root = tmp_path_factory.mktemp("random")
    _tree(root, files, {".": "\n".join(patterns) + "\n"})
    assert _ours(root) == _git_selection(root), patterns


def test_rules_ignores_parents() -> None:
    rules = Rules(["pkg/tests/", "*.c"])
    assert rules.ignores("pkg/tests/test_a.py")
    assert rules.ignores("pkg/_core.c")
    assert not rules.ignores("pkg/__init__.py")
    assert not Rules([])


def test_never_selected_whatever_the_patterns(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        [
            "pkg/__init__.py",
            "pkg/__pycache__/x.pyc",
            "pkg/mod.pyc",
            ".git/config",
            ".venv/pyvenv.cfg",
            ".venv/lib/site.py",
            "env2/conda-meta/history",
            "build/cp311/CACHEDIR.TAG",
            "build/cp311/x.o",
            "dist/old.whl",
            "mod.egg-info/PKG-INFO",
        ],
        {},
    )
    everything = Selection(include=["*"])
    assert select_files(tmp_path, everything) == ["dist/old.whl", "mod.egg-info/PKG-INFO", "pkg/__init__.py"]
    assert select_files(tmp_path, Selection()) == ["pkg/__init__.py"]


def test_include_beats_exclude_and_gitignore(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        ["keep/generated.c", "keep/other.c", "docs/a.md", "docs/b.md", "notes.txt"],
        {".": "keep/\n"},
    )
    selection = Selection(include=["keep/generated.c", "docs/b.md"], exclude=["docs/", "*.txt"])
    assert select_files(tmp_path, selection) == [".gitignore", "docs/b.md", "keep/generated.c"]


def test_start_directory_sees_the_ignore_files_above_it(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        ["src/pkg/__init__.py", "src/pkg/_core.so", "src/pkg/data/x.json", "src/pkg/data/x.tmp"],
        {".": "*.so\n", "src": "*.tmp\n"},
    )
    selected = select_files(tmp_path, Selection(), start=tmp_path / "src" / "pkg")
    assert selected == ["src/pkg/__init__.py", "src/pkg/data/x.json"]


def test_symlink_loops_are_not_followed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _tree(tmp_path, ["pkg/a.py"], {})
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg", target_is_directory=True)
    (tmp_path / "pkg" / "dangling").symlink_to(tmp_path / "missing")
    assert select_files(tmp_path, Selection()) == ["pkg/a.py"]
    assert "loops back" in caplog.text
    assert "pkg/dangling" in caplog.text


def test_a_directory_reached_twice_is_not_a_loop(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _tree(tmp_path, ["shared/f.c", "pkg/a.py"], {})
    (tmp_path / "pkg" / "alias").symlink_to(tmp_path / "shared", target_is_directory=True)
    assert select_files(tmp_path, Selection()) == ["pkg/a.py", "pkg/alias/f.c", "shared/f.c"]
    assert "loops back" not in caplog.text


def test_the_project_tree_holds_what_a_build_may_read(tmp_path: Path) -> None:
    root = tmp_path / "p"
    for name in (
        "src/pkg/__init__.py",
        "src/pkg/__pycache__/m.cpython-311.pyc",
        "data/ignored.txt",
        ".gitignore",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / "build" / "tag").mkdir(parents=True)
    (root / "build" / "tag" / "CMakeCache.txt").write_text("\n")
    (root / "dist").mkdir()
    (root / "dist" / "p-1-py3-none-any.whl").write_text("")
    (root / "linked").symlink_to(root / "data", target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.txt").write_text("o\n")
    (root / "out").symlink_to(tmp_path / "outside", target_is_directory=True)
    found = project_tree(root, [root / "build" / "tag"], dist_name="p", limit=100)
    assert found is not None
    assert sorted(path.relative_to(root).as_posix() for path in found) == [
        ".",
        ".gitignore",
        ".venv",  # a tool's directory: itself only
        "build",
        "data",
        "data/ignored.txt",
        "dist",
        "linked",
        "linked/ignored.txt",
        "loop",
        "out",  # not followed out of the project
        "src",
        "src/pkg",
        "src/pkg/__init__.py",
        "src/pkg/__pycache__",
    ]
    outside = project_tree(
        root, [root / "build" / "tag"], dist_name="p", follow_external_links=True, limit=100
    )
    assert outside is not None
    assert root / "out" / "o.txt" in outside
    assert project_tree(root, [], dist_name="p", limit=5) is None
