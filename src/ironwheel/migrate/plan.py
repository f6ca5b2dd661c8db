"""The migration of one project: read it, convert it, and render the new pyproject.toml and the report."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ironwheel.errors import ConfigError, IronwheelError
from ironwheel.migrate.backends import check_backend, in_tree_backend, pdm_build
from ironwheel.migrate.commands import analyse_commands, apply_command_keys, classify_knobs, unused_cmakelists
from ironwheel.migrate.extensions import convert_extensions, fold_libraries
from ironwheel.migrate.legacy import Legacy, read_legacy
from ironwheel.migrate.manifest import read_manifest
from ironwheel.migrate.metadata import convert_metadata
from ironwheel.migrate.overrides import merge_worlds
from ironwheel.migrate.packages import Layout, convert_layout
from ironwheel.migrate.report import Report
from ironwheel.migrate.writer import render_new_pyproject

__all__ = ["Migration", "plan_migration"]

_DROPPED_REQUIRES = re.compile(
    r"^(setuptools|wheel|setuptools[-_]scm|scikit-build-core|scikit-build|cmake|ninja|pdm-backend|pdm-pep517|"
    r"oldest-supported-numpy|cython|numpy|pybind11|expandvars|tomli|extension-helpers|versioneer)\b",
    re.IGNORECASE,
)
_PINNED_KEEP = re.compile(r"^(cython|numpy|pybind11|nanobind)\s*[<>=!~]", re.IGNORECASE)
_COMMANDS = frozenset(
    [
        "build",
        "build_ext",
        "build_py",
        "build_clib",
        "sdist",
        "bdist",
        "bdist_wheel",
        "bdist_egg",
        "install",
        "develop",
        "egg_info",
        "test",
        "clean",
        "check",
        "register",
        "upload",
        "dist_info",
        "editable_wheel",
        "--help",
        "-h",
        "--version",
    ]
)
_STEPS_LIBRARIES = (
    "add their sources to the extension tables, or build them in a CMakeLists.txt (add_library)"
)
# Modules other setuptools plugins build: the tables do not build them, so the report must say so.
_FOREIGN_EXTENSIONS = (
    (
        "cffi_modules",
        "cffi modules (an FFI builder script makes their C at build time) are not converted",
        "build them from a CMakeLists.txt that runs the builder (ffi.emit_c_code) in add_custom_command",
    ),
    (
        "rust_extensions",
        "Rust extensions (setuptools-rust) are not converted: ironwheel builds C, C++, Cython and Fortran",
        "keep setuptools-rust, or move the Rust crate to maturin",
    ),
)
_HEADERS = (".h", ".hh", ".hpp", ".hxx", ".inc", ".inl", ".pxd", ".pxi")


@dataclasses.dataclass
class Migration:
    """What migrate would write, and its report."""

    root: Path
    old_text: str
    new_text: str
    report: Report
    deletable: list[str]


def _requires(
    old: list[str], setup_requires: list[str], report: Report | None = None, *, tables: bool = True
) -> list[str]:
    """build-system.requires: the old backends go; binding packages stay when pinned or used by CMake."""
    kept = ["ironwheel"]
    for requirement in [*old, *setup_requires]:
        text = str(requirement).strip()
        if not text or text in kept:
            continue
        if _excludes_cython_3(text):
            if report is not None:
                report.manual(
                    "build-system.requires",
                    f'"{text}" was dropped: ironwheel compiles Cython modules with Cython 3',
                    "check that the .pyx files build with Cython 3 (legacy_implicit_noexcept, "
                    "language_level directives), or pin Cython 3 releases",
                )
            continue
        binding = _PINNED_KEEP.match(text) or (
            not tables and re.match(r"^(cython|numpy|pybind11|nanobind)\b", text, re.I)
        )
        if _DROPPED_REQUIRES.match(text) and not binding:
            continue
        kept.append(text)
    return kept


def _excludes_cython_3(text: str) -> bool:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return False
    if requirement.name.lower() != "cython" or not requirement.specifier:
        return False
    return not any(requirement.specifier.contains(f"3.{minor}.0", prereleases=True) for minor in range(3))


def _git_files(root: Path) -> list[str] | None:
    if not (root / ".git").exists():
        return None
    from ironwheel._run import capture
    from ironwheel.errors import CommandError, ToolError

    try:
        return [line for line in capture(["git", "ls-files"], cwd=root).splitlines() if line]
    except (CommandError, ToolError):
        return None


def _deletable(legacy: Legacy, report: Report, deletable: list[str]) -> None:
    root = legacy.root
    if legacy.script:
        deletable.insert(0, legacy.script)
    if (root / "setup.cfg").is_file():
        if legacy.cfg_sections:
            report.delete(
                "setup.cfg",
                f"after moving its other sections ({', '.join(legacy.cfg_sections)}) "
                "to their tools' own files",
            )
        else:
            deletable.append("setup.cfg")
    if (root / "MANIFEST.in").is_file():
        deletable.append("MANIFEST.in")
    for path in deletable:
        report.delete(path, "ironwheel does not read it")


def plan_migration(root: Path, *, run: bool = True, timeout: float = 60.0) -> Migration:
    """Read the project at ``root`` and work out its ironwheel configuration."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError(
            f"{root} is not a directory", hint="give the project's directory: ironwheel migrate PATH"
        )
    legacy = read_legacy(root, run=run, timeout=timeout)
    pyproject = legacy.pyproject
    tool = pyproject.get("tool", {})
    if legacy.backend == "ironwheel" and "scikit-build" not in tool:
        raise ConfigError("this project already builds with ironwheel", hint="nothing to migrate")
    report = Report()
    deletable: list[str] = []
    if "scikit-build" in tool or legacy.backend.startswith("scikit_build_core"):
        from ironwheel.migrate.skbuild import migrate_scikit_build

        return migrate_scikit_build(legacy, report)
    check_backend(legacy)
    if (
        not legacy.script
        and not (root / "setup.cfg").is_file()
        and "setuptools" not in tool
        and not pyproject.get("project")
    ):
        raise ConfigError(
            f"nothing to migrate in {root}: no setup.py, setup.cfg or pyproject.toml [project]",
            hint="run ironwheel migrate in the directory of a setuptools project",
        )
    _describe_reading(legacy, report)
    backend_knobs: list[tuple[str, str, str]] = []
    extra_extensions = in_tree_backend(legacy, report, deletable, backend_knobs)
    base = legacy.base
    if extra_extensions and not base.get("ext_modules"):
        for kwargs in legacy.kwargs.values():
            kwargs["ext_modules"] = list(extra_extensions)
    tables, overrides, py_api, cython, generated = _extension_tables(root, legacy, extra_extensions, report)
    metadata = convert_metadata(root, legacy.kwargs, legacy.worlds, pyproject, legacy.how, report)
    _numpy_at_run_time(tables, metadata.project, report)
    manifest = read_manifest(root, report)
    consumed = _consumed(root, tables) | generated
    layout = convert_layout(
        root,
        base,
        str(metadata.project.get("name", "")),
        manifest,
        generated,
        consumed,
        report,
        from_sdist=(root / "PKG-INFO").is_file(),
        setuptools_wheel=legacy.script != "pdm_build.py",
        tracked=_git_files(root)
        if metadata.dynamic_sources.get("version", {}).get("provider") == "vcs"
        else None,
    )
    _report_what_stays(legacy, tool, report, backend_knobs)
    ironwheel = _ironwheel_table(
        legacy, report, metadata.dynamic_sources, layout, py_api, cython, tables, overrides
    )
    tool_tables: dict[str, Any] = {}
    if metadata.scm and "setuptools_scm" not in tool:
        tool_tables["setuptools_scm"] = metadata.scm
    requires = _requires(
        list(pyproject.get("build-system", {}).get("requires", [])), metadata.build_requires, report
    )
    remove: list[tuple[str, ...]] = [("tool", "setuptools")]
    pdm = tool.get("pdm") if isinstance(tool.get("pdm"), dict) else {}
    if legacy.script == "pdm_build.py" or "build" in pdm:
        remove += [("tool", "pdm", "build"), ("tool", "pdm", "version")]
        pdm_build(pdm.get("build") or {}, ironwheel, report)
        if legacy.script == "pdm_build.py":
            deletable.append("pdm_build.py")
    if pyproject.get("build-system", {}).get("backend-path"):
        remove.append(("tool", "local", "cythonize"))
    existing = tool.get("ironwheel")
    if isinstance(existing, dict) and existing:
        from ironwheel.settings import merge

        ironwheel = merge(ironwheel, existing)
        report.converted(
            "tool.ironwheel", "the settings it already had were kept (they win over converted ones)"
        )
    tool_tables = {**({"ironwheel": ironwheel} if ironwheel else {}), **tool_tables}
    _deletable(legacy, report, deletable)
    new_text = render_new_pyproject(
        legacy.text,
        pyproject,
        metadata.project,
        {"requires": requires, "build-backend": "ironwheel"},
        tool_tables,
        remove,
        report,
    )
    _validate(root, new_text)
    return Migration(root, legacy.text, new_text, report, deletable)


