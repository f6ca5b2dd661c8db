"""The generated CMake project, how configure uses it, and the pieces around it."""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.version import Version

from ironwheel.archive.tags import is_free_threaded
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.environment import BuildEnvironment, numpy_dirs
from ironwheel.cmake.helpers import HELPERS_DIR, helpers_used
from ironwheel.cmake.includes import package_includes
from ironwheel.cmake.plan import Plan, Tools
from ironwheel.errors import BuildError, ConfigError, ToolError, format_error
from ironwheel.extensions.generated import GeneratedProject, render_lists, write_generated
from ironwheel.extensions.optional import OptionalPolicy, optional_policy
from ironwheel.extensions.tables import Extension
from ironwheel.project.project import Project
from ironwheel.tools.compilers import buildable, find_compiler
from ironwheel.tools.toolchain import Program
from tests.unit import probes
from tests.unit.test_extensions import make

CMAKE = Program("cmake", Path("/usr/bin/cmake"), Version("3.25.1"), "on PATH")


def extensions(root: Path, tables: dict[str, Any], files: dict[str, str], **options: Any) -> list[Extension]:
    return make(root, tables, files, **options).extensions()


def test_generated_lists(tmp_path: Path) -> None:
    files = {
        "src/pkg/_core.c": "",
        "src/pkg/dot.f90": "",
        "src/pkg/_cy.pyx": "",
        "src/pkg/fib.f90": "",
        "src/pkg/opt.c": "",
        "src/_top.cpp": "#include <pybind11/pybind11.h>\n",
    }
    tables = {
        "pkg._core": {
            "sources": ["src/pkg/_core.c", "src/pkg/dot.f90"],
            "include-dirs": ["include"],
            "define-macros": {"NAME": '"x y"', "LEVEL": 2, "FLAG": True, "GONE": False},
            "libraries": ["m", "lib/libextra.a"],
            "library-dirs": ["lib"],
            "compile-args": ["-Wall", "-Wp,-D_FORTIFY_SOURCE=2"],
            "fortran-args": ["-O3"],
            "link-args": ["-Wl,--as-needed"],
            "numpy": True,
        },
        "pkg._cy": {
            "sources": ["src/pkg/_cy.pyx"],
            "language": "c++",
            "cython-directives": {"language_level": 3, "boundscheck": False, "binding": True},
        },
        "pkg._fib": {"sources": ["src/pkg/fib.f90"]},
        "pkg._opt": {"sources": ["src/pkg/opt.c"], "optional": True},
        "_top": {"sources": ["src/_top.cpp"]},
    }
    root = tmp_path.as_posix()
    text = render_lists("demo_project", extensions(tmp_path, tables, files), tmp_path)
    assert (
        text
        == f"""\
# Written by ironwheel from the [tool.ironwheel.extension] tables of pyproject.toml;
# it is rewritten on every build: do not edit.
cmake_minimum_required(VERSION 3.18...3.31)
project(demo_project_extensions LANGUAGES C CXX Fortran)
find_package(ironwheel CONFIG REQUIRED)
find_package(Python 3 REQUIRED COMPONENTS Interpreter Development.Module)
find_package(pybind11 CONFIG REQUIRED)

# pkg._core
ironwheel_add_module("pkg._core"
  SOURCES
    "{root}/src/pkg/_core.c"
    "{root}/src/pkg/dot.f90"
  BINDING capi
  OUTPUT_NAME "_core"
  WITH_SOABI)
target_include_directories("pkg._core" PRIVATE "{root}/include")
target_compile_definitions("pkg._core" PRIVATE
  "NAME=\\"x y\\""
  "LEVEL=2"
  "FLAG")
target_compile_options("pkg._core" PRIVATE
  "\\$<\\$<COMPILE_LANGUAGE:C,CXX>:-Wall>"
  "\\$<\\$<COMPILE_LANGUAGE:C,CXX>:-Wp\\$<COMMA>-D_FORTIFY_SOURCE=2>"
  "\\$<\\$<COMPILE_LANGUAGE:Fortran>:-O3>")
target_link_directories("pkg._core" PRIVATE "{root}/lib")
target_link_libraries("pkg._core" PRIVATE
  "m"
  "{root}/lib/libextra.a")
target_link_options("pkg._core" PRIVATE "-Wl,--as-needed")
ironwheel_link_numpy("pkg._core")
install(TARGETS "pkg._core" LIBRARY DESTINATION "${{IRONWHEEL_PLATLIB_DIR}}/pkg")

# pkg._cy
ironwheel_add_cython_module("pkg._cy" "{root}/src/pkg/_cy.pyx"
  MODULE_NAME "pkg._cy"
  CXX
  DIRECTIVES
    "language_level=3"
    "boundscheck=False"
    "binding=True"
  OUTPUT_NAME "_cy"
  WITH_SOABI)
install(TARGETS "pkg._cy" LIBRARY DESTINATION "${{IRONWHEEL_PLATLIB_DIR}}/pkg")

# pkg._fib
ironwheel_add_f2py_module("pkg._fib"
  SOURCES
    "{root}/src/pkg/fib.f90"
  MODULE_NAME "_fib"
  OUTPUT_NAME "_fib"
  WITH_SOABI)
install(TARGETS "pkg._fib" LIBRARY DESTINATION "${{IRONWHEEL_PLATLIB_DIR}}/pkg")

# pkg._opt (optional)
ironwheel_add_module("pkg._opt"
  SOURCES
    "{root}/src/pkg/opt.c"
  BINDING capi
  OUTPUT_NAME "_opt"
  WITH_SOABI)
set_target_properties("pkg._opt" PROPERTIES EXCLUDE_FROM_ALL TRUE)
install(TARGETS "pkg._opt" LIBRARY DESTINATION "${{IRONWHEEL_PLATLIB_DIR}}/pkg" OPTIONAL)

# _top
ironwheel_add_module("_top"
  SOURCES
    "{root}/src/_top.cpp"
  BINDING pybind11
  OUTPUT_NAME "_top"
  WITH_SOABI)
set_target_properties("_top" PROPERTIES LINKER_LANGUAGE CXX)
install(TARGETS "_top" LIBRARY DESTINATION "${{IRONWHEEL_PLATLIB_DIR}}")
"""
    )


