"""pyproject.toml and [project] problems, reported through the real hooks."""

from __future__ import annotations

import textwrap
from email.parser import BytesParser
from pathlib import Path

import pytest

import ironwheel

BUILD_SYSTEM = '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n'


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


ERRORS: list[tuple[str, dict[str, str], int, str]] = [
    (
        "no pyproject.toml",
        {"setup.py": ""},
        2,
        "error: no pyproject.toml in {root}\n"
        "hint: run the build from the project's root directory, which holds pyproject.toml with a "
        "[build-system] table and a [project] table",
    ),
    (
        "no [project] table",
        {"pyproject.toml": BUILD_SYSTEM},
        2,
        "error: pyproject.toml has no [project] table\n"
        'hint: add [project] with at least name = "..." and version = "..." '
        "(see https://packaging.python.org/en/latest/specifications/pyproject-toml/)",
    ),
    (
        "malformed TOML",
        {"pyproject.toml": BUILD_SYSTEM + '[project]\nname "demo"\n'},
        2,
        "error: pyproject.toml:5:6: invalid TOML: Expected '=' after a key in a key/value pair\n"
        '  5 | name "demo"\n'
        "           ^\n"
        "hint: fix the syntax at line 5, column 6 of {root}/pyproject.toml",
    ),
    (
        "unknown key",
        {
            "pyproject.toml": BUILD_SYSTEM
            + '[project]\nname = "demo"\nversion = "1"\n[tool.ironwheel.wheel]\npy_api = "cp39"\n'
        },
        2,
        "error: tool.ironwheel.wheel.py_api: unknown key\nhint: did you mean tool.ironwheel.wheel.py-api?",
    ),
    (
        "nothing to build",
        {"pyproject.toml": BUILD_SYSTEM + '[project]\nname = "demo"\nversion = "1"\n'},
        5,
        "error: nothing to build: no CMakeLists.txt in {root} and no Python package "
        "(looked for src/, python/demo/, demo/ and demo.py)\n"
        "hint: create src/demo/__init__.py, or list packages in tool.ironwheel.wheel.packages",
    ),
    (
        "dynamic version without a source",
        {"pyproject.toml": BUILD_SYSTEM + '[project]\nname = "demo"\ndynamic = ["version"]\n', "demo.py": ""},
        2,
        'error: project.dynamic lists "version" but no version source is configured\n'
        'hint: add [tool.ironwheel.metadata.version] file = "src/<package>/__init__.py" '
        '(a file containing __version__ = "1.0"), or provider = "vcs" for the version of git tags',
    ),
    (
        "dynamic field ironwheel cannot fill",
        {
            "pyproject.toml": BUILD_SYSTEM
            + '[project]\nname = "demo"\nversion = "1"\ndynamic = ["classifiers"]\n'
        },
        2,
        'error: project.dynamic lists "classifiers", which ironwheel cannot fill in\n'
        "hint: write these fields statically in [project]; version, readme, dependencies and "
        "optional-dependencies may be dynamic",
    ),
    (
        "version file without a version",
        {
            "pyproject.toml": BUILD_SYSTEM
            + '[project]\nname = "demo"\ndynamic = ["version"]\n[tool.ironwheel.metadata.version]\nfile = "demo.py"\n',
            "demo.py": "VERSION = 1\n",
        },
        2,
        'error: tool.ironwheel.metadata.version.file: no version found in "demo.py"\n'
        'hint: write __version__ = "1.0" in that file, or set tool.ironwheel.metadata.version.regex '
        "to a pattern that matches it",
    ),
    (
        "invalid version in the file",
        {
            "pyproject.toml": BUILD_SYSTEM
            + '[project]\nname = "demo"\ndynamic = ["version"]\n[tool.ironwheel.metadata.version]\nfile = "demo.py"\n',
            "demo.py": '"""Doc."""\n__version__ = "one"\n',
        },
        2,
        'error: demo.py:2: "one" is not a valid version\nhint: use a PEP 440 version such as 1.2.0',
    ),
    (
        "cmake.source-dir without a CMakeLists.txt",
        {
            "pyproject.toml": BUILD_SYSTEM
            + '[project]\nname = "demo"\nversion = "1"\n[tool.ironwheel.cmake]\nsource-dir = "native"\n'
        },
        2,
        'error: tool.ironwheel.cmake.source-dir: no CMakeLists.txt in "native"\n'
        "hint: point it at the directory holding the top-level CMakeLists.txt",
    ),
]


