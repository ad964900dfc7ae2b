"""Parameters: dated values and tables, each value checked against its declared type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dsl import ast
from dsl import types as T
from dsl.source import Span
from engine.build.compile_state import CompileState
from engine.model import ir
from engine.model.citations import Citation


class Parameters(CompileState):
    def _parameter(self, d: ast.Parameter, inst: ast.Instrument, version: str, labels: ir.Labels,
                   cites: tuple[Citation, ...]) -> ir.ParamNode:
        versions = []
        starts: set[date] = set()
        for v in d.versions:
            if v.start in starts:
                self._err(f"two versions of {d.name} start on {v.start}", v.span)
            starts.add(v.start)
            value = self._param_value(d, v)
            versions.append(ir.ParamVersion(v.start, value, self._cites(v.cites, inst, version, cites), v.source, v.span))
        order = sorted(range(len(versions)), key=lambda i: versions[i].start, reverse=True)
        for new_index, old_index in enumerate(order):
            own = d.versions[old_index].cites or d.cites
            self._pend_cite_conditions(
                d.name, own, lambda conds, i=new_index: self._update_version(d.name, i, cite_when=conds))
        return ir.ParamNode(d.name, "parameter", d.type, labels, cites, d.note, d.span, inst.code,
                            versions=tuple(versions[i] for i in order))

    def _param_value(self, d: ast.Parameter, v: ast.ParamVersion) -> object:
        if v.value == ast.NOT_SHIPPED:
            return ir.NOT_SHIPPED
        if isinstance(d.type, T.TableType):
            if not isinstance(v.value, tuple):
                self._err(f"{d.name} is a table: write its entries as {{key: value, ...}}", v.span)
                return {}
            table: dict[object, object] = {}
            for key, val in v.value:
                k = self._literal(d.type.key, key, v.span, d.name)
                if k in table:
                    self._err(f"{d.name} has key {key} twice in the version from {v.start}", v.span)
                table[k] = self._literal(d.type.value, val, v.span, d.name)
            return table
        if isinstance(v.value, tuple):
            self._err(f"{d.name} is declared {d.type}, not a table", v.span)
            return None
        return self._literal(d.type, v.value, v.span, d.name)

    def _literal(self, t: T.Type, value: object, span: Span, name: str) -> object:
        ok = (
            (isinstance(t, (T.IntType,)) and isinstance(value, Decimal) and value == value.to_integral_value())
            or (isinstance(t, (T.RateType, T.MoneyType)) and isinstance(value, Decimal))
            or (isinstance(t, T.BoolType) and isinstance(value, bool))
            or (isinstance(t, T.DateType) and isinstance(value, date))
        )
        if not ok:
            self._err(f"{name}: the value {value} is not {t}", span)
            return value
        if isinstance(t, T.IntType) and t.low is not None and not (t.low <= value <= t.high):  # type: ignore[operator]
            self._err(f"{name}: {value} is outside {t.low}..{t.high}", span)
        return value
