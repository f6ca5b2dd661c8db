"""Bad input: sources and trees (links out, secrets, odd names that must work)."""

from __future__ import annotations

from tests.catalogue.harness import PYPROJECT, Case, tool

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
        error="README.md is a symbolic link to /etc/hostname, outside the project",
        hint="remove the link, or leave it out with tool.ironwheel.sdist.exclude; to pack what it points to, set tool.ironwheel.sdist.follow-external-links = true",
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
        name="tree: readme above the project",
        pyproject=PYPROJECT + 'readme = "../README.md"\n',
        files={"src/demo/__init__.py": "", "../README.md": "# Demo\n"},
        error="../README.md is outside the project",
        hint="move the file into the project: the sdist and the wheel carry only what is inside it",
    ),
]
