"""The ``new`` and ``init`` commands: their arguments, and what they print."""

from __future__ import annotations

import argparse
import logging
import os
import shlex
from collections.abc import Sequence
from pathlib import Path

__all__ = ["add_commands", "run"]

log = logging.getLogger("ironwheel")

_TEMPLATE_HELP = """\
templates:
  c             a C extension, CPython C API (the default)
  cpp-pybind11  a C++ extension written with pybind11
  cpp-nanobind  a C++ extension written with nanobind
  cython        a Cython extension
  fortran       Fortran routines for NumPy arrays, wrapped by f2py (needs gfortran)
  cuda          a CUDA kernel, built by CMake (needs nvcc; no GPU needed to test)
  pure          a pure-Python package

Extensions are declared in [tool.ironwheel.extension] tables of pyproject.toml;
--cmake writes a CMakeLists.txt instead (c, cpp-pybind11, cpp-nanobind).
Every project gets pyproject.toml, README.md, .gitignore, a pytest suite and
.github/workflows/wheels.yml (cibuildwheel, an sdist, trusted publishing)."""

_NEW_EPILOG = f"""\
examples:
  %(prog)s my-pkg                          a C extension; imported as my_pkg
  %(prog)s my-pkg --template cpp-nanobind
  %(prog)s my-pkg --template c --cmake     with a CMakeLists.txt
  %(prog)s libs/fast --name fast-stats     the directory and the name differ

{_TEMPLATE_HELP}"""

_INIT_EPILOG = f"""\
examples:
  %(prog)s                                 the current directory, named after it
  %(prog)s my-dir --template cython
  %(prog)s --name my-pkg --template pure

init writes the template's files beside the ones there and never overwrites
one: a file that exists is kept and listed. It refuses a directory that holds
a project already (setup.py, setup.cfg, pyproject.toml): ironwheel migrate
converts a setuptools project.

{_TEMPLATE_HELP}"""


def _common_options(parser: argparse.ArgumentParser) -> None:
    from ironwheel.new.templates import TEMPLATE_NAMES

    parser.add_argument(
        "-t", "--template", choices=TEMPLATE_NAMES, default="c", help="what the project holds (default: c)"
    )
    parser.add_argument("--name", help="the project (distribution) name (default: the directory's name)")
    parser.add_argument(
        "--cmake", action="store_true", help="build the extension with a CMakeLists.txt instead of a table"
    )
    parser.add_argument(
        "--vcs",
        choices=("auto", "git", "none"),
        default="auto",
        help="initialise a git repository; auto (default): when git is on PATH and the directory "
        "is not in a repository already",
    )


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``new`` and ``init`` to the CLI's subparsers."""
    new = commands.add_parser(
        "new",
        help="create a project in a new directory: sources, tests, README, CI workflow",
        description="Create a complete project, ready to build, test and release, in a new directory.",
        epilog=_NEW_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("directory", metavar="DIR", help="the directory to create")
    _common_options(new)
    init = commands.add_parser(
        "init",
        help="add a project's files to an existing directory, overwriting none",
        description="Add a complete project to an existing directory, without overwriting a file.",
        epilog=_INIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("directory", metavar="DIR", nargs="?", default=".", help="the directory (default: .)")
    _common_options(init)


def _package_dir(directory: Path, import_name: str, new: bool) -> str:
    # An existing flat layout (my_pkg/__init__.py beside pyproject.toml) is kept.
    if not new and (directory / import_name / "__init__.py").is_file():
        return import_name
    return f"src/{import_name}"


def _next_steps(directory: str) -> list[str]:
    steps = [] if Path(directory) == Path() else [f"cd {shlex.quote(directory)}"]
    return [*steps, 'python -m pip install -e ".[test]"', "python -m pytest"]


def _print_list(title: str, paths: Sequence[str]) -> None:
    print(title)
    for path in paths:
        print(f"  {path}")


def run(arguments: argparse.Namespace) -> int:
    """Carry out ``new`` or ``init``; errors are raised for the CLI to report."""
    from ironwheel._version import __version__
    from ironwheel.new import scaffold
    from ironwheel.new.names import project_name, shadows_stdlib
    from ironwheel.new.templates import TEMPLATES, render

    is_new = arguments.command == "new"
    shown: str = arguments.directory
    directory = Path(shown)
    if not is_new:
        scaffold.check_no_project(directory)
    name = project_name(arguments.name or Path(os.path.abspath(directory)).name)
    template = TEMPLATES[arguments.template]
    package_dir = _package_dir(directory, name.import_name, is_new)
    files = render(
        template, name, cmake=arguments.cmake, package_dir=package_dir, ironwheel_version=__version__
    )
    if shadows_stdlib(name.import_name):
        log.warning(
            "%s: the import package %s has the name of a standard library module, which import "
            "finds first; choose another name with --name",
            package_dir,
            name.import_name,
        )
    scaffold.require_git(arguments.vcs)
    if is_new:
        scaffold.create(directory, files)
        _print_list(f"created {shown} ({template.name} template):", list(files))
    else:
        added = scaffold.add(directory, files)
        _print_list(f"added to {shown} ({template.name} template):", added.written)
        if added.skipped:
            _print_list("kept, since they exist (not overwritten):", added.skipped)
    if scaffold.wants_git(arguments.vcs, directory) and scaffold.init_git(directory):
        print(f"initialised a git repository in {shown}")
    _print_list("\nnext steps:", _next_steps(shown))
    return 0
