"""A version from version control, through vcs-versioning (setuptools-scm's engine).

The library reads ``[tool.setuptools_scm]`` (or ``[tool.vcs-versioning]``)
itself, so every one of its settings means what it means under setuptools
(``version_scheme``, ``local_scheme``, ``tag_regex``, ``root``,
``fallback_version``, ``git_describe_command``, ``version_file`` and
``write_to`` with their templates...), and so do its environment variables
(``SETUPTOOLS_SCM_PRETEND_VERSION`` and the rest). It writes the version
files into the source tree, as it does for setuptools; ironwheel keeps
their contents so that the wheel, the sdist and an editable install carry
them. Where vcs-versioning is missing but an older setuptools-scm is
installed (a distribution's packages), setuptools-scm is used.

Running the library costs a new process about 0.2 s (imports and several
git commands), so the metadata record keeps its answer under a cheap key,
:func:`state_key`: what ``HEAD`` names, the tags, and whether tracked files
differ from the commit.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from ironwheel._records import file_stat
from ironwheel.errors import ConfigError, IronwheelError, ToolError
from ironwheel.project.pyproject import SCM_SECTIONS, ScmTable

__all__ = [
    "VcsVersion",
    "environment_key",
    "find_checkout",
    "state_key",
    "vcs_version",
    "version_files",
]

log = logging.getLogger("ironwheel")

# Prefixes of the environment variables the library reads (PRETEND_VERSION, OVERRIDES, ...).
_ENV_PREFIXES = ("SETUPTOOLS_SCM_", "VCS_VERSIONING_")
_LIBRARY_LOGGERS = ("vcs_versioning", "setuptools_scm")
_PRETEND_HINT = (
    "build from a git clone or from an sdist, or give the version in the environment "
    "(SETUPTOOLS_SCM_PRETEND_VERSION=1.2.3) or as fallback_version in [tool.setuptools_scm]"
)


@dataclasses.dataclass(frozen=True)
class VcsVersion:
    """The version, and the version files the library wrote (path, content)."""

    version: Version
    written: tuple[tuple[str, bytes], ...]


def _section(scm: ScmTable | None) -> tuple[str, Mapping[str, Any]]:
    return (scm.section, scm.table) if scm is not None else (SCM_SECTIONS[0], {})


def version_files(root: Path, scm: ScmTable | None) -> list[str]:
    """The version files the configuration asks for, as POSIX paths relative to ``root``.

    ``version_file`` is relative to the project; ``write_to`` to the ``root`` setting.
    """
    name, section = _section(scm)
    base = section.get("root", ".")
    found: list[str] = []
    for key in ("version_file", "write_to"):
        value = section.get(key)
        if value is None:
            continue
        where = f"tool.{name}.{key}"
        if not isinstance(value, str) or not isinstance(base, str):
            raise ConfigError(f"{where}: expected a string", hint='e.g. version_file = "src/pkg/_version.py"')
        path = Path(os.path.normpath(root / (base if key == "write_to" else ".") / value))
        real, real_root = path.resolve(), root.resolve()
        if Path(value).is_absolute() or (real != real_root and real_root not in real.parents):
            raise ConfigError(
                f'{where}: "{value}" is outside the project',
                hint='write the version file inside the project, e.g. "src/<package>/_version.py": '
                "the wheel and the sdist carry it",
            )
        relative = Path(os.path.relpath(path, root)).as_posix()
        if relative not in found:
            found.append(relative)
    return found


def find_checkout(start: Path) -> Path | None:
    """The ``.git`` or ``.hg`` of the checkout holding ``start``, if any."""
    for directory in (start, *start.parents):
        for marker in (".git", ".hg"):
            if (directory / marker).exists():
                return directory / marker
    return None


class _Forward(logging.Handler):
    """The library's log records, told by ironwheel's logger."""

    def emit(self, record: logging.LogRecord) -> None:
        log.log(record.levelno, "%s", record.getMessage())


@contextmanager
def _library_output() -> Iterator[None]:
    # With a handler of ours in place the library adds none of its own, so what it
    # reports reaches the user the way everything else ironwheel reports does.
    handler = _Forward()
    loggers = [logging.getLogger(name) for name in _LIBRARY_LOGGERS]
    saved = [(logger, logger.handlers[:], logger.propagate, logger.level) for logger in loggers]
    for logger in loggers:
        logger.handlers = [handler]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
    finally:
        for logger, handlers, propagate, level in saved:
            logger.handlers, logger.propagate = handlers, propagate
            logger.setLevel(level)
    for message in dict.fromkeys(str(warning.message) for warning in caught):
        log.warning("%s", message)


def _missing_library() -> ToolError:
    return ToolError(
        'version provider "vcs" needs vcs-versioning (or setuptools-scm), and neither is installed',
        hint="pip install vcs-versioning, or build with build isolation (the default), which installs it",
    )


def _infer(root: Path, name: str) -> str:
    """Ask the library; LookupError when it finds no version."""
    pyproject = str(root / "pyproject.toml")
    try:
        import vcs_versioning
        import vcs_versioning.overrides
    except ImportError:
        pass
    else:
        # The SETUPTOOLS_SCM_ prefix first: that is what these projects' users set.
        with vcs_versioning.overrides.GlobalOverrides.from_env("SETUPTOOLS_SCM", dist_name=name):
            data = vcs_versioning.PyProjectData.from_file(pyproject, _tool_names=list(SCM_SECTIONS))
            # relative_to anchors root and the version files at the project, whatever the
            # working directory (the library's default is ./pyproject.toml).
            return vcs_versioning.infer_version_string(
                name, data, {"relative_to": pyproject}, force_write_version_files=True
            )
    try:
        import setuptools_scm  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise _missing_library() from None
    import inspect

    config = setuptools_scm.Configuration.from_file(pyproject, dist_name=name)
    get_version: Any = setuptools_scm._get_version
    if "force_write_version_files" in inspect.signature(get_version).parameters:
        found = get_version(config, force_write_version_files=True)
    else:  # setuptools-scm 7 always writes write_to
        found = get_version(config)
    if found is None:
        raise LookupError(f"setuptools-scm was unable to detect a version for {root}")
    return str(found)


def _start(root: Path, scm: ScmTable | None) -> Path:
    """Where the library looks for the checkout: the project, or its ``root`` setting."""
    base = scm.root if scm is not None else "."
    return Path(os.path.normpath(root / base)) if isinstance(base, str) else root


def _no_version(root: Path, scm: ScmTable | None, error: LookupError) -> ConfigError:
    """Why the library found no version, as far as can be told."""
    start = _start(root, scm)
    checkout = find_checkout(start)
    if checkout is None and not (root / ".git_archival.txt").is_file():
        return ConfigError(
            f"no version: {root} is neither a git or Mercurial checkout nor an sdist (no PKG-INFO)",
            hint=_PRETEND_HINT,
        )
    if checkout is not None:
        program = "git" if checkout.name == ".git" else "hg"
        if shutil.which(program) is None:
            return ConfigError(
                f"no version: {checkout.parent} is a {program} checkout, but {program} is not on PATH",
                hint=f"install {program}; or {_PRETEND_HINT}",
            )
        if checkout.parent != start:
            name, _ = _section(scm)
            up = Path(os.path.relpath(checkout.parent, root)).as_posix()
            return ConfigError(
                f"no version: the checkout is {checkout.parent}, above the project",
                hint=f'set root = "{up}" in [tool.{name}] (or search_parent_directories = true)',
            )
    lines = [line for line in str(error).splitlines() if line.strip()]
    return ConfigError(f"no version from version control for {root}", details=lines[1:], hint=_PRETEND_HINT)


def vcs_version(root: Path, scm: ScmTable | None, name: str) -> VcsVersion:
    """The version of the checkout holding ``root``; the library writes the version files."""
    targets = version_files(root, scm)
    try:
        with _library_output():
            text = _infer(root, name)
    except IronwheelError:
        raise
    except LookupError as error:
        raise _no_version(root, scm, error) from None
    except (ValueError, TypeError, KeyError) as error:
        section, _ = _section(scm)
        raise ConfigError(
            f"[tool.{section}]: {str(error).splitlines()[0] if str(error) else type(error).__name__}",
            hint="see https://setuptools-scm.readthedocs.io/en/latest/config/",
        ) from None
    try:
        version = Version(text)
    except InvalidVersion:
        raise ConfigError(
            f'version control gave "{text}", which is not a PEP 440 version',
            hint="remove normalize = false and version_cls from [tool.setuptools_scm]",
        ) from None
    written = tuple((path, (root / path).read_bytes()) for path in targets if (root / path).is_file())
    log.info("version %s from version control", version)
    return VcsVersion(version, written)


def environment_key(environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """The environment variables the library reads."""
    return sorted(
        (key, value)
        for key, value in environ.items()
        if key.startswith(_ENV_PREFIXES) or key == "SOURCE_DATE_EPOCH"
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _git_dirs(dot_git: Path) -> tuple[Path, Path] | None:
    """The checkout's own git directory and the one its refs live in (they differ in a worktree)."""
    if dot_git.is_file():
        text = _read(dot_git) or ""
        if not text.startswith("gitdir:"):
            return None
        git_dir = (dot_git.parent / text[len("gitdir:") :].strip()).resolve()
    else:
        git_dir = dot_git
    common = _read(git_dir / "commondir")
    return git_dir, (git_dir / common.strip()).resolve() if common else git_dir


