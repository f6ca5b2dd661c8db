"""MSVC on Windows: finding Visual Studio and loading vcvarsall's environment, from recorded outputs.

The recordings in tests/unit/msvc are what vswhere and ``vcvarsall.bat <arch> && set``
print on a Windows runner with the VS 2022 Build Tools (a MinGW gcc on PATH too).
Running them for real needs a Windows machine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from ironwheel.errors import CommandError, ToolError
from ironwheel.target import PythonFacts, TargetInputs, WheelTarget, resolve_target
from ironwheel.tools.msvc import (
    MSVC_COMPONENT,
    environment_changes,
    find_visual_studio,
    load_msvc,
    msvc_wanted,
    parse_set_output,
    vcvarsall_arch,
    vswhere_command,
)
from tests.unit.probes import WINDOWS_312

RECORDINGS = Path(__file__).parent / "msvc"
BEFORE: dict[str, str] = json.loads((RECORDINGS / "before.json").read_text())
BUILD_TOOLS = Path(r"C:\Program Files (x86)\Microsoft Visual Studio\2022\BuildTools")


def _recorded(name: str) -> str:
    return (RECORDINGS / name).read_bytes().decode()


def _target(**fields: Any) -> WheelTarget:
    return resolve_target(TargetInputs(running=WINDOWS_312, **fields))


class Recorder:
    """Stands in for the runner: answers each command with a recording, keeps the commands."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.commands: list[list[str]] = []

    def __call__(self, command: Sequence[str]) -> str:
        self.commands.append(list(command))
        return self.answers.pop(0)


def test_vswhere_finds_build_tools_installs() -> None:
    command = vswhere_command(BEFORE)
    installer = Path(r"C:\Program Files (x86)") / "Microsoft Visual Studio" / "Installer"
    assert command == [
        str(installer / "vswhere.exe"),
        "-products",
        "*",
        "-requires",
        MSVC_COMPONENT,
        "-latest",
        "-property",
        "installationPath",
    ]
    runner = Recorder(_recorded("vswhere-buildtools.txt"))
    assert find_visual_studio(BEFORE, runner) == (BUILD_TOOLS, "")
    assert find_visual_studio(BEFORE, Recorder("")) == (
        None,
        f"vswhere found no installation with {MSVC_COMPONENT}",
    )


def test_vswhere_failing_is_a_reason_not_a_crash() -> None:
    def failing(command: Sequence[str]) -> str:
        raise CommandError(list(command), 87, ["Error 0x57: Invalid parameter"])

    installation, why = find_visual_studio(BEFORE, failing)
    assert installation is None
    assert why.startswith("vswhere failed: ")


@pytest.mark.parametrize(
    ("host", "target", "argument"),
    [
        ("AMD64", "x86_64", "x64"),
        ("AMD64", "i686", "x64_x86"),
        ("AMD64", "aarch64", "x64_arm64"),
        ("ARM64", "aarch64", "arm64"),
        ("ARM64", "x86_64", "arm64_x64"),
        ("x86", "x86_64", "x86_x64"),
    ],
)
def test_vcvarsall_argument_from_host_and_target(host: str, target: str, argument: str) -> None:
    assert vcvarsall_arch(host, target) == argument


def test_no_compiler_for_an_unknown_machine() -> None:
    with pytest.raises(ToolError) as caught:
        vcvarsall_arch("AMD64", "riscv64")
    assert caught.value.message == "MSVC has no compiler from AMD64 for riscv64"


def test_set_output_is_parsed_after_the_banner() -> None:
    variables = parse_set_output(_recorded("vcvarsall-x64.txt"))
    assert "[VCVARSALL.BAT] ENVIRONMENT INITIALIZED FOR" not in " ".join(variables)
    assert variables["VSCMD_ARG_TGT_ARCH"] == "x64"
    assert variables["PATH"].startswith(
        r"C:\Program Files (x86)\Microsoft Visual Studio\2022\BuildTools\VC\Tools\MSVC\14.41.34120\bin\HostX64\x64;"
    )
    assert variables["PROGRAMFILES(X86)"] == r"C:\Program Files (x86)"
    assert parse_set_output("no marker\r\nA=1\r\n") == {}


def test_only_the_differences_are_kept() -> None:
    changes = environment_changes(BEFORE, parse_set_output(_recorded("vcvarsall-x64.txt")))
    assert "ALLUSERSPROFILE" not in changes
    assert "PROCESSOR_ARCHITECTURE" not in changes
    assert {"INCLUDE", "LIB", "LIBPATH", "PATH", "VCINSTALLDIR", "VSCMD_VER"} <= set(changes)
    # Windows names ignore case: "Path" in the output replaces "PATH".
    assert "Path" not in changes
    assert changes["PATH"].endswith(BEFORE["Path"])


