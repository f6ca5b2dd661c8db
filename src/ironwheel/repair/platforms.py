"""Which repairer handles a wheel, chosen from its platform tag (never from the host)."""

from __future__ import annotations

import os
from collections.abc import Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.repair.base import Repairer

__all__ = ["has_repairer", "repairer_for"]


def _system(platform: str) -> str | None:
    if platform.startswith(("linux_", "manylinux", "musllinux")):
        return "linux"
    if platform.startswith("macosx_"):
        return "macos"
    if platform.startswith("win"):
        return "windows"
    return None


def has_repairer(platform: str) -> bool:
    """Whether a repair tool exists for a platform tag, without importing it."""
    return _system(platform) is not None


def repairer_for(platform: str, environ: Mapping[str, str] | None = None) -> Repairer | None:
    """The repairer for a platform tag such as ``linux_x86_64``; None where no tool exists.

    Each platform's module is imported only for its own wheels.
    """
    environ = os.environ if environ is None else environ
    system = _system(platform)
    if system == "linux":
        from ironwheel.repair.linux import LinuxRepairer

        return LinuxRepairer(environ)
    if system == "macos":
        from ironwheel.repair.macos import MacOSRepairer

        return MacOSRepairer(environ)
    if system == "windows":
        from ironwheel.repair.windows import WindowsRepairer

        return WindowsRepairer(environ)
    return None
