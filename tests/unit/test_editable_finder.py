"""The editable import hook: an overlay of the source tree and the build dir's staging tree."""

from __future__ import annotations

import importlib
import importlib.resources
import sys
from collections.abc import Callable, Iterator
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader
from pathlib import Path

import pytest

from ironwheel.editable import finder
from ironwheel.editable.finder import Finder, find_in, install


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Finder]]:
    """Install finders for the test only; forget every module they served."""
    monkeypatch.setattr(finder, "_finders", [])
    before = set(sys.modules)
    added: list[Finder] = []

    def make(*args: object, **kwargs: object) -> Finder:
        added.append(install(*args, **kwargs))  # type: ignore[arg-type]
        return added[-1]

    yield make
    for item in added:
        sys.meta_path.remove(item)
    for name in set(sys.modules) - before:
        del sys.modules[name]


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    source, staging = tmp_path / "src", tmp_path / "staging"
    write(source / "iw_demo" / "__init__.py", "from . import mod\n")
    write(source / "iw_demo" / "mod.py", "WHERE = 'source'\n")
    write(source / "iw_demo" / "data.txt", "from the source tree\n")
    write(source / "iw_demo" / "sub" / "__init__.py")
    write(staging / "iw_demo" / "mod.py", "WHERE = 'staging'\n")
    write(staging / "iw_demo" / "_built.py", "WHERE = 'built'\n")
    write(staging / "iw_demo" / "built.txt", "from the build\n")
    write(staging / "iw_demo" / "sub" / "extra.py", "WHERE = 'extra'\n")
    write(staging / "iw_demo" / "ns" / "thing.py", "WHERE = 'namespace'\n")
    write(staging / "iw_top.py", "WHERE = 'top'\n")
    return source, staging


def test_python_from_the_source_tree_the_rest_from_the_build(
    trees: tuple[Path, Path], installed: Callable[..., Finder]
) -> None:
    source, staging = trees
    installed(
        "demo",
        {"iw_demo": [str(source / "iw_demo"), str(staging / "iw_demo")]},
        {"iw_top": str(staging / "iw_top.py")},
    )
    demo = importlib.import_module("iw_demo")
    assert demo.__file__ == str(source / "iw_demo" / "__init__.py")
    assert list(demo.__path__) == [str(source / "iw_demo"), str(staging / "iw_demo")]
    assert demo.mod.WHERE == "source"
    assert importlib.import_module("iw_demo._built").WHERE == "built"
    assert importlib.import_module("iw_demo.sub.extra").WHERE == "extra"
    assert list(importlib.import_module("iw_demo.sub").__path__) == [
        str(source / "iw_demo" / "sub"),
        str(staging / "iw_demo" / "sub"),
    ]
    assert importlib.import_module("iw_demo.ns.thing").WHERE == "namespace"
    assert importlib.import_module("iw_top").WHERE == "top"
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("iw_demo.missing")


@pytest.mark.skipif(sys.version_info < (3, 10), reason="Python 3.9 reads resources next to __init__.py only")
def test_resources_come_from_every_tree(trees: tuple[Path, Path], installed: Callable[..., Finder]) -> None:
    source, staging = trees
    installed("demo", {"iw_demo": [str(source / "iw_demo"), str(staging / "iw_demo")]}, {})
    files = importlib.resources.files("iw_demo")
    assert (files / "data.txt").read_text() == "from the source tree\n"
    assert (files / "built.txt").read_text() == "from the build\n"
    assert {item.name for item in files.iterdir()} >= {"__init__.py", "data.txt", "built.txt", "_built.py"}


def test_a_compiled_module_beats_a_python_one(tmp_path: Path) -> None:
    write(tmp_path / "source" / "fast.py")
    write(tmp_path / "build" / f"fast{EXTENSION_SUFFIXES[0]}")
    spec = find_in("pkg.fast", [str(tmp_path / "source"), str(tmp_path / "build")])
    assert spec is not None
    assert isinstance(spec.loader, ExtensionFileLoader)
    assert spec.origin == str(tmp_path / "build" / f"fast{EXTENSION_SUFFIXES[0]}")


def test_a_package_beats_a_module(tmp_path: Path) -> None:
    write(tmp_path / "source" / "thing.py")
    write(tmp_path / "build" / "thing" / "__init__.py")
    spec = find_in("pkg.thing", [str(tmp_path / "source"), str(tmp_path / "build")])
    assert spec is not None
    assert spec.origin == str(tmp_path / "build" / "thing" / "__init__.py")
    assert spec.submodule_search_locations == [str(tmp_path / "build" / "thing")]


REBUILDER = """\
calls = []


class Rebuilder:
    def __init__(self, name, config):
        self.config = config

    def run(self, *, force=False):
        calls.append(force)
        if self.config.get("fail"):
            raise ImportError("rebuilding demo failed (compile): one.c:1: error: nope")
        return False
"""


def test_rebuild_is_decided_once_per_process(
    trees: tuple[Path, Path],
    installed: Callable[..., Finder],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, _ = trees
    write(tmp_path / "modules" / "iw_fake_rebuild.py", REBUILDER)
    monkeypatch.syspath_prepend(str(tmp_path / "modules"))
    config: dict[str, object] = {"fail": True}
    hook = installed(
        "demo", {"iw_demo": [str(source / "iw_demo")]}, {}, config, rebuild_module="iw_fake_rebuild"
    )
    with pytest.raises(ImportError, match=r"^rebuilding demo failed \(compile\): one.c:1: error: nope$"):
        importlib.import_module("iw_demo")
    calls = sys.modules["iw_fake_rebuild"].calls
    assert calls == [False]
    config["fail"] = False  # fixed: the next import tries again, and only the first one asks
    importlib.import_module("iw_demo")
    importlib.import_module("iw_demo.sub")
    assert calls == [False, False]
    assert hook.rebuild() is False
    assert calls == [False, False, True]


def test_rebuild_on_import_off(
    trees: tuple[Path, Path],
    installed: Callable[..., Finder],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, _ = trees
    write(tmp_path / "modules" / "iw_fake_rebuild.py", REBUILDER)
    monkeypatch.syspath_prepend(str(tmp_path / "modules"))
    installed(
        "demo", {"iw_demo": [str(source / "iw_demo")]}, {}, {}, auto=False, rebuild_module="iw_fake_rebuild"
    )
    importlib.import_module("iw_demo")
    assert "iw_fake_rebuild" not in sys.modules  # not even loaded
    finder.rebuild()
    assert sys.modules["iw_fake_rebuild"].calls == [True]


def test_other_names_are_left_to_other_finders(installed: Callable[..., Finder], tmp_path: Path) -> None:
    hook = installed("demo", {"iw_demo": [str(tmp_path)]}, {})
    assert hook.find_spec("json") is None
    assert hook.find_spec("iw_demox") is None