def state_key(root: Path, scm: ScmTable | None) -> str | None:
    """What the version depends on in the checkout, cheaply; None when it cannot be told.

    ``HEAD`` and the commit its branch points to, the tags (loose and packed),
    a shallow clone's boundary, and ``git status`` of the tracked files (the
    dirty state; about a millisecond for a small repository). A dirty tree's
    version carries the date, so the date is part of the key then.
    """
    _, section = _section(scm)
    start = _start(root, scm)
    checkout = find_checkout(start)
    if checkout is None:
        return "no checkout"
    if checkout.name != ".git":
        return None  # Mercurial: nothing cheap tells a new commit or a dirty tree
    dirs = _git_dirs(checkout)
    if dirs is None:
        return None
    git_dir, common = dirs
    head = _read(git_dir / "HEAD")
    if head is None:
        return None
    branch = _read(common / head[len("ref:") :].strip()) if head.startswith("ref:") else None
    tags = sorted(
        (os.path.join(directory, name), file_stat(Path(directory, name)))
        for directory, _dirs, names in os.walk(common / "refs" / "tags")
        for name in names
    )
    from ironwheel._run import capture
    from ironwheel.errors import CommandError

    try:
        status = capture(
            ["git", "-C", str(start), "status", "--porcelain", "--untracked-files=no"],
            env={"GIT_OPTIONAL_LOCKS": "0"},
        )
    except (ToolError, CommandError):
        return None
    if status and section.get("local_scheme") == "node-and-timestamp":
        return None  # a dirty tree's version changes every second
    today = time.strftime("%Y%m%d", time.gmtime()) if status else ""
    packed, shallow = file_stat(common / "packed-refs"), file_stat(common / "shallow")
    parts = [head, branch, tags, packed, shallow, status, today]
    return repr(parts)
