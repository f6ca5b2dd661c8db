"""Dynamic metadata: the settings, where each field comes from, and what it becomes in METADATA."""

from __future__ import annotations

import email.parser
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

import ironwheel
from ironwheel._records import Record
from ironwheel.errors import IronwheelError, format_error
from ironwheel.project.dynamic import sources
from ironwheel.project.project import Project
from ironwheel.settings import load_settings

BUILD_SYSTEM = '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n'


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def metadata(root: Path) -> email.message.Message:
    return email.parser.BytesParser().parsebytes(Project.load(root).core.metadata)


def error_of(root: Path) -> str:
    with pytest.raises(IronwheelError) as caught:
        Project.load(root).core  # noqa: B018 - the property renders the metadata
    return format_error(caught.value)


SETTINGS: list[tuple[str, dict[str, Any], str]] = [
    (
        "a near miss in the dependencies table",
        {"dependencies": {"files": ["requirements.txt"]}},
        "error: tool.ironwheel.metadata.dependencies.files: unknown key\n"
        "hint: did you mean tool.ironwheel.metadata.dependencies.file?",
    ),
    (
        "a near miss in an extra",
        {"optional-dependencies": {"test": {"fil": ["requirements-test.txt"]}}},
        "error: tool.ironwheel.metadata.optional-dependencies.test.fil: unknown key\n"
        "hint: did you mean tool.ironwheel.metadata.optional-dependencies.test.file?",
    ),
    (
        "content_type for content-type",
        {"readme": {"file": ["README.rst"], "content_type": "text/x-rst"}},
        "error: tool.ironwheel.metadata.readme.content_type: unknown key\n"
        "hint: did you mean tool.ironwheel.metadata.readme.content-type?",
    ),
    (
        "an unknown content type",
        {"readme": {"file": ["README.html"], "content-type": "text/html"}},
        "error: tool.ironwheel.metadata.readme.content-type: expected one of "
        '"text/markdown", "text/x-rst", "text/plain", got "text/html"\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "an unknown version provider",
        {"version": {"provider": "git"}},
        'error: tool.ironwheel.metadata.version.provider: expected one of "auto", "regex", "vcs", '
        'got "git" (a string)\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
    (
        "a file that is not a list",
        {"dependencies": {"file": "requirements.txt"}},
        "error: tool.ironwheel.metadata.dependencies.file: expected an array of strings, "
        'got "requirements.txt" (a string)\n'
        "hint: python -m ironwheel config --schema lists every setting",
    ),
]


@pytest.mark.parametrize(("name", "table", "message"), SETTINGS, ids=[case[0] for case in SETTINGS])
def test_the_settings_are_checked_like_the_others(name: str, table: dict[str, Any], message: str) -> None:
    del name
    pyproject = {"project": {"name": "x"}, "tool": {"ironwheel": {"metadata": table}}}
    with pytest.raises(IronwheelError) as caught:
        load_settings(pyproject, environ={})
    assert format_error(caught.value) == message


def test_the_settings_from_the_environment_and_config_settings() -> None:
    settings = load_settings(
        {"project": {"name": "x"}},
        {"metadata.version.provider": "vcs", "metadata.readme.file": ["README.md", "CHANGES.md"]},
        environ={"IRONWHEEL_METADATA_DEPENDENCIES_FILE": "requirements.txt;requirements-extra.txt"},
    )
    assert settings.metadata.version.provider == "vcs"
    assert settings.metadata.readme.file == ("README.md", "CHANGES.md")
    assert settings.metadata.dependencies.file == ("requirements.txt", "requirements-extra.txt")


def project_file(body: str) -> str:
    return BUILD_SYSTEM + '[project]\nname = "demo"\n' + textwrap.dedent(body)


SOURCES: list[tuple[str, str, str]] = [
    (
        "a dynamic field ironwheel cannot fill",
        'version = "1"\ndynamic = ["classifiers", "dependencies"]\n'
        '[tool.ironwheel.metadata.dependencies]\nfile = ["r.txt"]\n',
        'error: project.dynamic lists "classifiers", which ironwheel cannot fill in\n'
        "hint: write these fields statically in [project]; version, readme, dependencies and "
        "optional-dependencies may be dynamic",
    ),
    (
        "dependencies without files",
        'version = "1"\ndynamic = ["dependencies"]\n',
        'error: project.dynamic lists "dependencies" but no requirements files are configured\n'
        'hint: add [tool.ironwheel.metadata.dependencies] file = ["requirements.txt"]',
    ),
    (
        "optional-dependencies without files",
        'version = "1"\ndynamic = ["optional-dependencies"]\n',
        'error: project.dynamic lists "optional-dependencies" but no requirements files are configured\n'
        'hint: add [tool.ironwheel.metadata.optional-dependencies.test] file = ["requirements-test.txt"]',
    ),
    (
        "files for dependencies that are not dynamic",
        'version = "1"\ndependencies = ["numpy"]\n[tool.ironwheel.metadata.dependencies]\nfile = ["r.txt"]\n',
        'error: tool.ironwheel.metadata.dependencies is set but project.dynamic does not list "dependencies"\n'
        'hint: add "dependencies" to project.dynamic; static entries in project.dependencies may stay '
        "(the files extend them)",
    ),
    (
        "an extra without files",
        'version = "1"\ndynamic = ["optional-dependencies"]\n'
        "[tool.ironwheel.metadata.optional-dependencies.test]\n",
        "error: tool.ironwheel.metadata.optional-dependencies.test.file: no requirements files are listed\n"
        'hint: list them: file = ["requirements.txt"]',
    ),
    (
        "a dynamic readme without a source",
        'version = "1"\ndynamic = ["readme"]\n',
        'error: project.dynamic lists "readme" but no readme source is configured\n'
        'hint: add [tool.ironwheel.metadata.readme] file = ["README.md"]',
    ),
    (
        "a readme both static and dynamic",
        'version = "1"\nreadme = "README.md"\ndynamic = ["readme"]\n'
        '[tool.ironwheel.metadata.readme]\nfile = ["README.md"]\n',
        'error: project.readme is set and project.dynamic lists "readme"\n'
        "hint: remove one of them: a readme is either static or dynamic",
    ),
    (
        "readme files for a static readme",
        'version = "1"\n[tool.ironwheel.metadata.readme]\nfile = ["README.md"]\n',
        'error: tool.ironwheel.metadata.readme.file is set but project.dynamic does not list "readme"\n'
        'hint: remove project.readme and add "readme" to project.dynamic',
    ),
    (
        "the fancy-pypi-readme provider without its table",
        'version = "1"\ndynamic = ["readme"]\n[tool.ironwheel.metadata.readme]\nprovider = "fancy-pypi-readme"\n',
        'error: tool.ironwheel.metadata.readme.provider is "fancy-pypi-readme" but there is no '
        "[tool.hatch.metadata.hooks.fancy-pypi-readme] table\n"
        "hint: see https://github.com/hynek/hatch-fancy-pypi-readme#configuration",
    ),
    (
        "the regex provider without a file",
        'dynamic = ["version"]\n[tool.ironwheel.metadata.version]\nprovider = "regex"\n',
        'error: tool.ironwheel.metadata.version.provider is "regex" but '
        "tool.ironwheel.metadata.version.file is not set\n"
        'hint: add file = "src/<package>/__init__.py" (a file containing __version__ = "1.0")',
    ),
    (
        "the vcs provider with a file",
        'dynamic = ["version"]\n[tool.ironwheel.metadata.version]\nprovider = "vcs"\nfile = "demo.py"\n',
        'error: tool.ironwheel.metadata.version.file is set but tool.ironwheel.metadata.version.provider is "vcs"\n'
        "hint: remove the file, or choose the regex provider",
    ),
    (
        "the vcs provider for a static version",
        'version = "1"\n[tool.ironwheel.metadata.version]\nprovider = "vcs"\n',
        'error: tool.ironwheel.metadata.version.provider is "vcs" but project.version is static\n'
        'hint: remove project.version and add "version" to project.dynamic',
    ),
]


@pytest.mark.parametrize(("name", "body", "message"), SOURCES, ids=[case[0] for case in SOURCES])
def test_where_a_field_comes_from_must_be_clear(tmp_path: Path, name: str, body: str, message: str) -> None:
    del name
    write(tmp_path, {"pyproject.toml": project_file(body)})
    assert error_of(tmp_path) == message


def test_a_setuptools_scm_table_means_the_version_comes_from_git(tmp_path: Path) -> None:
    for table in ("setuptools_scm", "vcs-versioning"):
        write(tmp_path, {"pyproject.toml": project_file(f'dynamic = ["version"]\n[tool.{table}]\n')})
        project = Project.load(tmp_path)
        assert sources(project.pyproject, project.root, project.settings).version == "vcs"
    # A static version wins over the table: setuptools-scm is then not asked.
    write(tmp_path, {"pyproject.toml": project_file('version = "1"\n[tool.setuptools_scm]\n')})
    project = Project.load(tmp_path)
    assert sources(project.pyproject, project.root, project.settings).version == "static"
    assert str(project.version) == "1"


REQUIREMENTS = {
    "pyproject.toml": project_file(
        """\
        version = "1"
        dynamic = ["dependencies", "optional-dependencies"]
        dependencies = ["packaging>=22"]
        [project.optional-dependencies]
        docs = ["sphinx"]
        test = ["pytest>=8"]
        [tool.ironwheel.metadata.dependencies]
        file = ["requirements.txt"]
        [tool.ironwheel.metadata.optional-dependencies.test]
        file = ["requirements/test.txt"]
        [tool.ironwheel.metadata.optional-dependencies.gpu]
        file = ["requirements/gpu.txt"]
        """
    ),
    "requirements.txt": "numpy>=1.22  # arrays\npackaging>=22\n-r requirements/common.txt\n",
    "requirements/common.txt": "tomli>=1.1; python_version < '3.11'\n",
    "requirements/test.txt": "hypothesis\n",
    "requirements/gpu.txt": "cupy; sys_platform == 'linux'\n",
}


def test_requirements_files_extend_the_static_entries(tmp_path: Path) -> None:
    write(tmp_path, REQUIREMENTS)
    found = metadata(tmp_path)
    assert found.get_all("Requires-Dist") == [
        "packaging>=22",
        "numpy>=1.22",
        'tomli>=1.1; python_version < "3.11"',
        'sphinx; extra == "docs"',
        'pytest>=8; extra == "test"',
        'hypothesis; extra == "test"',
        'cupy; sys_platform == "linux" and extra == "gpu"',
    ]
    assert found.get_all("Provides-Extra") == ["docs", "test", "gpu"]
    # Resolved when the sdist is made: nothing is marked Dynamic, no Metadata-Version 2.6 needed.
    assert found.get_all("Dynamic") is None
    assert found["Metadata-Version"] == "2.1"
    assert Project.load(tmp_path).core.read == (
        "requirements.txt",
        "requirements/common.txt",
        "requirements/test.txt",
        "requirements/gpu.txt",
    )


def test_a_bad_requirement_names_its_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, {**REQUIREMENTS, "requirements/common.txt": "tomli\n--extra-index-url https://x\n"})
    assert error_of(tmp_path) == (
        'error: requirements/common.txt:2: the option "--extra-index-url" cannot be part of package metadata\n'
        "hint: a requirements file used for metadata holds PEP 508 requirements, comments and -r includes only"
    )


