"""pyproject.toml parsed once: typed access that is as tolerant as the readers it serves."""

from __future__ import annotations

from pathlib import Path

from ironwheel.project.pyproject import Pyproject, ScmTable, read_pyproject


def test_the_project_table_typed() -> None:
    pyproject = Pyproject(
        {
            "build-system": {"requires": ["ironwheel", "cython>=3"]},
            "project": {
                "name": "demo",
                "version": "1.0",
                "dynamic": ["readme"],
                "requires-python": ">=3.9",
                "readme": {"file": "README.md", "content-type": "text/markdown"},
                "license": {"file": "LICENSE"},
                "license-files": ["LICENSES/*"],
            },
        }
    )
    assert pyproject.name == "demo"
    assert pyproject.static_version == "1.0"
    assert pyproject.dynamic == ("readme",)
    assert pyproject.requires_python == ">=3.9"
    assert pyproject.readme_file == "README.md"
    assert pyproject.license_file == "LICENSE"
    assert pyproject.license_files == ("LICENSES/*",)
    assert pyproject.declares("license-files")
    assert not pyproject.declares("dependencies")
    assert pyproject.build_requires == ("ironwheel", "cython>=3")


def test_values_of_the_wrong_type_read_as_absent() -> None:
    # pyproject-metadata reports them, naming the field; ironwheel's readers must not crash first.
    pyproject = Pyproject(
        {
            "build-system": {"requires": "ironwheel"},
            "project": {"dynamic": "version", "requires-python": 3, "readme": 1, "license-files": [1]},
            "tool": ["not", "a", "table"],
        }
    )
    assert pyproject.name == ""
    assert pyproject.dynamic == ()
    assert pyproject.requires_python is None
    assert pyproject.readme_file is None
    assert pyproject.license_files is None  # "cannot be told": the metadata cache is not used
    assert pyproject.build_requires == ()
    assert pyproject.scm is None
    assert pyproject.fancy_readme is None
    assert not pyproject.has_scikit_build
    assert Pyproject({"project": {}}).license_files == ()


def test_the_tool_tables_ironwheel_reads() -> None:
    fancy = {"content-type": "text/markdown", "fragments": [{"text": "x"}]}
    pyproject = Pyproject(
        {
            "project": {},
            "tool": {
                "setuptools_scm": "not a table",
                "vcs-versioning": {"root": "..", "version_file": "src/demo/_version.py"},
                "scikit-build": {},
                "hatch": {"metadata": {"hooks": {"fancy-pypi-readme": fancy}}},
            },
        }
    )
    assert pyproject.scm == ScmTable("vcs-versioning", {"root": "..", "version_file": "src/demo/_version.py"})
    assert pyproject.scm is not None
    assert pyproject.scm.root == ".."
    assert pyproject.mentions_scm  # a version from version control is wanted, whatever the table holds
    assert pyproject.has_scikit_build
    assert pyproject.fancy_readme == fancy
    assert pyproject.provider_tables()["hatch"] == {"metadata": {"hooks": {"fancy-pypi-readme": fancy}}}


def test_read_once_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n[tool.setuptools_scm]\n')
    pyproject = read_pyproject(tmp_path)
    assert pyproject.name == "demo"
    assert pyproject.scm == ScmTable("setuptools_scm", {})
    assert pyproject.scm.root == "."
