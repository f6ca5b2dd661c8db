"""Where a build spends its time: steps, the compiles inside them, wall and CPU time.

The pipeline marks its steps with ``with step("configure"):``; the marks cost
nothing unless a recording is active (``build.timings`` is set), which the
wheel hook starts with :func:`recording`. CPU time is what the step's child
processes (compilers, cmake, the repair tool) and ironwheel itself used,
from ``getrusage`` before and after. A step given ``ninja_log`` also reads
the compiles ninja ran in it from the entries it appended to ``.ninja_log``
(start and end in milliseconds since ninja started), and lays them out in
lanes: the parallel jobs.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import logging
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["Compile", "Recorder", "Step", "lanes", "read_ninja_log", "recording", "step"]

log = logging.getLogger("ironwheel")

_ACTIVE: contextvars.ContextVar[Recorder | None] = contextvars.ContextVar("ironwheel_timings", default=None)


@dataclasses.dataclass(frozen=True)
class Compile:
    """One edge ninja ran: a translation unit compiled, or a link."""

    output: str
    start: float  # seconds since the step started
    end: float

    @property
    def source(self) -> str | None:
        """The translation unit an object file comes from (CMake's ``CMakeFiles/<t>.dir/<src>.o``)."""
        name = self.output
        for suffix in (".o", ".obj"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                parts = name.split("/")
                if len(parts) > 2 and parts[0] == "CMakeFiles" and parts[1].endswith(".dir"):
                    return "/".join(parts[2:])
                return name
        return None


@dataclasses.dataclass
class Step:
    """One step of the build: when it ran (seconds since the recording started) and its CPU time."""

    name: str
    start: float
    end: float = 0.0
    cpu: float | None = None
    compiles: list[Compile] = dataclasses.field(default_factory=list)


def _cpu() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return children.ru_utime + children.ru_stime + own.ru_utime + own.ru_stime


def read_ninja_log(path: Path, offset: int) -> list[Compile]:
    """The edges ninja appended to ``.ninja_log`` after byte ``offset``, in start order."""
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    seen: set[tuple[int, int, str]] = set()
    found: list[Compile] = []
    for line in text.splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 5 or not fields[0].isdigit() or not fields[1].isdigit():
            continue
        start, end, output, command = int(fields[0]), int(fields[1]), fields[3], fields[4]
        if (start, end, command) in seen:  # one edge with several outputs
            continue
        seen.add((start, end, command))
        found.append(Compile(output, start / 1000, end / 1000))
    return sorted(found, key=lambda item: (item.start, item.end, item.output))


def lanes(compiles: list[Compile]) -> list[int]:
    """A lane (parallel job) for each compile, in order: the first lane free when it starts."""
    ends: list[float] = []
    chosen: list[int] = []
    for item in compiles:
        lane = next((index for index, end in enumerate(ends) if end <= item.start), len(ends))
        if lane == len(ends):
            ends.append(item.end)
        else:
            ends[lane] = item.end
        chosen.append(lane)
    return chosen


class Recorder:
    """The steps of one build, with the build's start and the CPU time used from then on."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.started = time.monotonic()
        self.cpu_started = _cpu()
        self.steps: list[Step] = []
        self.finished: float | None = None
        self.cpu_total: float | None = None

    def now(self) -> float:
        return time.monotonic() - self.started

    @contextlib.contextmanager
    def step(self, name: str, ninja_log: Path | None = None) -> Iterator[None]:
        offset = ninja_log.stat().st_size if ninja_log is not None and ninja_log.is_file() else 0
        record = Step(name, self.now())
        cpu = _cpu()
        self.steps.append(record)
        try:
            yield
        finally:
            record.end = self.now()
            after = _cpu()
            record.cpu = after - cpu if after is not None and cpu is not None else None
            if ninja_log is not None:
                if ninja_log.is_file() and ninja_log.stat().st_size < offset:
                    offset = 0  # ninja rewrote (compacted) its log: this run's entries are in it
                record.compiles = read_ninja_log(ninja_log, offset)

    def finish(self) -> None:
        self.finished = self.now()
        end = _cpu()
        self.cpu_total = end - self.cpu_started if end is not None and self.cpu_started is not None else None


@contextlib.contextmanager
def step(name: str, ninja_log: Path | None = None) -> Iterator[None]:
    """Mark a step of the build (nothing happens unless a recording is active)."""
    recorder = _ACTIVE.get()
    if recorder is None:
        yield
        return
    with recorder.step(name, ninja_log):
        yield


@contextlib.contextmanager
def recording(target: str, root: Path, title: str) -> Iterator[Recorder | None]:
    """Record the steps run inside; write the page to ``target`` (relative to ``root``) afterwards.

    ``target`` empty records nothing. The page is written even when the build
    fails, so that the failure's timing is visible too.
    """
    if not target:
        yield None
        return
    recorder = Recorder(title)
    token = _ACTIVE.set(recorder)
    failed = True
    try:
        yield recorder
        failed = False
    finally:
        _ACTIVE.reset(token)
        recorder.finish()
        from ironwheel._fs import atomic_output
        from ironwheel.builds.timings_page import render_page

        path = (root / target).absolute()
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path) as temporary:
            temporary.write_text(render_page(recorder, failed=failed), encoding="utf-8")
        log.info("build timings: %s", path)