def _extension_tables(
    root: Path, legacy: Legacy, extra_extensions: list[Any], report: Report
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], str, dict[str, Any], set[str]]:
    """The extension tables and their overrides per platform, the wheel's py-api, shared Cython
    directives, and the files generated for the tables."""
    base = legacy.base
    generated: set[str] = set()
    per_world = {}
    for index, world in enumerate(legacy.worlds):
        kwargs = legacy.kwargs[world]
        folded, why_not = fold_libraries(kwargs)
        if index == 0 and folded:
            report.converted(
                "libraries",
                f"{', '.join(folded)} (build_clib): their sources are compiled into each extension",
            )
        if index == 0 and why_not:
            report.manual("libraries", f"the build_clib libraries are {why_not}", _STEPS_LIBRARIES)
        prefix = kwargs.get("ext_package") if isinstance(kwargs.get("ext_package"), str) else ""
        per_world[world] = convert_extensions(
            root, kwargs.get("ext_modules") or [], prefix or "", report, generated
        )
    tables, overrides = merge_worlds(per_world, legacy.worlds)
    by_source = {
        call.arguments["sources"][0]: call.cython.get("compiler_directives") for call in extra_extensions
    }
    for table in tables.values():
        directives = next((by_source[s] for s in table["sources"] if by_source.get(s)), None)
        if directives and "cython-directives" not in table:
            table["cython-directives"] = dict(directives)
    commands = analyse_commands(legacy.tree, base.get("cmdclass"), report, legacy.replayed)
    py_api = ""
    for name, table in tables.items():
        limited = table.pop("__limited__", None)
        # Every module must build for the wheel's version: the highest of them.
        if limited and (not py_api or int(limited[3:]) > int(py_api[3:])):
            py_api = limited
        if commands.optional and not table.get("optional"):
            table["optional"] = True
        if commands.numpy and not any(s.endswith((".f", ".f90", ".pyf")) for s in table["sources"]):
            table["numpy"] = True
        apply_command_keys(table, commands.tables)
        report.converted(
            f"extension {name}", f'-> [tool.ironwheel.extension."{name}"]', legacy.how.get("ext_modules", "")
        )
    for override in overrides:
        for body in override["extension"].values():
            body.pop("__limited__", None)
    if commands.optional:
        lines = ", ".join(str(n) for n in commands.optional_lines[:4])
        report.converted(
            "optional extensions",
            f"setup.py falls back to pure Python when the build fails (line {lines}) -> optional = true",
        )
    options = base.get("options")
    if isinstance(options, Mapping):
        wheel_options = options.get("bdist_wheel") or {}
        if isinstance(wheel_options, Mapping) and isinstance(wheel_options.get("py_limited_api"), str):
            py_api = wheel_options["py_limited_api"]
    cython: dict[str, Any] = {}
    shared = [
        t.get("cython-directives") for t in tables.values() if any(s.endswith(".pyx") for s in t["sources"])
    ]
    if len(shared) > 1 and all(d and d == shared[0] for d in shared):
        cython = {"directives": shared[0]}
        for table in tables.values():
            table.pop("cython-directives", None)
    return tables, overrides, py_api, cython, generated


