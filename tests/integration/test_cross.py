"""Cross builds from Linux with zig: a Windows .pyd and macOS modules, checked with LLVM's tools.

Windows CPython's headers cannot be had here, and Linux's pyconfig.h is wrong for
Windows, so the Windows build compiles against a small stand-in header that declares
the few API functions the module uses, and links an import library generated from a
stand-in ``python3XY.def``; a stand-in ``build-details.json`` (PEP 739) describes that
Python. The test checks the toolchain, the suffix, the tag and the imported DLLs, not
CPython's ABI. The macOS builds use this machine's Python headers (the same 64-bit
layout) and LLVM's otool, install_name_tool and lipo in place of Apple's; what runs on
a Mac (loading, code signatures) needs a macOS runner.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.repairing import build_in_place, built, llvm, members

pytestmark = pytest.mark.slow

MAJOR, MINOR = sys.version_info[:2]
PY = f"cp{MAJOR}{MINOR}"
ZIG = ["-C", "build.toolchain=zig"]

STANDIN_HEADER = r"""/* Stand-in for CPython's Python.h on Windows: only what the test module uses. */
#ifndef STANDIN_PYTHON_H
#define STANDIN_PYTHON_H
#include <stddef.h>
#include "patchlevel.h"
#include "pyconfig.h"
#define PyAPI_FUNC(RTYPE) __declspec(dllimport) RTYPE
typedef ptrdiff_t Py_ssize_t;
typedef struct _object { Py_ssize_t ob_refcnt; void *ob_type; } PyObject;
#define PyMODINIT_FUNC __declspec(dllexport) PyObject *
typedef struct { PyObject ob_base; PyObject *(*m_init)(void); Py_ssize_t m_index; PyObject *m_copy; } PyModuleDef_Base;
#define PyModuleDef_HEAD_INIT {{1, NULL}, NULL, 0, NULL}
struct PyModuleDef {
    PyModuleDef_Base m_base; const char *m_name; const char *m_doc; Py_ssize_t m_size;
    void *m_methods; void *m_slots; void *m_traverse; void *m_clear; void *m_free;
};
#define PYTHON_API_VERSION 1013
#define PYTHON_ABI_VERSION 3
PyAPI_FUNC(PyObject *) PyModule_Create2(struct PyModuleDef *, int);
#ifdef Py_LIMITED_API
#define PyModule_Create(module) PyModule_Create2(module, PYTHON_ABI_VERSION)
#else
#define PyModule_Create(module) PyModule_Create2(module, PYTHON_API_VERSION)
#endif
PyAPI_FUNC(int) PyModule_AddObject(PyObject *, const char *, PyObject *);
PyAPI_FUNC(PyObject *) PyLong_FromLong(long);
#endif
"""
EXPORTS = ["PyModule_Create2", "PyModule_AddObject", "PyLong_FromLong"]


@pytest.fixture(scope="module")
def windows_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in Windows CPython of this version: headers, import libraries, build-details.json."""
    prefix = tmp_path_factory.mktemp("python-win-amd64")
    include, libs = prefix / "include", prefix / "libs"
    include.mkdir()
    libs.mkdir()
    (include / "Python.h").write_text(STANDIN_HEADER)
    (include / "patchlevel.h").write_text(
        f'#define PY_MAJOR_VERSION {MAJOR}\n#define PY_MINOR_VERSION {MINOR}\n#define PY_VERSION "{MAJOR}.{MINOR}.0"\n'
    )
    (include / "pyconfig.h").write_text(
        "/* A release build of 64-bit Windows. */\n#define MS_WIN64\n#define MS_WINDOWS\n"
    )
    for dll in (f"python{MAJOR}{MINOR}", f"python{MAJOR}"):
        definition = prefix / f"{dll}.def"
        definition.write_text(f"LIBRARY {dll}.dll\nEXPORTS\n" + "".join(f"{name}\n" for name in EXPORTS))
        subprocess.run(
            [llvm("llvm-dlltool"), "-m", "i386:x86-64", "-d", definition, "-l", libs / f"{dll}.lib"],
            check=True,
        )
    details = {
        "schema_version": "1.0",
        "base_prefix": ".",
        "platform": "win-amd64",
        "language": {"version": f"{MAJOR}.{MINOR}"},
        "implementation": {
            "name": "cpython",
            "version": {"major": MAJOR, "minor": MINOR, "micro": 0, "releaselevel": "final", "serial": 0},
            "hexversion": (MAJOR << 24) | (MINOR << 16) | 0xF0,
            "cache_tag": f"cpython-{MAJOR}{MINOR}",
        },
        "abi": {"flags": [], "extension_suffix": f".{PY}-win_amd64.pyd", "stable_abi_suffix": ".pyd"},
        "c_api": {"headers": "include"},
    }
    (prefix / "build-details.json").write_text(json.dumps(details, indent=2))
    return prefix


