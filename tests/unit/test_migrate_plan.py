"""ironwheel migrate end to end without building: the new pyproject.toml, the report, the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ironwheel import cli
from ironwheel._compat import tomllib
from ironwheel.migrate.plan import plan_migration
from ironwheel.migrate.report import Report


def migrated(project: Callable[[str], Path], name: str) -> tuple[dict[str, Any], Report, str]:
    migration = plan_migration(project(name), run=False)
    return tomllib.loads(migration.new_text), migration.report, migration.new_text


def test_per_platform_flags_become_overrides(project: Callable[[str], Path]) -> None:
    data, _, _ = migrated(project, "migrate_cpp_flags")
    assert data["build-system"] == {"requires": ["ironwheel"], "build-backend": "ironwheel"}
    table = data["tool"]["ironwheel"]["extension"]["cppflags._geometry"]
    assert table == {
        "sources": ["cppflags/geometry.cpp"],
        "binding": "pybind11",
        "cxx-std": 17,
        "libraries": ["m"],
        "compile-args": ["-fno-math-errno"],
        "define-macros": {"CPPFLAGS_PLATFORM": '"linux"'},
    }
    overrides = {
        o["if"]: o["extension"]["cppflags._geometry"] for o in data["tool"]["ironwheel"]["overrides"]
    }
    assert overrides["sys_platform == 'win32'"] == {
        "libraries": [],
        "compile-args": ["/utf-8"],
        "define-macros": {"CPPFLAGS_PLATFORM": '"win32"'},
    }
    assert overrides["sys_platform == 'darwin'"]["compile-args"] == [
        "-fno-math-errno",
        "-mmacosx-version-min=10.14",
    ]
    assert data["project"]["dependencies"] == ["importlib-metadata; python_version < '3.10'"]


def test_optional_speedups_and_their_knob(project: Callable[[str], Path]) -> None:
    data, report, _ = migrated(project, "migrate_optional")
    assert data["tool"]["ironwheel"]["extension"]["speedy._speedups"] == {
        "sources": ["speedy/_speedups.c"],
        "optional": True,
    }
    (knob,) = report.of("knob")
    assert (knob.subject, knob.text) == (
        "$SPEEDY_NO_EXTENSIONS",
        "set, it builds without speedy._speedups (setup.py:38)",
    )
    assert knob.step.startswith("IRONWHEEL_EXTENSION_OPTIONAL=skip")


def test_declarative_setuptools_keeps_other_tables_and_comments(project: Callable[[str], Path]) -> None:
    data, report, text = migrated(project, "migrate_declarative")
    assert text.startswith("# Declarative setuptools: no setup.py at all.\n[build-system]\n")
    assert '[tool.pytest.ini_options]\naddopts = "-ra"  # kept as it is\n' in text
    assert "tool.setuptools" not in text
    assert data["project"]["license"] == "BSD-3-Clause"
    assert data["project"]["classifiers"] == ["Programming Language :: C"]
    assert data["tool"]["ironwheel"]["metadata"] == {"version": {"file": "decl/__init__.py"}}
    assert data["tool"]["ironwheel"]["extension"]["decl._mod"] == {
        "sources": ["decl/_mod.c"],
        "define-macros": {"DECL_SCALE": "10"},
        "py-limited-api": True,
    }
    assert report.of("delete") == []


def test_a_src_layout_with_package_data(project: Callable[[str], Path]) -> None:
    data, _, _ = migrated(project, "migrate_src_layout")
    assert data["project"]["scripts"] == {"srcpkg-hello": "srcpkg.cli:main"}
    assert data["project"]["entry-points"] == {"srcpkg.plugins": {"json": "srcpkg.cli:load"}}
    assert data["tool"]["ironwheel"]["wheel"] == {"exclude": ["*.txt"]}
    assert data["tool"]["ironwheel"]["sdist"] == {"exclude": ["/tests/", "*.tmp"]}


def test_dynamic_metadata_sources(project: Callable[[str], Path]) -> None:
    data, _, _ = migrated(project, "migrate_scm")
    assert data["project"]["dynamic"] == ["version", "readme", "dependencies"]
    assert data["tool"]["ironwheel"]["metadata"] == {
        "version": {"provider": "vcs"},
        "readme": {"file": ["README.rst", "CHANGES.rst"], "content-type": "text/x-rst"},
        "dependencies": {"file": ["requirements.txt"]},
    }
    assert data["tool"]["setuptools_scm"] == {"write_to": "scmpkg/_version.py"}
    assert data["project"]["optional-dependencies"] == {
        "test": ["pytest>=7"],
        "fast": ["uvloop; sys_platform != 'win32'"],
    }


def test_an_in_tree_backend(project: Callable[[str], Path]) -> None:
    data, report, _ = migrated(project, "migrate_in_tree")
    assert "local" not in data["tool"]
    assert data["tool"]["black"] == {"line-length": 100}
    assert data["tool"]["ironwheel"]["extension"]["intree._helpers_c"] == {
        "sources": ["intree/_helpers_c.pyx"],
        "cython-directives": {"embedsignature": True, "cdivision": True},
    }
    assert [item.subject for item in report.of("delete")] == [
        "setup.cfg",
        "setup.py",
        "packaging/pep517_backend",
    ]


def test_a_scikit_build_core_project(project: Callable[[str], Path]) -> None:
    data, report, _ = migrated(project, "migrate_skbuild")
    assert data["build-system"]["requires"] == ["ironwheel", "pybind11"]
    assert "scikit-build" not in data["tool"]
    ironwheel = data["tool"]["ironwheel"]
    assert ironwheel["cmake"] == {"define": {"SKPKG_GREETING": "hello"}}
    assert ironwheel["overrides"] == [
        {"if": "sys_platform == 'win32'", "cmake": {"define": {"SKPKG_GREETING": "hello from windows"}}},
        {
            "if": "python_version >= '3.13'",
            "cmake": {"define": {"SKPKG_GREETING": "hello", "SKPKG_NEW_PYTHON": "ON"}},
        },
    ]
    (knob,) = report.of("knob")
    assert (knob.subject, knob.step) == ("$SKPKG_DEBUG", "-C cmake.build-type=Debug")


def test_the_report_reads_as_sections() -> None:
    report = Report()
    report.converted("version", "1.0 (written statically)", "static")
    report.manual(
        "cmdclass sdist", "CustomSdist (lines 3-9)", "sdist contents: tool.ironwheel.sdist include/exclude"
    )
    report.knob(
        "$PKG_NO_EXT", "set, it builds without pkg._a (setup.py:4)", "IRONWHEEL_EXTENSION_OPTIONAL=skip"
    )
    report.delete("setup.py", "ironwheel does not read it")
    assert report.render() == (
        "Converted:\n"
        "  - version: 1.0 (written statically) [static]\n"
        "\n"
        "Not converted (do this by hand):\n"
        "  - cmdclass sdist: CustomSdist (lines 3-9)\n"
        "      do: sdist contents: tool.ironwheel.sdist include/exclude\n"
        "\n"
        "Build knobs of the old build:\n"
        "  - $PKG_NO_EXT: set, it builds without pkg._a (setup.py:4)\n"
        "      equivalent: IRONWHEEL_EXTENSION_OPTIONAL=skip\n"
        "\n"
        "Files to delete once `ironwheel migrate --check` passes:\n"
        "  - setup.py: ironwheel does not read it\n"
    )


def write_setup(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    (root / "setup.py").write_text("from setuptools import setup\nsetup(name='tiny', version='1.0')\n")
    return root


def test_write_keeps_a_backup_and_never_overwrites_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_setup(tmp_path / "tiny")
    (root / "pyproject.toml").write_text("[tool.black]\nline-length = 1\n")
    assert cli.main(["migrate", "--write", "--no-run", str(root)]) == 0
    assert (root / "pyproject.toml.orig").read_text() == "[tool.black]\nline-length = 1\n"
    assert tomllib.loads((root / "pyproject.toml").read_text())["project"] == {
        "name": "tiny",
        "version": "1.0",
    }
    assert capsys.readouterr().out.startswith(
        f"wrote {root / 'pyproject.toml'} (the old one is pyproject.toml.orig)\n"
    )
    (root / "pyproject.toml").write_text("[tool.black]\nline-length = 2\n")  # the migration undone by hand
    assert cli.main(["migrate", "--write", "--no-run", str(root)]) == 2
    assert (root / "pyproject.toml.orig").read_text() == "[tool.black]\nline-length = 1\n"
    assert capsys.readouterr().err == (
        f"error: {root / 'pyproject.toml.orig'} already exists (the backup of an earlier migrate)\n"
        "hint: move it away or delete it, then run ironwheel migrate --write again\n"
    )


def test_without_flags_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_setup(tmp_path / "tiny")
    assert cli.main(["migrate", "--no-run", str(root)]) == 0
    output = capsys.readouterr()
    assert output.out.startswith('[build-system]\nrequires = ["ironwheel"]\n')
    assert "Files to delete" in output.err
    assert sorted(p.name for p in root.iterdir()) == ["setup.py"]


def test_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_setup(tmp_path / "tiny")
    assert cli.main(["migrate", "--diff", "--no-run", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("--- a/pyproject.toml\n+++ b/pyproject.toml\n")
    assert '+build-backend = "ironwheel"\n' in out


def write(root: Path, text: str) -> Path:
    (root / "pyproject.toml").write_text(text)
    return root


ERRORS: list[tuple[str, Callable[[Path], Path], str]] = [
    (
        "missing directory",
        lambda tmp: tmp / "nope",
        "error: {root} is not a directory\nhint: give the project's directory: ironwheel migrate PATH\n",
    ),
    (
        "nothing to migrate",
        lambda tmp: tmp,
        "error: nothing to migrate in {root}: no setup.py, setup.cfg or pyproject.toml [project]\n"
        "hint: run ironwheel migrate in the directory of a setuptools project\n",
    ),
    (
        "already ironwheel",
        lambda tmp: write(tmp, '[build-system]\nbuild-backend = "ironwheel"\n[project]\nname = "x"\n'),
        "error: this project already builds with ironwheel\nhint: nothing to migrate\n",
    ),
    (
        "broken pyproject.toml",
        lambda tmp: write(tmp, "[project\n"),
        "error: pyproject.toml is not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 9)\n"
        "hint: fix {root}/pyproject.toml first\n",
    ),
]


@pytest.mark.parametrize(("make", "message"), [case[1:] for case in ERRORS], ids=[case[0] for case in ERRORS])
def test_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], Path], message: str
) -> None:
    root = make(tmp_path)
    code = cli.main(["migrate", "--no-run", str(root)])
    assert code == 2
    assert capsys.readouterr().err == message.format(root=root.resolve())


def test_numpy_distutils_fortran_becomes_an_f2py_table(tmp_path: Path) -> None:
    root = tmp_path / "fort"
    (root / "src").mkdir(parents=True)
    for name in ("sig.pyf", "solve.f"):
        (root / "src" / name).write_text("")
    (root / "setup.py").write_text(
        "from numpy.distutils.core import setup, Extension\n"
        "ext = Extension(name='_solve', sources=['src/sig.pyf', 'src/solve.f'], extra_f77_compile_args=['-O2'])\n"
        "setup(name='fort', version='1.0', ext_modules=[ext])\n"
    )
    migration = plan_migration(root, run=False)
    data = tomllib.loads(migration.new_text)
    assert data["tool"]["ironwheel"]["extension"]["_solve"] == {
        "sources": ["src/sig.pyf", "src/solve.f"],
        "fortran-args": ["-O2", "-fallow-argument-mismatch"],
    }
    assert [(item.subject, item.step) for item in migration.report.of("manual")] == [
        ("dependencies", 'add "numpy" to project.dependencies')
    ]


def test_existing_ironwheel_settings_win(tmp_path: Path) -> None:
    root = write_setup(tmp_path / "tiny")
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
        "[tool.ironwheel.build]\njobs = 2\n"
    )
    data = tomllib.loads(plan_migration(root, run=False).new_text)
    assert data["tool"]["ironwheel"] == {"build": {"jobs": 2}}


def test_generated_c_stays_out_even_where_manifest_in_includes_it(tmp_path: Path) -> None:
    root = tmp_path / "gen"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "_fast.pyx").write_text("")
    (root / "pkg" / "_fast.c").write_text("/* Generated by Cython 3.0.0 */\n")
    (root / "pkg" / "helper.c").write_text("")
    (root / "MANIFEST.in").write_text("recursive-include pkg *.c *.pyx\n")
    (root / "setup.py").write_text(
        "from setuptools import setup, Extension\n"
        "setup(name='gen', version='1', packages=['pkg'],\n"
        "      ext_modules=[Extension('pkg._fast', ['pkg/_fast.c', 'pkg/helper.c'])])\n"
    )
    data = tomllib.loads(plan_migration(root, run=False).new_text)
    assert data["tool"]["ironwheel"]["extension"]["pkg._fast"] == {
        "sources": ["pkg/_fast.pyx", "pkg/helper.c"]
    }
    assert data["tool"]["ironwheel"]["sdist"] == {"exclude": ["/pkg/_fast.c"]}


@pytest.mark.parametrize(
    ("author", "email", "expected"),
    [
        ("Ann", "ann@example.org", [{"name": "Ann", "email": "ann@example.org"}]),
        (
            "Ann, Bob",
            "ann@example.org, bob@example.org",
            [{"name": "Ann", "email": "ann@example.org"}, {"name": "Bob", "email": "bob@example.org"}],
        ),
        (
            "aiohttp team <team@aiohttp.org>",
            "team@aiohttp.org",
            [{"name": "aiohttp team", "email": "team@aiohttp.org"}],
        ),
        (None, "a@example.org, b@example.org", [{"email": "a@example.org"}, {"email": "b@example.org"}]),
    ],
)
def test_authors(tmp_path: Path, author: str | None, email: str, expected: list[dict[str, str]]) -> None:
    root = tmp_path / "people"
    root.mkdir()
    (root / "setup.py").write_text(
        f"from setuptools import setup\nsetup(name='p', version='1', author={author!r}, author_email={email!r})\n"
    )
    assert tomllib.loads(plan_migration(root, run=False).new_text)["project"]["authors"] == expected


def test_setup_cfg_alone_and_ext_package(tmp_path: Path) -> None:
    root = tmp_path / "cfg"
    (root / "src" / "cfgpkg").mkdir(parents=True)
    (root / "src" / "cfgpkg" / "__init__.py").write_text('__version__ = "0.3"\n')
    (root / "src" / "cfgpkg" / "_x.c").write_text("")
    (root / "README.md").write_text("# cfgpkg\n")
    (root / "setup.cfg").write_text(
        "[metadata]\nname = cfgpkg\nversion = attr: cfgpkg.__version__\nlong_description = file: README.md\n"
        "long_description_content_type = text/markdown\nproject_urls =\n    Source = https://example.org/src\n\n"
        "[options]\npackage_dir =\n    =src\npackages = find:\ninstall_requires =\n    attrs>=22\n"
        "\n[options.packages.find]\nwhere = src\n\n[options.entry_points]\nconsole_scripts =\n    cfgpkg = cfgpkg:main\n"
    )
    (root / "setup.py").write_text(
        "from setuptools import setup, Extension\nsetup(ext_package='cfgpkg', ext_modules=[Extension('_x', ['src/cfgpkg/_x.c'])])\n"
    )
    migration = plan_migration(root, run=False)
    data = tomllib.loads(migration.new_text)
    assert data["project"] == {
        "name": "cfgpkg",
        "dynamic": ["version"],
        "readme": "README.md",
        "urls": {"Source": "https://example.org/src"},
        "dependencies": ["attrs>=22"],
        "scripts": {"cfgpkg": "cfgpkg:main"},
    }
    assert data["tool"]["ironwheel"]["metadata"] == {"version": {"file": "src/cfgpkg/__init__.py"}}
    assert list(data["tool"]["ironwheel"]["extension"]) == ["cfgpkg._x"]
    assert [item.subject for item in migration.report.of("delete")] == ["setup.py", "setup.cfg"]


def _setup_project(root: Path, setup: str, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    (root / "setup.py").write_text(setup)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(
    ("imports", "call", "module"),
    [
        ("import cppy", "cppy.get_include()", "cppy"),
        ("from cppy import get_include", "get_include()", "cppy"),
        ("import cppy as c", "c.get_include()", "cppy"),
        ("import pythran, cppy", "pythran.get_include()", "pythran"),
        ("import mylib.headers", "mylib.headers.get_include()", "mylib.headers"),
    ],
)
def test_a_build_requirement_s_get_include_becomes_include_packages(
    tmp_path: Path, imports: str, call: str, module: str
) -> None:
    setup = (
        f"{imports}\nfrom setuptools import Extension, setup\n"
        f"setup(name='h', version='1', ext_modules=[Extension('h._m', ['m.c'], include_dirs=['inc', {call}])])\n"
    )
    root = _setup_project(tmp_path / "h", setup, {"m.c": "", "inc/h.h": ""})
    migration = plan_migration(root, run=False)
    table = tomllib.loads(migration.new_text)["tool"]["ironwheel"]["extension"]["h._m"]
    assert table == {"sources": ["m.c"], "include-dirs": ["inc"], "include-packages": [module]}
    assert migration.report.of("manual") == []


def test_the_recorder_s_marker_of_a_package_include_reads_back() -> None:
    from ironwheel.migrate import values as v
    from ironwheel.migrate.runner import _value

    read = _value({"include_dirs": ["__ironwheel_include__:cppy", "inc"]})
    assert read["include_dirs"] == ["__ironwheel_include__:cppy", "inc"]
    assert isinstance(read["include_dirs"][0], v.PackageInclude)
    assert read["include_dirs"][0].module == "cppy"


def test_cppy_s_build_ext_gives_its_headers_and_cxx11(tmp_path: Path) -> None:
    setup = (
        "from cppy import CppyBuildExt\nfrom setuptools import Extension, setup\n"
        "setup(name='k', version='1', cmdclass={'build_ext': CppyBuildExt}, ext_modules=["
        "Extension('k._cpp', ['a.cpp']), Extension('k._c', ['b.c'])])\n"
    )
    root = _setup_project(tmp_path / "k", setup, {"a.cpp": "", "b.c": ""})
    migration = plan_migration(root, run=False)
    tables = tomllib.loads(migration.new_text)["tool"]["ironwheel"]["extension"]
    assert tables == {
        "k._cpp": {"sources": ["a.cpp"], "include-packages": ["cppy"], "cxx-std": 11},
        "k._c": {"sources": ["b.c"], "include-packages": ["cppy"]},
    }
    converted = [(item.subject, item.text) for item in migration.report.of("converted")]
    assert converted[1] == (
        "cmdclass build_ext",
        'cppy\'s build_ext (cppy.CppyBuildExt) -> include-packages = ["cppy"], cxx-std = 11 (C++ modules) '
        "in the extension tables",
    )
    assert migration.report.of("manual") == []


CMAKELISTS = "cmake_minimum_required(VERSION 3.18)\nproject(lib CXX)\n"


@pytest.mark.parametrize(
    ("setup", "cmake"),
    [
        # A setup.py that never runs CMake: the CMakeLists.txt is the C++ library's own build.
        ("from setuptools import Extension, setup\nsetup(name='c', version='1', ext_modules=[EXT])\n", False),
        # One that does (the CMakeBuild idiom, a "cmake" command): the CMakeLists.txt may be the build.
        (
            "import subprocess\nfrom setuptools import Extension, setup\n"
            "def build(): subprocess.check_call(['cmake', '--build', '.'])\n"
            "setup(name='c', version='1', ext_modules=[EXT])\n",
            None,
        ),
        (
            "from setuptools import Extension, setup\nfrom setuptools.command.build_ext import build_ext\n"
            "class CMakeBuild(build_ext):\n    pass\n"
            "setup(name='c', version='1', ext_modules=[EXT], cmdclass={'build_ext': CMakeBuild})\n",
            None,
        ),
    ],
    ids=["unused", "cmake command", "CMakeBuild"],
)
def test_a_cmakelists_the_setuptools_build_never_ran_is_left_out(
    tmp_path: Path, setup: str, cmake: bool | None
) -> None:
    text = setup.replace("EXT", "Extension('c._m', ['m.c'])")
    root = _setup_project(tmp_path / "c", text, {"m.c": "", "CMakeLists.txt": CMAKELISTS})
    migration = plan_migration(root, run=False)
    ironwheel = tomllib.loads(migration.new_text)["tool"]["ironwheel"]
    assert ironwheel.get("wheel", {}).get("cmake") == cmake
    manual = [item.subject for item in migration.report.of("manual")]
    assert ("CMakeLists.txt" in manual) == (cmake is None)
