"""Inspecting a wheel: tags, extension modules, libraries, SBOMs, sizes, RECORD."""

from __future__ import annotations

import json
import posixpath
from email.parser import HeaderParser
from pathlib import Path

from packaging.tags import Tag
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from ironwheel.archive.wheelfile import open_wheel
from ironwheel.errors import PackagingError
from ironwheel.inspect.abi import audit_module, is_module_name, limited_api_data
from ironwheel.inspect.libraries import allow_list, resolve_libraries
from ironwheel.inspect.model import Archive, Finding, Module, Report, SbomSummary
from ironwheel.inspect.tags import describe_tag, python_version
from ironwheel.repair.binaries import Binary, imported_symbols, read_binary
from ironwheel.repair.macho import parse_macho

__all__ = ["LARGEST", "archive_summary", "inspect_wheel", "summarise_sbom"]

LARGEST = 10  # how many of the largest files a report names


def archive_summary(file_size: int, sizes: dict[str, int]) -> Archive:
    largest = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))[:LARGEST]
    return Archive(file_size, len(sizes), sum(sizes.values()), tuple(largest))


def summarise_sbom(path: str, data: bytes) -> SbomSummary:
    """The format of an SBOM and the names of its components (CycloneDX or SPDX JSON)."""
    try:
        document = json.loads(data)
    except ValueError:
        return SbomSummary(path, "unknown (not JSON)", ())
    if not isinstance(document, dict):
        return SbomSummary(path, "unknown", ())
    if document.get("bomFormat") == "CycloneDX":
        components = document.get("components") or []
        names = [str(item.get("name", "?")) for item in components if isinstance(item, dict)]
        return SbomSummary(path, f"CycloneDX {document.get('specVersion', '?')}", tuple(names))
    if "spdxVersion" in document:
        packages = document.get("packages") or []
        names = [str(item.get("name", "?")) for item in packages if isinstance(item, dict)]
        return SbomSummary(path, str(document["spdxVersion"]), tuple(names))
    return SbomSummary(path, "unknown", ())


def _version_tuple(text: str) -> tuple[int, int] | None:
    major, _, minor = text.partition(".")
    return (int(major), int(minor)) if major.isdigit() and minor.isdigit() else None


def _tag_findings(filename: str, tags: list[Tag], wheel_file: str | None, binaries: bool) -> list[Finding]:
    findings: list[Finding] = []
    named = {str(tag) for tag in tags}
    if wheel_file is None:
        findings.append(Finding("defect", "missing-wheel-file", "the .dist-info directory has no WHEEL file"))
        declared = named
    else:
        declared = {
            value.strip() for key, value in HeaderParser().parsestr(wheel_file).items() if key == "Tag"
        }
    if declared != named:
        findings.append(
            Finding(
                "defect",
                "tag-mismatch",
                f"the file name has the tags {', '.join(sorted(named))} but WHEEL declares "
                f"{', '.join(sorted(declared)) or 'none'}",
            )
        )
    platforms = sorted({tag.platform for tag in tags})
    for platform in platforms:
        if platform.startswith("linux_"):
            findings.append(
                Finding(
                    "warning",
                    "plain-linux-tag",
                    f"{platform} wheels are refused by PyPI and run only where they were built; "
                    "repair them (python -m ironwheel build, or ironwheel repair)",
                )
            )
    if binaries and platforms == ["any"]:
        findings.append(
            Finding(
                "defect", "binary-in-pure-wheel", f"{filename} is tagged for any platform but holds binaries"
            )
        )
    return findings


