"""The unknown facts worth asking next, ranked by how many undetermined items (and how much money) an answer decides.

Guarantees: a fact is considered only if some undetermined field of some item
is missing it (the evaluator's `missing` sets), so a fact that cannot change
any answer given what is known is never asked; a fact is weighed only against
the items missing it, by evaluating just those items' fields under each answer
it could take (true / false, each enum member, each grade of a short range,
no entry / one entry of a list). A fact whose answers cannot be listed (an
amount, a date) is tried once with a stand-in value (zero, the case's date),
only to see which fields it makes computable, never as an answer; where it
decides nothing alone it counts for its share of the facts a field misses. The
case is evaluated once in full, then one hypothesis per answer, item fields only.
A presumption that stands for a fact of record (ASKED_PRESUMPTIONS) is offered
for confirmation when another answer would change some item. Nothing here
knows a fact or an item by name.

The rank weighs what an answer settles by what it is worth and how likely it is:
- each item an answer settles counts 1 where it is then payable, NOT_PAID where it is then refused (learning that
  nothing is owed settles less than learning what is), plus its amount where it is then payable and known;
- the answers of a yes/no fact are equally likely, except an event: an answer under which items become payable
  that the other answer refuses (a death, the end of the labour relation) is weighed EVENT, the other 1 - EVENT,
  as the contract takes events a case does not mention as not having happened (a fact the law presumes, as the
  recognition decision, keeps equal odds: the law, not the case's silence, says what to expect of it);
- an amount or a date (answers that cannot be listed) counts, besides the items it alone completes, REACH for
  every open item whose amount it enters (the wage enters most of them: it comes early);
- money and items are put on one scale: the square root of a question's expected amount divided by the largest of
  any question's, so the question deciding the most money gains 1, as much as one item settled, and money counts
  with diminishing weight: amounts at stake span orders of magnitude (a death benefit is twenty times a year's
  income), and a payer deciding tens of thousands must not vanish beside it.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import msgspec

from dsl import types as T
from engine.model import ir
from engine.run.evaluate import Evaluation, Evaluator
from engine.run.result import ItemResult, Result, evaluate

CASE_DATE = "date"  # what the evaluator reports missing when the case has no date
MAX_RANGE = 24  # an int range longer than this is weighed like an amount, not answer by answer
# Presumptions that stand in for a fact of record a caseworker can check (is the employer insured? has the city set
# its own figure?) are worth confirming; a burden of proof is the other side's to discharge, and later events are,
# by the contract, taken as not having happened: those are not asked.
ASKED_PRESUMPTIONS = ("statutory_duty", "legal_default")
NOT_PAID = 0.5
EVENT = 0.25
REACH = 0.5
FIELD_NAMES = ("payable", "amount", "payer", "advance_payer", "recover_from")


class Question(msgspec.Struct, frozen=True):
    fact: str  # a fact id, or CASE_DATE
    decides: tuple[str, ...]  # items some answer to this fact alone would decide, in the program's order
    needed_for: tuple[str, ...]  # undetermined items whose answer depends on this fact
    score: float  # the rank: items settled, weighted (see the module's doc), plus the money on the common scale
    at_stake: Decimal | None  # the largest known amount of each item it decides, summed
    presumed: object = None  # for a presumed fact: the value presumed (its `decides` are the items another answer changes)
    expected: Decimal = Decimal(0)  # the amounts it settles, each weighed by the likelihood of the answer that pays it


class _Open(msgspec.Struct, frozen=True):
    """An item with fields still undetermined, and what each misses."""

    benefit: ir.Benefit
    fields: dict[str, frozenset[str]]  # node id of an undetermined field → the facts it misses
    amount: Decimal | None


def next_questions(evaluator: Evaluator, facts: dict[str, object], on: date | None,
                   skip: frozenset[str] = frozenset(), kind: str = "worker") -> list[Question]:
    """The facts still unknown that could change an answer of a case of `kind`, the most decisive first."""
    program = evaluator.program
    base = evaluate(evaluator, facts, on, kind)
    opened = _open_items(base)
    candidates: dict[str, list[_Open]] = {}
    for item in opened:
        for fact in sorted(set().union(*item.fields.values())):
            if fact not in skip and fact not in facts:
                candidates.setdefault(fact, []).append(item)
    order = {node_id: n for n, node_id in enumerate(program.nodes)}
    reach = _reach(program, [i for i in opened])
    questions = [_weigh(evaluator, facts, on, fact, items, reach.get(fact, 0)) for fact, items in candidates.items()]
    for a in base.evaluation.assumed.values():
        if a.kind in ASKED_PRESUMPTIONS and a.fact not in skip and a.fact not in candidates:
            q = _weigh_presumed(evaluator, facts, on, base, a.fact, a.value, kind)
            if q.decides:
                questions.append(q)
    top = max((q.expected for q in questions), default=Decimal(0))
    if top > 0:
        questions = [msgspec.structs.replace(q, score=round(q.score + math.sqrt(float(q.expected / top)), 6)) for q in questions]
    questions.sort(key=lambda q: (-q.score, -(q.at_stake or 0), -len(q.needed_for), order.get(q.fact, -1), q.fact))
    return questions


def hypotheses(t: T.Type) -> list[object] | None:
    """Every answer a fact of this type can take, as the engine holds it; None when they cannot be listed."""
    if isinstance(t, T.BoolType):
        return [True, False]
    if isinstance(t, T.EnumType):
        return list(t.values)
    if isinstance(t, T.IntType) and t.low is not None and t.high is not None and t.high - t.low < MAX_RANGE:
        return [Decimal(n) for n in range(t.low, t.high + 1)]
    if isinstance(t, T.ListType):
        return [(), ({},)]  # no entry; one entry whose fields are still unknown
    return None


def _open_items(result: Result) -> list[_Open]:
    out = []
    for r in result.items:
        if not r.undetermined:
            continue
        b = r.benefit
        values = {"payable": r.payable, "amount": r.amount, "payer": r.payer,
                  "advance_payer": r.advance_payer, "recover_from": r.recover_from}
        if r.amount_min is not None and r.amount_max is not None:  # a range item (a fine): its bounds, not one amount
            values.update(amount_min=r.amount_min, amount_max=r.amount_max)
        fields = {b.fields[name]: values[name].missing for name in r.undetermined if name in b.fields and name in values}
        amount = r.amount.value if r.amount.known and isinstance(r.amount.value, Decimal) else None
        out.append(_Open(b, fields, amount))
    return out


def _reach(program: ir.Program, opened: list[_Open]) -> dict[str, float]:
    """For each fact, the open items whose amount it enters, by the dependency graph: an item known payable counts 1,
    one whose payability is still open counts half (its amount may never be owed)."""
    graph = program.graph
    out: dict[str, float] = {}
    for item in opened:
        amount = item.benefit.fields.get("amount")
        if amount is None or amount not in graph:
            continue
        weight = 0.5 if item.benefit.fields.get("payable") in item.fields else 1.0
        for node_id in graph.ancestors(amount):
            if isinstance(program.nodes.get(node_id), ir.FactNode):
                out[node_id] = out.get(node_id, 0) + weight
    return out


def _weigh(evaluator: Evaluator, facts: dict[str, object], on: date | None, fact: str, items: list[_Open],
           reach: float = 0) -> Question:
    node = evaluator.program.nodes.get(fact)
    answers = hypotheses(node.type) if isinstance(node, ir.FactNode) else None
    probing = answers is None
    if probing:
        probe = _probe(node.type, on) if isinstance(node, ir.FactNode) else None
        answers = [probe] if probe is not None else []
    decided: dict[str, float] = {}
    worth = 0.0
    expected = Decimal(0)
    amounts: dict[str, Decimal] = {i.benefit.id: i.amount for i in items if i.amount is not None}
    outcomes = []
    for answer in answers:
        ev = evaluator.evaluate({**facts, fact: answer}, on)
        outcomes.append((answer, ev, {i.benefit.id: _payable(ev, i.benefit) for i in items}))
    presumed = isinstance(node, ir.FactNode) and node.presumption is not None
    likelihood = [0.5, 0.5] if presumed and len(outcomes) == 2 else _likelihood(outcomes)
    for (answer, ev, payable), p in zip(outcomes, likelihood):
        for item in items:
            part = _decided_share(ev, item)
            if part:
                decided[item.benefit.id] = decided.get(item.benefit.id, 0.0) + part / len(answers)
                worth += p * part * (NOT_PAID if payable[item.benefit.id] is False else 1.0)
            # a stand-in amount says nothing of the sum at stake; a stand-in date (the case's own) gives a real figure
            amount = None if probing and not isinstance(answer, date) else _amount(ev, item.benefit)
            if amount is not None and payable[item.benefit.id] is True:
                expected += Decimal(str(p)) * amount
            if amount is not None and amount > amounts.get(item.benefit.id, Decimal(-1)):
                amounts[item.benefit.id] = amount
    share = 0.0
    for item in items:
        if item.benefit.id in decided:
            continue
        if probing and any(missing == {fact} for missing in item.fields.values()):
            decided[item.benefit.id] = 1.0  # the only fact a field misses (where no probe could be made)
        elif probing:  # needed with other facts: its share of the smallest set of facts a field still misses
            share += max(1 / len(m) for m in item.fields.values() if fact in m)
    ids = [i.benefit.id for i in items]
    at_stake = [amounts[i] for i in ids if i in decided and amounts.get(i)]
    score = worth + share + (REACH * reach if probing else 0.0)
    return Question(fact, tuple(i for i in ids if i in decided), tuple(ids), round(score, 6),
                    sum(at_stake, Decimal(0)) if at_stake else None, expected=expected)


def _payable(ev: Evaluation, b: ir.Benefit) -> bool | None:
    node = b.fields.get("payable")
    if node is None:
        return True
    v = ev.get(node)
    return v.value if v.known else None  # type: ignore[return-value]


def _likelihood(outcomes: list[tuple[object, Evaluation, dict[str, bool | None]]]) -> list[float]:
    """How likely each answer is: equal, except that a yes/no answer that opens items the other refuses is an event."""
    if len(outcomes) != 2 or not all(isinstance(a, bool) for a, _, _ in outcomes):
        return [1.0] * len(outcomes)
    (a1, _, p1), (_, _, p2) = outcomes
    opens1 = any(p1[i] is not False and p2[i] is False for i in p1)
    opens2 = any(p2[i] is not False and p1[i] is False for i in p1)
    if opens1 == opens2:
        return [0.5, 0.5]
    return [EVENT, 1 - EVENT] if opens1 else [1 - EVENT, EVENT]


def _probe(t: T.Type, on: date | None) -> object | None:
    """A stand-in value for a fact whose answers cannot be listed, to see which fields it makes computable.

    Only ever evaluated as a hypothesis, never kept as an answer: an amount probes with zero, a date with the
    case's own date (no probe without one).
    """
    if isinstance(t, (T.MoneyType, T.RateType, T.IntType)):
        return Decimal(0)
    if isinstance(t, T.DateType):
        return on
    return None


def _weigh_presumed(evaluator: Evaluator, facts: dict[str, object], on: date | None, base: Result, fact: str,
                    presumed: object, kind: str = "worker") -> Question:
    """A presumed fact: the items another answer would change (every item, since a presumption reaches far)."""
    node = evaluator.program.nodes[fact]
    answers = [a for a in hypotheses(node.type) or () if a != presumed]
    changed: dict[str, float] = {}
    amounts: dict[str, Decimal] = {}
    for answer in answers:
        other = evaluate(evaluator, {**facts, fact: answer}, on, kind)
        for before, after in zip(base.items, other.items):
            if _outcome(before) != _outcome(after):
                changed[before.benefit.id] = changed.get(before.benefit.id, 0.0) + 1 / len(answers)
                for r in (before, after):
                    if r.amount.known and isinstance(r.amount.value, Decimal) and r.amount.value > amounts.get(r.benefit.id, 0):
                        amounts[r.benefit.id] = r.amount.value
    ids = [i.benefit.id for i in base.items if i.benefit.id in changed]
    at_stake = [amounts[i] for i in ids if amounts.get(i)]
    return Question(fact, tuple(ids), tuple(ids), round(sum(changed.values()), 6),
                    sum(at_stake, Decimal(0)) if at_stake else None, presumed)


def _outcome(r: ItemResult) -> tuple[object, ...]:
    return tuple(getattr(r, name).value for name in FIELD_NAMES) + tuple((p.amount.value, p.payer.value) for p in r.parts)


def _decided_share(ev: Evaluation, item: _Open) -> float:
    """How much of the item this evaluation decides: all of it when refused or every open field becomes known;
    otherwise a half-weighted share of its open fields now known (an item settled counts for more than progress)."""
    payable = item.benefit.fields.get("payable")
    if payable is not None and ev.get(payable).value is False:
        return 1.0
    known = sum(1 for node_id in item.fields if ev.get(node_id).known)
    return 1.0 if known == len(item.fields) else 0.5 * known / len(item.fields)


def _amount(ev: Evaluation, b: ir.Benefit) -> Decimal | None:
    if "amount" not in b.fields:  # an item given only as a range (a fine) has no single amount at stake
        return None
    v = ev.get(b.fields["amount"])
    return v.value if v.known and isinstance(v.value, Decimal) else None
