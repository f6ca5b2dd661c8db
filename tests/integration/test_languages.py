"""Declarative extensions, Cython, Fortran and CUDA, built for real and imported in a fresh venv."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Venv, require_tool
from tests.integration.frontends import Result, configure_runs, names, pip_wheel, python_build, tail
from tests.integration.test_failures import backend_error

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
PLATFORM = sysconfig.get_platform().replace("-", "_").replace(".", "_")
# Projects with Fortran sources, which need gfortran (PyPI has no Fortran compiler).
FORTRAN = {"fortran-f2py", "fortran_from_c", "optional_ext", "cmake_helpers"}


def dist_info(name: str, version: str = "1.0") -> list[str]:
    return [f"{name}-{version}.dist-info/{file}" for file in ("METADATA", "WHEEL", "RECORD")]


def built(result: Result) -> Path:
    assert result.returncode == 0, tail(result.output)
    return result.wheel


# example -> (wheel, contents, extra packages for the venv, code, expected output)
EXAMPLES: dict[str, tuple[str, list[str], list[str], str, str]] = {
    "declarative-c": (
        f"declarative_c_example-1.0.0-{PY}-{PY}-{PLATFORM}.whl",
        [
            "declarative_c_example/__init__.py",
            f"declarative_c_example/_core{SUFFIX}",
            *dist_info("declarative_c_example", "1.0.0"),
        ],
        [],
        "import declarative_c_example as m; print(m.mean([1, 2, 3, 4]), m.version)",
        "2.5 1.0",
    ),
    "cython": (
        f"cython_example-1.0.0-{PY}-{PY}-{PLATFORM}.whl",
        [
            "cython_example/__init__.py",
            f"cython_example/_primes{SUFFIX}",
            "cython_example/_primes.pxd",
            f"cython_example/_words{SUFFIX}",
            *dist_info("cython_example", "1.0.0"),
        ],
        [],
        "import cython_example as m; "
        "print(m.primes(6), m.unique_sorted(['b', 'a', 'b']), m.prime_lengths(['ab', 'abc', 'abcd']), "
        "m.primes.__doc__.splitlines()[0])",
        "[2, 3, 5, 7, 11, 13] ['a', 'b'] ['ab', 'abc'] primes(int count)",
    ),
    "fortran-f2py": (
        f"fortran_f2py_example-1.0.0-{PY}-{PY}-{PLATFORM}.whl",
        [
            "fortran_f2py_example/__init__.py",
            f"fortran_f2py_example/_fortran{SUFFIX}",
            *dist_info("fortran_f2py_example", "1.0.0"),
        ],
        ["numpy"],
        "import numpy as np, fortran_f2py_example as m; "
        "print(m.moving_average(np.arange(6.0), 3).tolist(), m.axpy(2.0, np.ones(3), np.arange(3.0)).tolist())",
        "[1.0, 2.0, 3.0, 4.0] [2.0, 3.0, 4.0]",
    ),
}


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_language_example(
    example: str, project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    if example in FORTRAN:
        require_tool("gfortran")
    wheel_name, contents, extra, code, expected = EXAMPLES[example]
    result = pip_wheel(project(example), tmp_path / "dist")
    wheel = built(result)
    assert wheel.name == wheel_name
    assert names(wheel) == contents
    fresh_venv.install(wheel, *(next(offline_pip.glob(f"{package}-*.whl")) for package in extra))
    assert fresh_venv.run(code) == expected


def test_cuda_example(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv, cuda: dict[str, str]
) -> None:
    del offline_pip
    wheel = built(pip_wheel(project("cuda"), tmp_path / "dist", env=cuda))
    assert wheel.name == f"cuda_example-1.0.0-{PY}-{PY}-{PLATFORM}.whl"
    assert names(wheel) == [
        "cuda_example/__init__.py",
        f"cuda_example/_core{SUFFIX}",
        *dist_info("cuda_example", "1.0.0"),
    ]
    fresh_venv.install(wheel)
    # The CUDA runtime is linked statically: the module imports without a GPU, and then says so.
    code = (
        "import cuda_example as m\n"
        "if m.devices() > 0:\n"
        "    print(m.add([1.0, 2.0], 0.5))\n"
        "else:\n"
        "    try:\n"
        "        m.add([1.0], 1.0)\n"
        "    except RuntimeError as error:\n"
        "        print('no device:', str(error).startswith('CUDA error'))\n"
    )
    assert fresh_venv.run(code) in ("[1.5, 2.5]", "no device: True")


def test_cython_cimports_a_pxd_of_another_package(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    result = pip_wheel(project("cython_pxd"), tmp_path / "dist")
    wheel = built(result)
    assert "requesting cython>=3.0: mathcore._arith is written in Cython" in result.output
    assert wheel.name == f"cython_pxd-1.0-{PY}-{PY}-{PLATFORM}.whl"
    # .pyx and generated C stay out; the .pxd ships, so that other projects can cimport it.
    assert names(wheel) == [
        "mathapp/__init__.py",
        f"mathapp/_use{SUFFIX}",
        "mathapp/offset.h",
        "mathcore/__init__.py",
        f"mathcore/_arith{SUFFIX}",
        "mathcore/_arith.pxd",
        *dist_info("cython_pxd"),
    ]
    fresh_venv.install(wheel)
    assert fresh_venv.run("from mathapp._use import lcm, shifted; print(lcm(4, 6), shifted(1))") == "12 101"


def test_cython_wheel_from_the_sdist_is_the_wheel_from_the_tree(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path
) -> None:
    # python -m build unpacks the sdist elsewhere: the same bytes prove the sdist is
    # complete and no path of the tree is compiled into the modules.
    del offline_pip
    source = project("cython")
    from_sdist = python_build(source, tmp_path / "dist")
    assert from_sdist.returncode == 0, tail(from_sdist.output)
    direct = built(pip_wheel(source, tmp_path / "direct"))
    assert built(from_sdist).read_bytes() == direct.read_bytes()


@pytest.mark.parametrize("generator", ["Ninja", "Unix Makefiles"])
def test_a_pxd_edit_rebuilds_the_modules_that_cimport_it(
    generator: str, project: Callable[[str], Path], tmp_path: Path
) -> None:
    root = project("cython_pxd")
    environ = {"CMAKE_GENERATOR": generator}
    first = pip_wheel(root, tmp_path / "one", isolated=False, env=environ)
    built(first)
    assert "Cythonizing" in first.output
    unchanged = pip_wheel(root, tmp_path / "two", isolated=False, env=environ)
    built(unchanged)
    assert "Cythonizing" not in unchanged.output
    assert generator != "Ninja" or "ninja: no work to do." in unchanged.output
    pxd = root / "src" / "mathcore" / "_arith.pxd"
    pxd.write_text(pxd.read_text() + "# edited\n")
    edited = pip_wheel(root, tmp_path / "three", isolated=False, env=environ)
    built(edited)
    cythonized = sorted(
        line.split("Cythonizing ")[1] for line in edited.output.splitlines() if "Cythonizing " in line
    )
    assert cythonized == [str(root / "src/mathapp/_use.pyx"), str(root / "src/mathcore/_arith.pyx")]


@pytest.mark.parametrize("name", ["cython_pxd", "cython", "fortran-f2py", "include_packages"])
def test_isolated_rebuilds_compile_nothing(
    name: str, project: Callable[[str], Path], offline_pip: Path, tmp_path: Path
) -> None:
    # A new isolated environment (new Cython, new NumPy paths) each time, yet nothing reruns;
    # the cython example cimports libcpp, a .pxd of Cython itself.
    del offline_pip
    if name in FORTRAN:
        require_tool("gfortran")
    root = project(name)
    first = built(pip_wheel(root, tmp_path / "one"))
    configured = configure_runs(root)
    second = pip_wheel(root, tmp_path / "two")
    assert built(second).read_bytes() == first.read_bytes()
    assert "is up to date" in second.output
    assert "ninja: no work to do." in second.output
    assert configure_runs(root) == configured


def test_fortran_called_from_c(project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv) -> None:
    require_tool("gfortran")
    wheel = built(pip_wheel(project("fortran_from_c"), tmp_path / "dist", isolated=False))
    assert names(wheel) == [
        "fortran_from_c/__init__.py",
        f"fortran_from_c/_dot{SUFFIX}",
        *dist_info("fortran_from_c"),
    ]
    fresh_venv.install(wheel)
    assert (
        fresh_venv.run("from fortran_from_c import dot; print(dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]))")
        == "32.0"
    )


ASM_PROJECT = {
    "pyproject.toml": """
