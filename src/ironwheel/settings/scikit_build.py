"""``[tool.scikit-build]``, read for compatibility.

A project written for scikit-build-core should build after changing only
its ``build-backend`` line. Its table is translated into ironwheel settings
at the lowest precedence (``[tool.ironwheel]`` wins), including its
``[[tool.scikit-build.overrides]]`` conditions and the regex, setuptools_scm
and fancy_pypi_readme metadata providers. Keys that change the result but have no ironwheel equivalent are
named in a warning; keys about scikit-build-core itself are ignored.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import platform
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ironwheel.settings._convert import Checker, Issue, assign, merge
from ironwheel.settings.keys import FALSE_WORDS, prefixed
from ironwheel.settings.model import BUILD_DIR_PLACEHOLDERS, Settings, placeholders

__all__ = ["Translation", "combine", "from_scikit_build", "translate"]

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
    "wheel.cmake": "wheel.cmake",
    "sdist.include": "sdist.include",
    "sdist.exclude": "sdist.exclude",
    "editable.rebuild": "editable.rebuild",
}
# About scikit-build-core itself, or without effect on what ironwheel builds.
_IGNORED = re.compile(
    r"^(minimum-version|strict-config|experimental|logging\..*|ninja\..*|backport\..*|search\..*"
    r"|messages\..*|editable\..*|install\.strip|sdist\.reproducible|wheel\.reproducible|fail"
    r"|wheel\.expand-macos-universal-tags|metadata\.version\.provider-path)$"
)
_SCIKIT_BUILD_VERSION = "1.1"
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


_REGEX_CONDITIONS = (
    "platform-system",
    "platform-machine",
    "platform-node",
    "implementation-name",
    "abi-flags",
    "state",
)
_VERSION_CONDITIONS = ("python-version", "implementation-version", "scikit-build-version")


@dataclasses.dataclass
class _Conditions:
    """Evaluates the ``if`` tables of [[tool.scikit-build.overrides]]."""

    context: Mapping[str, Any]
    issues: list[Issue]
    unknown: set[str]

    def _bad(self, where: str, problem: str) -> bool:
        self.issues.append(Issue(where, problem))
        return False

    def _regex(self, where: str, pattern: object, value: str) -> bool:
        try:
            return re.match(str(pattern), value) is not None
        except re.error as error:
            return self._bad(where, f"invalid regular expression: {error}")

    def matches(self, condition: object, where: str) -> bool:
        if not isinstance(condition, dict):
            return self._bad(where, f"expected a table, got {type(condition).__name__}")
        results: list[bool] = []
        for key, expected in condition.items():
            here = f"{where}.{key}"
            if key == "any":
                if not isinstance(expected, dict):
                    results.append(self._bad(here, "expected a table"))
                    continue
                results.append(any(self.matches({k: v}, here) for k, v in expected.items()))
            elif key == "not":
                results.append(not self.matches(expected, here))
            elif key == "env":
                if not isinstance(expected, dict):
                    results.append(self._bad(here, "expected a table of variables"))
                    continue
                for variable, wanted in expected.items():
                    value = self.context["environ"].get(variable)
                    if isinstance(wanted, bool):
                        results.append((value is not None and value.lower() not in FALSE_WORDS) == wanted)
                    else:
                        results.append(value is not None and self._regex(f"{here}.{variable}", wanted, value))
            elif key in _VERSION_CONDITIONS:
                try:
                    results.append(SpecifierSet(str(expected)).contains(self.context[key], prereleases=True))
                except InvalidSpecifier:
                    results.append(self._bad(here, f'expected a version specifier, got "{expected}"'))
            elif key in _REGEX_CONDITIONS:
                results.append(self._regex(here, expected, self.context[key]))
            elif key == "from-sdist":
                results.append(bool(expected) == self.context["from-sdist"])
            elif key == "failed":
                results.append(not expected)  # ironwheel builds once; a failure is an error
            else:
                self.unknown.add(f"if.{key}")
                results.append(False)
        return all(results)


def _context(project_dir: Path | None, environ: Mapping[str, str], state: str) -> dict[str, Any]:
    return {
        "environ": environ,
        "python-version": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "implementation-version": platform.python_version(),
        "implementation-name": sys.implementation.name,
        "platform-system": sys.platform,
        "platform-machine": platform.machine(),
        "platform-node": platform.node(),
        "abi-flags": "".join(sorted(getattr(sys, "abiflags", ""))),
        "state": state,
        "scikit-build-version": _SCIKIT_BUILD_VERSION,
        "from-sdist": project_dir is not None and (project_dir / "PKG-INFO").is_file(),
    }


def _provided(pyproject: Mapping[str, Any], flat: Mapping[str, Any], field: str) -> list[dict[str, Any]]:
    """The provider tables of one field: ``metadata.<field>`` and ``[[tool.dynamic-metadata]]``."""
    candidates = [flat.get(f"metadata.{field}")]
    for entry in pyproject.get("tool", {}).get("dynamic-metadata", []) or []:
        if isinstance(entry, dict) and entry.get("field", "version") == field:
            candidates.append(entry)
    return [source for source in candidates if isinstance(source, dict)]


def _metadata_sources(
    pyproject: Mapping[str, Any], flat: Mapping[str, Any], skipped: set[str]
) -> dict[str, Any]:
    """scikit-build-core's dynamic-metadata providers, as ironwheel's metadata settings."""
    metadata: dict[str, Any] = {}
    for source in _provided(pyproject, flat, "version"):
        provider = str(source.get("provider", ""))
        if provider.endswith("metadata.regex"):
            metadata["version"] = {
                "file": source.get("input", ""),
                "regex": source.get("regex", _REGEX_DEFAULT),
            }
        elif provider.endswith("metadata.setuptools_scm") or provider == "vcs_versioning":
            # Both read [tool.setuptools_scm] (or [tool.vcs-versioning]), as ironwheel does.
            metadata["version"] = {"provider": "vcs"}
        else:
            continue
        break
    for source in _provided(pyproject, flat, "readme"):
        if str(source.get("provider", "")).endswith("metadata.fancy_pypi_readme"):
            metadata["readme"] = {"provider": "fancy-pypi-readme"}
            break
    for key in flat:
        field = key.split(".")[1] if key.startswith("metadata.") else ""
        if field and field not in metadata:
            skipped.add(key)
    return metadata


def _translate(flat: Mapping[str, Any], environ: Mapping[str, str], skipped: set[str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}

    def put(path: str, value: Any) -> None:
        assign(tree, path.split("."), value)

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
            # The table form maps a wheel name to a source directory.
            if isinstance(value, dict):
                same = [str(src) for dst, src in value.items() if Path(str(src)).name == dst]
                renamed = {dst: str(src) for dst, src in value.items() if Path(str(src)).name != dst}
                if same:
                    put("wheel.packages", same)
                if renamed:
                    put("wheel.package-dirs", renamed)
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


def _combine(base: dict[str, Any], overlay: Mapping[str, Any], inherit: Mapping[str, str]) -> dict[str, Any]:
    """scikit-build-core's override rule: a value replaces, unless ``inherit`` says append or prepend."""
    combined = dict(base)
    for section, values in overlay.items():
        if not isinstance(values, dict) or section in ("generate",):
            combined[section] = values
            continue
        merged = dict(combined.get(section, {}))
        for key, value in values.items():
            mode = inherit.get(f"{section}.{key}", "none")
            old = merged.get(key)
            if mode in ("append", "prepend") and isinstance(old, list) and isinstance(value, list):
                merged[key] = old + value if mode == "append" else value + old
            elif mode in ("append", "prepend") and isinstance(old, dict) and isinstance(value, dict):
                merged[key] = {**old, **value} if mode == "append" else {**value, **old}
            else:
                merged[key] = value
        combined[section] = merged
    return combined


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """``SKBUILD_CMAKE_ARGS`` and friends: lists split on ';', tables as NAME=VALUE;..."""
    flat: dict[str, Any] = {}
    for key in (*_SAME, "cmake.define", "cmake.version", "build-dir"):
        name = "SKBUILD_" + key.upper().replace(".", "_").replace("-", "_")
        if name not in environ:
            continue
        text = environ[name]
        if key == "cmake.define":
            flat[key] = dict(pair.partition("=")[::2] for pair in text.split(";") if pair)
        elif key in (
            "cmake.args",
            "cmake.targets",
            "build.targets",
            "wheel.exclude",
            "sdist.include",
            "sdist.exclude",
        ):
            flat[key] = [item for item in text.split(";") if item]
        elif key in ("cmake.verbose", "build.verbose"):
            flat[key] = text.strip().lower() not in FALSE_WORDS
        else:
            flat[key] = text
    return flat


