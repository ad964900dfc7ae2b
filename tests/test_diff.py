"""Regime diffs: structural (added, removed, changed, unchanged-but-moved) and outcomes with their causes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import compile_snippet

from engine.analysis.diff import Side, diff_outcomes, diff_rules, summarize
from engine.run.evaluate import Evaluator
from engine.run.result import evaluate
from explain.diff_view import render_diff
from lawtrace.cli import main

BASE = """article 1 "第一条"
  fact wage: money "工资"
  fact grade: int 1..10 "等级"
  parameter months: table[int -> int] from 2011-01-01 {1: 27, 7: 13}
  parameter floor: money from 2011-01-01 100
  value base: money = max(wage, floor)
  benefit subsidy "补助金" once
    payable when grade in 1..10
    amount = base * months[grade]
    payer = fund
article 2 "第二条"
  value unused: int = 3 cite 2
"""

# months of grade 7 changed, floor removed (base formula changed), a new item added,
# and article 2 moved above article 1 with its rule unchanged
REFORM = """article 2 "第二条（移动）"
  value unused: int = 3 cite 2
article 1 "第一条"
  fact wage: money "本人工资"
  fact grade: int 1..10 "伤残等级"
  parameter months: table[int -> int] from 2011-01-01 {1: 27, 7: 14}
  value base: money = wage
  benefit subsidy "补助金" once
    payable when grade in 1..10
    amount = base * months[grade]
    payer = fund
  benefit bonus "奖金" once
    payable when grade in 7..10
    amount = 500
    payer = employer
"""


@pytest.fixture(scope="module")
def programs():
    return compile_snippet(BASE, "base.lt"), compile_snippet(REFORM, "reform.lt")


def test_structural_diff_kinds(programs):
    a, b = programs
    changes = {c.id: c for c in diff_rules(Side(a, None), Side(b, None))}
    assert changes["months"].kind == "changed"
    assert changes["months"].old == "from 2011-01-01: {1: 27, 7: 13}"
    assert changes["months"].new == "from 2011-01-01: {1: 27, 7: 14}"
    assert changes["floor"].kind == "removed"
    assert changes["base"].kind == "changed" and changes["base"].new == "wage"
    assert changes["bonus.amount"].kind == "added" and changes["bonus.amount"].items == ("bonus",)
    assert changes["bonus.payer"].new == "employer"
    # label renamed (工资 → 本人工资) and rule moved to another place: not changes
    assert "wage" not in changes and "grade" not in changes and "unused" not in changes
    # changes are grouped by the items they bear on
    assert changes["months"].items == ("subsidy",)


def test_outcome_diff_names_the_causing_rules(programs):
    a, b = programs
    facts = {"wage": Decimal(50), "grade": Decimal(7)}
    old = evaluate(Evaluator(a), facts, date(2020, 1, 1))
    new = evaluate(Evaluator(b), facts, date(2020, 1, 1))
    changes = {c.item: c for c in diff_outcomes("c1", old, new)}
    # old: max(50, 100) × 13 = 1300.00; new: 50 × 14 = 700.00
    assert changes["subsidy"].old["amount"] == "1300.00" and changes["subsidy"].new["amount"] == "700.00"
    causes = {x.id for x in changes["subsidy"].because}
    assert {"months", "base", "floor"} <= causes
    assert "wage" not in causes and "grade" not in causes  # facts that are the same are no cause
    months = next(x for x in changes["subsidy"].because if x.id == "months")
    assert (months.old, months.new) == ({"7": 13}, {"7": 14})  # only the entry looked up
    assert changes["bonus"].old == {} and changes["bonus"].new["amount"] == "500.00"
    summary = summarize(list(changes.values()), [("c1", old, new)])
    assert summary["lose"] == 0 and summary["mixed"] == 1  # subsidy down, bonus new


def test_unchanged_case_has_no_outcome_change(programs):
    a, b = programs
    facts = {"wage": Decimal(500), "grade": Decimal(1)}
    old = evaluate(Evaluator(a), facts, date(2020, 1, 1))
    new = evaluate(Evaluator(b), facts, date(2020, 1, 1))
    assert [c.item for c in diff_outcomes("c2", old, new)] == []  # grade 1: 500 × 27 both ways; no bonus


def test_2010_vs_2012_national_shows_months_and_death_formula():
    out = CliRunner().invoke(main, ["diff", "national@2010-06-01", "national@2012-06-01", "--format", "json"])
    assert out.exit_code == 0, out.output
    rules = {r["id"]: r for r in json.loads(out.output)["rules"]}
    months = rules["disability_subsidy_months"]
    assert months["kind"] == "changed" and "7: 12" in months["old"] and "7: 13" in months["new"]
    death = rules["death_benefit_amount"]
    assert "national_income_used" in death["new"] and "death_benefit_months_2003" in death["old"]
    assert {"instrument": "WIIR", "version": "2010", "article": 39, "paragraph": 1, "item": 3} in death["citations"]


CASES = """- id: g7
  date: 2020-06-15
  facts: {work_injury_recognized: true, disability_grade: 7, monthly_wage: 6000, regional_avg_monthly_wage: 8000}
- id: declined
  date: 2020-06-15
  facts: {work_injury_recognized: false}
