"""build.toolchain = "zig": old-glibc manylinux and musllinux wheels from this glibc 2.36 host.

The C++ wheel's modules use exceptions, iostream and std::string, one through
the C API and one through pybind11; zig links its own libc++ into each of them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Venv
from tests.integration.frontends import Result, pip_wheel, sha256, tail
from tests.integration.repairing import (
    auditwheel_show,
    build_in_place,
    built,
    contents,
    members,
    readelf_dynamic,
)

pytestmark = pytest.mark.slow

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
ARCH = sysconfig.get_platform().split("-")[-1]
ZIG = ["-C", "build.toolchain=zig"]
POLICY = re.compile(r"^manylinux_2_(\d+)_" + ARCH + "$")


def _oldest_glibc(wheel: Path) -> int:
    """The oldest manylinux_2_X the wheel's tags claim (its X)."""
    platforms = wheel.name[: -len(".whl")].split("-")[-1].split(".")
    minors = [int(match.group(1)) for match in map(POLICY.match, platforms) if match]
    assert minors, wheel.name
    return min(minors)


@pytest.fixture(scope="module")
def cpp_wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """zig_cpp built once with -C repair.mode=on (the project sets build.toolchain = "zig")."""
    base = tmp_path_factory.mktemp("zigcpp")
    root = shutil.copytree(Path(__file__).parents[1] / "packages" / "zig_cpp", base / "zig_cpp")
    result = build_in_place(root, base / "dist", "-C", "repair.mode=on")
    return built(result), result


def test_cpp_wheel_is_manylinux_2_17_and_imports(cpp_wheel: tuple[Path, Result], tmp_path: Path) -> None:
    wheel, result = cpp_wheel
    assert "toolchain: zig " in result.output
    assert "for x86_64-linux-gnu.2.17: glibc 2.17 (the oldest glibc zig provides for x86_64)" in result.output
    assert _oldest_glibc(wheel) <= 17
    # auditwheel, asked on its own, agrees: no symbol newer than glibc 2.17, no libstdc++.
    overall = POLICY.match(str(auditwheel_show(wheel)["overall_tag"]))
    assert overall is not None
    assert int(overall.group(1)) <= 17
    names = members(wheel)
    modules = sorted(name for name in names if name.endswith(".so"))
    assert modules == [
        f"zig_cpp/_bound{sysconfig.get_config_var('EXT_SUFFIX')}",
        f"zig_cpp/_plain{sysconfig.get_config_var('EXT_SUFFIX')}",
    ]
    shutil.unpack_archive(wheel, tmp_path / "unpacked", format="zip")
    for module in modules:
        needed = readelf_dynamic(tmp_path / "unpacked" / module)["NEEDED"]
        assert not [item for item in needed if "stdc++" in item or "c++" in item], needed

    venv = Venv(tmp_path / "venv")
    venv.install(wheel)
    out = venv.run(
        "import zig_cpp._plain as plain, zig_cpp._bound as bound\n"
        "print(plain.shout(7))\n"
        "try:\n    plain.shout(-2)\nexcept ValueError as error:\n    print('ValueError', error)\n"
        "print(bound.join(['a', 'b', 'c']))\n"
        "try:\n    bound.join([])\nexcept RuntimeError as error:\n    print('RuntimeError', error)\n"
    )
    # The C++ stream goes to stdout first (std::cout), then the return values.
    assert out.splitlines() == [
        "value=7",
        "value=7",
        "ValueError negative: -2",
        "a-b-c",
        "RuntimeError nothing to join",
    ]


def test_cpp_wheel_is_reproducible_in_another_directory(
    cpp_wheel: tuple[Path, Result], tmp_path: Path
) -> None:
    wheel, _ = cpp_wheel
    root = shutil.copytree(
        Path(__file__).parents[1] / "packages" / "zig_cpp", tmp_path / "elsewhere" / "zig_cpp"
    )
    again = built(build_in_place(root, tmp_path / "dist", "-C", "repair.mode=on"))
    assert again.name == wheel.name
    # zig compiles its libc++ from the copy of zig in a build directory, with debug information
    # that names that directory, and caches it for every later build: a release build drops it
    # at the link, or a wheel would carry the build directory of whichever build came first.
    for each in (wheel, again):
        assert _debug_sections(each) == {}
    # By member first: a difference names the member (pytest's diff of two wheels' bytes would not end).
    assert _digests(again) == _digests(wheel)
    assert sha256(again) == sha256(wheel)  # RECORD and the archive itself too


def _debug_sections(wheel: Path) -> dict[str, list[str]]:
    """The .debug_* sections of each ELF member."""
    import io

    from elftools.elf.elffile import ELFFile

    found: dict[str, list[str]] = {}
    for name, data in contents(wheel).items():
        if data[:4] == b"\x7fELF":
            sections = [section.name for section in ELFFile(io.BytesIO(data)).iter_sections()]
            debug = [section for section in sections if section.startswith(".debug_")]
            if debug:
                found[name] = debug
    return found


