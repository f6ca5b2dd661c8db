"""Reproducibility, the scikit-build-core contract, other Pythons, and building ironwheel itself."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sysconfig
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Venv, missing
from tests.integration.frontends import names, pip_wheel, python_build, sha256, tail

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
PLATFORM = sysconfig.get_platform().replace("-", "_").replace(".", "_")


def test_native_wheel_is_reproducible_across_directories(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path
) -> None:
    del offline_pip
    first = project("cpp-pybind11")
    second = tmp_path / "elsewhere" / "deeper" / "copy"
    shutil.copytree(first, second)
    one = pip_wheel(first, tmp_path / "one")
    two = pip_wheel(second, tmp_path / "two")
    assert one.returncode == 0, tail(one.output)
    assert two.returncode == 0, tail(two.output)
    assert sha256(one.wheel) == sha256(two.wheel)
    with zipfile.ZipFile(one.wheel) as archive:
        binary = archive.read(f"pybind11_example/_core{SUFFIX}")
    assert str(first).encode() not in binary
    assert b"site-packages" not in binary


def test_source_date_epoch_sets_the_timestamps(project: Callable[[str], Path], tmp_path: Path) -> None:
    result = pip_wheel(
        project("c-capi"), tmp_path / "dist", isolated=False, env={"SOURCE_DATE_EPOCH": "1700000000"}
    )
    assert result.returncode == 0, tail(result.output)
    with zipfile.ZipFile(result.wheel) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_scikit_build_core_contract(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    result = pip_wheel(project("skbuild_compat"), tmp_path / "dist")
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == f"sk_compat-0.4.2-{PY}-{PY}-{PLATFORM}.whl"
    data = "sk_compat-0.4.2.data"
    dist_info = "sk_compat-0.4.2.dist-info"
    assert names(result.wheel) == [
        f"{data}/data/share/sk-compat/README.data",
        f"{data}/headers/skcompat.h",
        f"{data}/scripts/sk-compat-sh",
        f"{data}/scripts/sk-compat-tool",
        "skcompat/__init__.py",
        "skcompat/_build_info.py",
        f"skcompat/_native{SUFFIX}",
        f"{dist_info}/METADATA",
        f"{dist_info}/WHEEL",
        f"{dist_info}/entry_points.txt",
        f"{dist_info}/licenses/LICENSE",
        f"{dist_info}/licenses/NOTICE.vendored",
        f"{dist_info}/RECORD",
    ]
    with zipfile.ZipFile(result.wheel) as archive:
        assert archive.read(f"{data}/scripts/sk-compat-sh").startswith(b"#!python\n")
        for script in ("sk-compat-sh", "sk-compat-tool"):
            mode = archive.getinfo(f"{data}/scripts/{script}").external_attr >> 16
            assert stat.S_IMODE(mode) == 0o755
        assert (
            archive.read("skcompat/_build_info.py")
            == f'SOABI = "{sysconfig.get_config_var("SOABI")}"\n'.encode()
        )
    fresh_venv.install(result.wheel)
    assert (
        fresh_venv.run("import skcompat; print(skcompat.project_version(), skcompat.build_state())")
        == "0.4.2 wheel"
    )
    tool = subprocess.run([fresh_venv.bin / "sk-compat-tool"], capture_output=True, text=True, check=True)
    assert tool.stdout == "sk-compat-tool says hi\n"
    headers = list((fresh_venv.path / "include").rglob("skcompat.h"))
    assert len(headers) == 1
    assert headers[0].read_text() == "#pragma once\n#define SKCOMPAT_ANSWER 42\n"


# The CPythons a test machine may have besides the one running the tests (pyenv installs them
# side by side). .ci/run lists those its machines have in TEST_PYTHONS: under CI a missing
# one of those fails the test; any other missing one skips it. 3.14 is on no such machine
# yet; the GitHub workflow runs the whole suite with it.
OTHER_PYTHONS = [
    version
    for version in ("3.9", "3.10", "3.11", "3.12", "3.13")
    if version != sysconfig.get_python_version()
]
EXPECTED_PYTHONS = os.environ.get("TEST_PYTHONS", "").split()
# The test runs the interpreter's pip and makes a venv with it (which needs ensurepip).
PROBE = (
    "import ensurepip, pip, sys, sysconfig; "
    "print('%d.%d' % sys.version_info[:2], bool(sysconfig.get_config_var('Py_GIL_DISABLED')))"
)


def find_python(version: str) -> str | None:
    """A CPython ``version`` (with the GIL, pip and venv): pyenv's, newest patch first, or on PATH."""
    versions = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    installed = [
        folder
        for folder in versions.glob(f"{version}.*")
        if re.fullmatch(rf"{re.escape(version)}\.\d+", folder.name)
    ]
    installed.sort(key=lambda folder: int(folder.name.rsplit(".", 1)[1]), reverse=True)
    candidates = [str(folder / "bin" / f"python{version}") for folder in installed]
    on_path = shutil.which(f"python{version}")  # may be a pyenv shim for a version not selected
    candidates += [on_path] if on_path else []
    for candidate in candidates:
        try:
            probed = subprocess.run(
                [candidate, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
            )
        except OSError:
            continue
        if probed.returncode == 0 and probed.stdout.split() == [version, "False"]:
            return candidate
    return None


@pytest.mark.parametrize("version", OTHER_PYTHONS)
def test_other_pythons(
    version: str, project: Callable[[str], Path], offline_pip: Path, tmp_path: Path
) -> None:
    del offline_pip
    python = find_python(version)
    if python is None:
        message = f"no Python {version} on this machine (pyenv install {version})"
        if version in EXPECTED_PYTHONS:
            missing(f"{message}, though TEST_PYTHONS lists it")
        pytest.skip(message)
    tag = f"cp{version.replace('.', '')}"
    result = pip_wheel(project("cpp-pybind11"), tmp_path / "dist", python=python)
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == f"pybind11_example-1.0.0-{tag}-{tag}-{PLATFORM}.whl"
    target = Venv(tmp_path / "venv", python=python)
    target.install(result.wheel)
    assert target.run("import pybind11_example as m; print(m.dot([1, 2], [3, 4]))") == "11.0"


CMAKE_PACKAGE = [
    "IronwheelCython.cmake",
    "IronwheelF2Py.cmake",
    "IronwheelModule.cmake",
    "ironwheel-config-version.cmake",
    "ironwheel-config.cmake",
    "ironwheel_cython.py",
]
COPY_IGNORED = (".git", "build", "dist", "*.egg-info", ".*cache", "__pycache__", ".hypothesis")


def test_ironwheel_builds_itself(offline_pip: Path, tmp_path: Path, fresh_venv: Venv) -> None:
    del offline_pip
    copy = tmp_path / "ironwheel"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*COPY_IGNORED))
    result = pip_wheel(copy, tmp_path / "dist")
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == "ironwheel-0.1.0-py3-none-any.whl"
    contents = names(result.wheel)
    assert "ironwheel/py.typed" in contents
    assert "ironwheel-0.1.0.dist-info/licenses/LICENSE" in contents
    assert not [name for name in contents if name.startswith(("tests/", "examples/"))]
    # The CMake package (cmake/) ships in the wheel (wheel.force-include) and the sdist; the
    # top-level CMakeLists.txt does not make the wheel native (wheel.cmake = false).
    installed = "ironwheel/share/cmake/ironwheel/"
    assert sorted(name[len(installed) :] for name in contents if name.startswith(installed)) == CMAKE_PACKAGE
    assert not [name for name in contents if name.startswith("cmake/")]
    sdist = python_build(copy, tmp_path / "sdist", "--sdist")
    assert sdist.returncode == 0, tail(sdist.output)
    with tarfile.open(tmp_path / "sdist" / "ironwheel-0.1.0.tar.gz") as archive:
        packed = archive.getnames()
    assert [f"ironwheel-0.1.0/cmake/{name}" for name in CMAKE_PACKAGE] == sorted(
        name for name in packed if name.startswith("ironwheel-0.1.0/cmake/")
    )
    assert "ironwheel-0.1.0/CMakeLists.txt" in packed
    fresh_venv.install(result.wheel)
    assert fresh_venv.run("import ironwheel; print(ironwheel.__version__)") == "0.1.0"
    helpers_dir = fresh_venv.run("from ironwheel.cmake.helpers import HELPERS_DIR; print(HELPERS_DIR)")
    assert (Path(helpers_dir) / "ironwheel-config.cmake").is_file()