@dataclasses.dataclass(frozen=True)
class Translation:
    """``[tool.scikit-build]`` in ironwheel's names, before any condition is evaluated."""

    base: dict[str, Any]  # the table's own settings
    overrides: list[tuple[int, Any, dict[str, Any], dict[str, str]]]  # index, if, settings, inherit
    skipped: set[str]  # keys without an ironwheel equivalent


def translate(pyproject: Mapping[str, Any], environ: Mapping[str, str]) -> Translation:
    """The one translation of ``[tool.scikit-build]``: used by builds here and by ``ironwheel migrate``."""
    tool = pyproject.get("tool")
    table = tool.get("scikit-build") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return Translation({}, [], set())
    skipped: set[str] = set()
    flat = _flatten(table)
    base = _translate(flat, environ, skipped)
    metadata = _metadata_sources(pyproject, flat, skipped)
    if metadata:
        base.setdefault("metadata", {}).update(metadata)
    overrides = []
    raw = table.get("overrides", [])
    for index, override in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(override, dict):
            continue
        body = {key: value for key, value in override.items() if key not in ("if", "inherit")}
        inherit = {
            _SAME.get(key, key): str(mode)
            for key, mode in _flatten(override.get("inherit", {}) or {}).items()
        }
        overrides.append(
            (index, override.get("if", {}), _translate(_flatten(body), environ, skipped), inherit)
        )
    return Translation(base, overrides, skipped)


