#!/usr/bin/env python3
"""Build speed: ironwheel side by side with scikit-build-core, setuptools and two floors.

    python benchmarks/bench.py [--n 24] [--repeat 3] [--weight 2] [--work DIR] [--write-results]

The script makes a virtual environment (scikit-build-core, setuptools, build
and pyproject-hooks from PyPI, ironwheel from this checkout) and a local
wheelhouse for isolated builds, so that no build waits on the network. It
generates a synthetic project (N C++ translation units, each about 0.5-1 s to
compile at -O2, linked into one extension module written against the plain C
API) once per build system, and a trivial one-file C extension. Every
scenario runs its systems in alternating order, ``--repeat`` times, and
reports the median, the range and the ratios the targets are stated in. The
floor (``benchmarks/floor.sh``) is what a person would type, with no Python
started: cmake configure (when there is no build tree yet), ninja, cmake
--install and a wheel zipped by the shell. "raw" is the same with the wheel
zipped by a Python script.

ccache is disabled for every system (CCACHE_DISABLE=1): a clean build means
compiling. ``--write-results`` rewrites benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from projects import NOP_BACKEND, OPT, UNIT, ZIP_WHEEL, touch_unit, write_project
from report import Report, alternate, fmt, write_results

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLOOR = "floor"
SYSTEMS = ("ironwheel", "scikit-build-core", "setuptools", "raw", FLOOR)
BASELINES = ("raw", FLOOR)
FLOOR_SCRIPT = HERE / "floor.sh"

# --- running things --------------------------------------------------------------------------


@dataclasses.dataclass
class Bench:
    work: Path
    python: Path  # the benchmark venv's interpreter
    wheels: Path  # the local wheelhouse for isolated builds
    repeat: int
    units: int
    weight: int
    environ: dict[str, str]

    @property
    def out(self) -> Path:
        return self.work / "out"

    def run(self, command: Sequence[str | os.PathLike[str]], cwd: Path | None = None) -> float:
        """Run a command (output hidden unless it fails); return its wall time."""
        started = time.perf_counter()
        completed = subprocess.run(
            [os.fspath(part) for part in command],
            cwd=cwd,
            env=self.environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            sys.stderr.write(completed.stdout.decode(errors="replace")[-4000:])
            raise SystemExit(f"failed: {' '.join(map(str, command))}")
        return elapsed

    def pip_wheel(self, project: Path, *, isolated: bool, settings: dict[str, str] | None = None) -> float:
        shutil.rmtree(self.out, ignore_errors=True)
        command: list[str | os.PathLike[str]] = [
            self.python,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-w",
            self.out,
            project,
        ]
        command += [f"--config-settings={key}={value}" for key, value in (settings or {}).items()]
        return self.run([*command, *([] if isolated else ["--no-build-isolation"])])

    def python_build(self, project: Path, *, isolated: bool) -> float:
        shutil.rmtree(self.out, ignore_errors=True)
        command: list[str | os.PathLike[str]] = [
            self.python,
            "-m",
            "build",
            "--wheel",
            "--outdir",
            self.out,
            project,
        ]
        return self.run([*command, *([] if isolated else ["--no-isolation"])])

    def hook(self, project: Path, system: str, name: str, settings: dict[str, str] | None = None) -> float:
        """One PEP 517 hook through pyproject-hooks, in a new process as frontends call it."""
        from pyproject_hooks import BuildBackendHookCaller

        backends = {
            "ironwheel": "ironwheel",
            "scikit-build-core": "scikit_build_core.build",
            "setuptools": "setuptools.build_meta",
            "nop": "nopbackend",
        }

        def runner(cmd: Sequence[str], cwd: str | None = None, extra_environ: object = None) -> None:
            environ = {**self.environ, **(extra_environ or {})}  # type: ignore[dict-item]
            subprocess.run(cmd, cwd=cwd, env=environ, check=True, capture_output=True)

        caller = BuildBackendHookCaller(
            str(project), backends[system], runner=runner, backend_path=["."] if system == "nop" else None
        )
        started = time.perf_counter()
        if name == "get_requires":
            caller.get_requires_for_build_wheel(settings)
        else:
            shutil.rmtree(self.out, ignore_errors=True)
            self.out.mkdir(parents=True)
            caller.build_wheel(str(self.out), settings)
        return time.perf_counter() - started

    def raw(self, project: Path, *, clean: bool) -> float:
        """The floor: configure (clean builds), ninja, cmake --install, zip."""
        build, stage = project / "build", project / "stage"
        total = 0.0
        if clean:
            shutil.rmtree(build, ignore_errors=True)
            total += self.run(
                ["cmake", "-S", project, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                 f"-DCMAKE_CXX_FLAGS_RELEASE={OPT}", f"-DCMAKE_C_FLAGS_RELEASE={OPT}",
                 f"-DPython_EXECUTABLE={self.python}"]
            )  # fmt: skip
        shutil.rmtree(stage, ignore_errors=True)
        total += self.run(["ninja", "-C", build])
        total += self.run(["cmake", "--install", build, "--prefix", stage])
        self.out.mkdir(parents=True, exist_ok=True)
        total += self.run([self.python, "-c", ZIP_WHEEL, stage, self.out / "bench-1.0-raw.whl"])
        return total

    def floor(self, project: Path, *, clean: bool) -> float:
        """The floor without Python: benchmarks/floor.sh (configure when there is no tree yet)."""
        if clean:
            for name in ("build", "stage"):
                shutil.rmtree(project / name, ignore_errors=True)
        self.out.mkdir(parents=True, exist_ok=True)
        wheel = self.out / "bench-1.0-py3-none-any.whl"
        return self.run(["sh", FLOOR_SCRIPT, project, wheel, self.python, OPT])

    def baseline(self, system: str, project: Path, *, clean: bool) -> float:
        """One of the two floors ("raw" or "floor")."""
        if system == FLOOR:
            return self.floor(project, clean=clean)
        return self.raw(project, clean=clean)


def clean(project: Path) -> None:
    for name in ("build", "stage", "dist"):
        shutil.rmtree(project / name, ignore_errors=True)


# --- scenarios -------------------------------------------------------------------------------


def trivial(bench: Bench, report: Report) -> None:
    projects = {system: write_project(bench.work / "trivial" / system, system, 0, 0) for system in SYSTEMS}

    def build(system: str, isolated: bool) -> Callable[[], float]:
        def once() -> float:
            clean(projects[system])
            if system in BASELINES:
                return bench.baseline(system, projects[system], clean=True)
            return bench.python_build(projects[system], isolated=isolated)

        return once

    for isolated in (False, True):
        label = "isolated" if isolated else "--no-isolation"
        systems = {name: build(name, isolated) for name in SYSTEMS if not (isolated and name in BASELINES)}
        medians = report.add(
            f"Trivial one-file C extension, clean `python -m build --wheel` ({label})",
            alternate(bench, systems),
        )
        if not isolated:
            ratio = medians["ironwheel"] / medians[FLOOR]
            best = min(medians["scikit-build-core"], medians["setuptools"]) / medians[FLOOR]
            report.target(
                "trivial extension, build --no-isolation vs floor",
                f"{ratio:.2f}x (best peer {best:.2f}x; vs raw {medians['ironwheel'] / medians['raw']:.2f}x)",
                "<= 1.5x",
                ratio <= 1.5,
            )


def clean_build(bench: Bench, report: Report) -> None:
    projects = {
        system: write_project(bench.work / "clean" / system, system, bench.units, bench.weight)
        for system in SYSTEMS
    }

    def build(system: str) -> Callable[[], float]:
        def once() -> float:
            clean(projects[system])
            if system in BASELINES:
                return bench.baseline(system, projects[system], clean=True)
            return bench.hook(projects[system], system, "build_wheel")

        return once

    medians = report.add(
        f"Clean build of N={bench.units} (build_wheel through pyproject-hooks, no isolation)",
        alternate(bench, {name: build(name) for name in SYSTEMS}),
    )
    ratio = medians["ironwheel"] / medians["raw"]
    best = min(medians["scikit-build-core"], medians["setuptools"]) / medians["raw"]
    report.target(
        f"clean N={bench.units} vs raw",
        f"{ratio:.3f}x (best peer {best:.3f}x; vs floor {medians['ironwheel'] / medians[FLOOR]:.3f}x)",
        "<= 1.03x",
        ratio <= 1.03,
    )


def persistent(bench: Bench, report: Report) -> None:
    projects = {
        system: write_project(bench.work / "persistent" / system, system, bench.units, bench.weight)
        for system in SYSTEMS
    }
    settings = {"scikit-build-core": {"build-dir": "build/{wheel_tag}"}}

    def build(system: str) -> Callable[[], float]:
        def once() -> float:
            if system in BASELINES:
                return bench.baseline(system, projects[system], clean=False)
            return bench.hook(projects[system], system, "build_wheel", settings.get(system))

        return once

    systems = {name: build(name) for name in SYSTEMS}
    for name in SYSTEMS:  # a first, full build of each, and a second that finds its records
        clean(projects[name])
        if name in BASELINES:
            bench.baseline(name, projects[name], clean=True)
        else:
            systems[name]()
            systems[name]()
    for touched in (True, False):
        before = (lambda name: touch_unit(projects[name])) if touched else None
        what = "one of N files edited" if touched else "nothing changed"
        # Differences of tens of milliseconds: more rounds than the long scenarios.
        rounds, bench.repeat = bench.repeat, max(bench.repeat, 5 if touched else 10)
        try:
            runs = alternate(bench, systems, before)
        finally:
            bench.repeat = rounds
        medians = report.add(
            f"Persistent build dir, no isolation, {what} "
            "(build_wheel through pyproject-hooks; scikit-build-core with build-dir)",
            runs,
        )
        ratio = medians["ironwheel"] / medians[FLOOR]
        best = min(medians["scikit-build-core"], medians["setuptools"]) / medians[FLOOR]
        goal = 1.3 if touched else 1.0
        report.target(
            f"persistent, {what}, vs floor",
            f"{ratio:.2f}x (best peer {best:.2f}x; vs raw {medians['ironwheel'] / medians['raw']:.2f}x)",
            f"<= {goal}x",
            ratio <= goal,
        )


# scikit-build-core twice: as it comes (a new build directory for every build) and in its best
# configuration for repeated builds, a persistent build-dir.
SKBUILD_DEFAULT = "scikit-build-core (default: new build dir)"
SKBUILD_PERSISTENT = "scikit-build-core (build-dir = build/{wheel_tag})"
SKBUILD_SETTINGS = {SKBUILD_DEFAULT: {}, SKBUILD_PERSISTENT: {"build-dir": "build/{wheel_tag}"}}


INCREMENTAL_FLOOR = "floor: incremental build (floor.sh)"


def isolated_incremental(bench: Bench, report: Report) -> None:
    systems_ = ("ironwheel", SKBUILD_DEFAULT, SKBUILD_PERSISTENT, "setuptools")
    folders = {SKBUILD_DEFAULT: "scikit-build-core", SKBUILD_PERSISTENT: "scikit-build-core-build-dir"}
    projects = {
        name: write_project(
            bench.work / "isolated" / folders.get(name, name), name.split(" ")[0], bench.units, bench.weight
        )
        for name in (*systems_, FLOOR)
    }
    nop = bench.work / "isolated" / "nop"
    nop.mkdir(parents=True, exist_ok=True)
    (nop / "nopbackend.py").write_text(NOP_BACKEND)
    # The same isolated environment as ironwheel's (ironwheel and its dependencies installed),
    # around a backend that does nothing.
    (nop / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "nopbackend"\nbackend-path = ["."]\n'
    )
    settings = {name: SKBUILD_SETTINGS.get(name, {}) for name in systems_}
    for system in systems_:
        clean(projects[system])
        bench.pip_wheel(projects[system], isolated=True, settings=settings[system])
    clean(projects[FLOOR])
    bench.floor(projects[FLOOR], clean=True)

    def frontend() -> float:
        # pip's own isolated-environment setup around a backend that does nothing.
        command: list[str | os.PathLike[str]] = [
            bench.python,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-w",
            bench.out,
            nop,
        ]
        started = time.perf_counter()
        subprocess.run(command, env=bench.environ, capture_output=True, check=False)
        return time.perf_counter() - started

    systems: dict[str, Callable[[], float]] = {
        name: functools.partial(bench.pip_wheel, projects[name], isolated=True, settings=settings[name])
        for name in systems_
    }
    systems["floor: pip isolation"] = frontend
    systems[INCREMENTAL_FLOOR] = lambda: bench.floor(projects[FLOOR], clean=False)
    edits = {**{name: projects[name] for name in systems_}, INCREMENTAL_FLOOR: projects[FLOOR]}
    times = alternate(bench, systems, lambda name: touch_unit(edits[name]) if name in edits else None)
    for kind in (times.times, times.cpu):
        kind["floor (sum)"] = [a + b for a, b in zip(kind["floor: pip isolation"], kind[INCREMENTAL_FLOOR])]
    medians = report.add(f"Repeated isolated `pip wheel .`, one of N={bench.units} files edited", times)
    # Against scikit-build-core's faster configuration here, named in the row.
    default, persistent = (medians[name] / medians["ironwheel"] for name in SKBUILD_SETTINGS)
    speedup = min(default, persistent)
    floor = medians["ironwheel"] / medians["floor (sum)"]
    report.target(
        "isolated pip wheel, one edited: scikit-build-core (its faster configuration) / ironwheel",
        f"{speedup:.1f}x (with build-dir {persistent:.1f}x, as it comes {default:.1f}x)",
        ">= 4x",
        speedup >= 4,
    )
    report.target(
        "isolated pip wheel, one edited: ironwheel / floor", f"{floor:.2f}x", "<= 1.5x", floor <= 1.5
    )


def editable(bench: Bench, report: Report) -> None:
    pip: list[str | os.PathLike[str]] = [bench.python, "-m", "pip"]
    venvs: dict[str, Path] = {}
    for name, packages in (
        ("plain", []),
        ("ironwheel", ["ironwheel"]),
        ("scikit-build-core", ["scikit-build-core"]),
    ):
        venv = bench.work / "editable" / f"venv-{name}"
        shutil.rmtree(venv, ignore_errors=True)
        bench.run([sys.executable, "-m", "venv", "--without-pip", venv])
        venvs[name] = venv / "bin" / "python"
        if packages:  # the backend itself, for --no-build-isolation
            bench.run(
                [
                    *pip,
                    "--python",
                    venvs[name],
                    "install",
                    "--no-index",
                    "--find-links",
                    bench.wheels,
                    *packages,
                ]
            )
    projects = {
        name: write_project(
            bench.work / "editable" / name,
            "scikit-build-core" if name == "scikit-build-core" else "ironwheel",
            bench.units,
            bench.weight,
        )
        for name in venvs
    }
    bench.pip_wheel(projects["plain"], isolated=True)
    bench.run([*pip, "--python", venvs["plain"], "install", "--no-deps", *bench.out.glob("*.whl")])
    install: list[str | os.PathLike[str]] = [*pip, "--python"]
    bench.run(
        [
            *install,
            venvs["ironwheel"],
            "install",
            "--no-deps",
            "--no-build-isolation",
            "-e",
            projects["ironwheel"],
        ]
    )
    rebuild = ["-C", "editable.rebuild=true", "-C", "build-dir=build/{wheel_tag}"]
    skbuild: list[str | os.PathLike[str]] = ["install", "--no-deps", "--no-build-isolation", *rebuild]
    skbuild += ["-e", projects["scikit-build-core"]]
    bench.run([*install, venvs["scikit-build-core"], *skbuild])

    def importer(name: str) -> Callable[[], float]:
        return lambda: bench.run([venvs[name], "-c", "import bench; bench.total()"], cwd=bench.work)

    for name in venvs:  # warm: the first import after an install may build
        importer(name)()
    bench.repeat, repeat = max(bench.repeat, 10), bench.repeat
    try:
        medians = report.add(
            "Editable install: import with nothing changed (`python -c 'import bench'`)",
            alternate(bench, {name: importer(name) for name in venvs}),
        )
    finally:
        bench.repeat = repeat
    overhead = medians["ironwheel"] - medians["plain"]
    peer = medians["scikit-build-core"] - medians["plain"]
    report.target(
        "editable no-op import overhead over a plain import",
        f"{overhead * 1000:.1f} ms (scikit-build-core {peer * 1000:.0f} ms)",
        "<= 10 ms",
        overhead <= 0.010,
    )
    edited = {name: importer(name) for name in ("ironwheel", "scikit-build-core")}
    report.add(
        "Editable install: import after editing one of N files (rebuild on import)",
        alternate(bench, edited, lambda name: touch_unit(projects[name])),
    )


def overhead(bench: Bench, report: Report) -> None:
    repeat, bench.repeat = bench.repeat, max(bench.repeat * 5, 15)
    try:
        python: list[str | os.PathLike[str]] = [bench.python, "-c"]
        times = alternate(bench, {
            "python -c pass": lambda: bench.run([*python, "pass"]),
            "python -c 'import ironwheel'": lambda: bench.run([*python, "import ironwheel"]),
        })  # fmt: skip
        medians = report.add("`import ironwheel` (a new interpreter each time)", times)
        added = medians["python -c 'import ironwheel'"] - medians["python -c pass"]
        report.target("import ironwheel adds", f"{added * 1000:.1f} ms", "<= 15 ms", added <= 0.015)

        projects = {
            system: bench.work / "persistent" / system
            for system in ("ironwheel", "scikit-build-core", "setuptools")
        }
        nop = bench.work / "isolated" / "nop"
        systems: dict[str, Callable[[], float]] = {
            name: functools.partial(bench.hook, projects[name], name, "get_requires") for name in projects
        }
        systems["do-nothing backend"] = lambda: bench.hook(nop, "nop", "get_requires")
        medians = report.add(
            "get_requires_for_build_wheel through pyproject-hooks (N-file project, after a build)",
            alternate(bench, systems),
        )
        best = min(medians["scikit-build-core"], medians["setuptools"])
        report.target(
            "get_requires_for_build_wheel",
            f"{medians['ironwheel'] * 1000:.0f} ms (best peer {best * 1000:.0f} ms, "
            f"do-nothing {medians['do-nothing backend'] * 1000:.0f} ms)",
            "<= 60 ms",
            medians["ironwheel"] <= 0.060,
        )
        first_requires(bench, report, nop)
    finally:
        bench.repeat = repeat


def first_requires(bench: Bench, report: Report, nop: Path) -> None:
    """get_requires_for_build_wheel of a project with no build directory: a new directory each time.

    Two cases. "Seen elsewhere": the same project in a new directory each time (a fresh clone,
    an sdist a frontend unpacks into a new temporary directory), which the user cache answers
    by the contents of its files. "Never seen": a CMakeLists.txt that differs in each run, so
    that nothing remembered applies and the question is answered in full; what the user cache
    knows of the tools on PATH still applies (earlier scenarios built with them).
    """
    runs = itertools.count()

    def first(system: str, *, unique: bool) -> Callable[[], float]:
        def once() -> float:
            run = next(runs)
            project = write_project(
                bench.work / "first" / f"{system}-{run}", system, bench.units, bench.weight
            )
            if unique:
                lists = project / ("setup.py" if system == "setuptools" else "CMakeLists.txt")
                lists.write_text(lists.read_text() + f"# run {run} of {os.getpid()}\n")
            try:
                return bench.hook(project, system, "get_requires")
            finally:
                shutil.rmtree(project)

        return once

    for unique, what in ((False, "seen elsewhere"), (True, "never seen")):
        systems = {
            name: first(name, unique=unique) for name in ("ironwheel", "scikit-build-core", "setuptools")
        }
        systems["do-nothing backend"] = lambda: bench.hook(nop, "nop", "get_requires")
        medians = report.add(
            f"get_requires_for_build_wheel through pyproject-hooks, first call in a new directory ({what})",
            alternate(bench, systems),
        )
        added = medians["ironwheel"] - medians["do-nothing backend"]
        peer = min(medians["scikit-build-core"], medians["setuptools"]) - medians["do-nothing backend"]
        report.target(
            f"first get_requires_for_build_wheel ({what}), over a do-nothing backend",
            f"{added * 1000:.0f} ms (best peer {peer * 1000:.0f} ms)",
            "<= 30 ms",
            added <= 0.030,
        )


# In this order: "overhead" asks the projects "persistent" and "isolated" built.
SCENARIOS: dict[str, Callable[[Bench, Report], None]] = {
    "trivial": trivial,
    "clean": clean_build,
    "persistent": persistent,
    "isolated": isolated_incremental,
    "editable": editable,
    "overhead": overhead,
}


# --- setup and main --------------------------------------------------------------------------


def setup(work: Path, fresh: bool) -> tuple[Path, Path]:
    """The benchmark venv and the wheelhouse its isolated builds install from."""
    venv, wheels = work / "venv", work / "wheels"
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    if fresh or not python.exists():
        shutil.rmtree(venv, ignore_errors=True)
        shutil.rmtree(wheels, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        pip: list[str | os.PathLike[str]] = [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run(
            [*pip, "--upgrade", "build", "pyproject-hooks", "scikit-build-core", "setuptools"], check=True
        )
        download: list[str | os.PathLike[str]] = [
            python,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--dest",
            wheels,
        ]
        subprocess.run(
            [*download, "scikit-build-core", "setuptools", "packaging", "pyproject-metadata"], check=True
        )
    # ironwheel from this checkout, every time (it is what is measured).
    for old in wheels.glob("ironwheel-*.whl"):
        old.unlink()
    subprocess.run([python, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, ROOT], check=True)
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--force-reinstall",
            "--no-deps",
            *wheels.glob("ironwheel-*.whl"),
        ],
        check=True,
    )
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            wheels,
            "pyproject-metadata",
        ],
        check=True,
    )
    # Bytecode for everything the venv runs: PYTHONDONTWRITEBYTECODE may be set where this runs, and
    # a start-up that compiles its modules first is not the start-up being measured.
    compile_all = (
        "import compileall, sysconfig; compileall.compile_dir(sysconfig.get_path('purelib'), quiet=1)"
    )
    subprocess.run([python, "-c", compile_all], check=True)
    return python, wheels


def versions(python: Path) -> dict[str, str]:
    def output(command: Sequence[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    names = ("ironwheel", "scikit-build-core", "setuptools", "pip", "build")
    code = f"import importlib.metadata as m; print(' '.join(f'{{n}} {{m.version(n)}}' for n in {names!r}))"
    commit = output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    return {
        "packages": output([str(python), "-c", code]),
        "ironwheel commit": commit,
        "python": platform.python_version(),
        "cmake": output(["cmake", "--version"]).splitlines()[0] if shutil.which("cmake") else "?",
        "ninja": output(["ninja", "--version"]),
        "compiler": output(["c++", "--version"]).splitlines()[0] if shutil.which("c++") else "?",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
    }


def unit_compile_time(bench: Bench) -> float:
    """How long one generated translation unit takes to compile at -O2 (median of three)."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "unit.cpp"
        source.write_text(UNIT.format(i=0, weight=bench.weight))
        times = [
            bench.run(["c++", "-std=c++17", "-O2", "-fPIC", "-c", source, "-o", Path(scratch) / "unit.o"])
            for _ in range(3)
        ]
    return statistics.median(times)


