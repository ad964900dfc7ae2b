"""The evaluator: three-valued logic, exact money, law in force at a date, presumptions, the trace."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from conftest import eval_snippet
from engine.run.result import result_json
from engine.model.values import UNKNOWN

LOGIC = """article 1
  fact a: bool "a"
  fact b: bool "b"
  value both: bool = a and b
  value either: bool = a or b
  value neither: bool = not a and not b
"""


@pytest.mark.parametrize(
    "facts, both, either",
    [
        ({"a": False}, False, UNKNOWN),           # false and unknown = false
        ({"a": True}, UNKNOWN, True),             # true and unknown = unknown; true or unknown = true
        ({"b": False}, False, UNKNOWN),
        ({}, UNKNOWN, UNKNOWN),
        ({"a": True, "b": False}, False, True),
        ({"a": False, "b": False}, False, False),
    ],
)
def test_three_valued_and_or(facts, both, either):
    r = eval_snippet(LOGIC, facts)
    ev = r.evaluation
    assert ev.get("both").value is both
    assert ev.get("either").value is either


def test_unknown_names_the_facts_that_would_decide():
    ev = eval_snippet(LOGIC, {"a": True}).evaluation
    assert ev.get("both").missing == {"b"}
    assert ev.get("neither").value is False  # not true = false, and false decides
    assert eval_snippet(LOGIC, {}).evaluation.get("both").missing == {"a", "b"}


COND = """article 1
  fact c: bool "c"
  fact x: int "x"
  value same: int = if c then 5 else 5
  value differ: int = if c then 5 else x
  value fallback: int = x otherwise 7
  value in_band: bool = x in 5..6
"""


def test_if_with_unknown_condition_is_known_only_when_branches_agree():
    ev = eval_snippet(COND, {"x": Decimal(6)}).evaluation
    assert ev.get("same").value == 5
    assert ev.get("differ").value is UNKNOWN and ev.get("differ").missing == {"c"}
    assert ev.get("fallback").value == 6
    assert ev.get("in_band").value is True
    ev = eval_snippet(COND, {}).evaluation
    assert ev.get("fallback").value == 7
    assert ev.get("in_band").missing == {"x"}


MONEY = """article 1
  fact w: money "w"
  parameter share: rate from 2011-01-01 33.5%
  value third: money = w / 3
  value part: money = w * share
"""


def test_money_rounds_half_up_to_the_fen():
    ev = eval_snippet(MONEY, {"w": Decimal("100")}).evaluation
    assert ev.get("third").value == Decimal("33.33")          # 33.333… → 33.33
    ev = eval_snippet(MONEY, {"w": Decimal("0.05")}).evaluation
    assert ev.get("third").value == Decimal("0.02")           # 0.01666… → 0.02
    assert ev.get("part").value == Decimal("0.02")            # 0.05 × 0.335 = 0.01675 → 0.02
    ev = eval_snippet(MONEY, {"w": Decimal("0.03")}).evaluation
    assert ev.get("part").value == Decimal("0.01")            # 0.01005 → 0.01
    ev = eval_snippet(MONEY, {"w": Decimal("1.5")}).evaluation
    assert ev.get("part").value == Decimal("0.50")            # 0.5025 → 0.50
    ev = eval_snippet(MONEY, {"w": Decimal("4.5")}).evaluation
    assert ev.get("part").value == Decimal("1.51")            # 1.5075 → 1.51 (half up, not half even)


DATED = """article 1
  parameter months: int
    from 2011-01-01 13
    from 2004-01-01 12
  fact death_date: date "死亡日期"
  parameter income: money
    from 2023-01-01 100
    from 2024-01-01 200
  value figure: money = as_of(income, death_date)
  value after_revision: bool = case_date >= 2011-01-01