README = project_file(
    """\
    version = "1"
    dynamic = ["readme"]
    [tool.ironwheel.metadata.readme]
    file = ["README.rst", "docs/CHANGES.rst"]
    """
)


def test_a_readme_from_files_joined_by_a_blank_line(tmp_path: Path) -> None:
    write(
        tmp_path, {"pyproject.toml": README, "README.rst": "Demo\n====\n\n", "docs/CHANGES.rst": "1.0\n---\n"}
    )
    found = metadata(tmp_path)
    assert found["Description-Content-Type"] == "text/x-rst"
    assert found.get_payload() == "Demo\n====\n\n1.0\n---\n"
    assert Project.load(tmp_path).core.read == ("README.rst", "docs/CHANGES.rst")


@pytest.mark.parametrize(
    ("names", "content_type", "expected"),
    [
        (["README.md"], "", "text/markdown"),
        (["README.txt"], "", "text/plain"),
        (["README"], "", "text/plain"),
        (["README.txt"], "text/markdown; variant=GFM", "text/markdown; variant=GFM"),
    ],
)
def test_the_readme_content_type(tmp_path: Path, names: list[str], content_type: str, expected: str) -> None:
    table = f"file = {names!r}\n" + (f'content-type = "{content_type}"\n' if content_type else "")
    body = 'version = "1"\ndynamic = ["readme"]\n[tool.ironwheel.metadata.readme]\n' + table
    write(tmp_path, {"pyproject.toml": project_file(body), names[0]: "Demo\n"})
    assert metadata(tmp_path)["Description-Content-Type"] == expected


