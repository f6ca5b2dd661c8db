"""Dynamic metadata through real frontends: a version from git, requirements and readme files."""

from __future__ import annotations

import email.parser
import re
import subprocess
import sys
import sysconfig
import tarfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.version import Version

from tests.conftest import Venv
from tests.integration.frontends import SRC, names, pip_wheel, python_build, tail

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
PLATFORM = sysconfig.get_platform().replace("-", "_").replace(".", "_")
REQUIRES = [
    "packaging>=22",
    'numpy>=1.22; python_version >= "3.10"',
    'tomli>=1.1; python_version < "3.11"',
    'pytest>=8; extra == "test"',
    'tomli>=1.1; python_version < "3.11" and extra == "test"',
]
README = "dynmeta\n=======\n\nA native module.\n\nChanges\n-------\n\n1.2.3: the first tag.\n"


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
    completed = subprocess.run([*command, *args], cwd=root, check=True, capture_output=True, text=True)
    return completed.stdout.strip()


def checkout(project: Callable[[str], Path], name: str, tag: str = "v1.2.3") -> Path:
    root = project(name)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    git(root, "tag", tag)
    return root


def metadata_of(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [item for item in archive.namelist() if item.endswith(".dist-info/METADATA")]
        return email.parser.BytesParser().parsebytes(archive.read(name))


def test_a_wheel_of_a_tag_a_new_commit_and_a_dirty_tree(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    root = checkout(project, "dynmeta")
    result = pip_wheel(root, tmp_path / "tag")
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == f"dynmeta-1.2.3-{PY}-{PY}-{PLATFORM}.whl"
    assert "vcs-versioning>=2.0.1" in result.output  # what ironwheel asked the frontend for
    assert names(result.wheel) == [
        "dynmeta/__init__.py",
        f"dynmeta/_core{SUFFIX}",
        "dynmeta/_version.py",
        "dynmeta-1.2.3.dist-info/METADATA",
        "dynmeta-1.2.3.dist-info/WHEEL",
        "dynmeta-1.2.3.dist-info/RECORD",
    ]
    found = metadata_of(result.wheel)
    assert found["Version"] == "1.2.3"
    assert found.get_all("Requires-Dist") == REQUIRES
    assert found["Description-Content-Type"] == "text/x-rst"
    assert found.get_payload() == README
    fresh_venv.install(result.wheel)
    assert fresh_venv.run("import dynmeta; print(dynmeta.__version__, dynmeta.answer())") == "1.2.3 42"

    # A new commit: a development version, noticed although the metadata record is kept.
    (root / "CHANGES.rst").write_text((root / "CHANGES.rst").read_text() + "\nMore.\n")
    git(root, "commit", "-q", "-a", "-m", "second")
    node = git(root, "rev-parse", "HEAD")
    second = pip_wheel(root, tmp_path / "commit")
    assert second.returncode == 0, tail(second.output)
    version = metadata_of(second.wheel)["Version"]
    assert re.fullmatch(r"1\.2\.4\.dev1\+g([0-9a-f]{7,})", version), version
    assert node.startswith(version.split("+g")[1])
    assert second.wheel.name == f"dynmeta-{version}-{PY}-{PY}-{PLATFORM}.whl"
    with zipfile.ZipFile(second.wheel) as archive:
        assert f"__version__ = version = '{version}'" in archive.read("dynmeta/_version.py").decode()

    # An edited tracked file: the dirty tree's version carries the date.
    (root / "README.rst").write_text("dynmeta\n=======\n\nEdited.\n")
    dirty = pip_wheel(root, tmp_path / "dirty")
    assert dirty.returncode == 0, tail(dirty.output)
    today = time.strftime("%Y%m%d", time.gmtime())
    assert metadata_of(dirty.wheel)["Version"] == f"{version}.d{today}"
    assert str(metadata_of(dirty.wheel).get_payload()).startswith("dynmeta\n=======\n\nEdited.\n")


def test_sdist_then_wheel_from_it_without_git(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path
) -> None:
    del offline_pip
    root = checkout(project, "dynmeta")
    result = python_build(root, tmp_path / "dist")
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == f"dynmeta-1.2.3-{PY}-{PY}-{PLATFORM}.whl"
    # The sdist's get_requires asked for the library; the wheel built from the sdist did not.
    for_sdist, _, for_wheel = result.output.partition("Building wheel from sdist")
    assert "vcs-versioning>=2.0.1" in for_sdist
    assert "vcs-versioning" not in for_wheel, tail(result.output)
    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    assert sdist.name == "dynmeta-1.2.3.tar.gz"
    with tarfile.open(sdist) as archive:
        members = sorted(archive.getnames())
        pkg_info = email.parser.BytesParser().parsebytes(archive.extractfile("dynmeta-1.2.3/PKG-INFO").read())  # type: ignore[union-attr]
        shipped_version = archive.extractfile("dynmeta-1.2.3/src/dynmeta/_version.py").read()  # type: ignore[union-attr]
    assert members == [
        f"dynmeta-1.2.3/{name}"
        for name in [
            ".gitignore",
            "CHANGES.rst",
            "PKG-INFO",
            "README.rst",
            "pyproject.toml",
            "requirements.txt",
            "requirements/common.txt",
            "requirements/test.txt",
            "src/dynmeta/__init__.py",
            "src/dynmeta/_core.c",
            "src/dynmeta/_version.py",
        ]
    ]
    assert pkg_info["Version"] == "1.2.3"
    assert pkg_info.get_all("Requires-Dist") == REQUIRES
    assert pkg_info.get_all("Dynamic") is None
    assert b"__version__ = version = '1.2.3'" in shipped_version
    with zipfile.ZipFile(result.wheel) as archive:
        assert archive.read("dynmeta/_version.py") == shipped_version
    assert metadata_of(result.wheel).as_bytes() == pkg_info.as_bytes()


def test_an_editable_install_imports_its_version_file(
    project: Callable[[str], Path], offline_pip: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    root = checkout(project, "dynmeta", tag="v0.3")
    command = [sys.executable, "-m", "pip", "--python", str(fresh_venv.python), "install", "--no-deps", "-v"]
    installed = subprocess.run(
        [*command, "-e", str(root)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    assert installed.returncode == 0, tail(installed.stdout)
    assert (root / "src" / "dynmeta" / "_version.py").is_file()
    code = "import dynmeta, importlib.metadata as m; print(dynmeta.__version__, m.version('dynmeta'), dynmeta.__file__)"
    assert fresh_venv.run(code) == f"0.3 0.3 {root / 'src' / 'dynmeta' / '__init__.py'}"


def test_a_scikit_build_core_project_with_its_providers(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    root = checkout(project, "skbuild_scm", tag="v2.0.1")
    (root / "NEWS").write_text("next\n")
    git(root, "add", "NEWS")
    git(root, "commit", "-q", "-m", "next")
    result = pip_wheel(root, tmp_path / "dist")
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == f"skscm-2.0.2.dev1-{PY}-{PY}-{PLATFORM}.whl"
    assert "hatch-fancy-pypi-readme>=23.2" in result.output
    assert names(result.wheel) == [
        "skscm/__init__.py",
        f"skscm/_native{SUFFIX}",
        "skscm/_version.py",
        "skscm-2.0.2.dev1.dist-info/METADATA",
        "skscm-2.0.2.dev1.dist-info/WHEEL",
        "skscm-2.0.2.dev1.dist-info/RECORD",
    ]
    found = metadata_of(result.wheel)
    assert found["Description-Content-Type"] == "text/markdown"
    assert (
        found.get_payload()
        == "# skscm 2.0.2.dev1\n\nBuilt with CMake; see [#7](https://example.org/skscm/issues/7).\n"
    )
    fresh_venv.install(result.wheel)
    assert fresh_venv.run("import skscm; print(skscm.version, skscm.VERSION)") == "2.0.2.dev1 2.0.2.dev1"


def test_without_vcs_versioning_an_older_setuptools_scm_serves(
    project: Callable[[str], Path], wheelhouse: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    """As in a distribution's build, where setuptools-scm is packaged and vcs-versioning is not."""
    root = checkout(project, "dynmeta", tag="v5.0")
    # The newest of each: the wheelhouse also holds older ones, for builds by Python 3.9.
    wheels = [
        max(wheelhouse.glob(pattern), key=lambda path: Version(path.name.split("-")[1]))
        for pattern in (
            "setuptools_scm-8.*.whl",
            "setuptools-*.whl",
            "packaging-*.whl",
            "pyproject_metadata-*.whl",
        )
    ]
    fresh_venv.install(*wheels)
    assert fresh_venv.run("import importlib.util as u; print(u.find_spec('vcs_versioning'))") == "None"
    outdir = tmp_path / "dist"
    code = f"import sys; sys.path.insert(0, {str(SRC)!r}); import ironwheel; print(ironwheel.build_wheel({str(outdir)!r}))"
    built = subprocess.run(
        [str(fresh_venv.python), "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip() == f"dynmeta-5.0-{PY}-{PY}-{PLATFORM}.whl"
    with zipfile.ZipFile(outdir / built.stdout.strip()) as archive:
        assert "__version__ = version = '5.0'" in archive.read("dynmeta/_version.py").decode()
