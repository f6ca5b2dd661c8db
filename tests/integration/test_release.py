"""ironwheel build as a release: the sdist, the wheel from it, isolation, a file the sdist lacks."""

from __future__ import annotations

import re
import sysconfig
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Venv
from tests.integration.frontends import tail
from tests.integration.repairing import build_in_place, ironwheel, members

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
ARCH = sysconfig.get_platform().split("-")[-1]


def test_an_isolated_release_of_sdist_and_repaired_wheel(
    project: Callable[[str], Path], tmp_path: Path, offline_pip: Path, fresh_venv: Venv
) -> None:
    root = project("repair_elf")
    outdir = tmp_path / "dist"
    result = ironwheel("build", "-o", outdir, root)
    assert result.returncode == 0, tail(result.output)
    wheel = result.wheel
    assert re.fullmatch(rf"repair_elf-1\.0-{PY}-{PY}-manylinux_2_\d+_{ARCH}\.whl", wheel.name)
    assert sorted(path.name for path in outdir.iterdir()) == [wheel.name, "repair_elf-1.0.tar.gz"]
    output = result.output.splitlines()
    # Both hooks ran in environments of their own, with ironwheel from the index (the wheelhouse).
    assert (
        output.count("ironwheel: isolated environment: installing ironwheel ([build-system] requires)") == 2
    )
    assert "ironwheel: building the wheel from repair_elf-1.0.tar.gz" in output
    assert 'ironwheel: repair: repairing the wheel (repair.mode = "auto" and a release build)' in output
    # The wheel was built in the unpacked sdist, not in the project.
    assert not (root / "build").exists()
    summary = next(i for i, line in enumerate(output) if line.startswith("ironwheel: built 2 files in "))
    assert re.fullmatch(r"ironwheel: built 2 files in \d+\.\d s:", output[summary])
    sizes = r"\d+(\.\d)? [kM]?B"
    assert re.fullmatch(
        rf"ironwheel:   {re.escape(str(outdir / 'repair_elf-1.0.tar.gz'))} +{sizes}  sdist",
        output[summary + 1],
    )
    tag = wheel.name[: -len(".whl")].split("-", 2)[2]
    assert re.fullmatch(rf"ironwheel:   {re.escape(str(wheel))} +{sizes}  {tag}", output[summary + 2])
    assert output[-2:] == [str(outdir / "repair_elf-1.0.tar.gz"), str(wheel)]  # stdout: the files
    assert any(name.startswith("repair_elf.libs/libsqlite3-") for name in members(wheel))
    fresh_venv.install(wheel)
    assert fresh_venv.run("import repair_elf; print(repair_elf.answer())") == "42"


def test_a_hook_that_fails_in_isolation_keeps_its_exit_code(tmp_path: Path, offline_pip: Path) -> None:
    root = tmp_path / "broken"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n'
        '[project]\nname = "broken"\nversion = "1.0"\n\n[tool.ironwheel.cmake]\nbuildtype = "Debug"\n'
    )
    result = ironwheel("build", "-o", tmp_path / "dist", root)
    assert result.returncode == 2, tail(result.output)
    lines = result.output.splitlines()
    assert lines.count("error: tool.ironwheel.cmake.buildtype: unknown key") == 1
    assert "hint: did you mean tool.ironwheel.cmake.build-type?" in lines
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())


HEADER_PROJECT = {
    "pyproject.toml": '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n'
    '[project]\nname = "lacking"\nversion = "1.0"\n\n'
    '[tool.ironwheel.extension."lacking._core"]\nsources = ["src/lacking/_core.c"]\n\n'
    '[tool.ironwheel.sdist]\nexclude = ["src/lacking/answer.h"]\n',
    "src/lacking/__init__.py": "from lacking._core import answer\n",
    "src/lacking/answer.h": "#define ANSWER 42\n",
    "src/lacking/_core.c": '#include <Python.h>\n#include "answer.h"\n'
    "static PyObject *answer(PyObject *s, PyObject *a) { return PyLong_FromLong(ANSWER); }\n"
    'static PyMethodDef m[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};\n'
    'static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, "_core", NULL, -1, m};\n'
    "PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&d); }\n",
}


def test_a_file_the_sdist_lacks_is_named(tmp_path: Path) -> None:
    root = tmp_path / "lacking"
    for name, text in HEADER_PROJECT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    outdir = tmp_path / "dist"
    result = ironwheel("build", "--no-isolation", "-o", outdir, root)
    assert result.returncode == 5, tail(result.output)
    lines = result.output.splitlines()
    start = lines.index(
        "error: the wheel cannot be built from lacking-1.0.tar.gz: the build wanted src/lacking/answer.h, "
        "which is in the project but not in the sdist"
    )
    assert lines[start + 1].startswith("  the build said: the build failed: ")
    assert lines[start + 1].endswith("_core.c:2:10: fatal error: answer.h: No such file or directory")
    assert lines[start + 2] == (
        "hint: ship it in the sdist: check .gitignore and tool.ironwheel.sdist.exclude, "
        'or add tool.ironwheel.sdist.include = ["src/lacking/answer.h"]'
    )
    assert not outdir.exists() or list(outdir.iterdir()) == []  # a failed release leaves neither file
    # Built from the tree, the wheel has what it needs.
    assert build_in_place(root, outdir).returncode == 0


def test_sdist_and_wheel_alone(project: Callable[[str], Path], tmp_path: Path) -> None:
    root = project("limited_decl")
    only_sdist = ironwheel("build", "--sdist", "--no-isolation", "-o", tmp_path / "s", root)
    assert only_sdist.returncode == 0, tail(only_sdist.output)
    assert [path.name for path in (tmp_path / "s").iterdir()] == ["limited_decl-1.0.tar.gz"]
    with tarfile.open(tmp_path / "s" / "limited_decl-1.0.tar.gz") as archive:
        assert "limited_decl-1.0/PKG-INFO" in archive.getnames()
    only_wheel = build_in_place(root, tmp_path / "w", "-C", "repair.mode=off")
    assert only_wheel.returncode == 0, tail(only_wheel.output)
    assert [path.name for path in (tmp_path / "w").iterdir()] == [
        "limited_decl-1.0-cp39-abi3-linux_x86_64.whl"
    ]
    assert (root / "build" / "cp39-abi3-linux_x86_64").is_dir()  # from the tree, in its build directory
