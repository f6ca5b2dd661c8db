"""``python -m ironwheel``: build without a frontend, and inspect the settings."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ironwheel._output import PRESENTED, configure_logging, present
from ironwheel._signals import terminable
from ironwheel._version import __version__
from ironwheel.errors import ConfigError
from ironwheel.inspect.command import add_command as add_inspect_command
from ironwheel.new.command import add_commands as add_new_commands

__all__ = ["main"]


def _config_settings(pairs: Sequence[str]) -> dict[str, str | list[str]]:
    settings: dict[str, str | list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ConfigError(f"-C {pair}: expected KEY=VALUE", hint="e.g. -C cmake.build-type=Debug")
        previous = settings.get(key)
        if previous is None:
            settings[key] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            settings[key] = [previous, value]
    return settings


def _examples(*lines: str) -> dict[str, Any]:
    """An epilog of examples, kept as written."""
    text = "\n".join(["examples:", *(f"  {line}" for line in lines)])
    return {"epilog": text, "formatter_class": argparse.RawDescriptionHelpFormatter}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ironwheel",
        description="The ironwheel build backend.",
        **_examples(
            "%(prog)s new my-pkg --template cpp-pybind11   a new project",
            "%(prog)s build                                 release artifacts of the project here",
            "%(prog)s inspect dist/*                        check them before publishing",
            "%(prog)s COMMAND --help                        each command's options and examples",
            "%(prog)s -q build                              only warnings and errors (-v: debug too)",
        ),
    )
    parser.add_argument("--version", action="version", version=f"ironwheel {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_new_commands(commands)
    add_inspect_command(commands)

    build = commands.add_parser(
        "build",
        help="release artifacts: the sdist, then a repaired wheel built from it, in an isolated environment",
        **_examples(
            "%(prog)s                       the sdist and a repaired wheel of the project here, in dist/",
            "%(prog)s --wheel --no-isolation   only the wheel, from the tree, with this environment's tools",
            "%(prog)s -o out path/to/project",
            "%(prog)s -C cmake.build-type=Debug -C repair.mode=off",
            "%(prog)s --wheel --timings build-times.html   where the time went, as a page",
        ),
    )
    build.add_argument("project", nargs="?", default=".", help="project directory (default: .)")
    build.add_argument("--wheel", action="store_true", help="only a wheel, built from the tree")
    build.add_argument("--sdist", action="store_true", help="only an sdist")
    build.add_argument(
        "--timings",
        nargs="?",
        const="ironwheel-timings.html",
        metavar="PATH",
        help="write an HTML page of where the wheel build spent its time (default PATH: "
        "ironwheel-timings.html; the same as -C build.timings=PATH)",
    )
    build.add_argument(
        "--no-isolation",
        dest="isolation",
        action="store_false",
        help="run the hooks in this environment, with what it has installed (default: a new virtual "
        "environment with the build requirements, as python -m build makes)",
    )
    build.add_argument("-o", "--outdir", default="dist", help="output directory (default: dist)")
    build.add_argument("-C", "--config-setting", action="append", default=[], metavar="KEY=VALUE")

    develop = commands.add_parser(
        "develop",
        help="build a project's native code in place, for its editable install (what an import rebuilds)",
        **_examples(
            "%(prog)s                       after pip install -e . of the project here",
            "%(prog)s -C cmake.define.USE_OPENMP=OFF path/to/project",
        ),
    )
    develop.add_argument("project", nargs="?", default=".", help="project directory (default: .)")
    develop.add_argument("-C", "--config-setting", action="append", default=[], metavar="KEY=VALUE")

    repair = commands.add_parser(
        "repair",
        help="repair a wheel as the build does (for cibuildwheel's repair-wheel-command)",
        **_examples(
            "%(prog)s dist/demo-1.0-cp312-cp312-linux_x86_64.whl -w wheelhouse",
            "%(prog)s -w {dest_dir} {wheel}        as cibuildwheel's repair-wheel-command",
            "%(prog)s WHEEL -L /opt/deps/lib -C repair.manylinux=manylinux_2_28",
        ),
    )
    repair.add_argument("wheel", help="the wheel to repair")
    repair.add_argument(
        "-w", "--wheel-dir", default="wheelhouse", help="output directory (default: wheelhouse)"
    )
    repair.add_argument(
        "-L", "--lib-dir", action="append", default=[], metavar="DIR", help="search DIR for libraries first"
    )
    repair.add_argument(
        "--project", default=".", help="read [tool.ironwheel.repair] from this project (default: .)"
    )
    repair.add_argument("-C", "--config-setting", action="append", default=[], metavar="KEY=VALUE")

    migrate = commands.add_parser(
        "migrate",
        help="turn a setup.py / setup.cfg / scikit-build-core project into an ironwheel project",
        **_examples(
            "%(prog)s                 print the new pyproject.toml and the report",
            "%(prog)s --diff          the changes as a unified diff",
            "%(prog)s --write --check apply them (keeping pyproject.toml.orig), then build both ways",
        ),
    )
    migrate.add_argument("project", nargs="?", default=".", help="project directory (default: .)")
    shown_as = migrate.add_mutually_exclusive_group()
    shown_as.add_argument("--diff", action="store_true", help="print a unified diff of every change")
    shown_as.add_argument("--write", action="store_true", help="apply the changes, keeping backups (*.orig)")
    migrate.add_argument(
        "--check",
        action="store_true",
        help="build with the old backend and with ironwheel, and compare the wheels",
    )
    migrate.add_argument(
        "--no-run",
        action="store_true",
        help="never run setup.py, even where the static reading leaves values unknown",
    )
    migrate.add_argument("--timeout", type=float, default=60.0, help="seconds setup.py may run (default: 60)")

    config = commands.add_parser(
        "config",
        help="show the settings model or a project's settings",
        **_examples(
            "%(prog)s --show -C build.jobs=4    a project's effective settings, as JSON",
            "%(prog)s --schema > ironwheel.schema.json",
            "%(prog)s --reference               every key, as a Markdown table",
            "cmake -Dironwheel_DIR=$(%(prog)s --cmake-dir) ...",
        ),
    )
    shown = config.add_mutually_exclusive_group(required=True)
    shown.add_argument("--schema", action="store_true", help="print the JSON schema of [tool.ironwheel]")
    shown.add_argument("--reference", action="store_true", help="print the Markdown reference of every key")
    shown.add_argument("--show", action="store_true", help="print a project's effective settings as JSON")
    shown.add_argument(
        "--cmake-dir",
        action="store_true",
        help="print where find_package(ironwheel CONFIG) finds the helpers",
    )
    config.add_argument("project", nargs="?", default=".", help="project directory for --show")
    config.add_argument("-C", "--config-setting", action="append", default=[], metavar="KEY=VALUE")
    _output_options(parser, default=False)
    for command in commands.choices.values():
        _output_options(command, default=argparse.SUPPRESS)  # given after the command, as well
    return parser


def _output_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="also show debug messages"
    )
    shown.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default,
        help="only warnings and errors (a failing program's output is still shown)",
    )


def _build(arguments: argparse.Namespace) -> int:
    from ironwheel.release.command import build_release

    only = [kind for kind, flag in (("sdist", arguments.sdist), ("wheel", arguments.wheel)) if flag]
    settings = _config_settings(arguments.config_setting)
    if arguments.timings:  # absolute: the wheel may be built in an unpacked sdist elsewhere
        settings["build.timings"] = str(Path(arguments.timings).absolute())
    built = build_release(
        Path(arguments.project).absolute(),
        Path(arguments.outdir).absolute(),
        settings,
        wanted=only if len(only) == 1 else ["sdist", "wheel"],  # type: ignore[arg-type]
        isolation=arguments.isolation,
    )
    if isinstance(built, int):
        return built  # a hook failed in its subprocess, and said why
    for path in built:
        print(path)
    return 0


def _develop(arguments: argparse.Namespace) -> int:
    from ironwheel.editable.wheel import build_in_place
    from ironwheel.project.project import Project
    from ironwheel.request import BuildRequest

    project = Project.load(
        Path(arguments.project), _config_settings(arguments.config_setting), request=BuildRequest("editable")
    )
    build_in_place(project)
    return 0


def _repair(arguments: argparse.Namespace) -> int:
    from ironwheel.project.pyproject import read_pyproject
    from ironwheel.repair.standalone import repair_wheel_file
    from ironwheel.settings import load_settings

    project = Path(arguments.project)
    pyproject = read_pyproject(project).data if (project / "pyproject.toml").is_file() else {}
    settings = load_settings(pyproject, _config_settings(arguments.config_setting), project_dir=project)
    lib_dirs = [Path(item) for item in arguments.lib_dir]
    lib_dirs += [project / item for item in settings.repair.dll_dirs]
    target = repair_wheel_file(
        Path(arguments.wheel), Path(arguments.wheel_dir).absolute(), settings.repair, lib_dirs
    )
    print(target)
    return 0


def _config(arguments: argparse.Namespace) -> int:
    if arguments.schema:
        from ironwheel.settings.schema import json_schema

        print(json.dumps(json_schema(), indent=2))
        return 0
    if arguments.reference:
        from ironwheel.settings.schema import reference_table

        print(reference_table(), end="")
        return 0
    if arguments.cmake_dir:
        from ironwheel.cmake.helpers import HELPERS_DIR

        print(HELPERS_DIR)
        return 0
    import dataclasses

    from ironwheel.project.project import Project

    project = Project.load(Path(arguments.project), _config_settings(arguments.config_setting))
    shown = dataclasses.asdict(project.settings)
    del shown["origins"]  # not a setting
    print(json.dumps(shown, indent=2, default=list))
    return 0


def _migrate(arguments: argparse.Namespace) -> int:
    from ironwheel.migrate.cli import run_migrate

    return run_migrate(
        Path(arguments.project),
        diff=arguments.diff,
        write=arguments.write,
        check=arguments.check,
        run=not arguments.no_run,
        timeout=arguments.timeout,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    arguments = _parser().parse_args(argv)
    configure_logging(verbose=arguments.verbose, quiet=arguments.quiet)
    try:
        with terminable():
            if arguments.command == "build":
                return _build(arguments)
            if arguments.command == "develop":
                return _develop(arguments)
            if arguments.command == "repair":
                return _repair(arguments)
            if arguments.command == "migrate":
                return _migrate(arguments)
            if arguments.command == "inspect":
                from ironwheel.inspect.command import run as inspect

                return inspect(arguments)
            if arguments.command in ("new", "init"):
                from ironwheel.new.command import run as new_project

                return new_project(arguments)
            return _config(arguments)
    except PRESENTED as caught:
        return present(caught)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
