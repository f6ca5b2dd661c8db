"""ironwheel migrate on further shapes of real setup.py projects, each in a minimal made-up form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ironwheel import cli
from ironwheel._compat import tomllib
from ironwheel.migrate.plan import plan_migration
from ironwheel.project.metadata import draft_license_files


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def migrated(root: Path) -> dict[str, Any]:
    return tomllib.loads(plan_migration(root, run=False).new_text)


def test_a_readme_without_a_suffix_names_its_type(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "plain",
        {
            "README": "plain words\n",
            "setup.py": "from setuptools import setup\n"
            "setup(name='plain', version='1', long_description=open('README').read())\n",
        },
    )
    assert migrated(root)["project"]["readme"] == {"file": "README", "content-type": "text/x-rst"}


def test_an_extension_appended_with_a_probed_value_is_kept(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "probed",
        {
            "pkg/__init__.py": "",
            "pkg/fast.pyx": "",
            "setup.py": "import sysconfig\nfrom setuptools import Extension, setup\n"
            "modules = []\n"
            "for name in ['pkg.fast']:\n"
            "    modules.append(Extension(name, [name.replace('.', '/') + '.pyx'],\n"
            "                   include_dirs=[sysconfig.get_path('include')], language='c++'))\n"
            "setup(name='probed', version='1', ext_modules=modules)\n",
        },
    )
    assert migrated(root)["tool"]["ironwheel"]["extension"] == {
        "pkg.fast": {"sources": ["pkg/fast.pyx"], "language": "c++"}
    }


def test_requirements_on_one_continuation_line_keep_their_commas(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "cfgreq",
        {
            "setup.cfg": "[metadata]\nname = cfgreq\nversion = 1\n\n[options]\n"
            "install_requires =\n    catalog>=2.0.3,<2.1.0\nsetup_requires = a>=1,<2; b\n"
            "[options.extras_require]\nfast =\n    speedy>=1,<3\n",
            "setup.py": "from setuptools import setup\nsetup()\n",
        },
    )
    project = migrated(root)["project"]
    assert project["dependencies"] == ["catalog>=2.0.3,<2.1.0"]
    assert project["optional-dependencies"] == {"fast": ["speedy>=1,<3"]}


def test_no_entry_points_and_a_package_directory_that_is_not_there(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "flat",
        {
            "__init__.py": "",
            "_flat.c": "",
            "setup.py": "from setuptools import setup, Extension\n"
            "setup(name='flat.clib', version='1', entry_points=None, packages=['flat.clib'],\n"
            "      package_dir={'flat.clib': '.'}, ext_modules=[Extension('_flat', ['_flat.c'])])\n",
        },
    )
    migration = plan_migration(root, run=False)
    data = tomllib.loads(migration.new_text)
    assert "wheel" not in data["tool"]["ironwheel"]
    assert "scripts" not in data["project"]
    assert [(item.subject, item.text) for item in migration.report.of("manual")] == [
        ("packages", "not found: flat (flat)")
    ]


def test_license_classifiers_go_beside_an_spdx_license(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "spdx",
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "spdx"\nversion = "1"\nlicense = "MIT"\n'
            'classifiers = ["License :: OSI Approved :: MIT License", "Typing :: Typed"]\n',
            "setup.py": "from setuptools import setup\nsetup()\n",
        },
    )
    assert migrated(root)["project"]["classifiers"] == ["Typing :: Typed"]


@pytest.mark.parametrize(
    ("backend", "requires"),
    [("hatchling.build", "hatchling"), ("mesonpy", "meson-python"), ("maturin", "maturin")],
)
def test_a_backend_that_does_not_run_setuptools_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str, requires: str
) -> None:
    root = tree(
        tmp_path / "other",
        {
            "pyproject.toml": f'[build-system]\nrequires = ["{requires}"]\nbuild-backend = "{backend}"\n\n'
            '[project]\nname = "other"\nversion = "1"\n',
        },
    )
    assert cli.main(["migrate", "--no-run", str(root)]) == 2
    assert capsys.readouterr().err == (
        f'error: pyproject.toml: build-backend = "{backend}" is not one migrate converts (it converts '
        "setuptools, pdm-backend, scikit-build-core and in-tree backends over setuptools)\n"
        "hint: port its build by hand: [tool.ironwheel.extension.*] tables or a CMakeLists.txt "
        "(docs/porting.md)\n"
    )
    assert not (root / "pyproject.toml.orig").exists()


def test_build_clib_libraries_are_compiled_into_each_extension(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "clib",
        {
            "vendor/lib/a.cc": "",
            "vendor/lib/sub/b.cc": "",
            "vendor/include/v.h": "",
            "src/mod.pyx": "",
            "setup.py": "import itertools\nfrom pathlib import Path\nfrom setuptools import Extension, setup\n"
            "LIB = Path('vendor/lib')\n"
            "FILES = ['*.cc', 'sub/*.cc']\n"
            "FILES[:] = map(str, itertools.chain(*(LIB.glob(p) for p in FILES)))\n"
            "setup(name='clib', version='1',\n"
            "      libraries=[('vendored', {'sources': FILES, 'include_dirs': ['vendor/include'],\n"
            "                               'macros': [('V_STATIC', '1')]})],\n"
            "      ext_modules=[Extension('mod', ['src/mod.pyx'], language='c++')])\n",
        },
    )
    migration = plan_migration(root, run=False)
    assert tomllib.loads(migration.new_text)["tool"]["ironwheel"]["extension"]["mod"] == {
        "sources": ["src/mod.pyx", "vendor/lib/a.cc", "vendor/lib/sub/b.cc"],
        "include-dirs": ["vendor/include"],
        "define-macros": {"V_STATIC": "1"},
        "language": "c++",
    }
    assert migration.report.of("manual") == []


def test_cffi_and_rust_modules_are_reported(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "foreign",
        {
            "setup.py": "from setuptools import setup\n"
            "setup(name='foreign', version='1', cffi_modules=['build_ffi.py:ffi'], rust_extensions=[1])\n",
        },
    )
    manual = plan_migration(root, run=False).report.of("manual")
    assert [item.subject for item in manual] == ["cffi_modules", "rust_extensions"]


_BUNDLING_BUILD_EXT = """\
import os, sys
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

