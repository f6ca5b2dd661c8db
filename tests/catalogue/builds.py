"""Bad input: CMake, compile and link errors, whose one-line summary must name the actual cause.

These compile for real (slow tier).
"""

from __future__ import annotations

from tests.catalogue.harness import Case, tool
from tests.catalogue.native import CORE, LISTS, c_project

_BUILD_HINT = (
    "fix the error reported by the compiler above (-C build.verbose=true shows every compiler command)"
)
_CMAKE_HINT = "fix the CMake error shown above"
_EXTENSION = '[tool.ironwheel.extension."demo._core"]\nsources = ["src/core.c"]\n'

CASES: list[Case] = [
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
]
