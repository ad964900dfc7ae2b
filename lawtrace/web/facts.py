"""The facts a regime declares, as data a form (or another system's intake form) is built from.

Everything here is read from the program's fact declarations: the name, the
labels in Chinese and English, the type with its range or members, the
articles it comes from, a note, and whether a presumption stands in for it.
Nothing names a fact of the law.
"""

from __future__ import annotations

from dsl import types as T
from engine.model import ir


def type_json(t: T.Type) -> dict[str, object]:
    """A declared type as `{kind, ...}`: bool, int (min, max), money, rate, date, enum (members), list (fields)."""
    if isinstance(t, T.BoolType):
        return {"kind": "bool"}
    if isinstance(t, T.IntType):
        out: dict[str, object] = {"kind": "int"}
        if t.low is not None:
            out["min"] = t.low
            out["max"] = t.high
        return out
    if isinstance(t, T.MoneyType):
        return {"kind": "money"}
    if isinstance(t, T.RateType):
        return {"kind": "rate"}
    if isinstance(t, T.DateType):
        return {"kind": "date"}
    if isinstance(t, T.EnumType):
        return {"kind": "enum", "members": list(t.values)}
    if isinstance(t, T.ListType):
        return {"kind": "list", "fields": [
            {"name": f.name, "label": {"zh": f.label_zh or f.name, "en": f.label_en or f.name}, "type": type_json(f.type)}
            for f in t.fields
        ]}
    return {"kind": str(t)}


def fact_json(node: ir.FactNode) -> dict[str, object]:
    out: dict[str, object] = {
        "name": node.id,
        "label": {"zh": node.labels.zh, "en": node.labels.en},
        "type": type_json(node.type),
        "declared": str(node.type),
        "basis": [c.as_json() for c in node.cites],
        "instrument": node.instrument,
    }
    if node.note:
        out["note"] = node.note
    if node.delegated_to:
        out["delegated_to"] = node.delegated_to
    if node.presumption is not None:
        out["presumed"] = {"kind": node.presumption.kind, "reason": node.presumption.reason,
                           "basis": [c.as_json() for c in node.presumption.cites]}
    return out


def declared_facts(program: ir.Program) -> list[dict[str, object]]:
    """Every fact of the regime, in the order the statutes declare them."""
    return [fact_json(f) for f in program.facts()]
