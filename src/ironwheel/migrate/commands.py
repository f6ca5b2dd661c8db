"""Custom commands (``cmdclass``), optional extensions and the old build's knobs.

A ``build_ext`` subclass is read (never run): one that catches compiler
errors makes the extensions optional, one that adds NumPy's headers gives
them ``numpy = true``, and what it changes in the extensions comes from its
replay (:mod:`ironwheel.migrate.replay`); what else it does is reported
with its lines. A build requirement's own ``build_ext`` (cppy's) is known by
what it gives every extension. A CMakeLists.txt the setuptools build never
ran is left out of the new build.
Environment variables and command-line options setup.py reads are
classified by what setting them changes, which was found by reading
setup.py again with the variable set.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ironwheel.migrate import values as v
from ironwheel.migrate.report import Report

__all__ = ["Commands", "analyse_commands", "apply_command_keys", "classify_knobs", "unused_cmakelists"]

_BUILD_ERRORS = frozenset(
    {
        "CCompilerError",
        "DistutilsExecError",
        "DistutilsPlatformError",
        "CompileError",
        "LinkError",
        "BuildFailed",
        "BuildExtFailed",
        "ExtensionBuildError",
        "PlatformError",
        "ExecError",
        "DistutilsError",
        "CompilationError",
    }
)
_KNOWN_COMMANDS = {
    "Cython.Build.build_ext": "Cython's build_ext",
    "Cython.Distutils.build_ext": "Cython's build_ext",
    "pybind11.setup_helpers.build_ext": "pybind11's build_ext",
    "versioneer.cmd_version": "versioneer",
    "versioneer.cmd_build_py": "versioneer",
    "versioneer.cmd_sdist": "versioneer",
}
# build_ext classes of build requirements, and what they do to every extension, in table keys.
_KNOWN_BUILD_EXT: dict[str, tuple[str, dict[str, Any]]] = {
    # Adds cppy's headers and compiles C++ as C++11 (/EHsc, MSVC's default, on Windows).
    "cppy.CppyBuildExt": ("cppy's build_ext", {"include-packages": ["cppy"], "cxx-std": 11}),
}
# A setup.py that runs CMake: a "cmake ..." command, or a name such as CMakeBuild or cmake_ext.
_CMAKE_COMMAND = re.compile(r"(?i)^(\S*/)?cmake(\.exe)?(\s|$)")
_CMAKE_NAME = re.compile(r"(?i)cmake")
_STEPS = {
    "build_ext": "compiler-specific flags: [[tool.ironwheel.overrides]] on sys_platform, or a CMakeLists.txt",
    "build_py": "files generated at build time: [[tool.ironwheel.generate]] or a CMakeLists.txt",
    "sdist": "sdist contents: tool.ironwheel.sdist include/exclude",
    "bdist_wheel": "wheel tags: tool.ironwheel.wheel.py-api",
    "develop": "editable installs are built by ironwheel (pip install -e .)",
    "install": "install steps: CMake install() rules in a CMakeLists.txt",
    "test": "run the tests with pytest; not part of the build",
    "clean": "not part of a build; delete it",
    "build_clib": "C libraries: build them in a CMakeLists.txt (add_library) and link them",
}


@dataclasses.dataclass
class Commands:
    optional: bool = False
    numpy: bool = False
    optional_lines: list[int] = dataclasses.field(default_factory=list)
    # Table keys a known build_ext gives every extension ("cxx-std" only those in C++).
    tables: dict[str, Any] = dataclasses.field(default_factory=dict)


def _names(node: ast.expr | None) -> set[str]:
    found: set[str] = set()
    if node is None:
        return found
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
    return found


def _catches_build_errors(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and _names(node.type) & _BUILD_ERRORS:
            lines.append(node.lineno)
    return lines


def _classes(tree: ast.Module | None) -> dict[str, ast.ClassDef]:
    if tree is None:
        return {}
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}


def analyse_commands(
    tree: ast.Module | None, cmdclass: Any, report: Report, replayed: Mapping[str, str] | None = None
) -> Commands:
    """What the file's commands mean for the new build (see the module docstring)."""
    result = Commands()
    if tree is not None:
        result.optional_lines = _catches_build_errors(tree)
        result.optional = bool(result.optional_lines)
    classes = _classes(tree)
    if isinstance(cmdclass, v.Unknown):
        report.manual(
            "cmdclass",
            f"unknown ({cmdclass.reason})",
            "check what setup.py's commands do; see docs/porting.md",
        )
        return result
    if not isinstance(cmdclass, Mapping):
        return result
    for command, implementation in cmdclass.items():
        subject = f"cmdclass {command}"
        name = getattr(implementation, "name", None)
        if isinstance(implementation, dict):
            name = implementation.get("__class__")
            if implementation.get("module") != "__main__":
                name = f"{implementation.get('module')}.{name}"
        if isinstance(name, str) and name in _KNOWN_COMMANDS:
            report.converted(subject, f"{_KNOWN_COMMANDS[name]}: ironwheel builds this itself")
            continue
        if command == "build_ext" and isinstance(name, str) and name in _KNOWN_BUILD_EXT:
            what, keys = _KNOWN_BUILD_EXT[name]
            result.tables.update(keys)
            given = ", ".join(
                f"{key} = {_toml(value)}" + (" (C++ modules)" if key == "cxx-std" else "")
                for key, value in keys.items()
            )
            report.converted(subject, f"{what} ({name}) -> {given} in the extension tables")
            continue
        node = classes.get(str(name).rsplit(".", 1)[-1]) if name else None
        if node is None:
            report.manual(
                subject,
                f"{name or implementation!r}, which migrate cannot read",
                _STEPS.get(command, "see docs/porting.md"),
            )
            continue
        lines = f"lines {node.lineno}-{getattr(node, 'end_lineno', node.lineno)}"
        source = ast.dump(node)
        if command == "build_ext":
            did = []
            if _catches_build_errors(node):
                did.append("falls back to pure Python when the build fails (-> optional = true)")
            if "get_include" in source and "numpy" in source:
                result.numpy = True
                did.append("adds NumPy's headers (-> numpy = true)")
            methods = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
            others = methods - {
                "run",
                "build_extension",
                "build_extensions",
                "finalize_options",
                "__init__",
                "initialize_options",
            }
            plain = not others and all(
                isinstance(item, ast.FunctionDef)
                and (_catches_build_errors(item) or "get_include" in ast.dump(item) or len(item.body) <= 2)
                for item in node.body
                if isinstance(item, ast.FunctionDef)
            )
            outcome = (replayed or {}).get(command)
            if outcome == "":
                did.append("was replayed on the extensions: what it adds to them is in the tables")
            if did:
                report.converted(subject, f"{node.name} ({lines}) " + "; ".join(did))
            if outcome is not None and outcome != "":
                report.manual(
                    subject,
                    f"{node.name} ({lines}) does more than migrate translates (replaying it: {outcome})",
                    _STEPS["build_ext"],
                )
            elif outcome is None and (not plain or not did):
                report.manual(
                    subject, f"{node.name} ({lines}) does more than migrate translates", _STEPS["build_ext"]
                )
            continue
        report.manual(subject, f"{node.name} ({lines})", _STEPS.get(command, "see docs/porting.md"))
    return result


