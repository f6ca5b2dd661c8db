"""_reuse: the last wheel handed out from a record, and every way the record is not trusted.

A hand-made record over a hand-made build dir: the integration tests
(tests/integration/test_reuse.py) write real ones with real builds.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from ironwheel import _layout, _reuse
from ironwheel._records import signature

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the build commands are shell scripts")

NAME = "demo-1-cp311-cp311-linux_x86_64.whl"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    state = root / "build" / "tag" / _layout.STATE_DIR
    (state / _layout.LAST_WHEEL).mkdir(parents=True)
    (state / _layout.LAST_WHEEL / NAME).write_bytes(b"the wheel")
    (state / _layout.STAGING / "platlib").mkdir(parents=True)
    (state / _layout.STAGING / "platlib" / "mod.so").write_bytes(b"module")
    (root / "pyproject.toml").write_text("[project]\n")
    monkeypatch.chdir(root)
    return root


def state_dir(root: Path) -> Path:
    return root / "build" / "tag" / _layout.STATE_DIR


def write_record(root: Path, environ: dict[str, str], script: str = "", **changes: Any) -> None:
    """The record a build would leave; ``script`` is what its build command (a "ninja") does too."""
    state = state_dir(root)
    kept = state / _layout.LAST_WHEEL / NAME
    staged = state / _layout.STAGING / "platlib" / "mod.so"
    log = root / "commands.log"
    command = root / "ninja"
    command.write_text(f"#!/bin/sh\necho ran >> '{log}'\n{script}")
    command.chmod(0o755)
    data: dict[str, Any] = {
        "process": _reuse.process_key({"a": "1"}, environ),
        "before": [[str(root / "pyproject.toml"), signature(root / "pyproject.toml")]],
        "without_ctime": [[str(command), signature(command, ctime=False)]],
        "commands": [[str(command)]],
        "environment": {"SOURCE_DATE_EPOCH": "315532800"},
        "after": [],
        "staged": [["platlib", "mod.so", signature(staged)]],
        "wheel": NAME,
        "wheel_signature": signature(kept),
        "warnings": [],
        **changes,
    }
    _reuse.save(str(state), data)


def recall(
    root: Path, tmp_path: Path, environ: dict[str, str], settings: dict[str, str] | None = None
) -> bool:
    out = tmp_path / "out"
    name = _reuse.recall(str(out), {"a": "1"} if settings is None else settings, environ)
    if name is None:
        assert not (out / NAME).exists()
        return False
    assert name == NAME
    assert (out / NAME).read_bytes() == b"the wheel"
    (out / NAME).unlink()
    return True


ENVIRON = {"PATH": "/usr/bin", "CFLAGS": "-O2"}


def test_a_record_that_holds_hands_out_the_wheel_after_running_the_build(root: Path, tmp_path: Path) -> None:
    write_record(root, ENVIRON)
    assert recall(root, tmp_path, ENVIRON)
    assert (root / "commands.log").read_text() == "ran\n"
    # Variables that shells and frontends change on each run are no input.
    assert recall(
        root, tmp_path, {**ENVIRON, "_": "/usr/bin/python", "OLDPWD": "/", "PIP_BUILD_TRACKER": "/tmp/x"}
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "pyproject.toml").write_text("[project]\nname = 'x'\n"),
        lambda root: (root / "ninja").write_text("#!/bin/sh\nexit 0\n"),
        lambda root: (state_dir(root) / _layout.LAST_WHEEL / NAME).write_bytes(b"another wheel"),
        lambda root: (state_dir(root) / _layout.LAST_WHEEL / NAME).unlink(),
        lambda root: (state_dir(root) / _layout.STAGING / "platlib" / "mod.so").write_bytes(b"other"),
        lambda root: (state_dir(root) / _layout.STAGING / "platlib" / "new.py").write_text(""),
        lambda root: (state_dir(root) / _layout.REUSE).write_text("{"),
        lambda root: (state_dir(root) / _layout.REUSE).write_text(json.dumps({"process": "x"})),
        lambda root: (state_dir(root) / _layout.REUSE).write_text("[]"),
    ],
    ids=[
        "a file of the project",
        "a program",
        "the kept wheel",
        "the kept wheel removed",
        "a staged file",
        "a file added to the staging trees",
        "a damaged record",
        "a record of another kind",
        "a list",
    ],
)
def test_a_change_anywhere_gets_nothing_back(root: Path, tmp_path: Path, change: Any) -> None:
    write_record(root, ENVIRON)
    change(root)
    assert not recall(root, tmp_path, ENVIRON)


def test_the_process_is_an_input(root: Path, tmp_path: Path) -> None:
    write_record(root, ENVIRON)
    assert not recall(root, tmp_path, {**ENVIRON, "CFLAGS": "-O3"})
    assert not recall(root, tmp_path, {**ENVIRON, "NEW": "1"})
    assert not recall(root, tmp_path, ENVIRON, settings={"a": "2"})
    assert recall(root, tmp_path, ENVIRON)


@pytest.mark.parametrize(
    "change",
    [
        lambda patch: patch.setattr("platform.node", lambda: "another-host"),
        lambda patch: patch.setattr("os.uname", lambda: ("Linux", "host", "6.1", "#2", "aarch64")),
    ],
    ids=["the host name", "the machine"],
)
def test_the_machine_is_an_input(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    # Overrides match the host name (if.platform-node); the target is told by the machine.
    write_record(root, ENVIRON)
    with monkeypatch.context() as patch:
        change(patch)
        assert not recall(root, tmp_path, ENVIRON)
    assert recall(root, tmp_path, ENVIRON)


def test_the_wheel_is_not_written_through_a_link_planted_in_the_output(root: Path, tmp_path: Path) -> None:
    write_record(root, ENVIRON)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("mine\n")
    victim.chmod(0o600)
    for pid in range(os.getpid() - 50, os.getpid() + 50):
        (out / f".{NAME}.{pid}-reuse.tmp").symlink_to(victim)
    assert recall(root, tmp_path, ENVIRON)
    assert victim.read_text() == "mine\n"
    assert victim.stat().st_mode & 0o777 == 0o600


def test_a_failing_build_command_gets_nothing_back(root: Path, tmp_path: Path) -> None:
    write_record(root, ENVIRON)
    record = json.loads((state_dir(root) / _layout.REUSE).read_text())
    write_record(root, ENVIRON, commands=[*record["commands"], ["/bin/false"]])
    assert not recall(root, tmp_path, ENVIRON)


def test_what_a_build_command_changes_is_seen(root: Path, tmp_path: Path) -> None:
    staged = state_dir(root) / _layout.STAGING / "platlib" / "mod.so"
    # The record of a build whose ninja, run again, rebuilds the module.
    write_record(root, ENVIRON, script=f"echo rebuilt > '{staged}'\n")
    assert not recall(root, tmp_path, ENVIRON)
    assert staged.read_text() == "rebuilt\n"


def test_a_build_dir_in_use_is_left_to_the_full_build(root: Path, tmp_path: Path) -> None:
    write_record(root, ENVIRON)
    with open(state_dir(root) / _layout.LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert not recall(root, tmp_path, ENVIRON)
    assert not (root / "commands.log").exists()
    assert recall(root, tmp_path, ENVIRON)


def test_the_build_s_warnings_are_given_again(
    root: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    write_record(root, ENVIRON, warnings=["packing src/demo/.env, which may hold secrets"])
    assert recall(root, tmp_path, ENVIRON)
    err = capfd.readouterr().err
    assert "warning: packing src/demo/.env, which may hold secrets" in err
    assert f"ironwheel: nothing changed since the last build of {NAME}: handed it out again" in err


def test_quiet_says_nothing_but_warnings(
    root: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IRONWHEEL_QUIET", "1")
    environ = dict(os.environ)
    write_record(root, environ)
    assert recall(root, tmp_path, environ)
    assert "handed it out" not in capfd.readouterr().err
