"""Ctrl-C and SIGTERM: one line, a clean exit code, no output left (a pure project, so no compiler)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.frontends import SRC

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

HOOK = "import sys, ironwheel; ironwheel.build_wheel(sys.argv[1])"


def _project(root: Path) -> Path:
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
    return root


def _interrupt(command: list[str], cwd: Path, signum: int) -> tuple[int, list[str]]:
    environ = {**os.environ, "PYTHONPATH": str(SRC), "_IRONWHEEL_TEST_STALL": "pack:30"}
    with subprocess.Popen(
        command, cwd=cwd, env=environ, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stderr is not None
        lines: list[str] = []
        for line in process.stderr:
            lines.append(line.rstrip("\n"))
            if "stalling at pack" in line:
                time.sleep(0.2)
                process.send_signal(signum)
                break
        lines += process.stderr.read().splitlines()
        return process.wait(timeout=30), lines


@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [(signal.SIGINT, 130, "error: interrupted"), (signal.SIGTERM, 143, "error: terminated")],
    ids=["INT", "TERM"],
)
@pytest.mark.parametrize("entry", ["cli", "hook"])
def test_an_interrupt_is_one_line_and_leaves_no_output(
    tmp_path: Path, entry: str, signum: int, code: int, line: str
) -> None:
    root = _project(tmp_path / "demo")
    outdir = tmp_path / "dist"
    command = (
        [
            sys.executable,
            "-m",
            "ironwheel",
            "build",
            "--wheel",
            "--no-isolation",
            "-o",
            str(outdir),
            str(root),
        ]
        if entry == "cli"
        else [sys.executable, "-c", HOOK, str(outdir)]
    )
    returncode, lines = _interrupt(command, root, signum)
    assert returncode == code
    assert lines[-1] == line
    assert not any("Traceback" in item for item in lines)
    assert not outdir.exists() or list(outdir.iterdir()) == []
