"""Builds interrupted (Ctrl-C), terminated (SIGTERM) and killed (SIGKILL) at every step.

Each step is made slow to aim at: a configure that sleeps (execute_process), a
build step that sleeps (a custom target), an install(CODE) that sleeps, and
for repair and packing the test-only ``_IRONWHEEL_TEST_STALL`` variable. After
the signal the output directory holds nothing, and the next build in the same
build directory succeeds and its wheel imports.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Venv
from tests.integration.frontends import SRC, tail

pytestmark = pytest.mark.slow

STALLS = """
if(DEFINED ENV{STALL_CONFIGURE})
  execute_process(COMMAND sleep $ENV{STALL_CONFIGURE})
endif()
add_custom_target(stall ALL COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/stall.sh" VERBATIM)
install(CODE "if(DEFINED ENV{STALL_INSTALL})\\n  execute_process(COMMAND sleep \\$ENV{STALL_INSTALL})\\nendif()")
"""
STALL_SCRIPT = """\
# A build step that takes STALL_BUILD seconds; with STALL_TRAP set it ignores the signals
# that stop a build, as a compiler stuck in I/O would.
[ -n "$STALL_TRAP" ] && trap '' TERM INT HUP
sleep "${STALL_BUILD:-0}"
"""

# step -> (environment that stalls it, the output line that says it has started)
STEPS = {
    "configure": ({"STALL_CONFIGURE": "6"}, "cmake -S"),
    "compile": ({"STALL_BUILD": "6"}, "ninja -C"),
    "install": ({"STALL_INSTALL": "6"}, "cmake --install"),
    "repair": ({"_IRONWHEEL_TEST_STALL": "repair:30"}, "stalling at repair"),
    "pack": ({"_IRONWHEEL_TEST_STALL": "pack:30"}, "stalling at pack"),
}
CHECK = "import internal_lib as m; print(m.value(), m.doubled(), m.one())"


@pytest.fixture
def root(project: Callable[[str], Path]) -> Path:
    path = project("internal_lib")
    with (path / "CMakeLists.txt").open("a") as lists:
        lists.write(STALLS)
    (path / "stall.sh").write_text(STALL_SCRIPT)
    return path


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        env={**os.environ, "PYTHONPATH": str(SRC), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: Ctrl-C reaches it and its children only
    )


def _signal_at(process: subprocess.Popen[str], marker: str, signum: int) -> tuple[int, str]:
    """Read the output until ``marker``, then deliver ``signum`` (SIGINT to the group, as Ctrl-C does)."""
    seen: list[str] = []
    with process:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            if marker in line:
                time.sleep(1)
                if signum == signal.SIGINT:
                    os.killpg(process.pid, signum)
                else:
                    os.kill(process.pid, signum)
                break
        else:
            pytest.fail(f"{marker!r} never came:\n{tail(''.join(seen))}")
        seen.append(process.stdout.read())
        return process.wait(timeout=120), "".join(seen)


def _cli(root: Path, outdir: Path, mode: str = "off") -> list[str]:
    return [
        sys.executable,
        "-m",
        "ironwheel",
        "build",
        "--wheel",
        "--no-isolation",
        "-o",
        str(outdir),
        str(root),
        "-C",
        f"repair.mode={mode}",
    ]


def _rebuild_and_import(root: Path, outdir: Path, venv: Venv) -> str:
    completed = subprocess.run(
        _cli(root, outdir),
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, tail(completed.stderr)
    (wheel,) = outdir.iterdir()
    assert wheel.suffix == ".whl"
    venv.install(wheel)
    assert venv.run(CHECK) == "21 42 1"
    return completed.stderr


EXPECTED: dict[int, tuple[int, str | None]] = {
    signal.SIGINT: (130, "error: interrupted"),
    signal.SIGTERM: (143, "error: terminated"),
    signal.SIGKILL: (-signal.SIGKILL, None),
}


@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["INT", "TERM", "KILL"]
)
@pytest.mark.parametrize("step", list(STEPS))
def test_an_interrupted_build_leaves_nothing_and_the_next_one_works(
    root: Path, tmp_path: Path, fresh_venv: Venv, step: str, signum: int
) -> None:
    env, marker = STEPS[step]
    outdir = tmp_path / "dist"
    # The repair step runs auditwheel for real; the others leave it out, to be quick.
    mode = "on" if step == "repair" else "off"
    code, output = _signal_at(_start(_cli(root, outdir, mode), env), marker, signum)
    expected_code, last_line = EXPECTED[signum]
    assert code == expected_code, tail(output)
    if last_line is not None:
        assert output.splitlines()[-1] == last_line, tail(output)
        assert "Traceback" not in output
    # Nothing half-written (or finished) in the output directory.
    assert not outdir.exists() or list(outdir.iterdir()) == []
    _rebuild_and_import(root, outdir, fresh_venv)
    # The build dir holds no temporary file of the killed build either.
    state = next((root / "build").iterdir()) / ".ironwheel"
    assert list(state.rglob("*.tmp")) == []


def test_orphans_of_a_killed_build_hold_the_build_dir(root: Path, tmp_path: Path, fresh_venv: Venv) -> None:
    outdir = tmp_path / "dist"
    # A build step that ignores SIGTERM outlives ninja, which the kill takes down with it.
    env = {"STALL_BUILD": "10", "STALL_TRAP": "1"}
    code, output = _signal_at(_start(_cli(root, outdir), env), "ninja -C", signal.SIGKILL)
    assert code == -signal.SIGKILL, tail(output)
    killed = time.monotonic()
    stderr = _rebuild_and_import(root, outdir, fresh_venv)
    build_dir = next((root / "build").iterdir())
    lines = stderr.splitlines()
    waiting = f"ironwheel: waiting for another build using {build_dir}"
    assert waiting in lines
    # The next build ran its own ninja only once the orphan was gone.
    held = [line for line in lines if line.startswith("ironwheel: the build dir's lock is held by ")]
    assert held, tail(stderr)
    assert "(sleep)" in held[0]
    assert lines.index(waiting) < next(i for i, line in enumerate(lines) if "ninja -C" in line)
    assert time.monotonic() - killed >= 8


@pytest.mark.parametrize("frontend", ["pip", "build"])
def test_ctrl_c_under_a_frontend_is_one_line(root: Path, tmp_path: Path, frontend: str) -> None:
    outdir = tmp_path / "dist"
    command = (
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(root),
            "-w",
            str(outdir),
            "--no-deps",
            "-v",
            "--no-build-isolation",
        ]
        if frontend == "pip"
        else [
            sys.executable,
            "-m",
            "build",
            str(root),
            "--wheel",
            "-o",
            str(outdir),
            "--no-isolation",
            "--skip-dependency-check",
        ]
    )
    code, output = _signal_at(_start(command, {"STALL_BUILD": "20"}), "ninja -C", signal.SIGINT)
    assert code != 0
    if frontend == "build":
        assert "error: interrupted" in [line.strip() for line in output.splitlines()], tail(output)
    else:  # pip stops showing the backend's output when cancelled, and says so itself
        assert "ERROR: Operation cancelled by user" in output
    # Whatever the frontend prints of its own, no traceback comes from inside ironwheel.
    assert f"{os.sep}ironwheel{os.sep}" not in "".join(
        line for line in output.splitlines() if line.lstrip().startswith("File ")
    )
    assert not outdir.exists() or list(outdir.iterdir()) == []
