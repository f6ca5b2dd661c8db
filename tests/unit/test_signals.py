"""Ctrl-C and SIGTERM: one line, a clean exit code, no output left (a pure project, so no compiler)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ironwheel._output import PRESENTED, present
from ironwheel._signals import Terminated
from ironwheel.errors import ConfigError, ToolError
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


@pytest.mark.parametrize(
    ("caught", "lines", "code"),
    [
        (ConfigError("bad key", hint="fix it"), "error: bad key\nhint: fix it\n", 2),
        (ToolError("no cmake"), "error: no cmake\n", 3),
        (
            PermissionError(13, "Permission denied", "/out/x.whl"),
            "error: cannot access /out/x.whl: Permission denied\nhint: check that the project and output "
            "directories are writable and the disk is not full (-C build.dir= builds in a temporary directory)\n",
            1,
        ),
        (KeyboardInterrupt(), "error: interrupted\n", 130),
        (Terminated(), "error: terminated\n", 143),
    ],
)
def test_one_presentation_for_hooks_and_command_line(caught: BaseException, lines: str, code: int) -> None:
    stream = io.StringIO()
    assert present(caught, stream) == code
    assert stream.getvalue() == lines


def test_what_is_not_presented_is_raised_again() -> None:
    with pytest.raises(ZeroDivisionError):
        present(ZeroDivisionError(), io.StringIO())
    assert not isinstance(ZeroDivisionError(), PRESENTED)
