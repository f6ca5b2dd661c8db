"""The settings model: sources, precedence, overrides and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ironwheel.errors import ConfigError, format_error
from ironwheel.settings import Settings, load_settings
from ironwheel.settings.schema import json_schema, reference_table

ROOT = Path(__file__).resolve().parents[2]
LINUX = {"sys_platform": "linux", "platform_system": "Linux", "python_version": "3.11"}


def load(
    table: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
    markers: dict[str, str] | None = None,
) -> Settings:
    pyproject: dict[str, Any] = {"project": {"name": "demo", "version": "1"}}
    if table is not None:
        pyproject["tool"] = {"ironwheel": table}
    return load_settings(pyproject, config, environ=environ or {}, marker_environment=markers or LINUX)


def failure(**kwargs: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        load(**kwargs)
    return format_error(caught.value)


def test_defaults() -> None:
    settings = load()
    assert settings.cmake.build_type == "Release"
    assert settings.cmake.define == {}
    assert settings.build.dir == "build/{wheel_tag}"
    assert settings.wheel.py_api == ""
    assert settings.sdist.include == ()


def test_table_values_get_their_types() -> None:
    settings = load(
        {
            "cmake": {
                "define": {"FLAG": True, "OFF_FLAG": False, "LIST": ["a", "b"], "N": 3},
                "args": ["-Wdev"],
            },
            "build": {"jobs": 4, "verbose": True},
            "wheel": {"packages": ["src/pkg"], "py-api": "cp39"},
        }
    )
    assert settings.cmake.define == {"FLAG": "ON", "OFF_FLAG": "OFF", "LIST": "a;b", "N": "3"}
    assert settings.cmake.args == ("-Wdev",)
    assert settings.build.jobs == 4
    assert settings.build.verbose is True
    assert settings.wheel.packages == ("src/pkg",)


def test_precedence_table_override_environment_config_settings() -> None:
    table = {
        "cmake": {"build-type": "Debug", "define": {"A": "table", "B": "table", "C": "table", "D": "table"}},
        "overrides": [
            {"if": "sys_platform == 'linux'", "cmake": {"define": {"B": "override", "C": "override"}}}
        ],
    }
    environ = {"IRONWHEEL_CMAKE_BUILD_TYPE": "RelWithDebInfo", "IRONWHEEL_CMAKE_DEFINE": "C=env;D=env"}
    config = {"cmake.define.D": "config", "cmake.build-type": "MinSizeRel"}
    settings = load(table, config, environ)
    assert settings.cmake.define == {"A": "table", "B": "override", "C": "env", "D": "config"}
    assert settings.cmake.build_type == "MinSizeRel"
    assert load(table, None, environ).cmake.build_type == "RelWithDebInfo"


def test_each_value_keeps_the_name_of_the_source_that_set_it() -> None:
    table = {
        "build": {"dir": "out", "jobs": 2, "verbose": True},
        "wheel": {"packages": ["src/pkg"]},
        "overrides": [{"if": "sys_platform == 'linux'", "build": {"jobs": 3, "verbose": False}}],
    }
    environ = {"IRONWHEEL_BUILD_JOBS": "4", "IRONWHEEL_CMAKE_SOURCE_DIR": "native"}
    settings = load(table, {"build.dir": "elsewhere", "wheel.packages": "src/other"}, environ)
    assert settings.build.dir == "elsewhere"
    assert [
        settings.where(key)
        for key in (
            "build.dir",
            "build.jobs",
            "build.verbose",
            "cmake.source-dir",
            "wheel.packages",
            "cmake.args",
        )
    ] == [
        "-C build.dir",
        "IRONWHEEL_BUILD_JOBS",
        "tool.ironwheel.overrides[0].build.verbose",
        "IRONWHEEL_CMAKE_SOURCE_DIR",
        "-C wheel.packages",
        "tool.ironwheel.cmake.args",
    ]
    # Where a value came from is no setting: equal settings from different sources are equal.
    assert load({"build": {"dir": "elsewhere"}}) == load({}, {"build.dir": "elsewhere"})


def test_overrides_apply_in_order_and_only_when_their_marker_holds() -> None:
    table = {
        "build": {"jobs": 1},
        "overrides": [
            {"if": "sys_platform == 'win32'", "build": {"jobs": 2}},
            {"if": "python_version >= '3.8'", "build": {"jobs": 3, "verbose": True}},
            {"if": "platform_system == 'Linux'", "build": {"jobs": 4}},
        ],
    }
    settings = load(table)
    assert (settings.build.jobs, settings.build.verbose) == (4, True)
    windows = load(
        table, markers={"sys_platform": "win32", "platform_system": "Windows", "python_version": "3.7"}
    )
    assert (windows.build.jobs, windows.build.verbose) == (2, False)


def test_config_setting_spellings() -> None:
    settings = load(
        config={"build.verbose": "yes", "cmake.define.WITH_X": "true", "cmake.args": ["-DA=1", "-DB=2;-DC=3"]}
    )
    assert settings.build.verbose is True
    assert settings.cmake.define == {"WITH_X": "ON"}
    assert settings.cmake.args == ("-DA=1", "-DB=2", "-DC=3")
    assert load(config={"cmake.build_type": "Debug"}).cmake.build_type == "Debug"


def test_unknown_environment_variables_only_warn(caplog: pytest.LogCaptureFixture) -> None:
    settings = load(environ={"IRONWHEEL_BUILD_JOBZ": "3", "IRONWHEEL_DEBUG": "1"})
    assert settings.build.jobs == 0
    assert (
        "ignoring IRONWHEEL_BUILD_JOBZ: no such setting (did you mean IRONWHEEL_BUILD_JOBS?)" in caplog.text
    )
    assert "IRONWHEEL_DEBUG" not in caplog.text


# Each bad input and the exact message it must produce.
BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    (
        "unknown key with a near miss",
        {"table": {"cmake": {"buildtype": "Debug"}}},
        "error: tool.ironwheel.cmake.buildtype: unknown key\n"
        "hint: did you mean tool.ironwheel.cmake.build-type?",
    ),
    (
        "key in the wrong table",
        {"table": {"build-type": "Debug"}},
        "error: tool.ironwheel.build-type: unknown key\nhint: did you mean tool.ironwheel.cmake.build-type?",
    ),
    (
        "unknown key with nothing close",
        {"table": {"cmake": {"zzz": 1}}},
        "error: tool.ironwheel.cmake.zzz: unknown key\n"
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "wrong type",
        {"table": {"build": {"jobs": "four"}}},
        'error: tool.ironwheel.build.jobs: expected an integer, got "four" (a string)\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "boolean given as a string",
        {"table": {"build": {"verbose": "yes"}}},
        'error: tool.ironwheel.build.verbose: expected true or false, got "yes" (a string)\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "list of strings with a number",
        {"table": {"wheel": {"exclude": ["a", 1]}}},
        "error: tool.ironwheel.wheel.exclude: expected an array of strings, got one holding 1 (an integer)\n"
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "section given a value",
        {"table": {"cmake": "3.20"}},
        'error: tool.ironwheel.cmake: expected a table, got "3.20" (a string)\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "bad define value",
        {"table": {"cmake": {"define": {"X": {"a": 1}}}}},
        "error: tool.ironwheel.cmake.define.X: expected a string, boolean, number or array, got a table\n"
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "bad py-api",
        {"table": {"wheel": {"py-api": "abi3"}}},
        'error: tool.ironwheel.wheel.py-api: expected "", "py3" or a CPython tag such as "cp39", got "abi3"\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "bad cmake version specifier",
        {"table": {"cmake": {"version": "3.20"}}},
        'error: tool.ironwheel.cmake.version: expected a version specifier such as ">=3.18", got "3.20"\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "unknown placeholder in build.dir",
        {"table": {"build": {"dir": "build/{tag}"}}},
        'error: tool.ironwheel.build.dir: unknown placeholder "{tag}" (known: {wheel_tag}, {build_type})\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "unbalanced brace in build.dir",
        {"table": {"build": {"dir": "build}"}}},
        "error: tool.ironwheel.build.dir: invalid template \"build}\": Single '}' encountered in format string\n"
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "generate entry without a path",
        {"table": {"generate": [{"template": "x"}]}},
        "error: tool.ironwheel.generate[0].path: missing\nhint: this key is required",
    ),
    (
        "negative jobs",
        {"table": {"build": {"jobs": -2}}},
        "error: tool.ironwheel.build.jobs: expected 0 (all cores) or a positive number, got -2\n"
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "the tool table is not a table",
        {"table": "yes"},
        "error: tool.ironwheel: expected a table, got str\n"
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "-C with an unknown key",
        {"config": {"cmake.buildtype": "Debug"}},
        "error: -C cmake.buildtype: unknown setting\nhint: did you mean -C cmake.build-type?",
    ),
    (
        "-C naming a whole table",
        {"config": {"cmake": "x"}},
        "error: -C cmake: names a table, not a setting\nhint: set one of its keys, e.g. -C cmake.source-dir=...",
    ),
    (
        "-C naming an array of tables",
        {"config": {"generate": "x"}},
        "error: -C generate: is an array of tables\nhint: set it in pyproject.toml",
    ),
    (
        "-C without a value",
        {"config": {"build.jobs": None}},
        "error: -C build.jobs: needs a value\nhint: write -C build.jobs=VALUE",
    ),
    (
        "-C with a bad boolean",
        {"config": {"build.verbose": "maybe"}},
        'error: -C build.verbose: expected true or false, got "maybe"\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "-C scalar given twice",
        {"config": {"build.jobs": ["1", "2"]}},
        "error: -C build.jobs: given more than once\nhint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "environment variable with a bad value",
        {"environ": {"IRONWHEEL_BUILD_JOBS": "many"}},
        'error: IRONWHEEL_BUILD_JOBS: expected an integer, got "many"\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "environment define without a value",
        {"environ": {"IRONWHEEL_CMAKE_DEFINE": "FOO"}},
        'error: IRONWHEEL_CMAKE_DEFINE: expected NAME=VALUE pairs separated by ";", got "FOO"\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "override without a marker",
        {"table": {"overrides": [{"build": {"jobs": 1}}]}},
        "error: tool.ironwheel.overrides[0].if: missing\n"
        "hint: give a PEP 508 marker, e.g. if = \"sys_platform == 'win32'\"",
    ),
    (
        "override with an invalid marker",
        {"table": {"overrides": [{"if": "os == 'nt'"}]}},
        "error: tool.ironwheel.overrides[0].if: invalid marker \"os == 'nt'\": Expected a marker variable or quoted string\n"
        "hint: write a PEP 508 marker such as \"sys_platform == 'win32'\"; its variables are os_name, sys_platform, "
        "platform_machine, platform_system, platform_release, python_version, python_full_version, "
        "implementation_name and platform_python_implementation",
    ),
    (
        "a frontend passing a number",
        {"config": {"build.jobs": 4}},
        "error: -C build.jobs: config settings are strings, got 4 (int)\nhint: pass -C KEY=VALUE strings",
    ),
    (
        "a frontend passing a key that is not a string",
        {"config": {3: "x"}},
        "error: -C 3: config settings are strings, got the key 3\nhint: pass -C KEY=VALUE strings",
    ),
    (
        "typo inside an override that does not apply here",
        {"table": {"overrides": [{"if": "sys_platform == 'win32'", "cmake": {"defines": {}}}]}},
        "error: tool.ironwheel.overrides[0].cmake.defines: unknown key\n"
        "hint: did you mean tool.ironwheel.overrides[0].cmake.define?",
    ),
    (
        "overrides is not an array",
        {"table": {"overrides": {"if": "x"}}},
        "error: tool.ironwheel.overrides: expected an array of tables, got dict\n"
        "hint: write each override as [[tool.ironwheel.overrides]]",
    ),
    (
        "minimum-version from the future",
        {"table": {"minimum-version": "99.0"}},
        "error: this project needs ironwheel 99.0 or later (tool.ironwheel.minimum-version), "
        "but this is ironwheel 0.1.0\n"
        'hint: require "ironwheel>=99.0" in build-system.requires',
    ),
]


@pytest.mark.parametrize(("name", "source", "message"), BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_input(name: str, source: dict[str, Any], message: str) -> None:
    del name
    assert failure(**source) == message


def test_all_problems_are_reported_at_once() -> None:
    message = failure(
        table={"cmake": {"buildtype": "x"}, "build": {"jobs": "four"}},
        config={"wheel.py_api": "abi3"},
        environ={"IRONWHEEL_BUILD_VERBOSE": "maybe"},
    )
    assert message == (
        "error: 4 problems with the build settings:\n"
        "  tool.ironwheel.cmake.buildtype: unknown key (did you mean tool.ironwheel.cmake.build-type?)\n"
        '  tool.ironwheel.build.jobs: expected an integer, got "four" (a string)\n'
        '  IRONWHEEL_BUILD_VERBOSE: expected true or false, got "maybe"\n'
        '  -C wheel.py_api: expected "", "py3" or a CPython tag such as "cp39", got "abi3"\n'
        "hint: python -m ironwheel config --schema lists every setting"
    )


def test_schema_covers_every_key_and_rejects_unknown_ones() -> None:
    schema = json_schema()
    validator = jsonschema.Draft7Validator(schema)
    good = {
        "cmake": {"define": {"A": True, "B": ["x", 1]}, "build-type": "Debug"},
        "build": {"jobs": 2},
        "overrides": [{"if": "sys_platform == 'win32'", "cmake": {"args": ["-A", "x64"]}}],
    }
    assert list(validator.iter_errors(good)) == []
    assert [error.message for error in validator.iter_errors({"cmake": {"buildtype": "x"}})] == [
        "Additional properties are not allowed ('buildtype' was unexpected)"
    ]
    assert [error.message for error in validator.iter_errors({"overrides": [{"build": {}}]})] == [
        "'if' is a required property"
    ]
    assert json.loads(json.dumps(schema)) == schema


def test_reference_in_docs_is_generated_from_the_model() -> None:
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    begin, end = "<!-- reference:begin -->\n", "<!-- reference:end -->"
    assert docs[docs.index(begin) + len(begin) : docs.index(end)] == reference_table(), (
        "docs/configuration.md is stale: paste `python -m ironwheel config --reference` between the markers"
    )
