"""Windows: ``python -m delvewheel repair --add-path``.

delvewheel is pure Python (it reads and rewrites PE import tables itself),
so a Windows wheel is repaired the same way on any host. The project's own
DLLs need no patching: they ship next to the modules that load them.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ironwheel._run import run
from ironwheel.errors import CommandError, PackagingError
from ironwheel.repair.base import Job, Linker, Report
from ironwheel.repair.binaries import Binary, Format
from ironwheel.repair.mode import Mode
from ironwheel.repair.skeleton import wheel_tags
from ironwheel.repair.tools import (
    DELVEWHEEL,
    missing_packages,
    require_package,
    tool_environment,
    tool_failed,
)

__all__ = ["PELinker", "WindowsRepairer"]

log = logging.getLogger("ironwheel")

_ALREADY = "has already repaired this wheel"


class PELinker:
    """DLLs are found in the directory of the module that loads them: nothing to write."""

    format: Format = "pe"
    origin: str | None = None

    def relink(
        self,
        path: Path,
        binary: Binary,
        rpath: tuple[str, ...],
        changes: Mapping[str, str],
        install_name: str | None,
    ) -> None:  # pragma: no cover - never called: origin is None
        msg = "PE files have no library search path"
        raise NotImplementedError(msg)


class WindowsRepairer:
    """delvewheel."""

    tool = "delvewheel"
    lib_sdir = ".libs"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self.linker: Linker = PELinker()

    def requirements(self, environ: Mapping[str, str], mode: Mode) -> list[str]:
        del environ
        return missing_packages(DELVEWHEEL) if mode == "on" else []

    def versions(self) -> str:
        return f"delvewheel {require_package(DELVEWHEEL, 'repairing a Windows wheel')}"

    def wants(self, name: str) -> bool:
        # delvewheel patches (or creates) each package's __init__.py to add the DLL directory.
        return name.endswith(".py")

    def repair(self, job: Job) -> Path | None:
        options = job.options
        command: list[str | os.PathLike[str]] = [sys.executable, "-m", "delvewheel", "repair", "-v"]
        # DLLs already in the wheel (the project's own, placed next to their modules) are
        # used where they are, as auditwheel uses the libraries a wheel holds.
        command += ["--ignore-existing", "--no-diagnostic", "-w", job.out_dir]
        if options.lib_dirs:
            command += ["--add-path", os.pathsep.join(str(path) for path in options.lib_dirs)]
        if options.exclude:
            command += ["--exclude", os.pathsep.join(options.exclude)]
        command.append(job.wheel)
        try:
            output = run(command, env=tool_environment(options.environ or self._environ))
        except CommandError as error:
            missing = next((line for line in error.output if "Unable to find library" in line), None)
            if missing is None:
                raise tool_failed("delvewheel", error) from error
            library = missing.rsplit(":", 1)[-1].strip()
            raise PackagingError(
                f"cannot repair the wheel: {library} was not found",
                hint=f"add the directory holding {library} to tool.ironwheel.repair.dll-dirs, or, if the "
                f'system provides it, list it in tool.ironwheel.repair.exclude = ["{library}"]',
            ) from error
        wheels = sorted(job.out_dir.glob("*.whl"))
        if not wheels and any(_ALREADY in line for line in output):
            return None
        return wheels[0] if wheels else None

    def check(self, job: Job) -> Report:
        with tempfile.TemporaryDirectory(prefix="ironwheel-check-") as name:
            output = self.repair(Job(job.wheel, Path(name), job.options))
            tag = wheel_tags(job.wheel.name).split("-")[-1]
            if output is None:
                return Report((), tag)
            with zipfile.ZipFile(job.wheel) as archive:
                old = set(archive.namelist())
            with zipfile.ZipFile(output) as archive:
                new = sorted(n for n in archive.namelist() if n not in old and n.lower().endswith(".dll"))
            return Report(tuple((n.rsplit("/", 1)[-1], n) for n in new), tag)
