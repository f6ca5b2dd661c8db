"""``[[tool.ironwheel.generate]]``: files written from templates (a ``_version.py``, ...)."""

from __future__ import annotations

import dataclasses
import logging
import string
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ironwheel._fs import write_if_changed
from ironwheel.archive.files import check_file, outside_problem
from ironwheel.errors import ConfigError, PackagingError
from ironwheel.settings.model import GenerateSettings

if TYPE_CHECKING:
    from ironwheel.project.project import Project

__all__ = ["Generated", "render_all", "render_project"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class Generated:
    """One rendered file and where it goes."""

    path: str
    location: str
    content: bytes


def _template(root: Path, entry: GenerateSettings, where: str, follow_external_links: bool) -> str:
    if bool(entry.template) == bool(entry.template_path):
        raise ConfigError(
            f"{where}: give either template or template-path",
            hint='e.g. template = "version = \\"${version}\\"\\n"',
        )
    if entry.template:
        return entry.template
    # A template's text goes into the wheel: the rule of every file the project ships.
    check_file(
        root,
        root / entry.template_path,
        follow_external_links=follow_external_links,
        where=f"{where}.template-path",
    )
    try:
        return (root / entry.template_path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            f'{where}.template-path: cannot read "{entry.template_path}": {error.strerror}',
            hint="give a file relative to the project root",
        ) from None


def render_all(
    root: Path,
    entries: tuple[GenerateSettings, ...],
    values: Mapping[str, str],
    *,
    follow_external_links: bool = False,
) -> list[Generated]:
    """Render every entry, substituting ``${name}``-style placeholders from ``values``.

    ``follow_external_links`` is ``sdist.follow-external-links``, for template files.
    """
    rendered: list[Generated] = []
    for index, entry in enumerate(entries):
        where = f"tool.ironwheel.generate[{index}]"
        text = _template(root, entry, where, follow_external_links)
        try:
            content = string.Template(text).substitute(values)
        except KeyError as error:
            known = ", ".join("${" + name + "}" for name in sorted(values))
            raise ConfigError(
                f"{where}: unknown placeholder ${{{error.args[0]}}}",
                hint=f"the placeholders are {known}; write $$ for a literal $",
            ) from None
        except ValueError as error:
            raise ConfigError(
                f"{where}: invalid template: {error}", hint="write $$ for a literal $"
            ) from None
        rendered.append(Generated(entry.path, entry.location, content.encode("utf-8")))
    return rendered


def render_project(project: Project) -> list[Generated]:
    """Render the project's entries; write those that belong in the source tree.

    The version files of a version from version control count as entries of the
    source tree: the library wrote them, and they are written again if deleted.
    """
    core = project.core
    values = {"name": core.name, "version": str(core.version), "description": core.description}
    settings = project.settings
    follow = settings.sdist.follow_external_links
    rendered = render_all(project.root, settings.generate, values, follow_external_links=follow)
    rendered += [Generated(path, "source", content) for path, content in core.written]
    for index, item in enumerate(rendered):
        if item.location != "source":
            continue
        if index < len(settings.generate):  # version files were checked where they were named
            outside = outside_problem(project.root, project.root / item.path)
            if outside is not None:
                raise PackagingError(
                    f"tool.ironwheel.generate[{index}].path: {outside[0]}",
                    hint="remove the link or generate the file elsewhere: nothing is written outside the "
                    "project, whatever sdist.follow-external-links allows to be read",
                )
        if write_if_changed(project.root / item.path, item.content):
            log.info("wrote %s", item.path)
    return rendered
