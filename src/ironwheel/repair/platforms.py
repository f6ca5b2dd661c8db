"""Which repairer handles a wheel, chosen from its platform tag (never from the host)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ironwheel.repair.base import Repairer
from ironwheel.repair.linux import LinuxRepairer
from ironwheel.repair.macos import MacOSRepairer
from ironwheel.repair.windows import WindowsRepairer

__all__ = ["repairer_for"]


def repairer_for(platform: str, environ: Mapping[str, str] | None = None) -> Repairer | None:
    """The repairer for a platform tag such as ``linux_x86_64``; None where no tool exists."""
    environ = os.environ if environ is None else environ
    if platform.startswith(("linux_", "manylinux", "musllinux")):
        return LinuxRepairer(environ)
    if platform.startswith("macosx_"):
        return MacOSRepairer(environ)
    if platform.startswith("win"):
        return WindowsRepairer(environ)
    return None
