"""install() rules that would write outside the wheel, or write one file twice, with real CMake."""

from __future__ import annotations

import sysconfig
import textwrap
from pathlib import Path

import pytest

from tests.integration.frontends import tail
from tests.integration.repairing import build_in_place, members

pytestmark = pytest.mark.slow

SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
PYPROJECT = '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n[project]\nname = "demo"\nversion = "1"\n'
HEAD = "cmake_minimum_required(VERSION 3.18)\nproject(demo C)\n"
DESTINATION_HINT = (
    "hint: write DESTINATION relative to the wheel's root, such as DESTINATION demo for the package; for the "
    "wheel's data, scripts and headers use ${IRONWHEEL_DATA_DIR}, ${IRONWHEEL_SCRIPTS_DIR} and "
    "${IRONWHEEL_HEADERS_DIR}"
)


def _project(tmp_path: Path, lists: str, pyproject: str = "", files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "demo"
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(PYPROJECT + textwrap.dedent(pyproject))
    (root / "CMakeLists.txt").write_text(HEAD + textwrap.dedent(lists))
    (root / "data.txt").write_text("data\n")
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def _fails(root: Path, tmp_path: Path, code: int = 5) -> list[str]:
    outdir = tmp_path / "dist"
    result = build_in_place(root, outdir, "-C", "repair.mode=off")
    assert result.returncode == code, tail(result.output)
    assert not outdir.exists() or not list(outdir.iterdir())
    assert "Traceback" not in result.output
    return result.output.splitlines()


def test_a_destination_above_the_wheel_is_refused_before_installing(tmp_path: Path) -> None:
    root = _project(tmp_path, "install(FILES data.txt DESTINATION ../../../../x)\n")
    lines = _fails(root, tmp_path)
    assert lines[-2:] == [
        'error: CMakeLists.txt:3: install(FILES) DESTINATION "../../../../x" points above the wheel\'s root',
        DESTINATION_HINT,
    ]
    assert not any("Installing:" in line for line in lines)
    # Where it would have gone: four levels above the install prefix of the build dir.
    staging = root / "build" / next(p.name for p in (root / "build").iterdir()) / ".ironwheel" / "staging"
    assert not (staging / "platlib").joinpath(*[".."] * 4, "x").resolve().exists()


def test_every_destination_outside_is_listed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    root = _project(
        tmp_path,
        f"""\
        install(FILES data.txt DESTINATION demo)
        install(FILES data.txt DESTINATION "{outside}")
        install(DIRECTORY src/ DESTINATION ../sources)
        install(FILES data.txt DESTINATION "${{IRONWHEEL_DATA_DIR}}/share")
        """,
    )
    lines = _fails(root, tmp_path)
    assert lines[-4:] == [
        "error: 2 install() destinations are outside the wheel:",
        f'  CMakeLists.txt:4: install(FILES) DESTINATION "{outside}" is an absolute path outside the wheel',
        '  CMakeLists.txt:5: install(DIRECTORY) DESTINATION "../sources" points above the wheel\'s root',
        DESTINATION_HINT,
    ]
    assert not outside.exists()


def test_a_file_written_outside_by_install_code_fails_the_build(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    root = _project(tmp_path, f'install(CODE "file(INSTALL data.txt DESTINATION {outside})")\n')
    lines = _fails(root, tmp_path)
    assert lines[-2:] == [
        f"error: cmake --install wrote {outside}/data.txt, outside the wheel",
        "hint: an install(CODE) or install(SCRIPT) of the project writes there; install files with "
        "install(FILES ... DESTINATION <relative path>) instead, then delete what was written",
    ]


def test_destdir_does_not_send_the_files_elsewhere(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        'install(FILES data.txt DESTINATION demo)\ninstall(FILES data.txt DESTINATION "${IRONWHEEL_DATA_DIR}")\n',
    )
    result = build_in_place(
        root,
        tmp_path / "dist",
        env={"DESTDIR": str(tmp_path / "destdir")},
    )
    assert result.returncode == 0, tail(result.output)
    assert members(result.wheel)[:3] == ["demo-1.data/data/data.txt", "demo/__init__.py", "demo/data.txt"]
    assert not (tmp_path / "destdir").exists()


MODULE = """\
#define PY_SSIZE_T_CLEAN
#include <Python.h>
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_core", NULL, -1, NULL};
PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
"""


def test_an_extension_table_and_a_cmake_target_for_one_module(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        find_package(Python REQUIRED COMPONENTS Interpreter Development.Module)
        Python_add_library(_core MODULE WITH_SOABI src/demo/_core.c)
        install(TARGETS _core DESTINATION demo)
        """,
        '[tool.ironwheel.extension."demo._core"]\nsources = ["src/demo/_core.c"]\n',
        {"src/demo/_core.c": MODULE},
    )
    lines = _fails(root, tmp_path)
    assert lines[-2:] == [
        f"error: two install() rules write demo/_core{SUFFIX}: target _core (CMakeLists.txt:5) and "
        '[tool.ironwheel.extension."demo._core"]',
        "hint: remove one of them, or install one under another name; an extension table that the project's "
        "CMakeLists.txt builds too is not needed (tool.ironwheel.wheel.cmake = false builds only the tables)",
    ]


def test_two_rules_writing_one_file(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        install(FILES data.txt DESTINATION demo)
        add_subdirectory(sub)
        """,
        files={
            "sub/CMakeLists.txt": "install(FILES other.txt DESTINATION demo RENAME data.txt)\n",
            "sub/other.txt": "",
        },
    )
    lines = _fails(root, tmp_path)
    assert lines[-2][: len("error: two install() rules write demo/data.txt: ")] == (
        "error: two install() rules write demo/data.txt: "
    )
    # Both are named, whichever CMake lists first.
    assert "install(FILES) at CMakeLists.txt:3" in lines[-2]
    assert "install(FILES) at sub/CMakeLists.txt:1" in lines[-2]


def test_a_library_and_its_links_are_one_producer(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        add_library(core SHARED core.c)
        set_target_properties(core PROPERTIES VERSION 1.2.3 SOVERSION 1)
        install(TARGETS core LIBRARY DESTINATION demo)
        install(TARGETS core LIBRARY DESTINATION demo)
        """,
        files={"core.c": "int core(void) { return 1; }\n"},
    )
    result = build_in_place(root, tmp_path / "dist", "-C", "repair.mode=off")
    assert result.returncode == 0, tail(result.output)
    assert "demo/libcore.so.1" in members(result.wheel)


def test_a_package_source_no_target_compiles_is_named(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        find_package(Python REQUIRED COMPONENTS Interpreter Development.Module)
        Python_add_library(_core MODULE WITH_SOABI src/demo/_core.c)
        install(TARGETS _core DESTINATION demo)
        """,
        files={"src/demo/_core.c": MODULE, "src/demo/_forgotten.c": MODULE.replace("_core", "_forgotten")},
    )
    result = build_in_place(root, tmp_path / "dist", "-C", "repair.mode=off")
    assert result.returncode == 0, tail(result.output)
    assert [line for line in result.output.splitlines() if line.startswith("warning:")] == [
        "warning: src/demo/_forgotten.c: native sources in the packages that the build does not compile: the "
        "wheel ships them as plain files; compile them in a CMake target or an extension table, or leave them "
        "out of the wheel with tool.ironwheel.wheel.exclude"
    ]
    assert "demo/_forgotten.c" in members(result.wheel)
    assert "demo/_core.c" not in members(result.wheel)
