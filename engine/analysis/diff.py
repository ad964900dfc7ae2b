"""Diff two compiled regimes: rule by rule (structural), and outcome by outcome on cases (with the rules that cause each change).

A rule's content is what it decides: a fact's type, a parameter's value(s), a
formula as printed, a presumption, and the articles it cites. Labels, spans and
order are not content, so a rename of a label or a rule moved within a file is
no change. `regime@date` compares the versions in force on that date only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import networkx as nx

from dsl import types as T
from engine.model import ir
from engine.model.citations import Citation
from engine.model.printer import show, show_value
from engine.run.result import ItemResult, Result
from engine.model.values import UNKNOWN, V, to_json


@dataclass(frozen=True)
class RuleChange:
    kind: str  # "added" | "removed" | "changed"
    id: str
    items: tuple[str, ...]  # the benefit items the rule bears on
    old: str | None
    new: str | None
    citations_old: tuple[Citation, ...]
    citations_new: tuple[Citation, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind, "id": self.id, "items": list(self.items), "old": self.old, "new": self.new,
            "citations": [c.as_json() for c in dict.fromkeys(self.citations_old + self.citations_new)],
            "citations_old": [c.as_json() for c in self.citations_old],
            "citations_new": [c.as_json() for c in self.citations_new],
        }


@dataclass(frozen=True)
class Side:
    """One regime as compared: its program and the date whose law it stands for (None: all versions)."""

    program: ir.Program
    on: date | None

    @property
    def label(self) -> str:
        return self.program.regime + (f"@{self.on.isoformat()}" if self.on else "")


# ---------------------------------------------------------------- structural diff


def rule_content(node: ir.Node, on: date | None) -> tuple[str, tuple[Citation, ...]] | None:
    """The printed content of a node as in force on a date (all versions if None), with its citations."""
    if isinstance(node, ir.FactNode):
        text = f"fact: {node.type}"
        cites = node.cites
        if node.presumption is not None:
            p = node.presumption
            text += f"; presumed {show(p.expr)} ({p.kind})"
            cites = cites + p.cites
        return text, cites
    if isinstance(node, ir.ParamNode):
        versions = _in_force(node.versions, on)
        if not versions:
            return None
        text = "; ".join(f"from {v.start.isoformat()}: {show_value(v.value, node.type)}" for v in versions)
        return text, tuple(c for v in versions for c in v.cites)
    if isinstance(node, ir.ValueNode):
        versions = _in_force(node.versions, on)
        if not versions:
            return None
        parts = []
        for v in versions:
            prefix = f"from {v.start.isoformat()}: " if v.start is not None and on is None else ""
            parts.append(prefix + show(v.expr))
        return "; ".join(parts), tuple(c for v in versions for c in v.cites)
    return None  # pragma: no cover


def _in_force(versions, on: date | None):
    if on is None:
        return list(versions)
    for v in versions:  # newest first
        if v.start is None or v.start <= on:
            return [v]
    return []


def _items_of(program: ir.Program, node_id: str) -> tuple[str, ...]:
    g: nx.DiGraph = program.graph  # type: ignore[assignment]
    if node_id not in g:
        return ()
    benefits = {b.id for b in program.benefits}
    if node_id.split(".")[0] in benefits:
        return (node_id.split(".")[0],)
    return tuple(sorted(n for n in nx.descendants(g, node_id) if n in benefits))


def diff_rules(a: Side, b: Side) -> list[RuleChange]:
    changes: list[RuleChange] = []
    for node_id in sorted(set(a.program.nodes) | set(b.program.nodes)):
        if KEPT in node_id:
            continue  # a replaced or refused rule kept under `X~CODE`: its change shows on X itself
        old = rule_content(a.program.nodes[node_id], a.on) if node_id in a.program.nodes else None
        new = rule_content(b.program.nodes[node_id], b.on) if node_id in b.program.nodes else None
        if old is None and new is None:
            continue
        items = tuple(sorted(set(_items_of(a.program, node_id)) | set(_items_of(b.program, node_id))))
        if old is None:
            assert new is not None
            changes.append(RuleChange("added", node_id, items, None, new[0], (), _unique(new[1])))
        elif new is None:
            changes.append(RuleChange("removed", node_id, items, old[0], None, _unique(old[1]), ()))
        elif old[0] != new[0] or set(old[1]) != set(new[1]):
            changes.append(RuleChange("changed", node_id, items, old[0], new[0], _unique(old[1]), _unique(new[1])))
    return changes


def _unique(cites: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys(cites))


# ---------------------------------------------------------------- outcome diff

KEPT = "~"  # engine.build.layering keeps a replaced or refused rule X of instrument CODE as `X~CODE`

OUTCOME_FIELDS = ("payable", "amount", "payer", "advance_payer", "recover_from")


@dataclass(frozen=True)
class Because:
    id: str
    old: object
    new: object
    citations_old: tuple[Citation, ...]
    citations_new: tuple[Citation, ...]

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "old": self.old, "new": self.new,
                "citations": [c.as_json() for c in dict.fromkeys(self.citations_new + self.citations_old)],
                "citations_old": [c.as_json() for c in self.citations_old],
                "citations_new": [c.as_json() for c in self.citations_new]}


@dataclass(frozen=True)
class OutcomeChange:
    case: str
    item: str
    old: dict[str, object]
    new: dict[str, object]
    because: tuple[Because, ...]

    def as_json(self) -> dict[str, object]:
        return {"case": self.case, "item": self.item, "old": self.old, "new": self.new,
                "because": [b.as_json() for b in self.because]}


def outcome(i: ItemResult) -> dict[str, object]:
    payable = i.payable.value if i.payable.known else None
    return {
        "payable": payable,
        "amount": to_json(i.amount.value, T.MONEY) if payable is True else None,
        "payer": _party(i.payer),
        "advance_payer": _party(i.advance_payer),
        "recover_from": _party(i.recover_from),
        "period": i.benefit.period,
    }


def _party(v: V) -> object:
    return None if v.value is UNKNOWN else v.value


def diff_outcomes(case_id: str, old: Result, new: Result) -> list[OutcomeChange]:
    out = []
    old_items = {i.benefit.id: i for i in old.items}
    new_items = {i.benefit.id: i for i in new.items}
    for item_id in list(old_items) + [k for k in new_items if k not in old_items]:
        o = outcome(old_items[item_id]) if item_id in old_items else None
        n = outcome(new_items[item_id]) if item_id in new_items else None
        absent = {f: (False if f == "payable" else None) for f in OUTCOME_FIELDS}  # an item a regime lacks is not payable
        if all((o or absent)[f] == (n or absent)[f] for f in OUTCOME_FIELDS):
            continue
        because = _because(old, new, old_items.get(item_id), new_items.get(item_id))
        out.append(OutcomeChange(case_id, item_id, o or {}, n or {}, because))
    return out


def _path(result: Result, item: ItemResult | None) -> list[str]:
    """Every node the item's answer passed through, inputs first."""
    if item is None:
        return []
    trace = result.evaluation.trace
    roots = list(item.benefit.fields.values()) + [x for p in item.benefit.parts for x in (p.amount, p.payer)]
    seen: dict[str, None] = {}

    def visit(node_id: str) -> None:
        if node_id in seen or node_id not in trace:
            return
        seen[node_id] = None
        for i in trace[node_id].inputs:
            visit(i)

    for r in roots:
        visit(r)
    order = list(trace)
    return sorted(seen, key=order.index)