def test_readme_files_that_cannot_be_read(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": README, "README.rst": "Demo\n"})
    assert error_of(tmp_path) == (
        'error: tool.ironwheel.metadata.readme.file: no file "docs/CHANGES.rst"\n'
        "hint: give a file relative to the project root"
    )
    write(tmp_path, {"pyproject.toml": README.replace("docs/CHANGES.rst", "../CHANGES.rst")})
    (tmp_path.parent / "CHANGES.rst").write_text("outside\n")
    assert error_of(tmp_path) == (
        "error: tool.ironwheel.metadata.readme.file: ../CHANGES.rst is outside the project\n"
        "hint: move the file into the project: the sdist and the wheel carry only what is inside it"
    )


FANCY = project_file(
    """\
    version = "2.5"
    dynamic = ["readme"]
    [tool.hatch.metadata.hooks.fancy-pypi-readme]
    content-type = "text/markdown"
    [[tool.hatch.metadata.hooks.fancy-pypi-readme.fragments]]
    text = "# $HFPR_PACKAGE_NAME $HFPR_VERSION\\n\\n"
    [[tool.hatch.metadata.hooks.fancy-pypi-readme.fragments]]
    path = "docs/intro.md"
    start-after = "<!-- start -->\\n"
    [[tool.hatch.metadata.hooks.fancy-pypi-readme.substitutions]]
    pattern = "#(\\\\d+)"
    replacement = "[#\\\\1](https://example.org/issues/\\\\1)"
    """
)


def test_a_readme_from_hatch_fancy_pypi_readme(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": FANCY, "docs/intro.md": "hidden\n<!-- start -->\nFixes #12.\n"})
    found = metadata(tmp_path)
    assert found["Description-Content-Type"] == "text/markdown"
    assert found.get_payload() == "# demo 2.5\n\nFixes [#12](https://example.org/issues/12).\n"
    assert Project.load(tmp_path).core.read == ("docs/intro.md",)


def test_fancy_pypi_readme_problems(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": FANCY})
    assert error_of(tmp_path) == (
        'error: tool.hatch.metadata.hooks.fancy-pypi-readme.fragments[1].path: no file "docs/intro.md"\n'
        "hint: give a file relative to the project root"
    )
    write(tmp_path, {"pyproject.toml": FANCY.replace("docs/intro.md", "../intro.md")})
    (tmp_path.parent / "intro.md").write_text("outside\n")
    assert error_of(tmp_path) == (
        "error: tool.hatch.metadata.hooks.fancy-pypi-readme.fragments[1].path: ../intro.md is outside "
        "the project\nhint: move the file into the project: the sdist and the wheel carry only what is inside it"
    )
    write(tmp_path, {"pyproject.toml": FANCY.replace('content-type = "text/markdown"', 'content-type = "x"')})
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "intro.md").write_text("<!-- start -->\n")
    assert error_of(tmp_path) == (
        "error: [tool.hatch.metadata.hooks.fancy-pypi-readme]: tool.hatch.metadata.hooks.fancy-pypi-readme."
        "content-type: 'x' is not one of ['text/markdown', 'text/x-rst']\n"
        "hint: see https://github.com/hynek/hatch-fancy-pypi-readme#configuration"
    )


def test_a_missing_provider_library_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("hatch_fancy_pypi_readme", "hatch_fancy_pypi_readme._builder"):
        monkeypatch.setitem(__import__("sys").modules, name, None)
    write(tmp_path, {"pyproject.toml": FANCY})
    assert error_of(tmp_path) == (
        'error: readme provider "fancy-pypi-readme" needs hatch-fancy-pypi-readme, which is not installed\n'
        "hint: pip install hatch-fancy-pypi-readme, or build with build isolation (the default), which installs it"
    )


PKG_INFO = """\
Metadata-Version: 2.1
Name: demo
Version: 3.1.4
Description-Content-Type: text/markdown

# From the sdist
"""


def test_from_an_sdist_the_version_and_readme_come_from_pkg_info(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": FANCY.replace(
                'version = "2.5"\ndynamic = ["readme"]', 'dynamic = ["version", "readme"]'
            )
            + "[tool.setuptools_scm]\n",
            "PKG-INFO": PKG_INFO,
        },
    )
    project = Project.load(tmp_path)
    where = sources(project.pyproject, project.root, project.settings)
    assert (where.from_sdist, where.version, where.readme) == (True, "vcs", "fancy-pypi-readme")
    assert where.libraries() == []
    found = metadata(tmp_path)
    assert found["Version"] == "3.1.4"
    assert found.get_payload() == "# From the sdist\n"


