"""ironwheel's own PEP 770 SBOM: the shared libraries in the wheel and where they came from.

CycloneDX 1.6 JSON in ``.dist-info/sboms/ironwheel.cdx.json``. It is
deterministic: components are sorted, the serial number is derived from the
content, and there is a timestamp only when SOURCE_DATE_EPOCH is set. The
repair tool's own SBOM (auditwheel's, naming the distribution packages the
grafted libraries came from) is kept beside it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ironwheel._version import __version__
from ironwheel.archive.wheel import Source

__all__ = ["SBOM_NAME", "Library", "previous_libraries", "render_sbom"]

SBOM_NAME = "sboms/ironwheel.cdx.json"
_ORIGIN = "ironwheel:origin"
_TARGET = "ironwheel:cmake-target"
_TOOL = "ironwheel:grafted-by"
_PATH = "ironwheel:path"


@dataclasses.dataclass(frozen=True)
class Library:
    """One shared library in the wheel."""

    path: str
    origin: str  # "cmake-target" or "grafted"
    detail: str  # the target's name, or the tool that grafted it


def _sha256(source: Source) -> str:
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
    else:
        with source.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _component(library: Library, source: Source) -> dict[str, Any]:
    detail_name = _TARGET if library.origin == "cmake-target" else _TOOL
    return {
        "type": "library",
        "bom-ref": f"file:{library.path}",
        "name": library.path.rsplit("/", 1)[-1],
        "hashes": [{"alg": "SHA-256", "content": _sha256(source)}],
        "properties": [
            {"name": _PATH, "value": library.path},
            {"name": _ORIGIN, "value": library.origin},
            {"name": detail_name, "value": library.detail},
        ],
    }


def render_sbom(
    libraries: Iterable[Library],
    entries: Mapping[str, Source],
    *,
    name: str,
    version: str,
    wheel_name: str,
    epoch: int | None,
) -> bytes:
    """The SBOM for ``libraries`` as they are in ``entries`` (hashed from there)."""
    root = f"pkg:pypi/{quote(name.lower())}@{quote(version)}?file_name={quote(wheel_name)}"
    unique = {library.path: library for library in libraries if library.path in entries}
    components = [_component(library, entries[path]) for path, library in sorted(unique.items())]
    metadata: dict[str, Any] = {
        "tools": {"components": [{"type": "application", "name": "ironwheel", "version": __version__}]},
        "component": {"type": "library", "bom-ref": root, "name": name, "version": version, "purl": root},
    }
    if epoch is not None:
        metadata["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    document: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": [{"ref": root, "dependsOn": [item["bom-ref"] for item in components]}],
    }
    content = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
    serial = uuid.UUID(bytes=hashlib.sha256(content).digest()[:16], version=5)
    document = {"$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json", **document}
    document["serialNumber"] = f"urn:uuid:{serial}"
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def previous_libraries(source: Source | None) -> list[Library]:
    """The libraries an earlier ironwheel SBOM of the same wheel listed."""
    if source is None:
        return []
    try:
        raw = source if isinstance(source, bytes) else Path(source).read_bytes()
        document = json.loads(raw)
        found = []
        for component in document.get("components", []):
            properties = {item["name"]: item["value"] for item in component.get("properties", [])}
            origin = properties.get(_ORIGIN, "")
            detail = properties.get(_TARGET if origin == "cmake-target" else _TOOL, "")
            found.append(Library(properties[_PATH], origin, detail))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    return found
