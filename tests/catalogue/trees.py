"""Bad input: sources and trees (links out, secrets, odd names that must work)."""

from __future__ import annotations

from tests.catalogue.harness import PYPROJECT, Case, tool

_NAMED_LINK_HINT = (
    "copy the file into the project instead of linking to it, or set "
    "tool.ironwheel.sdist.follow-external-links = true to read what the link points to"
)

CASES: list[Case] = [
    Case(
        name="tree: no pyproject.toml",
        pyproject=None,
        error="no pyproject.toml in {root}",
        hint="run the build from the project's root directory, which holds pyproject.toml with a [build-system] table and a [project] table",
    ),
    Case(
        name="tree: nothing to build",
        files={"README.md": "x"},
        error="nothing to build: no CMakeLists.txt in {root} and no Python package (looked for src/, python/demo/, demo/ and demo.py)",
        hint="create src/demo/__init__.py, or list packages in tool.ironwheel.wheel.packages",
    ),
    Case(
        name="tree: wheel.packages missing",
        pyproject=tool('[tool.ironwheel.wheel]\npackages = ["src/missing"]\n'),
        error='tool.ironwheel.wheel.packages[0]: "src/missing" does not exist',
        hint="list package directories or .py modules relative to the project root",
    ),
    Case(
        name="tree: wheel.packages outside",
        pyproject=tool('[tool.ironwheel.wheel]\npackages = ["../elsewhere"]\n'),
        error='tool.ironwheel.wheel.packages[0]: "../elsewhere" does not exist',
        hint="list package directories or .py modules relative to the project root",
    ),
    Case(
        name="tree: wheel.packages a data file",
        pyproject=tool('[tool.ironwheel.wheel]\npackages = ["data.txt"]\n'),
        files={"src/demo/__init__.py": "", "data.txt": ""},
        error='tool.ironwheel.wheel.packages[0]: "data.txt" is neither a directory nor a .py module',
        hint="list package directories or .py modules relative to the project root",
    ),
    Case(
        name="tree: cmake.source-dir without CMakeLists",
        pyproject=tool('[tool.ironwheel.cmake]\nsource-dir = "native"\n'),
        files={"src/demo/__init__.py": "", "native/x.c": ""},
        error='tool.ironwheel.cmake.source-dir: no CMakeLists.txt in "native"',
        hint="point it at the directory holding the top-level CMakeLists.txt",
    ),
    Case(
        name="tree: link to /etc in a package",
        frontend=True,
        links={"src/demo/etc": "/etc"},
        error="src/demo/etc is a symbolic link to /etc, outside the project",
        hint="remove the link, or leave it out with tool.ironwheel.sdist.exclude; to pack what it points to, set tool.ironwheel.sdist.follow-external-links = true",
    ),
    Case(
        name="tree: link to /etc/passwd in the sdist",
        frontend=True,
        links={"passwd": "/etc/passwd"},
        hook="sdist",
        error="passwd is a symbolic link to /etc/passwd, outside the project",
        hint="remove the link, or leave it out with tool.ironwheel.sdist.exclude; to pack what it points to, set tool.ironwheel.sdist.follow-external-links = true",
    ),
    Case(
        name="tree: package directory linked from outside",
        files={"../shared/demo/__init__.py": ""},
        links={"src/demo": "{tmp}/shared/demo"},
        error="src/demo is a symbolic link to {tmp}/shared/demo, outside the project",
        hint="remove the link, or leave it out with tool.ironwheel.sdist.exclude; to pack what it points to, set tool.ironwheel.sdist.follow-external-links = true",
    ),
    Case(
        name="tree: readme linked from outside",
        pyproject='[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n\n[project]\nname = "demo"\nversion = "1.0"\nreadme = "README.md"\n',
        links={"README.md": "/etc/hostname"},
        error="project.readme: README.md is a symbolic link to /etc/hostname, outside the project",
        hint=_NAMED_LINK_HINT,
    ),
    Case(
        name="tree: link out allowed",
        pyproject=tool("[tool.ironwheel.sdist]\nfollow-external-links = true\n"),
        files={"src/demo/__init__.py": "", "../shared/common.py": ""},
        links={"src/demo/common.py": "{tmp}/shared/common.py"},
    ),
    Case(
        name="tree: broken link warns",
        links={"src/demo/gone.py": "/nonexistent/gone.py"},
        warnings=("leaving out src/demo/gone.py: the symbolic link is broken",),
    ),
    Case(
        name="tree: .env warns",
        frontend=True,
        files={"src/demo/__init__.py": "", ".env": "TOKEN=1\n"},
        hook="sdist",
        warnings=(
            "packing .env, which may hold environment variables, often credentials; leave it out with .gitignore or tool.ironwheel.sdist.exclude",
        ),
    ),
    Case(
        name="tree: private key warns",
        files={"src/demo/__init__.py": "", "src/demo/server.key": "-----BEGIN PRIVATE KEY-----\n"},
        warnings=(
            "packing src/demo/server.key, which may hold a private key; leave it out with .gitignore or tool.ironwheel.sdist.exclude",
        ),
    ),
    Case(name="tree: path with spaces works", root="my project"),
    Case(name="tree: non-ASCII path works", root="projét-ü"),
    Case(
        name="tree: non-ASCII file names work",
        files={"src/demo/__init__.py": "", "src/demo/données/ü.txt": "x"},
    ),
    Case(
        name="tree: leading-dash file name works",
        files={"src/demo/__init__.py": "", "src/demo/-rf": "x"},
        hook="sdist",
    ),
    Case(
        name="tree: extension source missing",
        pyproject=tool('[tool.ironwheel.extension."demo._core"]\nsources = ["src/missing.c"]\n'),
        error='tool.ironwheel.extension."demo._core".sources[0]: "src/missing.c" does not exist',
        hint="sources are relative to the project root, {root}",
    ),
    Case(
        name="tree: file name with a newline in a warning",
        files={"src/demo/__init__.py": "", "src/demo/x\nwarning: forged/.env": "A=1\n"},
        hook="sdist",
        warnings=(
            "packing src/demo/x\\nwarning: forged/.env, which may hold environment variables, often "
            "credentials; leave it out with .gitignore or tool.ironwheel.sdist.exclude",
        ),
    ),
    Case(
        name="tree: file name with a newline in the wheel",
        files={"src/demo/__init__.py": "", "src/demo/x\ny.py": ""},
        error='"demo/x\\ny.py" is not a valid path inside a wheel: it holds a control character',
        hint="rename the file, or give its install() a relative DESTINATION inside the package",
    ),
    Case(
        name="tree: native sources that nothing builds warn",
        frontend=True,
        files={"src/demo/__init__.py": "", "src/demo/_core.c": "int f(void) { return 1; }\n"},
        warnings=(
            "src/demo/_core.c: native sources that nothing builds: the wheel ships them as plain files, with no "
            'compiled module; build them with a [tool.ironwheel.extension."demo._core"] table or a CMakeLists.txt',
        ),
    ),
    Case(
        name="tree: native sources outside the packages, with a setup.py",
        files={
            "src/demo/__init__.py": "",
            "src/speedups.c": "",
            "src/lib/a.cpp": "",
            "src/lib/b.f90": "",
            "src/lib/c.pyx": "",
            "setup.py": "",
        },
        warnings=(
            "src/lib/a.cpp, src/lib/b.f90, src/lib/c.pyx and 1 more: native sources that nothing builds: the "
            "wheel ships them as plain files, with no compiled module; build them with a "
            '[tool.ironwheel.extension."demo.a"] table or a CMakeLists.txt, or convert setup.py with '
            "`python -m ironwheel migrate`",
        ),
    ),
    Case(
        name="tree: readme linked from outside, links allowed",
        pyproject=PYPROJECT + 'readme = "README.md"\n[tool.ironwheel.sdist]\nfollow-external-links = true\n',
        files={"src/demo/__init__.py": "", "../shared/README.md": "# Demo\n"},
        links={"README.md": "{tmp}/shared/README.md"},
        hook="sdist",
    ),
    Case(
        name="tree: readme above the project, links allowed",
        pyproject=PYPROJECT
        + 'readme = "../README.md"\n[tool.ironwheel.sdist]\nfollow-external-links = true\n',
        files={"src/demo/__init__.py": "", "../README.md": "# Demo\n"},
        error="project.readme: ../README.md is outside the project",
        hint="move the file into the project: the sdist and the wheel carry only what is inside it",
    ),
    Case(
        name="tree: readme is a named pipe",
        frontend=True,
        pyproject=PYPROJECT + 'readme = "README.md"\n',
        fifos=["README.md"],
        error="project.readme: README.md is a named pipe, not a regular file",
        hint="name a regular file of the project",
    ),
    Case(
        name="tree: license file is a named pipe",
        pyproject=PYPROJECT + 'license = { file = "LICENSE" }\n',
        fifos=["LICENSE"],
        error="project.license: LICENSE is a named pipe, not a regular file",
        hint="name a regular file of the project",
    ),
    Case(
        name="tree: requirements file linked from outside",
        pyproject=PYPROJECT
        + 'dynamic = ["dependencies"]\n[tool.ironwheel.metadata.dependencies]\nfile = ["requirements.txt"]\n',
        files={"src/demo/__init__.py": "", "../shared/requirements.txt": "numpy\n"},
        links={"requirements.txt": "{tmp}/shared/requirements.txt"},
        error="tool.ironwheel.metadata.dependencies.file: requirements.txt is a symbolic link to "
        "{tmp}/shared/requirements.txt, outside the project",
        hint=_NAMED_LINK_HINT,
    ),
    Case(
        name="tree: requirements file linked from outside, links allowed",
        pyproject=PYPROJECT
        + 'dynamic = ["dependencies"]\n[tool.ironwheel.metadata.dependencies]\nfile = ["requirements.txt"]\n'
        + "[tool.ironwheel.sdist]\nfollow-external-links = true\n",
        files={"src/demo/__init__.py": "", "../shared/requirements.txt": "numpy\n"},
        links={"requirements.txt": "{tmp}/shared/requirements.txt"},
        hook="sdist",
    ),
    Case(
        name="tree: version file linked from outside",
        pyproject=PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
        + '[tool.ironwheel.metadata.version]\nfile = "src/demo/_version.py"\n',
        files={"src/demo/__init__.py": "", "../shared/_version.py": '__version__ = "2.0"\n'},
        links={"src/demo/_version.py": "{tmp}/shared/_version.py"},
        error="tool.ironwheel.metadata.version.file: src/demo/_version.py is a symbolic link to "
        "{tmp}/shared/_version.py, outside the project",
        hint=_NAMED_LINK_HINT,
    ),
    Case(
        name="tree: readme fragment linked from outside",
        pyproject=PYPROJECT.replace('version = "1.0"\n', 'version = "1.0"\ndynamic = ["readme"]\n')
        + '[tool.ironwheel.metadata.readme]\nfile = ["README.md", "docs/CHANGES.md"]\n',
        files={"src/demo/__init__.py": "", "README.md": "# Demo\n", "../CHANGES.md": "secret\n"},
        links={"docs": "{tmp}"},
        error="tool.ironwheel.metadata.readme.file: docs is a symbolic link to {tmp}, outside the project",
        hint=_NAMED_LINK_HINT,
    ),
    Case(
        name="tree: readme above the project",
        pyproject=PYPROJECT + 'readme = "../README.md"\n',
        files={"src/demo/__init__.py": "", "../README.md": "# Demo\n"},
        error="project.readme: ../README.md is outside the project",
        hint="move the file into the project: the sdist and the wheel carry only what is inside it",
    ),
    # Hostile trees: each ends in an error naming the cause, or a build that is right.
    Case(
        name="hostile: pyproject.toml is a directory",
        pyproject=None,
        files={"pyproject.toml/x": "", "src/demo/__init__.py": ""},
        error="pyproject.toml is a directory",
        hint="make {root}/pyproject.toml a regular file",
    ),
    Case(
        name="hostile: pyproject.toml is a named pipe",
        pyproject=None,
        fifos=["pyproject.toml"],
        error="pyproject.toml is not a regular file",
        hint="make {root}/pyproject.toml a regular file",
    ),
    Case(
        name="hostile: pyproject.toml links out of the project",
        frontend=True,
        pyproject=None,
        files={"src/demo/__init__.py": "", "../elsewhere.toml": PYPROJECT},
        links={"pyproject.toml": "{tmp}/elsewhere.toml"},
        error="pyproject.toml is a symbolic link to {tmp}/elsewhere.toml, outside the project",
        hint=_NAMED_LINK_HINT,
    ),
    Case(
        name="hostile: pyproject.toml of 0 bytes",
        pyproject="",
        error="pyproject.toml has no [project] table",
        hint='add [project] with at least name = "..." and version = "..." '
        "(see https://packaging.python.org/en/latest/specifications/pyproject-toml/)",
    ),
    Case(
        name="hostile: pyproject.toml starting with a BOM",
        pyproject_bytes=b"\xef\xbb\xbf" + PYPROJECT.encode(),
        error="pyproject.toml starts with a byte order mark, which TOML does not allow",
        hint="save pyproject.toml as UTF-8 without a BOM (pip and build refuse it too)",
    ),
    Case(
        name="hostile: pyproject.toml with CRLF line endings builds",
        frontend=True,
        pyproject_bytes=PYPROJECT.replace("\n", "\r\n").encode(),
    ),
    Case(
        name="hostile: pyproject.toml nesting arrays 5000 deep",
        pyproject=PYPROJECT + "x = " + "[" * 5000 + "]" * 5000 + "\n",
        error="pyproject.toml: invalid TOML: arrays or tables nested too deeply to read",
        hint="fix the nesting in {root}/pyproject.toml",
    ),
    Case(
        name="hostile: a file name that is not UTF-8",
        frontend=True,
        files={"src/demo/__init__.py": "", "src/demo/caf\udce9.txt": "x"},
        error="src/demo/caf\\xe9.txt: the file name is not UTF-8",
        hint="rename it: wheels and sdists name their files in UTF-8 (or leave it out with .gitignore or "
        "tool.ironwheel.sdist.exclude)",
    ),
    Case(
        name="hostile: a file name that is not UTF-8 in the sdist",
        hook="sdist",
        files={"src/demo/__init__.py": "", "data/caf\udce9.txt": "x"},
        error="data/caf\\xe9.txt: the file name is not UTF-8",
        hint="rename it: wheels and sdists name their files in UTF-8 (or leave it out with .gitignore or "
        "tool.ironwheel.sdist.exclude)",
    ),
    Case(
        name="hostile: directories nested 600 deep build",
        files={"src/demo/__init__.py": "", "src/demo/" + "a/" * 600 + "x.py": ""},
    ),
    Case(
        name="hostile: wheel.packages is the parent directory",
        pyproject=tool('[tool.ironwheel.wheel]\npackages = [".."]\n'),
        error='tool.ironwheel.wheel.packages[0]: ".." is outside the project',
        hint="ship packages from inside the project",
    ),
    Case(
        name="hostile: wheel.packages is the project",
        pyproject=tool('[tool.ironwheel.wheel]\npackages = ["."]\n'),
        error='tool.ironwheel.wheel.packages[0]: "." is the project directory itself',
        hint='list the package directories inside it, such as "src/<package>"',
    ),
    Case(
        name="hostile: license-files through a directory linked out",
        pyproject=PYPROJECT + 'license-files = ["LICENSES/*"]\n',
        files={"src/demo/__init__.py": "", "../licenses/MIT.txt": "MIT\n"},
        links={"LICENSES": "{tmp}/licenses"},
        error="project.license-files: LICENSES is a symbolic link to {tmp}/licenses, outside the project",
        hint=_NAMED_LINK_HINT,
    ),
    Case(
        # Allowed: nothing of the project is hidden, and the user chose the place.
        name="hostile: build.dir outside the project builds",
        config={"build.dir": "{tmp}/elsewhere/{wheel_tag}"},
    ),
    Case(
        name="hostile: extension sources outside the project",
        pyproject=tool('[tool.ironwheel.extension."demo._core"]\nsources = ["../outside.c"]\n'),
        files={"src/demo/__init__.py": "", "../outside.c": ""},
        error='tool.ironwheel.extension."demo._core".sources[0]: ../outside.c is outside the project',
        hint="move the file into the project: the sdist and the wheel carry only what is inside it",
    ),
    Case(
        name="hostile: extension source linked from outside",
        pyproject=tool('[tool.ironwheel.extension."demo._core"]\nsources = ["src/*.c"]\n'),
        files={"src/demo/__init__.py": "", "../outside.c": ""},
        links={"src/core.c": "{tmp}/outside.c"},
        error='tool.ironwheel.extension."demo._core".sources[0]: src/core.c is a symbolic link to '
        "{tmp}/outside.c, outside the project",
        hint=_NAMED_LINK_HINT,
    ),
    Case(
        name="hostile: generate template-path outside the project",
        frontend=True,
        pyproject=tool(
            '[[tool.ironwheel.generate]]\npath = "demo/_host.py"\ntemplate-path = "/etc/hostname"\n'
        ),
        error="tool.ironwheel.generate[0].template-path: /etc/hostname is outside the project",
        hint="move the file into the project: the sdist and the wheel carry only what is inside it",
    ),
    Case(
        name="hostile: generate writes through a link out",
        pyproject=tool(
            '[[tool.ironwheel.generate]]\npath = "tools/_v.py"\ntemplate = "v = 1"\nlocation = "source"\n'
        ),
        files={"src/demo/__init__.py": "", "../outdir/keep": ""},
        links={"tools": "{tmp}/outdir"},
        error="tool.ironwheel.generate[0].path: tools is a symbolic link to {tmp}/outdir, outside the project",
        hint="remove the link or generate the file elsewhere: nothing is written outside the project, "
        "whatever sdist.follow-external-links allows to be read",
    ),
    Case(
        name="hostile: a project name too long for a file name",
        pyproject=PYPROJECT.replace('name = "demo"', 'name = "' + "d" * 300 + '"'),
        error="cannot access {root}/src/" + "d" * 300 + ": File name too long",
        hint="shorten the name: file systems allow 255 bytes for one name (the project name is part of many)",
    ),
]