def test_limited_api_reaches_the_helper(tmp_path: Path) -> None:
    if sys.implementation.name != "cpython" or is_free_threaded():
        pytest.skip("this interpreter has no stable ABI (free-threaded or not CPython)")
    found = extensions(
        tmp_path,
        {"m": {"sources": ["m.c"], "py-limited-api": True}},
        {"m.c": ""},
        project={"requires-python": ">=3.9"},
    )
    assert found[0].limited_api == "3.9"
    text = render_lists("p", found, tmp_path)
    assert '  OUTPUT_NAME "m"\n  WITH_SOABI\n  LIMITED_API_VERSION "3.9")\n' in text


@pytest.fixture
def build_dir(tmp_path: Path) -> Iterator[BuildDir]:
    with BuildDir.open(tmp_path / "build") as opened:
        yield opened


def test_generated_file_is_written_only_when_it_changes(tmp_path: Path, build_dir: BuildDir) -> None:
    found = extensions(tmp_path, {"m": {"sources": ["m.c"]}}, {"m.c": ""})
    generated = write_generated(build_dir.generated, "p", found, tmp_path, standalone=True)
    assert generated == GeneratedProject(build_dir.state_dir / "generated", True)
    lists = generated.directory / "CMakeLists.txt"
    stamp = lists.stat().st_mtime_ns
    again = write_generated(build_dir.generated, "p", found, tmp_path, standalone=True)
    assert again == generated
    assert lists.stat().st_mtime_ns == stamp
    assert write_generated(build_dir.generated, "p", [], tmp_path, standalone=True) is None
    assert not generated.directory.exists()


@pytest.fixture
def environment(tmp_path: Path) -> BuildEnvironment:
    """A fake isolated environment with NumPy in it."""
    return probes.environment(tmp_path, numpy=True)


def plan(
    build_dir: BuildDir,
    probe: BuildEnvironment,
    generated: GeneratedProject | None,
    define: dict[str, str] | None = None,
) -> Plan:
    return probes.plan(
        build_dir,
        probe,
        table={"cmake": {"define": define or {}}},
        source_dir=Path("/src/demo"),
        generated=generated,
        tools=Tools(CMAKE),
    )


