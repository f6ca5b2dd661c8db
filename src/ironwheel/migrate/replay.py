"""A ``build_ext`` subclass of setup.py replayed on the extensions, never run.

Many setup.py files change their extensions inside their ``build_ext``: they
add the sources and include directories of a bundled library, choose flags by
the compiler's type, or add NumPy's headers to every extension. The static
reader calls the subclass's ``initialize_options``, ``finalize_options`` and
``run`` on a stand-in command whose own methods do to the extension list what
setuptools' do (``run`` calls ``build_extensions``, which calls
``build_extension`` for each extension) and compile nothing. What the methods
change reaches the tables, once per world, so that a flag chosen by
``self.compiler.compiler_type`` becomes an override. A replay that raises or
does not end leaves the extensions as setup() received them.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
from typing import TYPE_CHECKING, Any

from ironwheel.migrate import values as v
from ironwheel.migrate.objects import Compiler, Super
from ironwheel.migrate.scope import ClassValue, FunctionValue, ModuleRef, Signal, StepBudget

if TYPE_CHECKING:
    from ironwheel.migrate.evaluate import Evaluator
    from ironwheel.migrate.library import Library

__all__ = ["BaseMethod", "Instance", "Method", "attribute", "invoke", "replay_build_ext", "super_attribute"]

# build_ext's options that apply to every extension, and the Extension keyword each feeds.
_SHARED = {
    "include_dirs": "include_dirs",
    "libraries": "libraries",
    "library_dirs": "library_dirs",
    "rpath": "runtime_library_dirs",
    "link_objects": "extra_objects",
    "define": "define_macros",
    "undef": "undef_macros",
}
_QUIET = frozenset(
    [
        "announce",
        "warn",
        "debug_print",
        "set_undefined_options",
        "ensure_finalized",
        "check_extensions_list",
        "initialize_options",
        "build_extension",
        "setup_shlib_compiler",
    ]
)
_SIDE_EFFECTS = frozenset(
    ["spawn", "mkpath", "copy_file", "copy_tree", "make_file", "execute", "run_command", "move_file"]
)

_BASE_METHODS = (
    _QUIET
    | _SIDE_EFFECTS
    | {
        "run",
        "finalize_options",
        "build_extensions",
        "get_ext_fullname",
        "get_ext_filename",
        "get_ext_fullpath",
        "get_outputs",
        "get_source_files",
        "get_libraries",
        "get_export_symbols",
        "get_finalized_command",
        "reinitialize_command",
        "swig_sources",
    }
)


class Instance:
    """An object of a class of the file (the command being replayed), or the distribution."""

    def __init__(self, cls: ClassValue | None, attributes: dict[str, Any]) -> None:
        self.cls = cls
        self.attributes = attributes


@dataclasses.dataclass
class Method:
    """A function of a class of the file; bound when ``instance`` is set."""

    function: FunctionValue
    owner: ClassValue
    instance: Any = None


@dataclasses.dataclass
class BaseMethod:
    """A method of setuptools' own command class, on the instance being replayed."""

    instance: Instance
    name: str


def _mro(cls: ClassValue) -> list[ClassValue]:
    """The classes of the file a class derives from, in lookup order (depth first, each once)."""
    order: list[ClassValue] = []

    def visit(item: Any, depth: int) -> None:
        if isinstance(item, ClassValue) and item not in order and depth < 20:
            order.append(item)
            for base in item.bases:
                visit(base, depth + 1)

    visit(cls, 0)
    return order


def _defined(cls: ClassValue, name: str) -> ast.stmt | None:
    for item in cls.node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == name:
            return item
        if isinstance(item, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in item.targets
        ):
            return item
    return None


def _lookup(ev: Evaluator, classes: list[ClassValue], name: str, instance: Any) -> Any:
    """A method (bound to ``instance``) or a class attribute of the first class defining ``name``."""
    for cls in classes:
        found = _defined(cls, name)
        if found is None or cls.scope is None:
            continue
        if isinstance(found, ast.Assign):
            return ev.expr(found.value, cls.scope)
        function = FunctionValue(found, cls.scope, f"{cls.name}.{name}")  # type: ignore[arg-type]
        return Method(function, cls, instance)
    return None


def attribute(ev: Evaluator, owner: Any, name: str, node: ast.AST) -> Any:
    """``self.name`` on a replayed instance, ``Class.name`` on a class of the file."""
    if isinstance(owner, ClassValue):
        found = _lookup(ev, _mro(owner), name, None)
        return found if found is not None else v.Unknown(f"{owner.name}.{name}", getattr(node, "lineno", 0))
    if name in owner.attributes:
        return owner.attributes[name]
    found = _lookup(ev, _mro(owner.cls), name, owner) if owner.cls is not None else None
    if found is not None:
        return found
    if owner.cls is not None and name in _BASE_METHODS:
        return BaseMethod(owner, name)
    # Not recorded as a stop of the reading: getattr(self, "x", default) asks this too.
    return v.Unknown(f"the attribute {name} of the command", getattr(node, "lineno", 0))