def _report_what_stays(
    legacy: Legacy, tool: Mapping[str, Any], report: Report, backend_knobs: list[tuple[str, str, str]]
) -> None:
    """What the conversion leaves to the user: build knobs, probes, side effects, foreign builders."""
    base = legacy.base
    classify_knobs(base, legacy.knobs, legacy.environ_reads, report, legacy.script or "setup.py")
    reported = {item.subject for item in report.of("knob")}
    for subject, text, step in backend_knobs:
        if subject not in reported:
            report.knob(subject, text, step)
    for option, line in legacy.argv_reads.items():
        if option in _COMMANDS:
            continue  # which setup.py command runs, not an option of the build
        report.knob(
            option,
            f"a command-line option of {legacy.script}:{line}",
            "pip cannot pass it; use IRONWHEEL_* variables or -C settings",
        )
    for line, what in legacy.probes:
        report.manual(
            legacy.script or "setup.py",
            f"line {line}: {what} looks for a system library; the tables build what setup.py builds "
            "when it is not found (the bundled sources)",
            "to link the system library, find it from a CMakeLists.txt (find_package, pkg_check_modules)",
        )
    for line, what in legacy.side_effects:
        report.manual(
            legacy.script or "setup.py",
            f"line {line} runs {what} at build time (a probe, or a generated file)",
            "a probe: check_c_source_compiles / check_include_file in a CMakeLists.txt; a generated "
            "file: [[tool.ironwheel.generate]] or add_custom_command",
        )
    if base.get("distclass"):
        report.manual(
            "distclass",
            "a custom Distribution class",
            "its command-line options become -C settings or IRONWHEEL_* variables; see docs/porting.md",
        )
    for key, what, step in _FOREIGN_EXTENSIONS:
        if base.get(key) or (key == "rust_extensions" and "setuptools-rust" in tool):
            report.manual(key, what, step)
    if base.get("data_files"):
        report.manual(
            "data_files",
            f"{base['data_files']!r}",
            "install them from a CMakeLists.txt: install(FILES ... DESTINATION ${IRONWHEEL_DATA_DIR}/...)",
        )


