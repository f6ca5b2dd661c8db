"""macOS: ``delocate.delocate_wheel()``, and install_name_tool for the project's own libraries.

delocate runs in a subprocess of the build environment's interpreter (its
Python API is public; it is never imported into the backend). It needs
Apple's otool, install_name_tool, lipo and codesign on PATH.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ironwheel._run import run
from ironwheel.errors import CommandError, PackagingError, ToolError
from ironwheel.repair.base import Job, Linker, Options, Report
from ironwheel.repair.binaries import Binary, Format
from ironwheel.repair.mode import Mode
from ironwheel.repair.skeleton import wheel_tags
from ironwheel.repair.tools import DELOCATE, missing_packages, require_package, tool_environment, tool_failed

__all__ = ["MacOSRepairer", "MachOLinker", "required_archs"]

log = logging.getLogger("ironwheel")

_ARCH_FLAG = re.compile(r"-arch\s+(\S+)")
_ERROR_PREFIX = "ironwheel-delocate-error: "

# Run by the build environment's interpreter (delocate is never imported into the backend).
_SCRIPT = Path(__file__).with_name("_delocate.py")


def required_archs(options: Options, wheel_name: str) -> list[str]:
    """repair.macos-archs, else ARCHFLAGS, else the wheel tag's architectures."""
    if options.macos_archs:
        return list(options.macos_archs)
    flags = _ARCH_FLAG.findall(options.environ.get("ARCHFLAGS", ""))
    if flags:
        return sorted(set(flags))
    platform = wheel_tags(wheel_name).split("-")[-1].split(".")[0]
    arch = re.sub(r"^macosx_\d+_\d+_", "", platform)
    return {"universal2": ["arm64", "x86_64"], "intel": ["i386", "x86_64"]}.get(arch, [arch])


class MachOLinker:
    """@loader_path-relative rpaths with install_name_tool, re-signed ad hoc."""

    format: Format = "macho"
    origin: str | None = "@loader_path"

    def relink(
        self,
        path: Path,
        binary: Binary,
        rpath: tuple[str, ...],
        changes: Mapping[str, str],
        install_name: str | None,
    ) -> None:
        tool = shutil.which("install_name_tool", path=tool_environment()["PATH"])
        if tool is None:
            raise ToolError(
                "install_name_tool was not found",
                hint="install the Xcode command line tools (xcode-select --install)",
            )
        command: list[str | os.PathLike[str]] = [tool]
        for old in binary.rpath:
            if old not in rpath:
                command += ["-delete_rpath", old]
        for new in rpath:
            if new not in binary.rpath:
                command += ["-add_rpath", new]
        for old, new in changes.items():
            command += ["-change", old, new]
        if install_name:
            command += ["-id", install_name]
        run([*command, path])
        codesign = shutil.which("codesign", path=tool_environment()["PATH"])
        if codesign is not None:
            run([codesign, "--force", "--sign", "-", path])
        else:
            log.warning("%s: codesign was not found; its signature is stale after relinking", path.name)


class MacOSRepairer:
    """delocate."""

    tool = "delocate"
    lib_sdir = ".dylibs"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self.linker: Linker = MachOLinker()

    def requirements(self, environ: Mapping[str, str], mode: Mode) -> list[str]:
        del environ
        return missing_packages(DELOCATE) if mode == "on" else []

    def versions(self) -> str:
        return f"delocate {require_package(DELOCATE, 'repairing a macOS wheel')}"

    def wants(self, name: str) -> bool:
        # delocate puts libraries into a package, found by its __init__.py.
        return name.count("/") == 1 and name.endswith("/__init__.py")

    def repair(self, job: Job) -> Path | None:
        options = job.options
        environ = dict(options.environ or self._environ)
        archs = required_archs(options, job.wheel.name)
        arguments = {
            "wheel": str(job.wheel),
            "out": str(job.out_dir / job.wheel.name),
            "exclude": list(options.exclude),
            "archs": archs,
            "target": environ.get("MACOSX_DEPLOYMENT_TARGET", ""),
        }
        env = tool_environment(environ)
        search = [str(path) for path in options.lib_dirs]
        if environ.get("DYLD_FALLBACK_LIBRARY_PATH"):
            search.append(environ["DYLD_FALLBACK_LIBRARY_PATH"])
        if search:
            env["DYLD_FALLBACK_LIBRARY_PATH"] = ":".join(search)
        log.info("delocate_wheel(%s, require_archs=%s)", job.wheel.name, ",".join(archs))
        try:
            output = run([sys.executable, _SCRIPT, json.dumps(arguments)], env=env)
        except CommandError as error:
            message = next((line for line in error.output if line.startswith(_ERROR_PREFIX)), None)
            if message is None:
                raise tool_failed("delocate", error) from error
            details = [part.strip() for part in message[len(_ERROR_PREFIX) :].split(" | ") if part.strip()]
            raise PackagingError(
                f"cannot repair the wheel: {details[0]}",
                details=details[1:],
                hint="build every binary for the required architectures (tool.ironwheel.repair.macos-archs, "
                "ARCHFLAGS), and make sure the libraries it names are found (DYLD_FALLBACK_LIBRARY_PATH)",
            ) from error
        copied = json.loads(output[-1])
        for library in copied:
            log.info("grafted %s", library)
        wheels = sorted(job.out_dir.glob("*.whl"))
        return wheels[0] if wheels else None

    def check(self, job: Job) -> Report:
        with tempfile.TemporaryDirectory(prefix="ironwheel-check-") as name:
            out = Path(name)
            output = self.repair(Job(job.wheel, out, job.options))
            if output is None:
                return Report((), wheel_tags(job.wheel.name).split("-")[-1])
            return Report(_new_libraries(job.wheel, output, ".dylib"), wheel_tags(output.name).split("-")[-1])


def _new_libraries(before: Path, after: Path, suffix: str) -> tuple[tuple[str, str | None], ...]:
    with zipfile.ZipFile(before) as archive:
        old = set(archive.namelist())
    with zipfile.ZipFile(after) as archive:
        new = [name for name in archive.namelist() if name not in old and name.lower().endswith(suffix)]
    return tuple((name.rsplit("/", 1)[-1], name) for name in sorted(new))
