"""Reading setup.py without running it: a small interpreter for the Python setup.py files use.

It evaluates literals, names, containers, f-strings, operators, ``if`` and
``for`` over known values, comprehensions, calls of functions defined in the
file, and the library calls of :mod:`ironwheel.migrate.library` (``os.path``,
``glob``, ``open``, ``Extension``, ``setup``, ...). What it cannot know
becomes an :class:`~ironwheel.migrate.values.Unknown` carrying the reason;
a branch on an unknown condition is not entered and every name it assigns
becomes unknown. Facts about the platform come from a
:class:`~ironwheel.migrate.world.World`, and the evaluator records which
facts it consulted, so that the caller can read the file once per world.
Nothing of the project is imported or run.
"""

from __future__ import annotations

import ast
import dataclasses
import operator
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ironwheel.migrate.values import Composed, FileText, FromModule, SetupCall, Unknown
from ironwheel.migrate.world import World

__all__ = ["ClassValue", "Evaluator", "FunctionValue", "ModuleRef", "Signal"]

_MAX_STEPS = 300_000
_MAX_DEPTH = 40
_MAX_SIZE = 5_000_000


class Signal(Exception):  # noqa: N818 - control flow, not an error
    """A ``return``, ``break``, ``continue`` or ``raise`` travelling up the interpreter."""

    def __init__(self, kind: str, item: Any = None, line: int = 0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.item = item
        self.line = line


class _Budget(Exception):  # noqa: N818
    """The reading took too many steps (a loop that does not end)."""


@dataclasses.dataclass(frozen=True)
class ModuleRef:
    """A module or a name inside one that is not the project's (``os.path``, ``setuptools.setup``)."""

    name: str


@dataclasses.dataclass
class FunctionValue:
    """A function or lambda defined in the file."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    scope: Scope
    name: str


@dataclasses.dataclass
class ClassValue:
    """A class defined in the file (cmdclass entries, exception types): kept, never run."""

    node: ast.ClassDef
    bases: list[Any]
    name: str
    path: str
    scope: Scope | None = None


@dataclasses.dataclass
class BoundMethod:
    """A method of a known value, called with the value first."""

    target: Any
    name: str


class Scope:
    """Names of one module or one function call."""

    def __init__(self, parent: Scope | None = None, names: dict[str, Any] | None = None) -> None:
        self.parent = parent
        self.names: dict[str, Any] = {} if names is None else names
        self.globals: set[str] = set()

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        raise KeyError(name)

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def assign(self, name: str, item: Any) -> None:
        target = self.module() if name in self.globals else self
        target.names[name] = item


_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


def _assigned_names(nodes: list[ast.stmt]) -> set[str]:
    """Every name a block assigns or mutates through a method call (``x.append``)."""
    names: set[str] = set()
    for node in nodes:
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
                names.add(child.id)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(child.name)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                names.update((alias.asname or alias.name).split(".")[0] for alias in child.names)
            elif isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                base = child.func.value
                if isinstance(base, ast.Name):
                    names.add(base.id)
            elif isinstance(child, (ast.Subscript, ast.Attribute)) and isinstance(child.ctx, ast.Store):
                base = child.value
                while isinstance(base, (ast.Subscript, ast.Attribute)):
                    base = base.value
                if isinstance(base, ast.Name):
                    names.add(base.id)
    return names


class Evaluator:
    """Reads one Python file in one world."""

    def __init__(self, root: Path, world: World, library: Any, path: Path | None = None) -> None:
        self.root = root
        self.world = world
        self.library = library
        self.path = path or root / "setup.py"
        self.consulted: set[str] = set()
        self.environ_reads: dict[str, int] = {}
        self.argv_reads: dict[str, int] = {}
        self.file_reads: list[str] = []
        self.side_effects: list[tuple[int, str]] = []
        self.probes: list[tuple[int, str]] = []  # system library probes answered "not found"
        self.unknowns: list[Unknown] = []
        self.setup_calls: list[SetupCall] = []
        self.modules: dict[str, Any] = {}
        self.environ: dict[str, str] = {}
        self.argv: list[str] = ["setup.py", "bdist_wheel"]
        self.line = 0
        self.instances: list[Any] = []  # the object whose __init__ runs (for super())
        self._steps = 0
        self._depth = 0

    # -- entry points ---------------------------------------------------------------------------

    def run_module(self, tree: ast.Module, names: dict[str, Any] | None = None) -> Scope:
        """Evaluate a module's statements; the resulting names."""
        scope = Scope(names=names if names is not None else {})
        scope.names.setdefault("__file__", str(self.path))
        scope.names.setdefault("__name__", "__main__")
        scope.names.setdefault("__doc__", ast.get_docstring(tree, clean=False))
        try:
            self.block(tree.body, scope)
        except Signal as signal:
            if signal.kind == "raise":
                self.unknowns.append(Unknown(f"setup.py stops here ({_describe(signal.item)})", signal.line))
        except _Budget:
            self.unknowns.append(
                Unknown("the reading took too many steps (a loop that does not end?)", self.line)
            )
        except RecursionError:
            self.unknowns.append(Unknown("the reading nested too deeply", self.line))
        return scope

    def run_call(self, function: Any, args: list[Any]) -> Any:
        """Call a function of the file from outside (a build hook); failures become unknowns."""
        try:
            return self.call(function, args, {}, ast.Module(body=[], type_ignores=[]))
        except Signal as signal:
            self.unknowns.append(Unknown(f"the hook stops here ({_describe(signal.item)})", signal.line))
        except _Budget:
            self.unknowns.append(Unknown("the reading took too many steps", self.line))
        except RecursionError:
            self.unknowns.append(Unknown("the reading nested too deeply", self.line))
        return None

    def unknown(self, reason: str, node: ast.AST | None = None) -> Unknown:
        line = getattr(node, "lineno", self.line) if node is not None else self.line
        found = Unknown(reason, line)
        if len(self.unknowns) < 200:
            self.unknowns.append(found)
        return found

    def _tick(self) -> None:
        self._steps += 1
        if self._steps > _MAX_STEPS:
            raise _Budget

    # -- statements -----------------------------------------------------------------------------

    def block(self, statements: list[ast.stmt], scope: Scope) -> None:
        for statement in statements:
            self.statement(statement, scope)

    def _forget(self, statements: list[ast.stmt], scope: Scope, reason: str, node: ast.AST) -> None:
        unknown = self.unknown(reason, node)
        for name in _assigned_names(statements):
            scope.assign(name, unknown)

    def statement(self, node: ast.stmt, scope: Scope) -> None:
        self._tick()
        self.line = getattr(node, "lineno", self.line)
        if isinstance(node, ast.Expr):
            self.expr(node.value, scope)
        elif isinstance(node, ast.Assign):
            item = self.expr(node.value, scope)
            for target in node.targets:
                self.assign(target, item, scope)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.expr(node.value, scope), scope)
        elif isinstance(node, ast.AugAssign):
            self._augmented(node, scope)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node, scope)
        elif isinstance(node, ast.If):
            test = self.truth(node.test, scope)
            if isinstance(test, Unknown):
                self._forget([*node.body, *node.orelse], scope, f"a branch on {test.reason}", node)
            else:
                self.block(node.body if test else node.orelse, scope)
        elif isinstance(node, ast.For):
            self._for(node, scope)
        elif isinstance(node, ast.While):
            self._while(node, scope)
        elif isinstance(node, ast.FunctionDef):
            scope.assign(node.name, FunctionValue(node, scope, node.name))
        elif isinstance(node, ast.ClassDef):
            bases = [self.expr(base, scope) for base in node.bases]
            scope.assign(node.name, ClassValue(node, bases, node.name, str(self.path), scope))
        elif isinstance(node, ast.Return):
            raise Signal("return", self.expr(node.value, scope) if node.value is not None else None)
        elif isinstance(node, ast.Break):
            raise Signal("break")
        elif isinstance(node, ast.Continue):
            raise Signal("continue")
        elif isinstance(node, ast.Raise):
            raised = self.expr(node.exc, scope) if node.exc is not None else None
            raise Signal("raise", raised, node.lineno)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self._try(node, scope)
        elif isinstance(node, ast.With):
            for item in node.items:
                entered = self.expr(item.context_expr, scope)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, entered, scope)
            self.block(node.body, scope)
        elif isinstance(node, ast.Global):
            scope.globals.update(node.names)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    scope.names.pop(target.id, None)
        elif isinstance(node, (ast.Pass, ast.Assert, ast.Nonlocal)):
            return
        else:
            self._forget([node], scope, f"a {type(node).__name__} statement", node)

    def _augmented(self, node: ast.AugAssign, scope: Scope) -> None:
        current = self.expr(_load(node.target), scope)
        change = self.expr(node.value, scope)
        if isinstance(current, Unknown) or isinstance(change, Unknown):
            result: Any = current if isinstance(current, Unknown) else change
        elif isinstance(current, list) and isinstance(node.op, ast.Add):
            current += list(self.library.iterate(self, change, node))  # in place, as Python does
            result = current
        else:
            result = self.binary(node.op, current, change, node)
        self.assign(node.target, result, scope)

    def _import(self, node: ast.Import | ast.ImportFrom, scope: Scope) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.assign(alias.asname, self.library.import_module(self, alias.name))
                else:
                    top = alias.name.split(".")[0]
                    scope.assign(top, self.library.import_module(self, top))
            return
        if node.level:
            for alias in node.names:
                scope.assign(alias.asname or alias.name, self.unknown("a relative import", node))
            return
        module = self.library.import_module(self, node.module or "")
        for alias in node.names:
            if alias.name == "*":
                if isinstance(module, dict):
                    scope.names.update({k: v for k, v in module.items() if not k.startswith("_")})
                continue
            scope.assign(alias.asname or alias.name, self.attribute(module, alias.name, node))

    def _for(self, node: ast.For, scope: Scope) -> None:
        iterable = self.expr(node.iter, scope)
        items = self.library.iterate(self, iterable, node)
        if isinstance(items, Unknown):
            self._forget([*node.body, *node.orelse], scope, f"a loop over {items.reason}", node)
            self.assign(node.target, items, scope)
            return
        for item in items:
            self.assign(node.target, item, scope)
            try:
                self.block(node.body, scope)
            except Signal as signal:
                if signal.kind == "break":
                    return
                if signal.kind != "continue":
                    raise
        self.block(node.orelse, scope)

    def _while(self, node: ast.While, scope: Scope) -> None:
        while True:
            test = self.truth(node.test, scope)
            if isinstance(test, Unknown):
                self._forget([*node.body, *node.orelse], scope, f"a loop on {test.reason}", node)
                return
            if not test:
                break
            try:
                self.block(node.body, scope)
            except Signal as signal:
                if signal.kind == "break":
                    return
                if signal.kind != "continue":
                    raise
        self.block(node.orelse, scope)

    def _try(self, node: Any, scope: Scope) -> None:
        # Imports always succeed here, so the body is what setup.py does when its
        # build requirements are installed; a handler runs for an explicit raise only.
        try:
            try:
                self.block(node.body, scope)
            except Signal as signal:
                if signal.kind != "raise":
                    raise
                handler = self._handler(node.handlers, signal.item, scope)
                if handler is None:
                    raise
                if handler.name:
                    scope.assign(handler.name, signal.item)
                self.block(handler.body, scope)
            else:
                self.block(node.orelse, scope)
        finally:
            self.block(node.finalbody, scope)

    def _handler(
        self, handlers: list[ast.ExceptHandler], raised: Any, scope: Scope
    ) -> ast.ExceptHandler | None:
        name = _describe(raised)
        for handler in handlers:
            if handler.type is None:
                return handler
            caught = self.expr(handler.type, scope)
            kinds = caught if isinstance(caught, tuple) else (caught,)
            for kind in kinds:
                described = _describe(kind)
                if described in (name, "Exception", "BaseException") or _is_subclass(raised, described):
                    return handler
        return None

    def assign(self, target: ast.expr, item: Any, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            scope.assign(target.id, item)
        elif isinstance(target, (ast.Tuple, ast.List)):
            parts = self.library.iterate(self, item, target)
            starred = [i for i, element in enumerate(target.elts) if isinstance(element, ast.Starred)]
            if isinstance(parts, Unknown):
                for element in target.elts:
                    self.assign(element.value if isinstance(element, ast.Starred) else element, parts, scope)
                return
            values = list(parts)
            if starred:
                index = starred[0]
                after = len(target.elts) - index - 1
                middle = values[index : len(values) - after]
                values = [*values[:index], middle, *values[len(values) - after :]]
            if len(values) != len(target.elts):
                unknown = self.unknown("unpacking a value of another length", target)
                values = [unknown] * len(target.elts)
            for element, value in zip(target.elts, values):
                self.assign(element.value if isinstance(element, ast.Starred) else element, value, scope)
        elif isinstance(target, ast.Subscript):
            container = self.expr(target.value, scope)
            index = self.expr(target.slice, scope)
            if isinstance(container, (dict, list)) and not isinstance(index, Unknown):
                try:
                    container[index] = item
                except (TypeError, IndexError, KeyError):
                    self.unknown("an assignment that fails", target)
        elif isinstance(target, ast.Attribute):
            owner = self.expr(target.value, scope)
            self.library.set_attribute(self, owner, target.attr, item)

    # -- expressions ----------------------------------------------------------------------------

    def truth(self, node: ast.expr, scope: Scope) -> Any:
        item = self.expr(node, scope)
        if isinstance(item, Unknown):
            return item
        try:
            return bool(item)
        except Exception:  # noqa: BLE001 - any object of the file's own making
            return self.unknown("the truth of an object", node)

    def expr(self, node: ast.expr, scope: Scope) -> Any:
        self._tick()
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            try:
                return scope.lookup(node.id)
            except KeyError:
                return self.library.builtin(self, node.id, node)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items: list[Any] = []
            for element in node.elts:
                if isinstance(element, ast.Starred):
                    spread = self.library.iterate(self, self.expr(element.value, scope), element)
                    if isinstance(spread, Unknown):
                        return spread
                    items += spread
                else:
                    items.append(self.expr(element, scope))
            if isinstance(node, ast.List):
                return items
            if isinstance(node, ast.Tuple):
                return tuple(items)
            return self.library.make_set(self, items, node)
        if isinstance(node, ast.Dict):
            result: dict[Any, Any] = {}
            for key_node, value_node in zip(node.keys, node.values):
                if key_node is None:
                    spread = self.expr(value_node, scope)
                    if not isinstance(spread, Mapping):
                        return (
                            spread
                            if isinstance(spread, Unknown)
                            else self.unknown("** of a non-mapping", node)
                        )
                    result.update(spread)
                else:
                    key = self.expr(key_node, scope)
                    if isinstance(key, Unknown):
                        return key
                    result[key] = self.expr(value_node, scope)
            return result
        if isinstance(node, ast.Attribute):
            return self.attribute(self.expr(node.value, scope), node.attr, node)
        if isinstance(node, ast.Subscript):
            return self.library.subscript(
                self, self.expr(node.value, scope), self.expr(node.slice, scope), node
            )
        if isinstance(node, ast.Slice):
            parts = [
                self.expr(part, scope) if part is not None else None
                for part in (node.lower, node.upper, node.step)
            ]
            if any(isinstance(part, Unknown) for part in parts):
                return next(part for part in parts if isinstance(part, Unknown))
            return slice(*parts)
        if isinstance(node, ast.BinOp):
            return self.binary(node.op, self.expr(node.left, scope), self.expr(node.right, scope), node)
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand, scope)
            if isinstance(operand, Unknown):
                return operand
            try:
                if isinstance(node.op, ast.Not):
                    return not operand
                if isinstance(node.op, ast.USub):
                    return -operand
                if isinstance(node.op, ast.UAdd):
                    return +operand
                return ~operand
            except Exception:  # noqa: BLE001
                return self.unknown("an operator on an object", node)
        if isinstance(node, ast.BoolOp):
            last: Any = None
            for value_node in node.values:
                last = self.expr(value_node, scope)
                if isinstance(last, Unknown):
                    return last
                truth = bool(last) if not isinstance(last, (FunctionValue, ClassValue, ModuleRef)) else True
                if isinstance(node.op, ast.And) and not truth:
                    return last
                if isinstance(node.op, ast.Or) and truth:
                    return last
            return last
        if isinstance(node, ast.Compare):
            return self._compare(node, scope)
        if isinstance(node, ast.IfExp):
            test = self.truth(node.test, scope)
            if isinstance(test, Unknown):
                return test
            return self.expr(node.body if test else node.orelse, scope)
        if isinstance(node, ast.Call):
            return self._call(node, scope)
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node, scope)
        if isinstance(node, ast.FormattedValue):
            return self._formatted(node, scope)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            produced = self._comprehension(node.generators, [node.elt], scope)
            if isinstance(produced, Unknown):
                return produced
            flat = [item[0] for item in produced]
            return self.library.make_set(self, flat, node) if isinstance(node, ast.SetComp) else flat
        if isinstance(node, ast.DictComp):
            produced = self._comprehension(node.generators, [node.key, node.value], scope)
            if isinstance(produced, Unknown):
                return produced
            return dict(produced)
        if isinstance(node, ast.Lambda):
            return FunctionValue(node, scope, "<lambda>")
        if isinstance(node, ast.Starred):
            return self.expr(node.value, scope)
        return self.unknown(f"a {type(node).__name__} expression", node)

    def binary(self, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        combined = self.library.binary(self, op, left, right, node)
        if combined is not NotImplemented:
            return combined
        function = _BINARY.get(type(op))
        if function is None:
            return self.unknown("an operator", node)
        large = isinstance(right, int) and isinstance(left, (str, list)) and len(left) * right > _MAX_SIZE
        if isinstance(op, ast.Mult) and large:
            return self.unknown("a value too large", node)
        if isinstance(op, ast.Pow) and isinstance(right, int) and right > 64:
            return self.unknown("a number too large", node)
        try:
            return function(left, right)
        except Exception:  # noqa: BLE001 - the file's own objects may refuse
            return self.unknown(
                f"{type(op).__name__} of {type(left).__name__} and {type(right).__name__}", node
            )

    def _compare(self, node: ast.Compare, scope: Scope) -> Any:
        left = self.expr(node.left, scope)
        result: Any = True
        for op, right_node in zip(node.ops, node.comparators):
            right = self.expr(right_node, scope)
            if isinstance(left, Unknown):
                return left
            if isinstance(right, Unknown):
                return right
            special = self.library.compare(self, op, left, right, node)
            if special is not NotImplemented:
                outcome = special
            else:
                try:
                    outcome = _COMPARE[type(op)](left, right)
                except Exception:  # noqa: BLE001
                    return self.unknown("a comparison of objects", node)
            if isinstance(outcome, Unknown) or not outcome:
                return outcome
            result = outcome
            left = right
        return result

    def _fstring(self, node: ast.JoinedStr, scope: Scope) -> Any:
        parts: list[str] = []
        for value_node in node.values:
            piece = self.expr(value_node, scope)
            if isinstance(piece, Unknown):
                return piece
            parts.append(piece)
        if any(isinstance(part, (FileText, Composed)) for part in parts):
            return self.library.compose(parts)
        return "".join(parts)

    def _formatted(self, node: ast.FormattedValue, scope: Scope) -> Any:
        item = self.expr(node.value, scope)
        if isinstance(item, Unknown):
            return item
        spec = self.expr(node.format_spec, scope) if node.format_spec is not None else ""
        if isinstance(spec, Unknown):
            return spec
        if isinstance(item, (FileText, Composed)) and node.conversion == -1 and not spec:
            return item
        conversions: dict[int, Callable[[Any], Any]] = {115: str, 114: repr, 97: ascii}
        converted = conversions.get(node.conversion, lambda unchanged: unchanged)(item)
        try:
            return format(self.library.plain(converted), spec)
        except Exception:  # noqa: BLE001
            return self.unknown("formatting an object", node)

    def _comprehension(
        self, generators: list[ast.comprehension], elements: list[ast.expr], scope: Scope
    ) -> Any:
        inner = Scope(scope)
        results: list[Any] = []

        def loop(index: int) -> Unknown | None:
            if index == len(generators):
                values = [self.expr(element, inner) for element in elements]
                results.append(values)
                return None
            generator = generators[index]
            items = self.library.iterate(self, self.expr(generator.iter, inner), generator.iter)
            if isinstance(items, Unknown):
                return items
            for item in items:
                self.assign(generator.target, item, inner)
                keep = True
                for condition in generator.ifs:
                    test = self.truth(condition, inner)
                    if isinstance(test, Unknown):
                        return test
                    if not test:
                        keep = False
                        break
                if keep:
                    failed = loop(index + 1)
                    if failed is not None:
                        return failed
            return None

        failed = loop(0)
        if failed is not None:
            return failed
        if len(elements) == 2:
            return [tuple(pair) for pair in results]
        return results

    def attribute(self, owner: Any, name: str, node: ast.AST) -> Any:
        if isinstance(owner, Unknown):
            return owner
        return self.library.attribute(self, owner, name, node)

    def _call(self, node: ast.Call, scope: Scope) -> Any:
        function = self.expr(node.func, scope)
        args: list[Any] = []
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                spread = self.library.iterate(self, self.expr(argument.value, scope), argument)
                if isinstance(spread, Unknown):
                    return spread
                args += spread
            else:
                args.append(self.expr(argument, scope))
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            item = self.expr(keyword.value, scope)
            if keyword.arg is None:
                if isinstance(item, Unknown):
                    return item
                if not isinstance(item, Mapping):
                    return self.unknown("** of a non-mapping", node)
                kwargs.update(item)
            else:
                kwargs[keyword.arg] = item
        if isinstance(function, Unknown):
            return function
        return self.call(function, args, kwargs, node)

    def call(self, function: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        if isinstance(function, FunctionValue):
            return self.call_function(function, args, kwargs, node)
        return self.library.call(self, function, args, kwargs, node)

    def call_function(
        self, function: FunctionValue, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        if self._depth >= _MAX_DEPTH:
            return self.unknown(f"{function.name}() calls itself too deeply", node)
        definition = function.node
        if any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in ast.walk(definition)):
            return self.unknown(f"the generator {function.name}()", node)
        local = Scope(function.scope)
        params = definition.args
        positional = [*params.posonlyargs, *params.args]
        defaults = params.defaults
        offset = len(positional) - len(defaults)
        for index, param in enumerate(positional):
            if index < len(args):
                local.names[param.arg] = args[index]
            elif param.arg in kwargs:
                local.names[param.arg] = kwargs.pop(param.arg)
            elif index >= offset:
                local.names[param.arg] = self.expr(defaults[index - offset], function.scope)
            else:
                local.names[param.arg] = self.unknown(f"a missing argument of {function.name}()", node)
        if params.vararg is not None:
            local.names[params.vararg.arg] = tuple(args[len(positional) :])
        for param, default in zip(params.kwonlyargs, params.kw_defaults):
            if param.arg in kwargs:
                local.names[param.arg] = kwargs.pop(param.arg)
            elif default is not None:
                local.names[param.arg] = self.expr(default, function.scope)
        if params.kwarg is not None:
            local.names[params.kwarg.arg] = dict(kwargs)
        self._depth += 1
        line = self.line
        try:
            if isinstance(definition, ast.Lambda):
                return self.expr(definition.body, local)
            self.block(definition.body, local)
        except Signal as signal:
            if signal.kind == "return":
                return signal.item
            raise
        finally:
            self._depth -= 1
            self.line = line
        return None


def _load(target: ast.expr) -> ast.expr:
    """The same target read instead of written (for ``x += ...``)."""
    copied = ast.parse(ast.unparse(target), mode="eval").body
    return ast.copy_location(copied, target)


def _describe(item: Any) -> str:
    if isinstance(item, ClassValue):
        return item.name
    if isinstance(item, ModuleRef):
        return item.name.rsplit(".", 1)[-1]
    if isinstance(item, Unknown):
        return "an unknown exception"
    if isinstance(item, FromModule):
        return str(item)
    return type(item).__name__ if not isinstance(item, str) else item


def _is_subclass(item: Any, name: str) -> bool:
    if isinstance(item, ClassValue):
        return any(_describe(base) == name or _is_subclass(base, name) for base in item.bases)
    return False
