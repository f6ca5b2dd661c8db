"""Bad input: the target (target.*, the platform variables) and the toolchains (zig, MSVC)."""

from __future__ import annotations

from tests.catalogue.harness import Case
from tests.catalogue.native import c_project

_PLATFORM = 'expected a platform such as "linux_aarch64", "macosx_11_0_arm64" or "win_amd64"'
_DETAILS_HINT = "point target.build-details at the build-details.json of the Python to build for"
_ZIG_HINT = (
    'build it with build.toolchain = "native" (a manylinux container gives old-glibc wheels with '
    "gfortran and nvcc), or leave the module out (enabled = false in an override)"
)
_FORTRAN_TABLE = """\
[tool.ironwheel.extension."demo._dot"]
sources = ["src/demo/_dot.c", "src/demo/dot.f90"]
"""

CASES: list[Case] = [
    Case(
        name="target: platform of no known kind",
        config={"target.platform": "plan9_x86_64"},
        error=f'-C target.platform: {_PLATFORM}, got "plan9_x86_64"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="target: platform that is a repair policy",
        config={"target.platform": "manylinux_2_28_aarch64"},
        error=f'-C target.platform: {_PLATFORM}, got the repair policy "manylinux_2_28_aarch64" '
        "(repair.manylinux takes policies)",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="target: build-details that do not exist",
        files=c_project(),
        config={"target.build-details": "nowhere/build-details.json"},
        error="target.build-details: {root}/nowhere/build-details.json does not exist",
        hint="give the path of the target Python's build-details.json (CPython 3.14 installs it next to "
        "its sysconfig data, e.g. lib/python3.14/build-details.json)",
    ),
    Case(
        name="target: build-details of another schema",
        files=c_project(**{"details.json": '{"schema_version": "2.0"}'}),
        config={"target.build-details": "details.json"},
        error='{root}/details.json: schema_version "2.0" is not supported (only 1.x)',
        hint="use a build-details.json of schema version 1, as PEP 739 defines it",
    ),
    Case(
        name="target: build-details without a language version",
        files=c_project(**{"details.json": '{"schema_version": "1.0", "platform": "linux-x86_64"}'}),
        config={"target.build-details": "details.json"},
        error="{root}/details.json: no language.version (PEP 739 requires it)",
        hint=_DETAILS_HINT,
    ),
    Case(
        name="target: MSVC environment for another machine than target.platform",
        files=c_project(),
        config={"target.platform": "win_arm64"},
        env={"VSCMD_ARG_TGT_ARCH": "x64"},
        error="VSCMD_ARG_TGT_ARCH=x64 does not match the target win_arm64 (target.platform)",
        hint="an MSVC environment for another architecture is active: open one for the target's "
        "(vcvarsall.bat with the target architecture), or start without one and let ironwheel load it",
    ),
    Case(
        name="target: AUDITWHEEL_PLAT of another machine than target.platform",
        files=c_project(),
        config={"target.platform": "linux_aarch64"},
        env={"AUDITWHEEL_PLAT": "manylinux_2_28_x86_64"},
        error="AUDITWHEEL_PLAT=manylinux_2_28_x86_64 is for x86_64, but the target is linux_aarch64 "
        "(target.platform)",
        hint="unset AUDITWHEEL_PLAT, or build for its architecture",
    ),
    Case(
        name="zig: a musllinux policy zig's musl cannot meet",
        files=c_project(),
        config={"build.toolchain": "zig", "repair.manylinux": "musllinux_1_1"},
        error='repair.manylinux = "musllinux_1_1": zig\'s musl is 1.2, so it builds musllinux_1_2 wheels only',
        hint='set repair.manylinux = "musllinux_1_2"',
    ),
    Case(
        name="zig: universal2 in one build",
        files=c_project(),
        config={"build.toolchain": "zig"},
        env={"_PYTHON_HOST_PLATFORM": "macosx-10.9-universal2", "ARCHFLAGS": "-arch arm64 -arch x86_64"},
        error='build.toolchain = "zig" builds one architecture at a time, but the target is '
        "macosx_10_9_universal2",
        hint='build an arm64 and an x86_64 wheel (ARCHFLAGS="-arch arm64", then "-arch x86_64") and fuse '
        "them with delocate-merge",
    ),
    Case(
        name="zig: an extension with Fortran sources",
        pyproject=None,
        files={
            "pyproject.toml": '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n'
            '[project]\nname = "demo"\nversion = "1.0"\n' + _FORTRAN_TABLE,
            "src/demo/__init__.py": "",
            "src/demo/_dot.c": "",
            "src/demo/dot.f90": "",
        },
        config={"build.toolchain": "zig"},
        error='build.toolchain = "zig" compiles C and C++ only, but the extension demo._dot (dot.f90) '
        "needs Fortran",
        hint=_ZIG_HINT,
    ),
]