def combine(base: dict[str, Any], overlay: Mapping[str, Any], inherit: Mapping[str, str]) -> dict[str, Any]:
    """An override applied scikit-build-core's way (values replace unless ``inherit`` appends)."""
    return _combine(base, overlay, inherit)


def from_scikit_build(
    pyproject: Mapping[str, Any],
    issues: list[Issue],
    *,
    environ: Mapping[str, str] | None = None,
    project_dir: Path | None = None,
    state: str = "wheel",
) -> dict[str, Any]:
    """Translate ``[tool.scikit-build]`` (and ``SKBUILD_*`` variables) into a checked settings tree."""
    tool = pyproject.get("tool")
    table = tool.get("scikit-build") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return {}
    environ = os.environ if environ is None else environ
    log.info("reading [tool.scikit-build] for compatibility ([tool.ironwheel] takes precedence)")
    translation = translate(pyproject, environ)
    skipped = set(translation.skipped)
    translated = translation.base
    conditions = _Conditions(_context(project_dir, environ, state), issues, skipped)
    for index, condition, body, inherit in translation.overrides:
        if conditions.matches(condition, f"tool.scikit-build.overrides[{index}].if"):
            translated = _combine(translated, body, inherit)
    from_environment = _from_environment(environ)
    if from_environment:
        translated = merge(translated, _translate(from_environment, environ, skipped))
    if skipped:
        log.warning(
            "ironwheel has no equivalent for these [tool.scikit-build] settings: %s",
            ", ".join(sorted(skipped)),
        )
    return Checker(prefixed("tool.scikit-build"), issues, Settings).table(translated, Settings)
