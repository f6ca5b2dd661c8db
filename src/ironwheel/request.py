"""What the frontend or the command line asked for: decided once, where the request comes in.

A hook (or ``ironwheel build`` / ``develop``) knows which kind of build it
runs; everything below it reads that from one frozen :class:`BuildRequest`
instead of a string passed through every call.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

__all__ = ["RELEASE_VARIABLE", "BuildRequest", "Kind"]

# Set by `ironwheel build` for the hooks it runs in an isolated environment: they build a release.
RELEASE_VARIABLE = "IRONWHEEL_RELEASE"

# The values of IRONWHEEL_STATE (and scikit-build-core's SKBUILD_STATE) that CMake sees.
Kind = Literal["wheel", "editable", "sdist", "metadata_wheel", "metadata_editable"]


@dataclasses.dataclass(frozen=True)
class BuildRequest:
    """One request: a wheel, an editable wheel, an sdist, or only the metadata of either wheel."""

    kind: Kind = "wheel"
    release: bool = False  # `ironwheel build`: repair.mode = "auto" repairs the wheel

    @property
    def editable(self) -> bool:
        """A build for an editable install (its metadata included)."""
        return self.kind in ("editable", "metadata_editable")
