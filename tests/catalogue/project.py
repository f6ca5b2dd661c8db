"""Bad input: the [project] table."""

from __future__ import annotations

from tests.catalogue.harness import PYPROJECT, Case

_HINT = "see https://packaging.python.org/en/latest/specifications/pyproject-toml/"
_DEPENDENCIES = (
    PYPROJECT
    + 'dynamic = ["dependencies"]\n[tool.ironwheel.metadata.dependencies]\nfile = ["requirements.txt"]\n'
)
_REQUIREMENTS_HINT = (
    "a requirements file used for metadata holds PEP 508 requirements, comments and -r includes only"
)
_VCS = PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n') + "[tool.setuptools_scm]\n"
_PRETEND_HINT = (
    "build from a git clone or from an sdist, or give the version in the environment "
    "(SETUPTOOLS_SCM_PRETEND_VERSION=1.2.3) or as fallback_version in [tool.setuptools_scm]"
)
_README_FILES = (
    PYPROJECT.replace('version = "1.0"\n', 'version = "1.0"\ndynamic = ["readme"]\n')
    + '[tool.ironwheel.metadata.readme]\nfile = ["README.md", "CHANGES.md"]\n'
)
_FANCY = PYPROJECT.replace('version = "1.0"\n', 'version = "1.0"\ndynamic = ["readme"]\n') + (
    '[tool.hatch.metadata.hooks.fancy-pypi-readme]\ncontent-type = "text/markdown"\n'
    '[[tool.hatch.metadata.hooks.fancy-pypi-readme.fragments]]\npath = "docs/intro.md"\n'
)
_OUTSIDE_HINT = "move the file into the project: the sdist and the wheel carry only what is inside it"
_FANCY_HINT = "see https://github.com/hynek/hatch-fancy-pypi-readme#configuration"

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
        frontend=True,
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\ndescriptions = "x"\n',
        error="invalid [project] table: project.descriptions: unknown key",
        hint="did you mean project.description?",
    ),
    Case(
        name="project: unknown field with an underscore",
        pyproject=PYPROJECT + '[project.gui_scripts]\nrun = "demo:main"\n',
        error="invalid [project] table: project.gui_scripts: unknown key",
        hint="did you mean project.gui-scripts?",
    ),
    Case(
        name="project: unknown field nothing like a known one",
        pyproject=PYPROJECT + "zzz = 1\n",
        error="invalid [project] table: project.zzz: unknown key",
        hint=_HINT,
    ),
    Case(
        name="project: console_scripts as an entry-point group",
        frontend=True,
        pyproject=PYPROJECT + '[project.entry-points.console_scripts]\nrun = "demo:main"\n',
        error="invalid [project] table: [project.entry-points.console_scripts] is not allowed",
        hint="move its entries to [project.scripts]; the specification reserves console_scripts for that table",
    ),
    Case(
        name="project: gui_scripts as an entry-point group",
        pyproject=PYPROJECT + '[project.entry-points.gui_scripts]\nrun = "demo:main"\n',
        error="invalid [project] table: [project.entry-points.gui_scripts] is not allowed",
        hint="move its entries to [project.gui-scripts]; the specification reserves gui_scripts for that table",
    ),
    Case(
        name="project: classifier not a string",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nclassifiers = [1]\n',
        error='invalid [project] table: Field "project.classifiers[0]" has an invalid type, expecting str (got int)',
        hint="see https://packaging.python.org/en/latest/specifications/pyproject-toml/",
    ),
    # Values pyproject-metadata accepts but that make METADATA installers or PyPI refuse.
    Case(
        name="project: description with a newline",
        pyproject=PYPROJECT + 'description = """one\ntwo"""\n',
        error="invalid [project] table: project.description: 'summary' must be a single line",
        hint=_HINT,
    ),
    Case(
        name="project: extra that is not a name",
        pyproject=PYPROJECT + '[project.optional-dependencies]\n"Foo Bar" = ["x"]\n',
        error="invalid [project] table: project.optional-dependencies: 'foo bar' is invalid for 'provides-extra'",
        hint=_HINT,
    ),
    Case(
        name="project: unknown license",
        frontend=True,
        pyproject=PYPROJECT + 'license = "MIT OR Foo-Bar-Baz"\n',
        error="invalid [project] table: project.license: Unknown license: 'foo-bar-baz'",
        hint=_HINT,
    ),
    Case(
        name="project: license expression with a word that is no operator",
        pyproject=PYPROJECT + 'license = "MIT or whatever"\n',
        error="invalid [project] table: project.license: Unknown license: 'whatever'",
        hint=_HINT,
    ),
    Case(
        name="project: entry point name with a space",
        pyproject=PYPROJECT + '[project.scripts]\n"run me" = "demo:main"\n',
        error='invalid [project] table: project.scripts: "run me" is not a valid entry point name '
        '(letters, digits, "_", "." and "-" only)',
        hint=_HINT,
    ),
    Case(
        name="project: entry point reference with a call",
        pyproject=PYPROJECT + '[project.gui-scripts]\nrun = "demo:main()"\n',
        error='invalid [project] table: project.gui-scripts.run: "demo:main()" is not an object reference '
        "(module.path or module.path:attr)",
        hint=_HINT,
    ),
    Case(
        name="project: plugin reference starting with a digit",
        pyproject=PYPROJECT + '[project.entry-points."demo.plugins"]\na = "2demo:x"\n',
        error='invalid [project] table: project.entry-points."demo.plugins".a: "2demo:x" is not an object '
        "reference (module.path or module.path:attr)",
        hint=_HINT,
    ),
    Case(
        name="project: script without a function",
        pyproject=PYPROJECT + '[project.scripts]\nrun = "demo"\n',
        error='invalid [project] table: project.scripts.run: "demo" names no function to call (module.path:function)',
        hint=_HINT,
    ),
    # What only PyPI refuses: the build goes on, with a warning.
    Case(
        name="project: local version warns",
        pyproject=PYPROJECT.replace('version = "1.0"', 'version = "1.0+local.2"'),
        warnings=(
            'project.version: "1.0+local.2" has a local version label (+local.2): PyPI will refuse the upload',
        ),
    ),
    Case(
        name="project: direct URL dependency warns",
        frontend=True,
        pyproject=PYPROJECT + 'dependencies = ["tool @ https://example.com/tool-1.0.tar.gz"]\n',
        warnings=(
            "project.dependencies: tool is required from a direct URL (https://example.com/tool-1.0.tar.gz): "
            "PyPI will refuse the upload",
        ),
    ),
    Case(
        name="project: unknown classifier warns",
        pyproject=PYPROJECT + 'classifiers = ["Programming Langauge :: C", "Private :: Do Not Upload"]\n',
        warnings=(
            'project.classifiers: "Programming Langauge :: C" is not a known trove classifier: '
            "PyPI will refuse the upload",
        ),
    ),
    Case(
        name="project: reStructuredText readme that does not render warns",
        twine_refuses=True,
        pyproject=PYPROJECT + 'readme = "README.rst"\n',
        files={"src/demo/__init__.py": "", "README.rst": "Demo\n====\n\nA *demo, unclosed.\n"},
        warnings=(
            "README.rst:4: the readme does not render as reStructuredText (Inline emphasis start-string "
            "without end-string): PyPI will refuse the upload",
        ),
    ),
    Case(
        name="project: reStructuredText readme from files that does not render warns",
        twine_refuses=True,
        pyproject=PYPROJECT.replace('version = "1.0"\n', 'version = "1.0"\ndynamic = ["readme"]\n')
        + '[tool.ironwheel.metadata.readme]\nfile = ["README.rst"]\n',
        files={"src/demo/__init__.py": "", "README.rst": "Demo\n====\n\nSee `the docs`_.\n"},
        warnings=(
            "project.readme:4: the readme does not render as reStructuredText (Unknown target name: "
            '"the docs"): PyPI will refuse the upload',
        ),
    ),
    # Dynamic metadata: requirements files.
    Case(
        name="requirements: file missing",
        pyproject=_DEPENDENCIES,
        error='tool.ironwheel.metadata.dependencies.file: no file "requirements.txt"',
        hint="give a file relative to the project root",
    ),
    Case(
        name="requirements: file outside the project",
        pyproject=_DEPENDENCIES.replace('"requirements.txt"', '"../requirements.txt"'),
        files={"src/demo/__init__.py": "", "../requirements.txt": "numpy\n"},
        error="tool.ironwheel.metadata.dependencies.file: ../requirements.txt is outside the project",
        hint=_OUTSIDE_HINT,
    ),
    Case(
        name="requirements: editable line",
        frontend=True,
        pyproject=_DEPENDENCIES,
        files={"src/demo/__init__.py": "", "requirements.txt": "numpy\n-e ./vendored\n"},
        error="requirements.txt:2: an editable requirement (-e) cannot be a dependency",
        hint='name the package instead ("name>=1.0"), or write a direct reference "name @ URL"',
    ),
    Case(
        name="requirements: index option",
        pyproject=_DEPENDENCIES,
        files={"src/demo/__init__.py": "", "requirements.txt": "--index-url https://example.org/simple\n"},
        error='requirements.txt:1: the option "--index-url" cannot be part of package metadata',
        hint=_REQUIREMENTS_HINT,
    ),
    Case(
        name="requirements: hash after a continued line",
        pyproject=_DEPENDENCIES,
        files={"src/demo/__init__.py": "", "requirements.txt": "numpy==2.0.0 \\\n    --hash=sha256:0123\n"},
        error='requirements.txt:1: the option "--hash" cannot be part of package metadata',
        hint=_REQUIREMENTS_HINT,
    ),
    Case(
        name="requirements: a path",
        pyproject=_DEPENDENCIES,
        files={"src/demo/__init__.py": "", "requirements.txt": "./vendored/lib\n"},
        error='requirements.txt:1: "./vendored/lib" is a URL or a path, not a requirement',
        hint='name the package ("name>=1.0"), or write a direct reference "name @ URL"',
    ),
    Case(
        name="requirements: invalid requirement",
        pyproject=_DEPENDENCIES,
        files={"src/demo/__init__.py": "", "requirements.txt": "numpy\n\nnumpy >= one\n"},
        error='requirements.txt:3: "numpy >= one" is not a valid requirement: Expected semicolon '
        "(after name with no version specifier) or end",
        hint="write one PEP 508 requirement a line, such as \"numpy>=1.22; python_version >= '3.10'\"",
    ),
    Case(
        name="requirements: include outside the project",
        pyproject=_DEPENDENCIES,
        files={"src/demo/__init__.py": "", "requirements.txt": "-r ../shared.txt\n", "../shared.txt": "x\n"},
        error="requirements.txt:1: -r: ../shared.txt is outside the project",
        hint=_OUTSIDE_HINT,
    ),
    Case(
        name="requirements: circular includes",
        pyproject=_DEPENDENCIES,
        files={
            "src/demo/__init__.py": "",
            "requirements.txt": "-r reqs/a.txt\n",
            "reqs/a.txt": "-r ../requirements.txt\n",
        },
        error='reqs/a.txt:1: -r "../requirements.txt" includes a file that includes it',
        hint="remove the circular -r",
    ),
    Case(
        name="requirements: extra without files",
        pyproject=PYPROJECT
        + 'dynamic = ["optional-dependencies"]\n[tool.ironwheel.metadata.optional-dependencies.test]\nfile = []\n',
        error="tool.ironwheel.metadata.optional-dependencies.test.file: no requirements files are listed",
        hint='list them: file = ["requirements.txt"]',
    ),
    # Dynamic metadata: the version from version control, a readme from files or fragments.
    Case(
        name="vcs: no checkout",
        pyproject=_VCS,
        error="no version: {root} is neither a git or Mercurial checkout nor an sdist (no PKG-INFO)",
        hint=_PRETEND_HINT,
    ),
    Case(
        name="vcs: library missing",
        pyproject=_VCS,
        missing=("vcs_versioning", "setuptools_scm"),
        error='version provider "vcs" needs vcs-versioning (or setuptools-scm), and neither is installed',
        hint="pip install vcs-versioning, or build with build isolation (the default), which installs it",
    ),
    Case(
        name="readme: file provider, file missing",
        pyproject=_README_FILES,
        files={"src/demo/__init__.py": "", "README.md": "# Demo\n"},
        error='tool.ironwheel.metadata.readme.file: no file "CHANGES.md"',
        hint="give a file relative to the project root",
    ),
    Case(
        name="readme: dynamic and static",
        pyproject=PYPROJECT + 'readme = "README.md"\ndynamic = ["readme"]\n',
        error='project.readme is set and project.dynamic lists "readme"',
        hint="remove one of them: a readme is either static or dynamic",
    ),
    Case(
        name="fancy-pypi-readme: fragment missing",
        pyproject=_FANCY,
        error='tool.hatch.metadata.hooks.fancy-pypi-readme.fragments[0].path: no file "docs/intro.md"',
        hint="give a file relative to the project root",
    ),
    Case(
        name="fancy-pypi-readme: bad content type",
        pyproject=_FANCY.replace("text/markdown", "text/html"),
        files={"src/demo/__init__.py": "", "docs/intro.md": "Intro\n"},
        error="[tool.hatch.metadata.hooks.fancy-pypi-readme]: tool.hatch.metadata.hooks.fancy-pypi-readme."
        "content-type: 'text/html' is not one of ['text/markdown', 'text/x-rst']",
        hint=_FANCY_HINT,
    ),
    Case(
        name="fancy-pypi-readme: provider without its table",
        pyproject=PYPROJECT.replace('version = "1.0"\n', 'version = "1.0"\ndynamic = ["readme"]\n')
        + '[tool.ironwheel.metadata.readme]\nprovider = "fancy-pypi-readme"\n',
        error='tool.ironwheel.metadata.readme.provider is "fancy-pypi-readme" but there is no '
        "[tool.hatch.metadata.hooks.fancy-pypi-readme] table",
        hint=_FANCY_HINT,
    ),
    Case(
        name="fancy-pypi-readme: library missing",
        pyproject=_FANCY,
        files={"src/demo/__init__.py": "", "docs/intro.md": "Intro\n"},
        missing=("hatch_fancy_pypi_readme", "hatch_fancy_pypi_readme._builder"),
        error='readme provider "fancy-pypi-readme" needs hatch-fancy-pypi-readme, which is not installed',
        hint="pip install hatch-fancy-pypi-readme, or build with build isolation (the default), which installs it",
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
