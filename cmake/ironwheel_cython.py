"""Run Cython for ``ironwheel_add_cython_module``.

Usage: ``python ironwheel_cython.py OUTPUT SOURCE [cython arguments ...]``

Cython names the source in the generated code (tracebacks, the file table)
and in its dependency file relative to its working directory. Run from the
source's package root, the names are ``pkg/mod.pyx`` wherever the project
lies, so the module is reproducible; the dependency file is then rewritten
with absolute paths, which CMake's DEPFILE needs.

Cython names its own ``.pxd`` files (``libcpp/vector.pxd``) by their real
paths. Under ironwheel those live in a temporary build environment, reached
through the links of the build directory's stable view of it (on
PYTHONPATH); a dependency named by its real path would be missing after the
environment is deleted, and every module would be cythonized again. Such
paths are named through the view instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

_PACKAGE_MARKERS = ("__init__.py", "__init__.pxd", "__init__.pyx")


def package_root(source: str) -> str:
    """The directory holding the top-level package that contains ``source``."""
    directory = os.path.dirname(source)
    while any(os.path.isfile(os.path.join(directory, marker)) for marker in _PACKAGE_MARKERS):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory


def module_root(source: str, arguments: Sequence[str]) -> str:
    """Where the package of ``source`` starts: from ``--module-name`` when given (a project whose
    root holds an ``__init__.py`` must not be searched from its parent), else :func:`package_root`."""
    for index, argument in enumerate(arguments[:-1]):
        if argument == "--module-name":
            packages = arguments[index + 1].split(".")[:-1]
            directory = os.path.dirname(source)
            for name in reversed(packages):
                if os.path.basename(directory) != name:
                    return package_root(source)  # the file does not lie where its name says
                directory = os.path.dirname(directory)
            return directory
    return package_root(source)


def _escape(path: str) -> str:
    return path.replace("\\", "/").replace(" ", "\\ ")


def linked_entries(search_path: list[str]) -> list[tuple[str, str]]:
    """(real path, link) of each symbolic link directly inside the ``search_path`` directories."""
    links: list[tuple[str, str]] = []
    for directory in search_path:
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                links.append((os.path.realpath(entry.path), os.path.abspath(entry.path)))
    return links


def through_links(path: str, links: Sequence[tuple[str, str]]) -> str:
    """``path``, named through the link whose target holds it, if one does."""
    for real, link in links:
        if path == real or path.startswith(real + os.sep):
            return link + path[len(real) :]
    return path


def rewrite_depfile(depfile: str, output: str, root: str, links: Sequence[tuple[str, str]] = ()) -> None:
    """Make every path of Cython's dependency file absolute, and name it through ``links``."""
    with open(depfile, encoding="utf-8") as handle:
        lines = [line.strip().rstrip("\\").strip() for line in handle]
    dependencies = [
        through_links(os.path.normpath(os.path.join(root, line)), links) for line in lines[1:] if line
    ]
    text = _escape(output) + ": " + " \\\n  ".join(_escape(path) for path in dependencies) + "\n"
    with open(depfile, "w", encoding="utf-8") as handle:
        handle.write(text)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        sys.stderr.write(__doc__ or "")
        return 2
    output, source = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    root = module_root(source, argv[2:])
    # Ninja creates the output's directory; Makefile generators do not.
    os.makedirs(os.path.dirname(output), exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "cython",
        *argv[2:],
        # The module's own .pxd beside it, found even where the root holds an __init__.py
        # (Cython would look for it from the parent directory then).
        "-I",
        ".",
        "--depfile",
        "--output-file",
        output,
        os.path.relpath(source, root),
    ]
    code = subprocess.call(command, cwd=root)
    if code == 0:
        search_path = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
        rewrite_depfile(output + ".dep", output, root, linked_entries(search_path))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
