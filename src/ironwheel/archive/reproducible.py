"""Fixed timestamps for reproducible archives (SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ironwheel.errors import ConfigError

__all__ = ["DEFAULT_EPOCH", "source_date_epoch"]

# 1980-01-01T00:00:00Z: the earliest time a zip file can record.
DEFAULT_EPOCH = 315532800
_LATEST_ZIP_EPOCH = 4354819199  # 2107-12-31T23:59:59Z


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int:
    """SOURCE_DATE_EPOCH clamped to what zip can store, else a constant."""
    environ = os.environ if environ is None else environ
    text = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return DEFAULT_EPOCH
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(
            f'SOURCE_DATE_EPOCH must be a number of seconds, got "{text}"',
            hint="unset it, or set it to e.g. $(git log -1 --format=%ct)",
        ) from None
    return min(max(value, DEFAULT_EPOCH), _LATEST_ZIP_EPOCH)
