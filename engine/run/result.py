"""A case evaluated item by item into the result of CONTRACT.md: payable, amount, payers, basis, missing, trace.

A case lists the items of its kind (`worker`, the default, or `employer`) and the deadlines that run in it;
an item the law gives only as a range has `amount: null` and `amount_range` with who sets the figure.
"""

from __future__ import annotations

from datetime import date

import msgspec
from msgspec.structs import replace

from dsl import types as T
from dsl.source import Span
from dsl.texts import zh_of
from engine.model import ir
from engine.model.citations import Citation
from engine.run.evaluate import Evaluation, Evaluator, TraceNode
from engine.run.periods import Period, streams
from engine.run.trace_terms import cited_articles, term_tree
from engine.model.values import UNKNOWN, V, to_json

TRACE_SCHEMA = "lawtrace.trace/1"


class Part(msgspec.Struct, frozen=True):
    name: str
    amount: V
    payer: V
    basis: tuple[Citation, ...]


class ItemResult(msgspec.Struct, frozen=True):
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
    amount_min: V | None = None  # a range item: the lowest and highest figure the law allows
    amount_max: V | None = None
    periods: tuple[Period, ...] | None = None  # a monthly item: when it is owed, at what monthly amount
    arises: V | None = None  # the day the item falls due (a once item) or may start (a stream), where declared
    whole: ItemResult | None = None  # a monthly item judged as a whole (no period_day): what `simulate` computes


class DeadlineResult(msgspec.Struct, frozen=True):
    deadline: ir.Deadline
    values: dict[str, V]  # field name → value (applies, due, latest, done, outstanding, party, passed, missed)
    basis: tuple[Citation, ...]
    consequence_basis: tuple[Citation, ...]
    missing: tuple[str, ...]
    undetermined: tuple[str, ...]
    assumed: tuple[str, ...] = ()  # the presumptions this deadline rests on (facts)
    diagnostics: tuple[object, ...] = ()  # warnings that arose in deciding it


class Result(msgspec.Struct, frozen=True):
    program: ir.Program
    date: date | None
    items: tuple[ItemResult, ...]
    evaluation: Evaluation
    kind: str = "worker"
    deadlines: tuple[DeadlineResult, ...] = ()
    item_assumed: tuple[str, ...] | None = None  # the presumptions the items rest on (None: all of them)
    item_diagnostics: int | None = None  # how many of the evaluation's diagnostics arose for the items

    def item(self, item_id: str) -> ItemResult:
        return next(i for i in self.items if i.benefit.id == item_id)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        return tuple(sorted({m for i in self.items for m in i.missing}))


NONE_PARTY = V(None)


def evaluate(evaluator: Evaluator, facts: dict[str, object], on: date | None, kind: str = "worker",
             as_of: date | None = None) -> Result:
    """The items (and deadlines) of a case of `kind`, on the case date `on`, as of the evaluation date `as_of`."""
    ev = evaluator.evaluate(facts, on) if as_of is None else evaluator.evaluate(facts, on, as_of)
    program = evaluator.program
    benefits = program.benefits_of(kind)
    items = tuple(_item(ev, b) for b in benefits)
    if kind == "worker" and program.events:
        items = _as_streams(evaluator, facts, on, as_of, ev, benefits, items)
    item_assumed, item_diagnostics = tuple(ev.assumed), len(ev.diagnostics)
    deadlines = tuple(_deadline(ev, d) for d in program.deadlines_of(kind))  # their presumptions stay with them
    return Result(program, on, items, ev, kind, deadlines, item_assumed, item_diagnostics)


