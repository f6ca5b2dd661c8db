"""Summaries of CMake, compiler, linker and Cython output (recorded from real runs)."""

from __future__ import annotations

import pytest

from ironwheel.cmake.diagnose import build_error, configure_error
from ironwheel.errors import CommandError, format_error

CUDA = """\
CMake Error at /usr/share/cmake-3.25/Modules/CMakeDetermineCUDACompiler.cmake:603 (message):
  Failed to detect a default CUDA architecture.


  Compiler output:

Call Stack (most recent call first):
  CMakeLists.txt:2 (project)


See also "/tmp/x/CMakeFiles/CMakeOutput.log".
"""
C_TEST = """\
CMake Error at /usr/share/cmake-3.25/Modules/CMakeTestCCompiler.cmake:70 (message):
  The C compiler

    "/usr/bin/cc"

  is not able to compile a simple test program.

  It fails with the following output:

    Change Dir: /tmp/x
    Run Build Command(s):/usr/bin/ninja cmTC_7cb8c && ninja: error: loading 'build.ninja'

  CMake will not be able to correctly generate this project.
Call Stack (most recent call first):
  CMakeLists.txt:4 (project)
"""
PARSE = """\
CMake Error at CMakeLists.txt:5:
  Parse error.  Function missing ending ")".  End of file reached.


"""
FATAL = """\
-- The C compiler identification is GNU 12.2.0
CMake Error at cmake/deps.cmake:12 (message):
  need libfoo 2.0 or later


Call Stack (most recent call first):
  CMakeLists.txt:3 (include)


-- Configuring incomplete, errors occurred!
"""


@pytest.mark.parametrize(
    ("output", "command", "expected"),
    [
        (
            CUDA,
            ["cmake", "-G", "Ninja"],
            "error: CMake configuration failed: CMakeLists.txt:2: Failed to detect a default CUDA architecture.\n"
            "hint: fix the CMake error shown above",
        ),
        (
            C_TEST,
            ["cmake", "-G", "Ninja"],
            'error: CMake configuration failed: CMakeLists.txt:4: The C compiler "/usr/bin/cc" is not able to '
            "compile a simple test program.\nhint: fix the CMake error shown above",
        ),
        (
            PARSE,
            ["cmake"],
            'error: CMake configuration failed: CMakeLists.txt:5: Parse error. Function missing ending ")". '
            "End of file reached.\nhint: fix the CMake error shown above",
        ),
        (
            FATAL,
            ["cmake"],
            "error: CMake configuration failed: cmake/deps.cmake:12: need libfoo 2.0 or later\n"
            "hint: fix the CMake error shown above",
        ),
        (
            "CMake Error: Could not create named generator Xcode\n",
            ["cmake", "-G", "Ninja", "-G", "Xcode"],
            'error: CMake was given two generators, -G "Ninja" and -G "Xcode" (from CMAKE_ARGS or '
            "tool.ironwheel.cmake.args)\n"
            "hint: remove -G from CMAKE_ARGS and cmake.args; to choose the generator, set CMAKE_GENERATOR",
        ),
        (
            "CMake Error: Could not create named generator Xcode\n",
            ["cmake", "-GXcode"],
            'error: CMake has no generator "Xcode"\n'
            'hint: set CMAKE_GENERATOR to one that `cmake --help` lists, such as "Ninja" or "Unix Makefiles"',
        ),
        (
            "CMake Error: something without a place\n\n",
            ["cmake"],
            "error: CMake configuration failed\n  CMake Error: something without a place\n"
            "hint: fix the CMake error shown above",
        ),
    ],
)
def test_configure_summaries(output: str, command: list[str], expected: str) -> None:
    assert format_error(configure_error(CommandError(command, 1, output.splitlines()))) == expected


LINK_MISSING = """\
FAILED: [code=1] _core.cpython-311-x86_64-linux-gnu.so
: && /usr/bin/cc -fPIC -O3 -DNDEBUG   -shared  -o _core.so CMakeFiles/_core.dir/src/core.c.o  -lnothere && :
/usr/bin/ld: cannot find -lnothere: No such file or directory
collect2: error: ld returned 1 exit status
ninja: build stopped: subcommand failed.
"""
LINK_UNDEFINED = """\
FAILED: [code=1] _core.so
/usr/bin/ld: CMakeFiles/_core.dir/src/core.c.o: in function `PyInit__core':
core.c:(.text+0x5): undefined reference to `missing_fn'
collect2: error: ld returned 1 exit status
"""
CYTHON = """\
FAILED: [code=1] demo._mod.cython/_mod.c
cd /b && /b/env/python /x/ironwheel_cython.py /b/demo._mod.cython/_mod.c /p/src/demo/_mod.pyx --module-name demo._mod

Error compiling Cython file:
------------------------------------------------------------
...
def f():
    return undefined_name
           ^
------------------------------------------------------------
demo/_mod.pyx:2:11: undeclared name not builtin: undefined_name
ninja: build stopped: subcommand failed.
"""


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (
            LINK_MISSING,
            "error: linking failed: /usr/bin/ld: cannot find -lnothere: No such file or directory\n"
            'hint: install the library "nothere" (its development package), or add the directory that holds '
            "it to the link directories (library-dirs in an extension table)",
        ),
        (
            LINK_UNDEFINED,
            "error: linking failed: /usr/bin/ld: CMakeFiles/_core.dir/src/core.c.o: in function `PyInit__core':\n"
            "  core.c:(.text+0x5): undefined reference to `missing_fn'\n"
            "hint: link the library that defines the missing symbols, or define them",
        ),
        (
            CYTHON,
            "error: Cython failed: /p/src/demo/_mod.pyx:2:11: undeclared name not builtin: undefined_name\n"
            "hint: fix the Cython error shown above",
        ),
        (
            "FAILED: x.o\nsrc/x.c:3:1: error: expected ';'\nninja: build stopped\n",
            "error: the build failed: src/x.c:3:1: error: expected ';'\n"
            "hint: fix the error reported by the compiler above (-C build.verbose=true shows every compiler command)",
        ),
    ],
)
def test_build_summaries(output: str, expected: str) -> None:
    assert format_error(build_error(CommandError(["ninja"], 1, output.splitlines()))) == expected
