"""The vectorized evaluator judges a stream on a given day (`period_day`) as the single-case path does, to the fen:
the building block of periods as columns (issue 13). Random cases as in test_vector_differential; each row is
judged on a day of its own: the day after its death, its appraisal date, or a day some years after the accident."""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from test_vector_differential import Generator, Schema, chunk_from_batch, row_item, text_table, typed_table

from dsl import types as T
from engine.columns.arrays import Date
from engine.columns.vector import VectorProgram
from engine.run.case import convert
from engine.run.evaluate import Evaluation, Evaluator
from engine.run.result import _item
from engine.model.values import UNKNOWN
from lawtrace.api import load_program

CASES = 400


class _Small(Generator):
    """Whole numbers kept small: the int64 bounds of huge counts are test_vector_differential's concern."""

    def value(self, t: T.Type, reference):  # type: ignore[no-untyped-def]
        if isinstance(t, T.IntType) and t.high is not None and t.high > 10**6:
            return self.rng.randint(t.low or 0, 400)
        return super().value(t, reference)


def _day(facts: dict, when: str | None, rng: random.Random) -> date | None:
    if when is None:
        return None
    pick = rng.random()
    for name, shift, share in (("death_date", 1, 0.3), ("appraisal_conclusion_date", 0, 0.55), ("retirement_date", 0, 0.7)):
        if pick < share and facts.get(name):
            return date.fromisoformat(str(facts[name])) + timedelta(days=shift)
    return date.fromisoformat(when) + timedelta(days=rng.randint(0, 4000))


def _single(evaluator: Evaluator, program, facts: dict, when: str | None, day: date | None) -> list[dict]:  # type: ignore[no-untyped-def]
    values = {k: convert(v, program.nodes[k].type, k) for k, v in facts.items()}
    ev = Evaluation(evaluator, values, date.fromisoformat(when) if when else None)
    ev.period_day = day
    out = []
    for b in program.benefits_of("worker"):
        it = _item(ev, b)
        out.append(_row(it))
    return out


def _row(it) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """An item's fields as the columns give them (unknown as "unknown"; a refused item only says so)."""
    payable = it.payable.value if it.payable.known else None
    row: dict[str, object] = {"payable": payable}
    if payable is not False:
        row["amount"] = it.amount.value if it.amount.known else None
        for name in ("payer", "advance_payer", "recover_from"):
            v = getattr(it, name).value
            row[name] = "unknown" if v is UNKNOWN else v
        row["parts"] = [(p.name, p.amount.value if p.amount.known else None,
                         "unknown" if p.payer.value is UNKNOWN else p.payer.value) for p in it.parts]
    return row


@pytest.mark.parametrize("encoding", ["text", "typed"])
@pytest.mark.parametrize("regime", ["national", "jiangsu", "guiyang"])
def test_vector_judges_each_row_on_its_own_day_as_the_single_case_path(regime: str, encoding: str) -> None:
    program = load_program(regime)
    evaluator, vp, schema = Evaluator(program), VectorProgram(program), Schema.of(program)
    seed = zlib.crc32(f"streams/{regime}/{encoding}".encode())
    gen, rng = _Small(program, seed), random.Random(seed)
    cases = [gen.case() for _ in range(CASES)]
    days = [_day(f, w, rng) for f, w in cases]
    batch = (text_table if encoding == "text" else typed_table)(schema, cases)
    chunk, _ = chunk_from_batch(schema, batch, f"<{regime} {encoding}>", 0, None)
    ordinals = np.array([d.toordinal() if d else 1 for d in days], dtype=np.int64)
    chunk.period_day = Date(ordinals, np.array([d is not None for d in days]), int(ordinals.min()), int(ordinals.max()))
    items = vp.items(chunk)
    for i, ((facts, when), day) in enumerate(zip(cases, days)):
        want = _single(evaluator, program, facts, when, day)
        for item, expected in zip(items, want):
            got = row_item(item, i)
            assert got == expected, f"{regime} ({encoding}) case {i} on {day}, item {item.benefit.id}: {got} != {expected}"


YEARS = tuple(range(2018, 2031))


def _single_flows(evaluator: Evaluator, program, cases) -> tuple[dict, dict, dict]:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from engine.run.owed import owed
    from engine.run.result import evaluate

    by_item: dict = {}
    by_payer: dict = {}
    partial: dict = {}
    for facts, when in cases:
        if when is None:
            continue
        values = {k: convert(v, program.nodes[k].type, k) for k, v in facts.items()}
        result = evaluate(evaluator, values, date.fromisoformat(when))
        for y in YEARS:
            o = owed(result.items, date(y, 1, 1), date(y, 12, 31))
            for k, v in o["by_item"].items():
                by_item[(k, y)] = by_item.get((k, y), 0) + int(Decimal(v) * 100)
            for k, v in o["by_payer"].items():
                by_payer[(k, y)] = by_payer.get((k, y), 0) + int(Decimal(v) * 100)
            for p in o["partial"]:
                partial[(p["item"], y)] = partial.get((p["item"], y), 0) + int(Decimal(p["pro_rata"]) * 100)
    return by_item, by_payer, partial


