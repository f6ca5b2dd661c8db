"""packages, package_dir, py_modules, package data and MANIFEST.in -> wheel and sdist settings.

The files setuptools would put into the wheel and the sdist are computed
over the tree, and so are the files ironwheel would select with the new
settings (with its own file selection code). Where they differ, patterns
(``wheel.exclude``, ``sdist.include``/``sdist.exclude``) are added, as
general as the difference allows.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ironwheel.archive.files import Selection, select_files
from ironwheel.archive.gitignore import Rules
from ironwheel.archive.layout import discover_packages
from ironwheel.migrate import values as v
from ironwheel.migrate.manifest import Manifest, all_files, matches
from ironwheel.migrate.report import Report

__all__ = ["Layout", "convert_layout"]


@dataclasses.dataclass
class Layout:
    wheel: dict[str, Any]
    sdist: dict[str, Any]


def _top_levels(
    kwargs: Mapping[str, Any], report: Report
) -> tuple[dict[str, str], dict[str, str], list[str]] | None:
    """Top-level package (or module file) -> its directory, and every listed package -> its directory."""
    packages = kwargs.get("packages") or []
    package_dir = kwargs.get("package_dir") or {}
    modules = kwargs.get("py_modules") or []
    if (
        isinstance(packages, v.Unknown)
        or isinstance(package_dir, v.Unknown)
        or isinstance(modules, v.Unknown)
    ):
        report.manual("packages", "unknown", "set tool.ironwheel.wheel.packages")
        return None
    base = str(package_dir.get("", "")).strip("/")
    tops: dict[str, str] = {}

    def directory(dotted: str) -> str:
        parts = dotted.split(".")
        for length in range(len(parts), 0, -1):
            prefix = ".".join(parts[:length])
            if prefix in package_dir:
                return "/".join([str(package_dir[prefix]).strip("/"), *parts[length:]]).strip("/")
        return "/".join([base, *parts]).strip("/")

    listed = [str(p) for p in packages]
    for package in listed:
        top = package.split(".")[0]
        tops.setdefault(top, directory(top))
    for module in modules:
        name = str(module)
        if "." in name:
            tops.setdefault(name.split(".", maxsplit=1)[0], directory(name.split(".", maxsplit=1)[0]))
        else:
            tops.setdefault(f"{name}.py", (base + "/" if base else "") + f"{name}.py")
    tops = {k: os.path.normpath(d).replace(os.sep, "/") for k, d in tops.items()}
    module_files = [
        os.path.normpath(f"{directory(str(m).rpartition('.')[0])}/{str(m).rpartition('.')[2]}.py").replace(
            os.sep, "/"
        )
        for m in modules
        if "." in str(m)
    ]
    return tops, {p: os.path.normpath(directory(p)).replace(os.sep, "/") for p in listed}, module_files


def _setuptools_wheel(
    kwargs: Mapping[str, Any],
    tops: Mapping[str, str],
    directories: Mapping[str, str],
    files: Sequence[str],
    manifest: set[str],
    module_files: Sequence[str] = (),
) -> set[str]:
    """Project paths setuptools' wheel takes from the packages."""
    data = kwargs.get("package_data") or {}
    excluded = kwargs.get("exclude_package_data") or {}
    include_data = bool(kwargs.get("include_package_data"))
    chosen: set[str] = set(module_files) & set(files)
    for name, path in tops.items():
        if name.endswith(".py"):
            chosen.add(path)
    for package, directory in directories.items():
        prefix = directory + "/" if directory else ""
        inside = [f for f in files if f.startswith(prefix)]
        for name in inside:
            relative = name[len(prefix) :]
            if "/" not in relative and name.endswith(".py"):
                chosen.add(name)
            patterns = [
                *(data.get("", []) if isinstance(data, Mapping) else []),
                *(data.get(package, []) if isinstance(data, Mapping) else []),
            ]
            if any(matches(str(p), relative) for p in patterns):
                chosen.add(name)
            elif include_data and name in manifest and not name.endswith(".py"):
                # Data below a package that is not itself a listed package belongs to it.
                owner = max(
                    (d for d in directories.values() if name.startswith(d + "/")), key=len, default=""
                )
                if owner == directory:
                    chosen.add(name)
        drop = [
            *(excluded.get("", []) if isinstance(excluded, Mapping) else []),
            *(excluded.get(package, []) if isinstance(excluded, Mapping) else []),
        ]
        for name in inside:
            if any(matches(str(p), name[len(prefix) :]) for p in drop):
                chosen.discard(name)
    return chosen


