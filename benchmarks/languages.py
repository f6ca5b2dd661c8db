"""Time builds of the language examples: cold, unchanged, after editing one source.

    python benchmarks/languages.py [--runs 5] [example ...]

Each example is copied to a temporary directory and built with
``python -m ironwheel build --wheel --no-isolation`` (no isolation; the running Python needs Cython
and NumPy) into its persistent build directory. Reported: the first build
(CMake configures and compiles everything), a build with nothing changed
(should only run ninja), a build after touching one source (one module is
recompiled), and the ``get_requires_for_build_wheel`` hook alone (reads the
tables and the sources' includes). Medians of ``--runs`` runs, in seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# example -> the source touched for the one-edit rebuild
EXAMPLES = {
    "declarative-c": "src/declarative_c_example/stats.c",
    "cython": "src/cython_example/_primes.pyx",
    "fortran-f2py": "src/fortran_f2py_example/smooth.f90",
}
_REQUIRES = "import ironwheel; print(ironwheel.get_requires_for_build_wheel())"


def _environ() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=_environ(), check=True, capture_output=True)
    return time.perf_counter() - started


def measure(example: str, runs: int) -> dict[str, float]:
    build = [sys.executable, "-m", "ironwheel", "build", "--wheel", "--no-isolation", "-o", "dist", "."]
    with tempfile.TemporaryDirectory(prefix="ironwheel-bench-") as temporary:
        project = Path(temporary) / example
        shutil.copytree(ROOT / "examples" / example, project)
        cold: list[float] = []
        for _ in range(runs):
            shutil.rmtree(project / "build", ignore_errors=True)
            cold.append(_timed(build, project))
        unchanged = [_timed(build, project) for _ in range(runs)]
        edited: list[float] = []
        source = project / EXAMPLES[example]
        for _ in range(runs):
            source.write_text(source.read_text() + "\n")
            edited.append(_timed(build, project))
        requires = [_timed([sys.executable, "-c", _REQUIRES], project) for _ in range(runs)]
    return {
        "cold": statistics.median(cold),
        "unchanged": statistics.median(unchanged),
        "one edit": statistics.median(edited),
        "get_requires": statistics.median(requires),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("examples", nargs="*", metavar="example", help=", ".join(sorted(EXAMPLES)))
    arguments = parser.parse_args()
    unknown = sorted(set(arguments.examples) - set(EXAMPLES))
    if unknown:
        parser.error(f"unknown examples: {', '.join(unknown)}")
    print(f"| example | cold | unchanged | one edit | get_requires |  (median of {arguments.runs}, seconds)")
    print("| --- | --- | --- | --- | --- |")
    for example in arguments.examples or sorted(EXAMPLES):
        result = measure(example, arguments.runs)
        cells = " | ".join(f"{result[key]:.2f}" for key in ("cold", "unchanged", "one edit", "get_requires"))
        print(f"| {example} | {cells} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