@pytest.mark.parametrize("regime", ["national", "jiangsu"])
def test_yearly_flows_as_columns_equal_the_sum_of_single_case_windows(regime: str) -> None:
    from engine.columns.streams import yearly_flows

    program = load_program(regime)
    evaluator, vp, schema = Evaluator(program), VectorProgram(program), Schema.of(program)
    gen = _Small(program, zlib.crc32(f"years/{regime}".encode()))
    cases = [gen.case() for _ in range(CASES)]
    chunk, _ = chunk_from_batch(schema, typed_table(schema, cases), f"<{regime}>", 0, None)
    flows = yearly_flows(vp, chunk, YEARS)
    by_item, by_payer, partial = _single_flows(evaluator, program, cases)
    got_item = {(k, y): v for k, per in flows.by_item.items() for y, v in per.items() if v}
    got_payer = {(k, y): v for k, per in flows.by_payer.items() for y, v in per.items() if v}
    got_partial = {(k, y): v for k, per in flows.partial.items() for y, v in per.items() if v}
    assert got_item == {k: v for k, v in by_item.items() if v}
    assert got_payer == {k: v for k, v in by_payer.items() if v}
    assert got_partial == {k: v for k, v in partial.items() if v}
    assert any(v for v in got_item.values())  # the sample owes something


def _contract(evaluator: Evaluator, program, facts: dict, when: str | None) -> list[dict]:  # type: ignore[no-untyped-def]
    """The items of the single case's result as the contract gives them: a monthly item as judged in its first
    period in which it is owed (or its first period still open, or as a whole when it has none)."""
    from engine.run.result import evaluate

    values = {k: convert(v, program.nodes[k].type, k) for k, v in facts.items()}
    out = []
    for it in evaluate(evaluator, values, date.fromisoformat(when) if when else None).items:
        out.append(_row(it))
    return out


@pytest.mark.parametrize("encoding", ["text", "typed"])
@pytest.mark.parametrize("regime", ["national", "jiangsu", "guiyang"])
def test_simulate_counts_each_monthly_item_as_the_result_gives_it(regime: str, encoding: str) -> None:
    """`simulate`'s figures for a monthly item are the result's `payable` and `amount` (CONTRACT "Benefits over
    time": those of the first period in which it is owed), to the fen, with its payers and parts: random cases
    with events (deaths, appraisals, retirements) and unknown facts, among them event dates not given (the item owed
    up to or from a day the case does not give) and facts that leave a period open."""
    from engine.columns.streams import owed_items

    program = load_program(regime)
    evaluator, vp, schema = Evaluator(program), VectorProgram(program), Schema.of(program)
    gen = _Small(program, zlib.crc32(f"owed/{regime}/{encoding}".encode()))
    cases = [gen.case() for _ in range(CASES)]
    batch = (text_table if encoding == "text" else typed_table)(schema, cases)
    chunk, _ = chunk_from_batch(schema, batch, f"<{regime} {encoding}>", 0, None)
    wholes = vp.items(chunk)
    items, _ = owed_items(vp, chunk, wholes)
    differs_from_whole = 0
    for i, (facts, when) in enumerate(cases):
        want = _contract(evaluator, program, facts, when)
        for item, whole, expected in zip(items, wholes, want):
            got = row_item(item, i)
            assert got == expected, f"{regime} ({encoding}) case {i}, item {item.benefit.id}: {got} != {expected}"
            differs_from_whole += got != row_item(whole, i)
    assert differs_from_whole > 0  # the sample has items whose first owed period is not the item judged as a whole