[build-system]
requires = ["ironwheel"]
build-backend = "ironwheel"

[project]
name = "asmpkg"
version = "1.0"

[tool.ironwheel.extension."asmpkg._fast"]
sources = ["asmpkg/_fast.c", "asmpkg/answer_x86_64.S"]
""",
    "asmpkg/__init__.py": "",
    "asmpkg/_fast.c": """
#include <Python.h>
int asm_answer(void);
static PyObject *answer(PyObject *self, PyObject *unused) { return PyLong_FromLong(asm_answer()); }
static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fast", NULL, -1, methods};
PyMODINIT_FUNC PyInit__fast(void) { return PyModule_Create(&module); }
""",
    # .S goes through the C preprocessor first: ANSWER is a macro.
    "asmpkg/answer_x86_64.S": """
#define ANSWER 42
    .text
    .globl asm_answer
    .type asm_answer, @function
asm_answer:
    movl $ANSWER, %eax
    ret
    .section .note.GNU-stack,"",@progbits
""",
}


@pytest.mark.skipif(
    sys.platform != "linux" or PLATFORM != "linux_x86_64", reason="x86-64 GNU assembler source"
)
def test_an_assembly_source(tmp_path: Path, fresh_venv: Venv) -> None:
    root = tmp_path / "asmpkg"
    for name, text in ASM_PROJECT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text.lstrip("\n"))
    wheel = built(pip_wheel(root, tmp_path / "dist", isolated=False))
    assert names(wheel) == ["asmpkg/__init__.py", f"asmpkg/_fast{SUFFIX}", *dist_info("asmpkg")]
    fresh_venv.install(wheel)
    assert fresh_venv.run("from asmpkg._fast import answer; print(answer())") == "42"


def test_no_fortran_compiler(project: Callable[[str], Path], tmp_path: Path) -> None:
    nothing = tmp_path / "empty-path"
    nothing.mkdir()
    result = pip_wheel(project("fortran-f2py"), tmp_path / "dist", isolated=False, env={"PATH": str(nothing)})
    assert result.returncode != 0
    assert result.wheels == []
    assert backend_error(result) == [
        "error: no Fortran compiler found for fortran_f2py_example._fortran (smooth.f90)",
        "hint: install gfortran: apt-get install gfortran / brew install gcc / conda install gfortran; "
        "or set FC to a Fortran compiler",
    ]


OPTIONAL_CODE = "import optional_ext as m; print(m.answer(), m.fast(), m.ffast())"


@pytest.fixture
def no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests decide themselves whether the build looks like CI."""
    for name in ("CI", "CIBUILDWHEEL", "IRONWHEEL_EXTENSION_OPTIONAL"):
        monkeypatch.delenv(name, raising=False)


