"""Benefits over time, the events issue 13 left (re-appraisal, benefits stopping, WIIR 40 adjustments, the retirement
age in years and months, the care allowance by the year before its month). Every figure is worked by hand from the
texts in the comments."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml
from click.testing import CliRunner
from conftest import item, run

from dsl.source import SourceFile
from engine.run.case import parse_case, validate_facts
from engine.run.evaluate import Evaluation, Evaluator
from lawtrace.api import load_program
from lawtrace.cli import main

# accident 2021-03-01; grade 3 assessed on 2021-11-01 (WIIR 35(1)(2): 80 % of the wage); wage 6,000
BASE = {"work_injury_recognized": True, "employer_insured": True, "monthly_wage": 6000,
        "regional_avg_monthly_wage": 7000, "minimum_wage": 2000, "disability_grade": 3,
        "appraisal_conclusion_date": "2021-11-01"}
DAY = "2021-03-01"


def spans(entry: dict) -> list[tuple]:
    return [(p["from"], p["to"], p["monthly_amount"], p["payer"]) for p in entry["periods"]]


def articles(edge: dict) -> set[int]:
    return {c["article"] for c in edge["basis"]}


# --- WIIR 28: a review appraisal changes the grade from its date ---------------------------------------------------

def test_WIIR_28_a_review_appraisal_changes_the_allowance_from_its_date():
    r = run({**BASE, "reappraisal_date": "2023-05-10", "reappraised_grade": 2}, DAY)
    allowance = item(r, "disability_allowance")
    # grade 3: 80 % × 6,000 = 4,800 from the first conclusion; grade 2 from the review: 85 % × 6,000 = 5,100
    assert spans(allowance) == [("2021-11-01", "2023-05-09", "4800.00", "fund"),
                                ("2023-05-10", None, "5100.00", "fund")]
    assert allowance["periods"][1]["starts"]["event"] == "reappraisal"
    assert 28 in articles(allowance["periods"][1]["starts"])
    assert allowance["periods"][0]["ends"]["event"] == "reappraisal"
    # the one-time disability subsidy arose on the first conclusion, at grade 3: 23 × 6,000 = 138,000 (WIIR 35(1)(1))
    assert item(r, "one_time_disability_subsidy")["amount"] == "138000.00"


def test_WIIR_28_a_review_to_grade_5_moves_the_allowance_to_the_employer():
    facts = {**BASE, "reappraisal_date": "2023-01-02", "reappraised_grade": 5, "no_suitable_work_arranged": True}
    allowance = item(run(facts, DAY), "disability_allowance")
    # grade 5 (WIIR 36(1)(2)): 70 % × 6,000 = 4,200, paid by the employer, from the review's conclusion
    assert spans(allowance) == [("2021-11-01", "2023-01-01", "4800.00", "fund"),
                                ("2023-01-02", None, "4200.00", "employer")]


def _eval_file(tmp_path, extra_facts: str):
    """`lawtrace eval` of a case file: BASE's facts and the lines given, from 2021-03-01."""
    path = tmp_path / "case.yaml"
    path.write_text("date: 2021-03-01\nfacts:\n" + "".join(f"  {k}: {v}\n" for k, v in BASE.items()) + extra_facts,
                    encoding="utf-8")
    return CliRunner().invoke(main, ["eval", str(path)])


def test_WIIR_28_a_review_before_one_year_is_refused_at_the_fact(tmp_path):
    # 自劳动能力鉴定结论作出之日起1年后 … 可以申请复查鉴定: 2021-11-01 + 1 year = 2022-11-01; 2022-06-01 is earlier
    out = _eval_file(tmp_path, "  reappraisal_date: 2022-06-01\n  reappraised_grade: 2\n")
    assert out.exit_code == 1
    assert "reappraisal_date" in out.output and "1 year" in out.output and "case.yaml" in out.output


def test_WIIR_28_a_review_date_without_its_grade_is_refused(tmp_path):
    out = _eval_file(tmp_path, "  reappraisal_date: 2023-06-01\n")
    assert out.exit_code == 1 and "reappraised_grade" in out.output


# --- WIIR 42 / SIL 43: the benefits stop on a day ------------------------------------------------------------------

