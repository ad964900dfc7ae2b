"""The typing rules every checker room shares: which types unify, compare, combine; the built-in names."""

from __future__ import annotations

from decimal import Decimal

from dsl import ast
from dsl import types as T
from engine.model import ir

FUNCTIONS = ("min", "max", "clamp", "abs", "year", "days_between", "as_of", "round_yuan", "years_between", "months_between",
             "add_years", "add_months", "add_days", "add_working_days", "is_working_day", "first_working_day",
             "first_day_of_year")
# Names with a value in every case: the case's date, and the date the answer is given for (the case's `as_of`).
# `period_day`: the day a stream is judged on (the first day of a period); unknown when the case is judged as a whole.
BUILTIN_NAMES = ("case_date", "evaluation_date", "period_day")


class Fail(Exception):
    pass


def is_context_dependent(e: ast.Expr) -> bool:
    return isinstance(e, (ast.Number, ast.Undetermined)) or (isinstance(e, ast.Name) and e.name in T.PARTIES)


def describe(t: T.Type) -> str:
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
