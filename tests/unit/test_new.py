"""``ironwheel new`` and ``init``: names, the files of each template, never overwriting, git."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from ironwheel._compat import tomllib
from ironwheel.cli import main
from ironwheel.errors import ConfigError
from ironwheel.new.names import ProjectName, project_name, shadows_stdlib
from ironwheel.new.templates import TEMPLATE_NAMES, TEMPLATES, render

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DATA = ROOT / "src" / "ironwheel" / "new" / "templates"

# Every template and variant: what it writes for `ironwheel new my-pkg`.
COMMON = [".github/workflows/wheels.yml", ".gitignore", "README.md", "pyproject.toml"]
FILES: dict[tuple[str, bool], list[str]] = {
    ("pure", False): [*COMMON, "src/my_pkg/__init__.py", "tests/test_my_pkg.py"],
    ("c", False): [*COMMON, "src/my_pkg/__init__.py", "src/my_pkg/_core.c", "tests/test_my_pkg.py"],
    ("c", True): [
        *COMMON[:2],
        "CMakeLists.txt",
        *COMMON[2:],
        "src/my_pkg/__init__.py",
        "src/my_pkg/_core.c",
        "tests/test_my_pkg.py",
    ],
    ("cpp-pybind11", False): [
        *COMMON,
        "src/my_pkg/__init__.py",
        "src/my_pkg/_core.cpp",
        "tests/test_my_pkg.py",
    ],
    ("cpp-pybind11", True): [
        *COMMON[:2],
        "CMakeLists.txt",
        *COMMON[2:],
        "src/my_pkg/__init__.py",
        "src/my_pkg/_core.cpp",
        "tests/test_my_pkg.py",
    ],
    ("cpp-nanobind", False): [
        *COMMON,
        "src/my_pkg/__init__.py",
        "src/my_pkg/_core.cpp",
        "tests/test_my_pkg.py",
    ],
    ("cpp-nanobind", True): [
        *COMMON[:2],
        "CMakeLists.txt",
        *COMMON[2:],
        "src/my_pkg/__init__.py",
        "src/my_pkg/_core.cpp",
        "tests/test_my_pkg.py",
    ],
    ("cython", False): [*COMMON, "src/my_pkg/__init__.py", "src/my_pkg/_core.pyx", "tests/test_my_pkg.py"],
    ("fortran", False): [*COMMON, "src/my_pkg/__init__.py", "src/my_pkg/core.f90", "tests/test_my_pkg.py"],
    ("cuda", False): [
        *COMMON[:2],
        "CMakeLists.txt",
        *COMMON[2:],
        "src/my_pkg/__init__.py",
        "src/my_pkg/_core.c",
        "src/my_pkg/kernels.cu",
        "tests/test_my_pkg.py",
    ],
}
MY_PKG = ProjectName("my-pkg", "my_pkg")


def _render(template: str, cmake: bool = False) -> dict[str, str]:
    return render(TEMPLATES[template], MY_PKG, cmake=cmake, ironwheel_version="0.1.0")  # type: ignore[index]


def run_ironwheel(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m ironwheel ...`` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "ironwheel", *arguments],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


@dataclasses.dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Ran]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The CLI in this process (fast): its exit code and what it printed."""

    def run(*arguments: str, cwd: Path, env: dict[str, str] | None = None) -> Ran:
        monkeypatch.chdir(cwd)
        monkeypatch.setenv("NO_COLOR", "1")
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        code = main(list(arguments))
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


# ---- names


@pytest.mark.parametrize(
    ("name", "dist", "import_name"),
    [
        ("my-pkg", "my-pkg", "my_pkg"),
        ("My.Pkg", "My.Pkg", "my_pkg"),
        ("a", "a", "a"),
        ("x--_.y", "x--_.y", "x_y"),
        ("pkg2", "pkg2", "pkg2"),
        ("True", "True", "true"),  # a keyword only in its own spelling
    ],
)
def test_valid_names(name: str, dist: str, import_name: str) -> None:
    assert project_name(name) == ProjectName(dist, import_name)


BAD_NAME_HINT = (
    'a project name has letters, digits, "-", "_" and ".", and starts and ends with a letter or '
    "digit (e.g. my-pkg); choose one with --name"
)


