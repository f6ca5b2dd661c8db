"""Metadata that installers or PyPI would refuse, caught before it is written."""

from __future__ import annotations

import zipfile
from email.parser import BytesParser
from pathlib import Path

import pytest

import ironwheel
from ironwheel.project import metacheck
from tests.unit.test_project import BUILD_SYSTEM, write

HINT = "hint: see https://packaging.python.org/en/latest/specifications/pyproject-toml/"


def project(table: str) -> dict[str, str]:
    return {
        "pyproject.toml": BUILD_SYSTEM + '[project]\nname = "demo"\nversion = "1"\n' + table,
        "demo.py": "",
    }


ERRORS: list[tuple[str, str, list[str]]] = [
    (
        "two-line description",
        'description = """one\ntwo"""\n',
        ["error: invalid [project] table: project.description: 'summary' must be a single line"],
    ),
    (
        "extra that is no name",
        '[project.optional-dependencies]\n"Foo Bar" = ["x"]\n',
        [
            "error: invalid [project] table: project.optional-dependencies: 'foo bar' is invalid for 'provides-extra'"
        ],
    ),
    (
        "unknown license",
        'license = "MIT OR Foo-Bar-Baz"\n',
        ["error: invalid [project] table: project.license: Unknown license: 'foo-bar-baz'"],
    ),
    (
        "script name",
        '[project.scripts]\n"run me" = "demo:main"\n',
        [
            'error: invalid [project] table: project.scripts: "run me" is not a valid entry point name '
            '(letters, digits, "_", "." and "-" only)'
        ],
    ),
    (
        "script without a function",
        '[project.scripts]\nrun = "demo"\n',
        [
            'error: invalid [project] table: project.scripts.run: "demo" names no function to call (module.path:function)'
        ],
    ),
    (
        "an unknown key among other problems",
        'descriptions = "x"\nrequires-python = "3.9+"\n',
        [
            "error: 2 problems with the [project] table:",
            "  project.descriptions: unknown key (did you mean project.description?)",
            "  Field \"project.requires-python\" is an invalid Python version specifier string (got '3.9+')",
        ],
    ),
    (
        "console_scripts and gui_scripts as entry-point groups",
        '[project.entry-points.console_scripts]\na = "demo:a"\n[project.entry-points.gui_scripts]\nb = "demo:b"\n',
        [
            "error: 2 problems with the [project] table:",
            "  project.entry-points.console_scripts: not allowed; write its entries in [project.scripts]",
            "  project.entry-points.gui_scripts: not allowed; write its entries in [project.gui-scripts]",
        ],
    ),
    (
        "every problem at once",
        '[project.gui-scripts]\nrun = "demo:main()"\n[project.entry-points."demo.plugins"]\n'
        'a = "2demo:x"\nb = "demo:"\n"c/d" = "demo"\n',
        [
            "error: 4 problems with the [project] table:",
            '  project.gui-scripts.run: "demo:main()" is not an object reference (module.path or module.path:attr)',
            '  project.entry-points."demo.plugins".a: "2demo:x" is not an object reference (module.path or '
            "module.path:attr)",
            '  project.entry-points."demo.plugins".b: "demo:" is not an object reference (module.path or '
            "module.path:attr)",
            '  project.entry-points."demo.plugins": "c/d" is not a valid entry point name (letters, digits, "_", '
            '"." and "-" only)',
        ],
    ),
]


@pytest.mark.parametrize(("table", "lines"), [case[1:] for case in ERRORS], ids=[case[0] for case in ERRORS])
def test_invalid_metadata_is_refused_before_it_is_written(
    chdir: Path, capsys: pytest.CaptureFixture[str], table: str, lines: list[str]
) -> None:
    write(chdir, project(table))
    for hook in (ironwheel.build_wheel, ironwheel.build_sdist, ironwheel.prepare_metadata_for_build_wheel):
        with pytest.raises(SystemExit) as caught:
            hook(str(chdir / "out"))
        assert caught.value.code == 2
        error = capsys.readouterr().err.strip().splitlines()
        assert error[-len(lines) - 1 :] == [*lines, HINT]
        assert not (chdir / "out").exists() or list((chdir / "out").iterdir()) == []


