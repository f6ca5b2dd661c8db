"""The import hook of an editable install.

An editable wheel carries a copy of this file as ``_ironwheel_editable_<name>.py``
with an :func:`install` call appended, and a ``.pth`` file importing it at
every interpreter start. It runs in the environment the package was installed
into, where ironwheel itself may be missing, so it uses the standard library
only, and it imports nothing that the interpreter has not already loaded.

Each top-level package is served from an overlay of directories: the package
in the source tree first, then files ironwheel generated, then what
``cmake --install`` put in the build directory's staging tree. Python files
therefore come from the source tree and compiled modules from the build
directory, and subpackages, ``pkgutil`` and ``importlib.resources`` see all of
them (their ``__path__`` lists every directory). As in an installed package, a
compiled module beats a Python module of the same name.

Before the first of its packages is imported in a process, the finder asks its
rebuild module (loaded only then) whether anything changed, and rebuilds.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import (
    EXTENSION_SUFFIXES,
    SOURCE_SUFFIXES,
    ExtensionFileLoader,
    ModuleSpec,
    SourceFileLoader,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from types import ModuleType
    from typing import Any

__all__ = ["Finder", "find_in", "install", "rebuild"]

_finders: list[Finder] = []


def _multiplexed(directories: Sequence[str]) -> Any:
    """The resource reader of a package spread over several directories."""
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import TraversableResources
        from importlib.resources.readers import MultiplexedPath
    else:
        from importlib.abc import TraversableResources
        from importlib.readers import MultiplexedPath

    import pathlib

    existing = [pathlib.Path(directory) for directory in directories if os.path.isdir(directory)]

    class Reader(TraversableResources):
        def files(self) -> Any:
            return MultiplexedPath(*existing)

    return Reader()


class _OverlayLoader(SourceFileLoader):
    """A package's ``__init__.py`` whose resources live in several directories."""

    def __init__(self, fullname: str, path: str, directories: Sequence[str]) -> None:
        super().__init__(fullname, path)
        self.directories = list(directories)

    def get_resource_reader(self, name: str | None = None) -> Any:
        if sys.version_info < (3, 10):
            return super().get_resource_reader(name)
        return _multiplexed(self.directories)


def _spec(fullname: str, path: str, directories: Sequence[str] | None) -> ModuleSpec:
    loader: Any
    if path.endswith(tuple(EXTENSION_SUFFIXES)):
        loader = ExtensionFileLoader(fullname, path)
    elif directories is not None and len(directories) > 1:
        loader = _OverlayLoader(fullname, path, directories)
    else:
        loader = SourceFileLoader(fullname, path)
    spec = ModuleSpec(fullname, loader, origin=path, is_package=directories is not None)
    spec.has_location = True
    if directories is not None:
        spec.submodule_search_locations = list(directories)
    return spec


def _package(fullname: str, directories: Sequence[str]) -> ModuleSpec | None:
    """A package spread over ``directories``: a regular one, else a namespace package."""
    for directory in directories:
        for suffix in (*SOURCE_SUFFIXES, *EXTENSION_SUFFIXES):
            init = os.path.join(directory, "__init__" + suffix)
            if os.path.isfile(init):
                return _spec(fullname, init, directories)
    if not directories:
        return None
    spec = ModuleSpec(fullname, None, is_package=True)
    spec.submodule_search_locations = list(directories)
    return spec


def find_in(fullname: str, directories: Iterable[str]) -> ModuleSpec | None:
    """Module ``fullname`` (its last part) in an overlay of ``directories``."""
    leaf = fullname.rpartition(".")[2]
    directories = [directory for directory in directories if directory]
    packages = [os.path.join(d, leaf) for d in directories if os.path.isdir(os.path.join(d, leaf))]
    spec = _package(fullname, packages)
    if spec is not None and spec.loader is not None:
        return spec
    for suffixes in (EXTENSION_SUFFIXES, SOURCE_SUFFIXES):
        for directory in directories:
            for suffix in suffixes:
                module = os.path.join(directory, leaf + suffix)
                if os.path.isfile(module):
                    return _spec(fullname, module, None)
    return spec  # a namespace package, or nothing


class Finder:
    """The meta path finder of one editable install."""

    def __init__(
        self,
        name: str,
        packages: Mapping[str, Sequence[str]],
        modules: Mapping[str, str],
        rebuild: Mapping[str, Any] | None = None,
        *,
        auto: bool = True,
        rebuild_module: str = "ironwheel.editable.rebuild",
    ) -> None:
        self.name = name
        self.packages = {key: list(value) for key, value in packages.items()}
        self.modules = dict(modules)
        self.config = rebuild
        self.rebuild_module = rebuild_module
        self.checked = not auto  # with rebuild on import off, only rebuild() builds
        self.building = False

    def __repr__(self) -> str:
        return f"<ironwheel editable finder for {self.name}>"

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        top, dot, _rest = fullname.partition(".")
        if top not in self.packages and top not in self.modules:
            return None
        if dot:
            return find_in(fullname, path or [])
        if not self.checked and not self.building:
            self._rebuild(force=False)
        if top in self.modules:
            return _spec(fullname, self.modules[top], None)
        return _package(fullname, [d for d in self.packages[top] if os.path.isdir(d)])

    def _rebuild(self, *, force: bool) -> bool:
        if self.config is None:
            return False
        __import__(self.rebuild_module)
        module = sys.modules[self.rebuild_module]
        self.building = True  # an import the build itself triggers in this process must not recurse
        try:
            ran: bool = module.Rebuilder(self.name, self.config).run(force=force)
        except ImportError as error:
            # The message says it all: the traceback would show this hook's internals.
            raise error.with_traceback(None) from None
        finally:
            self.building = False
        self.checked = True
        if ran:
            self._report_new_modules()
        return ran

    def rebuild(self) -> bool:
        """Rebuild this install's native code now (only what changed); return whether a build ran."""
        return self._rebuild(force=True)

    def _report_new_modules(self) -> None:
        """A new top-level module needs a new finder: say so rather than fail to import it."""
        root = self.config.get("platlib", "") if self.config else ""
        try:
            entries = sorted(os.listdir(root)) if root else []
        except OSError:
            return
        for entry in entries:
            name = entry.partition(".")[0]
            is_module = entry.endswith((*SOURCE_SUFFIXES, *EXTENSION_SUFFIXES))
            known = name in self.packages or name in self.modules
            if not known and name.isidentifier() and (is_module or os.path.isdir(os.path.join(root, entry))):
                sys.stderr.write(
                    f"ironwheel: warning: {name} is new in this build of {self.name}; "
                    "reinstall it (pip install -e) to import it\n"
                )


def install(
    name: str,
    packages: Mapping[str, Sequence[str]],
    modules: Mapping[str, str],
    rebuild: Mapping[str, Any] | None = None,
    *,
    auto: bool = True,
    rebuild_module: str = "ironwheel.editable.rebuild",
) -> Finder:
    """Put the finder of one editable install first on ``sys.meta_path``."""
    finder = Finder(name, packages, modules, rebuild, auto=auto, rebuild_module=rebuild_module)
    sys.meta_path.insert(0, finder)
    _finders.append(finder)
    return finder


def rebuild() -> bool:
    """Rebuild the native code of the editable installs this module serves, now."""
    return any([finder.rebuild() for finder in _finders])  # noqa: C419 - rebuild every one
