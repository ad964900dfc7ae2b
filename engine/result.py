"""A case evaluated item by item into the result of CONTRACT.md: payable, amount, payers, basis, missing, trace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dsl import types as T
from engine import ir
from engine.citations import Citation
from engine.evaluate import Evaluation, Evaluator, TraceNode
from engine.printer import show
from engine.trace_terms import cited_articles, term_tree
from engine.values import UNKNOWN, V, to_json

TRACE_SCHEMA = "lawtrace.trace/1"


@dataclass(frozen=True)
class Part:
    name: str
    amount: V
    payer: V
    basis: tuple[Citation, ...]


@dataclass(frozen=True)
class ItemResult:
    benefit: ir.Benefit
    payable: V
    amount: V
    payer: V
    advance_payer: V
    recover_from: V
    parts: tuple[Part, ...]
    basis: tuple[Citation, ...]
    missing: tuple[str, ...]
    undetermined: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    program: ir.Program
    date: date | None
    items: tuple[ItemResult, ...]
    evaluation: Evaluation

    def item(self, item_id: str) -> ItemResult:
        return next(i for i in self.items if i.benefit.id == item_id)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        return tuple(sorted({m for i in self.items for m in i.missing}))


NONE_PARTY = V(None)


def evaluate(evaluator: Evaluator, facts: dict[str, object], on: date | None) -> Result:
    ev = evaluator.evaluate(facts, on)
    items = tuple(_item(ev, b) for b in evaluator.program.benefits)
    return Result(evaluator.program, on, items, ev)


def _party(v: V) -> V:
    return NONE_PARTY if v.value == "none" else v


def _item(ev: Evaluation, b: ir.Benefit) -> ItemResult:
    f = b.fields
    payable = ev.get(f["payable"]) if "payable" in f else V(True)
    if payable.value is False:
        return ItemResult(b, payable, NONE_PARTY, NONE_PARTY, NONE_PARTY, NONE_PARTY, (),
                          _basis(ev, [f["payable"]] if "payable" in f else []), (), ())
    amount = ev.get(f["amount"])
    payer = _party(ev.get(f["payer"]))
    advance = _party(ev.get(f["advance_payer"])) if "advance_payer" in f else NONE_PARTY
    recover = _party(ev.get(f["recover_from"])) if "recover_from" in f else NONE_PARTY
    parts: list[Part] = []
    for p in b.parts:
        parts.append(Part(p.name, ev.get(p.amount), _party(ev.get(p.payer)), _basis(ev, [p.amount, p.payer])))
    fields = {"payable": payable, "amount": amount, "payer": payer, "advance_payer": advance, "recover_from": recover}
    undetermined = tuple(name for name, v in fields.items() if not v.known)
    missing = sorted(set().union(*(v.missing for v in fields.values() if not v.known)))
    basis = _basis(ev, [f[k] for k in ("payable", "amount", "payer", "advance_payer", "recover_from") if k in f]
                   + [x for p in b.parts for x in (p.amount, p.payer)])
    return ItemResult(b, payable, amount, payer, advance, recover, tuple(parts), basis, tuple(missing), undetermined)


def _basis(ev: Evaluation, roots: list[str]) -> tuple[Citation, ...]:
    """The citations of every rule the answer passed through, inputs before the rules that read them."""
    seen: set[str] = set()
    out: list[Citation] = []

    def visit(node_id: str) -> None:
        if node_id in seen:
            return
        seen.add(node_id)
        t = ev.trace.get(node_id)
        if t is None:
            return
        for i in t.inputs:
            visit(i)
        if t.kind == "fact" and not t.assumed:
            return
        for c in t.citations:
            if c not in out:
                out.append(c)

    for r in roots:
        visit(r)
    return tuple(out)


# ---------------------------------------------------------------- JSON


def result_json(result: Result, include_trace: bool = True) -> dict[str, object]:
    ev = result.evaluation
    out: dict[str, object] = {
        "regime": result.program.regime,
        "regime_label": {"zh": result.program.labels.zh, "en": result.program.labels.en},
        "instruments": {
            i.code: {"zh": i.title_zh, "en": i.title_en, "latest": i.latest}
            for i in result.program.instruments
        },
        "date": result.date.isoformat() if result.date else None,
        "items": [item_json(i) for i in result.items],
        "missing_facts": list(result.missing_facts),
        "assumed": [
            {"fact": a.fact, "value": to_json(a.value, result.program.nodes[a.fact].type),
             "basis": [c.as_json() for c in a.basis], "kind": a.kind, "reason": a.reason}
            for a in ev.assumed.values()
        ],
        "diagnostics": [d.as_json() for d in list(result.program.warnings) + ev.diagnostics],
    }
    if include_trace:
        out["trace"] = trace_json(result)
    return out


def item_json(i: ItemResult) -> dict[str, object]:
    payable = i.payable.value if i.payable.known else None
    amount = to_json(i.amount.value, T.MONEY) if payable is True else None
    parts = _split(i) if payable is True else []
    payer = _party_json(i.payer)
    if parts and all(p.amount.known and p.payer.known for p in parts):  # CONTRACT: the payer of the largest part
        largest = max(p.amount.value for p in parts)  # type: ignore[type-var]
        tied = [_party_json(p.payer) for p in parts if p.amount.value == largest]
        payer = payer if payer in tied else tied[0]  # on a tie the statute's own payer stands
    out: dict[str, object] = {
        "id": i.benefit.id,
        "label": {"zh": i.benefit.labels.zh, "en": i.benefit.labels.en},
        "payable": payable,
        "amount": amount,
        "period": i.benefit.period,
        "payer": payer,
        "advance_payer": _party_json(i.advance_payer),
        "recover_from": _party_json(i.recover_from),
        "parts": [
            {"name": p.name, "amount": to_json(p.amount.value, T.MONEY), "payer": _party_json(p.payer),
             "basis": [c.as_json() for c in p.basis]}
            for p in parts
        ],
        "basis": [c.as_json() for c in i.basis],
        "undetermined": list(i.undetermined),
        "missing": list(i.missing),
    }
    if payable is None and i.amount.known:
        out["amount_if_payable"] = to_json(i.amount.value, T.MONEY)
    return out


def _split(i: ItemResult) -> list[Part]:
    """The parts of an item that is really split: a part of nothing, or one part that is the whole, is no split."""
    parts = [p for p in i.parts if not (p.amount.known and p.amount.value == 0)]
    if len(parts) == 1 and parts[0].amount.known and parts[0].amount.value == i.amount.value \
            and parts[0].payer.value == i.payer.value:  # a whole part of another payer is still worth showing
        return []
    return parts


def _party_json(v: V) -> object:
    return None if v.value is UNKNOWN else v.value


def trace_json(result: Result) -> dict[str, object]:
    """The reasoning as data; the fields are documented in explain/TRACE_SCHEMA.md."""
    nodes = result.program.nodes
    trace_nodes = list(result.evaluation.trace.values())
    cited = [c for t in trace_nodes for c in t.citations]
    cited += [c for i in result.items for c in i.basis + tuple(x for p in i.parts for x in p.basis)]
    cited += [c for a in result.evaluation.assumed.values() for c in a.basis]
    cited += [c for d in list(result.program.warnings) + result.evaluation.diagnostics for c in getattr(d, "citations", ())]
    return {
        "schema": TRACE_SCHEMA,
        "nodes": [_trace_node(t, nodes.get(t.id.split("@")[0]), nodes) for t in trace_nodes],
        "items": [
            {"id": b.id, "fields": dict(b.fields),
             "parts": [{"name": p.name, "amount": p.amount, "payer": p.payer} for p in b.parts]}
            for b in result.program.benefits
        ],
        "articles": cited_articles(result.program, cited),
    }


def _trace_node(t: TraceNode, node: ir.Node | None, nodes: dict[str, ir.Node]) -> dict[str, object]:
    typ = node.type if node is not None else T.INT
    out: dict[str, object] = {
        "id": t.id,
        "kind": t.kind,
        "type": str(typ),
        "value": to_json(t.value.value, typ),
        "known": t.value.known,
        "missing": sorted(t.value.missing),
        "citations": [c.as_json() for c in t.citations],
        "inputs": list(t.inputs),
    }
    if t.rule_from is not None:
        out["from"] = t.rule_from.isoformat()
    if t.rule_span is not None:
        out["rule"] = t.rule_span
    if t.source is not None:
        out["source"] = t.source
    if t.lookups:
        out["lookups"] = [{"table": name, "key": to_json(k, _table(nodes, name).key),
                           "value": to_json(v, _table(nodes, name).value)} for name, k, v in t.lookups]
    if t.assumed:
        out["assumed"] = True
    if t.given:
        out["given"] = True
    if node is not None:
        out["label"] = {"zh": node.labels.zh, "en": node.labels.en}
    if t.expr is not None:
        out["formula"] = show(t.expr)
        terms = term_tree(t.expr, t.terms, t.value)
        if terms is not None:
            out["terms"] = terms
    if t.note is not None:
        out["note"] = t.note
    return out


def _table(nodes: dict[str, ir.Node], name: str) -> T.TableType:
    t = nodes[name].type if name in nodes else None
    return t if isinstance(t, T.TableType) else T.TableType(T.INT, T.RATE)