def test_WIIR_42_the_benefits_stop_on_their_date_and_every_own_monthly_stream_ends_the_day_before():
    facts = {**BASE, "care_level": "partial", "benefits_stop_reason": "refused_treatment",
             "benefits_stop_date": "2022-08-01", "regional_avg_wages": [{"year": 2021, "monthly_wage": 7500}]}
    r = run(facts, DAY)
    allowance, care = item(r, "disability_allowance"), item(r, "care_allowance")
    # 4,800 a month from 2021-11-01 to 2022-07-31 (拒绝治疗的，停止享受工伤保险待遇)
    assert spans(allowance) == [("2021-11-01", "2022-07-31", "4800.00", "fund")]
    assert allowance["periods"][0]["ends"]["event"] == "benefits_stop"
    assert {42, 43} <= articles(allowance["periods"][0]["ends"])
    # care: 30 % × 7,000 = 2,100 in 2021; 30 % × 7,500 (the 2021 figure) = 2,250 in 2022, to the day before the stop
    assert spans(care) == [("2021-11-01", "2021-12-31", "2100.00", "fund"),
                           ("2022-01-01", "2022-07-31", "2250.00", "fund")]
    assert care["periods"][-1]["ends"]["event"] == "benefits_stop"
    # owed for some period: payable keeps its meaning
    assert allowance["payable"] is True and allowance["amount"] == "4800.00"
    # the one-time disability subsidy arose on 2021-11-01, before the stop: still owed, 23 × 6,000 = 138,000
    assert (item(r, "one_time_disability_subsidy")["payable"], item(r, "one_time_disability_subsidy")["amount"]) == \
        (True, "138000.00")


def test_WIIR_42_a_stop_before_the_appraisal_takes_the_one_time_subsidy():
    r = run({**BASE, "benefits_stop_reason": "refused_appraisal", "benefits_stop_date": "2021-10-01"}, DAY)
    assert item(r, "one_time_disability_subsidy")["payable"] is False
    assert item(r, "disability_allowance")["payable"] is False


def test_WIIR_42_without_its_date_the_stop_takes_everything_as_before():
    r = run({**BASE, "benefits_stop_reason": "lost_conditions"}, DAY)
    assert item(r, "disability_allowance")["payable"] is False
    assert item(r, "one_time_disability_subsidy")["payable"] is False


# --- WIIR 40: adjustments as a dated series -------------------------------------------------------------------------

def test_WIIR_40_adjustments_add_up_from_their_dates():
    facts = {**BASE, "care_level": "most",
             "regional_avg_wages": [{"year": 2021, "monthly_wage": 7000}, {"year": 2022, "monthly_wage": 7200}],
             "allowance_adjustments": [{"from": "2022-07-01", "disability_allowance": 120, "care_allowance": 60},
                                       {"from": "2023-07-01", "disability_allowance": 150}]}
    r = run(facts, DAY)
    # allowance 4,800; +120 from 2022-07-01 = 4,920; +150 more from 2023-07-01 = 5,070
    assert spans(item(r, "disability_allowance")) == [("2021-11-01", "2022-06-30", "4800.00", "fund"),
                                                      ("2022-07-01", "2023-06-30", "4920.00", "fund"),
                                                      ("2023-07-01", None, "5070.00", "fund")]
    assert item(r, "disability_allowance")["periods"][1]["starts"]["event"] == "allowance_adjustment"
    # care (mostly dependent, 40 %): 2021 and 2022 on 7,000 = 2,800; +60 from 2022-07-01 = 2,860;
    # 2023 on the 2022 figure 7,200: 2,880 + 60 = 2,940; 2024 needs the 2023 figure: undetermined
    care = spans(item(r, "care_allowance"))
    assert care[:3] == [("2021-11-01", "2022-06-30", "2800.00", "fund"),
                        ("2022-07-01", "2022-12-31", "2860.00", "fund"),
                        ("2023-01-01", "2023-12-31", "2940.00", "fund")]
    assert care[3][:3] == ("2024-01-01", None, None)
    assert "allowances_adjusted" not in [a["fact"] for a in r["assumed"]]


def test_WIIR_40_not_given_is_said_not_silent():
    r = run(BASE, DAY)
    assumed = {a["fact"]: a for a in r["assumed"]}
    # the amounts are the unadjusted ones, and the result says the adjustments were not given
    assert assumed["allowances_adjusted"]["value"] is False
    assert assumed["allowances_adjusted"]["kind"] == "later_events"
    assert "allowance_adjustments" in assumed["allowances_adjusted"]["reason"]
    assert "第四十条" in assumed["allowances_adjusted"]["reason_zh"]
    assert spans(item(r, "disability_allowance")) == [("2021-11-01", None, "4800.00", "fund")]


