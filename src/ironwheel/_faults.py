"""For tests only: a build that stalls at a named point, so that a test can interrupt it there.

``_IRONWHEEL_TEST_STALL=<point>:<seconds>`` makes the build sleep at
``point`` (``repair``: before the repair tool runs; ``pack``: with the wheel
half-written). Nothing but the interruption tests sets it; the variable is
read only at those two points.
"""

from __future__ import annotations

import logging
import os
import time

__all__ = ["stall"]

log = logging.getLogger("ironwheel")

_VARIABLE = "_IRONWHEEL_TEST_STALL"


def stall(point: str) -> None:
    """Sleep here if the tests asked for it."""
    wanted, _, seconds = os.environ.get(_VARIABLE, "").partition(":")
    if wanted == point:
        log.info("stalling at %s for %s s (%s, for tests)", point, seconds, _VARIABLE)
        time.sleep(float(seconds or 0))