def _defaults(kwargs: Mapping[str, Any], files: Sequence[str], tops: Mapping[str, str]) -> set[str]:
    """What setuptools' sdist takes without MANIFEST.in."""
    chosen = {
        f
        for f in files
        if f in ("setup.py", "setup.cfg", "pyproject.toml", "MANIFEST.in")
        or (
            os.path.basename(f).startswith(("README", "LICEN", "COPYING", "NOTICE", "AUTHORS"))
            and "/" not in f
        )
    }
    for directory in tops.values():
        chosen |= {
            f
            for f in files
            if (f.startswith(directory + "/") or f == directory) and f.endswith((".py", ".pyi"))
        }
    listed = kwargs.get("ext_modules")
    for extension in listed if isinstance(listed, list) else []:
        if isinstance(extension, v.ExtensionCall):
            for source in [
                *(extension.arguments.get("sources") or []),
                *(extension.arguments.get("depends") or []),
            ]:
                chosen.add(os.path.normpath(str(source)).replace(os.sep, "/"))
    return chosen & set(files)


def _wheel_exclude(extra: set[str], kept: set[str]) -> list[str]:
    """General patterns for the wheel paths in ``extra`` that keep every path of ``kept``."""
    patterns: list[str] = []
    kept_suffixes = {os.path.splitext(p)[1] for p in kept}
    remaining: list[str] = []
    for path in sorted(extra):
        suffix = os.path.splitext(path)[1]
        if suffix and suffix not in kept_suffixes:
            pattern = f"*{suffix}"
            if pattern not in patterns:
                patterns.append(pattern)
        else:
            remaining.append(path)
    for path in remaining:
        directory = os.path.dirname(path)
        while directory and not any(k.startswith(directory + "/") for k in kept):
            parent = os.path.dirname(directory)
            if not parent or any(k.startswith(parent + "/") for k in kept):
                break
            directory = parent
        pattern = (
            f"/{directory}/"
            if directory and not any(k.startswith(directory + "/") for k in kept)
            else f"/{path}"
        )
        if pattern not in patterns and not any(Rules([p]).ignores(path) for p in patterns):
            patterns.append(pattern)
    return patterns


def _selected(root: Path, include: Sequence[str], exclude: Sequence[str]) -> set[str]:
    """What ironwheel's sdist would take with these patterns (the build directory apart)."""
    return set(select_files(root, Selection(include=include, exclude=exclude, never=[root / "build"])))


