"""Bad input: TOML syntax, every settings type, unknown keys, -C, IRONWHEEL_* and overrides."""

from __future__ import annotations

from tests.catalogue.harness import Case, tool

_BUILD_DIR_HINT = 'use a directory of its own, such as "build/{wheel_tag}" (the default)'

CASES: list[Case] = [
    Case(
        name="toml: unclosed string",
        pyproject='[project]\nname = "demo\nversion = "1.0"\n',
        error="pyproject.toml:2:13: invalid TOML: Illegal character '\\n'",
        hint="fix the syntax at line 2, column 13 of {root}/pyproject.toml",
    ),
    Case(
        name="toml: duplicate key",
        pyproject='[project]\nname = "demo"\nname = "again"\nversion = "1.0"\n',
        error="pyproject.toml:3:15: invalid TOML: Cannot overwrite a value",
        hint="fix the syntax at line 3, column 15 of {root}/pyproject.toml",
    ),
    Case(
        name="toml: not UTF-8",
        pyproject_bytes=b'[project]\nname = "d\xe9mo"\n',
        error="pyproject.toml is not UTF-8 (byte 19 cannot be decoded)",
        hint="save pyproject.toml as UTF-8",
    ),
    Case(
        name="toml: no [project] table",
        pyproject='[build-system]\nrequires = ["ironwheel"]\n',
        error="pyproject.toml has no [project] table",
        hint='add [project] with at least name = "..." and version = "..." (see https://packaging.python.org/en/latest/specifications/pyproject-toml/)',
    ),
    Case(
        name="toml: project is a string",
        pyproject='project = "demo"\n',
        error="pyproject.toml: project must be a table, not str",
        hint="write it as a [project] table",
    ),
    Case(
        name="toml: table redefined",
        pyproject='[project]\nname = "demo"\nversion = "1.0"\n[project]\n',
        error="pyproject.toml:4:9: invalid TOML: Cannot declare ('project',) twice",
        hint="fix the syntax at line 4, column 9 of {root}/pyproject.toml",
    ),
    Case(
        name="toml: bad inline table",
        pyproject='[project]\nname = "demo"\nversion = "1.0"\n[tool.ironwheel]\ncmake = { build-type = "Debug", }\n',
        error="pyproject.toml:5:33: invalid TOML: Invalid initial character for a key part",
        hint="fix the syntax at line 5, column 33 of {root}/pyproject.toml",
    ),
    Case(
        name="bool: string",
        pyproject=tool('[tool.ironwheel.build]\nverbose = "yes"\n'),
        error='tool.ironwheel.build.verbose: expected true or false, got "yes" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="bool: integer",
        pyproject=tool("[tool.ironwheel.wheel]\ncmake = 0\n"),
        error="tool.ironwheel.wheel.cmake: expected true or false, got 0 (an integer)",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="int: string",
        pyproject=tool('[tool.ironwheel.build]\njobs = "4"\n'),
        error='tool.ironwheel.build.jobs: expected an integer, got "4" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="int: float",
        pyproject=tool("[tool.ironwheel.build]\njobs = 2.5\n"),
        error="tool.ironwheel.build.jobs: expected an integer, got 2.5 (a number)",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="int: boolean",
        pyproject=tool("[tool.ironwheel.build]\njobs = true\n"),
        error="tool.ironwheel.build.jobs: expected an integer, got true (a boolean)",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="int: negative",
        pyproject=tool("[tool.ironwheel.build]\njobs = -1\n"),
        error="tool.ironwheel.build.jobs: expected 0 (all cores) or a positive number, got -1",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="list: a string",
        pyproject=tool('[tool.ironwheel.sdist]\nexclude = "docs/"\n'),
        error='tool.ironwheel.sdist.exclude: expected an array of strings, got "docs/" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="list: a table inside",
        pyproject=tool('[tool.ironwheel.wheel]\npackages = [{ path = "src/demo" }]\n'),
        error="tool.ironwheel.wheel.packages: expected an array of strings, got one holding a table",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="enum: unknown repair mode",
        pyproject=tool('[tool.ironwheel.repair]\nmode = "always"\n'),
        error='tool.ironwheel.repair.mode: expected one of "auto", "on", "check", "off", got "always" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="enum: generate location",
        pyproject=tool('[[tool.ironwheel.generate]]\npath = "demo/_v.py"\nlocation = "wheel"\n'),
        error='tool.ironwheel.generate[0].location: expected one of "install", "build", "source", got "wheel" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="table: define as array",
        pyproject=tool('[tool.ironwheel.cmake]\ndefine = ["A=1"]\n'),
        error="tool.ironwheel.cmake.define: expected a table, got an array",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="table: section as array",
        pyproject=tool('[tool.ironwheel]\nbuild = ["dir"]\n'),
        error="tool.ironwheel.build: expected a table, got an array",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="table: extension not a table",
        pyproject=tool('[tool.ironwheel.extension]\n"demo._core" = "src/core.c"\n'),
        error='tool.ironwheel.extension."demo._core": expected a table, got "src/core.c" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="table: extension without sources",
        pyproject=tool('[tool.ironwheel.extension."demo._core"]\nsources = []\n'),
        error='tool.ironwheel.extension."demo._core".sources: expected at least one source file',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="table: bad macro name",
        pyproject=tool(
            '[tool.ironwheel.extension."demo._core"]\nsources = ["src/core.c"]\ndefine-macros = { "1BAD" = 1 }\n'
        ),
        error='tool.ironwheel.extension."demo._core".define-macros: "1BAD" is not a C macro name',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="table: include-packages entry not a module name",
        pyproject=tool(
            '[tool.ironwheel.extension."demo._core"]\nsources = ["src/core.c"]\n'
            'include-packages = ["cppy>=1.3"]\n'
        ),
        error='tool.ironwheel.extension."demo._core".include-packages: "cppy>=1.3" is not a module name, '
        'or a module:function (e.g. "cppy", "nanobind:include_dir")',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="generate: array entry not a table",
        pyproject=tool('[tool.ironwheel]\ngenerate = ["x"]\n'),
        error='tool.ironwheel.generate[0]: expected a table, got "x" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="generate: path outside the wheel",
        pyproject=tool('[[tool.ironwheel.generate]]\npath = "../evil.py"\ntemplate = "x"\n'),
        error='tool.ironwheel.generate[0].path: expected a path inside the wheel, such as "mypkg", got "../evil.py"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="string: regex invalid",
        pyproject=tool('[tool.ironwheel.metadata.version]\nregex = "(unclosed"\n'),
        error="tool.ironwheel.metadata.version.regex: not a valid regular expression: missing ), unterminated subpattern at position 0",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="string: install-dir absolute",
        pyproject=tool('[tool.ironwheel.wheel]\ninstall-dir = "/usr/lib"\n'),
        error='tool.ironwheel.wheel.install-dir: expected a path inside the wheel, such as "mypkg", got "/usr/lib"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="string: manylinux policy",
        pyproject=tool('[tool.ironwheel.repair]\nmanylinux = "manylinux_x"\n'),
        error='tool.ironwheel.repair.manylinux: expected "auto" or a policy such as "manylinux_2_28" or "musllinux_1_2", got "manylinux_x"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="list: macos arch",
        pyproject=tool('[tool.ironwheel.repair]\nmacos-archs = ["ppc"]\n'),
        error='tool.ironwheel.repair.macos-archs: unknown architecture "ppc" (known: "arm64", "x86_64", "universal2", "intel", "i386")',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="string: launcher padded",
        pyproject=tool('[tool.ironwheel.build]\ncompiler-launcher = " ccache"\n'),
        error='tool.ironwheel.build.compiler-launcher: expected "auto", "none" or a program such as "ccache", got " ccache"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="string: minimum-version invalid",
        pyproject=tool('[tool.ironwheel]\nminimum-version = "one"\n'),
        error='tool.ironwheel.minimum-version: expected a version such as "0.1", got "one"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="unknown: top-level typo",
        pyproject=tool("[tool.ironwheel]\nwheels = {}\n"),
        error="tool.ironwheel.wheels: unknown key",
        hint="did you mean tool.ironwheel.wheel?",
    ),
    Case(
        name="unknown: nested typo",
        pyproject=tool('[tool.ironwheel.sdist]\nexcludes = ["x"]\n'),
        error="tool.ironwheel.sdist.excludes: unknown key",
        hint="did you mean tool.ironwheel.sdist.exclude?",
    ),
    Case(
        name="unknown: key in the wrong table",
        pyproject=tool("[tool.ironwheel]\njobs = 2\n"),
        error="tool.ironwheel.jobs: unknown key",
        hint="did you mean tool.ironwheel.build.jobs?",
    ),
    Case(
        name="unknown: in an extension table",
        pyproject=tool(
            '[tool.ironwheel.extension."demo._core"]\nsources = ["src/core.c"]\ninclude-dir = ["inc"]\n'
        ),
        error='tool.ironwheel.extension."demo._core".include-dir: unknown key',
        hint='did you mean tool.ironwheel.extension."demo._core".include-dirs?',
    ),
    Case(
        name="unknown: follow-links spelled wrong",
        pyproject=tool("[tool.ironwheel.sdist]\nfollow-links = true\n"),
        error="tool.ironwheel.sdist.follow-links: unknown key",
        hint="did you mean tool.ironwheel.sdist.follow-external-links?",
    ),
    Case(
        name="-C: unknown key",
        frontend=True,
        config={"wheel.packges": "src/demo"},
        error="-C wheel.packges: unknown setting",
        hint="did you mean -C wheel.packages?",
    ),
    Case(
        name="-C: underscore spelling of an unknown key",
        config={"build.job": "2"},
        error="-C build.job: unknown setting",
        hint="did you mean -C build.jobs?",
    ),
    Case(
        name="-C: bad integer",
        config={"build.jobs": "two"},
        error='-C build.jobs: expected an integer, got "two"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="-C: bad enum",
        config={"repair.mode": "maybe"},
        error='-C repair.mode: expected one of "auto", "on", "check", "off", got "maybe" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="-C: table",
        config={"repair": "on"},
        error="-C repair: names a table, not a setting",
        hint="set one of its keys, e.g. -C repair.mode=...",
    ),
    Case(
        name="-C: extension table",
        config={"extension.demo._core.sources": "a.c"},
        error="-C extension.demo._core.sources: extension tables cannot be set with -C",
        hint="set them in pyproject.toml, or in [[tool.ironwheel.overrides]]",
    ),
    Case(
        name="-C: key of a string list too deep",
        config={"wheel.packages.x": "a"},
        error="-C wheel.packages.x: unknown setting",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="-C: dotted define without value",
        config={"cmake.define": "FOO"},
        error='-C cmake.define: expected NAME=VALUE pairs separated by ";", got "FOO"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="-C: boolean twice",
        config={"wheel.cmake": ["true", "false"]},
        error="-C wheel.cmake: given more than once",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="-C: no value",
        config={"build.verbose": None},
        error="-C build.verbose: needs a value",
        hint="write -C build.verbose=VALUE",
    ),
    Case(
        name="env: bad boolean",
        env={"IRONWHEEL_EDITABLE_REBUILD": "sometimes"},
        error='IRONWHEEL_EDITABLE_REBUILD: expected true or false, got "sometimes"',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="env: bad enum",
        frontend=True,
        env={"IRONWHEEL_REPAIR_MODE": "yes"},
        error='IRONWHEEL_REPAIR_MODE: expected one of "auto", "on", "check", "off", got "yes" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="env: bad build dir",
        env={"IRONWHEEL_BUILD_DIR": "build/{python}"},
        error='IRONWHEEL_BUILD_DIR: unknown placeholder "{python}" (known: {wheel_tag}, {build_type})',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="env: build dir is the project",
        env={"IRONWHEEL_BUILD_DIR": "."},
        error='IRONWHEEL_BUILD_DIR: "." is the project directory or contains it',
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="-C: build dir is the project",
        frontend=True,
        config={"build.dir": "."},
        error='-C build.dir: "." is the project directory or contains it',
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="override: build dir inside a package",
        pyproject=tool(
            "[[tool.ironwheel.overrides]]\nif = \"os_name != 'nt' or os_name == 'nt'\"\nbuild.dir = \"src/demo/b\"\n"
        ),
        error='tool.ironwheel.overrides[0].build.dir: "src/demo/b" is inside the package directory src/demo, '
        "whose files it would hide",
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="-C: cmake.source-dir without CMakeLists",
        config={"cmake.source-dir": "native"},
        files={"src/demo/__init__.py": "", "native/x.c": ""},
        error='-C cmake.source-dir: no CMakeLists.txt in "native"',
        hint="point it at the directory holding the top-level CMakeLists.txt",
    ),
    Case(
        name="env: wheel.packages missing",
        env={"IRONWHEEL_WHEEL_PACKAGES": "src/missing"},
        error='IRONWHEEL_WHEEL_PACKAGES[0]: "src/missing" does not exist',
        hint="list package directories or .py modules relative to the project root",
    ),
    Case(
        name="build.dir: inside a package",
        frontend=True,
        config={"build.dir": "src/demo/build/{wheel_tag}"},
        error='-C build.dir: "src/demo/build/{wheel_tag}" is inside the package directory src/demo, '
        "whose files it would hide",
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="build.dir: holds a package",
        pyproject=tool('[tool.ironwheel.build]\ndir = "src"\n'),
        error='tool.ironwheel.build.dir: "src" contains the package directory src/demo, whose files it would hide',
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="build.dir: inside an extension's sources",
        pyproject=tool(
            '[tool.ironwheel.build]\ndir = "csrc/out"\n[tool.ironwheel.extension."demo._core"]\nsources = ["csrc/*.c"]\n'
        ),
        files={"src/demo/__init__.py": "", "csrc/core.c": ""},
        error='tool.ironwheel.build.dir: "csrc/out" is inside the sources of '
        '[tool.ironwheel.extension."demo._core"] csrc, whose files it would hide',
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="build.dir: inside cmake.source-dir",
        pyproject=tool(
            '[tool.ironwheel.build]\ndir = "native/build"\n[tool.ironwheel.cmake]\nsource-dir = "native"\n'
        ),
        files={"src/demo/__init__.py": "", "native/CMakeLists.txt": ""},
        error='tool.ironwheel.build.dir: "native/build" is inside cmake.source-dir native, whose files it would hide',
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="build.dir: the project itself",
        pyproject=tool('[tool.ironwheel.build]\ndir = "."\n'),
        error='tool.ironwheel.build.dir: "." is the project directory or contains it',
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="build.dir: above the project",
        pyproject=tool('[tool.ironwheel.build]\ndir = ".."\n'),
        error='tool.ironwheel.build.dir: ".." is the project directory or contains it',
        hint=_BUILD_DIR_HINT,
    ),
    Case(
        name="build.dir: sources an earlier build marked warn",
        files={
            "src/demo/__init__.py": "",
            "src/.gitignore": "# Created by ironwheel.\n*\n",
            "src/CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This directory is a build directory created by ironwheel.\n",
        },
        warnings=(
            "src is marked as an ironwheel build directory (src/CACHEDIR.TAG), so wheels and sdists leave out "
            "its files: an earlier build had build.dir there; delete src/CACHEDIR.TAG, src/.ironwheel and "
            "CMake's files in it (CMakeCache.txt, CMakeFiles), and src/.gitignore if it starts with "
            '"# Created by ironwheel."',
        ),
    ),
    Case(
        name="env: unknown variable warns and builds",
        env={"IRONWHEEL_WHEEL_PYAPI": "cp39"},
        warnings=("ignoring IRONWHEEL_WHEEL_PYAPI: no such setting (did you mean IRONWHEEL_WHEEL_PY_API?)",),
    ),
    Case(
        name="override: bad marker",
        frontend=True,
        pyproject=tool("[[tool.ironwheel.overrides]]\nif = \"python_version >> '3.9'\"\nbuild.jobs = 1\n"),
        error="tool.ironwheel.overrides[0].if: invalid marker \"python_version >> '3.9'\": Expected a marker variable or quoted string",
        hint="write a PEP 508 marker such as \"sys_platform == 'win32'\"; its variables are os_name, sys_platform, platform_machine, platform_system, platform_release, python_version, python_full_version, implementation_name and platform_python_implementation",
    ),
    Case(
        name="override: unknown marker variable",
        pyproject=tool(
            "[[tool.ironwheel.overrides]]\nif = \"os_name == 'nt' and compiler == 'msvc'\"\nbuild.jobs = 1\n"
        ),
        error="tool.ironwheel.overrides[0].if: invalid marker \"os_name == 'nt' and compiler == 'msvc'\": Expected a marker variable or quoted string",
        hint="write a PEP 508 marker such as \"sys_platform == 'win32'\"; its variables are os_name, sys_platform, platform_machine, platform_system, platform_release, python_version, python_full_version, implementation_name and platform_python_implementation",
    ),
    Case(
        name="override: if is a table",
        pyproject=tool('[[tool.ironwheel.overrides]]\nif = { platform = "linux" }\nbuild.jobs = 1\n'),
        error="tool.ironwheel.overrides[0].if: expected a string",
        hint="give a PEP 508 marker, e.g. if = \"sys_platform == 'win32'\"",
    ),
    Case(
        name="override: minimum-version",
        pyproject=tool(
            '[[tool.ironwheel.overrides]]\nif = "sys_platform == \'linux\'"\nminimum-version = "0.1"\n'
        ),
        error="tool.ironwheel.overrides[0].minimum-version: cannot be overridden",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="override: entry is a string",
        pyproject=tool("[tool.ironwheel]\noverrides = [\"sys_platform == 'linux'\"]\n"),
        error="tool.ironwheel.overrides[0]: expected a table, got str",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="override: bad value in a non-matching override",
        pyproject=tool(
            '[[tool.ironwheel.overrides]]\nif = "sys_platform == \'win32\'"\nbuild.jobs = "all"\n'
        ),
        error='tool.ironwheel.overrides[0].build.jobs: expected an integer, got "all" (a string)',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="several problems at once",
        pyproject=tool('[tool.ironwheel.build]\njobs = "x"\nverbose = 3\n'),
        error="2 problems with the build settings:",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        # Control characters from the input are escaped: they cannot forge a line or drive the terminal.
        name="-C: key with a newline and an escape sequence",
        config={"x\nhint: all is well\x1b[2J": "1"},
        error="-C x\\nhint: all is well\\x1b[2J: unknown setting",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    # Hostile settings.
    Case(
        name="hostile: -C key with non-ASCII letters",
        config={"b\u00fcild.dir": "x"},
        error="-C b\u00fcild.dir: unknown setting",
        hint="did you mean -C build.dir?",
    ),
    Case(
        name="hostile: 3000 -C settings build",
        config={f"cmake.define.V{index}": str(index) for index in range(3000)},
    ),
    Case(
        name="hostile: IRONWHEEL_ variable with an empty value",
        env={"IRONWHEEL_BUILD_JOBS": ""},
        error='IRONWHEEL_BUILD_JOBS: expected an integer, got ""',
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="hostile: cmake.define with a line break",
        frontend=True,
        config={"cmake.define.FOO": 'a")\nfile(WRITE /tmp/x "")\nset(B "'},
        error="-C cmake.define.FOO: a CMake cache value cannot hold a line break (CMake would cut it at the first one)",
        hint="python -m ironwheel config --schema lists every setting",
    ),
    Case(
        name="hostile: cmake.args sets the install prefix",
        pyproject=tool('[tool.ironwheel.cmake]\nargs = ["-D", "CMAKE_INSTALL_PREFIX=/"]\n'),
        error='tool.ironwheel.cmake.args: "-D CMAKE_INSTALL_PREFIX=/" is not allowed: the wheel decides where '
        "files go (wheel.install-dir chooses a directory in it)",
        hint="python -m ironwheel config --schema lists every setting",
    ),
]