class Options:
    def flags(self):
        chosen = {"msvc": ["/O2"]}.get(self.compiler.compiler_type, ["-O3"])
        for ext in self.extensions:
            ext.extra_compile_args = chosen

class Build(build_ext, Options):
    user_options = build_ext.user_options + [("use-system-lib", None, "link the system's libfoo")]

    def initialize_options(self):
        if getattr(self, "_done", False):
            return
        super().initialize_options()
        self.use_system_lib = False

    def finalize_options(self):
        self.include_dirs.append("common")
        build_ext.finalize_options(self)
        self._done = True

    def build_extensions(self):
        first, second = self.distribution.ext_modules
        if self.use_system_lib:
            first.libraries.append("foo")
        else:
            first.sources.append("vendor/foo.c")
            first.include_dirs.append(os.path.join(os.path.dirname(__file__), "vendor"))
        Options.flags(self)
        super().build_extensions()

setup(
    name="bundling",
    version="1",
    cmdclass={"build_ext": Build},
    ext_modules=[Extension("pkg.a", ["pkg/a.c"]), Extension("pkg.b", ["pkg/b.c"])],
)
"""


def test_a_build_ext_that_adds_sources_and_flags_is_replayed(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "bundling",
        {
            "pkg/__init__.py": "",
            "pkg/a.c": "",
            "pkg/b.c": "",
            "vendor/foo.c": "",
            "setup.py": _BUNDLING_BUILD_EXT,
        },
    )
    migration = plan_migration(root, run=False)
    ironwheel = tomllib.loads(migration.new_text)["tool"]["ironwheel"]
    assert ironwheel["extension"] == {
        "pkg.a": {
            "sources": ["pkg/a.c", "vendor/foo.c"],
            "include-dirs": ["vendor", "common"],
            "compile-args": ["-O3"],
        },
        "pkg.b": {"sources": ["pkg/b.c"], "include-dirs": ["common"], "compile-args": ["-O3"]},
    }
    assert ironwheel["overrides"] == [
        {
            "if": "sys_platform == 'win32'",
            "extension": {"pkg.a": {"compile-args": ["/O2"]}, "pkg.b": {"compile-args": ["/O2"]}},
        }
    ]
    assert migration.report.of("manual") == []
    (command,) = [item for item in migration.report.of("converted") if item.subject == "cmdclass build_ext"]
    assert "was replayed on the extensions" in command.text


def test_a_build_ext_whose_replay_stops_leaves_the_extensions_alone(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "stops",
        {
            "m.c": "",
            "extra.c": "",
            "setup.py": "from setuptools import Extension, setup\n"
            "from setuptools.command.build_ext import build_ext\n"
            "class Build(build_ext):\n"
            "    def run(self):\n"
            "        self.extensions[0].sources.append('extra.c')\n"
            "        raise RuntimeError('no')\n"
            "setup(name='stops', version='1', cmdclass={'build_ext': Build},\n"
            "      ext_modules=[Extension('m', ['m.c'])])\n",
        },
    )
    migration = plan_migration(root, run=False)
    assert tomllib.loads(migration.new_text)["tool"]["ironwheel"]["extension"] == {"m": {"sources": ["m.c"]}}
    assert [(item.subject, item.text) for item in migration.report.of("manual")] == [
        (
            "cmdclass build_ext",
            "Build (lines 3-6) does more than migrate translates (replaying it: it stops at line 6)",
        )
    ]


def test_a_context_manager_of_the_file_is_entered(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "ctx",
        {
            "m.c": "",
            "setup.py": "import contextlib, os\nfrom setuptools import Extension, setup\n"
            "@contextlib.contextmanager\ndef chdir(path):\n    old = os.getcwd()\n    os.chdir(path)\n"
            "    yield\n    os.chdir(old)\n"
            "with chdir(os.path.dirname(os.path.abspath(__file__))):\n"
            "    setup(name='ctx', version='1', ext_modules=[Extension('m', ['m.c'])])\n",
        },
    )
    migration = plan_migration(root, run=False)
    assert list(tomllib.loads(migration.new_text)["tool"]["ironwheel"]["extension"]) == ["m"]
    assert migration.report.of("manual") == []


@pytest.mark.parametrize(
    ("project", "expected", "said"),
    [
        (
            {
                "license": {"text": "BSD-3-Clause"},
                "license-files": {"paths": ["COPYING"]},
                "classifiers": [
                    "License :: OSI Approved :: BSD License",
                    "Typing :: Typed",
                ],
            },
            {"license": "BSD-3-Clause", "license-files": ["COPYING"], "classifiers": ["Typing :: Typed"]},
            "project.license-files is a table (PEP 639's draft); read as a list of paths and globs; "
            'project.license {text = ...} read as "BSD-3-Clause"',
        ),
        (
            {"license": {"text": "see LICENSE"}, "license-files": {"globs": ["LICEN[CS]E*"]}},
            {"license": {"text": "see LICENSE"}},
            "project.license-files is a table (PEP 639's draft); read as a list of paths and globs; "
            "they are left out: project.license is not an SPDX expression",
        ),
        (
            {"license": "MIT", "license-files": {"globs": ["LICENSE*"], "paths": ["NOTICE"]}},
            {"license": "MIT", "license-files": ["NOTICE", "LICENSE*"]},
            "project.license-files is a table (PEP 639's draft); read as a list of paths and globs",
        ),
        (
            {"license": "MIT", "license-files": ["LICENSE"]},
            {"license": "MIT", "license-files": ["LICENSE"]},
            "",
        ),
    ],
)
def test_the_draft_license_files_table(project: dict[str, Any], expected: dict[str, Any], said: str) -> None:
    assert draft_license_files(project) == (expected, said)


def test_a_scikit_build_core_project_with_the_draft_license_files_table(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "draft",
        {
            "COPYING": "BSD\n",
            "pyproject.toml": '[build-system]\nrequires = ["scikit-build-core"]\n'
            'build-backend = "scikit_build_core.build"\n\n[project]\nname = "draft"\nversion = "1"\n'
            'license = { text = "BSD-3-Clause" }\nlicense-files = { paths = ["COPYING"] }\n',
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.15)\nproject(draft)\n",
        },
    )
    project = migrated(root)["project"]
    assert (project["license"], project["license-files"]) == ("BSD-3-Clause", ["COPYING"])


def test_platform_facts_asked_through_attributes(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "facts",
        {
            "m.c": "",
            "setup.py": "import os, sys, sysconfig\nfrom setuptools import Extension, setup\n"
            "if getattr(sys, 'getwindowsversion', None):\n    libs = ['ws2_32']\nelse:\n    libs = []\n"
            "if hasattr(os, 'uname'):\n    libs.append('m')\n"
            "limited = not sysconfig.get_config_var('Py_GIL_DISABLED')\n"
            "setup(name='facts', version='1',\n"
            "      ext_modules=[Extension('m', ['m.c'], libraries=libs, py_limited_api=limited)])\n",
        },
    )
    migration = plan_migration(root, run=False)
    ironwheel = tomllib.loads(migration.new_text)["tool"]["ironwheel"]
    assert ironwheel["extension"]["m"]["libraries"] == ["m"]
    assert ironwheel["extension"]["m"]["py-limited-api"] is True
    assert ironwheel["overrides"] == [
        {"if": "sys_platform == 'win32'", "extension": {"m": {"libraries": ["ws2_32"]}}}
    ]
    assert migration.report.of("manual") == []


def test_a_command_module_imported_from_setuptools_command(tmp_path: Path) -> None:
    # The run is needed (the version comes from a subprocess); the command class must resolve.
    root = tree(
        tmp_path / "cmdmod",
        {
            "m.c": "",
            "setup.py": "import subprocess\nfrom setuptools import Extension, setup\n"
            "from setuptools.command import install_lib, build_ext\n"
            "class Install(install_lib.install_lib):\n    pass\n"
            "class Build(build_ext.build_ext):\n    pass\n"
            "version = subprocess.check_output(['echo', '2.0']).decode().strip()\n"
            "setup(name='cmdmod', version=version, cmdclass={'install_lib': Install, 'build_ext': Build},\n"
            "      ext_modules=[Extension('m', ['m.c'])])\n",
        },
    )
    migration = plan_migration(root, run=True)
    data = tomllib.loads(migration.new_text)
    assert data["project"]["version"] == "2.0"
    assert list(data["tool"]["ironwheel"]["extension"]) == ["m"]


def test_a_readme_that_is_not_there_is_left_out(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "noreadme",
        {
            "README.md": "# the real one\n",
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "noreadme"\nversion = "1"\nreadme = "README.rst"\n',
            "setup.py": "from setuptools import setup\nsetup()\n",
        },
    )
    migration = plan_migration(root, run=False)
    assert "readme" not in tomllib.loads(migration.new_text)["project"]
    assert [(item.subject, item.step) for item in migration.report.of("manual")] == [
        ("project.readme", "add the file, or point project.readme at the project's README")
    ]


def test_directory_flags_become_directories_of_the_table(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "flags",
        {
            "m.c": "",
            "vendor/lib/z.h": "",
            "setup.py": "import os\nfrom setuptools import Extension, setup\n"
            "here = os.path.dirname(os.path.abspath(__file__))\n"
            "setup(name='flags', version='1', ext_modules=[Extension('m', ['m.c'],\n"
            "    extra_compile_args=['-O3', '-Ivendor/lib', '-I', os.path.join(here, 'vendor'), '-I/opt/x/include'],\n"
            "    extra_link_args=['-Lvendor/lib', '-lz'])])\n",
        },
    )
    assert migrated(root)["tool"]["ironwheel"]["extension"]["m"] == {
        "sources": ["m.c"],
        "compile-args": ["-O3", "-I/opt/x/include"],
        "include-dirs": ["vendor/lib", "vendor"],
        "link-args": ["-lz"],
        "library-dirs": ["vendor/lib"],
    }


def test_a_source_generated_at_build_time_is_reported_not_written(tmp_path: Path) -> None:
    root = tree(
        tmp_path / "templated",
        {
            "pkg/__init__.py": "",
            "pkg/src/reduce_template.c": "",
            "pkg/other.c": "",
            "setup.py": "from setuptools import Extension, setup\n"
            "setup(name='templated', version='1', packages=['pkg'], ext_modules=[\n"
            "    Extension('pkg.reduce', ['pkg/src/reduce.c']), Extension('pkg.other', ['pkg/other.c'])])\n",
        },
    )
    migration = plan_migration(root, run=False)
    assert list(tomllib.loads(migration.new_text)["tool"]["ironwheel"]["extension"]) == ["pkg.other"]
    assert [(item.subject, item.text) for item in migration.report.of("manual")] == [
        ("extension pkg.reduce", "pkg/src/reduce.c not in the project (setup.py generates it at build time?)")
    ]


def test_a_pdm_project_ships_all_of_its_packages(tmp_path: Path) -> None:
    # pdm-backend makes the wheel itself, with every file of the packages: no setuptools package data.
    root = tree(
        tmp_path / "pdmdata",
        {
            "pyproject.toml": '[build-system]\nrequires = ["pdm-backend", "setuptools"]\n'
            'build-backend = "pdm.backend"\n\n[project]\nname = "pdmdata"\nversion = "1"\n\n'
            "[tool.pdm.build]\nrun-setuptools = true\n",
            "pdmdata/__init__.py": "",
            "PKG-INFO": "Metadata-Version: 2.1\nName: pdmdata\nVersion: 1\n",
            "pdmdata/py.typed": "",
            "pdmdata/_fast.pyi": "",
            "pdmdata/_fast.pyx": "",
            "pdm_build.py": "from setuptools import Extension\n"
            "def pdm_build_update_setup_kwargs(context, setup_kwargs):\n"
            "    setup_kwargs.update(packages=['pdmdata'],\n"
            "                        ext_modules=[Extension('pdmdata._fast', ['pdmdata/_fast.pyx'])])\n",
        },
    )
    ironwheel = migrated(root)["tool"]["ironwheel"]
    assert "wheel" not in ironwheel
    assert list(ironwheel["extension"]) == ["pdmdata._fast"]


@pytest.mark.parametrize(
    ("given", "written"),
    [(">=3.6.*", ">=3.6"), (">=2.7.*, !=3.0.*", ">=2.7,!=3.0.*"), (">=3.8", ">=3.8")],
)
def test_a_legacy_python_requires_is_made_pep_440(tmp_path: Path, given: str, written: str) -> None:
    root = tree(
        tmp_path / "pyreq",
        {
            "setup.py": f"from setuptools import setup\nsetup(name='pyreq', version='1', python_requires={given!r})\n"
        },
    )
    assert migrated(root)["project"]["requires-python"] == written