def test_WIIR_40_said_adjusted_without_the_series_leaves_the_amount_undetermined():
    r = run({**BASE, "allowances_adjusted": True}, DAY)
    allowance = item(r, "disability_allowance")
    assert allowance["periods"][0]["monthly_amount"] is None
    assert any("allowance_adjustments" in d["message"] and "第四十条" in d["message_zh"] for d in r["diagnostics"])


def test_WIIR_40_adjusts_the_dependants_pension_after_the_cap():
    facts = {**BASE, "died": True, "death_date": "2022-03-10",
             "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False}],
             "allowance_adjustments": [{"from": "2023-01-01", "dependent_pension": 200}]}
    pension = item(run(facts, DAY), "dependent_pension")
    # spouse 40 % × 6,000 = 2,400 from the day after the death; +200 from 2023-01-01 = 2,600
    assert spans(pension) == [("2022-03-11", "2022-12-31", "2400.00", "fund"), ("2023-01-01", None, "2600.00", "fund")]


# --- WIIR 34: the care allowance takes the year before its month ----------------------------------------------------

def test_WIIR_34_care_allowance_without_next_year_figures_is_undetermined_from_the_next_year():
    r = run({**BASE, "care_level": "full"}, DAY)
    care = item(r, "care_allowance")
    # 2021: 50 % × 7,000 (the 2020 figure, the case's) = 3,500; from 2022 the 2021 figure is needed and not given
    assert spans(care)[0] == ("2021-11-01", "2021-12-31", "3500.00", "fund")
    assert spans(care)[1][:3] == ("2022-01-01", None, None)
    assert "regional_avg_wages" in care["periods"][1]["missing"]
    assert care["amount"] == "3500.00"  # the first payable period's


def test_WIIR_34_a_gap_year_is_undetermined_and_a_later_given_year_resumes():
    facts = {**BASE, "care_level": "partial",
             "regional_avg_wages": [{"year": 2021, "monthly_wage": 7500}, {"year": 2023, "monthly_wage": 8000}]}
    care = spans(item(run(facts, DAY), "care_allowance"))
    # 2021: 30 % × 7,000 = 2,100; 2022: 30 % × 7,500 = 2,250; 2023: the 2022 figure is not given → undetermined;
    # 2024: 30 % × 8,000 = 2,400; 2025: the 2024 figure is not given → undetermined
    assert [c[:3] for c in care] == [("2021-11-01", "2021-12-31", "2100.00"), ("2022-01-01", "2022-12-31", "2250.00"),
                                     ("2023-01-01", "2023-12-31", None), ("2024-01-01", "2024-12-31", "2400.00"),
                                     ("2025-01-01", None, None)]


def test_eval_window_counts_the_care_allowance_by_year_and_leaves_the_undetermined_year_out(tmp_path):
    case = {"date": DAY, "facts": {**BASE, "care_level": "partial",
                                   "regional_avg_wages": [{"year": 2021, "monthly_wage": 7500}]}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    out = CliRunner().invoke(main, ["eval", str(path), "--from", "2022-11-01", "--to", "2023-02-28", "--format", "json"])
    assert out.exit_code == 0, out.output
    owed = json.loads(out.output)["owed"]
    months = {m["month"]: m["by_item"].get("care_allowance") for m in owed["months"]}
    # 2,250 in Nov and Dec 2022 (the 2021 figure); 2023 needs the 2022 figure: not counted, listed as undated
    assert months == {"2022-11": "2250.00", "2022-12": "2250.00", "2023-01": None, "2023-02": None}
    assert owed["by_item"]["care_allowance"] == "4500.00"
    assert any(u["item"] == "care_allowance" for u in owed["undated"])


# --- the statutory retirement age in years and months ---------------------------------------------------------------

def _retirement_date(facts: dict, day: str = "2024-06-01") -> tuple:
    """The day the statutory retirement age is reached, read through the case file's own loader."""
    program = load_program("national")
    case = parse_case(SourceFile("case.json", json.dumps({"date": day, "facts": facts})))
    ev = Evaluation(Evaluator(program), validate_facts(program, case), date.fromisoformat(day))
    v = ev.get("statutory_retirement_date")
    return (v.value if v.known else None), ev


@pytest.mark.parametrize("age, expected", [
    ("60y3m", "2025-08-20"),                 # 1965-05-20 + 60 years 3 months
    ({"years": 63, "months": 0}, "2028-05-20"),
    ("55y", "2020-05-20"),
    (60, "2025-05-20"),                      # whole years (presumed no months: listed)
    ({"years": 60, "months": 11}, "2026-04-20"),
])
def test_the_retirement_date_is_the_birth_date_plus_the_age_in_years_and_months(age, expected):
    value, ev = _retirement_date({"birth_date": "1965-05-20", "statutory_retirement_age": age})
    assert value is not None and value.isoformat() == expected
    assert ("statutory_retirement_age_months" in ev.assumed) == (age == 60)


def test_the_retirement_date_of_31_august_plus_months_is_the_month_s_last_day():
    value, _ = _retirement_date({"birth_date": "1964-08-31", "statutory_retirement_age": "60y6m"})
    assert value.isoformat() == "2025-02-28"  # 2024-08-31 + 6 months: February has no 31st (Civil Code art. 202)


def test_without_the_birth_date_the_retirement_date_is_unknown_never_presumed():
    value, ev = _retirement_date({"statutory_retirement_age": "60y3m"})
    assert value is None


@pytest.mark.parametrize("age, where, says", [
    ("60y13m", "statutory_retirement_age", "the months of '60y13m': 13 is out of range"),
    ("200y", "statutory_retirement_age", "the years of '200y': 200 is out of range"),
    ("sixty", "statutory_retirement_age", "60y3m"),
    ({"years": 60, "month": 3}, "statutory_retirement_age.month", "did you mean"),
    ({"months": 3}, "statutory_retirement_age", "`years` is missing"),
    ({"years": 200, "months": 0}, "statutory_retirement_age.years", "out of range"),
])
def test_a_bad_age_in_years_and_months_is_refused_at_the_field(tmp_path, age, where, says):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump({"date": "2024-06-01", "facts": {"birth_date": "1965-05-20",
                                                                   "statutory_retirement_age": age}}))
    out = CliRunner().invoke(main, ["eval", str(path)])
    assert out.exit_code == 1, out.output
    assert where in out.output and says.lower() in out.output.lower()
    assert "Traceback" not in out.output


