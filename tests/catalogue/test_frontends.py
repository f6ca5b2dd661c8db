"""A sample of the catalogue through real frontends: pip wheel and python -m build.

Each must fail (or warn) with the same lines as in-process, show no
traceback, exit non-zero and leave nothing in the output directory.
TOML syntax errors are not in the sample: pip and build parse pyproject.toml
themselves and stop before the backend runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.catalogue.harness import Case, Outcome, build_tree, check, places_of
from tests.catalogue.test_catalogue import ALL
from tests.integration.frontends import Result, pip_wheel, python_build

pytestmark = pytest.mark.slow

SAMPLE = [case for case in ALL if case.frontend]
RUNS = [
    pytest.param(case, frontend, id=f"{frontend}: {case.name}")
    for case in SAMPLE
    for frontend in (["build"] if case.hook == "sdist" else ["pip", "build"] if not case.slow else ["pip"])
]


def test_the_sample_is_big_enough() -> None:
    assert len(SAMPLE) >= 10


def _backend_lines(result: Result) -> str:
    """The lines the backend printed, as the frontend shows them (pip indents nothing with -v).

    A warning about the metadata comes once from each hook that reads it, and pip runs
    prepare_metadata_for_build_wheel and build_wheel in processes of their own: it is kept once.
    """
    lines = [line.strip() for line in result.output.splitlines()]
    return "\n".join(
        line
        for index, line in enumerate(lines)
        if not (line.startswith("warning:") and line in lines[:index])
    )


@pytest.mark.parametrize(("case", "frontend"), RUNS)
def test_through_a_frontend(case: Case, frontend: str, tmp_path: Path) -> None:
    places = places_of(tmp_path, case)
    root = build_tree(tmp_path, case)
    out = tmp_path / "out"
    env = {name: value.replace("{root}", str(root)) for name, value in case.env.items()}
    options: list[str] = []
    for key, value in case.config.items():
        for item in value if isinstance(value, list) else [value or ""]:
            options += ["-C" if frontend == "build" else "--config-settings", f"{key}={item}"]
    if frontend == "pip":
        result = pip_wheel(root, out, *options, isolated=False, env=env)
    else:
        kind = "--sdist" if case.hook == "sdist" else "--wheel"
        result = python_build(root, out, kind, *options, isolated=False, env=env)
    outputs = sorted(path.name for path in out.iterdir()) if out.is_dir() else []
    text = _backend_lines(result)
    assert "Traceback" not in text, result.output
    outcome = Outcome(result.returncode, text, outputs)
    if case.fails:
        assert result.returncode != 0, result.output
        assert outputs == [], result.output
        # The frontend adds its own lines; ours must be there, exactly, in order.
        error = f"error: {case.error}".replace("{root}", places["root"]).replace("{tmp}", places["tmp"])
        assert error in text.splitlines(), result.output
        if case.hint is not None:
            hint = f"hint: {case.hint}".replace("{root}", places["root"]).replace("{tmp}", places["tmp"])
            lines = text.splitlines()
            assert lines[lines.index(error) + 1 :].count(hint) >= 1, result.output
    else:
        check(case, outcome, places)