def test_simulate_counts_streams_owed_before_an_event_worked_by_hand(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Worked by hand (national, 2020-06-15, own wage 6,000 a month, area wage 8,000):
    a: grade 7, appraisal date not given: the suspension wages are owed up to that day (WIIR 33(2)): 6,000;
    b: grade 7, appraised 2021-01-10: owed from the accident to 2021-01-09: 6,000;
    c: grade 3, fully dependent, appraised 2020-11-10, died of another cause 2022-03-01: the care allowance is owed
       from the appraisal to the death (WIIR 34, 42(1)(1)); its first period, to 2020-12-31, takes the accident
       year's area wage (each month the figure of the year before it; 2021's would need regional_avg_wages):
       50 % x 8,000 = 4,000, though judged as a whole (dead) it is not. simulate's monthly totals are these first
       owed periods, as eval's `amount`."""
    from engine.columns.simulation import simulate
    from engine.run.result import evaluate

    head = ("id,date,work_injury_recognized,employer_insured,disability_grade,off_work_for_treatment,"
            "original_monthly_pay,monthly_wage,regional_avg_monthly_wage,care_level,appraisal_conclusion_date,"
            "death_date,died\n")
    rows = ["a,2020-06-15,true,true,7,true,6000,6000,8000,none,,,false",
            "b,2020-06-15,true,true,7,true,6000,6000,8000,none,2021-01-10,,false",
            "c,2020-06-15,true,true,3,false,6000,6000,8000,full,2020-11-10,2022-03-01,false"]
    pop = tmp_path / "pop.csv"
    pop.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    program = load_program("national")
    items = simulate(program, pop).as_json()["items"]
    assert (items["suspension_wages"]["amount"], items["suspension_wages"]["payable_rows"]) == ("12000.00", 2)
    assert (items["care_allowance"]["amount"], items["care_allowance"]["payable_rows"]) == ("4000.00", 1)
    evaluator = Evaluator(program)
    names = head.strip().split(",")
    for line in rows:
        record = {k: v for k, v in zip(names, line.split(",")) if v and k not in ("id", "date")}
        typed = {k: {"true": True, "false": False}.get(v, int(v) if v.isdigit() else v) for k, v in record.items()}
        facts = {k: convert(v, program.nodes[k].type, k) for k, v in typed.items()}
        result = evaluate(evaluator, facts, date(2020, 6, 15))
        care, wages = result.item("care_allowance"), result.item("suspension_wages")
        if line[0] == "c":
            assert (care.payable.value, str(care.amount.value), care.whole.payable.value) == (True, "4000.00", False)
        else:
            assert (wages.payable.value, str(wages.amount.value), wages.whole.payable.value) == (True, "6000.00", False)


def test_yearly_flows_of_the_later_events_agree_with_the_single_case_path() -> None:
    """The events issue 13 added (a review appraisal, the benefits stopping, WIIR 40 adjustments, the care allowance
    by the year before its month) give the same yearly flows as columns as the single-case windows, to the fen."""
    from engine.columns.streams import yearly_flows

    program = load_program("national")
    evaluator, vp, schema = Evaluator(program), VectorProgram(program), Schema.of(program)
    base = {"work_injury_recognized": True, "employer_insured": True, "monthly_wage": 6000,
            "regional_avg_monthly_wage": 7000, "minimum_wage": 2000, "disability_grade": 3,
            "appraisal_conclusion_date": "2021-11-01", "care_level": "partial",
            "regional_avg_wages": [{"year": 2021, "monthly_wage": 7500}, {"year": 2023, "monthly_wage": 8000}]}
    cases = [
        (base, "2021-03-01"),
        ({**base, "reappraisal_date": "2023-05-10", "reappraised_grade": 5, "no_suitable_work_arranged": True}, "2021-03-01"),
        ({**base, "benefits_stop_reason": "refused_treatment", "benefits_stop_date": "2022-08-01"}, "2021-03-01"),
        ({**base, "allowance_adjustments": [{"from": "2022-07-01", "disability_allowance": 120, "care_allowance": 60},
                                            {"from": "2024-01-01", "disability_allowance": 150}]}, "2021-03-01"),
        ({**base, "allowances_adjusted": True}, "2021-03-01"),
        ({**base, "care_level": "full", "regional_avg_wages": []}, "2019-06-01"),
    ]
    chunk, _ = chunk_from_batch(schema, typed_table(schema, cases), "<later events>", 0, None)
    flows = yearly_flows(vp, chunk, YEARS)
    by_item, by_payer, partial = _single_flows(evaluator, program, cases)
    assert {(k, y): v for k, per in flows.by_item.items() for y, v in per.items() if v} == {k: v for k, v in by_item.items() if v}
    assert {(k, y): v for k, per in flows.by_payer.items() for y, v in per.items() if v} == {k: v for k, v in by_payer.items() if v}
    assert {(k, y): v for k, per in flows.partial.items() for y, v in per.items() if v} == {k: v for k, v in partial.items() if v}
    # worked by hand, the care allowance of case 0 (30 %): 2022 on the 2021 figure 7,500 = 2,250 × 12 = 27,000;
    # 2023 needs the 2022 figure (not given): nothing counted; 2024 on the 2023 figure: 2,400 × 12 = 28,800 — all rows
    care_2022 = flows.by_item["care_allowance"][2022]
    assert care_2022 >= 2_700_000 and flows.by_item["care_allowance"][2023] == 0