def test_jiangsu_reads_the_retirement_age_in_months():
    # JS 28: resigning less than 1 year before the retirement age gets 10 %. Born 1965-05-20, age 60y3m: the age is
    # reached on 2025-08-20; resigning on 2025-06-01 leaves 0 whole years → 10 % of the grade-7 medical benchmark
    # 120,000 (JS 27(1)) = 12,000. In whole years (60) the age is reached on 2025-05-20, before the resignation:
    # neither subsidy (达到法定退休年龄的，不支付).
    facts = {"work_injury_recognized": True, "employer_insured": True, "monthly_wage": 6000,
             "regional_avg_monthly_wage": 8000, "occupational_disease": False, "disability_grade": 7,
             "labor_relation_ended": "worker_resigned", "labor_relation_end_date": "2025-06-01",
             "birth_date": "1965-05-20"}
    r = run({**facts, "statutory_retirement_age": 60, "statutory_retirement_age_months": 3}, "2019-03-01", "jiangsu")
    assert item(r, "one_time_medical_subsidy")["amount"] == "12000.00"
    r = run({**facts, "statutory_retirement_age": 60}, "2019-03-01", "jiangsu")
    assert item(r, "one_time_medical_subsidy")["payable"] is False
    assert "statutory_retirement_age_months" in [a["fact"] for a in r["assumed"]]


def test_add_months_and_first_day_of_year_agree_between_the_two_evaluators():
    """The calendar functions the new rules use, row by row against the single-case ones (month ends, leap years,
    negative counts, a year out of range is unknown on columns as it is an error in one case)."""
    import numpy as np

    from engine.columns import arrays as C
    from engine.columns.arrays import Date, Num
    from engine.law_time.dates import add_months, first_day_of_year

    days = [date(2024, 1, 31), date(2023, 1, 31), date(2024, 2, 29), date(1965, 5, 20), date(2000, 12, 31), date(2024, 8, 31)]
    counts = [1, 1, 12, 723, -10, 6]
    d = Date(np.array([x.toordinal() for x in days], dtype=np.int64), None, 0, 0)
    n = Num(np.array(counts, dtype=np.int64), 1, -10, 723, None)
    got = C.add_months(d, n, len(days))
    assert [date.fromordinal(int(v)) for v in got.v] == [add_months(x, k) for x, k in zip(days, counts)]
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29) and add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    years = Num(np.array([2021, 1999, 10000], dtype=np.int64), 1, 1999, 10000, None)
    got = C.first_day_of_year(years, 3)
    assert [date.fromordinal(int(v)) for v in got.v[:2]] == [first_day_of_year(2021), first_day_of_year(1999)]
    assert got.known is not None and list(got.known) == [True, True, False]
