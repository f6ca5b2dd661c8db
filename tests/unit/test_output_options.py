"""Output: ninja's progress on one line on a terminal, plain lines elsewhere; -v and -q on every command."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ironwheel._run import run
from ironwheel.errors import CommandError

ROOT = Path(__file__).resolve().parents[2]

# A program that prints like ninja: progress lines, and a compiler warning between them.
NINJA_LIKE = (
    "import sys\n"
    "for line in ['[1/3] Building C object a.o', '[2/3] Building C object b.o', 'b.c:1: warning: unused',"
    " '[3/3] Linking C shared module _core.so']:\n"
    "    print(line, flush=True)\n"
    "sys.exit(int(sys.argv[1]))\n"
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(stream: io.StringIO, monkeypatch: pytest.MonkeyPatch, code: int = 0) -> None:
    monkeypatch.setattr(sys, "stderr", stream)
    logging.getLogger("ironwheel").setLevel(logging.INFO)
    run([sys.executable, "-c", NINJA_LIKE, str(code)])


def test_progress_shares_one_line_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "30")
    terminal = Terminal()
    _run(terminal, monkeypatch)
    assert terminal.getvalue() == (
        "\r[1/3] Building C object a.o\033[K"
        "\r[2/3] Building C object b.o\033[K"
        "\nb.c:1: warning: unused\n"
        "\r[3/3] Linking C shared module\033[K"  # cut at the terminal's width
        "\n"
    )


def test_progress_is_coloured_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    terminal = Terminal()
    _run(terminal, monkeypatch)
    assert "\r\033[1;36m[1/3] \033[0mBuilding C object a.o\033[K" in terminal.getvalue()


def test_plain_lines_in_logs_and_under_pip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # colour, perhaps; one line per line, always
    log = io.StringIO()
    _run(log, monkeypatch)
    assert log.getvalue() == (
        "[1/3] Building C object a.o\n[2/3] Building C object b.o\nb.c:1: warning: unused\n"
        "[3/3] Linking C shared module _core.so\n"
    )


def test_quiet_shows_the_output_only_when_the_program_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    logging.getLogger("ironwheel").setLevel(logging.WARNING)
    run([sys.executable, "-c", NINJA_LIKE, "0"])
    assert log.getvalue() == ""
    with pytest.raises(CommandError):
        run([sys.executable, "-c", NINJA_LIKE, "1"])
    assert log.getvalue().splitlines() == [
        "[1/3] Building C object a.o",
        "[2/3] Building C object b.o",
        "b.c:1: warning: unused",
        "[3/3] Linking C shared module _core.so",
    ]


def _cli(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("IRONWHEEL_")}
    return subprocess.run(
        [sys.executable, "-m", "ironwheel", *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
        env={**environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"},
    )


@pytest.fixture
def pure(tmp_path: Path) -> Path:
    root = tmp_path / "pure"
    (root / "pure").mkdir(parents=True)
    (root / "pure" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "pure"\nversion = "1"\n\n'
        "[[tool.ironwheel.overrides]]\nif = \"python_version >= '3'\"\nwheel.exclude = []\n"
    )
    return root


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_and_verbose_on_any_command(pure: Path, tmp_path: Path, where: str) -> None:
    def cli(option: str, *rest: str | Path) -> subprocess.CompletedProcess[str]:
        command, *others = rest
        return _cli(option, command, *others) if where == "before" else _cli(command, option, *others)

    outdir = tmp_path / "dist"
    quiet = cli("-q", "build", "--no-isolation", "-o", outdir, pure)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert quiet.stdout.splitlines() == [
        str(outdir / "pure-1.tar.gz"),
        str(outdir / "pure-1-py3-none-any.whl"),
    ]
    verbose = cli("-v", "build", "--wheel", "--no-isolation", "-o", outdir, pure)
    assert verbose.returncode == 0, verbose.stderr
    assert (
        "ironwheel: applying tool.ironwheel.overrides[0] (python_version >= '3')"
        in verbose.stderr.splitlines()
    )
    normal = _cli("build", "--wheel", "--no-isolation", "-o", outdir, pure)
    assert "ironwheel: applying tool.ironwheel.overrides[0] (python_version >= '3')" not in normal.stderr
    assert "ironwheel: building pure 1 (py3-none-any)" in normal.stderr.splitlines()
    for command in (["config", "--schema"], ["inspect", outdir / "pure-1-py3-none-any.whl"]):
        assert cli("-q", *command).returncode == 0


def test_quiet_and_verbose_exclude_each_other() -> None:
    both = _cli("-q", "-v", "config", "--schema")
    assert both.returncode == 2
    assert "argument -v/--verbose: not allowed with argument -q/--quiet" in both.stderr


def test_every_command_has_examples_and_output_options() -> None:
    commands = ["new", "init", "build", "develop", "repair", "migrate", "config", "inspect"]
    for command in commands:
        shown = _cli(command, "--help").stdout
        assert "examples:" in shown, command
        assert "-v, --verbose" in shown, command
        assert "-q, --quiet" in shown, command