def _readobj(*arguments: str | Path) -> str:
    return subprocess.run(
        [llvm("llvm-readobj"), *map(str, arguments)], capture_output=True, text=True, check=True
    ).stdout


def _dlls(path: Path) -> list[str]:
    return re.findall(
        r"^\s*Name: (\S+\.dll)$", _readobj("--coff-imports", path), flags=re.MULTILINE | re.IGNORECASE
    )


def test_a_windows_extension_from_linux(
    project: Callable[[str], Path], tmp_path: Path, windows_python: Path
) -> None:
    details = ["-C", f"target.build-details={windows_python / 'build-details.json'}"]
    result = build_in_place(project("cross_win"), tmp_path / "dist", *ZIG, *details)
    wheel = built(result)
    assert wheel.name == f"cross_win-1.0-{PY}-{PY}-win_amd64.whl"
    assert "toolchain: zig " in result.output
    assert (
        f"for x86_64-windows-gnu: Windows (build-details.json at {windows_python / 'build-details.json'})"
        in result.output
    )
    module = f"cross_win/_ext.{PY}-win_amd64.pyd"
    assert module in members(wheel)
    with zipfile.ZipFile(wheel) as archive:
        archive.extract(module, tmp_path / "unpacked")
    pyd = tmp_path / "unpacked" / module
    assert "Machine: IMAGE_FILE_MACHINE_AMD64" in _readobj("--file-headers", pyd)
    imports = _dlls(pyd)
    assert imports[0] == f"python{MAJOR}{MINOR}.dll"
    # zig's windows-gnu target links the Universal CRT, as CPython itself does (not msvcrt.dll).
    assert "msvcrt.dll" not in imports
    assert any(name.startswith("api-ms-win-crt-") for name in imports), imports
    assert "PyInit__ext" in _readobj("--coff-exports", pyd)


@pytest.fixture(scope="module")
def cmake_326(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cmake of 3.26 or later (Python_add_library's USE_SABI), from the wheelhouse."""
    venv = tmp_path_factory.mktemp("cmake")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "cmake>=3.26",
        ],
        check=True,
    )
    return venv / "bin" / "cmake"


def test_an_abi3_windows_extension_links_python3_dll(
    project: Callable[[str], Path], tmp_path: Path, windows_python: Path, cmake_326: Path
) -> None:
    settings = [
        "-C",
        f"target.build-details={windows_python / 'build-details.json'}",
        "-C",
        "wheel.py-api=cp39",
        "-C",
        "repair.mode=off",
    ]
    result = build_in_place(
        project("cross_win"),
        tmp_path / "dist",
        *ZIG,
        *settings,
        env={"CMAKE_EXECUTABLE": str(cmake_326)},
    )
    wheel = built(result)
    assert wheel.name == "cross_win-1.0-cp39-abi3-win_amd64.whl"
    with zipfile.ZipFile(wheel) as archive:
        archive.extract("cross_win/_ext.pyd", tmp_path / "unpacked")
    assert _dlls(tmp_path / "unpacked" / "cross_win" / "_ext.pyd")[0] == f"python{MAJOR}.dll"


def _shims(directory: Path) -> dict[str, str]:
    """LLVM's tools under Apple's names, and a codesign that signs nothing (real signing needs macOS)."""
    directory.mkdir(exist_ok=True)
    scripts = {
        "otool": f'for a in "$@"; do shift; [ "$a" = -m ] || set -- "$@" "$a"; done\nexec {llvm("llvm-otool")} "$@"',
        "install_name_tool": f'exec {llvm("llvm-install-name-tool")} "$@"',
        # delocate's fusing tells non-binaries by Apple lipo's message; llvm-lipo words it otherwise.
        "lipo": (
            f'out=$({llvm("llvm-lipo")} "$@" 2>&1); status=$?\n'
            'if [ $status = 0 ]; then [ -z "$out" ] || printf "%s\\n" "$out"; exit 0; fi\n'
            'case "$out" in *"not recognized as a valid object file"*)\n'
            "  file=${out#*\\'}; file=${file%%\\'*}\n"
            '  printf "fatal error: lipo: can\'t figure out the architecture type of: %s\\n" "$file" >&2; exit 1;;\n'
            "esac\n"
            'printf "%s\\n" "$out" >&2; exit $status'
        ),
        "codesign": "exit 0",
    }
    for name, body in scripts.items():
        (directory / name).write_text(f"#!/bin/sh\n{body}\n")
        (directory / name).chmod(0o755)
    return {"PATH": os.pathsep.join([str(directory), os.environ["PATH"]])}


