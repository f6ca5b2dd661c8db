"""Extension tables: settings, sources, bindings, the limited API and build requirements."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from ironwheel.errors import ConfigError, format_error
from ironwheel.extensions.tables import language_requirements
from ironwheel.project.project import Project
from ironwheel.project.pyproject import Pyproject
from ironwheel.settings import load_settings

PYBIND11 = "#include <pybind11/pybind11.h>\n"
NANOBIND = '#include "nanobind/nanobind.h"\n'


def make(
    root: Path,
    tables: Mapping[str, Any],
    files: Mapping[str, str] | None = None,
    *,
    project: Mapping[str, Any] | None = None,
    wheel: Mapping[str, Any] | None = None,
    requires: list[str] | None = None,
) -> Project:
    """A project in ``root`` with these extension tables and source files."""
    for name, text in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    tool: dict[str, Any] = {"extension": dict(tables)}
    if wheel:
        tool["wheel"] = dict(wheel)
    pyproject: dict[str, Any] = {
        "build-system": {"requires": ["ironwheel", *(requires or [])]},
        "project": {"name": "pkg", "version": "1", **(project or {})},
        "tool": {"ironwheel": tool},
    }
    return Project(root, Pyproject(pyproject), load_settings(pyproject, environ={}))


AUTO: list[tuple[str, dict[str, str], str, tuple[str, ...], bool]] = [
    ("c", {"src/pkg/_core.c": ""}, "capi", ("C",), False),
    ("c++", {"src/pkg/_core.cpp": ""}, "capi", ("CXX",), True),
    ("pybind11 include", {"src/pkg/_core.cpp": PYBIND11}, "pybind11", ("CXX",), True),
    ("nanobind include", {"src/pkg/_core.cpp": NANOBIND}, "nanobind", ("CXX",), True),
    (
        "pybind11 through a listed header",
        {"src/pkg/_core.cpp": "", "src/pkg/b.h": PYBIND11},
        "pybind11",
        ("CXX",),
        True,
    ),
    ("cython", {"src/pkg/_core.pyx": "def f(): pass\n"}, "cython", ("C",), False),
    (
        "cython c++ comment",
        {"src/pkg/_core.pyx": "# distutils: language = c++\ndef f(): pass\n"},
        "cython",
        ("CXX",),
        True,
    ),
    ("cython with a C helper", {"src/pkg/_core.pyx": "", "src/pkg/h.c": ""}, "cython", ("C",), False),
    ("fortran alone is f2py", {"src/pkg/fib.f90": ""}, "f2py", ("C", "Fortran"), False),
    (
        "fixed-form and a signature",
        {"src/pkg/fib.f": "", "src/pkg/fib.pyf": ""},
        "f2py",
        ("C", "Fortran"),
        False,
    ),
    (
        "fortran called from C",
        {"src/pkg/_core.c": "", "src/pkg/dot.F90": ""},
        "capi",
        ("C", "Fortran"),
        False,
    ),
    ("cuda with C glue", {"src/pkg/_core.c": "", "src/pkg/k.cu": ""}, "capi", ("C", "CUDA"), False),
]


@pytest.mark.parametrize(
    ("name", "files", "binding", "languages", "cxx"), AUTO, ids=[case[0] for case in AUTO]
)
def test_binding_and_languages_follow_the_sources(
    tmp_path: Path, name: str, files: dict[str, str], binding: str, languages: tuple[str, ...], cxx: bool
) -> None:
    del name
    project = make(tmp_path, {"pkg._core": {"sources": list(files)}}, files)
    (extension,) = project.extensions()
    assert (extension.binding, extension.languages, extension.cxx) == (binding, languages, cxx)
    assert extension.module == "_core"
    assert extension.package_path == "pkg"


def test_glob_patterns_expand_sorted_once(tmp_path: Path) -> None:
    files = {"src/b.c": "", "src/a.c": "", "src/sub/c.c": "", "src/a.h": ""}
    project = make(tmp_path, {"_top": {"sources": ["src/*.c", "src/a.c", "src/**/*.h"]}}, files)
    (extension,) = project.extensions()
    assert [path.relative_to(tmp_path).as_posix() for path in extension.sources] == [
        "src/a.c",
        "src/b.c",
        "src/a.h",
    ]
    assert extension.package_path == ""
    assert extension.consumed == {tmp_path / "src/a.c", tmp_path / "src/b.c"}


def test_language_c_plus_plus_links_a_c_module_as_c_plus_plus(tmp_path: Path) -> None:
    project = make(tmp_path, {"m": {"sources": ["m.c"], "language": "c++"}}, {"m.c": ""})
    assert project.extensions()[0].cxx is True


# Each bad table, with the files on disk, and the exact message.
BAD_TABLES: list[tuple[str, dict[str, Any], dict[str, str], str]] = [
    (
        "no sources key",
        {"pkg._core": {"numpy": True}},
        {},
        'error: tool.ironwheel.extension."pkg._core".sources: missing\n'
        'hint: list the module\'s files, e.g. sources = ["src/pkg/_core.c"]',
    ),
    (
        "a missing file",
        {"pkg._core": {"sources": ["src/pkg/_core.c"]}},
        {},
        'error: tool.ironwheel.extension."pkg._core".sources[0]: "src/pkg/_core.c" does not exist\n'
        "hint: sources are relative to the project root, {root}",
    ),
    (
        "a pattern matching nothing",
        {"pkg._core": {"sources": ["src/*.c"]}},
        {},
        'error: tool.ironwheel.extension."pkg._core".sources[0]: "src/*.c" matches no file\n'
        "hint: patterns are relative to {root}",
    ),
    (
        "an unknown suffix",
        {"pkg._core": {"sources": ["src/lib.rs"]}},
        {"src/lib.rs": ""},
        'error: tool.ironwheel.extension."pkg._core".sources: "src/lib.rs" has an unknown suffix ".rs"\n'
        "hint: sources are .c .cpp .cxx .cc .c++ .pyx .f .for .f77 .f90 .f95 .f03 .f08 .pyf .cu .s files, "
        "and headers",
    ),
    (
        "not a module name",
        {"pkg.1core": {"sources": ["a.c"]}},
        {"a.c": ""},
        'error: tool.ironwheel.extension."pkg.1core": "pkg.1core" is not a module name\n'
        'hint: name the table after the module, e.g. "pkg._core"',
    ),
    (
        "capi with a .pyx",
        {"m": {"sources": ["m.pyx"], "binding": "capi"}},
        {"m.pyx": ""},
        'error: tool.ironwheel.extension.m.binding: "capi" conflicts with the Cython (.pyx) source\n'
        'hint: use binding = "cython"',
    ),
    (
        "cython without a .pyx",
        {"m": {"sources": ["m.c"], "binding": "cython"}},
        {"m.c": ""},
        'error: tool.ironwheel.extension.m.binding: "cython" needs a .pyx source\n'
        "hint: list the module's .pyx file in sources",
    ),
    (
        "two .pyx sources",
        {"m": {"sources": ["a.pyx", "b.pyx"]}},
        {"a.pyx": "", "b.pyx": ""},
        "error: tool.ironwheel.extension.m.sources: more than one .pyx source\n"
        "hint: a Cython module is one .pyx file: make one table per module",
    ),
    (
        "f2py without Fortran",
        {"m": {"sources": ["m.c"], "binding": "f2py"}},
        {"m.c": ""},
        'error: tool.ironwheel.extension.m.binding: "f2py" needs Fortran sources\n'
        "hint: list the .f or .f90 files in sources",
    ),
    (
        "a signature file with capi",
        {"m": {"sources": ["m.pyf", "m.f"], "binding": "capi"}},
        {"m.pyf": "", "m.f": ""},
        'error: tool.ironwheel.extension.m.binding: "capi" conflicts with the f2py signature (.pyf) source\n'
        'hint: use binding = "f2py"',
    ),
    (
        "pybind11 without C++",
        {"m": {"sources": ["m.c"], "binding": "pybind11"}},
        {"m.c": ""},
        'error: tool.ironwheel.extension.m.binding: "pybind11" needs a C++ source\n'
        "hint: list a .cpp file in sources",
    ),
    (
        "nanobind declared, pybind11 included",
        {"m": {"sources": ["m.cpp"], "binding": "nanobind"}},
        {"m.cpp": PYBIND11},
        'error: tool.ironwheel.extension.m.binding: "nanobind" conflicts with the pybind11 headers the '
        "sources include\n"
        'hint: use binding = "pybind11"',
    ),
    (
        "both binding libraries included",
        {"m": {"sources": ["m.cpp", "n.cpp"], "binding": "capi"}},
        {"m.cpp": PYBIND11, "n.cpp": NANOBIND},
        "error: tool.ironwheel.extension.m: the sources include both pybind11 and nanobind headers\n"
        "hint: use one binding library",
    ),
    (
        "only headers",
        {"m": {"sources": ["m.h"]}},
        {"m.h": ""},
        "error: tool.ironwheel.extension.m.sources: nothing to compile (only headers)\n"
        "hint: list the .c, .cpp, .pyx, .f90 or .cu files",
    ),
    (
        "the limited API without a Python version",
        {"m": {"sources": ["m.c"], "py-limited-api": True}},
        {"m.c": ""},
        "error: tool.ironwheel.extension.m.py-limited-api: no Python version to build the limited API for\n"
        'hint: set project.requires-python (e.g. ">=3.9") or tool.ironwheel.wheel.py-api = "cp39"',
    ),
    (
        "several problems at once",
        {"a": {"sources": ["missing.c"]}, "b": {"sources": ["b.c"], "binding": "cython"}},
        {"b.c": ""},
        "error: 2 problems with the extension tables:\n"
        '  tool.ironwheel.extension.a.sources[0]: "missing.c" does not exist (sources are relative to the '
        "project root, {root})\n"
        '  tool.ironwheel.extension.b.binding: "cython" needs a .pyx source (list the module\'s .pyx file '
        "in sources)\n"
        "hint: see the extension keys in docs/configuration.md",
    ),
]


@pytest.mark.parametrize(
    ("name", "tables", "files", "message"), BAD_TABLES, ids=[case[0] for case in BAD_TABLES]
)
def test_bad_tables(
    tmp_path: Path, name: str, tables: dict[str, Any], files: dict[str, str], message: str
) -> None:
    del name
    with pytest.raises(ConfigError) as caught:
        make(tmp_path, tables, files).extensions()
    assert format_error(caught.value) == message.format(root=tmp_path)


def test_f2py_in_an_abi3_wheel_is_refused(tmp_path: Path) -> None:
    project = make(tmp_path, {"m": {"sources": ["m.f90"]}}, {"m.f90": ""}, wheel={"py-api": "cp39"})
    with pytest.raises(ConfigError) as caught:
        project.extensions()
    assert format_error(caught.value) == (
        "error: tool.ironwheel.extension.m: f2py modules cannot use the limited API, but the wheel is abi3 "
        "(wheel.py-api)\n"
        "hint: build a version-specific wheel"
    )


# The settings side: bad keys and values in extension tables.
BAD_SETTINGS: list[tuple[str, dict[str, Any], str]] = [
    (
        "a near miss",
        {"extension": {"pkg._core": {"source": ["a.c"]}}},
        'error: tool.ironwheel.extension."pkg._core".source: unknown key\n'
        'hint: did you mean tool.ironwheel.extension."pkg._core".sources?',
    ),
    (
        "an array as a macro value",
        {"extension": {"m": {"sources": ["a.c"], "define-macros": {"A": [1]}}}},
        "error: tool.ironwheel.extension.m.define-macros.A: expected a string, number or boolean, got an array\n"
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "not a macro name",
        {"extension": {"m": {"sources": ["a.c"], "define-macros": {"A-B": 1}}}},
        'error: tool.ironwheel.extension.m.define-macros: "A-B" is not a C macro name\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "an unknown binding",
        {"extension": {"m": {"sources": ["a.c"], "binding": "swig"}}},
        'error: tool.ironwheel.extension.m.binding: expected one of "auto", "capi", "pybind11", "nanobind", '
        '"cython", "f2py", got "swig" (a string)\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "an empty source list",
        {"extension": {"m": {"sources": []}}},
        "error: tool.ironwheel.extension.m.sources: expected at least one source file\n"
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "a table that is not a table",
        {"extension": {"m": "m.c"}},
        'error: tool.ironwheel.extension.m: expected a table, got "m.c" (a string)\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
]


@pytest.mark.parametrize(("name", "table", "message"), BAD_SETTINGS, ids=[case[0] for case in BAD_SETTINGS])
def test_bad_settings(name: str, table: dict[str, Any], message: str) -> None:
    del name
    with pytest.raises(ConfigError) as caught:
        load_settings({"project": {}, "tool": {"ironwheel": table}}, environ={})
    assert format_error(caught.value) == message


def test_extension_tables_are_not_set_with_config_settings() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"project": {}}, {"extension.pkg._core.optional": "true"}, environ={})
    assert format_error(caught.value) == (
        "error: -C extension.pkg._core.optional: extension tables cannot be set with -C\n"
        "hint: set them in pyproject.toml, or in [[tool.ironwheel.overrides]]"
    )


def test_overrides_merge_into_an_extension_table() -> None:
    table = {
        "extension": {
            "m": {"sources": ["m.c"], "define-macros": {"A": 1, "B": True}, "compile-args": ["-O2"]}
        },
        "overrides": [
            {
                "if": "sys_platform == 'linux'",
                "extension": {"m": {"define-macros": {"B": False, "C": "x"}, "compile-args": ["-O3"]}},
            }
        ],
    }
    settings = load_settings(
        {"project": {}, "tool": {"ironwheel": table}},
        environ={},
        marker_environment={"sys_platform": "linux"},
    )
    extension = settings.extension["m"]
    assert extension.sources == ("m.c",)
    assert extension.define_macros == {"A": 1, "B": False, "C": "x"}
    assert extension.compile_args == ("-O3",)


def test_every_module_on_the_limited_api_makes_an_abi3_wheel(tmp_path: Path) -> None:
    files = {"a.c": "", "b.c": ""}
    tables = {
        "a": {"sources": ["a.c"], "py-limited-api": True},
        "b": {"sources": ["b.c"], "py-limited-api": True},
    }
    project = make(tmp_path, tables, files, project={"requires-python": ">=3.9"})
    tag, stable = project.tag
    if sys.implementation.name != "cpython" or stable is None:
        pytest.skip("this interpreter has no stable ABI (free-threaded or not CPython)")
    assert (tag.interpreter, tag.abi) == ("cp39", "abi3")
    assert [extension.limited_api for extension in project.extensions()] == ["3.9", "3.9"]


def test_one_module_on_the_limited_api_keeps_a_version_specific_wheel(tmp_path: Path) -> None:
    # The oldest Python the project supports is the running one (a stable ABI newer than the
    # interpreter's own cannot be built).
    oldest = f"{sys.version_info[0]}.{sys.version_info[1]}"
    tables = {"a": {"sources": ["a.c"], "py-limited-api": True}, "b": {"sources": ["b.c"]}}
    project = make(tmp_path, tables, {"a.c": "", "b.c": ""}, project={"requires-python": f">={oldest}, <4"})
    tag, stable = project.tag
    assert stable is None
    assert tag.abi != "abi3"
    limited = [extension.limited_api for extension in project.extensions()]
    assert limited == (
        [oldest, ""] if sys.implementation.name == "cpython" and not tag.abi.endswith("t") else ["", ""]
    )


def test_an_abi3_wheel_puts_every_module_on_the_limited_api(tmp_path: Path) -> None:
    project = make(tmp_path, {"a": {"sources": ["a.c"]}}, {"a.c": ""}, wheel={"py-api": "cp310"})
    _tag, stable = project.tag
    expected = stable.version if stable is not None else ""
    assert project.extensions()[0].limited_api == expected


def test_language_requirements(tmp_path: Path) -> None:
    files = {"c.pyx": "", "n.c": "", "f.f90": "", "p.cpp": PYBIND11}
    tables = {
        "c": {"sources": ["c.pyx"]},
        "n": {"sources": ["n.c"], "numpy": True},
        "f": {"sources": ["f.f90"]},
        "p": {"sources": ["p.cpp"]},
    }

    def requirements(project: Project, helpers: frozenset[str] = frozenset()) -> list[str]:
        return language_requirements(project.extensions(), project.pyproject.build_requires, helpers)

    assert requirements(make(tmp_path, tables, files)) == ["cython>=3.0", "numpy", "pybind11"]
    pinned = make(tmp_path, tables, files, requires=["Cython==3.1.2", "numpy>=2; python_version>'3.9'"])
    assert requirements(pinned) == ["pybind11"]
    helpers_only = make(tmp_path, {}, {})
    assert requirements(helpers_only, frozenset({"cython"})) == ["cython>=3.0"]
    # include-packages: each top-level module, unless build-system.requires names it (any spelling).
    headers = {"h": {"sources": ["n.c"], "include-packages": ["cppy", "my_pkg.sub:headers", "pythran"]}}
    assert requirements(make(tmp_path, headers, files)) == ["cppy", "my_pkg", "pythran"]
    declared = make(tmp_path, headers, files, requires=["cppy>=1.3", "My-Pkg"])
    assert requirements(declared) == ["pythran"]


def test_project_wide_cython_directives(tmp_path: Path) -> None:
    files = {"a.pyx": "", "b.pyx": ""}
    tables = {
        "a": {"sources": ["a.pyx"]},
        "b": {"sources": ["b.pyx"], "cython-directives": {"boundscheck": True}},
    }
    pyproject: dict[str, Any] = {
        "project": {"name": "pkg", "version": "1"},
        "tool": {
            "ironwheel": {
                "extension": tables,
                "cython": {"directives": {"boundscheck": False, "binding": True}},
            }
        },
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    environ = {"IRONWHEEL_CYTHON_DIRECTIVES": "language_level=3;embedsignature=true"}
    settings = load_settings(pyproject, {"cython.directives.linetrace": "True"}, environ=environ)
    found = Project(tmp_path, Pyproject(pyproject), settings).extensions()
    assert [extension.cython_directives for extension in found] == [
        {
            "boundscheck": False,
            "binding": True,
            "language_level": 3,
            "embedsignature": True,
            "linetrace": True,
        },
        {
            "boundscheck": True,
            "binding": True,
            "language_level": 3,
            "embedsignature": True,
            "linetrace": True,
        },
    ]


def test_wheel_cmake_false_leaves_out_the_cmakelists_not_the_tables(tmp_path: Path) -> None:
    (tmp_path / "CMakeLists.txt").write_text("project(x)\n")
    pure = make(tmp_path, {}, {}, wheel={"cmake": False})
    assert (pure.native, pure.has_cmakelists) == (False, False)
    assert str(pure.tag[0]) == "py3-none-any"
    # The tables still build, as the standalone generated project (the C++ library's own
    # CMakeLists.txt of a project that built its module with setuptools, say).
    project = make(tmp_path, {"m": {"sources": ["m.c"]}}, {"m.c": ""}, wheel={"cmake": False})
    assert (project.native, project.has_cmakelists) == (True, False)
    assert str(project.tag[0]) != "py3-none-any"
    disabled = make(
        tmp_path, {"m": {"sources": ["m.c"], "enabled": False}}, {"m.c": ""}, wheel={"cmake": False}
    )
    assert str(disabled.tag[0]) == "py3-none-any"
    # scikit-build-core's wheel.cmake means the same.
    pyproject = {
        "project": {"name": "x", "version": "1"},
        "tool": {"scikit-build": {"wheel": {"cmake": False}}},
    }
    assert load_settings(pyproject, environ={}).wheel.cmake is False
