"""The expressions of the setup.py interpreter (see :mod:`ironwheel.migrate.evaluate`)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ironwheel.migrate.scope import (
    BINARY,
    COMPARE,
    ClassValue,
    FunctionValue,
    ModuleRef,
    Scope,
    Signal,
    StepBudget,
)
from ironwheel.migrate.values import Composed, FileText, Unknown
from ironwheel.migrate.world import World

__all__ = ["Expressions"]

_MAX_STEPS = 300_000
_MAX_DEPTH = 40
_MAX_SIZE = 5_000_000


class Expressions:
    """Evaluates expressions and calls; :class:`~ironwheel.migrate.evaluate.Evaluator` adds statements."""

    root: Path
    world: World
    library: Any
    unknowns: list[Unknown]
    line: int
    _steps: int
    _depth: int

    def unknown(self, reason: str, node: ast.AST | None = None) -> Unknown:
        line = getattr(node, "lineno", self.line) if node is not None else self.line
        found = Unknown(reason, line)
        if len(self.unknowns) < 200:
            self.unknowns.append(found)
        return found

    def _tick(self) -> None:
        self._steps += 1
        if self._steps > _MAX_STEPS:
            raise StepBudget

    def block(self, statements: list[ast.stmt], scope: Scope) -> None:  # pragma: no cover - Evaluator's
        raise NotImplementedError

    def assign(self, target: ast.expr, item: Any, scope: Scope) -> None:  # pragma: no cover - Evaluator's
        raise NotImplementedError

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
        function = BINARY.get(type(op))
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
                    outcome = COMPARE[type(op)](left, right)
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
