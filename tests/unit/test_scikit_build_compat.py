"""[tool.scikit-build] read for compatibility, and [[tool.ironwheel.generate]]."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from ironwheel.errors import ConfigError, format_error
from ironwheel.project.generate import render_all
from ironwheel.request import BuildRequest
from ironwheel.settings import Settings, load_settings
from ironwheel.settings.model import GenerateSettings


def load(
    scikit_build: dict[str, Any],
    ironwheel: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    tool: dict[str, Any] = {"scikit-build": scikit_build}
    if ironwheel is not None:
        tool["ironwheel"] = ironwheel
    return load_settings({"project": {}, "tool": tool}, environ=environ or {})


def test_keys_with_the_same_meaning() -> None:
    settings = load(
        {
            "minimum-version": "build-system.requires",
            "build-dir": "build/{wheel_tag}-{build_type}",
            "cmake": {
                "source-dir": "native",
                "build-type": "Debug",
                "args": ["-Wdev"],
                "version": "CMakeLists.txt",
            },
            "build": {"targets": ["_core"], "verbose": True},
            "wheel": {
                "py-api": "cp310",
                "exclude": ["**.pyx"],
                "install-dir": "pkg",
                "packages": {"pkg": "src/pkg"},
            },
            "sdist": {"include": ["src/pkg/_version.py"], "exclude": [".github"]},
            "logging": {"level": "INFO"},
        }
    )
    assert settings.build.dir == "build/{wheel_tag}-{build_type}"
    assert settings.cmake.source_dir == "native"
    assert settings.cmake.build_type == "Debug"
    assert settings.cmake.args == ("-Wdev",)
    assert settings.cmake.version == ">=3.18"
    assert settings.cmake.targets == ("_core",)
    assert settings.build.verbose is True
    assert settings.wheel.py_api == "cp310"
    assert settings.wheel.exclude == ("**.pyx",)
    assert settings.wheel.install_dir == "pkg"
    assert settings.wheel.packages == ("src/pkg",)
    assert settings.sdist.include == ("src/pkg/_version.py",)


def test_defines_with_environment_defaults() -> None:
    settings = load(
        {"cmake": {"define": {"A": True, "B": {"env": "MY_B", "default": "fallback"}, "C": {"env": "MY_C"}}}},
        environ={"MY_C": "from-env"},
    )
    assert settings.cmake.define == {"A": "ON", "B": "fallback", "C": "from-env"}


def test_regex_version_provider() -> None:
    settings = load(
        {
            "metadata": {
                "version": {"provider": "scikit_build_core.metadata.regex", "input": "src/x/__init__.py"}
            }
        }
    )
    assert settings.metadata.version.file == "src/x/__init__.py"
    import re

    match = re.search(settings.metadata.version.regex, '__version__ = "v1.2"\n', re.MULTILINE)
    assert match is not None
    assert match.group("value") == "1.2"


def test_setuptools_scm_and_fancy_pypi_readme_providers(caplog: pytest.LogCaptureFixture) -> None:
    settings = load(
        {
            "metadata": {
                "version": {"provider": "scikit_build_core.metadata.setuptools_scm"},
                "readme": {"provider": "scikit_build_core.metadata.fancy_pypi_readme"},
                "optional-dependencies": {
                    "provider": "scikit_build_core.metadata.template",
                    "result": {"dev": ["{project[name]}=={project[version]}"]},
                },
            }
        }
    )
    assert settings.metadata.version.provider == "vcs"
    assert settings.metadata.readme.provider == "fancy-pypi-readme"
    assert (
        "ironwheel has no equivalent for these [tool.scikit-build] settings: metadata.optional-dependencies"
    ) in caplog.text


def test_providers_of_the_dynamic_metadata_table() -> None:
    pyproject = {
        "project": {},
        "tool": {
            "scikit-build": {"minimum-version": "0.11"},
            "dynamic-metadata": [
                {"provider": "scikit_build_core.metadata.setuptools_scm"},
                {"field": "readme", "provider": "scikit_build_core.metadata.fancy_pypi_readme"},
            ],
        },
    }
    settings = load_settings(pyproject, environ={})
    assert (settings.metadata.version.provider, settings.metadata.readme.provider) == (
        "vcs",
        "fancy-pypi-readme",
    )


def test_ironwheel_table_takes_precedence() -> None:
    settings = load(
        {"cmake": {"build-type": "Debug", "define": {"A": "1", "B": "1"}}}, {"cmake": {"define": {"B": "2"}}}
    )
    assert settings.cmake.build_type == "Debug"
    assert settings.cmake.define == {"A": "1", "B": "2"}


def test_overrides_and_their_conditions() -> None:
    platform = sys.platform
    append = {"cmake": {"define": "append"}}
    settings = load(
        {
            "cmake": {"define": {"X": "base"}, "args": ["-Dbase"]},
            "overrides": [
                {
                    "if": {"platform-system": f"^{platform}$"},
                    "cmake": {"define": {"PLATFORM": "yes"}},
                    "inherit": append,
                },
                {
                    "if": {"platform-system": "^nothing$"},
                    "cmake": {"define": {"NEVER": "yes"}},
                    "inherit": append,
                },
                {
                    "if": {"env": {"CIBUILDWHEEL": True}},
                    "cmake": {"define": {"CI": "yes"}},
                    "inherit": append,
                },
                {"if": {"python-version": ">=3.8"}, "cmake": {"define": {"PY": "yes"}}, "inherit": append},
                {
                    "if": {"any": {"env": {"NOPE": True}, "state": "^wheel$"}},
                    "cmake": {"define": {"ANY": "yes"}},
                    "inherit": append,
                },
                {"if": {"failed": True}, "cmake": {"define": {"FAILED": "yes"}}, "inherit": append},
                {"if": {"not": {"python-version": "<3"}}, "build-dir": "out/{wheel_tag}"},
                {
                    "if": {"python-version": ">=3"},
                    "cmake": {"args": ["-Dfirst"]},
                    "inherit": {"cmake": {"args": "prepend"}},
                },
            ],
        },
        environ={"CIBUILDWHEEL": "1"},
    )
    assert settings.cmake.define == {"X": "base", "PLATFORM": "yes", "CI": "yes", "PY": "yes", "ANY": "yes"}
    assert settings.cmake.args == ("-Dfirst", "-Dbase")
    assert settings.build.dir == "out/{wheel_tag}"


def test_override_values_replace_without_inherit() -> None:
    settings = load(
        {
            "cmake": {"define": {"X": "base"}},
            "overrides": [{"if": {"python-version": ">=3"}, "cmake": {"define": {"Y": "override"}}}],
        }
    )
    assert settings.cmake.define == {"Y": "override"}


def test_state_condition() -> None:
    table = {"overrides": [{"if": {"state": "^sdist$"}, "sdist": {"exclude": ["docs/"]}}]}
    pyproject = {"project": {}, "tool": {"scikit-build": table}}
    assert load_settings(pyproject, environ={}, request=BuildRequest("sdist")).sdist.exclude == ("docs/",)
    assert load_settings(pyproject, environ={}, request=BuildRequest("wheel")).sdist.exclude == ()


def test_skbuild_environment_variables() -> None:
    settings = load(
        {"cmake": {"args": ["-Dtable"]}},
        environ={
            "SKBUILD_CMAKE_ARGS": "-DA=1;-DB=2",
            "SKBUILD_CMAKE_DEFINE": "X=1;Y=2",
            "SKBUILD_BUILD_VERBOSE": "1",
        },
    )
    assert settings.cmake.args == ("-DA=1", "-DB=2")
    assert settings.cmake.define == {"X": "1", "Y": "2"}
    assert settings.build.verbose is True


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        (
            {"platform-system": "[linux"},
            "tool.scikit-build.overrides[0].if.platform-system: invalid regular expression",
        ),
        ({"any": "linux"}, "tool.scikit-build.overrides[0].if.any: expected a table"),
        ({"env": ["X"]}, "tool.scikit-build.overrides[0].if.env: expected a table of variables"),
        (
            {"python-version": "3.x"},
            'tool.scikit-build.overrides[0].if.python-version: expected a version specifier, got "3.x"',
        ),
    ],
)
def test_bad_conditions_are_errors(condition: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load({"overrides": [{"if": condition, "cmake": {"build-type": "Debug"}}]})
    assert format_error(caught.value).splitlines()[0].startswith(f"error: {problem}")


def test_packages_of_another_name() -> None:
    settings = load({"wheel": {"packages": {"pkg": "src/pkg", "regex": "regex_3"}}})
    assert settings.wheel.packages == ("src/pkg",)
    assert settings.wheel.package_dirs == {"regex": "regex_3"}


def test_settings_without_an_equivalent_are_named(caplog: pytest.LogCaptureFixture) -> None:
    settings = load(
        {"wheel": {"license-files": ["L"], "cmake": False}, "install": {"components": ["python"]}}
    )
    assert settings.wheel.packages == ()
    assert (
        "ironwheel has no equivalent for these [tool.scikit-build] settings: "
        "install.components, wheel.license-files"
    ) in caplog.text


def test_bad_values_are_reported_with_their_table() -> None:
    with pytest.raises(ConfigError) as caught:
        load({"wheel": {"py-api": "abi3"}})
    assert format_error(caught.value).splitlines()[0] == (
        'error: tool.scikit-build.wheel.py-api: expected "", "py3" or a CPython tag such as "cp39", got "abi3"'
    )


def test_generate_from_both_tables() -> None:
    settings = load(
        {"generate": [{"path": "pkg/_version.py", "template": 'version = "${version}"\n'}]},
        {"generate": [{"path": "VERSION", "template": "$version", "location": "build"}]},
    )
    # A list replaces; [tool.ironwheel] wins.
    assert settings.generate == (GenerateSettings(path="VERSION", template="$version", location="build"),)


def test_render_generated_files(tmp_path: Path) -> None:
    (tmp_path / "tmpl.txt").write_text("name=${name} cost=$$5\n")
    entries = (
        GenerateSettings(path="pkg/_version.py", template='__version__ = "${version}"\n'),
        GenerateSettings(path="info.txt", template_path="tmpl.txt", location="source"),
    )
    rendered = render_all(tmp_path, entries, {"name": "demo", "version": "1.0"})
    assert [(item.path, item.location, item.content) for item in rendered] == [
        ("pkg/_version.py", "install", b'__version__ = "1.0"\n'),
        ("info.txt", "source", b"name=demo cost=$5\n"),
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            GenerateSettings(path="x", template="${nope}"),
            "error: tool.ironwheel.generate[0]: unknown placeholder ${nope}\n"
            "hint: the placeholders are ${name}, ${version}; write $$ for a literal $",
        ),
        (
            GenerateSettings(path="x"),
            'error: tool.ironwheel.generate[0]: give either template or template-path\nhint: e.g. template = "version = \\"${version}\\"\\n"',
        ),
        (
            GenerateSettings(path="x", template_path="missing.txt"),
            'error: tool.ironwheel.generate[0].template-path: cannot read "missing.txt": No such file or directory\n'
            "hint: give a file relative to the project root",
        ),
    ],
)
def test_generate_errors(tmp_path: Path, entry: GenerateSettings, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        render_all(tmp_path, (entry,), {"name": "demo", "version": "1.0"})
    assert format_error(caught.value) == message


def test_generate_entries_are_checked() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(
            {"project": {}, "tool": {"ironwheel": {"generate": [{"path": "../x", "templat": ""}]}}},
            environ={},
        )
    assert format_error(caught.value).splitlines() == [
        "error: 2 problems with the build settings:",
        '  tool.ironwheel.generate[0].path: expected a path inside the wheel, such as "mypkg", got "../x"',
        "  tool.ironwheel.generate[0].templat: unknown key (did you mean tool.ironwheel.generate[0].template?)",
        "hint: python -m ironwheel config --schema lists every setting",
    ]
