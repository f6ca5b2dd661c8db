"""The dynamic fields of ``[project]``: where each comes from, and their values.

``version``: a regular expression over a file, or version control
(:mod:`ironwheel.project.vcs`). ``readme``: files joined, or hatch-fancy-pypi-readme.
``dependencies`` and ``optional-dependencies``: requirements files
(:mod:`ironwheel.project.reqfiles`), which extend the static entries (PEP 808).

The values are merged into the ``[project]`` table before pyproject-metadata
checks it, so the sdist's PKG-INFO states them in full and marks none
``Dynamic``: a wheel built from the sdist gets the same ones. From an sdist
(a ``PKG-INFO`` at the root), the version and a dynamic readme are read back
from PKG-INFO, so no provider library is needed there; requirements files
travel in the sdist and are read again.

:func:`sources` decides from the settings alone and imports nothing heavy:
``get_requires_for_build_*`` asks it which libraries to request.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from packaging.version import InvalidVersion, Version

from ironwheel.errors import ConfigError, ToolError
from ironwheel.project.pyproject import Pyproject

if TYPE_CHECKING:
    import email.message

    from ironwheel.settings import Settings

__all__ = ["Resolved", "Sources", "resolve", "sources"]

log = logging.getLogger("ironwheel")

_FILLED = ("version", "readme", "dependencies", "optional-dependencies")
# What a build asks the frontend for; the oldest releases with the API used here.
_VCS_LIBRARY = "vcs-versioning>=2.0.1"
_FANCY_LIBRARY = "hatch-fancy-pypi-readme>=23.2"
_FANCY_WHERE = "tool.hatch.metadata.hooks.fancy-pypi-readme"
_SUFFIX_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".rst": "text/x-rst"}


@dataclasses.dataclass(frozen=True)
class Sources:
    """Where each dynamic field comes from."""

    from_sdist: bool  # a PKG-INFO holds the version and a dynamic readme
    version: Literal["static", "regex", "vcs"]
    readme: Literal["static", "file", "fancy-pypi-readme"]
    dependencies: bool
    optional_dependencies: bool

    def libraries(self) -> list[str]:
        """The packages the providers import, for ``get_requires_for_build_*``."""
        if self.from_sdist:
            return []
        needed = [_VCS_LIBRARY] if self.version == "vcs" else []
        return needed + ([_FANCY_LIBRARY] if self.readme == "fancy-pypi-readme" else [])


def _version_source(pyproject: Pyproject, settings: Settings) -> Literal["static", "regex", "vcs"]:
    dynamic = pyproject.dynamic
    version = settings.metadata.version
    key = "tool.ironwheel.metadata.version"
    if "version" not in dynamic:
        if version.file:
            raise ConfigError(
                f"{key}.file is set but project.version is static",
                hint='remove project.version and add "version" to project.dynamic',
            )
        if version.provider != "auto":
            raise ConfigError(
                f'{key}.provider is "{version.provider}" but project.version is static',
                hint='remove project.version and add "version" to project.dynamic',
            )
        return "static"
    if version.provider == "vcs" and version.file:
        raise ConfigError(
            f'{key}.file is set but {key}.provider is "vcs"',
            hint="remove the file, or choose the regex provider",
        )
    if version.provider == "regex" or (version.provider == "auto" and version.file):
        if not version.file:
            raise ConfigError(
                f'{key}.provider is "regex" but {key}.file is not set',
                hint='add file = "src/<package>/__init__.py" (a file containing __version__ = "1.0")',
            )
        return "regex"
    if version.provider == "vcs" or pyproject.mentions_scm:
        return "vcs"
    raise ConfigError(
        'project.dynamic lists "version" but no version source is configured',
        hint='add [tool.ironwheel.metadata.version] file = "src/<package>/__init__.py" '
        '(a file containing __version__ = "1.0"), or provider = "vcs" for the version of git tags',
    )


def _readme_source(
    pyproject: Pyproject, settings: Settings
) -> Literal["static", "file", "fancy-pypi-readme"]:
    readme = settings.metadata.readme
    key = "tool.ironwheel.metadata.readme"
    if "readme" not in pyproject.dynamic:
        if readme.file or readme.provider != "auto":
            what = "file" if readme.file else "provider"
            raise ConfigError(
                f'{key}.{what} is set but project.dynamic does not list "readme"',
                hint='remove project.readme and add "readme" to project.dynamic',
            )
        return "static"
    if pyproject.declares("readme"):
        raise ConfigError(
            'project.readme is set and project.dynamic lists "readme"',
            hint="remove one of them: a readme is either static or dynamic",
        )
    if readme.provider == "fancy-pypi-readme" and readme.file:
        raise ConfigError(
            f'{key}.file is set but {key}.provider is "fancy-pypi-readme"',
            hint="remove the files, or choose the file provider",
        )
    if readme.provider == "file" or (readme.provider == "auto" and readme.file):
        if not readme.file:
            raise ConfigError(
                f'{key}.provider is "file" but {key}.file is not set',
                hint='add file = ["README.md"]',
            )
        return "file"
    present = pyproject.fancy_readme is not None
    if readme.provider == "fancy-pypi-readme" or present:
        if not present:
            raise ConfigError(
                f'{key}.provider is "fancy-pypi-readme" but there is no [{_FANCY_WHERE}] table',
                hint="see https://github.com/hynek/hatch-fancy-pypi-readme#configuration",
            )
        return "fancy-pypi-readme"
    raise ConfigError(
        'project.dynamic lists "readme" but no readme source is configured',
        hint='add [tool.ironwheel.metadata.readme] file = ["README.md"]',
    )


def _requirements_source(dynamic: tuple[str, ...], field: str, configured: bool, empty: list[str]) -> bool:
    key = f"tool.ironwheel.metadata.{field}"
    if field not in dynamic:
        if configured:
            raise ConfigError(
                f'{key} is set but project.dynamic does not list "{field}"',
                hint=f'add "{field}" to project.dynamic; static entries in project.{field} may '
                "stay (the files extend them)",
            )
        return False
    if not configured:
        example = "" if field == "dependencies" else ".test"
        raise ConfigError(
            f'project.dynamic lists "{field}" but no requirements files are configured',
            hint=f'add [{key}{example}] file = ["requirements{example.replace(".", "-")}.txt"]',
        )
    if empty:
        raise ConfigError(
            f"{empty[0]}: no requirements files are listed",
            hint='list them: file = ["requirements.txt"]',
        )
    return True


def sources(pyproject: Pyproject, root: Path, settings: Settings) -> Sources:
    """Decide where each dynamic field comes from; an error for every inconsistent setting."""
    dynamic = pyproject.dynamic
    unknown = [field for field in dynamic if field not in _FILLED]
    if unknown:
        names = ", ".join(f'"{field}"' for field in unknown)
        raise ConfigError(
            f"project.dynamic lists {names}, which ironwheel cannot fill in",
            hint="write these fields statically in [project]; version, readme, dependencies and "
            "optional-dependencies may be dynamic",
        )
    metadata = settings.metadata
    extras = metadata.optional_dependencies
    prefix = "tool.ironwheel.metadata.optional-dependencies"
    return Sources(
        from_sdist=(root / "PKG-INFO").is_file(),
        version=_version_source(pyproject, settings),
        readme=_readme_source(pyproject, settings),
        dependencies=_requirements_source(dynamic, "dependencies", bool(metadata.dependencies.file), []),
        optional_dependencies=_requirements_source(
            dynamic,
            "optional-dependencies",
            bool(extras),
            [f"{prefix}.{extra}.file" for extra, entry in extras.items() if not entry.file],
        ),
    )


@dataclasses.dataclass(frozen=True)
class Resolved:
    """``[project]`` with the dynamic fields filled in (the version apart)."""

    project: dict[str, Any]
    version: Version | None  # None when project.version is static
    read: tuple[str, ...]  # project files read (requirements, readme): the sdist must carry them
    written: tuple[tuple[str, bytes], ...]  # version files written into the source tree


def _pkg_info(root: Path) -> email.message.Message:
    import email.parser

    return email.parser.BytesParser().parsebytes((root / "PKG-INFO").read_bytes())


def _version_from_pkg_info(message: email.message.Message) -> Version:
    text = message.get("Version")
    if not text:
        raise ConfigError(
            "PKG-INFO has no Version", hint="this sdist's PKG-INFO is damaged; build the sdist again"
        )
    try:
        return Version(text)
    except InvalidVersion:
        raise ConfigError(
            f'PKG-INFO: "{text}" is not a valid version',
            hint="this sdist's PKG-INFO is damaged; build the sdist again",
        ) from None


def _version_from_file(project_dir: Path, settings: Settings) -> Version:
    from ironwheel.archive.files import check_file

    source = settings.metadata.version
    path = project_dir / source.file
    where = settings.where("metadata.version.file")
    check_file(project_dir, path, follow_external_links=settings.sdist.follow_external_links, where=where)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            f'{where}: cannot read "{source.file}": {error.strerror}',
            hint="give the path of an existing file, relative to the project root",
        ) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f'{where}: "{source.file}" is not UTF-8 (byte {error.start} cannot be decoded)',
            hint="save the file as UTF-8",
        ) from None
    match = re.search(source.regex, text, re.MULTILINE)
    if match is None:
        raise ConfigError(
            f'{where}: no version found in "{source.file}"',
            hint='write __version__ = "1.0" in that file, or set '
            "tool.ironwheel.metadata.version.regex to a pattern that matches it",
        )
    groups = match.groupdict()
    # A group named "version" (or "value", scikit-build-core's name), else the first group.
    found = (
        groups.get("version")
        or groups.get("value")
        or (match.group(1) if match.re.groups else match.group(0))
    )
    line = text.count("\n", 0, match.start()) + 1
    if not found:
        raise ConfigError(
            f"{source.file}:{line}: the version pattern matched, but its version group is empty",
            hint="put the version in a group named version: (?P<version>...)",
        )
    try:
        return Version(found)
    except InvalidVersion:
        raise ConfigError(
            f'{source.file}:{line}: "{found}" is not a valid version',
            hint="use a PEP 440 version such as 1.2.0",
        ) from None


def _inside(root: Path, name: str, where: str, settings: Settings) -> Path:
    from ironwheel.archive.files import check_file

    path = Path(os.path.normpath(root / name))
    # The rule of every file the sdist carries: inside the project, links out only when allowed.
    check_file(root, path, follow_external_links=settings.sdist.follow_external_links, where=where)
    if not path.is_file():
        raise ConfigError(f'{where}: no file "{name}"', hint="give a file relative to the project root")
    return path


def _readme_from_files(root: Path, settings: Settings) -> dict[str, str]:
    readme = settings.metadata.readme
    where = settings.where("metadata.readme.file")
    texts: list[str] = []
    for name in readme.file:
        path = _inside(root, name, where, settings)
        try:
            texts.append(path.read_text(encoding="utf-8-sig").rstrip("\n"))
        except UnicodeDecodeError as error:
            raise ConfigError(
                f'{where}: "{name}" is not UTF-8 (byte {error.start} cannot be decoded)',
                hint="save the file as UTF-8",
            ) from None
    content_type = readme.content_type or _SUFFIX_TYPES.get(Path(readme.file[0]).suffix.lower(), "text/plain")
    return {"text": "\n\n".join(texts) + "\n", "content-type": content_type}


def _fancy_readme(
    root: Path, pyproject: Pyproject, settings: Settings, version: str, read: list[str]
) -> dict[str, str]:
    try:
        from hatch_fancy_pypi_readme._builder import build_text
        from hatch_fancy_pypi_readme._config import load_and_validate_config
        from hatch_fancy_pypi_readme.exceptions import ConfigurationError
    except ImportError:
        raise ToolError(
            'readme provider "fancy-pypi-readme" needs hatch-fancy-pypi-readme, which is not installed',
            hint="pip install hatch-fancy-pypi-readme, or build with build isolation (the default), "
            "which installs it",
        ) from None
    import inspect

    table = copy.deepcopy(pyproject.fancy_readme)
    fragments = table.get("fragments") if isinstance(table, dict) else None
    # The library reads fragment paths from the working directory; give it the project's
    # files (only those: nothing outside the project reaches the metadata).
    for index, fragment in enumerate(fragments if isinstance(fragments, list) else []):
        if isinstance(fragment, dict) and isinstance(fragment.get("path"), str):
            name = fragment["path"]
            fragment["path"] = str(_inside(root, name, f"{_FANCY_WHERE}.fragments[{index}].path", settings))
            read.append(Path(os.path.normpath(name)).as_posix())
    try:
        config = load_and_validate_config(table)
        text_of: Any = build_text
        if "package_name" in inspect.signature(text_of).parameters:
            name = pyproject.name
            text = text_of(config.fragments, config.substitutions, package_name=name, version=version)
        else:
            text = text_of(config.fragments, config.substitutions, version=version)
    except ConfigurationError as error:
        problems = [str(problem) for problem in error.errors]
        raise ConfigError(
            f"[{_FANCY_WHERE}]: {problems[0]}"
            if len(problems) == 1
            else f"{len(problems)} problems with [{_FANCY_WHERE}]:",
            details=problems[1:] if len(problems) == 1 else problems,
            hint="see https://github.com/hynek/hatch-fancy-pypi-readme#configuration",
        ) from None
    return {"text": str(text), "content-type": str(config.content_type)}


def _extended(static: Any, extra: tuple[str, ...]) -> Any:
    if not isinstance(static, list):
        return static  # pyproject-metadata reports the wrong type
    return static + [requirement for requirement in extra if requirement not in static]


def _description(message: email.message.Message) -> str:
    """The long description: the body (metadata 2.1+), else the folded ``Description`` header."""
    body = message.get_payload()
    if isinstance(body, str) and body.strip():
        return body
    header = message.get("Description")
    if not header:
        return ""
    # Metadata 1.x folds the text with eight spaces (newer setuptools: "       |") before each line.
    lines = str(header).splitlines()
    folds = ("       |", " " * 8)
    unfolded = [lines[0]] + [line[8:] if line.startswith(folds) else line.lstrip() for line in lines[1:]]
    return "\n".join(unfolded).strip() + "\n"


def _readme_type(settings: Settings) -> str:
    readme = settings.metadata.readme
    if readme.content_type:
        return readme.content_type
    if readme.file:
        return _SUFFIX_TYPES.get(Path(readme.file[0]).suffix.lower(), "text/plain")
    return "text/plain"


def resolve(pyproject: Pyproject, root: Path, settings: Settings, where: Sources) -> Resolved:
    """Fill in every dynamic field (in a copy of the raw ``[project]`` table, for pyproject-metadata).

    The version provider writes its version files.
    """
    from ironwheel.project.reqfiles import read_requirements

    project = dict(pyproject.project)
    read: list[str] = []
    written: tuple[tuple[str, bytes], ...] = ()
    pkg_info = (
        _pkg_info(root)
        if where.from_sdist and (where.version, where.readme) != ("static", "static")
        else None
    )
    version: Version | None = None
    if where.version != "static":
        if pkg_info is not None:
            version = _version_from_pkg_info(pkg_info)
            if where.version == "vcs":
                written = _shipped_version_files(root, pyproject)
        elif where.version == "regex":
            version = _version_from_file(root, settings)
        else:
            from ironwheel.project.vcs import vcs_version

            found = vcs_version(root, pyproject.scm, pyproject.name)
            version, written = found.version, found.written
    if where.readme != "static":
        if pkg_info is not None:
            body = _description(pkg_info)
            if body:
                # A PKG-INFO written by another tool may not state the type: the readme settings do.
                content_type = pkg_info.get("Description-Content-Type") or _readme_type(settings)
                project["readme"] = {"text": body, "content-type": content_type}
        elif where.readme == "file":
            project["readme"] = _readme_from_files(root, settings)
            read += [Path(os.path.normpath(name)).as_posix() for name in settings.metadata.readme.file]
        else:
            project["readme"] = _fancy_readme(
                root, pyproject, settings, str(version or pyproject.static_version), read
            )
    if where.dependencies:
        follow = settings.sdist.follow_external_links
        found_deps = read_requirements(
            root,
            settings.metadata.dependencies.file,
            settings.where("metadata.dependencies.file"),
            follow_external_links=follow,
        )
        project["dependencies"] = _extended(project.get("dependencies", []), found_deps.requirements)
        read += found_deps.files
    if where.optional_dependencies:
        extras = project.get("optional-dependencies", {})
        extras = dict(extras) if isinstance(extras, dict) else extras
        for extra, entry in settings.metadata.optional_dependencies.items():
            found_extra = read_requirements(
                root,
                entry.file,
                f"tool.ironwheel.metadata.optional-dependencies.{extra}.file",
                follow_external_links=settings.sdist.follow_external_links,
            )
            if isinstance(extras, dict):
                extras[extra] = _extended(extras.get(extra, []), found_extra.requirements)
            read += found_extra.files
        project["optional-dependencies"] = extras
    filled = {"readme", "dependencies", "optional-dependencies"}
    if isinstance(project.get("dynamic"), list):
        project["dynamic"] = [field for field in project["dynamic"] if field not in filled]
    return Resolved(project, version, tuple(dict.fromkeys(read)), written)


def _shipped_version_files(root: Path, pyproject: Pyproject) -> tuple[tuple[str, bytes], ...]:
    """The version files an sdist carries: kept as they are, and in the wheel even when ignored."""
    from ironwheel.project.vcs import version_files

    shipped: list[tuple[str, bytes]] = []
    for name in version_files(root, pyproject.scm):
        path = root / name
        if path.is_file():
            shipped.append((name, path.read_bytes()))
        else:
            log.warning("%s: the version file is not in this sdist; the wheel is built without it", name)
    return tuple(shipped)
