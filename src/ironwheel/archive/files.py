"""Choosing the project's files: .gitignore-aware, with include/exclude patterns.

Used by the sdist (the whole project) and by the wheel (the files of each
Python package). Whatever the patterns say, some things are never selected:
version-control data (``.git`` directories and the ``.git`` files of worktrees
and submodules), bytecode, special files (pipes, devices, sockets, which are
never read), and directories that belong to a tool rather than to the project,
recognised by what they hold: virtual environments (``pyvenv.cfg``,
``conda-meta/``), build trees of CMake, Ninja and Meson, tagged caches
(``CACHEDIR.TAG``, ironwheel's build directories among them) and directories
holding built distributions of the project itself (old ``dist/`` and
``wheelhouse/`` outputs).

Nothing from outside the project is read: a symbolic link whose target lies
outside the project root is an error, unless ``sdist.follow-external-links``
allows it. Files that look like secrets (``.env``, private keys) are packed
with a warning naming them.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ironwheel.archive.gitignore import Rules
from ironwheel.errors import ConfigError, PackagingError
from ironwheel.settings.keys import prefixed

__all__ = [
    "DEFAULT_EXCLUDES",
    "Selection",
    "check_file",
    "check_inside",
    "forced_files",
    "outside_problem",
    "project_tree",
    "select_files",
]

log = logging.getLogger("ironwheel")

_VCS_NAMES = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", ".pijul", ".fslckout", "_FOSSIL_"})
_NEVER_FILES = (".pyc", ".pyo")
# Left out by default; sdist.include can bring them back.
DEFAULT_EXCLUDES = (
    "__pycache__/",
    ".tox/",
    ".nox/",
    ".eggs/",
    "*.egg-info/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    "_skbuild/",
    ".DS_Store",
    "/dist/",
)
# A directory holding any of these is a tool's, not the project's (checked on
# the names of its entries, which the walk lists anyway).
_MARKERS = (
    ("pyvenv.cfg", "a virtual environment"),
    ("conda-meta", "a conda environment"),
    ("CACHEDIR.TAG", "a cache or build directory (CACHEDIR.TAG)"),
    ("CMakeCache.txt", "a CMake build directory"),
    ("meson-private", "a Meson build directory"),
)
_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_SECRET_NAMES = {
    ".pypirc": "credentials for package indexes",
    ".netrc": "login credentials",
    **dict.fromkeys(
        ("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"), "an SSH private key"
    ),
}
_ENV_EXAMPLES = (".example", ".sample", ".template", ".dist", ".defaults")
_KEY_SUFFIXES = (".pem", ".key", ".p8", ".der", ".ppk", ".asc", ".gpg")
_PRIVATE_KEY = re.compile(rb"\A\s*-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
_DIST_NAME = re.compile(r"[-_.]+")


@dataclasses.dataclass(frozen=True)
class Selection:
    """What to pick from a directory tree."""

    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    never: Sequence[Path] = ()  # absolute directories never entered (build dirs)
    use_gitignore: bool = True
    follow_external_links: bool = False
    # The project's name: directories holding its built wheels or sdists are left out.
    dist_name: str = ""


def _normalise(name: str) -> str:
    return _DIST_NAME.sub("_", name).lower()


def _is_distribution(filename: str, dist_name: str) -> bool:
    """Whether ``filename`` is a wheel or sdist of the project ``dist_name`` (normalised)."""
    if not dist_name:
        return False
    if filename.endswith(".whl"):
        return _normalise(filename.split("-", 1)[0]) == dist_name
    if filename.endswith(".tar.gz"):
        name, _, version = filename[: -len(".tar.gz")].rpartition("-")
        return _normalise(name) == dist_name and version[:1].isdigit()
    return False


def _tool_directory(names: set[str], files: Sequence[str], dist_name: str) -> str | None:
    """Why a directory with these entries is a tool's, or None if it is the project's."""
    for marker, what in _MARKERS:
        if marker in names:
            return what
    if "build.ninja" in names and ".ninja_log" in names:
        return "a Ninja build directory"
    if dist_name and any(_is_distribution(name, dist_name) for name in files):
        return "it holds built distributions of this project"
    return None


def _secret(path: Path, name: str) -> str | None:
    """What secret ``path`` seems to hold, or None."""
    if name in _SECRET_NAMES:
        return _SECRET_NAMES[name]
    if name == ".env" or (name.startswith(".env.") and not name.endswith(_ENV_EXAMPLES)):
        return "environment variables, often credentials"
    if name.endswith(_KEY_SUFFIXES):
        try:
            with path.open("rb") as handle:
                head = handle.read(256)
        except OSError:
            return None
        if _PRIVATE_KEY.match(head):
            return "a private key"
    return None


def _inside(root: Path, target: Path) -> bool:
    return target == root or root in target.parents


_OUTSIDE_HINT = "move the file into the project: the sdist and the wheel carry only what is inside it"


def _link_hint(named: bool) -> str:
    if named:
        # A file a setting names: leaving it out of the sdist would not help.
        return (
            "copy the file into the project instead of linking to it, or set "
            "tool.ironwheel.sdist.follow-external-links = true to read what the link points to"
        )
    return (
        "remove the link, or leave it out with tool.ironwheel.sdist.exclude; to pack what it "
        "points to, set tool.ironwheel.sdist.follow-external-links = true"
    )


def _external_link(shown: str, target: Path) -> PackagingError:
    return PackagingError(
        f"{shown} is a symbolic link to {target}, outside the project", hint=_link_hint(False)
    )


def outside_problem(
    root: Path, path: Path, *, follow_external_links: bool = False, named: bool = False
) -> tuple[str, str] | None:
    """Why reading ``path`` (below ``root``) would read a file outside the project, with a hint; or None.

    A path that leads out by itself (``..``, an absolute path) is always refused;
    one that leads out through a symbolic link, unless ``follow_external_links``.
    The reason names the first symbolic link on the way that leads out.
    ``named``: a setting names the file (the hint cannot be to leave it out).
    """
    root = Path(os.path.abspath(root))
    path = Path(os.path.abspath(path))
    if not _inside(root, path):
        # ../README.md as written; /etc/passwd rather than ../../../../etc/passwd.
        shown = os.path.relpath(path, root) if os.path.commonpath([root, path]) != path.anchor else str(path)
        return f"{shown} is outside the project", _OUTSIDE_HINT
    real_root = Path(os.path.realpath(root))
    if follow_external_links or _inside(real_root, Path(os.path.realpath(path))):
        return None
    parts = path.relative_to(root).parts
    shown, target = path.relative_to(root).as_posix(), Path(os.path.realpath(path))
    for depth in range(1, len(parts) + 1):
        step = root.joinpath(*parts[:depth])
        if step.is_symlink() and not _inside(real_root, Path(os.path.realpath(step))):
            shown, target = "/".join(parts[:depth]), Path(os.path.realpath(step))
            break
    return f"{shown} is a symbolic link to {target}, outside the project", _link_hint(named)


def check_inside(root: Path, path: Path, *, follow_external_links: bool = False, where: str = "") -> None:
    """Raise :class:`PackagingError` where :func:`outside_problem` finds one.

    ``where`` names the setting or file that names ``path``, and starts the message.
    """
    problem = outside_problem(root, path, follow_external_links=follow_external_links, named=bool(where))
    if problem is not None:
        raise PackagingError(f"{where}: {problem[0]}" if where else problem[0], hint=problem[1])


def check_file(root: Path, path: Path, *, follow_external_links: bool = False, where: str = "") -> None:
    """:func:`check_inside`, and refuse a special file (a named pipe would block the read forever).

    A missing file passes: whoever reads it says so in its own words.
    """
    check_inside(root, path, follow_external_links=follow_external_links, where=where)
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        what = next((what for test, what in _SPECIAL if test(mode)), "a special file")
        shown = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
        raise PackagingError(
            f"{where + ': ' if where else ''}{shown} is {what}, not a regular file",
            hint="name a regular file of the project",
        )


def _ancestor_rules(root: Path, start: Path) -> list[tuple[str, Rules]]:
    """The ignore rules of ``root`` and every directory down to ``start``."""
    stack: list[tuple[str, Rules]] = []
    exclude = Rules.from_file(root / ".git" / "info" / "exclude")
    if exclude:
        stack.append(("", exclude))
    relative = start.relative_to(root).parts
    for depth in range(len(relative)):
        directory = root.joinpath(*relative[:depth])
        rules = Rules.from_file(directory / ".gitignore")
        if rules:
            stack.append(("/".join(relative[:depth]), rules))
    return stack


def _ignored(stack: list[tuple[str, Rules]], path: str, is_dir: bool) -> bool:
    for base, rules in reversed(stack):
        relative = path[len(base) + 1 :] if base else path
        verdict = rules.match(relative, is_dir)
        if verdict is not None:
            return verdict
    return False


# A directory for select_files to enter: walked by a loop, not by recursion, so that no
# nesting depth exhausts Python's stack.
_Enter = tuple[Path, str, list[tuple[str, Rules]], bool, frozenset[Path]]


def select_files(root: Path, selection: Selection, start: Path | None = None) -> list[str]:
    """Sorted POSIX paths, relative to ``root``, of the files selected under ``start``.

    Symbolic links inside the project are followed (their targets are packed
    as files), except a link back to a directory the walk is already inside.
    """
    root = Path(os.path.abspath(root))
    start = Path(os.path.abspath(start or root))
    check_inside(root, start, follow_external_links=selection.follow_external_links)
    walker = _Walker(root, selection)
    stack = _ancestor_rules(root, start) if selection.use_gitignore else []
    relative = "" if start == root else start.relative_to(root).as_posix()
    selected: list[str] = []
    # Depth first, in name order, as recursion would go: warnings come in the same order.
    walks = [walker.walk(start, relative, stack, False, frozenset())]
    while walks:
        item = next(walks[-1], None)
        if item is None:
            walks.pop()
        elif isinstance(item, str):
            selected.append(item)
        else:
            walks.append(walker.walk(*item))
    # The project's own wheels and sdists lying in the directory the walk starts from.
    dist_name = walker.dist_name
    return sorted(path for path in selected if not _is_distribution(path.rsplit("/", 1)[-1], dist_name))


class _Walker:
    """One selection's walk of a tree: what each directory holds, and which of its entries are kept."""

    def __init__(self, root: Path, selection: Selection) -> None:
        self.selection = selection
        self.real_root = Path(os.path.realpath(root))
        self.include = Rules(selection.include)
        self.exclude = Rules((*DEFAULT_EXCLUDES, *selection.exclude))
        self.never = {Path(os.path.realpath(path)) for path in selection.never}
        self.dist_name = _normalise(selection.dist_name) if selection.dist_name else ""

    def walk(
        self,
        directory: Path,
        relative: str,
        stack: list[tuple[str, Rules]],
        hidden: bool,
        chain: frozenset[Path],
    ) -> Iterator[str | _Enter]:
        real = Path(os.path.realpath(directory))
        if real in chain:
            log.warning("not following %s: it loops back to %s", directory, real)
            return
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            log.warning("cannot list %s: %s", directory, error.strerror)
            return
        names = {entry.name for entry in entries}
        if chain:  # the directory the walk started in is the project's, whatever it holds
            files = [entry.name for entry in entries if entry.name.endswith((".whl", ".tar.gz"))]
            why = _tool_directory(names, files, self.dist_name)
            if why is not None:
                # Environments and caches are expected; old outputs deserve a word.
                level = logging.INFO if why.startswith("it holds") else logging.DEBUG
                log.log(level, "leaving out %s/: %s", relative, why)
                return
        chain = chain | {real}
        if self.selection.use_gitignore and ".gitignore" in names:
            rules = Rules.from_file(directory / ".gitignore")
            if rules:
                stack = [*stack, (relative, rules)]
        for entry in entries:
            if entry.name in _VCS_NAMES or entry.name.endswith(_NEVER_FILES):
                continue
            path = f"{relative}/{entry.name}" if relative else entry.name
            full = Path(entry.path)
            yield from self.visit(entry, full, path, stack, hidden, chain)

    def visit(
        self,
        entry: os.DirEntry[str],
        full: Path,
        path: str,
        stack: list[tuple[str, Rules]],
        hidden: bool,
        chain: frozenset[Path],
    ) -> Iterator[str | _Enter]:
        link = entry.is_symlink()
        try:
            mode = entry.stat().st_mode  # follows links
        except OSError as error:
            if link and not (hidden or self.exclude.match(path, False) or _ignored(stack, path, False)):
                why = "it loops" if error.errno == errno.ELOOP else "the symbolic link is broken"
                log.warning("leaving out %s: %s", path, why)
            return
        is_dir = stat.S_ISDIR(mode)
        if is_dir and Path(os.path.realpath(full)) in self.never:
            return
        dropped = hidden or self.exclude.match(path, is_dir) or _ignored(stack, path, is_dir)
        if is_dir:
            # An ignored directory is still entered when includes may pick files in it.
            if dropped and not self.include:
                return
        elif dropped and not self.include.ignores(path):
            return
        if link and not self.selection.follow_external_links:
            target = Path(os.path.realpath(full))
            if not _inside(self.real_root, target):
                raise _external_link(path, target)
        if is_dir:
            yield (full, path, stack, bool(dropped), chain)
            return
        if not stat.S_ISREG(mode):
            what = next((what for test, what in _SPECIAL if test(mode)), "a special file")
            log.warning("leaving out %s: it is %s, not a regular file", path, what)
            return
        if any("\ud800" <= char <= "\udfff" for char in path):
            raise PackagingError(
                f"{path}: the file name is not UTF-8",
                hint="rename it: wheels and sdists name their files in UTF-8 (or leave it out with "
                ".gitignore or tool.ironwheel.sdist.exclude)",
            )
        secret = _secret(full, entry.name)
        if secret is not None:
            log.warning(
                "packing %s, which may hold %s; leave it out with .gitignore or tool.ironwheel.sdist.exclude",
                path,
                secret,
            )
        yield path


