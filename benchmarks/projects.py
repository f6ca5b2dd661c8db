"""The generated projects the benchmarks build, one per build system.

An N-unit C++ project (each unit instantiates ``weight`` sorts and maps of its
own types, about 0.5-1 s at -O2 for weight 2) linked into one extension module
written against the plain C API, or with N = 0 a one-file C extension; the
same CMakeLists.txt serves ironwheel, scikit-build-core and the raw floor.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

__all__ = ["NOP_BACKEND", "OPT", "UNIT", "ZIP_WHEEL", "touch_unit", "write_project"]

OPT = "-O2 -DNDEBUG"

UNIT = """\
#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace unit_{i} {{
template <int K>
struct Item {{
    long value;
    std::string name;
    bool operator<(const Item &other) const {{
        return value < other.value || (value == other.value && name < other.name);
    }}
}};

template <int K>
long work(long seed) {{
    std::vector<Item<K>> items;
    for (long i = 0; i < 64; ++i) items.push_back({{(seed * 31 + i * K + {i}) % 97, std::to_string(i + K)}});
    std::sort(items.begin(), items.end());
    std::map<std::string, Item<K>> index;
    for (const auto &item : items) index.emplace(item.name, item);
    return std::accumulate(items.begin(), items.end(), static_cast<long>(index.size()),
                           [](long total, const Item<K> &item) {{ return total + item.value; }});
}}

template <int... Ks>
long all(long seed, std::integer_sequence<int, Ks...>) {{ return (work<Ks>(seed) + ...); }}
}}  // namespace unit_{i}

long unit_{i}_value(long seed) {{
    return unit_{i}::all(seed, std::make_integer_sequence<int, {weight}>{{}});
}}
"""

MODULE = """\
#define PY_SSIZE_T_CLEAN
#include <Python.h>
{declarations}
static PyObject *total(PyObject *self, PyObject *unused) {{
    long sum = 0;
{calls}
    return PyLong_FromLong(sum);
}}

static PyMethodDef methods[] = {{{{"total", total, METH_NOARGS, NULL}}, {{NULL, NULL, 0, NULL}}}};
static struct PyModuleDef module = {{PyModuleDef_HEAD_INIT, "_core", NULL, -1, methods}};

{linkage}PyMODINIT_FUNC PyInit__core(void) {{ return PyModule_Create(&module); }}
"""

CMAKELISTS = """\
cmake_minimum_required(VERSION 3.18)
project(bench LANGUAGES {language})
find_package(Python REQUIRED COMPONENTS Interpreter Development.Module)
file(GLOB units CONFIGURE_DEPENDS src/units/*.cpp)
Python_add_library(_core MODULE WITH_SOABI src/bench/_core.{suffix} ${{units}})
install(TARGETS _core DESTINATION bench)
"""

PYPROJECT = {
    "ironwheel": """\
[build-system]
requires = ["ironwheel"]
build-backend = "ironwheel"

[project]
name = "bench"
version = "1.0"

[tool.ironwheel.cmake.define]
CMAKE_C_FLAGS_RELEASE = "{opt}"
CMAKE_CXX_FLAGS_RELEASE = "{opt}"
""",
    "scikit-build-core": """\
[build-system]
requires = ["scikit-build-core"]
build-backend = "scikit_build_core.build"

[project]
name = "bench"
version = "1.0"

[tool.scikit-build]
wheel.packages = ["src/bench"]

[tool.scikit-build.cmake.define]
CMAKE_C_FLAGS_RELEASE = "{opt}"
CMAKE_CXX_FLAGS_RELEASE = "{opt}"
""",
    "setuptools": """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "bench"
version = "1.0"
""",
}

SETUP_PY = """\
from glob import glob

from setuptools import Extension, setup

setup(
    packages=["bench"],
    package_dir={{"": "src"}},
    ext_modules=[
        Extension(
            "bench._core",
            sources=["src/bench/_core.{suffix}", *sorted(glob("src/units/*.cpp"))],
            extra_compile_args=["-O2"{std}],
        )
    ],
)
"""

NOP_BACKEND = """\
def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    raise SystemExit("the do-nothing backend builds nothing")
"""

ZIP_WHEEL = """\
import base64, csv, hashlib, io, os, sys, zipfile
stage, target = sys.argv[1], sys.argv[2]
record = io.StringIO()
writer = csv.writer(record, lineterminator="\\n")
meta = "bench-1.0.dist-info"
files = {
    meta + "/METADATA": b"Metadata-Version: 2.1\\nName: bench\\nVersion: 1.0\\n",
    meta + "/WHEEL": b"Wheel-Version: 1.0\\nGenerator: bench\\nRoot-Is-Purelib: false\\nTag: cp3-none-any\\n",
}
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for directory, _, names in os.walk(stage):
        for name in sorted(names):
            path = os.path.join(directory, name)
            arcname = os.path.relpath(path, stage)
            data = open(path, "rb").read()
            archive.writestr(arcname, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            writer.writerow([arcname, "sha256=" + digest, len(data)])
    for name, data in files.items():
        archive.writestr(name, data)
        writer.writerow([name, "", ""])
    writer.writerow([meta + "/RECORD", "", ""])
    archive.writestr(meta + "/RECORD", record.getvalue())
"""


def write_project(path: Path, system: str, units: int, weight: int) -> Path:
    """A fresh project for one build system: ``units`` C++ files (0: a one-file C extension)."""
    if path.exists():
        shutil.rmtree(path)
    (path / "src" / "bench").mkdir(parents=True)
    (path / "src" / "units").mkdir()
    (path / "src" / "bench" / "__init__.py").write_text("from bench._core import total\n")
    for index in range(units):
        (path / "src" / "units" / f"unit_{index}.cpp").write_text(UNIT.format(i=index, weight=weight))
    suffix = "cpp" if units else "c"
    module = MODULE.format(
        declarations="".join(f"long unit_{i}_value(long seed);\n" for i in range(units)),
        calls="".join(f"    sum += unit_{i}_value({i});\n" for i in range(units)),
        linkage='extern "C" ' if units else "",
    )
    (path / "src" / "bench" / f"_core.{suffix}").write_text(module)
    if system == "setuptools":
        std = ', "-std=c++17"' if units else ""
        (path / "setup.py").write_text(SETUP_PY.format(suffix=suffix, std=std))
    else:
        (path / "CMakeLists.txt").write_text(
            CMAKELISTS.format(language="CXX" if units else "C", suffix=suffix)
        )
        if units:
            # CMake's default standard is the compiler's; the units need C++17 everywhere.
            with (path / "CMakeLists.txt").open("a") as handle:
                handle.write("set_target_properties(_core PROPERTIES CXX_STANDARD 17)\n")
    if system in PYPROJECT:
        (path / "pyproject.toml").write_text(PYPROJECT[system].format(opt=OPT))
    return path


def touch_unit(project: Path, index: int = 7) -> None:
    """Edit one translation unit (a new comment: the compiler runs, the code is the same)."""
    units = sorted((project / "src" / "units").glob("*.cpp"))
    target = units[index % len(units)]
    target.write_text(target.read_text() + f"// edited {time.time_ns()}\n")
