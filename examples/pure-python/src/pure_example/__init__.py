"""A pure-Python package built by ironwheel with zero configuration."""

from __future__ import annotations

import sys


def shout(text: str) -> str:
    """Upper-case ``text`` and add an exclamation mark."""
    return text.upper() + "!"


def main() -> int:
    print(shout(" ".join(sys.argv[1:]) or "hello"))
    return 0
