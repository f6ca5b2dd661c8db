"""A version from git through vcs-versioning, and the record that keeps it while the checkout stays."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ironwheel._records import Record
from ironwheel.errors import IronwheelError, format_error
from ironwheel.project.metacache import Core, load_core
from ironwheel.project.project import Project

SRC = Path(__file__).resolve().parents[2] / "src"
PYPROJECT = """\
[project]
name = "demo"
dynamic = ["version"]

[tool.setuptools_scm]
version_file = "src/demo/_version.py"
"""


def git(root: Path, *args: str) -> str:
    command = [
        "git",
        "-c",
        "user.name=Demo",
        "-c",
        "user.email=demo@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    command += ["-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main"]
    return subprocess.run(
        [*command, *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(autouse=True)
def _no_library_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("SETUPTOOLS_SCM_", "VCS_VERSIONING_")):
            monkeypatch.delenv(name)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / ".gitignore").write_text("/build/\n/src/demo/_version.py\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    return root


def version(root: Path) -> str:
    return str(Project.load(root).version)


def test_the_version_of_a_tag_and_its_version_file(repo: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ironwheel")
    git(repo, "tag", "v1.2.3")
    core = Project.load(repo).core
    assert str(core.version) == "1.2.3"
    text = (repo / "src" / "demo" / "_version.py").read_text()
    assert "__version__ = version = '1.2.3'" in text
    assert core.written == (("src/demo/_version.py", text.encode()),)
    assert "version 1.2.3 from version control" in caplog.text


def test_without_a_tag_setuptools_scm_s_answer_is_kept(repo: Path) -> None:
    found = version(repo)
    head = git(repo, "rev-parse", "HEAD")
    match = re.fullmatch(r"0\.1\.dev1\+g([0-9a-f]{7,})", found)
    assert match is not None, found
    assert head.startswith(match.group(1))


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('version_scheme = "no-guess-dev"\nlocal_scheme = "no-local-version"\n', "1.2.3.post1.dev2"),
        ('version_scheme = "post-release"\nlocal_scheme = "no-local-version"\n', "1.2.3.post2"),
        ('version_scheme = "only-version"\nlocal_scheme = "no-local-version"\n', "1.2.3"),
        (
            'git_describe_command = "git describe --dirty --tags --long --match release-*"\n'
            'tag_regex = "^release-(?P<version>[0-9.]+)$"\nlocal_scheme = "no-local-version"\n',
            "0.10.dev3",
        ),
    ],
    ids=["no-guess-dev", "post-release", "only-version", "tag_regex and git_describe_command"],
)
def test_the_setuptools_scm_settings_are_honoured(repo: Path, table: str, expected: str) -> None:
    git(repo, "tag", "release-0.9")
    (repo / "CHANGES").write_text("more\n")
    git(repo, "add", "CHANGES")
    git(repo, "commit", "-q", "-m", "second")
    git(repo, "tag", "v1.2.3")
    (repo / "CHANGES").write_text("more and more\n")
    git(repo, "commit", "-q", "-a", "-m", "third")
    (repo / "pyproject.toml").write_text(PYPROJECT + table)
    git(repo, "commit", "-q", "-a", "-m", "settings")
    assert version(repo) == expected


def test_a_tag_the_settings_cannot_read(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(PYPROJECT + 'tag_regex = "^release-(?P<version>[0-9.]+)$"\n')
    git(repo, "commit", "-q", "-a", "-m", "settings")
    git(repo, "tag", "v1.2.3")
    with pytest.raises(IronwheelError) as caught:
        version(repo)
    assert format_error(caught.value) == (
        "error: [tool.setuptools_scm]: Can't parse version from tag 'v1.2.3' "
        "(tag_regex='^release-(?P<version>[0-9.]+)$', tag_prefix='')\n"
        "hint: see https://setuptools-scm.readthedocs.io/en/latest/config/"
    )


def test_a_version_file_template(repo: Path) -> None:
    template = 'version_file_template = "VERSION = {version!r}\\nTUPLE = {version_tuple!r}\\n"\n'
    (repo / "pyproject.toml").write_text(
        PYPROJECT.replace('"src/demo/_version.py"', '"src/demo/_v.py"') + template
    )
    git(repo, "commit", "-q", "-a", "-m", "template")
    git(repo, "tag", "v2.0")
    assert version(repo) == "2.0"
    assert (repo / "src" / "demo" / "_v.py").read_text() == "VERSION = '2.0'\nTUPLE = (2, 0)\n"


def test_the_pretend_version_variable(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SETUPTOOLS_SCM_PRETEND_VERSION_FOR_DEMO", "4.5.6")
    assert version(repo) == "4.5.6"


def test_without_a_checkout(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    (root / "src" / "demo").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    with pytest.raises(IronwheelError) as caught:
        version(root)
    assert format_error(caught.value) == (
        f"error: no version: {root} is neither a git or Mercurial checkout nor an sdist (no PKG-INFO)\n"
        "hint: build from a git clone or from an sdist, or give the version in the environment "
        "(SETUPTOOLS_SCM_PRETEND_VERSION=1.2.3) or as fallback_version in [tool.setuptools_scm]"
    )
    (root / "pyproject.toml").write_text(PYPROJECT + 'fallback_version = "0.0.1"\n')
    assert version(root) == "0.0.1"


def test_git_not_on_path(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    git(repo, "tag", "v1.0")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(IronwheelError) as caught:
        version(repo)
    assert format_error(caught.value) == (
        f"error: no version: {repo} is a git checkout, but git is not on PATH\n"
        "hint: install git; or build from a git clone or from an sdist, or give the version in the "
        "environment (SETUPTOOLS_SCM_PRETEND_VERSION=1.2.3) or as fallback_version in [tool.setuptools_scm]"
    )


def test_a_project_below_the_top_of_its_checkout(tmp_path: Path) -> None:
    top = tmp_path / "monorepo"
    root = top / "python" / "demo"
    (root / "src" / "demo").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "first")
    git(top, "tag", "v7.0")
    with pytest.raises(IronwheelError) as caught:
        version(root)
    assert format_error(caught.value) == (
        f"error: no version: the checkout is {top}, above the project\n"
        'hint: set root = "../.." in [tool.setuptools_scm] (or search_parent_directories = true)'
    )
    (root / "pyproject.toml").write_text(PYPROJECT + 'root = "../.."\n')
    git(top, "commit", "-q", "-a", "-m", "root")
    git(top, "tag", "v7.1")
    assert version(root) == "7.1"


def test_a_git_archive(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    (root / "src" / "demo").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / ".git_archival.txt").write_text(
        textwrap.dedent(
            """\
            node: 0b6231deb2c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5
            node-date: 2026-01-01T00:00:00+00:00
            describe-name: v1.2.3-2-g0b6231deb
            """
        )
    )
    assert version(root) == "1.2.4.dev2+g0b6231deb"


def test_a_version_file_outside_the_project(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(PYPROJECT.replace('"src/demo/_version.py"', '"../_version.py"'))
    with pytest.raises(IronwheelError) as caught:
        version(repo)
    assert format_error(caught.value) == (
        'error: tool.setuptools_scm.version_file: "../_version.py" is outside the project\n'
        'hint: write the version file inside the project, e.g. "src/<package>/_version.py": '
        "the wheel and the sdist carry it"
    )


def test_a_missing_library_is_named(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("vcs_versioning", "setuptools_scm"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(IronwheelError) as caught:
        version(repo)
    assert format_error(caught.value) == (
        'error: version provider "vcs" needs vcs-versioning (or setuptools-scm), and neither is installed\n'
        "hint: pip install vcs-versioning, or build with build isolation (the default), which installs it"
    )


def test_the_library_s_warnings_are_ironwheel_s(repo: Path, caplog: pytest.LogCaptureFixture) -> None:
    (repo / "src" / "demo" / "_version.py").write_text("")
    (repo / ".gitignore").write_text("/build/\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "tracked")
    assert version(repo).startswith("0.1.dev")
    warned = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert any(message.startswith("version file src/demo/_version.py is tracked") for message in warned), (
        warned
    )


def core(root: Path) -> Core:
    project = Project.load(root)
    return load_core(
        project.pyproject, project.root, project.settings, Record(root / "build" / "metadata.json")
    )


def test_the_record_follows_commits_tags_and_the_dirty_state(repo: Path) -> None:
    (repo / "build").mkdir()
    git(repo, "tag", "v1.0")
    assert str(core(repo).version) == "1.0"
    (repo / "src" / "demo" / "__init__.py").write_text("# edited\n")
    assert re.fullmatch(r"1\.1\.dev0\+g[0-9a-f]+\.d\d{8}", str(core(repo).version))
    git(repo, "commit", "-q", "-a", "-m", "second")
    assert re.fullmatch(r"1\.1\.dev1\+g[0-9a-f]+", str(core(repo).version))
    git(repo, "tag", "v1.1")
    assert str(core(repo).version) == "1.1"
    git(repo, "checkout", "-q", "v1.0")
    assert str(core(repo).version) == "1.0"
    git(repo, "checkout", "-q", "-b", "topic")  # HEAD moves to a new branch at the same commit
    assert str(core(repo).version) == "1.0"
    (repo / "src" / "demo" / "_version.py").unlink()
    assert str(core(repo).version) == "1.0"  # an ignored file does not dirty the tree


def test_a_deleted_version_file_is_written_again_from_the_record(repo: Path) -> None:
    build = repo / "build" / "x" / ".ironwheel"
    build.mkdir(parents=True)
    git(repo, "tag", "v1.0")
    project = Project.load(repo)
    written = dict(project.core.written)
    (repo / "src" / "demo" / "_version.py").unlink()
    from ironwheel.project.generate import render_project

    rendered = render_project(Project.load(repo))
    assert [(item.path, item.location) for item in rendered] == [("src/demo/_version.py", "source")]
    assert (repo / "src" / "demo" / "_version.py").read_bytes() == written["src/demo/_version.py"]


@pytest.mark.skipif(os.name == "nt", reason="checked where the build dir layout is POSIX")
def test_a_build_with_a_record_runs_no_library(repo: Path) -> None:
    git(repo, "tag", "v1.0")
    state = Project.load(repo).build_dir()
    assert state is not None
    (state / ".ironwheel").mkdir(parents=True)
    code = (
        "import sys; from pathlib import Path; from ironwheel.project.project import Project; "
        "print(Project.load(Path('.')).version, 'vcs_versioning' in sys.modules)"
    )
    environ = {**os.environ, "PYTHONPATH": str(SRC)}

    def run() -> str:
        return subprocess.run(
            [sys.executable, "-c", code], cwd=repo, env=environ, capture_output=True, text=True, check=True
        ).stdout

    assert (run(), run()) == ("1.0 True\n", "1.0 False\n")
    git(repo, "commit", "-q", "--allow-empty", "-m", "again")
    assert run().endswith(" True\n")
