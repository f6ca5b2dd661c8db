"""Every template of ``ironwheel new``, built by pip under isolation and tested with its own suite."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT, Venv, require_tool
from tests.integration.frontends import names, pip_wheel, python_build, tail

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
PLATFORM = sysconfig.get_platform().replace("-", "_").replace(".", "_")

# (template, --cmake) -> the compiled modules in the wheel, and how many tests the project has.
TEMPLATES: dict[tuple[str, bool], tuple[list[str], int]] = {
    ("pure", False): ([], 2),
    ("c", False): ([f"my_pkg/_core{SUFFIX}"], 2),
    ("c", True): ([f"my_pkg/_core{SUFFIX}"], 2),
    ("cpp-pybind11", False): ([f"my_pkg/_core{SUFFIX}"], 4),
    ("cpp-nanobind", False): ([f"my_pkg/_core{SUFFIX}"], 4),
    ("cython", False): ([f"my_pkg/_core{SUFFIX}"], 3),
    ("fortran", False): ([f"my_pkg/_core{SUFFIX}"], 3),
    ("cuda", False): ([f"my_pkg/_core{SUFFIX}"], 4),
}


def ironwheel(*arguments: str, cwd: Path) -> None:
    """``python -m ironwheel ...`` as a user runs it; it must succeed."""
    result = subprocess.run(
        [sys.executable, "-m", "ironwheel", *arguments],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def test_tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pytest and what it needs, as wheels, for the venvs that run a generated project's tests."""
    house = tmp_path_factory.mktemp("test-tools")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--only-binary=:all:",
            "--dest",
            str(house),
            "pytest",
        ],
        check=True,
    )
    return house


def install(venv: Venv, test_tools: Path, *requirements: str) -> None:
    """Install with dependencies, offline: the wheelhouse (PIP_FIND_LINKS) and ``test_tools``."""
    pip = [sys.executable, "-m", "pip", "--python", str(venv.python)]
    subprocess.run([*pip, "install", "--quiet", "--find-links", str(test_tools), *requirements], check=True)


def run_tests(venv: Venv, tests: Path, cwd: Path) -> str:
    result = subprocess.run(
        [str(venv.python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()[-1]


@pytest.mark.parametrize(("template", "cmake"), sorted(TEMPLATES))
def test_template_builds_and_passes_its_tests(
    template: str,
    cmake: bool,
    test_tools: Path,
    offline_pip: Path,
    tmp_path: Path,
    fresh_venv: Venv,
    request: pytest.FixtureRequest,
) -> None:
    del offline_pip
    environ: dict[str, str] = request.getfixturevalue("cuda") if template == "cuda" else {}
    if template == "fortran":
        require_tool("gfortran")
    ironwheel("new", "my-pkg", "--template", template, *(["--cmake"] if cmake else []), cwd=tmp_path)
    project = tmp_path / "my-pkg"
    result = pip_wheel(project, tmp_path / "dist", env=environ)
    assert result.returncode == 0, tail(result.output)
    modules, count = TEMPLATES[template, cmake]
    tag = "py3-none-any" if template == "pure" else f"{PY}-{PY}-{PLATFORM}"
    assert result.wheel.name == f"my_pkg-0.1.0-{tag}.whl"
    assert names(result.wheel) == [
        "my_pkg/__init__.py",
        *modules,
        "my_pkg-0.1.0.dist-info/METADATA",
        "my_pkg-0.1.0.dist-info/WHEEL",
        "my_pkg-0.1.0.dist-info/RECORD",
    ]
    install(fresh_venv, test_tools, f"{result.wheel}[test]")
    # The suite runs against the installed wheel, not the sources.
    assert fresh_venv.run("import my_pkg; print(my_pkg.__file__)").startswith(str(fresh_venv.path))
    assert run_tests(fresh_venv, project / "tests", cwd=tmp_path).startswith(f"{count} passed")


def test_next_steps_editable_rebuilds_on_import(
    test_tools: Path, offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    # What `ironwheel new` tells the user to do next: pip install -e ".[test]", then pytest.
    del offline_pip
    ironwheel("new", "my-pkg", "--vcs", "none", cwd=tmp_path)
    project = tmp_path / "my-pkg"
    install(fresh_venv, test_tools, "-e", f"{project}[test]")
    assert run_tests(fresh_venv, project / "tests", cwd=project).startswith("2 passed")
    source = project / "src" / "my_pkg" / "_core.c"
    source.write_text(source.read_text().replace("The sum of two integers.", "Edited."))
    documented = subprocess.run(
        [str(fresh_venv.python), "-c", "from my_pkg._core import add; print(add.__doc__)"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    assert documented.stdout.strip() == "Edited."


def test_ironwheel_wheel_ships_the_templates(wheelhouse: Path) -> None:
    (wheel,) = wheelhouse.glob("ironwheel-*.whl")
    package = ROOT / "src" / "ironwheel"
    templates = sorted(
        f"ironwheel/{path.relative_to(package).as_posix()}"
        for path in (package / "new" / "templates").rglob("*")
        if path.is_file()
    )
    assert len(templates) > 50
    assert [name for name in names(wheel) if name.startswith("ironwheel/new/templates/")] == templates


def test_sdist_passes_the_workflows_check(offline_pip: Path, tmp_path: Path) -> None:
    # The sdist job of the generated workflow builds the sdist and runs twine check --strict.
    del offline_pip
    ironwheel("new", "my-pkg", "--vcs", "none", cwd=tmp_path)
    result = python_build(tmp_path / "my-pkg", tmp_path / "dist", "--sdist")
    assert result.returncode == 0, tail(result.output)
    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    assert sdist.name == "my_pkg-0.1.0.tar.gz"
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(sdist)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "PASSED" in check.stdout