def _packages(
    root: Path,
    project_name: str,
    found: tuple[dict[str, str], dict[str, str], list[str]] | None,
    layout: Layout,
    report: Report,
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The top-level packages and modules setuptools shipped, as wheel.packages and package-dirs."""
    if found is None:
        return {}, {}, []
    tops, listed, module_files = found
    missing = [f"{name} ({directory})" for name, directory in tops.items() if not (root / directory).exists()]
    if missing:
        report.manual("packages", f"not found: {', '.join(missing)}", "check package_dir")
        # A directory that is not there would fail every build: leave it out.
        tops = {name: directory for name, directory in tops.items() if (root / directory).exists()}
    renamed = {
        name: directory
        for name, directory in tops.items()
        if not name.endswith(".py") and os.path.basename(directory) != name
    }
    same = {name: directory for name, directory in tops.items() if name not in renamed}
    discovered = {
        (p.name, p.source.relative_to(root.resolve()).as_posix())
        for p in discover_packages(root.resolve(), project_name, ())
    }
    if same and (set(same.items()) != discovered or renamed):
        layout.wheel["packages"] = [d for _, d in sorted(same.items(), key=lambda item: item[1])]
        report.converted("packages", f"{', '.join(sorted(same))} -> tool.ironwheel.wheel.packages")
    elif same:
        report.converted("packages", f"{', '.join(sorted(same))}: found by ironwheel's package discovery")
    if renamed:
        layout.wheel["package-dirs"] = dict(sorted(renamed.items()))
        shown = ", ".join(f"{name} from {directory}" for name, directory in sorted(renamed.items()))
        report.converted("packages", f"{shown} -> tool.ironwheel.wheel.package-dirs")
    return tops, listed, module_files


def _compare_wheels(
    root: Path,
    kwargs: Mapping[str, Any],
    tops: dict[str, str],
    listed: dict[str, str],
    files: list[str],
    manifest_files: set[str],
    module_files: list[str],
    consumed: set[str],
    layout: Layout,
    report: Report,
) -> None:
    """What setuptools took from the packages against what ironwheel would: wheel.exclude for the
    extra files, a manual step for the missing ones."""
    wheel_files = _setuptools_wheel(
        kwargs,
        tops,
        listed,
        files,
        manifest_files if kwargs.get("include_package_data") else set(),
        module_files,
    )
    selection = _selected(root, layout.sdist.get("include", []), layout.sdist.get("exclude", []))
    ironwheel_files: set[str] = set()
    for name, directory in tops.items():
        if name.endswith(".py"):
            ironwheel_files.add(directory)
        else:
            ironwheel_files |= {f for f in selection if f.startswith(directory + "/")}
    ironwheel_files -= consumed

    def wheel_path(path: str) -> str:
        for name, directory in tops.items():
            if path == directory:
                return name
            if path.startswith(directory + "/"):
                return name + path[len(directory) :]
        return path

    extra = {wheel_path(p) for p in ironwheel_files - wheel_files}
    kept = {wheel_path(p) for p in wheel_files}
    missing = sorted(wheel_files - ironwheel_files - consumed)
    if missing:
        report.manual(
            "package data",
            f"not in the new wheel: {', '.join(missing[:5])}",
            "add them to tool.ironwheel.sdist.include",
        )
    if extra:
        layout.wheel["exclude"] = _wheel_exclude(extra, kept)
        report.converted(
            "package data",
            "files setuptools left out of the wheel -> tool.ironwheel.wheel.exclude "
            f"({len(extra)} file{'s' if len(extra) != 1 else ''})",
        )


def convert_layout(
    root: Path,
    kwargs: Mapping[str, Any],
    project_name: str,
    manifest: Manifest | None,
    generated: set[str],
    consumed: set[str],
    report: Report,
    *,
    from_sdist: bool,
    tracked: Sequence[str] | None,
    setuptools_wheel: bool = True,
) -> Layout:
    """The wheel and sdist settings that ship what setuptools shipped."""
    layout = Layout({}, {})
    found = _top_levels(kwargs, report)
    files = all_files(root)
    tops, listed, module_files = _packages(root, project_name, found, layout, report)
    # The sdist: setuptools' file list, and what MANIFEST.in leaves out.
    defaults = _defaults(kwargs, files, tops)
    manifest_files = set(files) if from_sdist else set(tracked) if tracked is not None else set(defaults)
    explicitly_out: set[str] = set()
    include: list[str] = []
    exclude: list[str] = []
    if manifest is not None:
        if not from_sdist:
            manifest_files = set(manifest.apply(files, manifest_files))
        explicitly_out = manifest.excluded(files) - manifest_files
        include, exclude = manifest.patterns()
        report.converted("MANIFEST.in", "its commands -> tool.ironwheel.sdist include/exclude patterns")
    exclude += [f"/{path}" for path in sorted(generated) if f"/{path}" not in exclude]
    # Includes are kept only when they bring in files the defaults leave out; as an
    # include beats every exclude, one that would bring an unwanted file too (one
    # MANIFEST.in excludes, generated C) is replaced by the exact paths it should bring.
    unwanted = explicitly_out | set(generated)
    default = _selected(root, [], exclude)
    needed: list[str] = []
    for pattern in include:
        brings = _selected(root, [pattern], exclude) - default
        if brings & unwanted:
            needed += [f"/{path}" for path in sorted(brings - unwanted) if f"/{path}" not in needed]
        elif brings:
            needed.append(pattern)
    chosen = _selected(root, needed, exclude)
    for path in sorted((manifest_files - chosen - unwanted) & set(files)):
        if not any(path.startswith(d) for d in ("build/", "dist/")):
            needed.append(f"/{path}")
    chosen = _selected(root, needed, exclude)
    for path in sorted(unwanted & chosen):
        exclude.append(f"/{path}")
    if needed:
        layout.sdist["include"] = needed
    if exclude:
        layout.sdist["exclude"] = exclude
    if generated:
        report.converted(
            "generated C",
            f"{', '.join(sorted(generated))} left out: ironwheel runs Cython at build time (delete them)",
        )
    # The wheel: what setuptools took from the packages against what ironwheel would.
    # pdm-backend makes the wheel itself (all of each package, like ironwheel): nothing to compare.
    if found is None or not setuptools_wheel:
        return layout
    _compare_wheels(root, kwargs, tops, listed, files, manifest_files, module_files, consumed, layout, report)
    return layout