def _as_streams(evaluator: Evaluator, facts: dict[str, object], on: date | None, as_of: date | None,
                ev: Evaluation, benefits: tuple[ir.Benefit, ...], items: tuple[ItemResult, ...]) -> tuple[ItemResult, ...]:
    """Monthly items judged period by period (CONTRACT "Benefits over time"): payable and amount are those of the
    first period in which the item is owed; the presumptions and warnings of every period join the case's."""
    found = streams(evaluator, facts, on, as_of, ev, benefits, _item)
    for seg in found.evaluations:
        for fact, a in seg.assumed.items():
            ev.assumed.setdefault(fact, a)
        for node_id, node in seg.trace.items():  # facts read only in some period: named by their labels too
            if node.kind == "fact":
                ev.trace.setdefault(node_id, node)
        ev.diagnostics.extend(d for d in seg.diagnostics if d not in ev.diagnostics)
    out = []
    for i in items:
        whole_item = i
        arises = ev.get(i.benefit.fields["arises"]) if "arises" in i.benefit.fields else None
        periods = found.periods.get(i.benefit.id)
        if periods:
            first = next((p for p in periods if p.payable), periods[0])
            base: ItemResult = first.item  # type: ignore[assignment]
            if first.payable:  # owed in this period (a bound the case does not give is the period's to say)
                undetermined = tuple(u for u in base.undetermined if u != "payable")
                missing = tuple(sorted(set().union(*(getattr(base, u).missing for u in undetermined))))
                i = replace(base, payable=V(True), undetermined=undetermined, missing=missing)
            else:
                i = base
        whole = whole_item if i.benefit.period == "monthly" else None
        out.append(replace(i, periods=periods if i.benefit.period == "monthly" else None, arises=arises, whole=whole))
    return tuple(out)


def _party(v: V) -> V:
    return NONE_PARTY if v.value == "none" else v


def _item(ev: Evaluation, b: ir.Benefit) -> ItemResult:
    f = b.fields
    payable = ev.get(f["payable"]) if "payable" in f else V(True)
    if payable.value is False:
        return ItemResult(b, payable, NONE_PARTY, NONE_PARTY, NONE_PARTY, NONE_PARTY, (),
                          _basis(ev, [f["payable"]] if "payable" in f else []), (), ())
    if b.is_range:
        return _range_item(ev, b, payable)
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


def _range_item(ev: Evaluation, b: ir.Benefit, payable: V) -> ItemResult:
    """An item the law gives only as a range: no amount (the authority named by `set_by` fixes it), its bounds."""
    f = b.fields
    low, high = ev.get(f["amount_min"]), ev.get(f["amount_max"])
    payer = _party(ev.get(f["payer"]))
    advance = _party(ev.get(f["advance_payer"])) if "advance_payer" in f else NONE_PARTY
    recover = _party(ev.get(f["recover_from"])) if "recover_from" in f else NONE_PARTY
    fields = {"payable": payable, "amount_min": low, "amount_max": high, "payer": payer, "advance_payer": advance,
              "recover_from": recover}
    undetermined = tuple(name for name, v in fields.items() if not v.known)
    missing = sorted(set().union(*(v.missing for v in fields.values() if not v.known)))
    basis = _basis(ev, [f[k] for k in ("payable", "amount_min", "amount_max", "payer", "advance_payer", "recover_from")
                        if k in f])
    basis += tuple(c for c in b.set_by_cites if c not in basis)
    return ItemResult(b, payable, V(UNKNOWN), payer, advance, recover, (), basis, tuple(missing), undetermined,
                      low, high)


def _deadline(ev: Evaluation, d: ir.Deadline) -> DeadlineResult:
    before = len(ev.diagnostics)
    applies = ev.get(d.fields["applies"]) if "applies" in d.fields else V(True)
    if applies.value is False:  # a limit that does not run in the case: nothing else about it is asked
        basis = tuple(dict.fromkeys(tuple(d.cites) + _basis(ev, [d.fields["applies"]])))
        return DeadlineResult(d, {"applies": applies}, basis, (), (), (),
                              _assumed_below(ev, [d.fields["applies"]]), tuple(ev.diagnostics[before:]))
    values = {name: ev.get(node) for name, node in d.fields.items()}
    if "party" in values:
        values["party"] = _party(values["party"])
    # `done` is an input: unknown when the act is not done, which `missed` already weighs
    shown = [n for n in ("applies", "due", "latest", "party", "passed", "missed") if n in values]
    undetermined = tuple(n for n in shown if not values[n].known)
    missing = sorted(set().union(*(values[n].missing for n in undetermined)))
    basis = _basis(ev, [d.fields[n] for n in ("applies", "due", "latest", "done", "outstanding", "party") if n in d.fields])
    basis = tuple(dict.fromkeys(tuple(d.cites) + basis))
    return DeadlineResult(d, values, basis, d.consequence_cites, tuple(missing), undetermined,
                          _assumed_below(ev, list(d.fields.values())), tuple(ev.diagnostics[before:]))