def _metadata(wheel: Path) -> tuple[list[str], list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read("demo-1.dist-info/METADATA")
    headers = BytesParser().parsebytes(text)
    return headers.get_all("License-Expression") or [], headers.get_all("Requires-Dist") or []


def test_a_license_expression_is_written_canonically(chdir: Path) -> None:
    write(chdir, project('license = "mit or apache-2.0"\n'))
    name = ironwheel.build_wheel(str(chdir / "dist"))
    assert _metadata(chdir / "dist" / name)[0] == ["MIT OR Apache-2.0"]


WARNINGS = [
    (
        'version = "1.0+local.2"\n',
        'warning: project.version: "1.0+local.2" has a local version label (+local.2): PyPI will refuse the upload',
    ),
    (
        'dependencies = ["tool @ https://example.com/tool-1.0.tar.gz"]\n',
        "warning: project.dependencies: tool is required from a direct URL (https://example.com/tool-1.0.tar.gz): "
        "PyPI will refuse the upload",
    ),
    (
        '[project.optional-dependencies]\nx = ["tool @ file:///opt/tool"]\n',
        'warning: project.optional-dependencies."x": tool is required from a direct URL (file:///opt/tool): '
        "PyPI will refuse the upload",
    ),
    (
        'classifiers = ["Programming Language :: Python :: 3", "Programming Langauge :: C", "Private :: Do Not Upload"]\n',
        'warning: project.classifiers: "Programming Langauge :: C" is not a known trove classifier: '
        "PyPI will refuse the upload",
    ),
]


@pytest.mark.parametrize(
    ("table", "warning"), WARNINGS, ids=["local version", "URL", "URL in an extra", "classifier"]
)
def test_what_only_pypi_refuses_is_a_warning(
    chdir: Path, capsys: pytest.CaptureFixture[str], table: str, warning: str
) -> None:
    pytest.importorskip("trove_classifiers")
    text = project(table)["pyproject.toml"]
    if table.startswith("version"):
        text = text.replace('version = "1"\n', "")
    write(chdir, {"pyproject.toml": text, "demo.py": ""})
    ironwheel.build_sdist(str(chdir / "dist"))
    assert [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")] == [warning]


def test_a_reused_record_warns_again_without_checking_again(
    chdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(chdir, project('dependencies = ["tool @ https://example.com/t.whl"]\n'))
    state = chdir / "build" / "record" / ".ironwheel"
    state.mkdir(parents=True)  # a build dir an earlier build made: the metadata is kept there
    ironwheel.build_wheel(str(chdir / "dist"), {"build.dir": "build/record"})
    warning = (
        "warning: project.dependencies: tool is required from a direct URL (https://example.com/t.whl): "
        "PyPI will refuse the upload"
    )
    assert warning in capsys.readouterr().err.splitlines()
    assert (state / "metadata.json").is_file()

    def unexpected(metadata: object) -> None:
        raise AssertionError("checked again")

    monkeypatch.setattr(metacheck, "check_metadata", unexpected)
    monkeypatch.setattr("ironwheel.project.metadata.check_metadata", unexpected)
    name = ironwheel.prepare_metadata_for_build_wheel(str(chdir / "meta"), {"build.dir": "build/record"})
    assert name == "demo-1.dist-info"
    assert warning in capsys.readouterr().err.splitlines()


def test_a_readme_is_rendered_only_where_readme_renderer_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = "Demo\n====\n\nA *demo.\n"
    assert metacheck.rst_problem(broken, "README.rst") == (
        "README.rst:4: the readme does not render as reStructuredText (Inline emphasis start-string without "
        "end-string): PyPI will refuse the upload"
    )
    assert metacheck.rst_problem("Demo\n====\n\nA *demo*.\n", "README.rst") is None
    monkeypatch.setitem(__import__("sys").modules, "readme_renderer", None)
    assert metacheck.rst_problem(broken, "README.rst") is None
