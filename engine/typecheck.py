"""AST expressions → typed IR expressions: resolve every name and check every type.

Guarantees on success: each name refers to a node, a bound variable, an enum
member or a party; operators get operands of compatible types (money is never
added to a rate; a condition is a bool). Errors are collected, not raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from dsl import ast
from dsl import types as T
from dsl.errors import SourceError, did_you_mean
from dsl.source import SourceFile
from engine import ir

FUNCTIONS = ("min", "max", "clamp", "abs", "year", "days_between", "as_of", "round_yuan", "years_between", "months_between",
             "add_years", "add_days", "add_working_days", "is_working_day", "first_working_day")
# Names with a value in every case: the case's date, and the date the answer is given for (the case's `as_of`).
BUILTIN_NAMES = ("case_date", "evaluation_date")


class _Fail(Exception):
    pass


@dataclass
class Checker:
    """Type-checks expressions against the nodes of one program."""

    node_types: dict[str, T.Type]
    param_ids: set[str]
    sources: dict[str, SourceFile]
    errors: list[SourceError] = field(default_factory=list)
    references: list[tuple[str, object]] = field(default_factory=list)  # (node id, span) of each Ref made

    def check(self, expr: ast.Expr, expected: T.Type | None = None, scope: dict[str, T.Type] | None = None) -> ir.Expr | None:
        """The typed expression, or None when an error was recorded."""
        try:
            out = self._expr(expr, expected, scope or {})
        except _Fail:
            return None
        if expected is not None and not assignable(out, expected):
            self._error(expr, f"this formula gives {_describe(out.type)}, but {_describe(expected)} is declared")
            return None
        return out

    # ------------------------------------------------------------ helpers

    def _error(self, node: ast.Expr, message: str, hint: str | None = None) -> None:
        self.errors.append(SourceError(message, node.span, self.sources.get(node.span.file), hint))

    def _fail(self, node: ast.Expr, message: str, hint: str | None = None) -> _Fail:
        self._error(node, message, hint)
        return _Fail()

    # ------------------------------------------------------------ dispatch

    def _expr(self, e: ast.Expr, expected: T.Type | None, scope: dict[str, T.Type]) -> ir.Expr:
        handler: Callable[..., ir.Expr] | None = getattr(self, "_" + type(e).__name__.lower(), None)
        if handler is None:  # pragma: no cover - every AST expression has a handler
            raise self._fail(e, f"cannot check {type(e).__name__}")
        return handler(e, expected, scope)

    def _number(self, e: ast.Number, expected, scope) -> ir.Expr:
        if expected is not None and isinstance(expected, T.MoneyType):
            return ir.Const(T.MONEY, e.span, e.value)
        return ir.Const(T.INT if e.is_int else T.RATE, e.span, e.value)

    def _percent(self, e: ast.Percent, expected, scope) -> ir.Expr:
        return ir.Const(T.RATE, e.span, e.value)

    def _datelit(self, e: ast.DateLit, expected, scope) -> ir.Expr:
        return ir.Const(T.DATE, e.span, e.value)

    def _boollit(self, e: ast.BoolLit, expected, scope) -> ir.Expr:
        return ir.Const(T.BOOL, e.span, e.value)

    def _name(self, e: ast.Name, expected, scope) -> ir.Expr:
        if e.name in scope:
            return ir.Local(scope[e.name], e.span, e.name)
        if e.name in BUILTIN_NAMES:
            return ir.Call(T.DATE, e.span, e.name, ())
        if e.name in self.node_types:
            self.references.append((e.name, e.span))
            return ir.Ref(self.node_types[e.name], e.span, e.name)
        if isinstance(expected, T.EnumType) and e.name in expected.values:
            return ir.Const(expected, e.span, e.name)
        if (expected is None or isinstance(expected, T.PartyType)) and e.name in T.PARTIES:
            return ir.Const(T.PARTY, e.span, e.name)
        candidates = list(self.node_types) + list(scope)
        if isinstance(expected, T.EnumType):
            candidates += list(expected.values)
            raise self._fail(e, f"'{e.name}' is not one of {', '.join(expected.values)}", did_you_mean(e.name, candidates))
        raise self._fail(e, f"unknown name '{e.name}'", did_you_mean(e.name, candidates + list(T.PARTIES)))

    def _undetermined(self, e: ast.Undetermined, expected, scope) -> ir.Expr:
        if expected is None:
            raise self._fail(e, "undetermined(...) takes its type from where it stands: use it as a branch of `if` "
                                "or as a rule's whole formula")
        return ir.Undetermined(expected, e.span, e.reason)

    def _neg(self, e: ast.Neg, expected, scope) -> ir.Expr:
        inner = self._expr(e.operand, expected, scope)
        if not T.is_numeric(inner.type):
            raise self._fail(e, f"cannot negate {_describe(inner.type)}")
        return ir.Unary(inner.type, e.span, "neg", inner)

    def _not(self, e: ast.Not, expected, scope) -> ir.Expr:
        inner = self._bool(e.operand, scope)
        return ir.Unary(T.BOOL, e.span, "not", inner)

    def _bool(self, e: ast.Expr, scope) -> ir.Expr:
        out = self._expr(e, T.BOOL, scope)
        if not isinstance(out.type, T.BoolType):
            raise self._fail(e, f"a condition must be true or false, but this is {_describe(out.type)}")
        return out

    def _and(self, e: ast.And, expected, scope) -> ir.Expr:
        return ir.Binary(T.BOOL, e.span, "and", self._bool(e.left, scope), self._bool(e.right, scope))

    def _or(self, e: ast.Or, expected, scope) -> ir.Expr:
        return ir.Binary(T.BOOL, e.span, "or", self._bool(e.left, scope), self._bool(e.right, scope))

    def _iskNown(self, e, expected, scope):  # pragma: no cover - name mangling guard
        return self._isknown(e, expected, scope)

    def _isknown(self, e: ast.IsKnown, expected, scope) -> ir.Expr:
        return ir.Unary(T.BOOL, e.span, "known", self._expr(e.operand, None, scope))

    def _pair(self, left: ast.Expr, right: ast.Expr, expected, scope) -> tuple[ir.Expr, ir.Expr]:
        """Check two operands where a bare literal or enum member takes its type from the other side."""
        if _is_context_dependent(left) and not _is_context_dependent(right):
            r = self._expr(right, expected, scope)
            return self._expr(left, r.type, scope), r
        lt = self._expr(left, expected, scope)
        return lt, self._expr(right, lt.type, scope)

    def _compare(self, e: ast.Compare, expected, scope) -> ir.Expr:
        left, right = self._pair(e.left, e.right, None, scope)
        if not comparable(left.type, right.type, e.op):
            raise self._fail(e, f"cannot compare {_describe(left.type)} with {_describe(right.type)} using {e.op}")
        return ir.Binary(T.BOOL, e.span, e.op, left, right)

    def _inrange(self, e: ast.InRange, expected, scope) -> ir.Expr:
        operand = self._expr(e.operand, None, scope)
        if not isinstance(operand.type, T.IntType):
            raise self._fail(e, f"`in {e.low}..{e.high}` needs a whole number, not {_describe(operand.type)}")
        return ir.Member(T.BOOL, e.span, operand, e.low, e.high, ())

    def _inset(self, e: ast.InSet, expected, scope) -> ir.Expr:
        operand = self._expr(e.operand, None, scope)
        allowed: tuple[str, ...]
        if isinstance(operand.type, T.EnumType):
            allowed = operand.type.values
        elif isinstance(operand.type, T.PartyType):
            allowed = T.PARTIES
        else:
            raise self._fail(e, f"`in {{...}}` needs an enum or a party, not {_describe(operand.type)}")
        for m in e.members:
            if m not in allowed:
                raise self._fail(e, f"'{m}' is not one of {', '.join(allowed)}", did_you_mean(m, allowed))
        return ir.Member(T.BOOL, e.span, operand, None, None, e.members)

    def _otherwise(self, e: ast.Otherwise, expected, scope) -> ir.Expr:
        first, second = self._pair(e.first, e.second, expected, scope)
        t = unify(first.type, second.type)
        if t is None:
            raise self._fail(e, f"both sides of `otherwise` must have one type: {_describe(first.type)} and {_describe(second.type)}")
        return ir.Binary(t, e.span, "otherwise", first, second)

    def _if(self, e: ast.If, expected, scope) -> ir.Expr:
        cond = self._bool(e.cond, scope)
        then, other = self._pair(e.then, e.otherwise, expected, scope)
        t = unify(then.type, other.type)
        if t is None:
            raise self._fail(e, f"the two branches of `if` have different types: {_describe(then.type)} and {_describe(other.type)}")
        return ir.Cond(t, e.span, cond, then, other)

    def _binop(self, e: ast.BinOp, expected, scope) -> ir.Expr:
        if e.op in "+-":
            left, right = self._pair(e.left, e.right, expected, scope)
        else:  # a bare number multiplies or divides as a plain number, never as money
            left, right = self._expr(e.left, None, scope), self._expr(e.right, None, scope)
        t = arithmetic(e.op, left.type, right.type)
        if t is None:
            verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}[e.op]
            raise self._fail(e, f"cannot {verb} {_describe(left.type)} and {_describe(right.type)}")
        return ir.Binary(t, e.span, e.op, left, right)

    def _lookup(self, e: ast.Lookup, expected, scope) -> ir.Expr:
        table = self._expr(e.table, None, scope)
        if not isinstance(table.type, T.TableType):
            raise self._fail(e, f"only a table can be looked up with [...], not {_describe(table.type)}")
        key = self._expr(e.key, table.type.key, scope)
        if unify(key.type, table.type.key) is None:
            raise self._fail(e.key, f"this table is keyed by {_describe(table.type.key)}, not {_describe(key.type)}")
        return ir.Lookup(table.type.value, e.span, table, key)

    def _field(self, e: ast.Field, expected, scope) -> ir.Expr:
        dotted = f"{e.record.name}.{e.name}" if isinstance(e.record, ast.Name) else None
        if dotted in self.node_types and e.record.name not in scope:  # type: ignore[union-attr]
            self.references.append((dotted, e.span))  # an item's field: `one_time_medical_subsidy.amount`
            return ir.Ref(self.node_types[dotted], e.span, dotted)  # type: ignore[index, arg-type]
        record = self._expr(e.record, None, scope)
        if not isinstance(record.type, T.RecordType):
            raise self._fail(e, f"`.{e.name}` needs a record, not {_describe(record.type)}")
        f = record.type.of.field(e.name)
        if f is None:
            names = [x.name for x in record.type.of.fields]
            raise self._fail(e, f"a record here has no field '{e.name}'", did_you_mean(e.name, names))
        return ir.GetField(f.type, e.span, record, e.name)

    def _aggregate(self, e: ast.Aggregate, expected, scope) -> ir.Expr:
        collection = self._expr(e.collection, None, scope)
        if not isinstance(collection.type, T.ListType):
            raise self._fail(e, f"`{e.kind}(... in ...)` goes over a list, not {_describe(collection.type)}")
        inner = dict(scope)
        inner[e.var] = T.RecordType(collection.type)
        where = self._bool(e.where, inner) if e.where is not None else None
        if e.kind == "count":
            return ir.Aggregate(T.INT, e.span, "count", e.var, collection, where, None)
        body = self._expr(e.body, expected, inner)
        if not T.is_numeric(body.type):
            raise self._fail(e, f"`sum` adds numbers, not {_describe(body.type)}")
        return ir.Aggregate(body.type, e.span, "sum", e.var, collection, where, body)

    def _call(self, e: ast.Call, expected, scope) -> ir.Expr:
        f, args = e.func, e.args
        if f not in FUNCTIONS:
            raise self._fail(e, f"unknown function '{f}'", did_you_mean(f, FUNCTIONS))
        if f == "as_of":
            if len(args) != 2 or not isinstance(args[0], ast.Name) or args[0].name not in self.param_ids:
                raise self._fail(e, "as_of(parameter, date) takes the name of a parameter and a date")
            when = self._expr(args[1], T.DATE, scope)
            if not isinstance(when.type, T.DateType):
                raise self._fail(args[1], f"as_of needs a date, not {_describe(when.type)}")
            self.references.append((args[0].name, args[0].span))
            return ir.AsOf(self.node_types[args[0].name], e.span, args[0].name, when)
        arity = {"min": None, "max": None, "clamp": 3, "abs": 1, "year": 1, "days_between": 2, "round_yuan": 1,
                 "years_between": 2, "months_between": 2, "add_years": 2, "add_days": 2, "add_working_days": 2,
                 "is_working_day": 1, "first_working_day": 1}[f]
        if arity is None and len(args) < 2 or arity is not None and len(args) != arity:
            want = "at least 2" if arity is None else str(arity)
            raise self._fail(e, f"{f}() takes {want} argument{'s' if want != '1' else ''}, not {len(args)}")
        if f in ("add_years", "add_days", "add_working_days"):  # (date, whole number) → date
            unit = {"add_years": "years", "add_days": "days", "add_working_days": "working days"}[f]
            when, count = self._expr(args[0], T.DATE, scope), self._expr(args[1], T.INT, scope)
            if not isinstance(when.type, T.DateType) or not isinstance(count.type, T.IntType):
                raise self._fail(e, f"{f}(date, {unit}) takes a date and a whole number of {unit}")
            return ir.Call(T.DATE, e.span, f, (when, count))
        if f in ("is_working_day", "first_working_day"):  # working days: the official calendar in statutes/calendar
            when = self._expr(args[0], T.DATE, scope)
            if not isinstance(when.type, T.DateType):
                raise self._fail(args[0], f"{f}() needs a date, not {_describe(when.type)}")
            return ir.Call(T.BOOL if f == "is_working_day" else T.DATE, e.span, f, (when,))
        if f in ("year", "days_between", "years_between", "months_between"):
            typed = [self._expr(a, T.DATE, scope) for a in args]
            for a, t in zip(args, typed):
                if not isinstance(t.type, T.DateType):
                    raise self._fail(a, f"{f}() needs a date, not {_describe(t.type)}")
            return ir.Call(T.INT, e.span, f, tuple(typed))
        typed = [self._expr(a, expected, scope) for a in args]
        anchor = next((t.type for a, t in zip(args, typed) if not _is_context_dependent(a)), typed[0].type)
        typed = [self._expr(a, anchor, scope) if _is_context_dependent(a) else t for a, t in zip(args, typed)]
        result: T.Type | None = typed[0].type
        for a, t in zip(args, typed):
            if not T.is_numeric(t.type):
                raise self._fail(a, f"{f}() works on numbers, not {_describe(t.type)}")
            result = unify(result, t.type) if result is not None else None
            if result is None:
                raise self._fail(e, f"the arguments of {f}() must have one type; found {_describe(t.type)}")
        return ir.Call(result, e.span, f, tuple(typed))


# ---------------------------------------------------------------- type rules


def _is_context_dependent(e: ast.Expr) -> bool:
    return isinstance(e, (ast.Number, ast.Undetermined)) or (isinstance(e, ast.Name) and e.name in T.PARTIES)


def _describe(t: T.Type) -> str:
    return {
        T.BoolType: "a true/false value", T.IntType: "a whole number", T.RateType: "a rate",
        T.MoneyType: "money", T.DateType: "a date", T.PartyType: "a party",
    }.get(type(t), str(t)) if not isinstance(t, (T.EnumType, T.ListType, T.TableType, T.RecordType)) else str(t)


def unify(a: T.Type | None, b: T.Type | None) -> T.Type | None:
    if a is None or b is None:
        return None
    if type(a) is type(b):
        if isinstance(a, T.IntType):
            return T.INT if a != b else a
        return a if a == b or not isinstance(a, (T.EnumType, T.ListType, T.TableType)) else None
    pair = {type(a), type(b)}
    if pair == {T.IntType, T.RateType}:
        return T.RATE
    return None


def assignable(expr: ir.Expr, declared: T.Type) -> bool:
    t = expr.type
    if isinstance(declared, T.IntType):
        return isinstance(t, T.IntType)
    if isinstance(declared, T.RateType):
        return isinstance(t, (T.RateType, T.IntType))
    if isinstance(declared, T.MoneyType):
        return isinstance(t, T.MoneyType) or (isinstance(expr, ir.Const) and isinstance(expr.value, Decimal))
    if isinstance(declared, T.EnumType):
        return t == declared
    return type(t) is type(declared)


def comparable(a: T.Type, b: T.Type, op: str) -> bool:
    if op in ("==", "!="):
        return unify(a, b) is not None
    return unify(a, b) is not None and (T.is_numeric(a) or isinstance(a, T.DateType))


def arithmetic(op: str, a: T.Type, b: T.Type) -> T.Type | None:
    money, num = isinstance(a, T.MoneyType), isinstance(b, T.MoneyType)
    if isinstance(a, T.DateType) and isinstance(b, T.DateType) and op == "-":
        return T.INT
    if not (T.is_numeric(a) and T.is_numeric(b)):
        return None
    if op in "+-":
        if money or num:
            return T.MONEY if money and num else None
        return unify(a, b)
    if op == "*":
        if money and num:
            return None
        if money or num:
            return T.MONEY
        return unify(a, b)
    # division
    if money and num:
        return T.RATE
    if money:
        return T.MONEY
    if num:
        return None
    return T.RATE