def _assumed_below(ev: Evaluation, roots: list[str]) -> tuple[str, ...]:
    """The presumed facts among the nodes the roots read, in the order met."""
    seen: set[str] = set()
    out: list[str] = []
    stack = list(reversed(roots))
    while stack:
        node_id = stack.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        t = ev.trace.get(node_id)
        if t is None:
            continue
        if t.assumed and node_id in ev.assumed:
            out.append(node_id)
        stack.extend(reversed(t.inputs))
    return tuple(out)


def _basis(ev: Evaluation, roots: list[str]) -> tuple[Citation, ...]:
    """The citations of every rule the answer passed through, inputs before the rules that read them."""
    if len(roots) == 1:
        return tuple(_cited_below(ev, roots[0]))
    out: dict[Citation, None] = {}
    for r in roots:
        out.update(_cited_below(ev, r))
    return tuple(out)


def _cited_below(ev: Evaluation, node_id: str) -> dict[Citation, None]:
    """The citations of a node's rule and of every rule below it, inputs first, each once (first place kept).

    Only what the answer rests on (E2): an input read only to choose a citation is not followed, and an event taken
    as not having happened is no ground (`assumed` lists it with its article).
    Kept per evaluation: the items and deadlines of a case share most of their rules (and merging kept dicts
    hashes no citation again). A node's trace is complete once it is evaluated, so what is kept never goes stale;
    a node not (yet) traced is not kept. The caller must not change what it gets."""
    memo = ev.cited_below
    got = memo.get(node_id)
    if got is not None:
        return got
    t = ev.trace.get(node_id)
    if t is None:
        return {}
    if t.kind == "fact" and t.assumed and _later_event(ev, node_id):
        got = {}
    else:
        inputs = [i for i in t.inputs if i not in t.cite_inputs] if t.cite_inputs else t.inputs
        own = t.kind != "fact" or t.assumed
        if len(inputs) == 1 and not (own and t.citations):
            got = _cited_below(ev, inputs[0])
        else:
            got = {}
            for i in inputs:
                got.update(_cited_below(ev, i))
            if own:
                for c in t.citations:
                    got.setdefault(c)
    memo[node_id] = got
    return got


def _later_event(ev: Evaluation, fact: str) -> bool:
    a = ev.assumed.get(fact)
    return a is not None and a.kind == "later_events"


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
        "kind": result.kind,
        "as_of": ev.evaluated_on.isoformat() if ev.evaluated_on else None,
        "items": [item_json(i) for i in result.items],
        "deadlines": [deadline_json(d, ev.evaluated_on) | {
            "assumed": [assumption_json(result, ev.assumed[f]) for f in d.assumed],
            "diagnostics": [x.as_json() for x in d.diagnostics]} for d in result.deadlines],  # type: ignore[attr-defined]
        "missing_facts": list(result.missing_facts),
        "assumed": [assumption_json(result, ev.assumed[f])
                    for f in (result.item_assumed if result.item_assumed is not None else ev.assumed)],
        "diagnostics": [d.as_json() for d in list(result.program.warnings) + ev.diagnostics[:result.item_diagnostics]],
    }
    if include_trace:
        out["trace"] = trace_json(result)
    return out


def assumption_json(result: Result, a: object) -> dict[str, object]:
    return {"fact": a.fact, "value": to_json(a.value, result.program.nodes[a.fact].type),  # type: ignore[attr-defined]
            "basis": [c.as_json() for c in a.basis], "kind": a.kind, "reason": str(a.reason),  # type: ignore[attr-defined]
            **({"reason_zh": zh_of(a.reason)} if zh_of(a.reason) else {})}  # type: ignore[attr-defined]


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
    if i.arises is not None:
        out["arises"] = i.arises.value.isoformat() if i.arises.known else None  # type: ignore[attr-defined]
    if i.periods is not None:
        out["periods"] = [period_json(p) for p in i.periods]
    if i.benefit.is_range:
        set_by = i.benefit.set_by
        out["amount_range"] = None if payable is False else {
            "min": to_json(i.amount_min.value, T.MONEY) if i.amount_min is not None else None,
            "max": to_json(i.amount_max.value, T.MONEY) if i.amount_max is not None else None,
        }
        out["amount_set_by"] = {"zh": set_by.zh, "en": set_by.en,
                                "basis": [c.as_json() for c in i.benefit.set_by_cites]} if set_by else None
    return out