def test_load_for_a_cross_build_to_arm64(tmp_path: Path) -> None:
    environ = {**BEFORE, "VSCMD_ARG_TGT_ARCH": "arm64", "DIST_EXTRA_CONFIG": str(tmp_path / "none.cfg")}
    target = _target(environ=environ)
    runner = Recorder(_recorded("vswhere-buildtools.txt"), _recorded("vcvarsall-x64_arm64.txt"))
    loaded = load_msvc(target, environ, tmp_path, runner)
    assert loaded is not None
    assert (loaded.installation, loaded.arch) == (BUILD_TOOLS, "x64_arm64")
    assert loaded.variables["VSCMD_ARG_HOST_ARCH"] == "x64"
    assert "VSCMD_ARG_TGT_ARCH" not in loaded.variables  # cibuildwheel had set it already
    assert loaded.variables["LIB"].split(";")[1].endswith(r"MSVC\14.41.34120\lib\arm64")
    assert (loaded.variables["CC"], loaded.variables["CXX"]) == ("cl", "cl")
    # The script vcvarsall runs from: the installation's, with the host_target pair.
    script = (tmp_path / "vcvarsall-environment.bat").read_bytes().decode()
    assert f'call "{BUILD_TOOLS / "VC" / "Auxiliary" / "Build" / "vcvarsall.bat"}" x64_arm64\r\n' in script
    assert runner.commands[1] == [
        r"C:\Windows\system32\cmd.exe",
        "/d",
        "/c",
        str(tmp_path / "vcvarsall-environment.bat"),
    ]


def test_compilers_the_user_chose_are_kept(tmp_path: Path) -> None:
    environ = {**BEFORE, "CC": "clang-cl"}
    runner = Recorder(_recorded("vcvarsall-x64.txt"))
    loaded = load_msvc(_target(environ=environ), environ, tmp_path, runner, installation=BUILD_TOOLS)
    assert loaded is not None
    assert "CC" not in loaded.variables
    assert loaded.variables["CXX"] == "cl"


def test_a_failing_vcvarsall_is_an_error(tmp_path: Path) -> None:
    def failing(command: Sequence[str]) -> str:
        raise CommandError(list(command), 1, _recorded("vcvarsall-error.txt").splitlines())

    with pytest.raises(ToolError) as caught:
        load_msvc(_target(environ=BEFORE), BEFORE, tmp_path, failing, installation=BUILD_TOOLS)
    assert (
        caught.value.message == f"{BUILD_TOOLS / 'VC' / 'Auxiliary' / 'Build' / 'vcvarsall.bat'} x64 failed"
    )
    assert (
        caught.value.details[0]
        == "[ERROR:vcvars.bat] Toolset directory for version '14.41.34120' was not found."
    )


def test_no_visual_studio_is_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert load_msvc(_target(environ=BEFORE), BEFORE, tmp_path, Recorder("")) is None
    assert caplog.records[-1].levelname == "WARNING"
    assert caplog.records[-1].getMessage() == (
        f"no Visual Studio with the C++ tools found (vswhere found no installation with {MSVC_COMPONENT}); "
        'CMake picks the compiler. Install the Build Tools with the "Desktop development with C++" '
        'workload, or set build.msvc = "off" to say that another compiler is meant'
    )


@pytest.mark.parametrize(
    ("setting", "generator", "environ", "toolchain", "wanted", "why"),
    [
        (
            "auto",
            "Ninja",
            BEFORE,
            "native",
            True,
            'build.msvc = "auto", the Ninja generator and no active MSVC environment',
        ),
        (
            "auto",
            "NMake Makefiles",
            BEFORE,
            "native",
            True,
            'build.msvc = "auto", the NMake Makefiles generator and no active MSVC environment',
        ),
        ("off", "Ninja", BEFORE, "native", False, 'build.msvc = "off"'),
        (
            "auto",
            "Visual Studio 17 2022",
            BEFORE,
            "native",
            False,
            "the Visual Studio 17 2022 generator finds MSVC itself",
        ),
        (
            "auto",
            "Ninja",
            {**BEFORE, "VSCMD_VER": "17.11.5", "VSCMD_ARG_TGT_ARCH": "x64"},
            "native",
            False,
            "an MSVC environment is active (VSCMD_VER is set)",
        ),
        (
            "auto",
            "Ninja",
            {**BEFORE, "VCINSTALLDIR": "C:\\VS\\VC\\"},
            "native",
            False,
            "an MSVC environment is active (VCINSTALLDIR is set)",
        ),
        ("auto", "Ninja", BEFORE, "zig", False, 'build.toolchain = "zig"'),
    ],
)
def test_when_the_environment_is_loaded(
    setting: str, generator: str, environ: dict[str, str], toolchain: str, wanted: bool, why: str
) -> None:
    target = _target(environ=environ)
    assert msvc_wanted(setting, generator, target, toolchain, environ) == (wanted, why)


def test_never_off_windows() -> None:
    linux = resolve_target(
        TargetInputs(
            running=PythonFacts(
                "cpython", (3, 11), "", ".cpython-311-x86_64-linux-gnu.so", ".abi3.so", "linux-x86_64"
            ),
            platform="win_amd64",
        )
    )
    assert msvc_wanted("auto", "Ninja", linux, "native", {}) == (False, "not a Windows build on Windows")