def _toml(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    return str(value)


def _extension_names(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    listed = kwargs.get("ext_modules")
    for extension in listed if isinstance(listed, list) else []:
        if isinstance(extension, v.ExtensionCall) and isinstance(extension.name, str):
            found[extension.name] = extension.arguments
    return found


def classify_knobs(
    base: Mapping[str, Any],
    knobs: Mapping[str, Mapping[str, Any]],
    lines: Mapping[str, int],
    report: Report,
    script: str,
) -> None:
    """Report each environment variable setup.py reads, with what it does and the ironwheel equivalent."""
    before = _extension_names(base)
    for name, changed in knobs.items():
        where = f"{script}:{lines.get(name, 0)}"
        after = _extension_names(changed)
        if (before and not after) or set(after) < set(before):
            gone = sorted(set(before) - set(after))
            report.knob(
                f"${name}",
                f"set, it builds without {', '.join(gone)} ({where})",
                "IRONWHEEL_EXTENSION_OPTIONAL=skip builds without the optional extensions "
                "(they need optional = true)",
            )
        elif after != before:
            fields = sorted(
                {
                    key
                    for ext in after
                    for key in after[ext]
                    if after[ext].get(key) != before.get(ext, {}).get(key)
                }
            )
            debug = any(
                "-O0" in str(after[e].get("extra_compile_args"))
                or "-g" in str(after[e].get("extra_compile_args"))
                for e in after
            )
            report.knob(
                f"${name}",
                f"set, it changes {', '.join(fields) or 'the extensions'} ({where})",
                "-C cmake.build-type=Debug"
                if debug
                else "[[tool.ironwheel.overrides]] or -C settings (see docs/porting.md)",
            )
        else:
            report.knob(
                f"${name}",
                f"read by {script} ({where}); no effect on what migrate converted",
                "IRONWHEEL_* variables or -C settings",
            )


def unused_cmakelists(root: Path, tree: ast.Module | None, script: str, report: Report) -> bool:
    """Whether the project has a CMakeLists.txt that the setuptools build never ran.

    ironwheel would configure it (a C++ library's own build, its tests): the
    wheel must build the tables alone. A setup.py that mentions CMake (a
    ``CMakeBuild`` command, ``"cmake"`` run by subprocess) may use it: that
    is reported instead.
    """
    if not (root / "CMakeLists.txt").is_file():
        return False
    mentions = tree is not None and any(
        (isinstance(node, ast.Constant) and isinstance(node.value, str) and _CMAKE_COMMAND.match(node.value))
        or _CMAKE_NAME.search(_identifier(node))
        for node in ast.walk(tree)
    )
    if mentions:
        report.manual(
            "CMakeLists.txt",
            f"{script or 'setup.py'} seems to run CMake",
            "if it builds the extensions, drop their tables and give its -D options to "
            "tool.ironwheel.cmake.define; else set tool.ironwheel.wheel.cmake = false",
        )
        return False
    report.converted(
        "CMakeLists.txt",
        "the setuptools build did not use it -> tool.ironwheel.wheel.cmake = false (the tables alone "
        "are built)",
    )
    return True


def _identifier(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.name if isinstance(node, ast.ClassDef) else ""


def apply_command_keys(table: dict[str, Any], keys: Mapping[str, Any]) -> None:
    """What a known build_ext gives every extension: lists joined, cxx-std for C++ modules alone."""
    for key, value in keys.items():
        if isinstance(value, list):
            table[key] = [*table.get(key, []), *(item for item in value if item not in table.get(key, []))]
        elif key == "cxx-std":
            cxx = table.get("language") == "c++" or any(
                s.lower().endswith((".cpp", ".cxx", ".cc", ".c++")) for s in table["sources"]
            )
            if cxx:
                table.setdefault(key, value)
        else:
            table.setdefault(key, value)
