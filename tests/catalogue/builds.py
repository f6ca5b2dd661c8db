"""Bad input: builds."""

from __future__ import annotations

from tests.catalogue.harness import Case

CASES: list[Case] = []
