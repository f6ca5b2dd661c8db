"""The ``inspect`` command: its arguments, and the report it prints."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ironwheel.errors import ConfigError

__all__ = ["DEFECTS_EXIT_CODE", "add_command", "run"]

# Exit code when the report finds defects (with --strict, warnings too); the archive was read.
DEFECTS_EXIT_CODE = 7

_EPILOG = """\
examples:
  %(prog)s dist/demo-1.0-cp312-cp312-manylinux_2_28_x86_64.whl
  %(prog)s dist/demo-1.0-cp39-abi3-win_amd64.whl --json > report.json
  %(prog)s dist/demo-1.0.tar.gz --project .   compare the sdist with the git tree here
  %(prog)s --strict dist/*.whl                warnings fail too (for CI)

exit codes:
  0  no defects (with --strict: no warnings either)
  7  defects found: a module that breaks its abi3 claim, a library neither in the
     wheel nor on the platform's allow list, tags that disagree, ...
  5  the archive is refused: unsafe member names, a size bomb, a RECORD that does
     not match (nothing is reported then)"""


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "inspect",
        help="check a wheel or an sdist before publishing it: tags, ABI, libraries, SBOM, sizes",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("archives", nargs="+", metavar="WHEEL|SDIST", help="a .whl or .tar.gz file")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (see docs/inspect.md)")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit code 7)")
    parser.add_argument(
        "--project",
        metavar="DIR",
        help="compare an sdist with the files git tracks in DIR (default: the current directory, "
        "when its pyproject.toml names the same project)",
    )


def _inspect(path: Path, project: str | None) -> object:
    from ironwheel.inspect.sdist import default_project, inspect_sdist
    from ironwheel.inspect.wheel import inspect_wheel

    if not path.is_file():
        raise ConfigError(
            f"{path}: no such file", hint="give the path of a wheel (.whl) or an sdist (.tar.gz)"
        )
    if path.name.endswith(".whl"):
        return inspect_wheel(path)
    if path.name.endswith(".tar.gz"):
        directory = Path(project) if project is not None else None
        if directory is None:
            base = path.name[: -len(".tar.gz")].rpartition("-")[0]
            directory = default_project(base)
        return inspect_sdist(path, directory)
    raise ConfigError(
        f"{path.name}: not a wheel (.whl) or an sdist (.tar.gz)",
        hint="give the path of a wheel or an sdist, e.g. one in dist/",
    )


def run(arguments: argparse.Namespace) -> int:
    """Inspect each archive; print the reports; the exit code says whether any failed."""
    from ironwheel._output import use_color
    from ironwheel.inspect.model import Report
    from ironwheel.inspect.render import render

    reports: list[Report] = []
    for name in arguments.archives:
        report = _inspect(Path(name), arguments.project)
        assert isinstance(report, Report)
        reports.append(report)
    if arguments.json:
        documents = [report.to_json() for report in reports]
        shown = documents[0] if len(documents) == 1 else documents
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
    else:
        color = use_color(sys.stdout)
        sys.stdout.write("\n".join(render(report, color=color) for report in reports))
    failed = any(report.failed(strict=arguments.strict) for report in reports)
    return DEFECTS_EXIT_CODE if failed else 0
