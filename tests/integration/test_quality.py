"""The code base stays ruff-clean, formatted and mypy-strict; the CI workflows pass actionlint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_tool

pytestmark = pytest.mark.slow

WORKFLOWS = ROOT / ".github" / "workflows"


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "src", "tests", "benchmarks"],
        ["ruff", "format", "--check", "src", "tests", "benchmarks"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_satisfied(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def actionlint(*arguments: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """actionlint, with shellcheck checking the run: scripts (both from tests/requirements.txt)."""
    command = [require_tool("actionlint"), "-no-color", "-shellcheck", require_tool("shellcheck")]
    return subprocess.run(
        [*command, "-pyflakes=", *map(str, arguments)], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_workflows_pass_actionlint() -> None:
    workflows = sorted(WORKFLOWS.glob("*.yml"))
    assert [path.name for path in workflows] == ["lint.yml", "tests.yml"]
    result = actionlint(*workflows)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_and_shellcheck_find_mistakes(tmp_path: Path) -> None:
    """The check above can fail: a workflow with a bad key and an unquoted variable does not pass."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout: 5\n"
        "    steps:\n"
        "      - run: rm -rf $TARGET/*\n"
    )
    result = actionlint(broken, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'unexpected key "timeout" for "job" section' in result.stdout, result.stdout
    assert "shellcheck reported issue in this script: SC2115:warning" in result.stdout, result.stdout


def test_ci_scripts_pass_shellcheck() -> None:
    scripts = sorted((ROOT / ".ci").iterdir())
    assert [path.name for path in scripts] == ["run", "without-apt-tools"]
    result = subprocess.run(
        [require_tool("shellcheck"), *map(str, scripts)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
