"""Running setup.py with recorders: stand-ins for setuptools, Cython, numpy, pybind11, numpy.distutils."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ironwheel.migrate import values as v
from ironwheel.migrate.runner import Recorded, run_recorded


def run(
    tmp_path: Path, body: str, *, hook: str = "", script: str = "setup.py", timeout: float = 30.0
) -> Recorded:
    (tmp_path / script).write_text(textwrap.dedent(body))
    return run_recorded(tmp_path, script, hook=hook, timeout=timeout)


def test_every_recorder(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.pyx").write_text("")
    recorded = run(
        tmp_path,
        """
        import os
        import numpy
        import pybind11
        from Cython.Build import cythonize
        from distutils.errors import CCompilerError
        from pybind11.setup_helpers import Pybind11Extension, build_ext
        from setuptools import Extension, find_packages, setup

        class Build(build_ext):
            def build_extension(self, ext):
                try:
                    build_ext.build_extension(self, ext)
                except CCompilerError:
                    pass

        ext = Extension("pkg.c", ["pkg/c.c"], include_dirs=[numpy.get_include()], define_macros=[("A", "1")])
        ext.extra_compile_args.append("-O3")  # changed after the call: recorded at the end
        os.environ.get("PKG_KNOB")
        setup(
            name="pkg",
            packages=find_packages(),
            ext_modules=[ext, Pybind11Extension("pkg.p", ["pkg/p.cpp"], cxx_std=17, include_dirs=[pybind11.get_include()])]
            + cythonize("pkg/*.pyx", compiler_directives={"binding": True}),
            cmdclass={"build_ext": Build},
        )
        """,
    )
    assert recorded.error == ""
    assert "PKG_KNOB" in recorded.environ
    (call,) = recorded.calls
    kwargs = call.arguments
    assert kwargs["packages"] == ["pkg"]
    c, p, a = kwargs["ext_modules"]
    assert (c.kind, c.name, c.arguments["include_dirs"], c.arguments["extra_compile_args"]) == (
        "setuptools",
        "pkg.c",
        [v.NUMPY_INCLUDE],
        ["-O3"],
    )
    assert c.arguments["define_macros"] == [["A", "1"]]
    assert (p.kind, p.arguments["cxx_std"], p.arguments["include_dirs"]) == (
        "pybind11",
        17,
        [v.PYBIND11_INCLUDE],
    )
    assert (a.kind, a.name, a.cythonized, a.cython) == (
        "cython",
        "pkg.a",
        True,
        {"compiler_directives": {"binding": True}},
    )
    assert kwargs["cmdclass"] == {
        "build_ext": {"__class__": "Build", "module": "__main__", "bases": ["Command"]}
    }


def test_numpy_distutils_configuration(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "setup.py").write_text(
        textwrap.dedent(
            """
            def configuration(parent_package="", top_path=None):
                from numpy.distutils.misc_util import Configuration
                config = Configuration("pkg", parent_package, top_path)
                config.add_extension("_flib", sources=["flib.f", "flib.pyf"], extra_f90_compile_args=["-O3"])
                return config
            """
        )
    )
    recorded = run(
        tmp_path,
        """
        def configuration(parent_package="", top_path=None):
            from numpy.distutils.misc_util import Configuration
            config = Configuration(None, parent_package, top_path)
            config.add_subpackage("pkg")
            return config

        if __name__ == "__main__":
            from numpy.distutils.core import setup
            setup(name="pkg", version="1.0", configuration=configuration)
        """,
    )
    assert recorded.error == ""
    kwargs = recorded.calls[0].arguments
    (extension,) = kwargs["ext_modules"]
    assert (extension.kind, extension.name, extension.arguments["sources"]) == (
        "numpy",
        "pkg._flib",
        ["pkg/flib.f", "pkg/flib.pyf"],
    )
    assert extension.arguments["extra_f90_compile_args"] == ["-O3"]
    assert kwargs["packages"] == ["pkg"]


def test_a_pdm_build_hook(tmp_path: Path) -> None:
    recorded = run(
        tmp_path,
        """
        from setuptools import Extension

        def pdm_build_update_setup_kwargs(context, setup_kwargs):
            setup_kwargs.update(ext_modules=[Extension("pkg._x", ["src/pkg/_x.c"])])
        """,
        hook="pdm_build_update_setup_kwargs",
        script="pdm_build.py",
    )
    assert [e.name for e in recorded.calls[0].arguments["ext_modules"]] == ["pkg._x"]


def test_failures_are_reported_not_raised(tmp_path: Path) -> None:
    recorded = run(tmp_path, "raise RuntimeError('no compiler configured')\n")
    assert recorded.calls == []
    assert recorded.error.splitlines()[-1] == "RuntimeError: no compiler configured"


def test_a_setup_py_that_hangs_is_stopped(tmp_path: Path) -> None:
    recorded = run(tmp_path, "import time\ntime.sleep(60)\n", timeout=1.0)
    assert recorded.calls == []
    assert recorded.error.startswith("running setup.py failed: cannot run ")
    assert "timed out after 1.0 seconds" in recorded.error


def test_an_installed_build_requirement_s_get_include_is_recorded_as_its_name(tmp_path: Path) -> None:
    # cppy is installed here (tests/requirements.txt); the project's own module is left alone.
    (tmp_path / "localheaders.py").write_text("def get_include():\n    return 'vendor/include'\n")
    recorded = run(
        tmp_path,
        """
        import cppy
        import localheaders
        from setuptools import Extension, setup

        setup(
            name="pkg",
            ext_modules=[Extension("pkg.c", ["c.cpp"], include_dirs=[cppy.get_include(), localheaders.get_include()])],
        )
        """,
    )
    assert recorded.error == ""
    (call,) = recorded.calls
    (extension,) = call.arguments["ext_modules"]
    first, second = extension.arguments["include_dirs"]
    assert isinstance(first, v.PackageInclude)
    assert first.module == "cppy"
    assert second == "vendor/include"
