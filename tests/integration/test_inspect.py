"""ironwheel inspect on wheels built for real: plain, abi3, internal and grafted libraries,
cross-built macOS and Windows wheels, and modules that break their abi3 claim."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ironwheel.archive.wheel import render_wheel_file, write_wheel
from tests.conftest import require_tool
from tests.integration import test_repair_macos as macos
from tests.integration import test_repair_windows as windows
from tests.integration.frontends import SRC, tail
from tests.integration.repairing import build_in_place

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
ARCH = sysconfig.get_platform().split("-")[-1]
toolchain = macos.toolchain  # the zig toolchain fixture of the macOS repair tests


def inspect(*arguments: str | Path) -> tuple[int, dict[str, Any], str]:
    """``python -m ironwheel inspect --json ...`` and the text report of the same archive."""
    environ = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "ironwheel", "inspect", *map(str, arguments)]
    shown = subprocess.run(command, capture_output=True, text=True, env=environ, check=False)
    data = subprocess.run([*command, "--json"], capture_output=True, text=True, env=environ, check=False)
    assert shown.returncode == data.returncode, shown.stderr
    document: dict[str, Any] = json.loads(data.stdout)
    schema = json.loads(resources.files("ironwheel.inspect").joinpath("schema.json").read_text())
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    return data.returncode, document, shown.stdout


def built(root: Path, outdir: Path, *options: str) -> Path:
    result = build_in_place(root, outdir, *options)
    assert result.returncode == 0, tail(result.output)
    return result.wheel


def libraries(document: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(item["name"], item["status"], item["path"]) for item in document["libraries"]]


def codes(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(item["severity"], item["code"]) for item in document["findings"]]


def test_a_plain_extension_wheel(project: Callable[[str], Path], tmp_path: Path) -> None:
    wheel = built(project("c-capi"), tmp_path / "dist")
    code, document, text = inspect(wheel)
    assert code == 0, text
    # auditwheel gives the module, which needs no library at all, manylinux_2_5 and its old alias.
    assert [(tag["tag"], tag["glibc"], tag["platform"]) for tag in document["tags"]] == [
        (f"{PY}-{PY}-manylinux1_{ARCH}", "2.5", f"Linux with glibc 2.5 or newer (manylinux1), {ARCH}"),
        (f"{PY}-{PY}-manylinux_2_5_{ARCH}", "2.5", f"Linux with glibc 2.5 or newer, {ARCH}"),
    ]
    assert {(tag["python"], tag["abi"]) for tag in document["tags"]} == {
        (f"CPython {VERSION}", f"CPython {VERSION} only")
    }
    [module] = document["modules"]
    module_path = module["path"]
    assert module_path.endswith(SUFFIX)
    assert (module["built_for"], module["abi3"], module["format"], module["outside_limited_api"]) == (
        f"CPython {VERSION}",
        False,
        "elf",
        [],
    )
    assert document["findings"] == []
    row = [line for line in text.splitlines() if line.startswith(f"  {module_path}")]
    assert row == [f"  {module_path}  CPython {VERSION}  ELF     -      -"]
    assert text.splitlines()[-1] == "0 defects, 0 warnings"


def test_an_abi3_wheel(project: Callable[[str], Path], tmp_path: Path) -> None:
    # Not repaired: auditwheel cannot tell the libc of a module that needs no library at all.
    wheel = built(project("limited_decl"), tmp_path / "dist", "-C", "repair.mode=off")
    code, document, text = inspect(wheel)
    assert code == 0, text
    assert codes(document) == [("warning", "plain-linux-tag")]
    [tag] = document["tags"]
    assert (tag["tag"].split("-")[:2], tag["abi3_floor"], tag["abi"]) == (
        ["cp39", "abi3"],
        "3.9",
        "stable ABI (abi3): CPython 3.9 or newer",
    )
    [module] = document["modules"]
    assert module["path"] == "limited_decl/_core.abi3.so"
    assert (
        module["built_for"],
        module["abi3"],
        module["outside_limited_api"],
        module["newer_than_floor"],
    ) == (
        "stable ABI (abi3)",
        True,
        [],
        [],
    )
    assert module["limited_api_needed"] == "3.2"  # PyModule_Create2, PyLong_*, PyErr_*: all from 3.2
    assert (
        "  limited_decl/_core.abi3.so  stable ABI (abi3)  ELF     -      ok, needs 3.2" in text.splitlines()
    )


def test_a_wheel_with_an_internal_library(project: Callable[[str], Path], tmp_path: Path) -> None:
    wheel = built(project("internal_lib"), tmp_path / "dist")
    code, document, text = inspect(wheel)
    assert code == 0, text
    assert sorted(module["path"] for module in document["modules"]) == [
        f"internal_lib/_a{SUFFIX}",
        f"internal_lib/_plain{SUFFIX}",
        f"internal_lib/sub/_b{SUFFIX}",
    ]
    bundled = [item for item in document["libraries"] if item["status"] == "bundled"]
    assert [(item["name"], item["path"], item["needed_by"]) for item in bundled] == [
        (
            "libcore.so",
            "internal_lib/libcore.so",
            [f"internal_lib/_a{SUFFIX}", f"internal_lib/sub/_b{SUFFIX}"],
        )
    ]
    assert document["search_paths"] == {
        f"internal_lib/_a{SUFFIX}": ["$ORIGIN"],
        f"internal_lib/sub/_b{SUFFIX}": ["$ORIGIN/.."],
    }
    assert document["findings"] == []


def test_a_wheel_repaired_by_auditwheel(project: Callable[[str], Path], tmp_path: Path) -> None:
    wheel = built(project("repair_elf"), tmp_path / "dist")
    code, document, text = inspect(wheel)
    assert code == 0, text
    core = f"repair_elf/_core{SUFFIX}"
    found = libraries(document)
    bundled = sorted(
        (name.split("-")[0], path.split("/")[0])
        for name, status, path in found
        if status == "bundled" and path
    )
    assert bundled == [
        ("libfoo.so.1", "repair_elf"),
        ("libgomp", "repair_elf.libs"),
        ("libsqlite3", "repair_elf.libs"),
    ]
    assert {status for _name, status, _path in found} == {"bundled", "system"}
    assert document["search_paths"][core] == ["$ORIGIN", "$ORIGIN/../repair_elf.libs"]
    assert [(sbom["path"].split("/")[-1], sbom["format"]) for sbom in document["sboms"]] == [
        ("auditwheel.cdx.json", "CycloneDX 1.4"),
        ("ironwheel.cdx.json", "CycloneDX 1.6"),
    ]
    platform = document["tags"][0]["tag"].split("-")[-1]
    assert document["allow_list"] == f"auditwheel's {platform.removesuffix('_' + ARCH)} policy"
    assert document["record"] == {"entries": 9, "verified": True}


def test_the_same_project_unrepaired_needs_libraries_from_outside(
    project: Callable[[str], Path], tmp_path: Path
) -> None:
    wheel = built(project("repair_elf"), tmp_path / "dist", "-C", "repair.mode=off")
    code, document, text = inspect(wheel)
    assert code == 7
    core = f"repair_elf/_core{SUFFIX}"
    missing = sorted((name, status) for name, status, _path in libraries(document) if status == "missing")
    assert [name.split(".so")[0] for name, _status in missing] == ["libgomp", "libsqlite3"]
    assert codes(document) == [
        ("warning", "plain-linux-tag"),
        ("defect", "missing-library"),
        ("defect", "missing-library"),
    ]
    lines = text.splitlines()
    for name, _status in missing:
        message = (
            f"  defect: {name} (needed by {core}) is not in the wheel and not on the allow list "
            "(auditwheel's manylinux_2_41 policy)"
        )
        assert message in lines


def test_a_macos_wheel_cross_built_with_zig(tmp_path: Path, toolchain: dict[str, str]) -> None:
    root = Path(
        shutil.copytree(Path(__file__).parents[1] / "packages" / "repair_mac", tmp_path / "repair_mac")
    )
    result = macos._build(root, tmp_path / "dist", toolchain)
    assert result.returncode == 0, tail(result.output)
    code, document, text = inspect(result.wheel)
    assert code == 0, text
    assert document["tags"][0]["macos"] == "11.0"
    assert document["tags"][0]["platform"] == "macOS 11.0 or newer, arm64"
    [module] = document["modules"]
    assert (module["path"], module["format"], module["built_for"]) == (
        macos.EXT,
        "macho",
        f"CPython {VERSION}",
    )
    assert sorted(
        (name, status, path) for name, status, path in libraries(document) if status == "bundled"
    ) == [
        ("@loader_path/.dylibs/libdep.dylib", "bundled", "repair_mac/.dylibs/libdep.dylib"),
        ("@loader_path/libfoo.1.dylib", "bundled", "repair_mac/libfoo.1.dylib"),
    ]
    assert document["install_names"]["repair_mac/libfoo.1.dylib"] == "@rpath/libfoo.1.dylib"
    assert document["findings"] == []


def test_a_windows_wheel_cross_built_with_mingw(tmp_path: Path) -> None:
    require_tool("x86_64-w64-mingw32-gcc")  # the project's toolchain file, and the DLL it grafts
    root = Path(
        shutil.copytree(Path(__file__).parents[1] / "packages" / "repair_win", tmp_path / "repair_win")
    )
    result = windows._build(root, tmp_path / "dist")
    assert result.returncode == 0, tail(result.output)
    code, document, text = inspect(result.wheel)
    assert code == 0, text
    assert document["tags"][0]["platform"] == "Windows, x64"
    [module] = document["modules"]
    assert (module["path"], module["format"], module["built_for"]) == (
        windows.PYD,
        "pe",
        f"CPython {VERSION}",
    )
    bundled = sorted((name, path) for name, status, path in libraries(document) if status == "bundled")
    assert [name for name, _path in bundled][:2] == ["liba.dll", "libb.dll"]
    assert bundled[2][0].startswith("libwinpthread-1-")
    assert all(status != "missing" for _name, status, _path in libraries(document))


# A module built against the full API: PyUnicode_AsUTF8 and _PyObject_GetDictPtr are not in the
# limited API, PyType_GetModuleByDef joined it in 3.13.
FULL_API = r"""
#include <Python.h>
static PyObject *name(PyObject *self, PyObject *arg) {
    PyObject **dict = _PyObject_GetDictPtr(arg);
    (void)PyType_GetModuleByDef(Py_TYPE(arg), NULL);
    return PyLong_FromLong(dict != NULL ? (long)PyUnicode_AsUTF8(arg)[0] : 0);
}
static PyMethodDef methods[] = {{"name", name, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_bad", NULL, -1, methods};
PyMODINIT_FUNC PyInit__bad(void) { return PyModule_Create(&module); }
"""

SQLITE = r"""
#include <Python.h>
#include <sqlite3.h>
static PyObject *version(PyObject *self, PyObject *args) { return PyUnicode_FromString(sqlite3_libversion()); }
static PyMethodDef methods[] = {{"version", version, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_sql", NULL, -1, methods};
PyMODINIT_FUNC PyInit__sql(void) { return PyModule_Create(&module); }
"""


def _compile(tmp_path: Path, name: str, source: str, *libraries: str) -> Path:
    (tmp_path / f"{name}.c").write_text(source)
    target = tmp_path / f"{name}.so"
    include = sysconfig.get_paths()["include"]
    subprocess.run(
        [
            require_tool("gcc"),
            "-shared",
            "-fPIC",
            "-O1",
            f"-I{include}",
            "-o",
            target,
            tmp_path / f"{name}.c",
            *libraries,
        ],
        check=True,
    )
    return target


def _wheel(directory: Path, tag: str, files: dict[str, Path]) -> Path:
    dist = "demo-1.0.dist-info"
    entries: dict[str, bytes | Path] = {
        **files,
        f"{dist}/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
        f"{dist}/WHEEL": render_wheel_file([tag], purelib=False),
    }
    return write_wheel(directory / f"demo-1.0-{tag}.whl", entries, dist_info=dist, epoch=315532800)


def test_a_module_that_claims_abi3_but_uses_the_full_api(tmp_path: Path) -> None:
    module = _compile(tmp_path, "_bad", FULL_API)
    wheel = _wheel(tmp_path, f"cp39-abi3-manylinux_2_17_{ARCH}", {"demo/_bad.abi3.so": module})
    code, document, text = inspect(wheel)
    assert code == 7
    [found] = document["modules"]
    assert found["outside_limited_api"] == ["PyUnicode_AsUTF8", "_PyObject_GetDictPtr"]
    assert found["newer_than_floor"] == [{"symbol": "PyType_GetModuleByDef", "added": "3.13"}]
    assert found["limited_api_needed"] == "3.13"
    assert [item["message"] for item in document["findings"]] == [
        "demo/_bad.abi3.so claims the stable ABI but imports 2 symbols outside the limited API: "
        "PyUnicode_AsUTF8, _PyObject_GetDictPtr",
        "demo/_bad.abi3.so is tagged for CPython 3.9 or newer but imports symbols added later: "
        "PyType_GetModuleByDef (3.13)",
    ]
    assert codes(document) == [("defect", "abi3-outside-limited-api"), ("defect", "abi3-newer-than-floor")]
    assert "  demo/_bad.abi3.so  stable ABI (abi3)  ELF     -      2 symbols outside it" in text.splitlines()
    # The same binary as a version-specific module is fine: nothing is claimed.
    specific = _wheel(tmp_path, f"{PY}-{PY}-manylinux_2_17_{ARCH}", {f"demo/_bad{SUFFIX}": module})
    assert inspect(specific)[0] == 0


def test_a_module_that_needs_a_library_from_outside(tmp_path: Path) -> None:
    module = _compile(tmp_path, "_sql", SQLITE, "-lsqlite3")
    wheel = _wheel(tmp_path, f"{PY}-{PY}-manylinux_2_17_{ARCH}", {f"demo/_sql{SUFFIX}": module})
    code, document, text = inspect(wheel)
    assert code == 7
    assert libraries(document) == [("libsqlite3.so.0", "missing", None)]
    assert f"  libsqlite3.so.0  missing  -             demo/_sql{SUFFIX}" in text.splitlines()
    assert document["allow_list"] == "auditwheel's manylinux_2_17 policy"
    assert [item["message"] for item in document["findings"]] == [
        f"libsqlite3.so.0 (needed by demo/_sql{SUFFIX}) is not in the wheel and not on the allow list "
        "(auditwheel's manylinux_2_17 policy)"
    ]
