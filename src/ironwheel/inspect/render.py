"""The report as text: one section per subject, aligned columns, findings last."""

from __future__ import annotations

from collections.abc import Sequence

from ironwheel.errors import printable
from ironwheel.inspect.model import Report

__all__ = ["render", "size"]

_COLOURS = {"defect": "\033[1;31m", "warning": "\033[1;33m", "note": "\033[36m", "ok": "\033[1;32m"}
_RESET = "\033[0m"


def size(value: int) -> str:
    """Bytes for people: ``532 B``, ``12.3 kB``, ``4.5 MB`` (powers of 1000, as PyPI shows them)."""
    if value < 1000:
        return f"{value} B"
    for unit in ("kB", "MB", "GB"):
        value_f = value / 1000
        if value_f < 1000 or unit == "GB":
            return f"{value_f:.1f} {unit}"
        value = int(value_f)
    return f"{value} B"  # pragma: no cover


def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Rows with their columns aligned (the last column is not padded)."""
    if not rows:
        return []
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]) - 1)]
    return [
        indent + "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[-1]]).rstrip()
        for row in rows
    ]


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", title, *lines] if lines else []


def render(report: Report, *, color: bool = False) -> str:
    """The readable report of one wheel or sdist."""

    def paint(kind: str, text: str) -> str:
        return f"{_COLOURS[kind]}{text}{_RESET}" if color else text

    archive = report.archive
    lines = [
        printable(
            f"{report.file}  ({size(archive.file_size)}; {archive.files} files, "
            f"{size(archive.unpacked_size)} unpacked)"
        ),
        printable(f"  {report.name} {report.version}, {report.kind}"),
    ]
    lines += _section(
        "Tags",
        _table(
            [("TAG", "PYTHON", "ABI", "PLATFORM")]
            + [(tag.tag, tag.python, tag.abi, tag.platform) for tag in report.tags]
        )
        if report.tags
        else [],
    )
    module_rows = [("MODULE", "BUILT FOR", "FORMAT", "LINKS", "LIMITED API")]
    for module in report.modules:
        if module.outside_limited_api:
            limited = f"{len(module.outside_limited_api)} symbols outside it"
        elif module.newer_than_floor:
            limited = f"needs {module.limited_api_needed} (newer than the floor)"
        elif module.abi3:
            limited = f"ok, needs {module.limited_api_needed or '3.2'}"
        else:
            limited = "-"
        module_rows.append(
            (module.path, module.built_for, module.format.upper(), module.links_python or "-", limited)
        )
    lines += _section("Extension modules", _table(module_rows) if report.modules else [])
    library_rows = [("LIBRARY", "STATUS", "IN THE WHEEL", "NEEDED BY")]
    for library in report.libraries:
        library_rows.append((library.name, library.status, library.path or "-", ", ".join(library.needed_by)))
    if report.libraries:
        header = f"Libraries (allow list: {report.allow_list})"
        lines += _section(header, _table(library_rows))
    paths = [(binary, "search path", ":".join(entries)) for binary, entries in report.search_paths]
    paths += [(binary, "install name", name) for binary, name in report.install_names]
    lines += _section("Search paths and install names", _table(paths))
    lines += _section(
        "SBOM (.dist-info/sboms)",
        [
            printable(
                f"  {sbom.path}  {sbom.format}, {len(sbom.components)} components"
                + (f": {', '.join(sbom.components[:8])}" if sbom.components else "")
                + (", ..." if len(sbom.components) > 8 else "")
            )
            for sbom in report.sboms
        ],
    )
    if report.kind == "wheel" and not report.sboms:
        lines += ["", "SBOM (.dist-info/sboms)", "  none"]
    if report.sdist is not None:
        sdist = report.sdist
        lines += _section("PKG-INFO", _table([(key, value) for key, value in sdist.metadata]))
        if sdist.compared_with is None:
            lines += ["", "Compared with git", "  not compared: no project directory (--project DIR)"]
        else:
            compared = [printable(f"  project: {sdist.compared_with}")]
            compared += [printable(f"  in git, not in the sdist: {item}") for item in sdist.not_in_sdist]
            compared += [printable(f"  in the sdist, not in git: {item}") for item in sdist.not_in_git]
            if not sdist.not_in_sdist:
                compared.append("  every file git tracks is in the sdist")
            lines += _section("Compared with git", compared)
    lines += _section(
        f"Largest files (of {archive.files}, {size(archive.unpacked_size)} in all)",
        _table([(size(value), path) for path, value in archive.largest]),
    )
    if report.record_entries is not None:
        lines += [
            "",
            "RECORD",
            f"  {paint('ok', 'verified')}: {report.record_entries} files, every hash and size matches",
        ]
    findings = [
        f"  {paint(finding.severity, finding.severity + ':')} {printable(finding.message)}"
        for finding in report.findings
    ]
    lines += _section("Findings", findings or [f"  {paint('ok', 'none')}"])
    defects, warnings = report.count("defect"), report.count("warning")
    lines += [
        "",
        f"{defects} defect{'s' if defects != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}",
    ]
    return "\n".join(lines) + "\n"
