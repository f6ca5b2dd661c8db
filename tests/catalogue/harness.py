"""The bad-input catalogue: each input paired with the exact lines ironwheel prints.

A :class:`Case` is a project (pyproject.toml text, files, symbolic links, named pipes), the
``-C`` settings and environment variables of one build, and what must come
out: the ``error:`` and ``hint:`` lines of a failure, or the ``warning:``
lines of a build that succeeds. To add a case, append a ``Case`` to the
``CASES`` list of the area file it belongs to; :func:`run_case` does the rest.

Cases run in-process through the real PEP 517 hook functions with stderr
captured; ``frontend=True`` cases also run through pip and build
(``test_frontends.py``). Expected lines may use ``{root}`` (the project
directory), ``{tmp}`` (the test's temporary directory), ``{out}`` (the
output directory) and ``{ext}`` (the file name suffix of extension
modules); so may file contents, link targets, settings and variables.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pytest

__all__ = ["PYPROJECT", "Case", "Outcome", "build_tree", "check", "ids", "places_of", "run_case", "tool"]

PYPROJECT = """\
[build-system]
requires = ["ironwheel"]
build-backend = "ironwheel"

[project]
name = "demo"
version = "1.0"
"""

Hook = Literal["wheel", "sdist", "metadata", "editable"]


@dataclasses.dataclass(frozen=True)
class Case:
    """One input and the lines it must produce."""

    name: str
    pyproject: str | None = PYPROJECT  # None: no pyproject.toml at all
    pyproject_bytes: bytes | None = None  # written as is instead, for encodings
    files: Mapping[str, str] = dataclasses.field(default_factory=lambda: {"src/demo/__init__.py": ""})
    links: Mapping[str, str] = dataclasses.field(default_factory=dict)  # link -> target
    fifos: Sequence[str] = ()  # named pipes: a read that does not check first blocks forever
    config: Mapping[str, str | list[str] | None] = dataclasses.field(default_factory=dict)
    env: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # Programs put on an otherwise empty PATH (None leaves PATH alone).
    tools: Sequence[str] | None = None
    hook: Hook = "wheel"
    error: str | None = None
    hint: str | None = None
    warnings: Sequence[str] = ()
    slow: bool = False  # compiles or runs CMake
    # Runs `python -m ironwheel build` in its own mount namespace (unshare) with the output
    # directory on a tiny tmpfs ("full-output"), on a read-only one ("readonly-output"), or
    # the project bind-mounted read-only ("readonly-project"): real file systems, no fault injection.
    mount: Literal["full-output", "readonly-output", "readonly-project"] | None = None
    frontend: bool = False  # also run through pip and build
    # The archive is one twine check refuses, as a warning says: not cross-checked (conftest.py).
    twine_refuses: bool = False
    root: str = "demo"  # the project directory's name (spaces, non-ASCII...)
    # Modules that cannot be imported during the case, as on a machine without them (in-process only).
    missing: Sequence[str] = ()

    @property
    def fails(self) -> bool:
        return self.error is not None


def ids(cases: Sequence[Case]) -> list[Any]:
    """Parameters for ``pytest.mark.parametrize``, slow cases marked."""
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.slow] * case.slow + [pytest.mark.unchecked_archives] * case.twine_refuses,
        )
        for case in cases
    ]


def _fill(text: str, places: Mapping[str, str]) -> str:
    for key, value in places.items():
        text = text.replace("{" + key + "}", value)
    return text


def places_of(tmp: Path, case: Case) -> dict[str, str]:
    import sysconfig

    return {
        "root": str(tmp / case.root),
        "tmp": str(tmp),
        "out": str(tmp / "out"),
        "ext": str(sysconfig.get_config_var("EXT_SUFFIX")),
    }


def build_tree(tmp: Path, case: Case) -> Path:
    """Write the case's project; return its root."""
    places = places_of(tmp, case)
    root = tmp / case.root
    root.mkdir(parents=True)
    if case.pyproject_bytes is not None:
        (root / "pyproject.toml").write_bytes(case.pyproject_bytes)
    elif case.pyproject is not None:
        (root / "pyproject.toml").write_text(_fill(case.pyproject, places), encoding="utf-8")
    for name, content in case.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(content, places), encoding="utf-8")
    for name, target in case.links.items():
        link = root / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(_fill(target, places))
    for name in case.fifos:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / name)
    return root


