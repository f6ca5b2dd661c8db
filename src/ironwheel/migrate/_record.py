"""Run a setup.py with ``setup()`` and friends replaced by recorders; write what they got as JSON.

``python -m ironwheel.migrate._record PROJECT SCRIPT OUTPUT [HOOK]`` runs in
its own process, in the project directory. setuptools, distutils, Cython,
numpy, pybind11 and setuptools_scm are stand-in modules here, whether or not
the real ones are installed: ``setup()`` records its keywords, ``Extension``
its arguments, ``cythonize`` its options, ``numpy.get_include()`` (and any
other installed package's ``get_include()``) returns a marker, and no command
ever runs (nothing is compiled). HOOK names a
function ``pdm_build_update_setup_kwargs`` style hook to call instead of
running the script as ``__main__``. Standard library only.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import runpy
import sys
import traceback
import types
from collections.abc import Iterator, MutableMapping, Sequence
from typing import Any

from ironwheel.migrate._standins import CALLS, NOTES, ROOTS, Anything, Command, Extension, contents

_environ_reads: dict[str, None] = {}


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name[:1].isupper():
            return Command
        return Anything()


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self, fullname: str, path: Any, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".", maxsplit=1)[0] in ROOTS:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StandIn(spec.name)
        module.__path__ = []
        module.__dict__.update(contents(spec.name))
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        if module.__name__ in ("setuptools.command", "distutils.command"):
            # `from setuptools.command import build_ext` gives the module, whose
            # build_ext is the class: `build_ext.build_ext`.
            for key, item in list(module.__dict__.items()):
                if item is Command and key.islower():
                    module.__dict__[key] = importlib.import_module(f"{module.__name__}.{key}")


INCLUDE_MARKER = "__ironwheel_include__:"  # + the module: migrate.values.PackageInclude


def _in_project(origin: str | None) -> bool:
    return bool(origin) and os.path.abspath(str(origin)).startswith(os.path.join(os.getcwd(), ""))


class _Includes(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """A build requirement's ``get_include()`` (cppy's, pythran's) gives a marker, as numpy's stand-in does.

    The real package is imported; only that one function is replaced once it
    has run, so that the tables name the package, not this machine's path.
    """

    def __init__(self) -> None:
        self.loaders: dict[str, importlib.abc.Loader] = {}

    def find_spec(
        self, fullname: str, path: Any, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".", maxsplit=1)[0] in (*ROOTS, *getattr(sys, "stdlib_module_names", ())):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None or _in_project(spec.origin):
            return spec  # the project's own modules are what they are
        self.loaders[fullname] = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loaders[spec.name].create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.loaders[module.__name__].exec_module(module)
        if callable(getattr(module, "get_include", None)):
            name = module.__name__
            module.get_include = lambda *args, **kwargs: INCLUDE_MARKER + name  # type: ignore[attr-defined]


class _RecordingEnviron(MutableMapping[str, str]):
    def __init__(self, real: MutableMapping[str, str]) -> None:
        self.real = real

    def __getitem__(self, key: str) -> str:
        # os.get_exec_path() (subprocess, shutil.which) tries the bytes key b"PATH" first.
        _environ_reads[os.fsdecode(key)] = None
        return self.real[key]

    def __setitem__(self, key: str, item: str) -> None:
        self.real[key] = item

    def __delitem__(self, key: str) -> None:
        del self.real[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.real)

    def __len__(self) -> int:
        return len(self.real)

    def __contains__(self, key: object) -> bool:
        _environ_reads[os.fsdecode(key) if isinstance(key, (str, bytes)) else str(key)] = None
        return key in self.real

    def copy(self) -> dict[str, str]:
        return dict(self.real)


def _json(item: Any, depth: int = 0) -> Any:
    if depth > 30:
        return {"__object__": "too deep"}
    if item is None or isinstance(item, (bool, int, float, str)):
        return item
    if isinstance(item, Extension):
        arguments = {k: _json(val, depth + 1) for k, val in vars(item).items() if not k.startswith("_")}
        return {
            "__extension__": item._kind,
            "arguments": arguments,
            "cython": _json(item._cython, depth + 1),
            "cythonized": item._cythonized,
        }
    if isinstance(item, dict):
        return {str(k): _json(val, depth + 1) for k, val in item.items()}
    if isinstance(item, (list, tuple)):
        return [_json(val, depth + 1) for val in item]
    if isinstance(item, (set, frozenset)):
        return sorted((_json(val, depth + 1) for val in item), key=str)
    if isinstance(item, type):
        return {
            "__class__": item.__name__,
            "module": item.__module__,
            "bases": [b.__name__ for b in item.__mro__[1:-1]],
        }
    if callable(item):
        return {"__callable__": getattr(item, "__name__", repr(item))}
    if isinstance(item, os.PathLike):
        return os.fspath(item)
    return {"__object__": repr(item)[:200]}


def main(argv: Sequence[str]) -> int:
    project, script, output = argv[0], argv[1], argv[2]
    hook = argv[3] if len(argv) > 3 else ""
    os.chdir(project)
    sys.path.insert(0, project)
    sys.meta_path.insert(0, _Finder())
    sys.meta_path.insert(1, _Includes())
    for name in list(sys.modules):
        if name.split(".")[0] in ROOTS:
            del sys.modules[name]
    # Replaced, not cleared: the recorder sees every variable setup.py reads.
    os.environ = _RecordingEnviron(os.environ)  # type: ignore[assignment]  # noqa: B003
    error = ""
    try:
        if hook:
            namespace = runpy.run_path(script, run_name="__ironwheel_hook__")
            kwargs: dict[str, Any] = {}
            namespace[hook](Anything(), kwargs)
            CALLS.append(kwargs)
        else:
            sys.argv = [script, "bdist_wheel"]
            runpy.run_path(script, run_name="__main__")
    except SystemExit as stop:
        if stop.code not in (None, 0) and not CALLS:
            error = f"{script} exited with {stop.code!r}"
    except BaseException:  # noqa: BLE001 - any failure of the project's code is reported, not raised
        error = traceback.format_exc(limit=-3)
    result = {
        "calls": [_json(call) for call in CALLS],
        "environ": sorted(_environ_reads),
        "notes": NOTES,
        "error": error,
    }
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
