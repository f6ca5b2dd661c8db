"""The project templates of ``ironwheel new`` and ``init``, and rendering them to files.

A template is a stack of layers, directories of package data under
``templates/``; a later layer's file replaces an earlier one's at the same
path. In a layer,

* ``*.tmpl`` files become the project's files: ``.tmpl`` is dropped, a path
  part ``dot-x`` becomes ``.x`` and a leading ``package/`` becomes the
  package directory (``src/my_pkg``). The suffix keeps them from being
  Python, TOML or CMake files of ironwheel's own tree.
* ``*.part`` files are fragments: ``{{stem}}`` in any file is replaced by
  the fragment's text (its last newline dropped). A line holding only a
  placeholder whose value is empty disappears.

``{{dist_name}}``, ``{{import_name}}``, ``{{package_dir}}``,
``{{description}}``, ``{{ironwheel_requirement}}`` and
``{{minimum_version}}`` are the variables. Placeholders are ``{{`` letters
and ``_`` ``}}`` with no spaces, so GitHub's ``${{ matrix.os }}`` stays.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

from ironwheel.errors import ConfigError
from ironwheel.new.names import ProjectName

__all__ = ["TEMPLATES", "TEMPLATE_NAMES", "Template", "TemplateName", "render"]

TemplateName = Literal["pure", "c", "cpp-pybind11", "cpp-nanobind", "cython", "fortran", "cuda"]
TEMPLATE_NAMES: tuple[TemplateName, ...] = typing.get_args(TemplateName)

_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
_EMPTY_LINE_PLACEHOLDER = re.compile(r"^\{\{([a-z_]+)\}\}\n", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class Template:
    """One ``--template``: what it is and the layers it is made of."""

    name: TemplateName
    description: str
    layers: tuple[str, ...]
    # The layer that replaces the extension table by a CMakeLists.txt (--cmake);
    # None: not offered. A template that is CMake-only has it in ``layers``.
    cmake_layer: str | None = None
    cmake_only: bool = False


TEMPLATES: Mapping[TemplateName, Template] = {
    template.name: template
    for template in (
        Template("pure", "A pure-Python package.", ("common", "pure")),
        Template(
            "c",
            "A Python package with a C extension.",
            ("common", "native", "c"),
            cmake_layer="c-cmake",
        ),
        Template(
            "cpp-pybind11",
            "A Python package with a C++ extension written with pybind11.",
            ("common", "native", "cpp-pybind11"),
            cmake_layer="cpp-pybind11-cmake",
        ),
        Template(
            "cpp-nanobind",
            "A Python package with a C++ extension written with nanobind.",
            ("common", "native", "cpp-nanobind"),
            cmake_layer="cpp-nanobind-cmake",
        ),
        Template(
            "cython",
            "A Python package with a Cython extension.",
            ("common", "native", "cython"),
        ),
        Template(
            "fortran",
            "A Python package with Fortran routines for NumPy arrays, wrapped by f2py.",
            ("common", "native", "fortran"),
        ),
        Template(
            "cuda",
            "A Python package with a CUDA kernel.",
            ("common", "native", "cuda"),
            cmake_only=True,
        ),
    )
}


_ROOT = Path(__file__).resolve().parent / "templates"


def _walk(directory: Path, prefix: str = "") -> Iterator[tuple[str, Path]]:
    for entry in sorted(directory.iterdir(), key=lambda item: item.name):
        path = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, f"{path}/")
        else:
            yield path, entry


def _layer_files(layers: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """The files (template path → text) and fragments (name → text) of the layers, merged."""
    emitted: dict[str, str] = {}
    fragments: dict[str, str] = {}
    for layer in layers:
        for path, entry in _walk(_ROOT / layer):
            if path.endswith(".part") and "/" not in path:
                fragments[path[: -len(".part")]] = entry.read_text(encoding="utf-8").removesuffix("\n")
            elif path.endswith(".tmpl"):
                emitted[path[: -len(".tmpl")]] = entry.read_text(encoding="utf-8")
            else:  # pragma: no cover - a mistake in the package data, caught by the tests
                raise AssertionError(f"templates/{layer}/{path}: neither .tmpl nor .part")
    return emitted, fragments


def _fill(text: str, values: Mapping[str, str], seen: tuple[str, ...] = ()) -> str:
    def value(name: str) -> str:
        if name in seen or name not in values:  # pragma: no cover - caught by the tests
            raise AssertionError(f"template placeholder {{{{{name}}}}} is unknown or recursive")
        return _fill(values[name], values, (*seen, name))

    # Whole-line placeholders with no value leave no blank line behind.
    text = _EMPTY_LINE_PLACEHOLDER.sub(lambda match: "" if not value(match[1]) else match[0], text)
    return _PLACEHOLDER.sub(lambda match: value(match[1]), text)


def _project_path(template_path: str, package_dir: str) -> str:
    parts = template_path.split("/")
    if parts[0] == "package":
        parts[0] = package_dir
    return "/".join("." + part[len("dot-") :] if part.startswith("dot-") else part for part in parts)


def render(
    template: Template,
    name: ProjectName,
    *,
    cmake: bool = False,
    package_dir: str | None = None,
    ironwheel_version: str,
) -> dict[str, str]:
    """Every file of the new project: its POSIX path relative to the project → its text."""
    layers = template.layers
    if cmake and not template.cmake_only:
        if template.cmake_layer is None:
            offered = [item.name for item in TEMPLATES.values() if item.cmake_layer]
            raise ConfigError(
                f"--cmake: the {template.name} template has no CMake variant",
                hint=f"--cmake is for the {', '.join(offered[:-1])} and {offered[-1]} templates "
                "(cuda always uses CMake); leave it out for this one",
            )
        layers = (*layers, template.cmake_layer)
    series = ".".join(ironwheel_version.split(".")[:2])
    variables = {
        "dist_name": name.dist,
        "import_name": name.import_name,
        "package_dir": package_dir or f"src/{name.import_name}",
        "description": template.description,
        "ironwheel_requirement": f"ironwheel>={series}",
        "minimum_version": series,
    }
    emitted, fragments = _layer_files(layers)
    values = {**fragments, **variables}
    rendered = {
        _fill(_project_path(path, variables["package_dir"]), values): _fill(text, values)
        for path, text in emitted.items()
    }
    return dict(sorted(rendered.items()))
