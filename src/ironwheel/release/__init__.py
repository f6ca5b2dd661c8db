"""``ironwheel build``: release artifacts, built as a frontend builds them.

The sdist is built first, and the wheel from the unpacked sdist, so that a
file the sdist leaves out fails the release instead of the user's install;
both in an isolated environment (:mod:`ironwheel.release.hooks`) unless
``--no-isolation``.
"""

from __future__ import annotations

__all__: list[str] = []
