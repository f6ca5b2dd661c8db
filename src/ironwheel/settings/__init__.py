"""Settings: ``[tool.ironwheel]``, overrides, ``IRONWHEEL_*`` and ``-C``, as one model."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from packaging.version import Version

from ironwheel.errors import ConfigError
from ironwheel.request import BuildRequest
from ironwheel.settings._convert import Issue, build, closest, merge
from ironwheel.settings._fields import env_name, fields_of
from ironwheel.settings.keys import prefixed
from ironwheel.settings.model import Settings
from ironwheel.settings.sources import (
    ConfigSettings,
    from_config_settings,
    from_environment,
    from_table,
)

# merge: overlay one table of settings on another, tables key by key (what every source does).
__all__ = ["ConfigSettings", "Settings", "closest", "load_settings", "merge"]

log = logging.getLogger("ironwheel")

_SCHEMA_HINT = "python -m ironwheel config --schema lists every setting"


def _error(issues: list[Issue]) -> ConfigError:
    if len(issues) == 1:
        issue = issues[0]
        return ConfigError(f"{issue.where}: {issue.problem}", hint=issue.hint or _SCHEMA_HINT)
    details = [
        f"{issue.where}: {issue.problem}" + (f" ({issue.hint})" if issue.hint else "") for issue in issues
    ]
    return ConfigError(f"{len(issues)} problems with the build settings:", details=details, hint=_SCHEMA_HINT)


def _note(
    origins: dict[str, str],
    tree: Mapping[str, Any],
    name: Callable[[tuple[str, ...]], str],
    cls: type[Any] = Settings,
    prefix: tuple[str, ...] = (),
) -> None:
    """Record ``name(path)`` as the origin of every setting ``tree`` gives a value."""
    for key, value in tree.items():
        path = (*prefix, key)
        field = fields_of(cls).get(key)
        if (
            field is not None
            and field.section is not None
            and field.kind == "section"
            and isinstance(value, dict)
        ):
            _note(origins, value, name, field.section, path)
        else:
            origins[".".join(path)] = name(path)


def load_settings(
    pyproject: Mapping[str, Any],
    config_settings: ConfigSettings | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    marker_environment: Mapping[str, str] | None = None,
    project_dir: Path | None = None,
    request: BuildRequest = BuildRequest(),
) -> Settings:
    """Merge every source in precedence order; report all problems at once."""
    from ironwheel._version import __version__

    environ = os.environ if environ is None else environ
    issues: list[Issue] = []
    tool = pyproject.get("tool")
    table = tool.get("ironwheel") if isinstance(tool, dict) else None
    tree, overrides = from_table(table, issues)
    origins: dict[str, str] = {}
    if isinstance(tool, dict) and "scikit-build" in tool:
        from ironwheel.settings.scikit_build import from_scikit_build

        compat = from_scikit_build(
            pyproject, issues, environ=environ, project_dir=project_dir, state=request.kind
        )
        tree = merge(compat, tree)
    for override in overrides:
        if override.matches(marker_environment):
            log.debug("applying tool.ironwheel.overrides[%d] (%s)", override.index, override.condition)
            tree = merge(tree, override.values)
            _note(origins, override.values, prefixed(f"tool.ironwheel.overrides[{override.index}]"))
    environment = from_environment(environ, issues)
    tree = merge(tree, environment)
    _note(origins, environment, env_name)
    config = from_config_settings(config_settings, issues)
    tree = merge(tree, config)
    _note(origins, config, lambda path: "-C " + ".".join(path))
    if issues:
        raise _error(issues)
    settings: Settings = dataclasses.replace(build(Settings, tree), origins=origins)
    if settings.minimum_version and Version(settings.minimum_version) > Version(__version__):
        raise ConfigError(
            f"this project needs ironwheel {settings.minimum_version} or later "
            f"(tool.ironwheel.minimum-version), but this is ironwheel {__version__}",
            hint=f'require "ironwheel>={settings.minimum_version}" in build-system.requires',
        )
    return settings