def _digests(wheel: Path) -> dict[str, str]:
    """Each member's sha256, RECORD left out."""
    import hashlib

    return {name: hashlib.sha256(data).hexdigest() for name, data in contents(wheel).items()}


def test_c_wheel_for_an_explicit_glibc(project: Callable[[str], Path], tmp_path: Path) -> None:
    root = project("internal_lib")
    result = build_in_place(
        root,
        tmp_path / "dist",
        *ZIG,
        "-C",
        "repair.manylinux=manylinux_2_28",
    )
    wheel = built(result)
    assert 'for x86_64-linux-gnu.2.28: glibc 2.28 (repair.manylinux = "manylinux_2_28")' in result.output
    assert f"manylinux_2_28_{ARCH}" in wheel.name
    venv = Venv(tmp_path / "venv")
    venv.install(wheel)
    assert venv.run("import internal_lib as m; print(m.value(), m.doubled(), m.one())") == "21 42 1"


def test_musllinux_wheel_from_a_glibc_host(project: Callable[[str], Path], tmp_path: Path) -> None:
    """A musllinux_1_2 wheel, tagged from the target (auditwheel on glibc refuses --plat musllinux).

    It cannot be imported here: there is no musl Python on this machine.
    """
    root = project("internal_lib")
    result = build_in_place(
        root,
        tmp_path / "dist",
        *ZIG,
        "-C",
        "repair.manylinux=musllinux_1_2",
        "-C",
        "repair.mode=on",
    )
    wheel = built(result)
    assert wheel.name == f"internal_lib-1.0-{PY}-{PY}-musllinux_1_2_{ARCH}.whl"
    assert 'for x86_64-linux-musl: musl 1.2 (repair.manylinux = "musllinux_1_2")' in result.output
    assert "--plat auto" in result.output
    assert auditwheel_show(wheel)["overall_tag"] == f"musllinux_1_2_{ARCH}"
    suffix = f".cpython-{PY[2:]}-{ARCH}-linux-musl.so"
    assert sorted(name for name in members(wheel) if name.endswith(".so")) == [
        f"internal_lib/_a{suffix}",
        f"internal_lib/_plain{suffix}",
        "internal_lib/libcore.so",
        f"internal_lib/sub/_b{suffix}",
    ]
    shutil.unpack_archive(wheel, tmp_path / "unpacked", format="zip")
    assert readelf_dynamic(tmp_path / "unpacked" / "internal_lib" / f"_a{suffix}")["NEEDED"] == ["libcore.so"]
    # Nothing of glibc: no versioned symbols (musl has none).
    for path in (tmp_path / "unpacked").rglob("*.so"):
        versions = subprocess.run(["readelf", "-V", str(path)], capture_output=True, text=True, check=True)
        assert "GLIBC_" not in versions.stdout, path


def test_a_frontend_requests_ziglang(
    project: Callable[[str], Path], tmp_path: Path, offline_pip: Path
) -> None:
    del offline_pip
    root = project("internal_lib")
    result = pip_wheel(root, tmp_path / "dist", *ZIG, "-C", "repair.mode=on")
    wheel = built(result)
    assert 'requesting ziglang>=0.13: build.toolchain = "zig"' in result.output
    assert _oldest_glibc(wheel) <= 17
    venv = Venv(tmp_path / "venv")
    venv.install(wheel)
    assert venv.run("import internal_lib as m; print(m.value(), m.doubled(), m.one())") == "21 42 1"


def test_fortran_is_refused_with_zig(project: Callable[[str], Path], tmp_path: Path) -> None:
    result = build_in_place(project("fortran_from_c"), tmp_path / "dist", *ZIG)
    assert result.returncode == 3, tail(result.output)
    assert result.output.splitlines()[-2:] == [
        'error: build.toolchain = "zig" compiles C and C++ only, but the extension fortran_from_c._dot (dot.f90) needs Fortran',
        'hint: build it with build.toolchain = "native" (a manylinux container gives old-glibc wheels with '
        "gfortran and nvcc), or leave the module out (enabled = false in an override)",
    ]
    assert result.wheels == []


def test_a_cmake_project_enabling_fortran_is_refused_with_zig(tmp_path: Path) -> None:
    root = tmp_path / "mixed"
    (root / "src" / "mixed").mkdir(parents=True)
    (root / "src" / "mixed" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n'
        '[project]\nname = "mixed"\nversion = "1.0"\n'
    )
    (root / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.18)\nproject(mixed LANGUAGES C Fortran)\n"
    )
    result = build_in_place(root, tmp_path / "dist", *ZIG)
    assert result.returncode == 3, tail(result.output)
    assert result.output.splitlines()[-2] == (
        'error: build.toolchain = "zig" compiles C and C++ only, but the CMake project needs Fortran'
    )
