"""``[tool.scikit-build]``, read for compatibility.

A project written for scikit-build-core should build after changing only
its ``build-backend`` line. Its table is translated into ironwheel settings
at the lowest precedence (``[tool.ironwheel]`` wins), including its
``[[tool.scikit-build.overrides]]`` conditions and the regex version
provider. Keys that change the result but have no ironwheel equivalent are
named in a warning; keys about scikit-build-core itself are ignored.
"""

from __future__ import annotations

import logging
import os
import platform
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ironwheel.settings._convert import Checker, Issue, merge, prefixed
from ironwheel.settings.model import BUILD_DIR_PLACEHOLDERS, Settings, placeholders

__all__ = ["from_scikit_build"]

log = logging.getLogger("ironwheel")

# scikit-build-core key -> ironwheel key, where the values mean the same.
_SAME = {
    "cmake.source-dir": "cmake.source-dir",
    "cmake.build-type": "cmake.build-type",
    "cmake.args": "cmake.args",
    "cmake.targets": "cmake.targets",
    "build.targets": "cmake.targets",
    "cmake.verbose": "build.verbose",
    "build.verbose": "build.verbose",
    "wheel.py-api": "wheel.py-api",
    "wheel.exclude": "wheel.exclude",
    "wheel.install-dir": "wheel.install-dir",
    "sdist.include": "sdist.include",
    "sdist.exclude": "sdist.exclude",
}
# About scikit-build-core itself, or without effect on what ironwheel builds.
_IGNORED = re.compile(
    r"^(minimum-version|strict-config|experimental|logging\..*|ninja\..*|backport\..*|search\..*"
    r"|messages\..*|editable\..*|install\.strip|sdist\.reproducible|wheel\.reproducible|fail"
    r"|wheel\.expand-macos-universal-tags|metadata\.version\.provider-path)$"
)
_SCIKIT_BUILD_VERSION = "1.1"
_FALSE = {"", "0", "false", "no", "off"}
# scikit-build-core's default for its regex version provider.
_REGEX_DEFAULT = r"""(?i)^(__version__|VERSION)(?: ?\: ?str)? *= *(['"])v?(?P<value>.+?)\2"""


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if (
            isinstance(value, dict)
            and name not in ("cmake.define", "wheel.packages")
            and not name.startswith("metadata.")
        ):
            flat.update(_flatten(value, name))
        else:
            flat[name] = value
    return flat


