"""Reading setup.py statically: what each Python shape setup.py files use reads as."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from ironwheel.migrate import values as v
from ironwheel.migrate.legacy import read_legacy
from ironwheel.migrate.world import World

TREE = {
    "pkg/__init__.py": '__version__ = "1.2.3"\nVERSION = "9.9"\n',
    "pkg/_a.c": "",
    "pkg/_b.c": "",
    "pkg/_c.pyx": "",
    "README.md": "# pkg\n",
    "CHANGES.md": "# changes\n",
    "requirements.txt": "# run time\nnumpy>=1.21\nrequests\n",
    "VERSION": "4.5.6\n",
}


def read(tmp_path: Path, body: str, files: dict[str, str] | None = None) -> Any:
    for name, text in {**TREE, **(files or {})}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "setup.py").write_text(textwrap.dedent(body))
    return read_legacy(tmp_path, run=False)


def extensions(kwargs: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(e.name, {k: x for k, x in e.arguments.items() if k != "name"}) for e in kwargs["ext_modules"]]


# setup.py body -> (keyword, expected value)
CASES: list[tuple[str, str, str, Any]] = [
    ("literal", 'from setuptools import setup\nsetup(name="pkg", version="1.0")\n', "version", "1.0"),
    ("constant", 'from setuptools import setup\nVERSION = "2.0"\nsetup(version=VERSION)\n', "version", "2.0"),
    (
        "list building",
        "from setuptools import setup\nreqs = ['a']\nreqs += ['b']\nreqs.append('c')\nreqs.extend(['d'])\nsetup(install_requires=reqs + ['e'])\n",
        "install_requires",
        ["a", "b", "c", "d", "e"],
    ),
    (
        "dict building",
        "from setuptools import setup\nextras = {}\nextras['x'] = ['a']\nextras.update(y=['b'])\nsetup(extras_require=dict(extras, z=['c']))\n",
        "extras_require",
        {"x": ["a"], "y": ["b"], "z": ["c"]},
    ),
    (
        "for loop and f-strings",
        "from setuptools import setup\nmods = []\nfor m in ['a', 'b']:\n    mods.append(f'pkg.{m}_{len(m)}')\nsetup(py_modules=mods)\n",
        "py_modules",
        ["pkg.a_1", "pkg.b_1"],
    ),
    (
        "comprehension with a condition",
        "from setuptools import setup\nsetup(keywords=[k.upper() for k in ['x', 'yy', 'z'] if len(k) == 1])\n",
        "keywords",
        ["X", "Z"],
    ),
    (
        "os.path.join and abspath of __file__",
        "import os\nfrom setuptools import setup\nHERE = os.path.abspath(os.path.dirname(__file__))\nsetup(license_files=[os.path.relpath(os.path.join(HERE, 'LICENSE'), HERE)])\n",
        "license_files",
        ["LICENSE"],
    ),
    (
        "glob over the tree",
        "from glob import glob\nfrom setuptools import setup\nsetup(data_files=sorted(glob('pkg/*.c')))\n",
        "data_files",
        ["pkg/_a.c", "pkg/_b.c"],
    ),
    (
        "a function defined in setup.py",
        "from setuptools import setup\ndef get(name, default=None):\n    return {'v': '3.0'}.get(name, default)\nsetup(version=get('v'))\n",
        "version",
        "3.0",
    ),
    (
        "a Python 2/3 branch picks Python 3",
        "import sys\nfrom setuptools import setup\nif sys.version_info[0] >= 3:\n    d = {'': 'python3'}\nelse:\n    d = {'': 'python2'}\nsetup(package_dir=d)\n",
        "package_dir",
        {"": "python3"},
    ),
    (
        "try: import setuptools except ImportError: distutils",
        "try:\n    from setuptools import setup\nexcept ImportError:\n    from distutils.core import setup\nsetup(name='x')\n",
        "name",
        "x",
    ),
    (
        "setup() called from main()",
        "from setuptools import setup\ndef main():\n    kw = dict(name='m')\n    setup(**kw)\nif __name__ == '__main__':\n    main()\n",
        "name",
        "m",
    ),
    (
        "exec of a version file",
        "from setuptools import setup\nns = {}\nexec(open('pkg/__init__.py').read(), ns)\nsetup(version=ns['__version__'])\n",
        "version",
        "1.2.3",
    ),
    (
        "from pkg import __version__",
        "from setuptools import setup\nfrom pkg import __version__\nsetup(version=__version__)\n",
        "version",
        "1.2.3",
    ),
    (
        "a module's docstring",
        '"""The description."""\nfrom setuptools import setup\nsetup(description=__doc__)\n',
        "description",
        "The description.",
    ),
]


@pytest.mark.parametrize(
    ("body", "keyword", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_static_values(tmp_path: Path, body: str, keyword: str, expected: Any) -> None:
    legacy = read(tmp_path, body)
    assert legacy.base[keyword] == expected
    assert legacy.how[keyword] == "static"


def test_file_texts_remember_their_files(tmp_path: Path) -> None:
    legacy = read(
        tmp_path,
        """
        import re
        from setuptools import setup
        with open("README.md") as handle:
            readme = handle.read()
        text = open("pkg/__init__.py").read()
        setup(
            long_description=readme + "\\n\\n" + open("CHANGES.md").read(),
            version=re.search(r'__version__ = "(.*?)"', text).group(1),
            install_requires=[l.strip() for l in open("requirements.txt").read().splitlines() if l.strip() and not l.startswith("#")],
        )
        """,
    )
    description = legacy.base["long_description"]
    assert isinstance(description, v.Composed)
    assert [getattr(part, "path", None) for part in description.parts] == ["README.md", None, "CHANGES.md"]
    version = legacy.base["version"]
    assert (version, version.path, version.pattern) == ("1.2.3", "pkg/__init__.py", '__version__ = "(.*?)"')
    assert [(line, line.path) for line in legacy.base["install_requires"]] == [
        ("numpy>=1.21", "requirements.txt"),
        ("requests", "requirements.txt"),
    ]


def test_extensions_and_their_kinds(tmp_path: Path) -> None:
    legacy = read(
        tmp_path,
        """
        import glob
        import numpy
        from Cython.Build import cythonize
        from pybind11.setup_helpers import Pybind11Extension
        from setuptools import Extension, setup

        class MyExtension(Extension):
            def __init__(self, name, sources, feature, **kw):
                super().__init__(name, sources, **kw)
                self.feature = feature

        exts = [Extension(f"pkg.{m}", [f"pkg/{m}.c"], include_dirs=[numpy.get_include()]) for m in ("_a", "_b")]
        exts.append(Pybind11Extension("pkg._p", ["pkg/_p.cpp"], cxx_std=17))
        exts.append(MyExtension("pkg._m", glob.glob("pkg/_a.c"), "fast", libraries=["m"]))
        setup(ext_modules=exts + cythonize("pkg/*.pyx", compiler_directives={"boundscheck": False}, language_level=3))
        """,
    )
    found = legacy.base["ext_modules"]
    assert [(e.name, e.kind, e.cythonized) for e in found] == [
        ("pkg._a", "setuptools", False),
        ("pkg._b", "setuptools", False),
        ("pkg._p", "pybind11", False),
        ("pkg._m", "setuptools", False),
        ("pkg._c", "cython", True),
    ]
    assert found[0].arguments["include_dirs"] == [v.NUMPY_INCLUDE]
    assert found[2].arguments["cxx_std"] == 17
    assert found[3].arguments["sources"] == ["pkg/_a.c"]
    assert found[3].arguments["libraries"] == ["m"]
    assert isinstance(found[3].arguments["sources"][0], v.Globbed)
    assert found[4].cython == {"compiler_directives": {"boundscheck": False}, "language_level": 3}


def test_platform_branches_are_read_once_per_world(tmp_path: Path) -> None:
    legacy = read(
        tmp_path,
        """
        import os, sys, platform
        from setuptools import Extension, setup
        args = ["/O2"] if sys.platform == "win32" else ["-O3"]
        libs = ["m"] if os.name == "posix" else []
        if platform.system() == "Darwin":
            args.append("-stdlib=libc++")
        if platform.python_implementation() == "PyPy":
            args.append("-DPYPY")
        setup(ext_modules=[Extension("pkg._a", ["pkg/_a.c"], extra_compile_args=args, libraries=libs)])
        """,
    )
    seen = {
        (world.platform, world.implementation): (e.arguments["extra_compile_args"], e.arguments["libraries"])
        for world in legacy.worlds
        for e in legacy.kwargs[world]["ext_modules"]
    }
    assert seen == {
        ("linux", "cpython"): (["-O3"], ["m"]),
        ("linux", "pypy"): (["-O3", "-DPYPY"], ["m"]),
        ("darwin", "cpython"): (["-O3", "-stdlib=libc++"], ["m"]),
        ("darwin", "pypy"): (["-O3", "-stdlib=libc++", "-DPYPY"], ["m"]),
        ("win32", "cpython"): (["/O2"], []),
        ("win32", "pypy"): (["/O2", "-DPYPY"], []),
        ("other", "cpython"): (["-O3"], ["m"]),
        ("other", "pypy"): (["-O3", "-DPYPY"], ["m"]),
    }
    assert all(world.python == (3, 12) for world in legacy.worlds)


def test_environment_knobs_are_read_with_and_without_the_variable(tmp_path: Path) -> None:
    legacy = read(
        tmp_path,
        """
        import os
        from setuptools import Extension, setup
        exts = [] if os.environ.get("PKG_NO_EXT") else [Extension("pkg._a", ["pkg/_a.c"])]
        setup(ext_modules=exts)
        """,
    )
    assert legacy.environ_reads == {"PKG_NO_EXT": 4}
    assert [e.name for e in legacy.base["ext_modules"]] == ["pkg._a"]
    assert legacy.knobs["PKG_NO_EXT"]["ext_modules"] == []


# what the reading cannot know, and says
UNKNOWN: list[tuple[str, str]] = [
    (
        "import subprocess\nfrom setuptools import setup\nsetup(version=subprocess.check_output(['git', 'describe']))\n",
        "subprocess.check_output()",
    ),
    (
        "from setuptools import setup\nsetup(version=open('/etc/hostname').read())\n",
        "a file outside the project (/etc/hostname)",
    ),
    (
        "from setuptools import setup\nsetup(version=open('missing.txt').read())\n",
        "the file missing.txt, which does not exist",
    ),
    ("from setuptools import setup\nimport mystery\nsetup(version=mystery.version())\n", "mystery.version()"),
    (
        "from setuptools import setup\nwhile True:\n    pass\nsetup(version='1')\n",
        "the reading took too many steps (a loop that does not end?)",
    ),
]


@pytest.mark.parametrize(("body", "reason"), UNKNOWN)
def test_what_the_reading_cannot_know(tmp_path: Path, body: str, reason: str) -> None:
    legacy = read(tmp_path, body)
    found = legacy.base.get("version")
    if found is None:
        assert [u.reason for u in legacy.unknowns][-1] == reason
    else:
        assert isinstance(found, v.Unknown)
        assert found.reason == reason


def test_nothing_outside_the_project_is_read(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.txt").write_text("1.0")
    legacy = read(project, "from setuptools import setup\nsetup(version=open('../secret.txt').read())\n")
    assert isinstance(legacy.base["version"], v.Unknown)


def test_world_facts() -> None:
    assert (World("win32").sys_platform, World("win32").os_name, World("darwin").system) == (
        "win32",
        "nt",
        "Darwin",
    )


def test_compiler_types_and_library_probes_are_facts(tmp_path: Path) -> None:
    legacy = read(
        tmp_path,
        """
        from distutils.ccompiler import new_compiler
        import pkgconfig
        from setuptools import Extension, setup
        if pkgconfig.installed("libfoo", ">=1.0"):
            kwargs = {"libraries": ["foo"]}
        else:
            kwargs = {"sources": ["pkg/_a.c", "pkg/_b.c"]}
        if new_compiler().compiler_type == "msvc":
            kwargs["extra_compile_args"] = ["/O2"]
        else:
            kwargs["extra_compile_args"] = ["-O3"]
        setup(ext_modules=[Extension("pkg._a", **kwargs)])
        """,
    )
    found = {w.platform: legacy.kwargs[w]["ext_modules"][0].arguments for w in legacy.worlds}
    assert found["win32"] == {
        "sources": ["pkg/_a.c", "pkg/_b.c"],
        "extra_compile_args": ["/O2"],
        "name": "pkg._a",
    }
    assert found["linux"]["extra_compile_args"] == ["-O3"]
    assert legacy.probes == [(5, "pkgconfig.installed()")]