"""


def test_national_outcome_diff_with_cases(tmp_path: Path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(CASES, encoding="utf-8")
    out = CliRunner().invoke(main, ["diff", "national@2010-06-01", "national@2012-06-01", "--cases", str(cases),
                                    "--format", "json"])
    data = json.loads(out.output)
    # g7: 6000 × 12 = 72000.00 under the 2003 text, 6000 × 13 = 78000.00 under the 2010 text
    g7 = next(o for o in data["outcomes"] if o["case"] == "g7" and o["item"] == "one_time_disability_subsidy")
    assert (g7["old"]["amount"], g7["new"]["amount"]) == ("72000.00", "78000.00")
    assert "disability_subsidy_months" in [b["id"] for b in g7["because"]]
    assert data["summary"]["gain"] == 1 and data["summary"]["cases"] == 2
    assert not [o for o in data["outcomes"] if o["case"] == "declined"]


@pytest.mark.parametrize("fmt, lang", [("text", "zh"), ("text", "en"), ("md", "en"), ("html", "zh")])
def test_diff_reports_golden(fmt: str, lang: str, programs, golden):
    from lawtrace.diffing import DiffReport

    a, b = Side(programs[0], None), Side(programs[1], None)
    pairs = []
    outcomes = []
    for case_id, facts in (("c7", {"wage": Decimal(50), "grade": Decimal(7)}), ("c1", {"wage": Decimal(500), "grade": Decimal(1)})):
        old = evaluate(Evaluator(a.program), facts, date(2020, 1, 1))
        new = evaluate(Evaluator(b.program), facts, date(2020, 1, 1))
        pairs.append((case_id, old, new))
        outcomes.extend(diff_outcomes(case_id, old, new))
    data = DiffReport(a, b, diff_rules(a, b), outcomes, summarize(outcomes, pairs)).as_json()
    golden(f"diff/handmade.{lang}.{fmt}", render_diff(data, lang, fmt))


def test_html_diff_is_self_contained_and_escaped(programs):
    a, b = programs
    data = {"a": "<script>alert(1)</script>", "b": "b", "instruments": {}, "rules": [], "outcomes": [],
            "summary": {"cases": 1, "gain": 0, "lose": 0, "mixed": 0, "payer_changed": 0, "totals": {"old": {}, "new": {}}}}
    html = render_diff(data, "en", "html")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html


def test_bad_date_in_spec_is_a_user_error():
    out = CliRunner().invoke(main, ["diff", "national@2010-13-01", "national"])
    assert out.exit_code == 1 and "YYYY-MM-DD" in out.output


def test_national_vs_jiangsu_rules_cite_js_27_and_28():
    out = CliRunner().invoke(main, ["diff", "national", "jiangsu", "--format", "json"])
    assert out.exit_code == 0, out.output
    rules = {r["id"]: r for r in json.loads(out.output)["rules"]}
    medical = rules["provincial_medical_subsidy"]
    assert medical["kind"] == "changed" and "one_time_medical_subsidy" in medical["items"]
    assert {"instrument": "JS", "version": "2015", "article": 27, "paragraph": 1} in medical["citations_new"]
    assert "one_time_employment_subsidy" in rules["provincial_employment_subsidy"]["items"]
    proration = [r for r in rules.values() if any(c["instrument"] == "JS" and c["article"] == 28 for c in r["citations_new"])]
    assert proration and all(r["kind"] in ("added", "changed") for r in proration)
    assert not [r for r in rules if "~" in r]  # kept copies of replaced rules are no rules of their own


def test_national_vs_jiangsu_outcome_points_at_js_27(tmp_path: Path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("""- id: js-g9
  date: 2020-06-15
  facts: {work_injury_recognized: true, employer_insured: true, disability_grade: 9, statutory_retirement_age: 60, age: 40, monthly_wage: 6000,
          regional_avg_monthly_wage: 8000, occupational_disease: false, labor_relation_ended: contract_expired,
          labor_relation_end_date: 2021-03-01}
""", encoding="utf-8")
    out = CliRunner().invoke(main, ["diff", "national", "jiangsu", "--cases", str(cases), "--format", "json"])
    data = json.loads(out.output)
    medical = next(o for o in data["outcomes"] if o["item"] == "one_time_medical_subsidy")
    # national leaves the amount to the province (undetermined); JS 27(1) sets 50,000 for grade 9
    assert medical["old"]["amount"] is None and medical["new"]["amount"] == "50000.00"
    causes = {b["id"]: b for b in medical["because"]}
    assert causes["provincial_medical_subsidy"]["new"] == "50000.00"
    assert any(c["instrument"] == "JS" and c["article"] == 27 for c in causes["provincial_medical_subsidy"]["citations"])
    assert "labor_relation_end_date" not in causes  # a fact given in the case is no cause
    table = next(b for k, b in causes.items() if k.startswith("medical_subsidy_benchmark"))
    assert table["new"] == {"9": "50000.00"}  # only the entry looked up


def test_outcome_diff_reads_a_csv_population(tmp_path: Path):
    pop = tmp_path / "pop.csv"
    pop.write_text("id,date,work_injury_recognized,employer_insured,disability_grade,monthly_wage,regional_avg_monthly_wage\n"
                   "r1,2020-06-15,true,true,7,6000,8000\n"
                   "r2,2020-06-15,false,,,,\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["diff", "national@2010-06-01", "national@2012-06-01", "--cases", str(pop),
                                    "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    r1 = next(o for o in data["outcomes"] if o["case"] == "r1" and o["item"] == "one_time_disability_subsidy")
    assert (r1["old"]["amount"], r1["new"]["amount"]) == ("72000.00", "78000.00")  # 6000 × 12 → 6000 × 13
    assert not [o for o in data["outcomes"] if o["case"] == "r2"]  # not recognized: nothing under either text
    assert data["summary"]["cases"] == 2