def test_yearly_flows_of_one_row_whose_amount_is_beyond_int32() -> None:
    """A one-row chunk holds a constant column as one scalar: medical costs of 115,260,500.00 (11,526,050,000 fen,
    beyond int32) met `min(medical_costs_during_delay, medical_costs)` (WIIR 17(4)), the delay costs not given
    (an int32 column), and NumPy raised OverflowError. Now the row is judged as the single-case path judges it."""
    from engine.columns.streams import yearly_flows
    from test_vector_differential import single

    program = load_program("national")
    evaluator, vp, schema = Evaluator(program), VectorProgram(program), Schema.of(program)
    facts = {"work_injury_recognized": True, "employer_insured": True, "medical_fund_advanced": True,
             "medical_costs": "115260500.00"}
    chunk, _ = chunk_from_batch(schema, typed_table(schema, [(facts, "2023-12-31")]), "<one row>", 0, None)
    yearly_flows(vp, chunk, YEARS)  # raised OverflowError before
    items = vp.items(chunk)
    want = single(evaluator, program, facts, "2023-12-31")
    assert [row_item(item, 0) for item in items] == want
    medical = next(row_item(item, 0) for item in items if item.benefit.id == "medical_treatment")
    assert (medical["payable"], medical["amount"]) == (True, Decimal("115260500.00"))
    assert medical["parts"][0] == ("late_application_period", Decimal(0), "employer")  # late_application presumed false


_STOPS_AND_RESUMES = {"work_injury_recognized": True, "employer_insured": True, "off_work_for_treatment": True,
                      "original_monthly_pay": 6000, "disability_grade": 10, "appraisal_conclusion_date": "2011-06-30",
                      "injury_recurred": True, "recurrence_date": "2018-01-02"}


@pytest.mark.parametrize("regime", ["national", "jiangsu"])
def test_suspension_wages_stop_at_the_grade_and_resume_on_a_recurrence_worked_by_hand(regime: str) -> None:
    """Worked by hand (accident 2005-03-06, the 2003 text; original pay 6,000 a month; graded 10 on 2011-06-30;
    the injury recurs 2018-01-02): the wages stop from the grade (WIIR 33(2)) and are owed again from the
    recurrence (WIIR 38). 2010: 12 × 6,000 = 72,000; 2011: January to May 5 × 6,000 = 30,000, and June 1-29
    a part month, 29/30 × 6,000 = 5,800.00; 2012 to 2017: nothing; 2018: February to December 11 × 6,000 =
    66,000, January 2-31 a part month, 30/31 × 6,000 = 5,806.45; 2019: 72,000. The employer pays all of it."""
    from engine.columns.streams import yearly_flows

    program = load_program(regime)
    vp, schema = VectorProgram(program), Schema.of(program)
    chunk, _ = chunk_from_batch(schema, typed_table(schema, [(_STOPS_AND_RESUMES, "2005-03-06")]), "<hand>", 0, None)
    years = (2010, 2011, 2012, 2017, 2018, 2019)
    flows = yearly_flows(vp, chunk, years)
    wages = {2010: 72_000_00, 2011: 30_000_00, 2012: 0, 2017: 0, 2018: 66_000_00, 2019: 72_000_00}
    assert flows.by_item["suspension_wages"] == wages
    assert flows.partial["suspension_wages"] == {2010: 0, 2011: 5_800_00, 2012: 0, 2017: 0, 2018: 5_806_45, 2019: 0}
    assert flows.by_payer["employer"] == wages


def test_single_case_stream_stops_at_the_grade_and_resumes_on_a_recurrence() -> None:
    """The same case on the single-case path: two periods of suspension wages, 2005-03-06 to 2011-06-29 and from
    2018-01-02, and nothing owed in 2012 (eval --from 2012-01-01 --to 2012-12-31)."""
    from engine.run.owed import owed
    from engine.run.result import evaluate

    program = load_program("national")
    values = {k: convert(v, program.nodes[k].type, k) for k, v in _STOPS_AND_RESUMES.items()}
    item = evaluate(Evaluator(program), values, date(2005, 3, 6)).item("suspension_wages")
    assert [(p.start, p.end) for p in item.periods if p.payable] == [(date(2005, 3, 6), date(2011, 6, 29)),
                                                                     (date(2018, 1, 2), None)]
    result = evaluate(Evaluator(program), values, date(2005, 3, 6))
    assert owed(result.items, date(2012, 1, 1), date(2012, 12, 31))["by_item"].get("suspension_wages") in (None, "0.00")
