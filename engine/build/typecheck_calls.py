"""Calls of the built-in functions, each with its own signature."""

from __future__ import annotations

from dsl import ast
from dsl import types as T
from dsl.errors import did_you_mean
from engine.build.typecheck_base import CheckerBase
from engine.build.typecheck_rules import (
    FUNCTIONS,
    describe,
    is_context_dependent,
    unify,
)
from engine.model import ir


class Calls(CheckerBase):
    def _call(self, e: ast.Call, expected, scope) -> ir.Expr:
        f, args = e.func, e.args
        if f not in FUNCTIONS:
            raise self._fail(e, f"unknown function '{f}'", did_you_mean(f, FUNCTIONS))
        if f == "as_of":
            if len(args) != 2 or not isinstance(args[0], ast.Name) or args[0].name not in self.param_ids:
                raise self._fail(e, "as_of(parameter, date) takes the name of a parameter and a date")
            when = self._expr(args[1], T.DATE, scope)
            if not isinstance(when.type, T.DateType):
                raise self._fail(args[1], f"as_of needs a date, not {describe(when.type)}")
            self.references.append((args[0].name, args[0].span))
            return ir.AsOf(self.node_types[args[0].name], e.span, args[0].name, when)
        arity = {"min": None, "max": None, "clamp": 3, "abs": 1, "year": 1, "days_between": 2, "round_yuan": 1,
                 "years_between": 2, "months_between": 2, "add_years": 2, "add_months": 2, "add_days": 2, "add_working_days": 2,
                 "is_working_day": 1, "first_working_day": 1, "first_day_of_year": 1}[f]
        if arity is None and len(args) < 2 or arity is not None and len(args) != arity:
            want = "at least 2" if arity is None else str(arity)
            raise self._fail(e, f"{f}() takes {want} argument{'s' if want != '1' else ''}, not {len(args)}")
        if f in ("add_years", "add_months", "add_days", "add_working_days"):  # (date, whole number) → date
            unit = {"add_years": "years", "add_months": "months", "add_days": "days", "add_working_days": "working days"}[f]
            when, count = self._expr(args[0], T.DATE, scope), self._expr(args[1], T.INT, scope)
            if not isinstance(when.type, T.DateType) or not isinstance(count.type, T.IntType):
                raise self._fail(e, f"{f}(date, {unit}) takes a date and a whole number of {unit}")
            return ir.Call(T.DATE, e.span, f, (when, count))
        if f == "first_day_of_year":  # (whole number) → 1 January of that year
            n = self._expr(args[0], T.INT, scope)
            if not isinstance(n.type, T.IntType):
                raise self._fail(args[0], f"first_day_of_year() needs a whole number (a year), not {describe(n.type)}")
            return ir.Call(T.DATE, e.span, f, (n,))
        if f in ("is_working_day", "first_working_day"):  # working days: the official calendar in statutes/calendar
            when = self._expr(args[0], T.DATE, scope)
            if not isinstance(when.type, T.DateType):
                raise self._fail(args[0], f"{f}() needs a date, not {describe(when.type)}")
            return ir.Call(T.BOOL if f == "is_working_day" else T.DATE, e.span, f, (when,))
        if f in ("year", "days_between", "years_between", "months_between"):
            typed = [self._expr(a, T.DATE, scope) for a in args]
            for a, t in zip(args, typed):
                if not isinstance(t.type, T.DateType):
                    raise self._fail(a, f"{f}() needs a date, not {describe(t.type)}")
            return ir.Call(T.INT, e.span, f, tuple(typed))
        typed = [self._expr(a, expected, scope) for a in args]
        anchor = next((t.type for a, t in zip(args, typed) if not is_context_dependent(a)), typed[0].type)
        typed = [self._expr(a, anchor, scope) if is_context_dependent(a) else t for a, t in zip(args, typed)]
        result: T.Type | None = typed[0].type
        for a, t in zip(args, typed):
            if not T.is_numeric(t.type):
                raise self._fail(a, f"{f}() works on numbers, not {describe(t.type)}")
            result = unify(result, t.type) if result is not None else None
            if result is None:
                raise self._fail(e, f"the arguments of {f}() must have one type; found {describe(t.type)}")
        return ir.Call(result, e.span, f, tuple(typed))