def test_find_package_in_a_wheel_built_from_the_sdist(
    offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    """ironwheel's sdist, its wheel built from that sdist, and CMake finding the package in it."""
    del offline_pip
    copy = tmp_path / "ironwheel"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*COPY_IGNORED))
    sdist = python_build(copy, tmp_path / "sdist", "--sdist")
    assert sdist.returncode == 0, tail(sdist.output)
    with tarfile.open(tmp_path / "sdist" / "ironwheel-0.1.0.tar.gz") as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extraction_filter = tarfile.data_filter
        archive.extractall(tmp_path / "unpacked")
    wheel = pip_wheel(tmp_path / "unpacked" / "ironwheel-0.1.0", tmp_path / "dist")
    assert wheel.returncode == 0, tail(wheel.output)
    fresh_venv.install(wheel.wheel)
    package = Path(fresh_venv.run("import ironwheel, os; print(os.path.dirname(ironwheel.__file__))"))
    cmake_dir = subprocess.run(
        [fresh_venv.python, "-m", "ironwheel", "config", "--cmake-dir"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(cmake_dir) == package / "share" / "cmake" / "ironwheel"
    user = tmp_path / "user"
    user.mkdir()
    (user / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.18)\n"
        "project(user NONE)\n"
        "find_package(ironwheel 0.1 CONFIG REQUIRED)\n"
        'message(STATUS "found ironwheel ${ironwheel_VERSION} in ${ironwheel_DIR}")\n'
    )
    # As CMake users do: the Python package as a prefix (CMake searches its share/cmake/ironwheel),
    # or the directory that `ironwheel config --cmake-dir` names.
    for n, option in enumerate([f"-DCMAKE_PREFIX_PATH={package}", f"-Dironwheel_DIR={cmake_dir}"]):
        configured = subprocess.run(
            ["cmake", "-S", user, "-B", tmp_path / f"build-{n}", option],
            capture_output=True,
            text=True,
            check=False,
        )
        assert configured.returncode == 0, configured.stdout + configured.stderr
        assert f"-- found ironwheel 0.1.0 in {cmake_dir}\n" in configured.stdout


def test_scikit_build_table_is_honoured(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    result = pip_wheel(project("skbuild_config"), tmp_path / "dist", env={"SKCONFIG_FAST": "1"})
    assert result.returncode == 0, tail(result.output)
    assert "reading [tool.scikit-build] for compatibility" in result.output
    assert result.wheel.name == f"skconfig-2.5.0-{PY}-{PY}-{PLATFORM}.whl"
    assert names(result.wheel) == [
        "skconfig/__init__.py",
        f"skconfig/_ext{SUFFIX}",
        "skconfig/_version.py",
        "skconfig/generated.txt",
        "skconfig/libhelper.so.1",  # the internal library once, under its SONAME
        "skconfig-2.5.0.dist-info/METADATA",
        "skconfig-2.5.0.dist-info/WHEEL",
        "skconfig-2.5.0.dist-info/sboms/ironwheel.cdx.json",
        "skconfig-2.5.0.dist-info/RECORD",
    ]
    fresh_venv.install(result.wheel)
    assert (
        fresh_venv.run("import skconfig; print(skconfig.twice(21), skconfig.fast(), skconfig.version)")
        == "42 True 2.5.0"
    )
