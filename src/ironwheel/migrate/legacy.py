"""Reading an existing project: what its setup() would receive, in every world.

setup.cfg and ``[tool.setuptools]`` are read first; setup.py (or a
pdm-backend ``pdm_build.py`` hook) is read statically once per world, and
run with recorders only when the static reading leaves a keyword unknown.
Each keyword remembers how it was found.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ironwheel._compat import tomllib
from ironwheel.errors import ConfigError
from ironwheel.migrate import replay
from ironwheel.migrate import values as v
from ironwheel.migrate.declarative import read_setup_cfg, read_tool_setuptools
from ironwheel.migrate.evaluate import ClassValue, Evaluator
from ironwheel.migrate.library import Library
from ironwheel.migrate.runner import Recorded, run_recorded
from ironwheel.migrate.world import PYTHONS, World, worlds_for

__all__ = ["Legacy", "read_legacy"]

_PDM_HOOK = "pdm_build_update_setup_kwargs"


@dataclasses.dataclass
class Legacy:
    """The old project, read."""

    root: Path
    text: str  # pyproject.toml as it is ("" when there is none)
    pyproject: dict[str, Any]
    worlds: list[World]
    kwargs: dict[World, dict[str, Any]]  # what setup() receives in each world
    how: dict[str, str]  # keyword -> static / executed / setup.cfg / pyproject.toml
    script: str = ""  # setup.py, or the pdm build hook file
    tree: ast.Module | None = None
    environ_reads: dict[str, int] = dataclasses.field(default_factory=dict)
    argv_reads: dict[str, int] = dataclasses.field(default_factory=dict)
    side_effects: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    probes: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    unknowns: list[v.Unknown] = dataclasses.field(default_factory=list)
    knobs: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)  # variable -> kwargs when set
    recorded: Recorded | None = None
    cfg_sections: list[str] = dataclasses.field(default_factory=list)
    replayed: dict[str, str] = dataclasses.field(default_factory=dict)  # command -> "" or why not

    @property
    def base(self) -> dict[str, Any]:
        return self.kwargs[self.worlds[0]]

    @property
    def backend(self) -> str:
        return str(self.pyproject.get("build-system", {}).get("build-backend", ""))


def _pythons(pyproject: Mapping[str, Any], cfg: Mapping[str, Any]) -> list[tuple[int, int]]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = (pyproject.get("project") or {}).get("requires-python") or cfg.get("python_requires")
    if not isinstance(text, str):
        return list(PYTHONS)
    try:
        spec = SpecifierSet(text)
    except InvalidSpecifier:
        return list(PYTHONS)
    kept = [version for version in PYTHONS if spec.contains(f"{version[0]}.{version[1]}", prereleases=True)]
    return kept or list(PYTHONS)


def _setup_kwargs(evaluator: Evaluator) -> dict[str, Any] | None:
    calls = evaluator.setup_calls
    if not calls:
        return None
    with_extensions = [call for call in calls if call.arguments.get("ext_modules")]
    return dict((with_extensions or calls)[0].arguments)


def _evaluate(
    root: Path,
    tree: ast.Module,
    script: Path,
    world: World,
    library: Library,
    environ: Mapping[str, str],
    hook: bool,
) -> Evaluator:
    evaluator = Evaluator(root, world, library, script)
    evaluator.environ = dict(environ)
    if not hook:
        evaluator.run_module(tree)
        _replay(library, evaluator)
        return evaluator
    scope = evaluator.run_module(tree, {"__name__": "pdm_build"})
    function = scope.names.get(_PDM_HOOK)
    if function is not None:
        kwargs: dict[str, Any] = {}
        evaluator.run_call(function, [v.Unknown("the pdm build context"), kwargs])
        if evaluator.unknowns and not kwargs:
            return evaluator
        evaluator.setup_calls.append(v.SetupCall(kwargs))
    return evaluator


def _replay(library: Library, evaluator: Evaluator) -> None:
    """The build_ext subclass of the setup() call, replayed on its extensions (see replay.py)."""
    chosen = next((call for call in evaluator.setup_calls if call.arguments.get("ext_modules")), None)
    cmdclass = chosen.arguments.get("cmdclass") if chosen else None
    command = cmdclass.get("build_ext") if isinstance(cmdclass, dict) else None
    if chosen is None or not isinstance(command, ClassValue) or not replay.is_build_ext(command):
        return
    evaluator.replayed["build_ext"] = replay.replay_build_ext(library, evaluator, command, chosen.arguments)


def _resolve(static: Any, executed: Any) -> Any:
    """The static value with its unknown parts filled in from the run."""
    if isinstance(static, v.Unknown):
        return executed
    if isinstance(static, list) and isinstance(executed, list):
        if any(isinstance(item, v.ExtensionCall) for item in static):
            by_name = {item.name: item for item in executed if isinstance(item, v.ExtensionCall)}
            if any(
                not isinstance(item, v.ExtensionCall)
                or not isinstance(item.name, str)
                or item.name not in by_name
                for item in static
            ):
                return executed
            resolved = []
            for item in static:
                other = by_name[item.name]
                arguments = {
                    key: _resolve(value, other.arguments.get(key)) for key, value in item.arguments.items()
                }
                resolved.append(dataclasses.replace(item, arguments=arguments))
            return resolved
        return executed if v.contains_unknown(static) else static
    if isinstance(static, dict) and isinstance(executed, dict):
        return {key: _resolve(value, executed.get(key)) for key, value in static.items()}
    return executed if v.contains_unknown(static) else static


def _read_pyproject(root: Path) -> tuple[str, dict[str, Any]]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return "", {}
    text = path.read_text(encoding="utf-8")
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"pyproject.toml is not valid TOML: {error}", hint=f"fix {path} first") from None


def read_legacy(root: Path, *, run: bool = True, timeout: float = 60.0) -> Legacy:
    """Read the project at ``root`` (see the module docstring)."""
    text, pyproject = _read_pyproject(root)
    cfg = read_setup_cfg(root)
    cfg_sections = cfg.pop("__sections__", [])
    if "__error__" in cfg:
        raise ConfigError(str(cfg["__error__"]), hint="fix setup.cfg first")
    declared = read_tool_setuptools(root, pyproject)
    base_kwargs = {**cfg, **declared}
    how = dict.fromkeys(cfg, "setup.cfg")
    how.update(dict.fromkeys(declared, "pyproject.toml"))
    script, hook = "", False
    pdm = pyproject.get("tool", {}).get("pdm", {}).get("build", {})
    if (root / "setup.py").is_file():
        script = "setup.py"
    elif isinstance(pdm, dict) and pdm.get("run-setuptools") and (root / "pdm_build.py").is_file():
        script, hook = "pdm_build.py", True
    legacy = Legacy(
        root, text, pyproject, [World()], {World(): dict(base_kwargs)}, how, script, cfg_sections=cfg_sections
    )
    if not script:
        return legacy
    path = root / script
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"), filename=script)
    except SyntaxError as error:
        legacy.unknowns.append(
            v.Unknown(f"{script} does not parse with this Python ({error.msg})", error.lineno or 0)
        )
        tree = None
    legacy.tree = tree
    library = Library()
    pythons = _pythons(pyproject, cfg)
    static: dict[World, dict[str, Any] | None] = {}
    if tree is not None:
        consulted: set[str] = set()
        while True:
            worlds = worlds_for(consulted, pythons)
            evaluators = {world: _evaluate(root, tree, path, world, library, {}, hook) for world in worlds}
            seen = set().union(*(e.consulted for e in evaluators.values()))
            if seen <= consulted:
                break
            consulted |= seen
        base = evaluators[worlds[0]]
        legacy.environ_reads = dict(base.environ_reads)
        legacy.argv_reads = dict(base.argv_reads)
        legacy.side_effects = list(base.side_effects)
        legacy.probes = list(dict.fromkeys(base.probes))
        legacy.replayed = dict(base.replayed)
        legacy.unknowns += base.unknowns
        static = {world: _setup_kwargs(e) for world, e in evaluators.items()}
        legacy.worlds = worlds
        for name in legacy.environ_reads:
            knob = _evaluate(root, tree, path, worlds[0], library, {name: "1"}, hook)
            legacy.knobs[name] = _setup_kwargs(knob) or {}
    else:
        legacy.worlds = [World()]
    missing = [world for world, kwargs in static.items() if kwargs is None] or (
        [] if static else legacy.worlds
    )
    unknown = any(kwargs is not None and v.contains_unknown(kwargs) for kwargs in static.values())
    recorded: Recorded | None = None
    if (missing or unknown) and run:
        recorded = run_recorded(root, script, hook=_PDM_HOOK if hook else "", timeout=timeout)
        legacy.recorded = recorded
    executed = recorded.calls[0].arguments if recorded and recorded.calls else None
    if executed is not None:
        with_extensions = (
            [call.arguments for call in recorded.calls if call.arguments.get("ext_modules")]
            if recorded
            else []
        )
        executed = with_extensions[0] if with_extensions else executed
    legacy.kwargs = {}
    for world in legacy.worlds:
        found = static.get(world)
        merged = dict(base_kwargs)
        if found is None and executed is not None:
            merged.update(executed)
            how.update(dict.fromkeys(executed, "executed"))
        elif found is not None:
            for key, item in found.items():
                if executed is not None and key in executed and v.contains_unknown(item):
                    merged[key] = _resolve(item, executed[key])
                    how[key] = "static + executed" if not isinstance(item, v.Unknown) else "executed"
                else:
                    merged[key] = item
                    how.setdefault(key, "static")
                    if how[key] in ("setup.cfg", "pyproject.toml"):
                        how[key] = "static"
        legacy.kwargs[world] = merged
    return legacy