@pytest.mark.parametrize(("name", "files", "code", "message"), ERRORS, ids=[case[0] for case in ERRORS])
def test_errors(
    chdir: Path, capsys: pytest.CaptureFixture[str], name: str, files: dict[str, str], code: int, message: str
) -> None:
    del name
    write(chdir, files)
    with pytest.raises(SystemExit) as caught:
        ironwheel.build_wheel(str(chdir / "dist"))
    assert caught.value.code == code
    assert capsys.readouterr().err.strip() == message.format(root=chdir)
    assert not (chdir / "dist").exists() or list((chdir / "dist").iterdir()) == []


def test_all_project_table_problems_at_once(chdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The wording of each problem is pyproject-metadata's; the layout is ours.
    write(
        chdir,
        {
            "pyproject.toml": BUILD_SYSTEM
            + '[project]\nname = "demo"\nversion = "not a version"\nrequires-python = 3\n'
        },
    )
    with pytest.raises(SystemExit) as caught:
        ironwheel.build_wheel(str(chdir / "dist"))
    assert caught.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0] == "error: 2 problems with the [project] table:"
    assert "project.version" in lines[1]
    assert "not a version" in lines[1]
    assert "project.requires-python" in lines[2]
    assert lines[3] == "hint: see https://packaging.python.org/en/latest/specifications/pyproject-toml/"


def test_unknown_config_setting_through_the_hook(chdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        chdir, {"pyproject.toml": BUILD_SYSTEM + '[project]\nname = "demo"\nversion = "1"\n', "demo.py": ""}
    )
    with pytest.raises(SystemExit) as caught:
        ironwheel.get_requires_for_build_wheel({"build.dri": "out"})
    assert caught.value.code == 2
    assert (
        capsys.readouterr().err.strip()
        == "error: -C build.dri: unknown setting\nhint: did you mean -C build.dir?"
    )


def test_dynamic_version_and_metadata(chdir: Path) -> None:
    write(
        chdir,
        {
            "pyproject.toml": BUILD_SYSTEM
            + """
            [project]
            name = "Demo.Pkg"
            dynamic = ["version"]
            description = "A demo"
            readme = "README.md"
            license = "MIT OR Apache-2.0"
            requires-python = ">=3.9"
            dependencies = ["packaging>=22"]
            optional-dependencies = { test = ["pytest"] }
            authors = [{ name = "A. Person", email = "a@example.org" }]
            urls = { Homepage = "https://example.org" }
            scripts = { demo = "demo_pkg:main" }
            entry-points = { "demo.plugins" = { b = "demo_pkg:b", a = "demo_pkg:a" } }

            [tool.ironwheel.metadata.version]
            file = "src/demo_pkg/__init__.py"
            """,
            "README.md": "# Demo\n",
            "LICENSE": "MIT\n",
            "COPYING.txt": "Apache\n",
            "src/demo_pkg/__init__.py": '__version__: str = "2.3.1rc1"\n',
        },
    )
    name = ironwheel.prepare_metadata_for_build_wheel(str(chdir / "meta"))
    assert name == "demo_pkg-2.3.1rc1.dist-info"
    dist_info = chdir / "meta" / name
    assert sorted(
        path.relative_to(dist_info).as_posix() for path in dist_info.rglob("*") if path.is_file()
    ) == [
        "METADATA",
        "WHEEL",
        "entry_points.txt",
        "licenses/COPYING.txt",
        "licenses/LICENSE",
    ]
    metadata = BytesParser().parsebytes((dist_info / "METADATA").read_bytes())
    assert metadata["Name"] == "Demo.Pkg"
    assert metadata["Version"] == "2.3.1rc1"
    assert metadata["Metadata-Version"] == "2.4"
    assert metadata["License-Expression"] == "MIT OR Apache-2.0"
    assert metadata.get_all("License-File") == ["COPYING.txt", "LICENSE"]
    assert metadata.get_all("Requires-Dist") == ["packaging>=22", 'pytest; extra == "test"']
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload() == "# Demo\n"
    assert (dist_info / "entry_points.txt").read_text() == (
        "[console_scripts]\ndemo = demo_pkg:main\n\n[demo.plugins]\na = demo_pkg:a\nb = demo_pkg:b\n"
    )
    assert (dist_info / "WHEEL").read_text().endswith("Root-Is-Purelib: true\nTag: py3-none-any\n")