def _objdump(*arguments: str | Path) -> str:
    return subprocess.run(
        [llvm("llvm-objdump"), "--macho", *map(str, arguments)], capture_output=True, text=True, check=True
    ).stdout


SUFFIX = f".cpython-{MAJOR}{MINOR}-darwin.so"


def test_macos_extensions_from_linux_and_a_universal2_fusion(
    project: Callable[[str], Path], tmp_path: Path
) -> None:
    shims = _shims(tmp_path / "shims")
    root = project("internal_lib")
    # cibuildwheel's variables for an arm64 build, and for an x86_64 build of CPython 3.12+.
    arm64 = {
        "_PYTHON_HOST_PLATFORM": "macosx-11.0-arm64",
        "ARCHFLAGS": "-arch arm64",
        "MACOSX_DEPLOYMENT_TARGET": "11.0",
    }
    x86_64 = {
        "_PYTHON_HOST_PLATFORM": "macosx-10.9-x86_64",
        "ARCHFLAGS": "-arch x86_64",
        "MACOSX_DEPLOYMENT_TARGET": "10.13",
    }
    wheels: dict[str, Path] = {}
    for name, env, tag, arch in (
        ("arm64", arm64, "macosx_11_0_arm64", "aarch64-macos.11.0"),
        ("x86_64", x86_64, "macosx_10_13_x86_64", "x86_64-macos.10.13"),
    ):
        result = build_in_place(root, tmp_path / name, *ZIG, env={**env, **shims})
        wheel = wheels[name] = built(result)
        assert wheel.name == f"internal_lib-1.0-{PY}-{PY}-{tag}.whl"
        assert f"for {arch}: " in result.output
        shutil.unpack_archive(wheel, tmp_path / f"{name}-unpacked", format="zip")
        module = tmp_path / f"{name}-unpacked" / "internal_lib" / f"_a{SUFFIX}"
        # zig's linker makes no bundles: the module is a dylib, which Python loads the same way.
        assert re.search(r"\bDYLIB\b", _objdump("--private-header", module))
        commands = _objdump("--private-headers", module)
        if name == "arm64":
            assert re.search(
                r"cmd LC_BUILD_VERSION\n.*\n\s+platform (macos|1)\n.*\n\s+minos 11\.0", commands
            ), commands
        else:
            assert re.search(r"cmd LC_VERSION_MIN_MACOSX\n.*\n\s+version 10\.13", commands), commands
        # Python's symbols are looked up when the module loads (-undefined dynamic_lookup): no libpython.
        assert "libpython" not in _objdump("--dylibs-used", module)
        assert re.search(
            r"flat-namespace\s+_PyModule_Create2",
            _objdump("--lazy-bind", module) + _objdump("--bind", module),
        )
        assert "@loader_path/libcore.dylib" in _objdump("--dylibs-used", module)

    # universal2: the two builds fused as delocate-merge fuses them (lipo -create on each binary).
    fuse = (
        "import sys; from delocate.fuse import fuse_wheels; "
        "print(fuse_wheels(sys.argv[1], sys.argv[2], sys.argv[3]))"
    )
    out = tmp_path / "fused"
    out.mkdir()
    fused = Path(
        subprocess.run(
            [sys.executable, "-c", fuse, wheels["arm64"], wheels["x86_64"], out],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **shims},
        ).stdout.strip()
    )
    assert re.fullmatch(rf"internal_lib-1\.0-{PY}-{PY}-macosx_\d+_\d+_universal2\.whl", fused.name), (
        fused.name
    )
    shutil.unpack_archive(fused, tmp_path / "fused-unpacked", format="zip")
    for binary in (f"_a{SUFFIX}", f"_plain{SUFFIX}", "libcore.dylib", f"sub/_b{SUFFIX}"):
        archs = subprocess.run(
            [llvm("llvm-lipo"), "-archs", str(tmp_path / "fused-unpacked" / "internal_lib" / binary)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert sorted(archs) == ["arm64", "x86_64"], binary
