"""A new project's names: the distribution name and the import package it gives."""

from __future__ import annotations

import dataclasses
import keyword
import re
import sys

from ironwheel.errors import ConfigError

__all__ = ["ProjectName", "project_name", "shadows_stdlib"]

# PEP 508's name rule (https://packaging.python.org/en/latest/specifications/name-normalization/).
_VALID = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[-_.]+")


@dataclasses.dataclass(frozen=True)
class ProjectName:
    """``my-pkg`` is distributed as ``my-pkg`` and imported as ``my_pkg``."""

    dist: str
    import_name: str


def project_name(name: str) -> ProjectName:
    """Check ``name`` and derive the import package from it (PEP 8: lower case, ``_``)."""
    if not _VALID.match(name):
        raise ConfigError(
            f'"{name}" is not a valid project name',
            hint='a project name has letters, digits, "-", "_" and ".", and starts and ends with a '
            "letter or digit (e.g. my-pkg); choose one with --name",
        )
    import_name = _SEPARATORS.sub("_", name).lower()
    if keyword.iskeyword(import_name):
        raise ConfigError(
            f'"{name}" gives the import package {import_name}, which is a Python keyword',
            hint=f"choose another name with --name, e.g. --name py-{name}",
        )
    if not import_name.isidentifier():
        raise ConfigError(
            f'"{name}" gives the import package {import_name}, which is not a Python identifier',
            hint=f"start the name with a letter: choose one with --name, e.g. --name py-{name}",
        )
    return ProjectName(name, import_name)


def shadows_stdlib(import_name: str) -> bool:
    """Whether ``import import_name`` would find a standard library module instead, or hide it."""
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return import_name in names
    return _in_stdlib_dir(import_name)  # pragma: no cover - Python 3.9


def _in_stdlib_dir(import_name: str) -> bool:  # pragma: no cover - Python 3.9
    # Before 3.10 there is no list: look where the module would come from.
    import importlib.util
    import sysconfig
    from pathlib import Path

    if import_name in sys.builtin_module_names:
        return True
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.origin:
        return False
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    origin = Path(spec.origin).resolve()
    return stdlib in origin.parents and "site-packages" not in origin.parts
