"""Bad input: the [project] table."""

from __future__ import annotations

from tests.catalogue.harness import PYPROJECT, Case

CASES: list[Case] = [
    Case(
        name="project: no name",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nversion = "1.0"\n',
        error='invalid [project] table: Field "project.name" is required if "project" is present',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: invalid name",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo!"\nversion = "1.0"\n',
        error="invalid [project] table: Invalid project name 'demo!'. A valid name consists only of ASCII letters and numbers, period, underscore and hyphen. It must start and end with a letter or number",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: name is a number",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = 42\nversion = "1.0"\n',
        error='invalid [project] table: Field "project.name" has an invalid type, expecting str (got int)',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: invalid version",
        frontend=True,
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "one"\n',
        error="invalid [project] table: Field \"project.version\" is an invalid PEP 440 version string (got 'one')",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: no version, not dynamic",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\n',
        error='invalid [project] table: Field "project.version" missing and \'version\' not specified in "project.dynamic"',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: dynamic version without a source",
        frontend=True,
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\ndynamic = ["version"]\n',
        error='project.dynamic lists "version" but no version source is configured',
        hint='add [tool.ironwheel.metadata.version] file = "src/<package>/__init__.py" (a file containing '
        '__version__ = "1.0"), or provider = "vcs" for the version of git tags',
    ),
    Case(
        name="project: version file missing",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\ndynamic = ["version"]\n[tool.ironwheel.metadata.version]\nfile = "src/demo/_version.py"\n',
        error='tool.ironwheel.metadata.version.file: cannot read "src/demo/_version.py": No such file or directory',
        hint="give the path of an existing file, relative to the project root",
    ),
    Case(
        name="project: version not found in file",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\ndynamic = ["version"]\n[tool.ironwheel.metadata.version]\nfile = "src/demo/__init__.py"\n',
        error='tool.ironwheel.metadata.version.file: no version found in "src/demo/__init__.py"',
        hint='write __version__ = "1.0" in that file, or set tool.ironwheel.metadata.version.regex to a pattern that matches it',
    ),
    Case(
        name="project: version in file invalid",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\ndynamic = ["version"]\n[tool.ironwheel.metadata.version]\nfile = "src/demo/__init__.py"\n',
        files={"src/demo/__init__.py": '__version__ = "not.a.version!"\n'},
        error='src/demo/__init__.py:1: "not.a.version!" is not a valid version',
        hint="use a PEP 440 version such as 1.2.0",
    ),
    Case(
        name="project: static version and version file",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\n[tool.ironwheel.metadata.version]\nfile = "src/demo/__init__.py"\n',
        error="tool.ironwheel.metadata.version.file is set but project.version is static",
        hint='remove project.version and add "version" to project.dynamic',
    ),
    Case(
        name="project: dynamic dependencies",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\ndynamic = ["dependencies"]\n',
        error='project.dynamic lists "dependencies" but no requirements files are configured',
        hint='add [tool.ironwheel.metadata.dependencies] file = ["requirements.txt"]',
    ),
    Case(
        name="project: readme missing",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nreadme = "README.md"\n',
        error="invalid [project] table: Readme file not found ('README.md')",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: readme unknown type",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nreadme = "README.txt2"\n',
        files={"src/demo/__init__.py": "", "README.txt2": "x"},
        error="invalid [project] table: Could not infer content type for readme file 'README.txt2'",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: readme table without content type",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nreadme = { text = "hi" }\n',
        error='invalid [project] table: Field "project.readme" is missing required key "content-type"',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: license file missing",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nlicense = { file = "LICENSE" }\n',
        error="invalid [project] table: License file not found ('LICENSE')",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: license-files glob outside",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nlicense-files = ["../LICENSE"]\n',
        error="invalid [project] table: '../LICENSE' is an invalid \"project.license-files\" glob: the pattern must match files within the project directory",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: authors not a list",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nauthors = "Jane"\n',
        error='invalid [project] table: Field "project.authors" has an invalid type, expecting list[ContactTable] (got str)',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: author email invalid type",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nauthors = [{ name = "Jane", email = 3 }]\n',
        error='invalid [project] table: Field "project.authors[0].email" has an invalid type, expecting str (got int)',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: bad dependency",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\ndependencies = ["numpy >= "]\n',
        error="invalid [project] table: Field \"project.dependencies[0]\" is an invalid PEP 508 requirement string 'numpy >= ' (InvalidRequirement('Expected semicolon (after name with no version specifier) or end\\n    numpy >= \\n          ^'))",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: bad optional dependency",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\n[project.optional-dependencies]\ntest = ["pytest;;"]\n',
        error="invalid [project] table: Field \"project.optional-dependencies.test[0]\" is an invalid PEP 508 requirement string 'pytest;;' (InvalidRequirement('Expected a marker variable or quoted string\\n    pytest;;\\n           ^'))",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: bad requires-python",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nrequires-python = "3.9+"\n',
        error="invalid [project] table: Field \"project.requires-python\" is an invalid Python version specifier string (got '3.9+')",
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: script not a string",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\n[project.scripts]\ndemo = 1\n',
        error='invalid [project] table: Field "project.scripts.demo" has an invalid type, expecting str (got int)',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    Case(
        name="project: unknown field",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\ndescriptions = "x"\n',
        warnings=("Extra keys present in \"project\": 'descriptions'",),
    ),
    Case(
        name="project: classifier not a string",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nclassifiers = [1]\n',
        error='invalid [project] table: Field "project.classifiers[0]" has an invalid type, expecting str (got int)',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    # Builds that must work, and whose metadata twine check --strict accepts (archive_checks).
    Case(
        name="project: markdown readme",
        pyproject=PYPROJECT + 'readme = "README.md"\n',
        files={"src/demo/__init__.py": "", "README.md": "# Demo\n\nA *demo*, with `code`.\n"},
    ),
    Case(
        name="project: reStructuredText readme in the sdist",
        pyproject=PYPROJECT + 'readme = "README.rst"\n',
        files={"src/demo/__init__.py": "", "README.rst": "Demo\n====\n\nA *demo*.\n"},
        hook="sdist",
    ),
]
