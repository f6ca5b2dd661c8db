"""Requirements files (``requirements.txt``) read as dependencies.

What a requirements file may say that package metadata can carry: PEP 508
requirements (environment markers and ``name @ URL`` direct references
included), comments, blank lines, lines continued with a backslash, and
``-r other.txt`` includes, relative to the including file and inside the
project. What it may say that only an installer understands (``-e``, index
and hash options, bare URLs and paths) is refused with the file and line,
since silently dropping it would publish different dependencies from the
ones the file lists.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from ironwheel.archive.files import check_file
from ironwheel.errors import ConfigError

__all__ = ["Requirements", "read_requirements"]

# A comment starts a line or follows whitespace (a URL's #fragment is not one).
_COMMENT = re.compile(r"(^|\s)#.*$")
_OPTION = re.compile(r"(?:^|\s)(--?[A-Za-z][\w-]*)")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip")
_INCLUDES = ("-r", "--requirement")
_HINT = "a requirements file used for metadata holds PEP 508 requirements, comments and -r includes only"


@dataclasses.dataclass(frozen=True)
class Requirements:
    """The requirements of some files, in order, and every file read for them."""

    requirements: tuple[str, ...]
    files: tuple[str, ...]  # POSIX paths relative to the project root, includes after their includer


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines with their continuations joined, numbered by their first physical line."""
    pending: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if line.endswith("\\") and not line.lstrip().startswith("#"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield start, "".join(pending)
        pending = []
    if pending:
        yield start, "".join(pending)


def _looks_like_path(text: str) -> bool:
    if "@" in text.split(";", maxsplit=1)[0]:
        return False  # name @ URL, a direct reference
    head = text.split(";", maxsplit=1)[0].strip()
    return (
        bool(_URL.match(head))
        or head.startswith((".", "/", "~"))
        or "/" in head
        or "\\" in head
        or head.lower().endswith(_ARCHIVES)
    )


class _Reader:
    def __init__(self, root: Path, follow_external_links: bool) -> None:
        self.root = root
        self.follow_external_links = follow_external_links
        self.requirements: list[str] = []
        self.files: list[str] = []

    def _relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()

    def _check(self, path: Path, where: str) -> None:
        # The rule of every file the sdist carries: inside the project, links out only when allowed.
        check_file(self.root, path, follow_external_links=self.follow_external_links, where=where)

    def read_top(self, name: str, where: str) -> None:
        path = Path(os.path.normpath(self.root / name))
        self._check(path, where)
        self._read(path, where, name, ())

    def _read(self, path: Path, where: str, shown: str, chain: tuple[Path, ...]) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ConfigError(
                f'{where}: no file "{shown}"', hint="give a file relative to the project root"
            ) from None
        except OSError as error:
            raise ConfigError(
                f'{where}: cannot read "{shown}": {error.strerror}',
                hint="give a readable file relative to the project root",
            ) from None
        except UnicodeDecodeError as error:
            raise ConfigError(
                f'{where}: "{shown}" is not UTF-8 (byte {error.start} cannot be decoded)',
                hint="save the file as UTF-8",
            ) from None
        name = self._relative(path)
        if name not in self.files:
            self.files.append(name)
        chain = (*chain, path.resolve())
        for number, raw in _logical_lines(text):
            line = _COMMENT.sub("", raw).strip()
            if line:
                self._line(path, f"{name}:{number}", line, chain)

    def _line(self, path: Path, where: str, line: str, chain: tuple[Path, ...]) -> None:
        if line.startswith("-"):
            self._option(path, where, line, chain)
            return
        if _looks_like_path(line):
            raise ConfigError(
                f'{where}: "{line}" is a URL or a path, not a requirement',
                hint='name the package ("name>=1.0"), or write a direct reference "name @ URL"',
            )
        try:
            Requirement(line)
        except InvalidRequirement as error:
            option = _OPTION.search(line)
            if option is not None:
                raise ConfigError(
                    f'{where}: the option "{option.group(1)}" cannot be part of package metadata',
                    hint=_HINT,
                ) from None
            reason = str(error).splitlines()[0]
            raise ConfigError(
                f'{where}: "{line}" is not a valid requirement: {reason}',
                hint="write one PEP 508 requirement a line, such as "
                "\"numpy>=1.22; python_version >= '3.10'\"",
            ) from None
        if line not in self.requirements:
            self.requirements.append(line)

    def _option(self, path: Path, where: str, line: str, chain: tuple[Path, ...]) -> None:
        try:
            words = shlex.split(line)
        except ValueError as error:
            raise ConfigError(f"{where}: cannot read the option: {error}", hint=_HINT) from None
        option, _, attached = words[0].partition("=")
        if option.startswith("-r") and option not in _INCLUDES:
            option, attached = "-r", option[2:]
        if option in ("-e", "--editable") or option.startswith("-e"):
            raise ConfigError(
                f"{where}: an editable requirement (-e) cannot be a dependency",
                hint='name the package instead ("name>=1.0"), or write a direct reference "name @ URL"',
            )
        if option not in _INCLUDES:
            raise ConfigError(
                f'{where}: the option "{option}" cannot be part of package metadata', hint=_HINT
            )
        arguments = ([attached] if attached else []) + words[1:]
        if len(arguments) != 1:
            raise ConfigError(f"{where}: -r takes one file", hint="write -r other-requirements.txt")
        target = arguments[0]
        included = Path(os.path.normpath(path.parent / target))
        self._check(included, f"{where}: -r")
        if included.resolve() in chain:
            raise ConfigError(
                f'{where}: -r "{target}" includes a file that includes it', hint="remove the circular -r"
            )
        self._read(included, where, target, chain)


def read_requirements(
    root: Path, files: tuple[str, ...], where: str, *, follow_external_links: bool = False
) -> Requirements:
    """The requirements of ``files`` (relative to ``root``); ``where`` names the setting.

    ``follow_external_links`` is ``sdist.follow-external-links``: whether a file may be a
    symbolic link to one outside the project.
    """
    reader = _Reader(root, follow_external_links)
    for name in files:
        reader.read_top(name, where)
    return Requirements(tuple(reader.requirements), tuple(reader.files))
