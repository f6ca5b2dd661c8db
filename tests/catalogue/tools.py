"""Bad input: missing or unusable programs (cmake, ninja, compilers), found through a controlled PATH."""

from __future__ import annotations

from tests.catalogue.harness import Case
from tests.catalogue.native import LISTS, c_project

_CMAKE_HINT = (
    'install one (pip install "cmake{spec}"), set CMAKE_EXECUTABLE, or build with build isolation '
    "so that ironwheel can request it"
)
# What a C build needs besides cmake and ninja: the compiler driver, assembler and linker.
C_TOOLS = ("cc", "gcc", "as", "ld")

CASES: list[Case] = [
    Case(
        name="tools: no cmake",
        files=c_project(),
        tools=["ninja", *C_TOOLS],
        slow=True,
        error="no cmake>=3.18 found (no cmake on PATH)",
        hint=_CMAKE_HINT.format(spec=">=3.18"),
    ),
    Case(
        name="tools: no ninja",
        files=c_project(),
        tools=["cmake", *C_TOOLS],
        slow=True,
        error="no ninja found (no ninja on PATH)",
        hint='install it (pip install ninja, apt-get install ninja-build) or set CMAKE_GENERATOR="Unix Makefiles"',
    ),
    Case(
        name="tools: no C compiler",
        files=c_project(),
        tools=["cmake", "ninja"],
        slow=True,
        error="no C compiler found (CMake needs one for this project)",
        hint="apt-get install build-essential (Debian/Ubuntu) or dnf install gcc (Fedora); or point CC at one",
    ),
    Case(
        name="tools: CC names a missing compiler",
        files=c_project(),
        env={"CC": "no-such-cc"},
        slow=True,
        error="the compiler CC=no-such-cc was not found",
        hint="set CC to an installed compiler, or unset it to use the default one",
    ),
    Case(
        name="tools: no Fortran compiler",
        files=c_project(lists=LISTS.replace("LANGUAGES C", "LANGUAGES C Fortran")),
        tools=["cmake", "ninja", *C_TOOLS],
        slow=True,
        error="no Fortran compiler found (CMake needs one for this project)",
        hint="install gfortran: apt-get install gfortran / brew install gcc / conda install gfortran; "
        "or point FC at one",
    ),
    Case(
        name="tools: CUDACXX names a missing nvcc",
        files=c_project(lists=LISTS.replace("LANGUAGES C", "LANGUAGES C CUDA")),
        env={"CUDACXX": "/nonexistent/nvcc"},
        slow=True,
        error="the compiler CUDACXX=/nonexistent/nvcc was not found",
        hint="set CUDACXX to an installed compiler, or unset it to use the default one",
    ),
    Case(
        # nvcc is found, but the host C++ compiler it needs is not on PATH.
        name="tools: nvcc without its host compiler",
        files=c_project(lists=LISTS.replace("LANGUAGES C", "LANGUAGES C CUDA")),
        tools=["cmake", "ninja", *C_TOOLS],
        env={"CUDACXX": "{nvcc}"},
        slow=True,
        error="CMake configuration failed: CMakeLists.txt:2: Compiling the CUDA compiler identification source "
        'file "CMakeCUDACompilerId.cu" failed.',
        hint="fix the CMake error shown above",
    ),
    Case(
        name="tools: cmake too old for the settings",
        files=c_project(),
        config={"cmake.version": ">=99"},
        tools=["cmake", "ninja", *C_TOOLS],
        slow=True,
        error="no cmake>=99 found ({tmp}/bin/cmake is 3.25.1)",
        hint=_CMAKE_HINT.format(spec=">=99"),
    ),
    Case(
        name="tools: cmake too old for CMakeLists.txt",
        files=c_project(lists=LISTS.replace("VERSION 3.18", "VERSION 3.99")),
        tools=["cmake", "ninja", *C_TOOLS],
        slow=True,
        error="no cmake>=3.99 found ({tmp}/bin/cmake is 3.25.1)",
        hint=_CMAKE_HINT.format(spec=">=3.99"),
    ),
]