def test_a_failed_optional_extension_is_left_out(
    project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv, no_ci: None
) -> None:
    del no_ci
    require_tool("gfortran")
    result = pip_wheel(project("optional_ext"), tmp_path / "dist", isolated=False)
    wheel = built(result)
    assert names(wheel) == [
        "optional_ext/__init__.py",
        f"optional_ext/_core{SUFFIX}",
        f"optional_ext/_ffast{SUFFIX}",
        *dist_info("optional_ext"),
    ]
    output = result.output.replace("\u2018", "'").replace("\u2019", "'")
    assert (
        "warning: the optional extension optional_ext._speedups was NOT built; the wheel ships without it"
        in output
    )
    assert "_speedups.c:6:73: error: expected ';' before '}' token" in output
    fresh_venv.install(wheel)
    assert fresh_venv.run(OPTIONAL_CODE) == "42 pure fortran 7"


@pytest.mark.parametrize(
    ("environ", "reason"),
    [
        ({"CI": "true"}, "CI=true"),
        ({"IRONWHEEL_EXTENSION_OPTIONAL": "required"}, "IRONWHEEL_EXTENSION_OPTIONAL=required"),
    ],
)
def test_a_failed_optional_extension_fails_ci(
    environ: dict[str, str], reason: str, project: Callable[[str], Path], tmp_path: Path, no_ci: None
) -> None:
    del no_ci
    require_tool("gfortran")  # else the Fortran module is the first to fail
    root = project("optional_ext")
    result = pip_wheel(root, tmp_path / "dist", isolated=False, env=environ)
    assert result.returncode != 0
    assert result.wheels == []
    source = root / "src" / "optional_ext" / "_speedups.c"
    assert backend_error(result) == [
        "error: the optional extension optional_ext._speedups failed to build: the build failed: "
        f"{source}:6:73: error: expected ';' before '}}' token",
        "hint: fix the error reported by the compiler above (-C build.verbose=true shows every compiler command); "
        f"this is an error because {reason} (IRONWHEEL_EXTENSION_OPTIONAL=fallback ships the wheel without "
        "optional_ext._speedups)",
    ]