def tool_dir(tmp: Path, tools: Sequence[str]) -> Path:
    """A directory holding only the named programs (found on the real PATH)."""
    import shutil

    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in tools:
        found = shutil.which(tool)
        assert found is not None, f"{tool} is needed to set up this case"
        (bin_dir / tool).symlink_to(found)
    return bin_dir


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What one run printed and left behind."""

    exit_code: int
    stderr: str
    outputs: list[str]

    def lines(self, prefix: str) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(prefix)]


def _call(hook: Hook, out: Path, config: Mapping[str, str | list[str] | None]) -> int:
    import ironwheel

    try:
        if hook == "wheel":
            ironwheel.build_wheel(str(out), dict(config))
        elif hook == "sdist":
            ironwheel.build_sdist(str(out), dict(config))
        elif hook == "editable":
            ironwheel.build_editable(str(out), dict(config))
        else:
            ironwheel.prepare_metadata_for_build_wheel(str(out), dict(config))
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


def run_case(
    case: Case, tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Outcome:
    """Run the case's hook in-process; check the exact lines; return what happened."""
    places = places_of(tmp, case)
    root = build_tree(tmp, case)
    if any("{nvcc}" in value for value in case.env.values()):
        # The system's nvcc, else NVIDIA's from PyPI (skipped where neither can be had, failed under CI).
        from tests.integration.cuda import cuda_environment

        cuda = cuda_environment(tmp / "cuda")
        places["nvcc"] = cuda.pop("CUDACXX")
        for name, value in cuda.items():
            monkeypatch.setenv(name, value)
    for name, value in case.env.items():
        monkeypatch.setenv(name, _fill(value, places))
    if case.tools is not None:
        import sysconfig

        bin_dir = str(tool_dir(tmp, [*case.tools, "python3"]))
        monkeypatch.setenv("PATH", bin_dir)
        # This interpreter's own scripts directory is searched after PATH: hide it too.
        real = sysconfig.get_path

        def get_path(name: str, *args: Any, **kwargs: Any) -> str:
            return bin_dir if name == "scripts" else real(name, *args, **kwargs)

        monkeypatch.setattr(sysconfig, "get_path", get_path)
    for module in case.missing:
        monkeypatch.setitem(sys.modules, module, None)  # importing it raises ImportError
    monkeypatch.chdir(root)
    out = tmp / "out"
    if case.mount is not None:
        outcome = _run_mounted(case, root, out, places)
        check(case, outcome, places)
        return outcome
    config = {
        key: [_fill(item, places) for item in value]
        if isinstance(value, list)
        else value and _fill(value, places)
        for key, value in case.config.items()
    }
    capsys.readouterr()
    code = _call(case.hook, out, config)
    stderr = capsys.readouterr().err
    outputs = sorted(path.name for path in out.iterdir()) if out.is_dir() else []
    outcome = Outcome(code, stderr, outputs)
    check(case, outcome, places)
    return outcome


_MOUNTS = {
    "full-output": 'mount -t tmpfs -o size=64k tmpfs "$OUT"',
    "readonly-output": 'mount -t tmpfs -o ro,size=64k tmpfs "$OUT"',
    "readonly-project": 'mount --bind "$ROOT" "$ROOT" && mount -o remount,bind,ro "$ROOT"',
}


def can_mount() -> bool:
    """Whether this process may make a mount namespace of its own (root, or a user namespace)."""
    import shutil
    import subprocess

    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "mount", "-t", "tmpfs", "tmpfs", "/mnt"], capture_output=True, check=False
    )
    return probe.returncode == 0


def _run_mounted(case: Case, root: Path, out: Path, places: Mapping[str, str]) -> Outcome:
    import subprocess

    if not can_mount():
        pytest.skip("needs unshare and mount permission (root) for a real full or read-only file system")
    out.mkdir()
    src = str(Path(__file__).resolve().parents[2] / "src")
    command = [
        sys.executable,
        "-m",
        "ironwheel",
        "build",
        "--wheel",
        "--no-isolation",
        "-o",
        str(out),
        str(root),
    ]
    command += ["--sdist"] if case.hook == "sdist" else []
    for key, value in case.config.items():
        for item in value if isinstance(value, list) else [value or ""]:
            command += ["-C", f"{key}={_fill(item, places)}"]
    # The tmpfs lives as long as the namespace: list what the build left in it from inside.
    script = _MOUNTS[case.mount or ""] + ' && { "$@"; code=$?; echo @@left; ls -A "$OUT"; exit $code; }'
    environ = {**os.environ, "OUT": str(out), "ROOT": str(root), "PYTHONPATH": src}
    completed = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *command],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "@@left" in completed.stdout, completed.stderr
    left = completed.stdout.split("@@left", 1)[1].split()
    return Outcome(completed.returncode, completed.stderr, sorted(left))


def check(case: Case, outcome: Outcome, places: Mapping[str, str]) -> None:
    """The exact lines, the exit code and the output directory, as the case says."""
    shown = f"\n--- stderr ---\n{outcome.stderr}"
    assert "Traceback" not in outcome.stderr, shown
    if case.fails:
        assert outcome.exit_code != 0, shown
        assert outcome.lines("error:")[:1] == [f"error: {_fill(case.error or '', places)}"], shown
        expected_hint = [f"hint: {_fill(case.hint, places)}"] if case.hint is not None else []
        assert outcome.lines("hint:") == expected_hint, shown
        # No partial output: nothing in the output directory, not even a temporary file.
        assert [name for name in outcome.outputs if not name.endswith(".dist-info")] == [], shown
        assert outcome.outputs == [], shown
    else:
        assert outcome.exit_code == 0, shown
        assert outcome.outputs, shown
    warnings = outcome.lines("warning:")
    for warning in case.warnings:
        assert f"warning: {_fill(warning, places)}" in warnings, shown
    if not case.fails:
        assert len(warnings) == len(case.warnings), shown


def tool(text: str) -> str:
    """The default pyproject.toml with ``text`` (a [tool.ironwheel...] table) after it."""
    return PYPROJECT + "\n" + text