def project_tree(
    root: Path, never: Sequence[Path], *, dist_name: str = "", follow_external_links: bool = False, limit: int
) -> list[Path] | None:
    """Every directory and file below ``root`` that a build may read; None when there are more than ``limit``.

    All that any selection could take, whatever its patterns (``.gitignore``
    files included): what :func:`select_files` never enters or takes is left
    out (version-control data, bytecode, the directories of tools and of the
    project's own distributions, ``never``). Links are listed, and the
    directories they lead to entered where a selection would follow them.
    """
    root = Path(os.path.abspath(root))
    real_root = Path(os.path.realpath(root))
    skipped = {Path(os.path.realpath(path)) for path in never}
    dist_name = _normalise(dist_name) if dist_name else ""
    found: list[Path] = [root]
    pending: list[tuple[Path, frozenset[Path]]] = [(root, frozenset())]
    while pending:
        directory, chain = pending.pop()
        real = Path(os.path.realpath(directory))
        if real in chain:
            continue
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        names = {entry.name for entry in entries}
        files = [entry.name for entry in entries if entry.name.endswith((".whl", ".tar.gz"))]
        if chain and _tool_directory(names, files, dist_name) is not None:
            continue  # listed itself: it stops being a tool's only by losing an entry
        for entry in entries:
            if entry.name in _VCS_NAMES or entry.name.endswith(_NEVER_FILES):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows links
            except OSError:
                is_dir = False
            if is_dir:
                target = Path(os.path.realpath(path))
                if target in skipped:
                    continue
                if follow_external_links or _inside(real_root, target):
                    pending.append((path, chain | {real}))
            found.append(path)  # a link to a directory not entered: the link itself
            if len(found) > limit:
                return None
    return sorted(found)