def test_optional_extensions_can_be_skipped_or_lose_their_compiler(
    project: Callable[[str], Path], tmp_path: Path, no_ci: None
) -> None:
    del no_ci
    root = project("optional_ext")
    skipped = pip_wheel(root, tmp_path / "skip", isolated=False, env={"IRONWHEEL_EXTENSION_OPTIONAL": "skip"})
    assert names(built(skipped)) == [
        "optional_ext/__init__.py",
        f"optional_ext/_core{SUFFIX}",
        *dist_info("optional_ext"),
    ]
    compiled = [line for line in skipped.output.splitlines() if "Building" in line or "Linking" in line]
    assert compiled
    assert not [line for line in compiled if "_speedups" in line or "_ffast" in line]
    no_fortran = pip_wheel(root, tmp_path / "no-fc", isolated=False, env={"FC": "/no/such/gfortran"})
    assert names(built(no_fortran)) == [
        "optional_ext/__init__.py",
        f"optional_ext/_core{SUFFIX}",
        *dist_info("optional_ext"),
    ]
    assert (
        "warning:   the Fortran compiler FC=/no/such/gfortran was not found for optional_ext._ffast (ffast.f90)"
        in no_fortran.output
    )


def test_a_module_that_stops_building_leaves_the_next_wheel(
    project: Callable[[str], Path], tmp_path: Path, no_ci: None
) -> None:
    del no_ci
    require_tool("gfortran")
    root = project("optional_ext")
    source = root / "src" / "optional_ext" / "_speedups.c"
    broken = source.read_text()
    source.write_text(broken.replace("PyModule_Create(&module) }", "PyModule_Create(&module); }"))
    fixed = built(pip_wheel(root, tmp_path / "fixed", isolated=False))
    assert f"optional_ext/_speedups{SUFFIX}" in names(fixed)
    source.write_text(broken)
    again = built(pip_wheel(root, tmp_path / "again", isolated=False))
    assert f"optional_ext/_speedups{SUFFIX}" not in names(again)
    assert f"optional_ext/_ffast{SUFFIX}" in names(again)