def test_version_frozen_in_pkg_info_wins(chdir: Path) -> None:
    write(
        chdir,
        {
            "pyproject.toml": BUILD_SYSTEM
            + '[project]\nname = "demo"\ndynamic = ["version"]\n[tool.ironwheel.metadata.version]\nfile = "demo.py"\n',
            "demo.py": '__version__ = "1.0"\n',
            "PKG-INFO": "Metadata-Version: 2.1\nName: demo\nVersion: 1.0.post7\n",
        },
    )
    assert ironwheel.prepare_metadata_for_build_wheel(str(chdir / "meta")) == "demo-1.0.post7.dist-info"


def test_metadata_of_a_native_project_needs_no_cmake(chdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        chdir,
        {
            "pyproject.toml": BUILD_SYSTEM + '[project]\nname = "native"\nversion = "3"\n',
            "CMakeLists.txt": "message(FATAL_ERROR configure-must-not-run)\n",
        },
    )
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("CMAKE_EXECUTABLE", "/nonexistent/cmake")
    name = ironwheel.prepare_metadata_for_build_wheel(str(chdir / "meta"))
    assert name == "native-3.dist-info"
    wheel = (chdir / "meta" / name / "WHEEL").read_text()
    assert "Root-Is-Purelib: false" in wheel
    assert not (chdir / "build").exists()


def test_unwritable_output_is_an_error_not_a_traceback(
    chdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        chdir, {"pyproject.toml": BUILD_SYSTEM + '[project]\nname = "demo"\nversion = "1"\n', "demo.py": ""}
    )
    (chdir / "out").write_text("a file where a directory should be")
    with pytest.raises(SystemExit) as caught:
        ironwheel.build_wheel(str(chdir / "out"))
    assert caught.value.code == 1
    error = capsys.readouterr().err.strip().splitlines()[-2:]
    assert error[0].startswith(f"error: cannot access {chdir / 'out'}")
    assert error[1].startswith("hint: check that the project and output directories are writable")


@pytest.mark.parametrize("directory", [".", "..", "src/.."])
def test_build_dir_must_not_be_the_project(
    chdir: Path, capsys: pytest.CaptureFixture[str], directory: str
) -> None:
    write(
        chdir,
        {"pyproject.toml": BUILD_SYSTEM + '[project]\nname = "demo"\nversion = "1"\n', "CMakeLists.txt": ""},
    )
    (chdir / ".gitignore").write_text("keep me\n")
    with pytest.raises(SystemExit) as caught:
        ironwheel.build_wheel(str(chdir / "dist"), {"build.dir": directory})
    assert caught.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-2:] == [
        f'error: -C build.dir: "{directory}" is the project directory or contains it',
        'hint: use a directory of its own, such as "build/{wheel_tag}" (the default)',
    ]
    assert (chdir / ".gitignore").read_text() == "keep me\n"


def test_sdist_contains_files_generated_into_the_source(chdir: Path) -> None:
    import tarfile

    write(
        chdir,
        {
            "pyproject.toml": BUILD_SYSTEM
            + '[project]\nname = "demo"\nversion = "1.5"\n'
            + '[[tool.ironwheel.generate]]\npath = "src/demo/_version.py"\nlocation = "source"\n'
            + 'template = "version = \\"${version}\\"\\n"\n',
            "src/demo/__init__.py": "",
            ".gitignore": "_version.py\n",
        },
    )
    name = ironwheel.build_sdist(str(chdir / "dist"))
    with tarfile.open(chdir / "dist" / name) as archive:
        member = archive.extractfile("demo-1.5/src/demo/_version.py")
        assert member is not None
        assert member.read() == b'version = "1.5"\n'
    import zipfile

    wheel = ironwheel.build_wheel(str(chdir / "dist"))
    with zipfile.ZipFile(chdir / "dist" / wheel) as archive:
        assert archive.read("demo/_version.py") == b'version = "1.5"\n'