def _ironwheel_table(
    legacy: Legacy,
    report: Report,
    dynamic_sources: dict[str, Any],
    layout: Layout,
    py_api: str,
    cython: dict[str, Any],
    tables: dict[str, dict[str, Any]],
    overrides: list[dict[str, Any]],
) -> dict[str, Any]:
    """``[tool.ironwheel]`` from what was converted."""
    ironwheel: dict[str, Any] = {}
    if dynamic_sources:
        ironwheel["metadata"] = dynamic_sources
    wheel = dict(layout.wheel)
    if py_api:
        wheel["py-api"] = py_api
    if unused_cmakelists(legacy.root, legacy.tree, legacy.script, report):
        wheel["cmake"] = False
    if wheel:
        ironwheel["wheel"] = wheel
    if layout.sdist:
        ironwheel["sdist"] = layout.sdist
    if cython:
        ironwheel["cython"] = cython
    if tables:
        ironwheel["extension"] = tables
    if overrides:
        ironwheel["overrides"] = overrides
    return ironwheel


def _numpy_at_run_time(
    tables: Mapping[str, Mapping[str, Any]], project: Mapping[str, Any], report: Report
) -> None:
    """f2py and NumPy C-API modules import numpy: say so when the dependencies do not."""
    needing = [
        name
        for name, table in tables.items()
        if table.get("numpy")
        or any(str(s).endswith((".pyf", ".f", ".f90")) for s in table.get("sources", []))
    ]
    declared = " ".join(str(d) for d in project.get("dependencies", [])).lower()
    if needing and "numpy" not in declared and "dependencies" not in project.get("dynamic", []):
        report.manual(
            "dependencies",
            f"{', '.join(needing)} import numpy at run time, and project.dependencies does not list it",
            'add "numpy" to project.dependencies',
        )


def _consumed(root: Path, tables: Mapping[str, Mapping[str, Any]]) -> set[str]:
    consumed: set[str] = set()
    for table in tables.values():
        for source in table.get("sources", []):
            paths = (
                [p.relative_to(root).as_posix() for p in root.glob(source)]
                if any(c in source for c in "*?[")
                else [source]
            )
            consumed |= {p for p in paths if not p.endswith(_HEADERS)}
    return consumed


def _describe_reading(legacy: Legacy, report: Report) -> None:
    ways: dict[str, list[str]] = {}
    for key, how in legacy.how.items():
        ways.setdefault(how, []).append(key)
    for how, keys in ways.items():
        report.converted(f"read ({how})", ", ".join(sorted(keys)))
    recorded = legacy.recorded
    if recorded is not None and recorded.error:
        report.manual(
            legacy.script,
            f"running it with recorders failed: {recorded.error.strip().splitlines()[-1]}",
            "the values it left unknown are listed below; fill them in by hand",
        )
    unknown = [u for u in legacy.unknowns if u.line]
    if unknown and (recorded is None or recorded.error):
        shown = "; ".join(f"line {u.line}: {u.reason}" for u in unknown[:3])
        report.manual(
            legacy.script,
            f"the static reading stopped at: {shown}",
            "check the converted values against setup.py",
        )


def _validate(root: Path, text: str) -> None:
    from ironwheel._compat import tomllib
    from ironwheel.settings import load_settings

    data = tomllib.loads(text)
    try:
        load_settings(data, environ={}, project_dir=root)
    except IronwheelError as error:
        raise IronwheelError(
            f"migrate produced settings ironwheel rejects: {error.message}",
            details=error.details,
            hint="please report this with the project's setup.py",
        ) from error
