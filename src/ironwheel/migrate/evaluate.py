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
from pathlib import Path
from typing import Any

from ironwheel.migrate.expressions import Expressions
from ironwheel.migrate.scope import (
    BoundMethod,
    ClassValue,
    FunctionValue,
    ModuleRef,
    Scope,
    Signal,
    StepBudget,
    assigned_names,
    describe,
    is_subclass,
    loaded,
)
from ironwheel.migrate.values import SetupCall, Unknown
from ironwheel.migrate.world import World

__all__ = ["BoundMethod", "ClassValue", "Evaluator", "FunctionValue", "ModuleRef", "Scope", "Signal"]


class Evaluator(Expressions):
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
        self.replayed: dict[str, str] = {}  # command -> "" when its replay ran through, else why not
        self.defining: list[Any] = []  # the class of each method of a replayed command that runs
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
                self.unknowns.append(Unknown(f"setup.py stops here ({describe(signal.item)})", signal.line))
        except StepBudget:
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
            self.unknowns.append(Unknown(f"the hook stops here ({describe(signal.item)})", signal.line))
        except StepBudget:
            self.unknowns.append(Unknown("the reading took too many steps", self.line))
        except RecursionError:
            self.unknowns.append(Unknown("the reading nested too deeply", self.line))
        return None

    # -- statements -----------------------------------------------------------------------------

    def block(self, statements: list[ast.stmt], scope: Scope) -> None:
        for statement in statements:
            self.statement(statement, scope)

    def _forget(self, statements: list[ast.stmt], scope: Scope, reason: str, node: ast.AST) -> None:
        unknown = self.unknown(reason, node)
        for name in assigned_names(statements):
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
                entered = self._context(item.context_expr, scope)
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

    def _context(self, node: ast.expr, scope: Scope) -> Any:
        """What a ``with`` enters; a @contextmanager generator of the file (``with chdir(here):``)
        is entered without running it: what it yields is unknown, the block is read."""
        if isinstance(node, ast.Call):
            function = self.expr(node.func, scope)
            if isinstance(function, FunctionValue) and any(
                isinstance(child, (ast.Yield, ast.YieldFrom)) for child in ast.walk(function.node)
            ):
                return Unknown(f"what {function.name}() yields", node.lineno)
        return self.expr(node, scope)

    def _augmented(self, node: ast.AugAssign, scope: Scope) -> None:
        current = self.expr(loaded(node.target), scope)
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
        name = describe(raised)
        for handler in handlers:
            if handler.type is None:
                return handler
            caught = self.expr(handler.type, scope)
            kinds = caught if isinstance(caught, tuple) else (caught,)
            for kind in kinds:
                described = describe(kind)
                if described in (name, "Exception", "BaseException") or is_subclass(raised, described):
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
                if isinstance(index, slice) and isinstance(container, list):
                    # items[:] = <unknown>: the list's contents are unknown now, not unchanged
                    spread = self.library.iterate(self, item, target)
                    item = [spread] if isinstance(spread, Unknown) else spread
                try:
                    container[index] = item
                except (TypeError, IndexError, KeyError, ValueError):
                    self.unknown("an assignment that fails", target)
        elif isinstance(target, ast.Attribute):
            owner = self.expr(target.value, scope)
            self.library.set_attribute(self, owner, target.attr, item)

    # -- expressions ----------------------------------------------------------------------------