def test_a_pkg_info_written_by_setuptools_keeps_the_readme_and_its_type(tmp_path: Path) -> None:
    # A downloaded setuptools sdist, migrated: metadata 1.x folds the description into a header
    # and states no content type; the readme settings say what the text is.
    (tmp_path / "pyproject.toml").write_text(README, encoding="utf-8")
    (tmp_path / "PKG-INFO").write_text(
        "Metadata-Version: 1.1\nName: demo\nVersion: 1\n"
        "Description: Demo\n       |====\n       |\n       |    indented\n       |\nPlatform: UNKNOWN\n",
        encoding="utf-8",
    )
    found = metadata(tmp_path)
    assert found["Description-Content-Type"] == "text/x-rst"
    assert found.get_payload() == "Demo\n====\n\n    indented\n"


@pytest.fixture
def chdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_frontend_is_asked_for_the_libraries_only_when_used(chdir: Path) -> None:
    write(chdir, {"pyproject.toml": project_file('dynamic = ["version"]\n[tool.setuptools_scm]\n')})
    for hook in (
        ironwheel.get_requires_for_build_wheel,
        ironwheel.get_requires_for_build_sdist,
        ironwheel.get_requires_for_build_editable,
    ):
        assert hook() == ["vcs-versioning>=2.0.1"]
    write(chdir, {"pyproject.toml": FANCY})
    assert ironwheel.get_requires_for_build_wheel() == ["hatch-fancy-pypi-readme>=23.2"]
    write(chdir, {"pyproject.toml": README})
    assert ironwheel.get_requires_for_build_sdist() == []
    write(
        chdir,
        {
            "pyproject.toml": project_file('dynamic = ["version"]\n[tool.setuptools_scm]\n'),
            "PKG-INFO": PKG_INFO,
        },
    )
    assert ironwheel.get_requires_for_build_wheel() == []


