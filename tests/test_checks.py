"""Compile-time checks, all before any case runs: names, types, cycles, conflicts (golden messages)."""

from __future__ import annotations

import pytest

from dsl.errors import ErrorList, LawtraceError, SourceError
from tests_support import compile_error

CASES = {
    "undefined_name": """article 1
  fact monthly_wage: money "工资"
  value base: money = monthly_wag * 2
""",
    "money_plus_rate": """article 1
  fact w: money "工资"
  parameter share: rate from 2011-01-01 60%
  value base: money = w + share
""",
    "condition_not_bool": """article 1
  fact w: money "工资"
  benefit b "补助" once
    payable when w
    amount = w
    payer = fund
""",
    "declared_type_mismatch": """article 1
  fact g: int 1..10 "等级"
  value v: money = g * 2
""",
    "cycle": """article 1
  fact w: money "工资"
  value a: money = b + w
  value b: money = c
  value c: money = a
""",
    "defined_twice": """article 1
  fact w: money "工资"
article 2
  value w: money = 1
""",
    "enum_member_unknown": """article 1
  fact level: enum {full, most, partial} "护理"
  value v: bool = level == ful
""",
    "table_key_type": """article 1
  fact d: date "日期"
  parameter t: table[int -> int] from 2011-01-01 {1: 2}
  value v: int = t[d]
""",
    "presumption_of_non_fact": """article 1
  fact w: money "工资"
  value v: bool = true
  presume v = false because burden_of_proof "the employer must prove"
""",
    "unknown_cited_instrument": """article 1
  fact w: money "工资" cite XYZ 3(1)
""",
    "benefit_without_payer": """article 1
  benefit b "补助" once
    amount = 1
""",
    "parameter_out_of_range": """article 1
  parameter p: int 1..10 from 2011-01-01 11
""",
    "several_errors_at_once": """article 1
  fact w: money "工资"
  value a: money = w + 1%
  value b: money = nope
  value c: bool = w
""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_errors(name: str, golden):
    error = compile_error(CASES[name], f"{name}.lt")
    rendered = error.render()
    assert f"{name}.lt:" in rendered
    golden(f"errors/check_{name}.txt", rendered + "\n")


def test_cycle_error_shows_every_edge():
    error = compile_error(CASES["cycle"], "cycle.lt")
    text = error.render()
    for edge in ("a is read by", "b is read by", "c is read by"):
        assert edge in text
    assert text.count("cycle.lt:") >= 4


def test_all_errors_of_a_check_are_collected():
    error = compile_error(CASES["several_errors_at_once"], "many.lt")
    assert isinstance(error, ErrorList)
    assert len(error.errors) == 3
    assert all(isinstance(e, SourceError) and e.span is not None for e in error.errors)


def test_did_you_mean_on_unknown_name():
    error = compile_error(CASES["undefined_name"], "u.lt")
    assert isinstance(error, LawtraceError)
    assert "did you mean 'monthly_wage'" in error.render()
