"""MANIFEST.in: its commands run over the tree as setuptools would, and translated to gitignore patterns.

ironwheel's sdist holds every file that ``.gitignore`` does not exclude,
plus ``sdist.include``, minus ``sdist.exclude``; setuptools starts from a
few defaults and applies MANIFEST.in in order. The translation keeps what
matters: every file setuptools would ship is in the new sdist, and every
file MANIFEST.in excludes stays out. Each command becomes a pattern; where
order makes a pattern wrong, the simulation adds the exact path.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ironwheel.migrate.report import Report

__all__ = ["Manifest", "all_files", "matches", "read_manifest"]

_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".tox",
        ".nox",
        ".eggs",
        "build",
        "dist",
        ".mypy_cache",
        ".pytest_cache",
    }
)
_INCLUDES = ("include", "recursive-include", "global-include", "graft")
_EXCLUDES = ("exclude", "recursive-exclude", "global-exclude", "prune")


def all_files(root: Path) -> list[str]:
    """Every file of the tree (POSIX, relative), leaving out VCS, build and environment directories."""
    found: list[str] = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in _SKIP_DIRS
            and not d.endswith(".egg-info")
            and not any(os.path.exists(os.path.join(current, d, m)) for m in ("pyvenv.cfg", "CACHEDIR.TAG"))
        )
        relative = os.path.relpath(current, root).replace(os.sep, "/")
        found += [
            name if relative == "." else f"{relative}/{name}"
            for name in sorted(files)
            if not name.endswith((".pyc", ".pyo"))
        ]
    return found


def _glob_regex(pattern: str) -> str:
    """distutils' translate_pattern: ``*`` and ``?`` stay within a path component; ``**`` crosses them."""
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            if pattern.startswith("/", index):
                out[-1] = "(?:.*/)?"
                index += 1
            continue
        char = pattern[index]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end < 0:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1 : end]
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                index = end
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


@dataclasses.dataclass(frozen=True)
class _Command:
    action: str
    directory: str
    patterns: tuple[str, ...]
    line: int

    def regex(self) -> re.Pattern[str]:
        if self.action in ("include", "exclude"):
            return re.compile("^(?:" + "|".join(_glob_regex(p) for p in self.patterns) + ")$")
        if self.action in ("global-include", "global-exclude"):
            return re.compile("^(?:.*/)?(?:" + "|".join(_glob_regex(p) for p in self.patterns) + ")$")
        if self.action in ("recursive-include", "recursive-exclude"):
            prefix = "" if self.directory in ("", ".") else re.escape(self.directory.rstrip("/")) + "/"
            return re.compile(
                "^" + prefix + "(?:.*/)?(?:" + "|".join(_glob_regex(p) for p in self.patterns) + ")$"
            )
        return re.compile("^" + _glob_regex(self.directory.rstrip("/")) + "/")

    def gitignore(self) -> list[str]:
        """The command's files as gitignore patterns, relative to the project root."""
        if self.action in ("include", "exclude"):
            return ["/" + p.lstrip("/") for p in self.patterns]
        if self.action in ("global-include", "global-exclude"):
            return [p if "/" not in p else "**/" + p for p in self.patterns]
        if self.action in ("recursive-include", "recursive-exclude"):
            base = self.directory.strip("/")
            return [(f"/{base}/**/{p}" if base not in ("", ".") else f"**/{p}") for p in self.patterns]
        return ["/" + self.directory.strip("/") + "/"]


@dataclasses.dataclass
class Manifest:
    """The parsed commands of a MANIFEST.in."""

    commands: list[_Command]

    def apply(self, files: Sequence[str], start: Iterable[str]) -> list[str]:
        """setuptools' file list: ``start`` (its defaults) changed by every command, in order."""
        chosen = dict.fromkeys(start)
        for command in self.commands:
            regex = command.regex()
            matching = [f for f in files if regex.match(f)]
            if command.action in _INCLUDES:
                chosen.update(dict.fromkeys(matching))
            else:
                for name in matching:
                    chosen.pop(name, None)
        return sorted(chosen)

    def patterns(self) -> tuple[list[str], list[str]]:
        """(include, exclude) gitignore patterns."""
        include: list[str] = []
        exclude: list[str] = []
        for command in self.commands:
            target = include if command.action in _INCLUDES else exclude
            target += [p for p in command.gitignore() if p not in target]
        return include, exclude

    def excluded(self, files: Sequence[str]) -> set[str]:
        """Files an exclude-type command removes that no later include-type command adds back."""
        state: dict[str, bool] = {}
        for command in self.commands:
            regex = command.regex()
            for name in files:
                if regex.match(name):
                    state[name] = command.action in _INCLUDES
        return {name for name, kept in state.items() if not kept}


def read_manifest(root: Path, report: Report) -> Manifest | None:
    """MANIFEST.in's commands; unknown or malformed lines are reported."""
    path = root / "MANIFEST.in"
    if not path.is_file():
        return None
    commands: list[_Command] = []
    text = path.read_text(encoding="utf-8", errors="replace").replace("\\\n", " ")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        words = line.replace("\\", "/").split()
        action, arguments = words[0], words[1:]
        if action in ("include", "exclude", "global-include", "global-exclude") and arguments:
            commands.append(_Command(action, "", tuple(arguments), number))
        elif action in ("recursive-include", "recursive-exclude") and len(arguments) >= 2:
            commands.append(_Command(action, arguments[0], tuple(arguments[1:]), number))
        elif action in ("graft", "prune") and len(arguments) == 1:
            commands.append(_Command(action, arguments[0], (), number))
        else:
            report.manual(
                "MANIFEST.in",
                f"line {number} ({line}) is not a command migrate knows",
                "add the files to sdist.include or sdist.exclude by hand",
            )
    return Manifest(commands)


def matches(pattern: str, path: str) -> bool:
    """Whether a package_data glob (relative to its package) matches a path relative to it."""
    return re.fullmatch(_glob_regex(pattern.replace("\\", "/")), path) is not None
