"""Every example, built by pip under isolation, installed into a fresh venv and imported."""

from __future__ import annotations

import os
import re
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.version import Version

from tests.conftest import Venv
from tests.integration.frontends import names, path_with_old_cmake, pip_wheel, python_build, tail

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
PLATFORM = sysconfig.get_platform().replace("-", "_").replace(".", "_")

EXAMPLES = {
    "pure-python": (
        "pure_example-1.0.0-py3-none-any.whl",
        [
            "pure_example/__init__.py",
            "pure_example-1.0.0.dist-info/METADATA",
            "pure_example-1.0.0.dist-info/WHEEL",
            "pure_example-1.0.0.dist-info/entry_points.txt",
            "pure_example-1.0.0.dist-info/RECORD",
        ],
        "import pure_example; print(pure_example.shout('hi'))",
        "HI!",
    ),
    "c-capi": (
        f"c_capi_example-1.0.0-{PY}-{PY}-{PLATFORM}.whl",
        [
            "c_capi_example/__init__.py",
            f"c_capi_example/_core{SUFFIX}",
            "c_capi_example-1.0.0.dist-info/METADATA",
            "c_capi_example-1.0.0.dist-info/WHEEL",
            "c_capi_example-1.0.0.dist-info/RECORD",
        ],
        "import c_capi_example as m; print(m.add(40, 2), m.greet('ironwheel'))",
        "42 Hello, ironwheel!",
    ),
    "cpp-pybind11": (
        f"pybind11_example-1.0.0-{PY}-{PY}-{PLATFORM}.whl",
        [
            "pybind11_example/__init__.py",
            f"pybind11_example/_core{SUFFIX}",
            "pybind11_example-1.0.0.dist-info/METADATA",
            "pybind11_example-1.0.0.dist-info/WHEEL",
            "pybind11_example-1.0.0.dist-info/RECORD",
        ],
        "import pybind11_example as m; print(m.add(1, 2), m.dot([1, 2], [3, 4]), m.__version__)",
        "3 11.0 1.0.0",
    ),
    "cpp-nanobind": (
        f"nanobind_example-1.0.0-{PY}-{PY}-{PLATFORM}.whl",
        [
            "nanobind_example/__init__.py",
            f"nanobind_example/_core{SUFFIX}",
            "nanobind_example-1.0.0.dist-info/METADATA",
            "nanobind_example-1.0.0.dist-info/WHEEL",
            "nanobind_example-1.0.0.dist-info/RECORD",
        ],
        "import nanobind_example as m; print(m.add(2, 3), m.scale([1.0, 2.5], 2.0))",
        "5 [2.0, 5.0]",
    ),
    "abi3": (
        f"abi3_example-1.0.0-cp39-abi3-{PLATFORM}.whl",
        [
            "abi3_example/__init__.py",
            "abi3_example/_core.abi3.so",
            "abi3_example-1.0.0.dist-info/METADATA",
            "abi3_example-1.0.0.dist-info/WHEEL",
            "abi3_example-1.0.0.dist-info/RECORD",
        ],
        "import abi3_example as m; print(m.fib(90))",
        "2880067194370816120",
    ),
}


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_example_with_pip_isolated(
    example: str, project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    wheel_name, contents, code, expected = EXAMPLES[example]
    result = pip_wheel(project(example), tmp_path / "dist")
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == wheel_name
    assert names(result.wheel) == contents
    fresh_venv.install(result.wheel)
    assert fresh_venv.run(code) == expected


@pytest.mark.skipif(os.name == "nt", reason="the cmake stand-in is a shell script")
def test_abi3_example_gets_cmake_from_pypi_when_the_one_on_path_is_too_old(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    # USE_SABI (a cp39-abi3 module) needs CMake 3.26.
    del offline_pip
    path = path_with_old_cmake(tmp_path / "bin")
    result = pip_wheel(project("abi3"), tmp_path / "dist", env={"PATH": path})
    assert result.returncode == 0, tail(result.output)
    assert "requesting cmake>=3.26 from PyPI" in result.output
    # The build used the cmake pip installed into the isolated environment.
    chosen = re.findall(r"ironwheel: using cmake (\S+) at (\S+) ", result.output)
    assert chosen, tail(result.output)
    for version, where in chosen:
        assert Version(version) >= Version("3.26"), where
        assert Path(where).parent != tmp_path / "bin"
    assert result.wheel.name == EXAMPLES["abi3"][0]
    fresh_venv.install(result.wheel)
    assert fresh_venv.run(EXAMPLES["abi3"][2]) == EXAMPLES["abi3"][3]


@pytest.mark.parametrize("example", ["c-capi", "cpp-pybind11"])
def test_example_with_pip_without_isolation(
    example: str, project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv
) -> None:
    wheel_name, contents, code, expected = EXAMPLES[example]
    result = pip_wheel(project(example), tmp_path / "dist", isolated=False)
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == wheel_name
    assert names(result.wheel) == contents
    fresh_venv.install(result.wheel)
    assert fresh_venv.run(code) == expected


def test_python_build_sdist_then_wheel_from_it(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    source = project("c-capi")
    result = python_build(source, tmp_path / "dist")
    assert result.returncode == 0, tail(result.output)
    built = sorted(path.name for path in (tmp_path / "dist").iterdir())
    assert built == sorted(["c_capi_example-1.0.0.tar.gz", EXAMPLES["c-capi"][0]])
    # The wheel python -m build made from the unpacked sdist equals one made from the tree.
    direct = pip_wheel(source, tmp_path / "direct")
    assert direct.returncode == 0, tail(direct.output)
    assert direct.wheel.read_bytes() == result.wheel.read_bytes()
    fresh_venv.install(result.wheel)
    assert fresh_venv.run(EXAMPLES["c-capi"][2]) == EXAMPLES["c-capi"][3]


def test_python_build_without_isolation(project: Callable[[str], Path], tmp_path: Path) -> None:
    result = python_build(project("pure-python"), tmp_path / "dist", "--wheel", isolated=False)
    assert result.returncode == 0, tail(result.output)
    assert result.wheel.name == EXAMPLES["pure-python"][0]