def super_attribute(ev: Evaluator, owner: Super, name: str, node: ast.AST) -> Any:
    """``super().name`` inside a method of the replayed command."""
    instance = owner.instance
    if not isinstance(instance, Instance) or instance.cls is None:
        return v.Unknown(f"super().{name}", getattr(node, "lineno", 0))
    classes = _mro(instance.cls)
    after = classes[classes.index(owner.owner) + 1 :] if owner.owner in classes else classes
    found = _lookup(ev, after, name, instance)
    return found if found is not None else BaseMethod(instance, name)


def invoke(
    library: Library,
    ev: Evaluator,
    method: Method | BaseMethod,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.AST,
) -> Any:
    if isinstance(method, BaseMethod):
        return _base(library, ev, method.instance, method.name, args, node)
    instance = method.instance if method.instance is not None else (args[0] if args else None)
    rest = args if method.instance is not None else args[1:]
    ev.instances.append(instance)
    ev.defining.append(method.owner)
    try:
        return ev.call_function(method.function, [instance, *rest], kwargs, node)
    finally:
        ev.instances.pop()
        ev.defining.pop()


def _call(
    library: Library, ev: Evaluator, instance: Instance, name: str, args: list[Any], node: ast.AST
) -> Any:
    found = attribute(ev, instance, name, node)
    if isinstance(found, (Method, BaseMethod)):
        return invoke(library, ev, found, args, {}, node)
    return None


def _base(
    library: Library, ev: Evaluator, instance: Instance, name: str, args: list[Any], node: ast.AST
) -> Any:
    """What setuptools' build_ext does, as far as the extension list is concerned."""
    attributes = instance.attributes
    if name == "finalize_options":
        distribution = attributes.get("distribution")
        if isinstance(distribution, Instance):
            attributes["extensions"] = distribution.attributes.get("ext_modules")
        return None
    if name == "run":
        return _call(library, ev, instance, "build_extensions", [], node)
    if name == "build_extensions":
        extensions = attributes.get("extensions")
        for extension in list(extensions) if isinstance(extensions, list) else []:
            _call(library, ev, instance, "build_extension", [extension], node)
        return None
    if name == "get_ext_fullname" and args:
        return args[0]
    if name in _QUIET:
        return None
    if name in _SIDE_EFFECTS:
        ev.side_effects.append((getattr(node, "lineno", 0), f"build_ext.{name}()"))
    return ev.unknown(f"build_ext.{name}()", node)


def replay_build_ext(library: Library, ev: Evaluator, command: ClassValue, kwargs: dict[str, Any]) -> str:
    """Replay ``command`` on ``kwargs["ext_modules"]``: "" when it ran through knowing every value,
    else why not. The changes are kept unless the replay raised or did not end."""
    extensions = kwargs.get("ext_modules")
    if not isinstance(extensions, list) or not extensions:
        return "no extensions"
    copies = copy.deepcopy(extensions)
    distribution = Instance(None, {**kwargs, "ext_modules": copies})
    shared: dict[str, list[Any]] = {option: [] for option in _SHARED}
    instance = Instance(
        command,
        {
            "distribution": distribution,
            "extensions": copies,
            "compiler": Compiler(),
            "inplace": 0,
            "debug": None,
            "force": None,
            "parallel": None,
            "user_options": [],
            "boolean_options": [],
            **shared,
        },
    )
    node = command.node
    known = len(ev.unknowns)
    try:
        for step in ("initialize_options", "finalize_options", "run"):
            _call(library, ev, instance, step, [], node)
    except Signal as signal:
        return (
            f"it stops at line {signal.line or node.lineno}" if signal.kind == "raise" else "it returns early"
        )
    except (StepBudget, RecursionError):
        return "it does not end"
    final = instance.attributes.get("extensions")
    if not isinstance(final, list) or not all(isinstance(item, v.ExtensionCall) for item in final):
        return "it replaces the extensions with something migrate cannot follow"
    for option, keyword in _SHARED.items():
        added = instance.attributes.get(option)
        if isinstance(added, list) and added:
            for extension in final:
                current = extension.arguments.get(keyword) or []
                extension.arguments[keyword] = [*current, *(i for i in added if i not in current)]
    kwargs["ext_modules"] = final
    # What it changes under conditions the reading cannot decide (a compiler probe) is missing.
    unknown = next((item for item in ev.unknowns[known:]), None)
    return f"it depends on {unknown.reason} (line {unknown.line})" if unknown else ""


def is_build_ext(item: Any) -> bool:
    """A class of the file deriving from some build_ext (setuptools', Cython's, pybind11's)."""
    return isinstance(item, ClassValue) and any(
        (isinstance(base, ModuleRef) and base.name.endswith("build_ext")) or is_build_ext(base)
        for base in item.bases
    )