def _module_findings(module: Module, tags: list[Tag]) -> list[Finding]:
    """A version-specific module must match a tag of the wheel."""
    found = module.built_for.split(" (")[0].split()
    if module.abi3 or len(found) < 2 or found[0] not in ("CPython", "PyPy"):
        return []
    version = found[-1]
    if any(tag.abi == "abi3" for tag in tags):
        return [
            Finding(
                "defect",
                "module-not-abi3",
                f"the wheel is tagged abi3 but {module.path} is built for {module.built_for} only",
                module.path,
            )
        ]
    interpreters = {python_version(tag.interpreter) for tag in tags}
    family = "CPython" if found[0] == "CPython" else "PyPy"
    if (family, version) not in interpreters:
        shown = ", ".join(sorted({tag.interpreter for tag in tags}))
        return [
            Finding(
                "defect",
                "module-python-mismatch",
                f"{module.path} is built for {module.built_for} but the wheel is tagged {shown}",
                module.path,
            )
        ]
    return []


def inspect_wheel(path: Path) -> Report:
    """Read ``path`` through the safe reader (which refuses unsafe wheels) and report on it."""
    try:
        name, version, _build, tag_set = parse_wheel_filename(path.name)
    except InvalidWheelFilename as error:
        raise PackagingError(
            f"{path.name}: not a wheel file name ({error})",
            hint="a wheel is named NAME-VERSION[-BUILD]-PYTHON-ABI-PLATFORM.whl",
        ) from None
    tags = sorted(tag_set, key=str)
    abi3_floors = [
        floor
        for tag in tags
        if tag.abi == "abi3"
        and (found := python_version(tag.interpreter))
        and (floor := _version_tuple(found[1]))
    ]
    floor = min(abi3_floors) if abi3_floors else None
    limited = limited_api_data()
    findings: list[Finding] = []
    binaries: dict[str, Binary] = {}
    modules: list[Module] = []
    install_names: list[tuple[str, str]] = []
    sboms: list[SbomSummary] = []
    sizes: dict[str, int] = {}
    with open_wheel(path) as wheel:
        record_entries = sum(
            1 for member in wheel.members if not member.name.startswith(f"{wheel.dist_info}/RECORD")
        )
        names = {member.name for member in wheel.members}
        wheel_name = f"{wheel.dist_info}/WHEEL"
        wheel_file = wheel.read(wheel_name).decode("utf-8", errors="replace") if wheel_name in names else None
        for member in wheel.members:
            sizes[member.name] = member.size
            data = wheel.read(member.name)  # checked against RECORD, every member
            if member.name.startswith(f"{wheel.dist_info}/sboms/"):
                sboms.append(summarise_sbom(member.name, data))
            binary = read_binary(Path(posixpath.basename(member.name)), data)
            if binary is None:
                continue
            binaries[member.name] = binary
            imports = imported_symbols(data) or ()
            if binary.format == "macho":
                install_name = parse_macho(data).install_name
                if install_name:
                    install_names.append((member.name, install_name))
            imports_python = any(name.startswith(("Py", "_Py")) for _dll, name in imports)
            if is_module_name(member.name, imports_python=imports_python):
                module, problems = audit_module(
                    member.name,
                    binary.format,
                    binary.needed,
                    imports,
                    wheel_abi3=floor is not None,
                    floor=floor,
                    limited=limited,
                )
                modules.append(module)
                findings += problems + _module_findings(module, tags)
    findings = _tag_findings(path.name, tags, wheel_file, bool(binaries)) + findings
    allowed = allow_list([tag.platform for tag in tags])
    libraries, library_findings = resolve_libraries(binaries, allowed)
    findings += library_findings
    search_paths = tuple((name, binary.rpath) for name, binary in sorted(binaries.items()) if binary.rpath)
    return Report(
        kind="wheel",
        file=path.name,
        name=str(name),
        version=str(version),
        archive=archive_summary(path.stat().st_size, sizes),
        findings=tuple(findings),
        tags=tuple(describe_tag(tag) for tag in tags),
        modules=tuple(modules),
        libraries=tuple(libraries),
        allow_list=allowed.source if binaries else None,
        search_paths=search_paths,
        install_names=tuple(install_names),
        sboms=tuple(sboms),
        record_entries=record_entries,
    )