def test_tables_beside_a_cmakelists(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    wheel = built(pip_wheel(project("mixed_cmake"), tmp_path / "dist"))
    assert names(wheel) == [
        "mixed/__init__.py",
        f"mixed/_fast{SUFFIX}",
        f"mixed/_native{SUFFIX}",
        *dist_info("mixed"),
    ]
    fresh_venv.install(wheel)
    assert fresh_venv.run("import mixed; print(mixed.fast(), mixed.native())") == "2 1"


def test_listed_targets_still_build_the_tables(project: Callable[[str], Path], tmp_path: Path) -> None:
    result = pip_wheel(
        project("mixed_cmake"), tmp_path / "dist", "-C", "cmake.targets=_native", isolated=False
    )
    assert names(built(result)) == [
        "mixed/__init__.py",
        f"mixed/_fast{SUFFIX}",
        f"mixed/_native{SUFFIX}",
        *dist_info("mixed"),
    ]


def test_cmake_helpers_from_an_isolated_environment(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    require_tool("gfortran")
    result = pip_wheel(project("cmake_helpers"), tmp_path / "dist")
    wheel = built(result)
    assert "requesting cython>=3.0: the CMake files call ironwheel's helper for it" in result.output
    assert "requesting numpy: the CMake files call ironwheel's helper for it" in result.output
    assert names(wheel) == [
        "helpers_demo/__init__.py",
        f"helpers_demo/_cy{SUFFIX}",
        "helpers_demo/_limited.abi3.so",
        f"helpers_demo/_norms{SUFFIX}",
        *dist_info("helpers_demo"),
    ]
    fresh_venv.install(wheel, next(offline_pip.glob("numpy-*.whl")))
    code = (
        "import numpy as np; from helpers_demo import _cy, _norms, _limited; "
        "print(_cy.squares(4), _norms.norm1(np.array([1.0, -2.0])), hasattr(_norms, 'hidden'), _limited.size_of_intp())"
    )
    assert fresh_venv.run(code) == "[0, 1, 4, 9] 3.0 False 8"


def test_pybind11_and_nanobind_tables(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    result = pip_wheel(project("bindings_decl"), tmp_path / "dist")
    wheel = built(result)
    assert "requesting nanobind: bindings_decl._nb uses nanobind" in result.output
    assert "requesting pybind11: bindings_decl._pb uses pybind11" in result.output
    assert names(wheel) == [
        "bindings_decl/__init__.py",
        f"bindings_decl/_nb{SUFFIX}",
        f"bindings_decl/_pb{SUFFIX}",
        *dist_info("bindings_decl"),
    ]
    fresh_venv.install(wheel)
    assert fresh_venv.run("from bindings_decl import _pb, _nb; print(_pb.add(2, 3), _nb.mul(2, 3))") == "5 6"


def test_a_table_compiles_against_a_build_requirement_s_headers(
    project: Callable[[str], Path], offline_pip: Path, tmp_path: Path, fresh_venv: Venv
) -> None:
    # include-packages = ["cppy"]: what include_dirs=[cppy.get_include()] was in a setup.py.
    del offline_pip
    result = pip_wheel(project("include_packages"), tmp_path / "dist")
    wheel = built(result)
    assert "requesting cppy: include_packages._core compiles against its headers (include-packages)" in (
        result.output
    )
    assert names(wheel) == [
        "include_packages/__init__.py",
        f"include_packages/_core{SUFFIX}",
        *dist_info("include_packages"),
    ]
    fresh_venv.install(wheel)
    assert fresh_venv.run("import include_packages as m; print(m.pair(1, 'two'))") == "(1, 'two')"


def test_limited_api_table_makes_an_abi3_wheel(
    project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv
) -> None:
    wheel = built(pip_wheel(project("limited_decl"), tmp_path / "dist", isolated=False))
    assert wheel.name == f"limited_decl-1.0-cp39-abi3-{PLATFORM}.whl"
    assert names(wheel) == [
        "limited_decl/__init__.py",
        "limited_decl/_core.abi3.so",
        *dist_info("limited_decl"),
    ]
    fresh_venv.install(wheel)
    assert fresh_venv.run("import limited_decl; print(hex(limited_decl.limited()))") == "0x3090000"


def test_cuda_table(
    project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv, cuda: dict[str, str]
) -> None:
    wheel = built(pip_wheel(project("cuda_decl"), tmp_path / "dist", isolated=False, env=cuda))
    assert names(wheel) == ["cuda_decl/__init__.py", f"cuda_decl/_gpu{SUFFIX}", *dist_info("cuda_decl")]
    fresh_venv.install(wheel)
    # cudaRuntimeGetVersion needs no device: 1000 * major + 10 * minor of the toolkit nvcc belongs to.
    assert int(fresh_venv.run("import cuda_decl; print(cuda_decl.runtime_version())")) >= 11000


def test_the_repository_is_a_cmake_project_with_ctest_tests(tmp_path: Path, cuda: dict[str, str]) -> None:
    """What a CMake IDE does with the repository: configure, build, run ctest."""
    require_tool("gfortran")
    build = tmp_path / "dev"
    python = f"-DPython_EXECUTABLE={sys.executable}"
    for command in (
        ["cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja", python],
        ["cmake", "--build", str(build)],
    ):
        completed = subprocess.run(
            command, capture_output=True, text=True, check=False, env={**os.environ, **cuda}
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
    tests = subprocess.run(
        ["ctest", "--output-on-failure"], cwd=build, capture_output=True, text=True, check=False
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    passed = sorted(re.findall(r"Test +#\d+: (\S+) \.+ +Passed", tests.stdout))
    cmake_version = subprocess.run(["cmake", "--version"], capture_output=True, text=True, check=True).stdout
    newer = tuple(int(part) for part in re.findall(r"(\d+)\.(\d+)", cmake_version)[0]) >= (3, 26)
    expected = [
        *(["example.abi3"] if newer else []),
        "example.c-capi",
        "example.cpp-nanobind",
        "example.cpp-pybind11",
        "example.cuda",
        "helpers.add_cython_module",
        "helpers.add_f2py_module",
        "helpers.add_module",
        "helpers.add_module_limited_api",
    ]
    assert passed == expected, tests.stdout