@pytest.mark.skipif(os.name == "nt", reason="the recorded answer is checked where build dirs are POSIX")
def test_the_recorded_answer_holds_the_library_until_an_sdist_s_pkg_info_appears(
    chdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ironwheel import _requires

    write(
        chdir,
        {
            "pyproject.toml": project_file(
                'dynamic = ["version"]\n[tool.setuptools_scm]\n'
                '[tool.ironwheel.extension."demo._core"]\nsources = ["demo.c"]\n'
            ),
            "demo.c": "",
        },
    )
    build_dir = Project.load(chdir).build_dir()
    assert build_dir is not None
    (build_dir / ".ironwheel").mkdir(parents=True)
    answer = ironwheel.get_requires_for_build_wheel()
    assert answer[0] == "vcs-versioning>=2.0.1"
    assert _requires.recall(None, "wheel") == answer
    (chdir / "PKG-INFO").write_text(PKG_INFO)
    assert _requires.recall(None, "wheel") is None
    assert "vcs-versioning>=2.0.1" not in ironwheel.get_requires_for_build_wheel()


def test_the_record_renders_again_when_a_requirements_file_or_an_include_changes(tmp_path: Path) -> None:
    from ironwheel.project.metacache import load_core

    root = write(tmp_path / "demo", REQUIREMENTS)
    record = tmp_path / "metadata.json"

    def requires() -> list[str]:
        project = Project.load(root)
        core = load_core(project.pyproject, project.root, project.settings, Record(record))
        return email.parser.BytesParser().parsebytes(core.metadata).get_all("Requires-Dist") or []

    assert "numpy>=1.22" in requires()
    assert record.is_file()
    (root / "requirements" / "common.txt").write_text("tomli>=2\n")  # found through -r only
    assert "tomli>=2" in requires()
    (root / "requirements.txt").write_text("scipy\n")
    assert requires()[:2] == ["packaging>=22", "scipy"]
    (root / "pyproject.toml").write_text(
        REQUIREMENTS["pyproject.toml"].replace("requirements/gpu.txt", "requirements.txt")
    )
    assert 'scipy; extra == "gpu"' in requires()
