"""The properties `lawtrace prove` checks, each as an SMT violation and as the same test on evaluated results.

Guarantees: every obligation states its violation twice, over the translation (`violation`) and over the ordinary
evaluator's results (`violated`), so a counterexample is confirmed by the evaluator, not by the translation.
Built-in properties of one regime: `final_payer` (an item payable with a known amount has a payer, or one
undetermined for want of a fact, or because our sources leave open which reading governs and a diagnostic says so),
`non_negative` (no amount or part below zero), `parts_sum` (the parts add up to the item), `names_missing` (an
undetermined item names a fact that would decide it, or the law is silent and a diagnostic says so). Against a baseline B, per item:
`never_less`, `never_more`, `same_payer`, `same_advance_payer`, and `once_total_never_less` over the once items.
A statute's `assert` holds when its value is never false.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

import z3

from engine.model import ir
from engine.prove.encode import Encoder, Untranslatable, _all
from engine.prove.items import ItemSym, encode_item
from engine.run.result import ItemResult, Result, item_json

# name → (zh, en): what the property claims
PROPERTIES: dict[str, tuple[str, str]] = {
    "final_payer": ("可支付且金额确定的项目都有最终支付方", "every item payable with a known amount has a final payer"),
    "non_negative": ("金额与各部分均不为负", "no amount or part is negative"),
    "parts_sum": ("各部分之和等于项目金额", "the parts add up to their item"),
    "names_missing": ("未定的项目均指明决定它的缺失事实（或说明法律未作规定）",
                      "every undetermined item names a missing fact that decides it (or a diagnostic says the law is silent)"),
    "never_less": ("改革后金额从不少于基准", "never less than under the baseline"),
    "never_more": ("改革后金额从不多于基准", "never more than under the baseline"),
    "same_payer": ("最终支付方与基准相同", "the same final payer as under the baseline"),
    "same_advance_payer": ("先行支付方与基准相同", "the same advance payer as under the baseline"),
    "once_total_never_less": ("一次性项目合计从不少于基准", "the total of once items never less than under the baseline"),
    "assertion": ("法规文件中的断言", "an assertion of the statutes"),
}
SINGLE = ("final_payer", "non_negative", "parts_sum", "names_missing")
BASELINE = ("never_less", "never_more", "same_payer", "same_advance_payer", "once_total_never_less")


@dataclass
class Obligation:
    """One thing to prove: a property of one item (or assertion, or total), with its violation both ways."""

    property: str
    subject: str  # item id, assertion name, or "once items"
    kind: str  # the case kind: worker | employer
    violation: z3.BoolRef
    violated: Callable[[Result, Result | None], bool]  # on the reform's (and the baseline's) evaluated results
    roots: list[str]
    baseline_roots: list[str]
    labels: tuple[str, str] | None = None  # an assertion's own text
    untranslatable: str | None = None  # the construct with no translation that keeps this from being asked
    # what defines the variables the violation reads beyond the case's facts (a period walk's chosen day): a proof
    # without it holds for every case; a counterexample must satisfy it
    defined: Callable[[], z3.BoolRef] | None = None


def _cannot(prop: str, subject: str, kind: str, e: Untranslatable) -> Obligation:
    return Obligation(prop, subject, kind, z3.BoolVal(False), lambda r, b: False, [], [],
                      untranslatable=f"{e.construct} in {e.node} ({e.span})")


def _item(result: Result, item_id: str) -> ItemResult:
    return result.item(item_id)


def _payable(i: ItemResult) -> bool:
    return i.payable.value is True


def _amount(i: ItemResult) -> Decimal | None:
    return i.amount.value if i.payable.value is not False and i.amount.known else None  # type: ignore[return-value]


def single_obligations(enc: Encoder, program: ir.Program, wanted: tuple[str, ...] = SINGLE) -> list[Obligation]:
    out: list[Obligation] = []
    for b in program.benefits:
        try:
            it = encode_item(enc, b)
        except Untranslatable as e:
            out.extend(_cannot(p, b.id, b.kind, e) for p in wanted if p != "parts_sum" or b.parts)
            continue
        first = len(out)
        if "final_payer" in wanted and not b.is_range:
            # nobody bound to pay: no payer shown, and none undetermined for want of a fact that would name one, or
            # because our sources leave open which reading governs (a diagnostic names both: audit Q7)
            out.append(Obligation("final_payer", b.id, b.kind,
                                  z3.And(it.payable_true, it.amount.known, it.shown_payer == -1,
                                         z3.Not(z3.And(z3.Not(it.payer.known), z3.Or(it.payer.missing,
                                                                                      it.payer.silent)))),
                                  lambda r, _, i=b.id: _final_payer_broken(r, i), it.roots, []))
        if "non_negative" in wanted:
            negs = ([z3.And(it.amount.known, it.amount.value < 0)] if not b.is_range else []) + \
                [z3.And(p.amount.known, p.amount.value < 0) for p in it.parts]
            if negs:
                out.append(Obligation("non_negative", b.id, b.kind, z3.And(it.payable_true, z3.Or(*negs)),
                                      lambda r, _, i=b.id: _negative(r.item(i)), it.roots, []))
        if "parts_sum" in wanted and it.parts:
            total = z3.Sum([p.amount.value for p in it.parts])
            out.append(Obligation("parts_sum", b.id, b.kind,
                                  z3.And(it.payable_true, it.amount.known, *[p.amount.known for p in it.parts],
                                         total != it.amount.value),
                                  lambda r, _, i=b.id: _parts_off(r.item(i)), it.roots, []))
        if "names_missing" in wanted:
            out.append(Obligation("names_missing", b.id, b.kind,
                                  z3.And(it.undetermined, z3.Not(it.names_missing), z3.Not(it.law_silent)),
                                  lambda r, _, i=b.id: _names_nothing(r, i), it.roots, []))
        out[first:] = [_defined(o, it) for o in out[first:]]
    return out


def _defined(o: Obligation, *items: ItemSym) -> Obligation:
    """The violation with what holds of the items' own variables (a period walk's: `streams.Walk`), and what
    defines them."""
    fns = [f for f in [o.defined] + [i.defined for i in items] if f is not None]
    return replace(o, violation=_all([o.violation] + [i.implied for i in items]),
                   defined=(lambda: _all([f() for f in fns])) if fns else None)


def _final_payer_broken(r: Result, item_id: str) -> bool:
    i = r.item(item_id)
    j = item_json(i)
    return j["payable"] is True and j["amount"] is not None and j["payer"] is None \
        and not (not i.payer.known and (i.payer.missing or _said(r)))


def _negative(i: ItemResult) -> bool:
    if not _payable(i):
        return False
    if not i.benefit.is_range and i.amount.known and i.amount.value < 0:  # type: ignore[operator]
        return True
    return any(p.amount.known and p.amount.value < 0 for p in i.parts)  # type: ignore[operator]


def _parts_off(i: ItemResult) -> bool:
    if not (_payable(i) and i.amount.known and all(p.amount.known for p in i.parts)):
        return False
    return sum(p.amount.value for p in i.parts) != i.amount.value  # type: ignore[misc]


def _names_nothing(r: Result, item_id: str) -> bool:
    """Undetermined, naming no fact, and no diagnostic says why (a conflict between layers says nothing about it:
    `engine.conflicts` marks its warnings with the maxim it applies)."""
    i = r.item(item_id)
    return bool(i.undetermined) and not i.missing and not _said(r)


def _said(r: Result) -> bool:
    """A diagnostic says why something is undetermined (a conflict between layers says nothing about it:
    `engine.conflicts` marks its warnings with the maxim it applies)."""
    return any("上位法优于下位法" not in d.message for d in r.evaluation.diagnostics)


def baseline_obligations(enc: Encoder, base: Encoder, program: ir.Program, baseline: ir.Program,
                         wanted: tuple[str, ...] = BASELINE) -> list[Obligation]:
    out: list[Obligation] = []
    theirs = {b.id: b for b in baseline.benefits}
    pairs: list[tuple[ItemSym, ItemSym]] = []
    for b in program.benefits:
        if b.id not in theirs or b.is_range or theirs[b.id].is_range or theirs[b.id].kind != b.kind:
            continue
        try:
            r, s = encode_item(enc, b), encode_item(base, theirs[b.id])
        except Untranslatable as e:
            out.extend(_cannot(p, b.id, b.kind, e) for p in wanted if p != "once_total_never_less")
            continue
        pairs.append((r, s))
        roots, broots = r.roots, s.roots
        first = len(out)
        if "never_less" in wanted:
            out.append(Obligation("never_less", b.id, b.kind,
                                  z3.And(s.payable_true, s.amount.known,
                                         z3.Not(z3.And(r.payable_true, r.amount.known, r.amount.value >= s.amount.value))),
                                  lambda R, B, i=b.id: _less(R.item(i), B.item(i)), roots, broots))
        if "never_more" in wanted:
            out.append(Obligation("never_more", b.id, b.kind,
                                  z3.And(r.payable_true, r.amount.known,
                                         z3.Not(z3.And(s.payable_true, s.amount.known, r.amount.value <= s.amount.value))),
                                  lambda R, B, i=b.id: _less(B.item(i), R.item(i)), roots, broots))
        if "same_payer" in wanted:
            out.append(Obligation("same_payer", b.id, b.kind,
                                  z3.And(r.payable_true, s.payable_true, r.shown_payer != s.shown_payer),
                                  lambda R, B, i=b.id: _payer_differs(R.item(i), B.item(i), "payer"), roots, broots))
        if "same_advance_payer" in wanted:
            from engine.prove.items import shown_party
            out.append(Obligation("same_advance_payer", b.id, b.kind,
                                  z3.And(r.payable_true, s.payable_true,
                                         shown_party(enc, r.advance_payer) != shown_party(base, s.advance_payer)),
                                  lambda R, B, i=b.id: _payer_differs(R.item(i), B.item(i), "advance_payer"),
                                  roots, broots))
        out[first:] = [_defined(o, r, s) for o in out[first:]]
    once = [(r, s) for r, s in pairs if r.benefit.period == "once" and r.benefit.kind == "worker"]
    if "once_total_never_less" in wanted and once:
        def decided(x: ItemSym) -> z3.BoolRef:
            return z3.And(x.payable.known, z3.Or(z3.Not(x.payable.value), x.amount.known))

        def total(x: list[ItemSym]) -> z3.ArithRef:
            return z3.Sum([z3.If(i.payable_true, i.amount.value, 0) for i in x])

        ids = [r.benefit.id for r, _ in once]
        out.append(Obligation("once_total_never_less", "once items", "worker",
                              z3.And(_all([decided(r) for r, _ in once] + [decided(s) for _, s in once]),
                                     total([r for r, _ in once]) < total([s for _, s in once])),
                              lambda R, B, ids=ids: _total_less(R, B, ids),
                              [x for r, _ in once for x in r.roots], [x for _, s in once for x in s.roots]))
        out[-1] = _defined(out[-1], *[x for pair in once for x in pair])
    return out


def _less(r: ItemResult, b: ItemResult) -> bool:
    """Under B the item is payable with an amount, and under R it is not payable with at least that amount."""
    if not (_payable(b) and b.amount.known):
        return False
    return not (_payable(r) and r.amount.known and r.amount.value >= b.amount.value)  # type: ignore[operator]


def _payer_differs(r: ItemResult, b: ItemResult, field: str) -> bool:
    return _payable(r) and _payable(b) and item_json(r)[field] != item_json(b)[field]


def _total_less(R: Result, B: Result, ids: list[str]) -> bool:
    def decided(i: ItemResult) -> bool:
        return i.payable.known and (i.payable.value is False or i.amount.known)

    items_r, items_b = [R.item(i) for i in ids], [B.item(i) for i in ids]
    if not all(decided(i) for i in items_r + items_b):
        return False

    def total(xs: list[ItemResult]) -> Decimal:
        return sum((i.amount.value for i in xs if i.payable.value is True), Decimal(0))  # type: ignore[misc]

    return total(items_r) < total(items_b)


def assertion_obligations(enc: Encoder, program: ir.Program) -> list[Obligation]:
    out = []
    for a in program.assertions:
        try:
            s = enc.node(a.node)
        except Untranslatable as e:
            out.append(replace(_cannot("assertion", a.name, "worker", e), labels=(a.labels.zh, a.labels.en)))
            continue
        out.append(Obligation("assertion", a.name, "worker", z3.And(s.known, z3.Not(s.value)),
                              lambda r, _, n=a.node: r.evaluation.get(n).value is False, [a.node], [],
                              (a.labels.zh, a.labels.en)))
    return out