def cache_value(result: Plan, name: str) -> str:
    prefix = f"set({name} "
    (line,) = [line for line in result.init_cache.splitlines() if line.startswith(prefix)]
    return line[len(prefix) :].split('" CACHE')[0].strip('"')


@pytest.mark.skipif(sys.platform == "win32", reason="the environment view is a POSIX feature")
def test_standalone_generated_project_is_the_top_level(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    generated = GeneratedProject(build_dir.state_dir / "generated", standalone=True)
    result = plan(build_dir, environment, generated)
    assert result.command[1:3] == ("-S", str(generated.directory))
    assert result.fresh_key["source"] == str(generated.directory)
    state = build_dir.state_dir.as_posix()
    assert cache_value(result, "CMAKE_PROJECT_INCLUDE") == f"{state}/project-include.cmake"
    assert result.files["project-include.cmake"] == (
        f'include("{state}/reproducible.cmake")\ninclude("{state}/rpath-room.cmake")\n'
    )
    assert "extensions.cmake" not in result.files
    # NumPy's headers are seen through the view, at a path that survives a new environment.
    view = f"{state}/env/site-0/numpy"
    assert cache_value(result, "IRONWHEEL_NUMPY_INCLUDE_DIR") == f"{view}/_core/include"
    assert cache_value(result, "Python_NumPy_INCLUDE_DIR") == f"{view}/_core/include"
    assert cache_value(result, "IRONWHEEL_F2PY_INCLUDE_DIR") == f"{view}/f2py/src"
    assert HELPERS_DIR.as_posix() in cache_value(result, "CMAKE_PREFIX_PATH").split(";")


@pytest.mark.skipif(sys.platform == "win32", reason="the reproducible include is not used on Windows")
def test_generated_project_joins_the_projects_own(build_dir: BuildDir, environment: BuildEnvironment) -> None:
    generated = GeneratedProject(build_dir.state_dir / "generated", standalone=False)
    result = plan(build_dir, environment, generated)
    state = build_dir.state_dir.as_posix()
    assert result.command[1:3] == ("-S", "/src/demo")
    assert cache_value(result, "CMAKE_PROJECT_INCLUDE") == f"{state}/project-include.cmake"
    assert result.files["project-include.cmake"] == (
        f'include("{state}/reproducible.cmake")\ninclude("{state}/rpath-room.cmake")\n'
        f'include("{state}/extensions.cmake")\n'
    )
    assert result.files["extensions.cmake"] == (
        "# Written by ironwheel: add the modules of the [tool.ironwheel.extension] tables.\n"
        "get_property(_ironwheel_extensions_added GLOBAL PROPERTY IRONWHEEL_EXTENSIONS_ADDED SET)\n"
        "if(NOT _ironwheel_extensions_added)\n"
        "  set_property(GLOBAL PROPERTY IRONWHEEL_EXTENSIONS_ADDED TRUE)\n"
        f'  add_subdirectory("{state}/generated" "{build_dir.path.as_posix()}/ironwheel-extensions")\n'
        "endif()\n"
    )


def test_a_project_include_of_the_users_still_runs(
    build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    generated = GeneratedProject(build_dir.state_dir / "generated", standalone=False)
    result = plan(build_dir, environment, generated, {"CMAKE_PROJECT_INCLUDE": "/src/demo/hook.cmake"})
    state = build_dir.state_dir.as_posix()
    assert not [arg for arg in result.command if arg.startswith("-DCMAKE_PROJECT_INCLUDE")]
    # The build paths stay out of compiled files with the user's include too.
    mapped = "" if os.name == "nt" else f'include("{state}/reproducible.cmake")\n'
    assert result.files["project-include.cmake"] == (
        f'include("/src/demo/hook.cmake")\n{mapped}include("{state}/rpath-room.cmake")\n'
        f'include("{state}/extensions.cmake")\n'
    )


def test_numpy_is_located_without_importing_it() -> None:
    found = numpy_dirs()
    assert found is not None, "numpy is in tests/requirements.txt"
    assert (found.include / "numpy" / "arrayobject.h").is_file()
    assert (found.f2py_source / "fortranobject.c").is_file()
    code = (
        "import sys; from ironwheel.cmake.environment import numpy_dirs; numpy_dirs(); "
        "print('numpy' in sys.modules)"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    environ = {**os.environ, "PYTHONPATH": src}
    imported = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environ
    )
    assert imported.stdout == "False\n"


def test_helper_calls_in_cmake_files_ask_for_their_packages(tmp_path: Path) -> None:
    (tmp_path / "CMakeLists.txt").write_text(
        "project(x)\n# ironwheel_add_f2py_module(not really)\nadd_subdirectory(sub)\n"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "CMakeLists.txt").write_text("IRONWHEEL_ADD_CYTHON_MODULE (m m.pyx)\n")
    build = tmp_path / "build"
    build.mkdir()
    (build / "CACHEDIR.TAG").write_text("")
    (build / "more.cmake").write_text("ironwheel_add_f2py_module(x SOURCES a.f90)\n")
    assert helpers_used(tmp_path) == {"cython"}
    (tmp_path / "cmake").mkdir()
    (tmp_path / "cmake" / "fortran.cmake").write_text("ironwheel_add_f2py_module(x SOURCES a.f90)\n")
    assert helpers_used(tmp_path) == {"cython", "numpy"}
    assert helpers_used(tmp_path / "sub") == {"cython"}
    assert helpers_used(tmp_path / "cmake") == frozenset()  # no CMakeLists.txt: not a CMake project


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ironwheel_cython", HELPERS_DIR / "ironwheel_cython.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_cython_finds_the_pxd_beside_a_module_in_a_root_with_an_init(tmp_path: Path) -> None:
    runner = _runner()
    root = tmp_path / "flat"
    root.mkdir()
    (root / "__init__.py").write_text("")  # the project's root is itself a package directory
    (root / "_flat.pxd").write_text('cdef extern from *:\n    ctypedef int flat_int "int"\n')
    (root / "_flat.pyx").write_text("cdef flat_int value = 3\nVALUE = value\n")
    output = tmp_path / "build" / "_flat.c"
    assert runner.main([str(output), str(root / "_flat.pyx"), "-3", "--module-name", "_flat"]) == 0
    assert "flat_int" in output.read_text()


def test_cython_runs_from_the_package_root(tmp_path: Path) -> None:
    runner = _runner()
    package = tmp_path / "src" / "pkg" / "sub"
    package.mkdir(parents=True)
    for directory in (package, package.parent):
        (directory / "__init__.py").write_text("")
    assert runner.package_root(str(package / "m.pyx")) == str(tmp_path / "src")
    assert runner.package_root(str(tmp_path / "loose.pyx")) == str(tmp_path)
    # The module's name says where its package starts, even below a directory with an __init__.py.
    named = str(package / "m.pyx")
    assert runner.module_root(named, ["-3", "--module-name", "pkg.sub.m"]) == str(tmp_path / "src")
    assert runner.module_root(named, ["--module-name", "m"]) == str(package)
    assert runner.module_root(named, ["--module-name", "other.m"]) == str(tmp_path / "src")
    depfile = tmp_path / "out.c.dep"
    depfile.write_text("../out.c: \\\n  pkg/sub/m.pyx \\\n  pkg/my dir/x.pxd\n")
    runner.rewrite_depfile(str(depfile), str(tmp_path / "build" / "out.c"), str(tmp_path / "src"))
    root = tmp_path.as_posix()
    assert depfile.read_text() == (
        f"{root}/build/out.c: {root}/src/pkg/sub/m.pyx \\\n  {root}/src/pkg/my\\ dir/x.pxd\n"
    )


POLICIES: list[tuple[dict[str, str], str, str]] = [
    ({}, "fallback", ""),
    ({"CI": "true"}, "required", "CI=true"),
    ({"CI": "0"}, "fallback", ""),
    ({"CIBUILDWHEEL": "1"}, "required", "CIBUILDWHEEL=1"),
    ({"IRONWHEEL_EXTENSION_OPTIONAL": "required"}, "required", "IRONWHEEL_EXTENSION_OPTIONAL=required"),
    (
        {"IRONWHEEL_EXTENSION_OPTIONAL": "fallback", "CI": "true"},
        "fallback",
        "IRONWHEEL_EXTENSION_OPTIONAL=fallback",
    ),
    ({"IRONWHEEL_EXTENSION_OPTIONAL": "Skip"}, "skip", "IRONWHEEL_EXTENSION_OPTIONAL=Skip"),
    ({"IRONWHEEL_EXTENSION_OPTIONAL": "auto", "CI": "yes"}, "required", "CI=yes"),
]


@pytest.mark.parametrize(("environ", "mode", "reason"), POLICIES)
def test_optional_policy(environ: dict[str, str], mode: str, reason: str) -> None:
    assert optional_policy(environ) == OptionalPolicy(mode, reason)  # type: ignore[arg-type]


def test_bad_optional_policy() -> None:
    with pytest.raises(ConfigError) as caught:
        optional_policy({"IRONWHEEL_EXTENSION_OPTIONAL": "maybe"})
    assert format_error(caught.value) == (
        'error: IRONWHEEL_EXTENSION_OPTIONAL: expected one of "auto", "required", "fallback", "skip", got "maybe"\n'
        "hint: unset IRONWHEEL_EXTENSION_OPTIONAL, or set it to required (fail the build) or fallback "
        "(ship without it)"
    )


def test_a_failed_optional_extension_warns_or_fails(caplog: pytest.LogCaptureFixture) -> None:
    problem = BuildError(
        "the build failed: m.c:1:1: error: boom", hint="fix the error reported by the compiler above"
    )
    with caplog.at_level(logging.WARNING, logger="ironwheel"):
        OptionalPolicy("fallback", "").failed("pkg._m", problem)
    assert "the optional extension pkg._m was NOT built; the wheel ships without it" in caplog.text
    assert "the build failed: m.c:1:1: error: boom" in caplog.text
    with pytest.raises(BuildError) as caught:
        OptionalPolicy("required", "CI=true").failed("pkg._m", problem)
    assert format_error(caught.value) == (
        "error: the optional extension pkg._m failed to build: the build failed: m.c:1:1: error: boom\n"
        "hint: fix the error reported by the compiler above; this is an error because CI=true "
        "(IRONWHEEL_EXTENSION_OPTIONAL=fallback ships the wheel without pkg._m)"
    )


def _fortran_project(root: Path, optional: bool) -> Project:
    tables = {
        "pkg._f": {"sources": ["src/pkg/f.f90"], "optional": optional},
        "pkg._c": {"sources": ["src/pkg/c.c"]},
    }
    return make(root, tables, {"src/pkg/f.f90": "", "src/pkg/c.c": ""})


def test_no_fortran_compiler(tmp_path: Path) -> None:
    empty = {"PATH": str(tmp_path / "nothing")}
    found = _fortran_project(tmp_path, optional=False).extensions()
    assert find_compiler("Fortran", empty) is None
    with pytest.raises(ToolError) as caught:
        buildable(found, OptionalPolicy("fallback", ""), empty)
    assert format_error(caught.value) == (
        "error: no Fortran compiler found for pkg._f (f.f90)\n"
        "hint: install gfortran: apt-get install gfortran / brew install gcc / conda install gfortran; "
        "or set FC to a Fortran compiler"
    )
    with pytest.raises(ToolError) as caught:
        buildable(found, OptionalPolicy("fallback", ""), {**empty, "FC": "/no/such/gfortran -O2"})
    assert format_error(caught.value) == (
        "error: the Fortran compiler FC=/no/such/gfortran -O2 was not found for pkg._f (f.f90)\n"
        "hint: set FC to an installed Fortran compiler, or unset it"
    )
    # A compiler named in cmake.define is CMake's business.
    assert (
        buildable(found, OptionalPolicy("fallback", ""), empty, {"CMAKE_Fortran_COMPILER": "/opt/fc"})
        == found
    )


def test_no_fortran_compiler_for_an_optional_extension(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    empty = {"PATH": str(tmp_path / "nothing")}
    found = _fortran_project(tmp_path, optional=True).extensions()
    with caplog.at_level(logging.WARNING, logger="ironwheel"):
        kept = buildable(found, OptionalPolicy("fallback", ""), empty)
    assert [extension.name for extension in kept] == ["pkg._c"]
    assert "the optional extension pkg._f was NOT built" in caplog.text
    assert "no Fortran compiler found for pkg._f (f.f90)" in caplog.text
    assert [e.name for e in buildable(found, OptionalPolicy("skip", "x"), empty)] == ["pkg._c"]
    with pytest.raises(ToolError) as caught:
        buildable(found, OptionalPolicy("required", "CI=1"), empty)
    assert caught.value.message == (
        "the optional extension pkg._f failed to build: no Fortran compiler found for pkg._f (f.f90)"
    )


def test_zig_compiles_no_fortran_whatever_is_installed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from ironwheel.tools.compilerset import Compilers
    from ironwheel.tools.zig import plan_zig

    zig = Compilers(zig=plan_zig(probes.wheel_target(), "auto", {}), zig_program=Path("/opt/zig/zig"))
    gfortran = {"PATH": str(tmp_path), "FC": sys.executable}  # a "compiler" that exists
    required = _fortran_project(tmp_path / "required", optional=False).extensions()
    assert buildable(required, OptionalPolicy("fallback", ""), gfortran) == required
    with pytest.raises(ToolError) as caught:
        buildable(required, OptionalPolicy("fallback", ""), gfortran, compilers=zig)
    assert caught.value.message == (
        'build.toolchain = "zig" compiles C and C++ only, but the extension pkg._f (f.f90) needs Fortran'
    )
    optional = _fortran_project(tmp_path / "optional", optional=True).extensions()
    with caplog.at_level(logging.WARNING, logger="ironwheel"):
        kept = buildable(optional, OptionalPolicy("fallback", ""), gfortran, compilers=zig)
    assert [extension.name for extension in kept] == ["pkg._c"]
    assert "the optional extension pkg._f was NOT built" in caplog.text
    assert buildable(optional, OptionalPolicy("fallback", ""), gfortran, compilers=Compilers()) == optional


def test_no_cuda_compiler(tmp_path: Path) -> None:
    project = make(tmp_path, {"g": {"sources": ["g.cu", "g.c"]}}, {"g.cu": "", "g.c": ""})
    with pytest.raises(ToolError) as caught:
        buildable(project.extensions(), OptionalPolicy("fallback", ""), {"PATH": str(tmp_path)})
    assert format_error(caught.value) == (
        "error: no CUDA compiler (nvcc) found for g (g.cu)\n"
        "hint: install the CUDA toolkit and put nvcc on PATH, or set CUDACXX to nvcc"
    )


def test_cython_s_own_files_are_named_through_the_environment_view(tmp_path: Path) -> None:
    runner = _runner()
    environment = tmp_path / "pip-build-env" / "site-packages"
    (environment / "Cython" / "Includes" / "libcpp").mkdir(parents=True)
    view = tmp_path / "build" / ".ironwheel" / "env" / "site-0"
    view.mkdir(parents=True)
    (view / "Cython").symlink_to(environment / "Cython", target_is_directory=True)
    (view / "copied").mkdir()
    links = runner.linked_entries([str(view), str(tmp_path / "missing")])
    assert links == [(str((environment / "Cython").resolve()), str(view / "Cython"))]
    depfile = tmp_path / "out.cpp.dep"
    real = (environment / "Cython" / "Includes" / "libcpp" / "vector.pxd").resolve()
    depfile.write_text(f"out.cpp: \\\n  pkg/m.pyx \\\n  {real}\n")
    runner.rewrite_depfile(str(depfile), str(tmp_path / "out.cpp"), str(tmp_path / "src"), links)
    root = tmp_path.as_posix()
    assert depfile.read_text() == (
        f"{root}/out.cpp: {root}/src/pkg/m.pyx \\\n  {view.as_posix()}/Cython/Includes/libcpp/vector.pxd\n"
    )


def test_the_keys_setup_py_extensions_need(tmp_path: Path) -> None:
    files = {"src/pkg/_a.c": "", "src/pkg/_off.c": "", "src/pkg/_b.cpp": ""}
    tables = {
        "pkg._a": {
            "sources": ["src/pkg/_a.c"],
            "undef-macros": ["NDEBUG"],
            "runtime-library-dirs": ["/opt/vendor/lib"],
            "extra-objects": ["obj/helper.o"],
        },
        "pkg._b": {"sources": ["src/pkg/_b.cpp"], "cxx-std": 17},
        "pkg._off": {"sources": ["src/pkg/_off.c"], "enabled": False},
    }
    text = render_lists("p", extensions(tmp_path, tables, files), tmp_path)
    root = tmp_path.as_posix()
    assert f'target_link_libraries("pkg._a" PRIVATE "{root}/obj/helper.o")' in text
    assert 'target_compile_options("pkg._a" PRIVATE "\\$<IF:\\$<C_COMPILER_ID:MSVC>,/U,-U>NDEBUG")' in text
    assert (
        'if(NOT WIN32)\n  set_property(TARGET "pkg._a" APPEND PROPERTY BUILD_RPATH "/opt/vendor/lib")\n'
        '  set_property(TARGET "pkg._a" APPEND PROPERTY INSTALL_RPATH "/opt/vendor/lib")\nendif()'
    ) in text
    assert 'set_target_properties("pkg._b" PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)' in text
    assert "pkg._off" not in text


def test_include_packages_are_cache_lists_seen_through_the_view(
    tmp_path: Path, build_dir: BuildDir, environment: BuildEnvironment
) -> None:
    files = {"m.cpp": ""}
    tables = {"pkg.m": {"sources": ["m.cpp"], "include-packages": ["cppy", "nanobind:include_dir"]}}
    text = render_lists("p", extensions(tmp_path, tables, files), tmp_path)
    assert (
        'target_include_directories("pkg.m" PRIVATE ${IRONWHEEL_INCLUDE_cppy})\n'
        'target_include_directories("pkg.m" PRIVATE ${IRONWHEEL_INCLUDE_nanobind_include_dir})\n'
    ) in text
    site = environment.site_dirs[0]
    includes = {"cppy": (site / "cppy" / "include",), "nanobind:include_dir": (site / "a", Path("/opt/b"))}
    probe = dataclasses.replace(environment, package_includes=includes)
    result = plan(build_dir, probe, GeneratedProject(build_dir.state_dir / "generated", standalone=True))
    view = f"{build_dir.state_dir.as_posix()}/env/site-0"
    # A new isolated environment keeps the same paths: the cache does not change.
    assert cache_value(result, "IRONWHEEL_INCLUDE_cppy") == f"{view}/cppy/include"
    assert cache_value(result, "IRONWHEEL_INCLUDE_nanobind_include_dir") == f"{view}/a;/opt/b"


def test_include_packages_are_asked_of_the_build_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Modules of the test's own: one returning a list (and printing), one failing on import.
    site = tmp_path / "site"
    (site / "more").mkdir(parents=True)
    (site / "many_headers.py").write_text(
        "import os\nprint('imported')\n"
        "def get_include():\n"
        "    here = os.path.dirname(os.path.abspath(__file__))\n"
        "    return [here, os.path.join(here, 'more')]\n"
    )
    (site / "broken_headers.py").write_text("import not_a_module_anywhere\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    cwd = tmp_path / "state"
    cwd.mkdir()
    python = Path(sys.executable)
    import cppy  # type: ignore[import-untyped]  # in tests/requirements.txt

    cppy_include = Path(cppy.get_include())
    found = package_includes(["cppy", "many_headers"], python, cwd, {})
    assert found == {"cppy": (cppy_include,), "many_headers": (site, site / "more")}
    with pytest.raises(ConfigError) as caught:
        package_includes(["broken_headers"], python, cwd, {"broken_headers": "key"})
    assert caught.value.message == (
        "key: importing broken_headers failed: ModuleNotFoundError: No module named 'not_a_module_anywhere'"
    )
    # A module in the working directory (the project's, say) is not the build requirement.
    (cwd / "cppy.py").write_text("def get_include():\n    return '/nowhere'\n")
    assert package_includes(["cppy"], python, cwd, {}) == {"cppy": (cppy_include,)}
