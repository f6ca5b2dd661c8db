"""``python -m ironwheel``."""

from __future__ import annotations

from ironwheel.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
