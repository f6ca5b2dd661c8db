"""Whether this build repairs its wheel, only checks it, or neither, and why.

``repair.mode = "auto"`` (the default) repairs release builds (``ironwheel
build``, ``ironwheel repair``), only checks a plain local build by a
frontend, and leaves repair to cibuildwheel's own repair step under
``CIBUILDWHEEL=1``. Editable builds are never repaired. Every decision
carries the reason the log shows.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Literal

__all__ = ["Decision", "Mode", "decide"]

Mode = Literal["on", "check", "off"]


@dataclasses.dataclass(frozen=True)
class Decision:
    """What repair does for this build, and why."""

    mode: Mode
    reason: str
    deferred: bool = dataclasses.field(default=False, compare=False)  # left to cibuildwheel's repair step

    def describe(self) -> str:
        action = {"on": "repairing the wheel", "check": "checking the wheel", "off": "not repairing"}
        return f"{action[self.mode]} ({self.reason})"


def decide(
    setting: str,
    *,
    state: str = "wheel",
    release: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Decision:
    """The repair mode from ``repair.mode`` (``setting``), the kind of build and the environment."""
    environ = os.environ if environ is None else environ
    source = f'repair.mode = "{setting}"'
    if state == "editable":
        return Decision("off", "editable builds are never repaired")
    if setting in ("on", "check", "off"):
        return Decision(setting, source)  # type: ignore[arg-type]
    if environ.get("CIBUILDWHEEL") == "1":
        return Decision(
            "off",
            f"{source} and CIBUILDWHEEL=1: cibuildwheel's repair-wheel-command repairs the wheel; "
            "set repair-wheel-command to 'python -m ironwheel repair -w {dest_dir} {wheel}' to "
            "repair it the same way",
            deferred=True,
        )
    if release:
        return Decision("on", f"{source} and a release build")
    return Decision(
        "check",
        f"{source} and a build by a frontend; run `python -m ironwheel build` or pass "
        "-C repair.mode=on to repair",
    )
