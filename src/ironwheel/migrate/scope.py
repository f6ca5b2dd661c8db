"""The values of the setup.py interpreter: scopes, functions, classes, module names, signals."""

from __future__ import annotations

import ast
import dataclasses
import operator
from collections.abc import Callable
from typing import Any

from ironwheel.migrate.values import FromModule, Unknown

__all__ = [
    "BINARY",
    "COMPARE",
    "BoundMethod",
    "ClassValue",
    "FunctionValue",
    "ModuleRef",
    "Scope",
    "Signal",
    "StepBudget",
    "assigned_names",
    "describe",
    "is_subclass",
    "loaded",
]


class Signal(Exception):  # noqa: N818 - control flow, not an error
    """A ``return``, ``break``, ``continue`` or ``raise`` travelling up the interpreter."""

    def __init__(self, kind: str, item: Any = None, line: int = 0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.item = item
        self.line = line


class StepBudget(Exception):  # noqa: N818
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


BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
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
COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
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


def assigned_names(nodes: list[ast.stmt]) -> set[str]:
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


def loaded(target: ast.expr) -> ast.expr:
    """The same target read instead of written (for ``x += ...``)."""
    copied = ast.parse(ast.unparse(target), mode="eval").body
    return ast.copy_location(copied, target)


def describe(item: Any) -> str:
    if isinstance(item, ClassValue):
        return item.name
    if isinstance(item, ModuleRef):
        return item.name.rsplit(".", 1)[-1]
    if isinstance(item, Unknown):
        return "an unknown exception"
    if isinstance(item, FromModule):
        return str(item)
    return type(item).__name__ if not isinstance(item, str) else item


def is_subclass(item: Any, name: str) -> bool:
    if isinstance(item, ClassValue):
        return any(describe(base) == name or is_subclass(base, name) for base in item.bases)
    return False
