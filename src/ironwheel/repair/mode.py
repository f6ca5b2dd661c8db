"""Whether this build repairs its wheel, only checks it, or neither, and why.

``repair.mode = "auto"`` (the default) repairs release builds (``ironwheel
build``, which sets ``IRONWHEEL_RELEASE=1`` for the hooks it runs in an isolated
environment, and ``ironwheel repair``), only checks a plain local build by a
frontend, and leaves repair to cibuildwheel's own repair step under
``CIBUILDWHEEL=1``. Editable builds are never repaired. Every decision
carries the reason the log shows.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Literal

from ironwheel.request import BuildRequest

__all__ = ["Decision", "Mode", "Setting", "decide", "decide_for_repair_command"]

Mode = Literal["on", "check", "off"]
Setting = Literal["auto", "on", "check", "off"]

_EXPLICIT: dict[str, Mode] = {"on": "on", "check": "check", "off": "off"}


@dataclasses.dataclass(frozen=True)
class Decision:
    """What repair does for this build, and why."""

    mode: Mode
    reason: str
    deferred: bool = dataclasses.field(default=False, compare=False)  # left to cibuildwheel's repair step

    def describe(self) -> str:
        action = {"on": "repairing the wheel", "check": "checking the wheel", "off": "not repairing"}
        return f"{action[self.mode]} ({self.reason})"


def decide(setting: Setting, request: BuildRequest, environ: Mapping[str, str] | None = None) -> Decision:
    """The repair mode from ``repair.mode`` (``setting``), the kind of build and the environment.

    Taken once per build; the build carries the answer to wherever it repairs.
    """
    environ = os.environ if environ is None else environ
    source = f'repair.mode = "{setting}"'
    if request.editable:
        return Decision("off", "editable builds are never repaired")
    explicit = _EXPLICIT.get(setting)
    if explicit is not None:
        return Decision(explicit, source)
    if environ.get("CIBUILDWHEEL") == "1":
        return Decision(
            "off",
            f"{source} and CIBUILDWHEEL=1: cibuildwheel's repair-wheel-command repairs the wheel; "
            "set repair-wheel-command to 'python -m ironwheel repair -w {dest_dir} {wheel}' to "
            "repair it the same way",
            deferred=True,
        )
    if request.release:
        return Decision("on", f"{source} and a release build")
    return Decision(
        "check",
        f"{source} and a build by a frontend; run `python -m ironwheel build` or pass "
        "-C repair.mode=on to repair",
    )


def decide_for_repair_command(setting: Setting) -> Decision:
    """``ironwheel repair``: "auto" repairs, also under cibuildwheel, whose repair step it is."""
    explicit = _EXPLICIT.get(setting)
    if explicit is not None:
        return Decision(explicit, f'repair.mode = "{setting}"')
    return Decision("on", 'repair.mode = "auto" and `ironwheel repair`')