@pytest.mark.parametrize(
    ("name", "message", "hint"),
    [
        ("my pkg", '"my pkg" is not a valid project name', BAD_NAME_HINT),
        ("-pkg", '"-pkg" is not a valid project name', BAD_NAME_HINT),
        ("pkg.", '"pkg." is not a valid project name', BAD_NAME_HINT),
        ("café", '"café" is not a valid project name', BAD_NAME_HINT),
        ("", '"" is not a valid project name', BAD_NAME_HINT),
        (
            "class",
            '"class" gives the import package class, which is a Python keyword',
            "choose another name with --name, e.g. --name py-class",
        ),
        (
            "Import",
            '"Import" gives the import package import, which is a Python keyword',
            "choose another name with --name, e.g. --name py-Import",
        ),
        (
            "1pkg",
            '"1pkg" gives the import package 1pkg, which is not a Python identifier',
            "start the name with a letter: choose one with --name, e.g. --name py-1pkg",
        ),
        (
            "3-d",
            '"3-d" gives the import package 3_d, which is not a Python identifier',
            "start the name with a letter: choose one with --name, e.g. --name py-3-d",
        ),
    ],
)
def test_invalid_names(name: str, message: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        project_name(name)
    assert (caught.value.message, caught.value.hint) == (message, hint)
    assert type(caught.value).exit_code == 2


def test_suggested_names_are_valid() -> None:
    for name in ("class", "1pkg", "3-d"):
        assert project_name(f"py-{name}").import_name.isidentifier()


@pytest.mark.parametrize(
    ("name", "shadows"), [("json", True), ("os", True), ("sqlite3", True), ("my_pkg", False)]
)
def test_stdlib_names(name: str, shadows: bool) -> None:
    assert shadows_stdlib(name) is shadows


def test_a_stdlib_name_is_a_warning(tmp_path: Path, cli: Cli) -> None:
    result = cli("new", "json", "--template", "pure", "--vcs", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "warning: src/json: the import package json has the name of a standard library module, "
        "which import finds first; choose another name with --name\n"
    )
    assert (tmp_path / "json" / "src" / "json" / "__init__.py").is_file()


def test_a_bad_name_creates_nothing(tmp_path: Path, cli: Cli) -> None:
    result = cli("new", "for", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        'error: "for" gives the import package for, which is a Python keyword\n'
        "hint: choose another name with --name, e.g. --name py-for\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_name_differs_from_the_directory(tmp_path: Path, cli: Cli) -> None:
    result = cli("new", "libs/fast", "--name", "Fast.Stats", "--vcs", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "libs" / "fast"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "Fast.Stats"
    assert list(pyproject["tool"]["ironwheel"]["extension"]) == ["fast_stats._core"]
    assert (project / "src" / "fast_stats" / "_core.c").is_file()


# ---- the templates


def test_every_template_has_a_file_list() -> None:
    offered = {(name, False) for name in TEMPLATE_NAMES}
    offered |= {(name, True) for name, template in TEMPLATES.items() if template.cmake_layer}
    assert offered == set(FILES)


@pytest.mark.parametrize(("template", "cmake"), sorted(FILES))
def test_files_of_each_template(template: str, cmake: bool) -> None:
    rendered = _render(template, cmake)
    assert list(rendered) == FILES[template, cmake]
    for path, text in rendered.items():
        assert not re.search(r"\{\{[a-z_]+\}\}", text), path
        assert "\n\n\n\n" not in text, path  # no placeholder left a gap
        assert text.endswith("\n"), path
        assert not text.endswith("\n\n"), path


@pytest.mark.parametrize(("template", "cmake"), sorted(FILES))
def test_pyproject_of_each_template(template: str, cmake: bool) -> None:
    rendered = _render(template, cmake)
    pyproject = tomllib.loads(rendered["pyproject.toml"])
    assert pyproject["build-system"]["build-backend"] == "ironwheel"
    assert pyproject["build-system"]["requires"][0] == "ironwheel>=0.1"
    project = pyproject["project"]
    assert {key: project[key] for key in ("name", "version", "readme", "requires-python", "license")} == {
        "name": "my-pkg",
        "version": "0.1.0",
        "readme": "README.md",
        "requires-python": ">=3.10",
        "license": "MIT",
    }
    assert project["description"] == TEMPLATES[template].description  # type: ignore[index]
    assert project["optional-dependencies"] == {"test": ["pytest"]}
    assert project.get("dependencies", []) == (["numpy"] if template == "fortran" else [])
    assert pyproject["tool"]["ironwheel"]["minimum-version"] == "0.1"
    # A table where a table serves, a CMakeLists.txt otherwise: never both, never neither.
    tables = pyproject["tool"]["ironwheel"].get("extension", {})
    native = template != "pure"
    assert bool(tables) == (native and "CMakeLists.txt" not in rendered)
    for table in tables.values():
        assert all(source in rendered for source in table["sources"])
    if "CMakeLists.txt" in rendered:
        for source in re.findall(r"src/my_pkg/\S+\.\w+", rendered["CMakeLists.txt"]):
            assert source in rendered
    assert ("cibuildwheel" in pyproject["tool"]) == native


def test_cmake_variants_request_their_binding() -> None:
    assert tomllib.loads(_render("cpp-pybind11", True)["pyproject.toml"])["build-system"]["requires"] == [
        "ironwheel>=0.1",
        "pybind11>=2.12",
    ]
    assert tomllib.loads(_render("cpp-nanobind", True)["pyproject.toml"])["build-system"]["requires"] == [
        "ironwheel>=0.1",
        "nanobind>=2.0",
    ]


@pytest.mark.parametrize("template", [name for name in TEMPLATE_NAMES if name != "pure"])
def test_cibuildwheel_settings_are_valid(template: str) -> None:
    schema = json.loads(
        files("cibuildwheel").joinpath("resources/cibuildwheel.schema.json").read_text(encoding="utf-8")
    )
    settings = tomllib.loads(_render(template)["pyproject.toml"])["tool"]["cibuildwheel"]
    jsonschema.validate(settings, schema)
    assert settings["test-extras"] == ["test"]
    assert settings["test-command"] == "pytest tests"
    assert "repair-wheel-command" not in json.dumps(settings)  # the default repair steps serve


def test_template_data_is_only_templates_and_fragments() -> None:
    for path in TEMPLATE_DATA.rglob("*"):
        if path.is_file():
            assert path.suffix in (".tmpl", ".part"), path
            if path.suffix == ".part":
                assert path.parent.parent == TEMPLATE_DATA, path


def _workflows(tmp_path: Path) -> dict[str, Path]:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    written = {}
    for template, cmake in FILES:
        path = workflows / f"{template}{'-cmake' if cmake else ''}.yml"
        path.write_text(_render(template, cmake)[".github/workflows/wheels.yml"])
        written[path.stem] = path
    return written


def test_workflows_pass_actionlint(tmp_path: Path) -> None:
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert actionlint, "actionlint is in tests/requirements.txt"
    workflows = _workflows(tmp_path)
    result = subprocess.run(
        [actionlint, "-no-color", *map(str, workflows.values())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # actionlint does find faults in such a file.
    broken = workflows["c"]
    broken.write_text(broken.read_text().replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latestt"))
    result = subprocess.run(
        [actionlint, "-no-color", str(broken)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert 'label "ubuntu-latestt" is unknown' in result.stdout


RUNNERS = {
    "pure": "",
    "fortran": "[ubuntu-latest, ubuntu-24.04-arm, macos-15-intel, macos-latest]",
    "cuda": "[ubuntu-latest, windows-latest]",
}


@pytest.mark.parametrize(("template", "cmake"), sorted(FILES))
def test_workflow_builds_checks_and_publishes(template: str, cmake: bool) -> None:
    workflow = _render(template, cmake)[".github/workflows/wheels.yml"]
    lines = {line.strip().removeprefix("- ") for line in workflow.splitlines()}
    if template == "pure":
        assert "uses: pypa/cibuildwheel" not in workflow
        assert {"run: pipx run build", "needs: [build]"} <= lines
    else:
        runners = RUNNERS.get(
            template, "[ubuntu-latest, ubuntu-24.04-arm, windows-latest, macos-15-intel, macos-latest]"
        )
        assert f"os: {runners}" in lines
        assert re.search(r"uses: pypa/cibuildwheel@v\d+\.\d+\.\d+\n", workflow)
        assert {"run: pipx run build --sdist", "needs: [wheels, sdist]"} <= lines
        assert ("uses: ilammy/msvc-dev-cmd@v1" in lines) == ("windows-latest" in runners)
    assert "run: pipx run twine check --strict dist/*" in lines
    assert "if: github.event_name == 'release' && github.event.action == 'published'" in lines
    assert {"environment:", "name: pypi", "url: https://pypi.org/p/my-pkg"} <= lines
    assert {"id-token: write  # trusted publishing", "uses: pypa/gh-action-pypi-publish@release/v1"} <= lines


def test_gitignore() -> None:
    entries = _render("c")[".gitignore"].splitlines()
    for entry in ("build/", "dist/", "wheelhouse/", "*.egg-info/", "__pycache__/", ".venv/"):
        assert entry in entries


def test_cmake_needs_a_native_template() -> None:
    with pytest.raises(ConfigError) as caught:
        _render("pure", cmake=True)
    assert caught.value.message == "--cmake: the pure template has no CMake variant"
    assert caught.value.hint == (
        "--cmake is for the c, cpp-pybind11 and cpp-nanobind templates (cuda always uses CMake); "
        "leave it out for this one"
    )
    assert _render("cuda", cmake=True) == _render("cuda")


# ---- the commands


def test_new_writes_the_project_and_says_what_next(tmp_path: Path) -> None:
    result = run_ironwheel("new", "my-pkg", "--vcs", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "\n".join(
        [
            "created my-pkg (c template):",
            *(f"  {path}" for path in FILES["c", False]),
            "",
            "next steps:",
            "  cd my-pkg",
            '  python -m pip install -e ".[test]"',
            "  python -m pytest",
            "",
        ]
    )
    written = sorted(
        path.relative_to(tmp_path / "my-pkg").as_posix()
        for path in (tmp_path / "my-pkg").rglob("*")
        if path.is_file()
    )
    assert written == sorted(FILES["c", False])
    assert (tmp_path / "my-pkg" / "src" / "my_pkg" / "_core.c").read_text() == _render("c")[
        "src/my_pkg/_core.c"
    ]
    assert [path.name for path in tmp_path.iterdir()] == ["my-pkg"]  # no staging directory left


def test_new_refuses_an_existing_directory(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "my-pkg").mkdir()
    result = cli("new", "my-pkg", cwd=tmp_path)
    assert result.returncode == 6
    assert result.stderr == (
        "error: my-pkg already exists\n"
        "hint: choose another directory, or add a project to this one with: ironwheel init my-pkg\n"
    )
    assert list((tmp_path / "my-pkg").iterdir()) == []


def test_new_cmake_with_pure_is_an_error(tmp_path: Path, cli: Cli) -> None:
    result = cli("new", "my-pkg", "--template", "pure", "--cmake", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: --cmake: the pure template has no CMake variant\nhint: --cmake is for"
    )
    assert list(tmp_path.iterdir()) == []


def test_init_never_overwrites(tmp_path: Path, cli: Cli) -> None:
    kept = {
        "README.md": "# mine\n",
        ".gitignore": "*.log\n",
        "tests/test_my_pkg.py": "def test_mine(): pass\n",
    }
    for relative, text in kept.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    (tmp_path / "notes.txt").write_text("untouched\n")
    project = tmp_path
    result = cli("init", "--name", "my-pkg", "--vcs", "none", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "\n".join(
        [
            "added to . (c template):",
            "  .github/workflows/wheels.yml",
            "  pyproject.toml",
            "  src/my_pkg/__init__.py",
            "  src/my_pkg/_core.c",
            "kept, since they exist (not overwritten):",
            "  .gitignore",
            "  README.md",
            "  tests/test_my_pkg.py",
            "",
            "next steps:",
            '  python -m pip install -e ".[test]"',
            "  python -m pytest",
            "",
        ]
    )
    for relative, text in kept.items():
        assert (tmp_path / relative).read_text() == text
    assert (tmp_path / "notes.txt").read_text() == "untouched\n"
    assert (tmp_path / "pyproject.toml").read_text() == _render("c")["pyproject.toml"]
    # A second run finds the project it made, and changes nothing.
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    again = cli("init", "--name", "my-pkg", cwd=project)
    assert again.returncode == 6
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_init_names_the_project_after_the_directory(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "Stats.Tools").mkdir()
    result = cli("init", "Stats.Tools", "--template", "pure", "--vcs", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  cd Stats.Tools" in result.stdout.splitlines()
    assert (
        tomllib.loads((tmp_path / "Stats.Tools" / "pyproject.toml").read_text())["project"]["name"]
        == "Stats.Tools"
    )
    assert (tmp_path / "Stats.Tools" / "src" / "stats_tools" / "__init__.py").is_file()


def test_init_keeps_a_flat_layout(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "my_pkg").mkdir()
    (tmp_path / "my_pkg" / "__init__.py").write_text('"""Mine."""\n')
    result = cli("init", "--name", "my-pkg", "--vcs", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "my_pkg" / "_core.c").is_file()
    assert not (tmp_path / "src").exists()
    assert (tmp_path / "my_pkg" / "__init__.py").read_text() == '"""Mine."""\n'
    pyproject = tomllib.loads((tmp_path / "pyproject.toml").read_text())
    assert pyproject["tool"]["ironwheel"]["extension"]["my_pkg._core"]["sources"] == ["my_pkg/_core.c"]


@pytest.mark.parametrize(
    ("files", "message", "hint"),
    [
        (
            {"setup.py": "from setuptools import setup\nsetup()\n"},
            "error: proj/setup.py: the directory already holds a setuptools project",
            "hint: convert it to ironwheel with: ironwheel migrate proj",
        ),
        (
            {"setup.cfg": "[metadata]\nname = proj\n"},
            "error: proj/setup.cfg: the directory already holds a setuptools project",
            "hint: convert it to ironwheel with: ironwheel migrate proj",
        ),
        (
            {"pyproject.toml": '[project]\nname = "proj"\n'},
            "error: proj/pyproject.toml: the directory already holds a project ([project] table)",
            "hint: convert it to ironwheel with: ironwheel migrate proj",
        ),
        (
            {"pyproject.toml": "[tool.ruff]\nline-length = 100\n"},
            "error: proj/pyproject.toml exists, and init never overwrites it",
            "hint: move it aside, run ironwheel init again, then copy its tables into the new one",
        ),
        (
            {"pyproject.toml": "[tool.ruff\n"},
            "error: proj/pyproject.toml exists, and init never overwrites it",
            "hint: move it aside, run ironwheel init again, then copy its tables into the new one",
        ),
    ],
)
def test_init_refuses_a_project(
    tmp_path: Path, files: dict[str, str], message: str, hint: str, cli: Cli
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    for name, text in files.items():
        (project / name).write_text(text)
    result = cli("init", "proj", cwd=tmp_path)
    assert result.returncode == 6
    assert result.stderr.splitlines() == [message, hint]
    assert sorted(path.name for path in project.iterdir()) == sorted(files)


def test_init_accepts_a_setup_cfg_of_tool_settings(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "setup.cfg").write_text("[flake8]\nmax-line-length = 100\n")
    result = cli("init", "--name", "my-pkg", "--vcs", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "setup.cfg").read_text() == "[flake8]\nmax-line-length = 100\n"


def test_init_needs_an_existing_directory(tmp_path: Path, cli: Cli) -> None:
    result = cli("init", "missing", cwd=tmp_path)
    assert result.returncode == 6
    assert result.stderr.splitlines() == [
        "error: missing is not a directory",
        "hint: create a project in a new directory with: ironwheel new missing",
    ]
    assert not (tmp_path / "missing").exists()


# ---- git


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_vcs(tmp_path: Path, cli: Cli) -> None:
    auto = run_ironwheel("new", "my-pkg", cwd=tmp_path)
    assert auto.returncode == 0, auto.stderr
    assert "initialised a git repository in my-pkg" in auto.stdout.splitlines()
    assert (tmp_path / "my-pkg" / ".git").is_dir()
    # The template's files are what git sees; .gitignore keeps build outputs out.
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path / "my-pkg",
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(line[3:] for line in status.stdout.splitlines()) == sorted(FILES["c", False])
    # Inside a repository, auto makes no nested one; git always does.
    inner = cli("new", "my-pkg/inner", cwd=tmp_path)
    assert inner.returncode == 0
    assert not (tmp_path / "my-pkg" / "inner" / ".git").exists()
    forced = cli("new", "my-pkg/forced", "--vcs", "git", cwd=tmp_path)
    assert forced.returncode == 0
    assert (tmp_path / "my-pkg" / "forced" / ".git").is_dir()
    none = cli("new", "none", "--vcs", "none", cwd=tmp_path)
    assert none.returncode == 0
    assert not (tmp_path / "none" / ".git").exists()
    assert "initialised" not in none.stdout


def test_vcs_git_without_git(tmp_path: Path, cli: Cli) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    result = cli("new", "my-pkg", "--vcs", "git", cwd=tmp_path, env={"PATH": str(bindir)})
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "error: --vcs git: git is not on PATH",
        "hint: install git, or leave the repository out with --vcs none",
    ]
    assert not (tmp_path / "my-pkg").exists()
    # auto goes on without a repository.
    auto = cli("new", "my-pkg", cwd=tmp_path, env={"PATH": str(bindir)})
    assert auto.returncode == 0
    assert not (tmp_path / "my-pkg" / ".git").exists()


# ---- help


@pytest.mark.parametrize("command", ["new", "init", "build", "develop", "repair", "config"])
def test_every_command_has_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    help_text = capsys.readouterr().out
    assert f"examples:\n  python -m ironwheel {command}" in help_text
