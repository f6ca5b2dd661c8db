"""How settings are named and spelled, for messages and for readers of other sources.

Every module that names a setting in a message, or reads a boolean from an
environment variable the way settings are read, takes it from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["FALSE_WORDS", "TRUE_WORDS", "KeyPath", "Where", "fixed", "prefixed"]

KeyPath = tuple[str, ...]  # the keys from a settings table down to one value
Where = Callable[[KeyPath], str]  # how a source spells a key path in its messages

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$|^\[")


def fixed(text: str) -> Where:
    """Every path of a source is shown as the same text (one -C option, one variable)."""
    return lambda _path: text


def _key(part: str) -> str:
    """A key as TOML spells it: quoted when it holds a dot or another special character."""
    return part if _BARE_KEY.match(part) else '"' + part.replace('"', '\\"') + '"'


def prefixed(prefix: str) -> Where:
    """Paths shown below a prefix, e.g. ``tool.ironwheel.cmake.build-type``."""
    return lambda path: (prefix + "." + ".".join(_key(part) for part in path)).replace(".[", "[")
