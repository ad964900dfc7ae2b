"""The translation agrees with the single-case evaluator on concrete cases: with every fact fixed, the SMT terms of
each item (payable, amount, the payers shown, undetermined fields, whether a missing fact is named) take the values
the evaluator computes. Random cases over every fact of the national and Jiangsu regimes, seeded. A construct the
translation abstracts (calendar arithmetic) is given the evaluator's value at the case's arguments (`lemmas`, as
`lawtrace prove` refines a counterexample), so every item is compared, monthly items through their period walk."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

z3 = pytest.importorskip("z3")

from dsl import types as T  # noqa: E402
from engine.prove.encode import Bounds, Encoder, ListSym, Space  # noqa: E402
from engine.prove.encode_calls import lemmas  # noqa: E402
from engine.prove.items import NULL, encode_item, shown_party  # noqa: E402
from engine.run.result import evaluate, item_json  # noqa: E402
from lawtrace.api import evaluator, load_program  # noqa: E402

# Leaning the draw toward recognized, insured-or-not injuries, so that most items are payable in some cases.
LEAN = {"work_injury_recognized": True, "intentional_crime": False, "drunk_or_drugged": False, "self_harm": False,
        "crime_or_public_order_offence": False, "drunk": False, "benefits_stop_reason": "not_stopped"}
MONEY = [Decimal(x) for x in ("0", "0.05", "1000.50", "1800", "3000", "6000", "8000", "20000", "33333.33")]


def _value(rng: random.Random, t: T.Type, on: date) -> object:
    if isinstance(t, T.BoolType):
        return rng.random() < 0.5
    if isinstance(t, T.IntType):
        lo = t.low if t.low is not None else 0
        hi = min(t.high, max(lo, 70)) if t.high is not None else max(lo, 70)
        return Decimal(rng.randint(lo, hi))
    if isinstance(t, T.MoneyType):
        return rng.choice(MONEY)
    if isinstance(t, T.RateType):
        return Decimal(rng.randint(0, 10000)) / 10000
    if isinstance(t, T.DateType):
        return on + timedelta(rng.randint(-400, 400))
    if isinstance(t, T.EnumType):
        return rng.choice(t.values)
    if isinstance(t, T.ListType):
        return tuple({f.name: _value(rng, f.type, on) for f in t.fields if rng.random() < 0.8}
                     for _ in range(rng.randint(0, 3)))
    raise AssertionError(t)


def _fix(space: Space, facts: dict[str, object], on: date, as_of: date | None = None) -> list:
    out = [space.date == on.toordinal()]
    out += [z3.Not(space.as_of_given)] if as_of is None else [space.as_of_given, space.as_of == as_of.toordinal()]
    for name, fv in space.facts.items():
        if name not in facts:
            out.append(z3.Not(fv.given))
            continue
        out.append(fv.given)
        out.extend(_equal(fv.value, facts[name], fv.type, space))
    return out


def _equal(term, v: object, t: T.Type, space: Space) -> list:
    if isinstance(t, T.ListType):
        assert isinstance(term, ListSym)
        out = [term.length == len(v)]  # type: ignore[arg-type]
        for rec, given in zip(term.records, v):  # type: ignore[call-overload]
            for fname, s in rec.fields.items():
                if fname in given:
                    out += [s.known] + _equal(s.value, given[fname], t.field(fname).type, space)  # type: ignore[union-attr]
                else:
                    out.append(z3.Not(s.known))
        return out
    if isinstance(t, T.BoolType):
        return [term == z3.BoolVal(v)]
    if isinstance(t, T.DateType):
        return [term == v.toordinal()]  # type: ignore[union-attr]
    if isinstance(t, (T.EnumType, T.PartyType)):
        return [term == space.code(v)]  # type: ignore[arg-type]
    return [term == z3.RealVal(Fraction(str(v)))]


@pytest.mark.parametrize("regime", ["national", "jiangsu", "guiyang", "reform_social_security_advance"])
def test_translation_agrees_with_the_evaluator_on_random_cases(regime: str) -> None:
    program, ev = load_program(regime), evaluator(regime)
    space = Space(Bounds(list_bound=3))
    enc = Encoder(program, space, "t")
    items = [encode_item(enc, b) for b in program.benefits]
    rng = random.Random(19)
    compared = 0
    for _ in range(60):
        on = date(2004, 1, 1) + timedelta(rng.randint(0, 8000))
        facts = {n.id: _value(rng, n.type, on) for n in program.facts() if rng.random() < 0.5}
        facts.update({k: v for k, v in LEAN.items() if k in program.nodes and rng.random() < 0.8})
        as_of = on + timedelta(rng.randint(0, 900)) if rng.random() < 0.5 else None
        compared += _agree(ev, enc, items, facts, on, as_of)
    assert compared == 60 * len(program.benefits)


# Hand cases of issue 13 (tests/test_streams.py works their figures): a monthly item shown from a later period, a
# stream cut by a death and by the dependants' events, a figure past its `until`.
BASE = {"work_injury_recognized": True, "employer_insured": True, "monthly_wage": Decimal(7000),
        "regional_avg_monthly_wage": Decimal(8000), "minimum_wage": Decimal(2000)}
GRADE3 = {**BASE, "off_work_for_treatment": True, "original_monthly_pay": Decimal(7000), "disability_grade": Decimal(3),
          "appraisal_conclusion_date": date(2022, 9, 10), "care_level": "partial"}
HAND = [
    (GRADE3, date(2022, 1, 10), {"disability_allowance": "5600.00", "suspension_wages": "7000.00"}),
    ({**GRADE3, "died": False, "died_after_suspension": True, "death_date": date(2023, 3, 15),
      "dependents": ({"relation": "spouse", "orphan_or_lone_elder": False},)}, date(2022, 1, 10),
     {"dependent_pension": "2800.00", "care_allowance": "2400.00"}),
    ({**BASE, "monthly_wage": Decimal(6000), "died": True, "death_date": date(2020, 7, 1),
      "dependents": ({"relation": "spouse", "orphan_or_lone_elder": False},
                     {"relation": "child", "orphan_or_lone_elder": True, "birth_date": date(2004, 9, 1)},
                     {"relation": "parent", "orphan_or_lone_elder": False, "employed_on": date(2020, 6, 1)})},
     date(2020, 7, 1), {"dependent_pension": "4800.00"}),
    # the national income of 2025 is the last shipped (`until 2025-12-31`): a 2026 death benefit is undetermined
    ({**BASE, "died": True, "death_date": date(2026, 3, 1)}, date(2026, 3, 1), {"death_benefit": None}),
    ({**BASE, "died": True, "death_date": date(2025, 3, 1)}, date(2025, 3, 1), {"death_benefit": "1083760.00"}),
]


@pytest.mark.parametrize("facts, on, amounts", HAND)
def test_translation_follows_the_period_walk_and_until_on_hand_cases(facts, on, amounts) -> None:  # noqa: ANN001
    program, ev = load_program("national"), evaluator("national")
    space = Space(Bounds(list_bound=3))
    enc = Encoder(program, space, "t")
    items = [encode_item(enc, b) for b in program.benefits]
    assert _agree(ev, enc, items, facts, on, None) == len(program.benefits)
    shown = {i["id"]: i["amount"] for i in (item_json(x) for x in evaluate(ev, facts, on, "worker", None).items)}
    assert {k: shown[k] for k in amounts} == amounts


def _agree(ev, enc: Encoder, items: list, facts: dict[str, object], on: date, as_of: date | None) -> int:  # noqa: ANN001
    """Every item's terms, with the facts fixed, take the values the evaluator gives: the items compared."""
    space = enc.space
    results = {kind: evaluate(ev, facts, on, kind, as_of) for kind in ("worker", "employer")}
    solver = z3.Solver()
    solver.add(*space.facts_constraints, *[z3.And(it.implied, it.defined()) for it in items if it.defined],
               *_fix(space, facts, on, as_of))
    assert solver.check() == z3.sat
    m = solver.model()
    # the values of facts not given are free: pin them, so that the arguments of the abstracted calls settle
    solver.add(*[d() == m[d] for d in m.decls() if d.arity() == 0 and "#" not in d.name()])
    for _ in range(12):  # the abstracted calls take the evaluator's values (each lemma is true of it)
        learned = lemmas(enc.instances, m)
        if not learned or z3.is_true(m.eval(z3.And(*learned), model_completion=True)):
            break
        solver.add(*learned)
        assert solver.check() == z3.sat
        m = solver.model()
    else:
        raise AssertionError("the abstracted calls did not settle")

    def val(t):  # noqa: ANN001, ANN202
        return m.eval(t, model_completion=True)

    compared = 0
    for it in items:
        got = results[it.benefit.kind].item(it.benefit.id)
        j = item_json(got)
        payable = None if not z3.is_true(val(it.payable.known)) else z3.is_true(val(it.payable.value))
        assert payable == j["payable"], (it.benefit.id, facts, on)
        if payable is not False and not it.benefit.is_range:
            known = z3.is_true(val(it.amount.known))
            assert known == got.amount.known, (it.benefit.id, facts, on)
            if known:
                assert Fraction(str(got.amount.value)) == val(it.amount.value).as_fraction(), (it.benefit.id, facts)
        shown = val(it.shown_payer).as_long()
        assert (None if shown == NULL else space.name_of(shown)) == j["payer"], (it.benefit.id, facts, on)
        adv = val(shown_party(enc, it.advance_payer)).as_long()
        assert (None if adv == NULL else space.name_of(adv)) == j["advance_payer"], (it.benefit.id, facts, on)
        undetermined = tuple(n for n, s in it.fields.items() if not z3.is_true(val(s.known)))
        assert undetermined == got.undetermined, (it.benefit.id, facts, on)
        if undetermined:
            assert z3.is_true(val(it.names_missing)) == bool(got.missing), (it.benefit.id, facts, on)
        compared += 1
    return compared
