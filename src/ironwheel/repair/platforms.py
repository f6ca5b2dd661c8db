"""Which repairer handles a wheel, chosen from its platform tag (never from the host)."""

from __future__ import annotations

import os
from collections.abc import Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ironwheel.repair.base import Repairer

__all__ = ["repairer_for"]


def repairer_for(platform: str, environ: Mapping[str, str] | None = None) -> Repairer | None:
    """The repairer for a platform tag such as ``linux_x86_64``; None where no tool exists.

    Each platform's module is imported only for its own wheels.
    """
    environ = os.environ if environ is None else environ
    if platform.startswith(("linux_", "manylinux", "musllinux")):
        from ironwheel.repair.linux import LinuxRepairer

        return LinuxRepairer(environ)
    if platform.startswith("macosx_"):
        from ironwheel.repair.macos import MacOSRepairer

        return MacOSRepairer(environ)
    if platform.startswith("win"):
        from ironwheel.repair.windows import WindowsRepairer

        return WindowsRepairer(environ)
    return None
