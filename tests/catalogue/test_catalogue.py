"""Run every case of every area of the catalogue (see harness.py to add one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.catalogue import builds, filesystem, project, settings, targets, tools, trees
from tests.catalogue.harness import Case, ids, run_case

ALL: list[Case] = [
    *settings.CASES,
    *project.CASES,
    *trees.CASES,
    *tools.CASES,
    *builds.CASES,
    *filesystem.CASES,
    *targets.CASES,
]


def test_names_are_unique() -> None:
    names = [case.name for case in ALL]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []


@pytest.mark.parametrize("case", ids(ALL))
def test_case(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_case(case, tmp_path, monkeypatch, capsys)