"""


def test_parameters_are_chosen_by_the_case_date():
    assert eval_snippet(DATED, {}, date(2010, 12, 31)).evaluation.get("months").value == 12
    assert eval_snippet(DATED, {}, date(2011, 1, 1)).evaluation.get("months").value == 13
    assert eval_snippet(DATED, {}, date(2011, 1, 1)).evaluation.get("after_revision").value is True
    assert eval_snippet(DATED, {}, date(2010, 12, 31)).evaluation.get("after_revision").value is False


def test_before_any_version_is_unknown_with_a_diagnostic():
    r = eval_snippet(DATED, {}, date(2003, 6, 1))
    assert r.evaluation.get("months").value is UNKNOWN
    assert any("no rule for months is in force on 2003-06-01" in d.message for d in r.evaluation.diagnostics)


def test_as_of_uses_another_date():
    ev = eval_snippet(DATED, {"death_date": date(2024, 3, 1)}, date(2020, 1, 1)).evaluation
    assert ev.get("figure").value == Decimal("200.00")
    ev = eval_snippet(DATED, {"death_date": date(2023, 12, 31)}, date(2020, 1, 1)).evaluation
    assert ev.get("figure").value == Decimal("100.00")
    ev = eval_snippet(DATED, {}, date(2020, 1, 1)).evaluation
    assert ev.get("figure").missing == {"death_date"}


LISTS = """article 1
  fact people: list {kind: enum {spouse, other} "k", extra: bool "e"} "亲属"
  fact w: money "w"
  value total: money = sum(p in people: w * (if p.kind == spouse then 40% else 30%) + (if p.extra then w * 10% else 0))
  value spouses: int = count(p in people where p.kind == spouse)
"""


def test_sums_over_lists_and_unknown_fields():
    people = ({"kind": "spouse", "extra": False}, {"kind": "other", "extra": True})
    ev = eval_snippet(LISTS, {"people": people, "w": Decimal(1000)}).evaluation
    assert ev.get("total").value == Decimal("800.00")  # 400 + 300 + 100
    assert ev.get("spouses").value == 1
    ev = eval_snippet(LISTS, {"people": ({"kind": "other"},), "w": Decimal(1000)}).evaluation
    assert ev.get("total").value is UNKNOWN and ev.get("total").missing == {"people"}
    assert eval_snippet(LISTS, {"w": Decimal(1)}).evaluation.get("spouses").missing == {"people"}


PRESUMED = """article 1
  fact drunk: bool "醉酒"
  presume drunk = false because burden_of_proof cite 19(2) "the employer bears the burden of proof"
  fact recognized: bool "认定"
  benefit b "补助" once
    payable when recognized and not drunk
    amount = 100
    payer = fund
"""


def test_presumptions_are_used_and_reported_and_a_given_fact_wins():
    r = eval_snippet(PRESUMED, {"recognized": True})
    data = result_json(r)
    assert data["items"][0]["payable"] is True
    assert data["assumed"] == [{
        "fact": "drunk", "value": False, "kind": "burden_of_proof",
        "reason": "the employer bears the burden of proof",
        "basis": [{"instrument": "T", "version": "2010", "article": 19, "paragraph": 2}],
    }]
    data = result_json(eval_snippet(PRESUMED, {"recognized": True, "drunk": True}))
    assert data["items"][0]["payable"] is False and data["assumed"] == []
    # a presumption that is never reached is not reported
    assert result_json(eval_snippet(PRESUMED, {"recognized": False}))["assumed"] == []


def test_trace_records_values_inputs_and_citations():
    r = eval_snippet(PRESUMED, {"recognized": True})
    nodes = {n["id"]: n for n in result_json(r)["trace"]["nodes"]}
    assert result_json(r)["trace"]["schema"] == "lawtrace.trace/1"
    payable = nodes["b.payable"]
    assert payable["value"] is True and payable["inputs"] == ["recognized", "drunk"]
    assert nodes["drunk"]["assumed"] is True and nodes["recognized"]["given"] is True
    assert nodes["b.amount"]["value"] == "100.00"


def test_same_case_gives_byte_identical_json():
    import json

    a = json.dumps(result_json(eval_snippet(PRESUMED, {"recognized": True})), ensure_ascii=False)
    b = json.dumps(result_json(eval_snippet(PRESUMED, {"recognized": True})), ensure_ascii=False)
    assert a == b