def _because(old: Result, new: Result, oi: ItemResult | None, ni: ItemResult | None) -> tuple[Because, ...]:
    """The rules on either path whose value differs between the two regimes.

    A fact given in the case is no cause (it is the same fact on both sides); a fact the statutes presume on one
    side is. A value unknown on both sides decides nothing.
    """
    ta, tb = old.evaluation.trace, new.evaluation.trace
    nodes_a, nodes_b = old.program.nodes, new.program.nodes
    out: list[Because] = []
    path_a, path_b = _path(old, oi), _path(new, ni)
    looked_up_a, looked_up_b = _lookups(old, path_a), _lookups(new, path_b)
    for node_id in dict.fromkeys(path_a + path_b):
        if KEPT in node_id:
            continue
        a, b = ta.get(node_id), tb.get(node_id)
        base = node_id.split("@")[0]  # `param@date`: a parameter read as of another date
        va = _json(a.value, nodes_a.get(base), looked_up_a.get(base)) if a else None
        vb = _json(b.value, nodes_b.get(base), looked_up_b.get(base)) if b else None
        if va == vb:
            continue
        if all(t is None or t.kind == "fact" and not t.assumed for t in (a, b)):
            continue
        out.append(Because(node_id, va, vb, a.citations if a else (), b.citations if b else ()))
    return tuple(out)


def _lookups(result: Result, path: list[str]) -> dict[str, set[object]]:
    """For each table on the path, the keys the answer looked up."""
    out: dict[str, set[object]] = {}
    for node_id in path:
        for table, key, _ in result.evaluation.trace[node_id].lookups:
            out.setdefault(table, set()).add(key)
    return out


def _json(v: V, node: ir.Node | None, keys: set[object] | None = None) -> object:
    """A node's value as JSON; of a table, only the entries the answer looked up."""
    t = node.type if node is not None else T.INT
    value = v.value
    if keys is not None and isinstance(value, dict):
        value = {k: x for k, x in value.items() if k in keys}
    return to_json(value, t)


# ---------------------------------------------------------------- summary


def summarize(changes: list[OutcomeChange], results: list[tuple[str, Result, Result]]) -> dict[str, object]:
    """Who gains and who loses, who pays, and totals by payer under each regime."""
    gain: set[str] = set()
    lose: set[str] = set()
    payer_changed: set[str] = set()
    for c in changes:
        old_amount = _amount(c.old)
        new_amount = _amount(c.new)
        if new_amount > old_amount:
            gain.add(c.case)
        elif new_amount < old_amount:
            lose.add(c.case)
        if c.old.get("payer") != c.new.get("payer") or c.old.get("advance_payer") != c.new.get("advance_payer"):
            payer_changed.add(c.case)
    return {
        "cases": len(results),
        "gain": len(gain - lose),
        "lose": len(lose - gain),
        "mixed": len(gain & lose),
        "payer_changed": len(payer_changed),
        "totals": {"old": _totals(r[1] for r in results), "new": _totals(r[2] for r in results)},
    }


def _amount(o: dict[str, object]) -> Decimal:
    a = o.get("amount")
    return Decimal(str(a)) if o.get("payable") is True and a is not None else Decimal(0)


def _totals(results: Iterable[Result]) -> dict[str, dict[str, str]]:
    """Known payable amounts by period and final payer (undetermined items are left out)."""
    sums: dict[str, dict[str, Decimal]] = {}
    for r in results:
        for i in r.items:
            o = outcome(i)
            if o["payable"] is not True or o["amount"] is None:
                continue
            by_payer = sums.setdefault(str(o["period"]), {})
            payer = str(o["payer"])
            by_payer[payer] = by_payer.get(payer, Decimal(0)) + Decimal(str(o["amount"]))
    return {period: {p: f"{v:.2f}" for p, v in sorted(payers.items())} for period, payers in sorted(sums.items())}
