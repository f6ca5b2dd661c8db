"""The CMake File API: what CMake itself knows about the project's targets.

ironwheel asks (a stateful client query) for the code model on every
configure and reads the reply instead of guessing from file names: which
sources are compiled, which targets are shared libraries, where they install.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

from ironwheel._fs import write_if_changed

__all__ = ["CodeModel", "Installer", "Target", "read_codemodel", "write_query"]

log = logging.getLogger("ironwheel")

_CLIENT = "client-ironwheel"
# Sources a target lists that a generator translates into the compiled ones
# (ironwheel_add_cython_module, ironwheel_add_f2py_module): consumed like them.
_TRANSLATED = (".pyx", ".pyf")
_QUERY = {
    "requests": [
        {"kind": "codemodel", "version": 2},
        {"kind": "toolchains", "version": 1},
        {"kind": "cmakeFiles", "version": 1},
    ]
}


@dataclasses.dataclass(frozen=True)
class Target:
    """One CMake target, as the code model describes it."""

    name: str
    type: str
    artifacts: tuple[Path, ...]
    compiled_sources: tuple[Path, ...]
    name_on_disk: str = ""
    install_prefix: Path | None = None
    install_destinations: tuple[str, ...] = ()  # as written: relative to the prefix, or absolute
    link_libraries: tuple[str, ...] = ()  # the "libraries" fragments of the link command line
    dependencies: tuple[str, ...] = ()  # ids of the targets this one depends on
    id: str = ""


@dataclasses.dataclass(frozen=True)
class Installer:
    """One install() rule, as the code model describes it (CMake 3.19 and later)."""

    kind: str  # "target", "file", "directory", "code", "script", "export", ...
    destination: str | None  # as evaluated: relative to the install prefix, or absolute
    names: tuple[str, ...]  # the file names it installs (targets and files), under the destination
    origins: tuple[str, ...]  # what it installs from: the target's name, the files' paths
    target: str  # the target's name, for a "target" rule
    file: Path | None  # the CMake file of the install() call
    line: int
    sources: tuple[Path, ...] = ()  # the files and directories it installs from, absolute


@dataclasses.dataclass(frozen=True)
class CodeModel:
    """The targets of one configuration of a configured build tree."""

    source_dir: Path
    build_dir: Path
    targets: tuple[Target, ...]
    compilers: tuple[tuple[str, Path], ...]
    inputs: tuple[Path, ...]  # the project's CMakeLists.txt and included .cmake files
    installers: tuple[Installer, ...] = ()
    directories: tuple[Path, ...] = ()  # the build directory of every source directory, absolute
    lists_installers: bool = False  # whether CMake lists the install rules (codemodel 2.2, CMake 3.19)

    def build_inputs(self) -> frozenset[Path]:
        """Every project file that went into the build: compiled sources and CMake files."""
        compiled = (path for target in self.targets for path in target.compiled_sources)
        return frozenset((*compiled, *self.inputs))


def write_query(build_dir: Path) -> None:
    """Ask CMake to write the code model on its next configure."""
    query = build_dir / ".cmake" / "api" / "v1" / "query" / _CLIENT / "query.json"
    write_if_changed(query, json.dumps(_QUERY, indent=2) + "\n")


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _absolute(base: Path, text: str) -> Path:
    path = Path(text)
    return (path if path.is_absolute() else base / path).resolve()


def _target(reply_dir: Path, source_dir: Path, build_dir: Path, entry: dict[str, Any]) -> Target:
    data = _load(reply_dir / entry["jsonFile"])
    compiled = [
        _absolute(source_dir, item["path"])
        for item in data.get("sources", [])
        if "compileGroupIndex" in item or item["path"].endswith(_TRANSLATED)
    ]
    install = data.get("install", {})
    prefix = install.get("prefix", {}).get("path")
    return Target(
        name=data["name"],
        type=data["type"],
        # Resolved when read (see _with_artifacts): they do not exist before the build.
        artifacts=tuple(build_dir / item["path"] for item in data.get("artifacts", [])),
        compiled_sources=tuple(compiled),
        name_on_disk=data.get("nameOnDisk", ""),
        install_prefix=Path(prefix) if prefix else None,
        install_destinations=tuple(dict.fromkeys(item["path"] for item in install.get("destinations", []))),
        link_libraries=tuple(
            item["fragment"]
            for item in data.get("link", {}).get("commandFragments", [])
            if item.get("role") == "libraries"
        ),
        dependencies=tuple(item["id"] for item in data.get("dependencies", [])),
        id=data.get("id", entry.get("id", "")),
    )


# Rules whose "paths" are relative to the top-level build directory; the others' to the source directory.
_FROM_BUILD = ("target", "export")


def _installers(
    reply_dir: Path, source_dir: Path, build_dir: Path, directory: dict[str, Any], targets: list[str]
) -> list[Installer]:
    data = _load(reply_dir / directory["jsonFile"])
    graph = data.get("backtraceGraph", {})
    nodes, files = graph.get("nodes", []), graph.get("files", [])
    found: list[Installer] = []
    for item in data.get("installers", []):
        node = nodes[item["backtrace"]] if "backtrace" in item else {}
        file = _absolute(source_dir, files[node["file"]]) if "file" in node else None
        names: list[str] = []
        origins: list[str] = []
        sources: list[Path] = []
        base = build_dir if item["type"] in _FROM_BUILD else source_dir
        for path in item.get("paths", []):
            origin, name = (path["from"], path["to"]) if isinstance(path, dict) else (path, path)
            names.append(name.rsplit("/", 1)[-1])
            origins.append(str(_absolute(source_dir, origin)) if item["type"] == "file" else origin)
            # Not resolved: a link installs as a link.
            sources.append(Path(origin) if Path(origin).is_absolute() else base / origin)
        target = targets[item["targetIndex"]] if "targetIndex" in item else ""
        found.append(
            Installer(
                kind=item["type"],
                destination=item.get("destination"),
                names=tuple(names),
                origins=(target,) if target else tuple(origins),
                target=target,
                file=file,
                line=int(node.get("line", 0)),
                sources=tuple(sources),
            )
        )
    return found


# The last reply parsed, by (index file, its stat, configuration): a build asks before and
# after ninja runs, and CMake writes a new index file whenever it configures.
_parsed: dict[tuple[Path, int, int, str], CodeModel] = {}


def read_codemodel(build_dir: Path, configuration: str) -> CodeModel | None:
    """Parse the newest reply; None if CMake wrote none (or an unreadable one)."""
    reply_dir = build_dir / ".cmake" / "api" / "v1" / "reply"
    indexes = sorted(reply_dir.glob("index-*.json"))
    if not indexes:
        return None
    try:
        info = indexes[-1].stat()
    except OSError:
        return None
    key = (indexes[-1], info.st_mtime_ns, info.st_size, configuration)
    model = _parsed.get(key)
    if model is None:
        model = _parse(reply_dir, indexes[-1], build_dir, configuration)
        _parsed.clear()
        if model is None:
            return None
        _parsed[key] = model
    return _with_artifacts(model)


def _with_artifacts(model: CodeModel) -> CodeModel:
    """The model with the artifacts as they are on disk now (a link to the versioned file, say)."""
    targets = tuple(
        dataclasses.replace(target, artifacts=tuple(path.resolve() for path in target.artifacts))
        for target in model.targets
    )
    return dataclasses.replace(model, targets=targets)


def _parse(reply_dir: Path, index_file: Path, build_dir: Path, configuration: str) -> CodeModel | None:
    try:
        index = _load(index_file)
        responses = index["reply"][_CLIENT]["query.json"]["responses"]
        files = {item["kind"]: item["jsonFile"] for item in responses if "jsonFile" in item}
        model = _load(reply_dir / files["codemodel"])
        source_dir = Path(model["paths"]["source"])
        configurations = model["configurations"]
        chosen = next(
            (item for item in configurations if item["name"].lower() == configuration.lower()),
            configurations[0],
        )
        targets = tuple(_target(reply_dir, source_dir, build_dir, entry) for entry in chosen["targets"])
        names = [target.name for target in targets]
        installers = [
            rule
            for directory in chosen.get("directories", [])
            if "jsonFile" in directory
            for rule in _installers(reply_dir, source_dir, build_dir, directory, names)
        ]
        directories = tuple(
            dict.fromkeys(
                Path(item["build"]) if Path(item["build"]).is_absolute() else build_dir / item["build"]
                for item in chosen.get("directories", [])
            )
        )
        version = model.get("version", {})
        lists_installers = (version.get("major", 0), version.get("minor", 0)) >= (2, 2)
        inputs: list[Path] = []
        if "cmakeFiles" in files:
            for item in _load(reply_dir / files["cmakeFiles"]).get("inputs", []):
                if item.get("isExternal") or item.get("isCMake") or item.get("isGenerated"):
                    continue
                # Only CMake's own files: a configure_file() input or a CMAKE_CONFIGURE_DEPENDS
                # entry may be a module the package ships.
                name = Path(item["path"]).name
                if name == "CMakeLists.txt" or name.endswith(".cmake"):
                    inputs.append(_absolute(source_dir, item["path"]))
        compilers: list[tuple[str, Path]] = []
        if "toolchains" in files:
            for toolchain in _load(reply_dir / files["toolchains"]).get("toolchains", []):
                path = toolchain.get("compiler", {}).get("path")
                if path:
                    compilers.append((toolchain["language"], Path(path)))
    except (OSError, KeyError, IndexError, TypeError, ValueError) as error:
        log.debug("cannot read the CMake file API reply in %s: %r", reply_dir, error)
        return None
    return CodeModel(
        source_dir,
        build_dir,
        targets,
        tuple(compilers),
        tuple(inputs),
        tuple(installers),
        directories,
        lists_installers,
    )
