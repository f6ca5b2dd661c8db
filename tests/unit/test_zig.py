"""The zig toolchain: target triples, the glibc from the repair policy, wrapper scripts, limits."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ironwheel.errors import ConfigError
from ironwheel.target import TargetInputs, WheelTarget, resolve_target
from ironwheel.tools.zig import ZigPlan, plan_zig, unsupported_error, unsupported_languages
from tests.unit.probes import LINUX_311


def _target(policy: str = "auto", **fields: Any) -> WheelTarget:
    return resolve_target(TargetInputs(running=LINUX_311, toolchain="zig", policy=policy, **fields))


@pytest.mark.parametrize(
    ("policy", "fields", "triple", "tag_policy", "reason"),
    [
        (
            "auto",
            {},
            "x86_64-linux-gnu.2.17",
            "manylinux_2_17",
            "glibc 2.17 (the oldest glibc zig provides for x86_64)",
        ),
        (
            "manylinux_2_28",
            {},
            "x86_64-linux-gnu.2.28",
            "manylinux_2_28",
            'glibc 2.28 (repair.manylinux = "manylinux_2_28")',
        ),
        (
            "manylinux2014",
            {},
            "x86_64-linux-gnu.2.17",
            "manylinux_2_17",
            'glibc 2.17 (repair.manylinux = "manylinux2014")',
        ),
        (
            "manylinux_2_34_x86_64",
            {},
            "x86_64-linux-gnu.2.34",
            "manylinux_2_34",
            'glibc 2.34 (repair.manylinux = "manylinux_2_34_x86_64")',
        ),
        (
            "auto",
            {"environ": {"AUDITWHEEL_PLAT": "manylinux_2_28_aarch64"}},
            "aarch64-linux-gnu.2.28",
            "manylinux_2_28",
            "glibc 2.28 (AUDITWHEEL_PLAT=manylinux_2_28_aarch64)",
        ),
        (
            "musllinux_1_2",
            {},
            "x86_64-linux-musl",
            "musllinux_1_2",
            'musl 1.2 (repair.manylinux = "musllinux_1_2")',
        ),
        (
            "auto",
            {"platform": "linux_riscv64"},
            "riscv64-linux-gnu.2.27",
            "manylinux_2_27",
            "glibc 2.27 (the oldest glibc zig provides for riscv64)",
        ),
        (
            "auto",
            {"platform": "linux_armv7l"},
            "arm-linux-gnueabihf.2.17",
            "manylinux_2_17",
            "glibc 2.17 (the oldest glibc zig provides for armv7l)",
        ),
        ("auto", {"platform": "macosx_11_0_arm64"}, "aarch64-macos.11.0", "", "macOS 11.0 (target.platform)"),
        (
            "auto",
            {"environ": {"_PYTHON_HOST_PLATFORM": "macosx-10.9-x86_64", "MACOSX_DEPLOYMENT_TARGET": "10.13"}},
            "x86_64-macos.10.13",
            "",
            "macOS 10.13 (_PYTHON_HOST_PLATFORM=macosx-10.9-x86_64)",
        ),
        ("auto", {"platform": "win_amd64"}, "x86_64-windows-gnu", "", "Windows (target.platform)"),
        ("auto", {"platform": "win32"}, "x86-windows-gnu", "", "Windows (target.platform)"),
        ("auto", {"platform": "win_arm64"}, "aarch64-windows-gnu", "", "Windows (target.platform)"),
    ],
)
def test_triples(policy: str, fields: dict[str, Any], triple: str, tag_policy: str, reason: str) -> None:
    plan = plan_zig(_target(policy, **fields), policy, fields.get("environ", {}))
    assert (plan.triple, plan.policy, plan.reason) == (triple, tag_policy, reason)


@pytest.mark.parametrize(
    ("policy", "fields", "message", "hint"),
    [
        (
            "musllinux_1_1",
            {},
            'repair.manylinux = "musllinux_1_1": zig\'s musl is 1.2, so it builds musllinux_1_2 wheels only',
            'set repair.manylinux = "musllinux_1_2"',
        ),
        (
            "manylinux_2_17",
            {"platform": "linux_riscv64"},
            'repair.manylinux = "manylinux_2_17": zig provides glibc 2.27 or later for riscv64',
            'set repair.manylinux = "manylinux_2_27" or a later policy',
        ),
        (
            "auto",
            {
                "environ": {
                    "ARCHFLAGS": "-arch arm64 -arch x86_64",
                    "_PYTHON_HOST_PLATFORM": "macosx-10.9-universal2",
                }
            },
            'build.toolchain = "zig" builds one architecture at a time, but the target is macosx_10_9_universal2',
            'build an arm64 and an x86_64 wheel (ARCHFLAGS="-arch arm64", then "-arch x86_64") and fuse them '
            "with delocate-merge",
        ),
    ],
)
def test_impossible_targets(policy: str, fields: dict[str, Any], message: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        plan_zig(_target(policy, **fields), policy, fields.get("environ", {}))
    assert (caught.value.message, caught.value.hint) == (message, hint)


@pytest.mark.skipif(os.name == "nt", reason="POSIX wrapper scripts")
def test_wrapper_scripts_and_cache_entries(tmp_path: Path) -> None:
    plan = ZigPlan("x86_64-linux-gnu.2.17", "manylinux_2_17", "")
    zig = Path("/env/ziglang/zig")
    scripts = plan.scripts(zig)
    assert sorted(scripts) == ["ar", "c++", "cc", "ranlib"]
    assert scripts["cc"] == (
        '#!/bin/sh\n# Written by ironwheel: build.toolchain = "zig".\n'
        'exec "/env/ziglang/zig" cc -target x86_64-linux-gnu.2.17 "$@"\n'
    )
    assert scripts["ar"].endswith('exec "/env/ziglang/zig" ar "$@"\n')
    linux = _target()
    entries = plan.cache_entries(tmp_path, linux)
    assert entries[:4] == [
        ("CMAKE_C_COMPILER", f"{tmp_path}/cc", "FILEPATH"),
        ("CMAKE_CXX_COMPILER", f"{tmp_path}/c++", "FILEPATH"),
        ("CMAKE_AR", f"{tmp_path}/ar", "FILEPATH"),
        ("CMAKE_RANLIB", f"{tmp_path}/ranlib", "FILEPATH"),
    ]
    # ELF release links drop the debug information zig's cached libraries carry.
    assert ("CMAKE_MODULE_LINKER_FLAGS_RELEASE_INIT", "-Wl,--strip-debug", "STRING") in entries
    assert not any("RELWITHDEBINFO" in name or name.endswith("_DEBUG_INIT") for name, _, _ in entries)
    macos = _target(platform="macosx_11_0_arm64")
    assert plan.cache_entries(tmp_path, macos)[-1] == (
        "CMAKE_USER_MAKE_RULES_OVERRIDE",
        f"{tmp_path}/rules.cmake",
        "FILEPATH",
    )
    assert '"-shared -Wl,-headerpad_max_install_names"' in plan.rules()


def test_fortran_and_cuda_are_named() -> None:
    assert unsupported_languages(["C", "CXX", "Fortran", "CUDA", "ASM"]) == ["CUDA", "Fortran"]
    error = unsupported_error(["C", "Fortran"], "the extension pkg._flib (src/flib.f90)")
    assert error.message == (
        'build.toolchain = "zig" compiles C and C++ only, but the extension pkg._flib (src/flib.f90) needs Fortran'
    )
    assert error.hint == (
        'build it with build.toolchain = "native" (a manylinux container gives old-glibc wheels with '
        "gfortran and nvcc), or leave the module out (enabled = false in an override)"
    )