def forced_files(
    root: Path,
    force_include: Mapping[str, str],
    never: Sequence[Path] = (),
    where: str = "tool.ironwheel.wheel.force-include",
) -> dict[str, tuple[str, Path]]:
    """``wheel.force-include``: wheel path -> (where its entry is, the file), whatever the selection says.

    A directory gives every file below it (the default excludes, the build
    directories in ``never`` and the project's own distributions left out),
    .gitignore notwithstanding; no file may be reached through a link out of
    the project.
    """
    forced: dict[str, tuple[str, Path]] = {}
    for source, destination in force_include.items():
        entry = prefixed(where)((source,))
        path = root / source
        if not path.exists():
            raise ConfigError(
                f"{entry}: {source} does not exist",
                hint="name a file or directory of the project, relative to its root",
            )
        try:
            check_inside(root, path)
            if path.is_dir():
                relative = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
                relative = "" if relative == "." else relative
                found = select_files(root, Selection(never=never, use_gitignore=False), start=path)
                names = [(name[len(relative) :].lstrip("/"), name) for name in found]
            else:
                names = [("", Path(os.path.relpath(path, root)).as_posix())]
        except PackagingError as error:
            raise ConfigError(
                f"{entry}: {error.message}",
                hint="force-include takes what is inside the project: remove the link, or point "
                "the entry at the files themselves",
            ) from error
        target = "/".join(part for part in destination.replace("\\", "/").split("/") if part not in ("", "."))
        for inner, name in names:
            forced[f"{target}/{inner}" if inner else target] = (entry, root / name)
    return forced