def _define(name: str, value: Any, environ: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        if "env" in value:
            return environ.get(str(value["env"]), value.get("default", ""))
        log.warning(
            "ignoring tool.scikit-build.cmake.define.%s: only {env, default} tables are understood", name
        )
        return None
    return value


def _matches(condition: Mapping[str, Any], context: Mapping[str, Any], unknown: set[str]) -> bool:
    results: list[bool] = []
    for key, expected in condition.items():
        if key == "any":
            results.append(any(_matches({k: v}, context, unknown) for k, v in expected.items()))
        elif key == "not":
            results.append(not _matches(expected, context, unknown))
        elif key == "env":
            for variable, wanted in expected.items():
                value = context["environ"].get(variable)
                if isinstance(wanted, bool):
                    results.append((value is not None and value.lower() not in _FALSE) == wanted)
                else:
                    results.append(value is not None and re.match(str(wanted), value) is not None)
        elif key in ("python-version", "implementation-version", "scikit-build-version"):
            try:
                results.append(SpecifierSet(str(expected)).contains(context[key], prereleases=True))
            except InvalidSpecifier:
                unknown.add(f"if.{key}")
                results.append(False)
        elif key in (
            "platform-system",
            "platform-machine",
            "platform-node",
            "implementation-name",
            "abi-flags",
            "state",
        ):
            results.append(re.match(str(expected), context[key]) is not None)
        elif key == "from-sdist":
            results.append(bool(expected) == context["from-sdist"])
        elif key == "failed":
            results.append(not expected)  # ironwheel builds once; a failure is an error
        else:
            unknown.add(f"if.{key}")
            results.append(False)
    return all(results)


def _context(project_dir: Path | None, environ: Mapping[str, str]) -> dict[str, Any]:
    return {
        "environ": environ,
        "python-version": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "implementation-version": platform.python_version(),
        "implementation-name": sys.implementation.name,
        "platform-system": sys.platform,
        "platform-machine": platform.machine(),
        "platform-node": platform.node(),
        "abi-flags": "".join(sorted(getattr(sys, "abiflags", ""))),
        "state": "wheel",
        "scikit-build-version": _SCIKIT_BUILD_VERSION,
        "from-sdist": project_dir is not None and (project_dir / "PKG-INFO").is_file(),
    }


def _version_source(pyproject: Mapping[str, Any], flat: Mapping[str, Any]) -> dict[str, Any] | None:
    candidates = [flat.get("metadata.version")]
    for entry in pyproject.get("tool", {}).get("dynamic-metadata", []) or []:
        if isinstance(entry, dict) and entry.get("field", "version") == "version":
            candidates.append(entry)
    for source in candidates:
        if isinstance(source, dict) and str(source.get("provider", "")).endswith("metadata.regex"):
            result = {"file": source.get("input", "")}
            result["regex"] = source.get("regex", _REGEX_DEFAULT)
            return result
    return None


def _translate(flat: Mapping[str, Any], environ: Mapping[str, str], skipped: set[str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}

    def put(path: str, value: Any) -> None:
        node = tree
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    for key, value in flat.items():
        if key in _SAME:
            put(_SAME[key], value)
        elif key == "cmake.define" and isinstance(value, dict):
            defines = {name: _define(name, item, environ) for name, item in value.items()}
            put("cmake.define", {name: item for name, item in defines.items() if item is not None})
        elif key == "cmake.version":
            if value != "CMakeLists.txt":  # ironwheel always reads cmake_minimum_required
                put("cmake.version", value)
        elif key == "cmake.minimum-version":
            put("cmake.version", f">={value}")
        elif key == "build-dir":
            try:
                understood = set(placeholders(str(value))) <= set(BUILD_DIR_PLACEHOLDERS)
            except ValueError:
                understood = False
            if understood:
                put("build.dir", value)
            else:
                skipped.add(key)
        elif key == "wheel.packages":
            # The table form maps a wheel name to a source directory; same names only.
            if isinstance(value, dict) and all(Path(str(src)).name == dst for dst, src in value.items()):
                put("wheel.packages", list(value.values()))
            elif isinstance(value, list):
                put("wheel.packages", value)
            else:
                skipped.add(key)
        elif key == "generate" and isinstance(value, list):
            put("generate", value)
        elif key.startswith("metadata.") or _IGNORED.match(key) or key == "overrides":
            continue
        else:
            skipped.add(key)
    return tree


def from_scikit_build(
    pyproject: Mapping[str, Any],
    issues: list[Issue],
    *,
    environ: Mapping[str, str] | None = None,
    project_dir: Path | None = None,
) -> dict[str, Any]:
    """Translate ``[tool.scikit-build]`` into a checked ironwheel settings tree."""
    tool = pyproject.get("tool")
    table = tool.get("scikit-build") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return {}
    environ = os.environ if environ is None else environ
    log.info("reading [tool.scikit-build] for compatibility ([tool.ironwheel] takes precedence)")
    skipped: set[str] = set()
    flat = _flatten(table)
    translated = _translate(flat, environ, skipped)
    version = _version_source(pyproject, flat)
    if version is not None:
        translated.setdefault("metadata", {})["version"] = version
    context = _context(project_dir, environ)
    for override in table.get("overrides", []) or []:
        if not isinstance(override, dict) or not _matches(override.get("if", {}), context, skipped):
            continue
        body = {key: value for key, value in override.items() if key not in ("if", "inherit")}
        translated = merge(translated, _translate(_flatten(body), environ, skipped))
    if skipped:
        log.warning(
            "ironwheel has no equivalent for these [tool.scikit-build] settings: %s",
            ", ".join(sorted(skipped)),
        )
    return Checker(prefixed("tool.scikit-build"), issues, Settings).table(translated, Settings)
