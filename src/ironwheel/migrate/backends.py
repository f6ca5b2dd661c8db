"""The build backends migrate reads besides plain setuptools: in-tree backends over
setuptools, pdm-backend's file selection, and the backends it refuses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ironwheel.errors import ConfigError
from ironwheel.migrate import values as v
from ironwheel.migrate.legacy import Legacy
from ironwheel.migrate.report import Report

__all__ = ["check_backend", "in_tree_backend", "pdm_build"]


def check_backend(legacy: Legacy) -> None:
    """A backend that does not run setuptools keeps its build elsewhere (meson.build, Cargo.toml, hooks)."""
    backend = legacy.backend
    system = legacy.pyproject.get("build-system", {})
    if not backend or backend.split(".")[0] in ("setuptools", "pdm") or system.get("backend-path"):
        return
    raise ConfigError(
        f'pyproject.toml: build-backend = "{backend}" is not one migrate converts '
        "(it converts setuptools, pdm-backend, scikit-build-core and in-tree backends over setuptools)",
        hint="port its build by hand: [tool.ironwheel.extension.*] tables or a CMakeLists.txt "
        "(docs/porting.md)",
    )


def in_tree_backend(
    legacy: Legacy, report: Report, deletable: list[str], knobs: list[tuple[str, str, str]]
) -> list[Any]:
    """An in-tree PEP 517 backend: its own Cython settings, knobs, and its directory."""
    system = legacy.pyproject.get("build-system", {})
    paths = system.get("backend-path") or []
    backend = str(system.get("build-backend", ""))
    if not paths:
        return []
    module = backend.split(".", maxsplit=1)[0].split(":", maxsplit=1)[0]
    directory = next((f"{p}/{module}" for p in paths if (legacy.root / p / module).exists()), None)
    report.converted(
        "build backend",
        f"the in-tree backend {backend} (backend-path {paths}) wraps setuptools; its configuration was read",
    )
    if directory:
        deletable.append(directory)
        for path in sorted((legacy.root / directory).rglob("*.py")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in sorted(
                set(
                    re.findall(
                        r"['\"]([A-Z][A-Z0-9_]*_(?:NO_EXTENSIONS|PURE_PYTHON|NO_CYTHON|DEBUG))['\"]", text
                    )
                )
            ):
                knobs.append(
                    (
                        f"${name}",
                        f"read by the in-tree backend ({path.relative_to(legacy.root).as_posix()})",
                        "IRONWHEEL_EXTENSION_OPTIONAL=skip builds without the optional extensions "
                        "(they need optional = true)",
                    )
                )
            for name in sorted(set(re.findall(r"['\"]([a-z][a-z-]*-python)['\"]", text))):
                knobs.append(
                    (
                        f"-C {name}",
                        "a config setting of the in-tree backend "
                        f"({path.relative_to(legacy.root).as_posix()})",
                        "IRONWHEEL_EXTENSION_OPTIONAL=skip (with optional = true on the tables)",
                    )
                )
    local = legacy.pyproject.get("tool", {}).get("local", {}).get("cythonize")
    extensions: list[Any] = []
    if isinstance(local, dict):
        options = local.get("kwargs", {}) if isinstance(local.get("kwargs"), dict) else {}
        directives = {}
        for key, item in (options.get("directive") or {}).items():
            directives[key] = (
                item in ("True", "true", True) if str(item).lower() in ("true", "false") else item
            )
        for pattern in local.get("src", []):
            for path in sorted(legacy.root.glob(pattern)):
                from ironwheel.migrate.setuptools_names import cython_module_name

                relative = path.relative_to(legacy.root).as_posix()
                call = v.ExtensionCall(
                    "cython", {"name": cython_module_name(legacy.root, relative), "sources": [relative]}
                )
                call.cythonized = True
                call.cython = {"compiler_directives": directives}
                extensions.append(call)
        if options.get("compile-time-env"):
            report.manual(
                "tool.local.cythonize", "compile-time-env", "replace the compile-time constants in the .pyx"
            )
    return extensions


def pdm_build(build: Mapping[str, Any], ironwheel: dict[str, Any], report: Report) -> None:
    """``[tool.pdm.build]`` file selection -> wheel and sdist patterns."""
    for key, item in build.items():
        patterns = (
            [f"/{p}" if not p.startswith(("*", "/")) else p for p in item] if isinstance(item, list) else []
        )
        if key == "source-includes" and patterns:
            ironwheel.setdefault("sdist", {}).setdefault("include", []).extend(patterns)
        elif key == "excludes" and patterns:
            ironwheel.setdefault("wheel", {}).setdefault("exclude", []).extend(patterns)
            ironwheel.setdefault("sdist", {}).setdefault("exclude", []).extend(patterns)
        elif key in ("run-setuptools", "package-dir", "is-purelib", "editable-backend"):
            continue
        else:
            report.manual(
                f"tool.pdm.build.{key}", f"{item!r}", "tool.ironwheel.wheel.packages / sdist.include"
            )
