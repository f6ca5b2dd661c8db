"""ironwheel: a PEP 517 build backend for Python packages with native code.

This module holds the build hooks only. Everything else is imported inside
them, so that ``import ironwheel`` costs next to nothing.
"""

from __future__ import annotations

from ironwheel._version import __version__

# Not `from typing import TYPE_CHECKING`: importing typing would double the
# cost of `import ironwheel`, which every build pays. Type checkers treat any
# TYPE_CHECKING name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from ironwheel.settings import ConfigSettings

    _T = TypeVar("_T")

__all__ = [
    "__version__",
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "prepare_metadata_for_build_wheel",
]


def _call(hook: Callable[..., _T], *args: Any) -> _T:
    """Run a hook; a user error, Ctrl-C or SIGTERM becomes ``error: ...`` (and a hint) and an exit code."""
    from ironwheel._output import PRESENTED, configure_logging, present
    from ironwheel._signals import terminable

    configure_logging()
    try:
        with terminable():
            return hook(*args)
    except PRESENTED as caught:
        raise SystemExit(present(caught)) from None


def get_requires_for_build_wheel(config_settings: ConfigSettings | None = None) -> list[str]:
    from ironwheel import _requires

    known = _requires.recall(config_settings, "wheel")
    if known is not None:
        return known
    from ironwheel import _hooks

    return _call(_hooks.get_requires_for_build_wheel, config_settings)


def get_requires_for_build_sdist(config_settings: ConfigSettings | None = None) -> list[str]:
    from ironwheel import _hooks

    return _call(_hooks.get_requires_for_build_sdist, config_settings)


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: ConfigSettings | None = None
) -> str:
    from ironwheel import _hooks

    return _call(_hooks.prepare_metadata_for_build_wheel, metadata_directory, config_settings)


def build_wheel(
    wheel_directory: str,
    config_settings: ConfigSettings | None = None,
    metadata_directory: str | None = None,
) -> str:
    from ironwheel import _reuse

    del metadata_directory  # the metadata is regenerated; it is identical
    reused = _reuse.recall(wheel_directory, config_settings)
    if reused is not None:
        return reused
    from ironwheel import _hooks

    return _call(_hooks.build_wheel, wheel_directory, config_settings)


def build_sdist(sdist_directory: str, config_settings: ConfigSettings | None = None) -> str:
    from ironwheel import _hooks

    return _call(_hooks.build_sdist, sdist_directory, config_settings)


def get_requires_for_build_editable(config_settings: ConfigSettings | None = None) -> list[str]:
    from ironwheel import _requires

    known = _requires.recall(config_settings, "editable")
    if known is not None:
        return known
    from ironwheel import _hooks

    return _call(_hooks.get_requires_for_build_editable, config_settings)


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: ConfigSettings | None = None
) -> str:
    from ironwheel import _hooks

    return _call(_hooks.prepare_metadata_for_build_editable, metadata_directory, config_settings)


def build_editable(
    wheel_directory: str,
    config_settings: ConfigSettings | None = None,
    metadata_directory: str | None = None,
) -> str:
    from ironwheel import _hooks

    del metadata_directory  # the metadata is regenerated; it is identical
    return _call(_hooks.build_editable, wheel_directory, config_settings)
