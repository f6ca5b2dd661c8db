"""[tool.ironwheel.repair]: bad values, and which mode a build gets."""

from __future__ import annotations

import pytest

from ironwheel.errors import ConfigError
from ironwheel.repair.mode import Decision, Setting, decide, decide_for_repair_command
from ironwheel.request import BuildRequest, Kind
from ironwheel.settings import load_settings

PROJECT = {"name": "x", "version": "1"}


@pytest.mark.parametrize(
    ("table", "config", "environ", "message"),
    [
        (
            {"mode": "sometimes"},
            {},
            {},
            'tool.ironwheel.repair.mode: expected one of "auto", "on", "check", "off", got "sometimes" (a string)',
        ),
        (
            {"manylinux": "manylinux_2"},
            {},
            {},
            'tool.ironwheel.repair.manylinux: expected "auto" or a policy such as "manylinux_2_28" or '
            '"musllinux_1_2", got "manylinux_2"',
        ),
        (
            {"macos-archs": ["ppc"]},
            {},
            {},
            'tool.ironwheel.repair.macos-archs: unknown architecture "ppc" (known: "arm64", "x86_64", '
            '"universal2", "intel", "i386")',
        ),
        (
            {"exclude": "libfoo.so.1"},
            {},
            {},
            'tool.ironwheel.repair.exclude: expected an array of strings, got "libfoo.so.1" (a string)',
        ),
        (
            {},
            {"repair.mode": "maybe"},
            {},
            '-C repair.mode: expected one of "auto", "on", "check", "off", got "maybe" (a string)',
        ),
        (
            {},
            {},
            {"IRONWHEEL_REPAIR_MANYLINUX": "manylinux2014_riscv"},
            'IRONWHEEL_REPAIR_MANYLINUX: expected "auto" or a policy such as "manylinux_2_28" or '
            '"musllinux_1_2", got "manylinux2014_riscv"',
        ),
    ],
)
def test_bad_repair_settings(
    table: dict[str, object], config: dict[str, str], environ: dict[str, str], message: str
) -> None:
    pyproject = {"project": PROJECT, "tool": {"ironwheel": {"repair": table}}}
    with pytest.raises(ConfigError) as caught:
        load_settings(pyproject, config, environ=environ)
    assert caught.value.message == message
    assert caught.value.hint == "python -m ironwheel config --schema lists every setting"


@pytest.mark.parametrize(
    "value", ["auto", "manylinux_2_28", "manylinux2014", "manylinux_2_17_aarch64", "musllinux_1_2"]
)
def test_good_policies(value: str) -> None:
    settings = load_settings({"project": PROJECT}, {"repair.manylinux": value}, environ={})
    assert settings.repair.manylinux == value


def test_settings_sources_reach_the_repair_table() -> None:
    pyproject = {"project": PROJECT, "tool": {"ironwheel": {"repair": {"exclude": ["libcuda.so.*"]}}}}
    settings = load_settings(
        pyproject, {"repair.macos-archs": "arm64;x86_64"}, environ={"IRONWHEEL_REPAIR_MODE": "off"}
    )
    assert settings.repair.mode == "off"
    assert settings.repair.exclude == ("libcuda.so.*",)
    assert settings.repair.macos_archs == ("arm64", "x86_64")


CIBW = (
    'repair.mode = "auto" and CIBUILDWHEEL=1: cibuildwheel\'s repair-wheel-command repairs the wheel; '
    "set repair-wheel-command to 'python -m ironwheel repair -w {dest_dir} {wheel}' to repair it the same way"
)


@pytest.mark.parametrize(
    ("setting", "kind", "release", "environ", "expected"),
    [
        ("auto", "wheel", True, {}, Decision("on", 'repair.mode = "auto" and a release build')),
        (
            "auto",
            "wheel",
            False,
            {},
            Decision(
                "check",
                'repair.mode = "auto" and a build by a frontend; run `python -m ironwheel build` or pass '
                "-C repair.mode=on to repair",
            ),
        ),
        ("auto", "wheel", False, {"CIBUILDWHEEL": "1"}, Decision("off", CIBW)),
        ("auto", "wheel", True, {"CIBUILDWHEEL": "1"}, Decision("off", CIBW)),
        ("auto", "wheel", False, {"CIBUILDWHEEL": "0"}, decide("auto", BuildRequest(), environ={})),
        ("on", "wheel", False, {"CIBUILDWHEEL": "1"}, Decision("on", 'repair.mode = "on"')),
        ("check", "wheel", True, {}, Decision("check", 'repair.mode = "check"')),
        ("off", "wheel", True, {}, Decision("off", 'repair.mode = "off"')),
        ("on", "editable", True, {}, Decision("off", "editable builds are never repaired")),
        ("auto", "editable", False, {}, Decision("off", "editable builds are never repaired")),
    ],
)
def test_modes(
    setting: Setting, kind: Kind, release: bool, environ: dict[str, str], expected: Decision
) -> None:
    assert decide(setting, BuildRequest(kind, release), environ=environ) == expected


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("auto", Decision("on", 'repair.mode = "auto" and `ironwheel repair`')),
        ("check", Decision("check", 'repair.mode = "check"')),
        ("off", Decision("off", 'repair.mode = "off"')),
    ],
)
def test_the_repair_command_repairs_unless_told_otherwise(
    setting: Setting, expected: Decision, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIBUILDWHEEL", "1")  # it is cibuildwheel's repair step
    assert decide_for_repair_command(setting) == expected


def test_decisions_are_described_for_the_log() -> None:
    assert Decision("on", "why").describe() == "repairing the wheel (why)"
    assert Decision("check", "why").describe() == "checking the wheel (why)"
    assert Decision("off", "why").describe() == "not repairing (why)"


def test_cibuildwheel_repair_commands_name_the_directories_and_the_wheels_own_dlls() -> None:
    from ironwheel.repair.cibuildwheel import repair_command

    assert repair_command("windows", ["{project}/dlls", "C:/deps/bin"], ignore_existing=True) == (
        "delvewheel repair --ignore-existing --add-path {project}/dlls;C:/deps/bin -w {dest_dir} -v {wheel}"
    )
    assert repair_command("windows", [], ignore_existing=True) == (
        "delvewheel repair --ignore-existing -w {dest_dir} -v {wheel}"
    )
    assert repair_command("macos", ["/opt/dep/lib"], ignore_existing=False) == (
        "DYLD_FALLBACK_LIBRARY_PATH=/opt/dep/lib delocate-wheel --require-archs {delocate_archs} "
        "-w {dest_dir} -v {wheel}"
    )
    assert repair_command("linux", ["{project}/third_party/lib", "/opt/x"], ignore_existing=False) == (
        "AUDITWHEEL_LD_LIBRARY_PATH={project}/third_party/lib:/opt/x auditwheel repair -w {dest_dir} {wheel}"
    )


def test_a_decision_under_cibuildwheel_is_deferred() -> None:
    from ironwheel.repair.mode import decide

    assert decide("auto", BuildRequest(), environ={"CIBUILDWHEEL": "1"}).deferred
    assert not decide("on", BuildRequest(), environ={"CIBUILDWHEEL": "1"}).deferred
    assert not decide("auto", BuildRequest(), environ={}).deferred