def period_json(p: Period) -> dict[str, object]:
    """One period of a monthly item (CONTRACT "Benefits over time")."""
    i: ItemResult = p.item  # type: ignore[assignment]

    def edge(e: object) -> object:
        if e is None:
            return None
        labels = e.labels  # type: ignore[attr-defined]
        return {"event": e.event, "label": {"zh": labels.zh, "en": labels.en} if labels else None,  # type: ignore[attr-defined]
                "basis": [c.as_json() for c in e.basis]}  # type: ignore[attr-defined]
    out: dict[str, object] = {
        "from": p.start.isoformat() if p.start else None, "to": p.end.isoformat() if p.end else None,
        "monthly_amount": to_json(i.amount.value, T.MONEY) if i.amount.known else None,
        "payer": _party_json(i.payer), "advance_payer": _party_json(i.advance_payer),
        "recover_from": _party_json(i.recover_from),
        "starts": edge(p.starts), "ends": edge(p.ends),
    }
    if p.payable is None:
        out["payable"] = None
    if p.missing:
        out["missing"] = list(p.missing)
    if i.parts:
        out["parts"] = [{"name": x.name, "amount": to_json(x.amount.value, T.MONEY), "payer": _party_json(x.payer)}
                        for x in _split(i)]
    return out


def deadline_json(d: DeadlineResult, as_of: date | None) -> dict[str, object]:
    """One deadline: its due date, whether it has passed on the evaluation date, whether it was missed, and what follows."""
    v = d.values
    if v.get("applies") is not None and v["applies"].value is False:
        return {"id": d.deadline.id, "label": {"zh": d.deadline.labels.zh, "en": d.deadline.labels.en},
                "party": None, "applies": False, "due": None, "latest": None, "done_on": None,
                "as_of": as_of.isoformat() if as_of else None, "passed": None, "missed": False,
                "status": "not_applicable", "consequence": None, "basis": [x.as_json() for x in d.basis],
                "undetermined": [], "missing": []}

    def date_of(name: str) -> object:
        return to_json(v[name].value, T.DATE) if name in v else None

    def flag(name: str) -> object:
        return v[name].value if name in v and v[name].known else None

    applies, passed, missed = (flag("applies") if "applies" in v else True), flag("passed"), flag("missed")
    if applies is False:
        status = "not_applicable"
    elif missed is True:
        status = "missed"
    elif missed is False and "done" in v and v["done"].known:
        status = "met"
    elif missed is False and passed is False:
        status = "running"
    elif missed is False:
        status = "met"
    else:
        status = "undetermined"
    c = d.deadline.consequence
    return {
        "id": d.deadline.id,
        "label": {"zh": d.deadline.labels.zh, "en": d.deadline.labels.en},
        "party": _party_json(v["party"]) if "party" in v else None,
        "applies": applies,
        "due": date_of("due"),
        "latest": date_of("latest"),
        "done_on": date_of("done"),
        "as_of": as_of.isoformat() if as_of else None,
        "passed": passed,
        "missed": missed,
        "status": status,
        "consequence": None if c is None else {
            "zh": c.zh, "en": c.en, "applies": missed, "basis": [x.as_json() for x in d.consequence_basis]},
        "basis": [x.as_json() for x in d.basis],
        "undetermined": list(d.undetermined),
        "missing": list(d.missing),
    }


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
    cited += [c for d in result.deadlines for c in d.basis + d.consequence_basis]
    cited += [c for i in result.items for c in i.benefit.set_by_cites]
    cited += [c for d in list(result.program.warnings) + result.evaluation.diagnostics for c in getattr(d, "citations", ())]
    trace_nodes += _unvisited_missing(result, {t.id for t in trace_nodes})
    out_nodes = [_trace_node(t, nodes.get(t.id.split("@")[0]), nodes, result.evaluation.evaluator) for t in trace_nodes]
    return {
        "schema": TRACE_SCHEMA,
        "nodes": out_nodes,
        "labels": _unread_labels(trace_nodes, nodes, result.evaluation.evaluator),
        "items": [
            {"id": b.id, "fields": dict(b.fields),
             "parts": [{"name": p.name, "amount": p.amount, "payer": p.payer} for p in b.parts]}
            for b in result.program.benefits_of(result.kind)
        ],
        "deadlines": [{"id": d.deadline.id, "fields": dict(d.deadline.fields)} for d in result.deadlines],
        "articles": cited_articles(result.program, cited),
    }