def load() -> str:
    with contextlib.suppress(OSError, AttributeError):
        return " / ".join(f"{value:.1f}" for value in os.getloadavg())
    return "?"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=24, help="translation units of the large project (default 24)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="repetitions per system and scenario (default 3)"
    )
    parser.add_argument(
        "--weight", type=int, default=2, help="template instantiations per unit (compile time)"
    )
    parser.add_argument("--work", type=Path, help="working directory (default: a new temporary one)")
    parser.add_argument("--fresh", action="store_true", help="recreate the venv and wheelhouse in --work")
    parser.add_argument("--only", nargs="*", choices=list(SCENARIOS), help="run only these scenarios")
    parser.add_argument("--write-results", action="store_true", help="rewrite benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.only and "overhead" in args.only:
        # get_requires is timed on the projects these scenarios built.
        args.only = [*args.only, "persistent", "isolated"]
    started = time.monotonic()
    work = (args.work or Path(tempfile.mkdtemp(prefix="ironwheel-bench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    print(f"working in {work}")
    python, wheels = setup(work, args.fresh)
    environ = {
        **os.environ,
        "CCACHE_DISABLE": "1",
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONDONTWRITEBYTECODE": "",
        # Tool versions and other user-level records of ironwheel's, kept apart from the user's own.
        "IRONWHEEL_CACHE_DIR": str(work / "cache"),
    }
    environ.pop("PYTHONPATH", None)
    bench = Bench(work, python, wheels, args.repeat, args.n, args.weight, environ)
    if Path(sys.prefix).resolve() != (work / "venv").resolve():
        # Measure from inside the benchmark venv, where pyproject-hooks is installed.
        os.execv(
            str(python),
            # Without --fresh: the venv just made is the one the measuring runs in.
            [
                str(python),
                __file__,
                *(arg for arg in (argv if argv is not None else sys.argv[1:]) if arg != "--fresh"),
                "--work",
                str(work),
            ],
        )
    info = versions(python)
    info["load at start"] = load()
    info["unit compile"] = fmt(unit_compile_time(bench))
    print(f"one translation unit compiles in {info['unit compile']}")
    report = Report()
    for name, scenario in SCENARIOS.items():
        if args.only and name not in args.only:
            continue
        scenario(bench, report)
    info["load at end"] = load()
    info["duration"] = f"{(time.monotonic() - started) / 60:.1f} min"
    print(f"\ndone in {info['duration']}")
    if args.write_results:
        write_results(report, info, args, started)
        print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
