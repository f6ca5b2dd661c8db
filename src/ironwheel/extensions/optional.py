"""Optional extensions: whether a failed one is a warning or an error, and saying so.

``optional = true`` in an extension table means the wheel may ship without
the module when it does not build (a missing compiler, a compile error),
the project falling back to pure Python. ``IRONWHEEL_EXTENSION_OPTIONAL``
chooses the policy: ``auto`` (the default: fall back, except on CI, where
``CI`` or ``CIBUILDWHEEL`` is set, since a release must not lose its
modules silently), ``required``, ``fallback`` or ``skip`` (do not even try).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from typing import Literal

from ironwheel.errors import BuildError, ConfigError, IronwheelError, ToolError
from ironwheel.settings.keys import TRUE_WORDS

__all__ = ["VARIABLE", "OptionalPolicy", "optional_policy"]

log = logging.getLogger("ironwheel")

VARIABLE = "IRONWHEEL_EXTENSION_OPTIONAL"
_CHOICES = ("auto", "required", "fallback", "skip")
_STRICT_CONTEXTS = ("CI", "CIBUILDWHEEL")


@dataclasses.dataclass(frozen=True)
class OptionalPolicy:
    """What a failed optional extension means for this build."""

    mode: Literal["fallback", "required", "skip"]
    reason: str  # what chose the mode, for messages: "CI=true", "IRONWHEEL_EXTENSION_OPTIONAL=required"

    def failed(self, name: str, problem: IronwheelError) -> None:
        """An optional extension did not build: warn loudly, or raise when it is required."""
        if self.mode == "required":
            kind = ToolError if isinstance(problem, ToolError) else BuildError
            fix = f"{problem.hint}; " if problem.hint else ""
            raise kind(
                f"the optional extension {name} failed to build: {problem.message}",
                details=problem.details,
                hint=f"{fix}this is an error because {self.reason} "
                f"({VARIABLE}=fallback ships the wheel without {name})",
            ) from problem
        log.warning("=" * 72)
        log.warning("the optional extension %s was NOT built; the wheel ships without it", name)
        log.warning("  %s", problem.message)
        for line in problem.details[:3]:
            log.warning("  %s", line)
        log.warning("  the wheel may be cached (pip); %s=required or CI=true makes this an error", VARIABLE)
        log.warning("=" * 72)


def optional_policy(environ: Mapping[str, str] | None = None) -> OptionalPolicy:
    """The policy for failed optional extensions, from the environment."""
    environ = os.environ if environ is None else environ
    raw = environ.get(VARIABLE, "")
    value = raw.strip().lower() or "auto"
    if value not in _CHOICES:
        choices = ", ".join(f'"{choice}"' for choice in _CHOICES)
        raise ConfigError(
            f'{VARIABLE}: expected one of {choices}, got "{raw}"',
            hint=f"unset {VARIABLE}, or set it to required (fail the build) or fallback (ship without it)",
        )
    if value == "auto":
        for name in _STRICT_CONTEXTS:
            if environ.get(name, "").strip().lower() in TRUE_WORDS:
                return OptionalPolicy("required", f"{name}={environ[name]}")
        return OptionalPolicy("fallback", "")
    mode: Literal["fallback", "required", "skip"] = (
        "required" if value == "required" else "skip" if value == "skip" else "fallback"
    )
    return OptionalPolicy(mode, f"{VARIABLE}={raw.strip()}")