def _unvisited_missing(result: Result, traced: set[str]) -> list[TraceNode]:
    """The facts an answer misses that the case's own walk never reached (a period's evaluation did), as unknown
    fact nodes, so every fact named in `missing` has its words and citations in the trace."""
    named = {m for i in result.items for m in i.missing}
    named |= {m for i in result.items for p in (i.periods or ()) for m in p.missing}
    named |= {m for d in result.deadlines for m in d.missing}
    facts = result.program.nodes
    return [TraceNode(f, "fact", V(UNKNOWN, frozenset({f})), facts[f].cites, [])
            for f in sorted(named - traced) if isinstance(facts.get(f), ir.FactNode)]


def _type_json(evaluator: Evaluator, typ: T.Type) -> tuple[str, dict[str, dict[str, str]] | None]:
    """A type's text and its members' labels (an enum's), made once per type of the program."""
    got = evaluator.type_json.get(id(typ))
    if got is None or got[0] is not typ:
        members = ({m: {"zh": typ.label(m, "zh"), "en": typ.label(m, "en")} for m in typ.values}
                   if isinstance(typ, T.EnumType) and typ.labels else None)
        got = evaluator.type_json[id(typ)] = (typ, str(typ), members)
    return got[1], got[2]


def _unread_labels(trace_nodes: list[TraceNode], nodes: dict[str, ir.Node],
                   evaluator: Evaluator) -> dict[str, dict[str, object]]:
    """The labels of rules a traced formula names but the case never read, so an explanation can name them in words."""
    read = {t.id for t in trace_nodes}
    named: set[str] = set()
    for t in trace_nodes:
        if t.expr is not None:  # the names its text and its terms' texts write (the formula's alone)
            named |= evaluator.formula(t.expr).names
    fields = evaluator.labelled_fields
    if fields is None:
        fields = evaluator.labelled_fields = {
            f.name: f for n in nodes.values() if isinstance(getattr(n, "type", None), T.ListType)
            for f in n.type.fields if f.label_zh or f.label_en}  # type: ignore[union-attr]
    labels: dict[str, dict[str, object]] = {}
    for name in named:
        node = nodes.get(name)
        if node is not None and name not in read and getattr(node, "labels", None) is not None:
            labels[name] = {"zh": node.labels.zh, "en": node.labels.en}
        elif node is None and "." in name and name.split(".", 1)[1] in fields:  # an entry's field: d.birth_date
            f = fields[name.split(".", 1)[1]]
            labels[name] = {"zh": f.label_zh or f.label_en, "en": f.label_en or f.label_zh}
    return dict(sorted(labels.items()))


def _trace_node(t: TraceNode, node: ir.Node | None, nodes: dict[str, ir.Node], evaluator: Evaluator) -> dict[str, object]:
    typ = node.type if node is not None else T.INT
    type_text, members = _type_json(evaluator, typ)
    value = t.value
    x = value.value
    out: dict[str, object] = {
        "id": t.id,
        "kind": t.kind,
        "type": type_text,
        "value": x if x.__class__ is bool else to_json(x, typ),
        "known": x is not UNKNOWN,
        "missing": sorted(value.missing) if value.missing else [],
        "citations": [c.as_json() for c in t.citations],
        "inputs": list(t.inputs),
        "cite_inputs": list(t.cite_inputs),
    }
    if members is not None:
        out["members"] = {m: dict(labels) for m, labels in members.items()}  # the caller's own, to change at will
    if t.rule_from is not None:
        out["from"] = t.rule_from.isoformat()
    if t.rule_span is not None:
        out["rule"] = _span_text(evaluator, t.rule_span)
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
        formula = evaluator.formula(t.expr)
        out["formula"] = formula.text
        if formula.shape is not None:  # no condition, choice or call in it: its tree would say nothing
            out["terms"] = term_tree(formula.shape, t.terms, value)
    if t.note is not None:
        out["note"] = str(t.note)
        if zh_of(t.note):
            out["note_zh"] = zh_of(t.note)
    return out


def _span_text(evaluator: Evaluator, span: Span) -> str:
    """`file:line:col` of a rule, written once per rule of the program (the span kept, so its id stays its own)."""
    got = evaluator.span_text.get(id(span))
    if got is None or got[0] is not span:
        got = evaluator.span_text[id(span)] = (span, str(span))
    return got[1]


def _table(nodes: dict[str, ir.Node], name: str) -> T.TableType:
    t = nodes[name].type if name in nodes else None
    return t if isinstance(t, T.TableType) else T.TableType(T.INT, T.RATE)
