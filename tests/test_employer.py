"""Employer cases: late fees by the day (SIL 86, WIIR 62(1)), fines as ranges (SIL 84, 86), GY 10-11, JS 4 and 11.

Numbers worked by hand from ../shared/law: SIL 86 and WIIR 62(1) (万分之五 a day from the day of arrears; a fine of
one to three times the arrears), SIL 84 (one to three times the premiums due), GY 10-11 and JS 4, 11 (gists).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.errors import LawtraceError
from engine.run.result import result_json
from lawtrace.api import evaluate_case
from lawtrace.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def employer(facts: dict, date: str = "2020-06-01", regime: str = "national", as_of: str | None = None) -> dict:
    case: dict = {"kind": "employer", "regime": regime, "date": date, "facts": facts}
    if as_of is not None:
        case["as_of"] = as_of
    return result_json(evaluate_case(case), include_trace=False)


def item(result: dict, item_id: str) -> dict:
    return next(i for i in result["items"] if i["id"] == item_id)


def cites(entry: dict) -> set[tuple[str, int]]:
    return {(c["instrument"], c["article"]) for c in entry["basis"]}


def warnings_on(result: dict, target: str) -> list[str]:
    return [d["message"] for d in result["diagnostics"] if f"give {target} =" in d["message"]]


ARREARS = {"registered": True, "arrears": 50000, "payment_due_date": "2020-06-15"}  # a Monday, a working day


# ---------------------------------------------------------------- SIL 86: the late fee


def test_done_40_days_late_on_50000_owes_1000():
    r = employer({**ARREARS, "payment_date": "2020-07-25"})  # 15 days of June after the 15th + 25 of July = 40
    fee = item(r, "late_fee")
    # 50,000 × 0.05 % × 40 = 1,000.00
    assert (fee["payable"], fee["amount"], fee["payer"], fee["period"]) == (True, "1000.00", "employer", "once")
    assert ("SIL", 86) in cites(fee) and ("WIIR", 62) not in cites(fee)


def test_the_day_count_is_shown_in_the_explanation():
    case = json.dumps({"kind": "employer", "date": "2020-06-01", "facts": {**ARREARS, "payment_date": "2020-07-25"}})
    out = CliRunner().invoke(main, ["explain", "-", "late_fee", "--lang", "en"], input=case)
    assert out.exit_code == 0, out.output
    assert "days of arrears, from the first day after the due date to the day of payment: 40" in out.output
    assert "(days_late)" not in out.output  # E6: no rule names
    assert "1,000.00" in out.output and "SIL art. 86" in out.output


def test_edge_arrears_paid_on_the_due_date_owe_no_fee():
    assert item(employer({**ARREARS, "payment_date": "2020-06-15"}), "late_fee")["payable"] is False
    assert item(employer({**ARREARS, "payment_date": "2020-06-10"}), "late_fee")["payable"] is False  # early
    fee = item(employer({**ARREARS, "payment_date": "2020-06-16"}), "late_fee")
    assert fee["amount"] == "25.00"  # the next day: one day, 50,000 × 0.05 %


def test_unpaid_arrears_run_to_the_evaluation_date_and_say_so():
    r = employer(ARREARS, as_of="2020-07-25")
    assert item(r, "late_fee")["amount"] == "1000.00"  # 40 days to the evaluation date
    [a] = r["assumed"]
    assert (a["fact"], a["value"], a["kind"]) == ("arrears_outstanding", True, "later_events")
    fee = item(employer(ARREARS), "late_fee")  # neither paid nor an evaluation date: undetermined
    assert fee["payable"] is None and fee["amount"] is None and "as_of" in fee["missing"]


def test_a_fee_that_is_not_a_whole_fen_rounds_half_up():
    # 3,333.33 × 0.0005 × 7 = 11.666655 → 11.67
    fee = item(employer({**ARREARS, "arrears": "3333.33", "payment_date": "2020-06-22"}), "late_fee")
    assert fee["amount"] == "11.67"


def test_edge_a_due_date_on_a_public_holiday_leaves_the_count_open_and_says_why():
    holiday = {**ARREARS, "arrears": 10000, "payment_due_date": "2024-10-01"}  # National Day (statutes/calendar/2024.yaml)
    r = employer({**holiday, "payment_date": "2024-10-08"}, "2024-09-01")
    fee = item(r, "late_fee")
    assert fee["payable"] is None and fee["amount"] is None
    assert any("the last day for paying is a rest day" in d["message"] for d in r["diagnostics"])
    # paid on that day: no arrears whatever the rule on rest days
    assert item(employer({**holiday, "payment_date": "2024-10-01"}, "2024-09-01"), "late_fee")["payable"] is False
    # the day before is a Monday, a working day: 8 days, 10,000 × 0.05 % × 8 = 40.00
    fee = item(employer({**holiday, "payment_due_date": "2024-09-30", "payment_date": "2024-10-08"}, "2024-09-01"), "late_fee")
    assert fee["amount"] == "40.00"


def test_an_employer_that_never_registered_owes_the_fee_of_wiir_62_1():
    fee = item(employer({**ARREARS, "registered": False, "payment_date": "2020-07-25"}), "late_fee")
    assert fee["amount"] == "1000.00"  # the same 0.05 % a day
    assert ("WIIR", 62) in cites(fee) and ("SIL", 86) not in cites(fee)


def test_before_the_social_insurance_law_a_registered_employer_has_no_fee_rule_of_ours():
    # 2011-03: WIIR 62(1) (2011-01-01) covers an employer that had not joined; SIL 86 is in force from 2011-07-01
    facts = {"arrears": 10000, "payment_due_date": "2011-03-15", "payment_date": "2011-03-25"}
    fee = item(employer({**facts, "registered": False}, "2011-03-01"), "late_fee")
    assert fee["amount"] == "50.00"  # 10,000 × 0.05 % × 10
    r = employer({**facts, "registered": True}, "2011-03-01")
    assert item(r, "late_fee")["amount"] is None
    assert any("「late fee per day, share of the arrears」" in d["message"] and "2011-07-01" in d["message"]
               for d in r["diagnostics"])  # the rule by its words (E6), not its name


# ---------------------------------------------------------------- fines: a range, and who sets the figure


def test_a_fine_is_a_range_with_who_sets_it_and_no_amount():
    r = employer({**ARREARS, "payment_order_deadline": "2020-08-15"}, as_of="2020-09-01")
    fine = item(r, "fine")
    assert fine["payable"] is True and fine["amount"] is None
    assert fine["amount_range"] == {"min": "50000.00", "max": "150000.00"}  # 1 and 3 times 50,000
    assert fine["amount_set_by"]["zh"].startswith("有关行政部门")
    assert fine["undetermined"] == [] and ("SIL", 86) in cites(fine)


def test_no_fine_while_the_time_limit_of_the_order_runs_or_when_paid_within_it():
    assert item(employer({**ARREARS, "payment_order_deadline": "2020-08-15"}, as_of="2020-08-15"), "fine")["payable"] is False
    paid = {**ARREARS, "payment_order_deadline": "2020-08-15", "payment_date": "2020-08-01"}
    assert item(employer(paid, as_of="2020-09-01"), "fine")["payable"] is False
    late = {**ARREARS, "payment_order_deadline": "2020-08-15", "payment_date": "2020-08-16"}
    assert item(employer(late), "fine")["payable"] is True  # paid, but a day after the limit


def test_the_fine_for_not_registering_sil_84():
    r = employer({"registered": False, "registration_corrected_in_time": False, "premiums_due": 12000})
    fine = item(r, "registration_fine")
    assert fine["amount_range"] == {"min": "12000.00", "max": "36000.00"}  # 1 and 3 times 12,000
    assert fine["amount_set_by"]["en"] == "the social-insurance administration"
    assert ("SIL", 84) in cites(fine)
    corrected = employer({"registered": False, "registration_corrected_in_time": True, "premiums_due": 12000})
    assert item(corrected, "registration_fine")["payable"] is False


# ---------------------------------------------------------------- kinds of case


def test_worker_cases_list_no_employer_items_and_employer_cases_no_worker_items():
    worker = result_json(evaluate_case({"date": "2020-06-15", "facts": {}}), include_trace=False)
    ids = {i["id"] for i in worker["items"]}
    assert "one_time_disability_subsidy" in ids and not ids & {"premium", "late_fee", "fine", "registration_fine",
                                                                "investigation_fine"}
    assert worker["kind"] == "worker"
    r = employer({})
    assert {i["id"] for i in r["items"]} == {"premium", "late_fee", "fine", "registration_fine", "investigation_fine"}
    assert r["kind"] == "employer" and r["deadlines"] == []


def test_a_wrong_kind_or_evaluation_date_is_refused_at_its_field():
    with pytest.raises(LawtraceError) as caught:
        evaluate_case({"kind": "employr", "date": "2020-06-01", "facts": {}})
    assert "kind" in caught.value.render() and "did you mean 'employer'" in caught.value.render()
    with pytest.raises(LawtraceError) as caught:
        evaluate_case({"as_of": "15/04/2024", "facts": {}})
    assert "as_of" in caught.value.render() and "YYYY-MM-DD" in caught.value.render()


def test_the_cli_as_of_option_overrides_the_case(tmp_path: Path):
    case = tmp_path / "employer-arrears.yaml"
    case.write_text(json.dumps({"kind": "employer", "date": "2020-06-01", "facts": ARREARS}), encoding="utf-8")
    out = CliRunner().invoke(main, ["eval", str(case), "--as-of", "2020-07-25", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["as_of"] == "2020-07-25" and item(data, "late_fee")["amount"] == "1000.00"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("employer-*.yaml")), ids=lambda p: p.name)
def test_the_example_employer_cases_evaluate(path: Path):
    for fmt in ("text", "md", "html", "json"):
        out = CliRunner().invoke(main, ["eval", str(path), "--format", fmt, "--lang", "en"])
        assert out.exit_code == 0, out.output
    data = json.loads(CliRunner().invoke(main, ["eval", str(path), "--format", "json"]).output)
    assert data["kind"] == "employer" and any(i["payable"] is True for i in data["items"])


# ---------------------------------------------------------------- Guiyang and Jiangsu


def test_gy_11_a_closing_employer_reserves_for_all_its_grade_1_to_4_workers_and_dependants():
    facts = {"employer_closed": True, "employer_closure_date": "2020-06-15", "city_avg_annual_injury_medical_cost": 20000,
             "severely_disabled_workers": [
                 {"monthly_allowance": 4800, "monthly_care": 2400, "birth_date": "1970-03-01", "retirement_age": 60},
                 {"monthly_allowance": 3000, "monthly_care": 0, "birth_date": "1962-01-10", "retirement_age": 60},
                 {"monthly_allowance": 3000, "monthly_care": 0, "birth_date": "1950-01-10", "retirement_age": 60}],
             "pensioned_dependants": [{"monthly_pension": 1600}, {"monthly_pension": 1200}]}
    reserve = item(employer(facts, regime="guiyang"), "reserve_on_closure")
    # worker 1: 2020-06-15 → 2030-03-01, 116 whole months: (4,800 + 2,400) × 116 = 835,200, + 20,000 × 10 = 1,035,200
    # worker 2: 2020-06-15 → 2022-01-10, 18 whole months: 3,000 × 18 = 54,000, + 200,000 = 254,000
    # worker 3: retired in 2010: no months, the medical costs only: 200,000
    # dependants: (1,600 + 1,200) × 12 × 10 = 336,000; in all 1,825,200
    assert (reserve["payable"], reserve["amount"], reserve["payer"]) == (True, "1825200.00", "employer")
    assert ("GY", 11) in cites(reserve)
    assert item(employer({**facts, "employer_closed": False}, regime="guiyang"), "reserve_on_closure")["payable"] is False
    assert "reserve_on_closure" not in {i["id"] for i in employer({})["items"]}  # a Guiyang item


def test_gy_10_counts_wages_between_60_and_300_percent_but_yields_to_wiir_10():
    facts = {"industry_risk_class": 5, "rate_tier": "base", "provincial_avg_monthly_wage": 5000, "area_base_rate": "0.011",
             "worker_wages": [{"wage": 2000}, {"wage": 8000}, {"wage": 20000}]}
    r = employer(facts, regime="guiyang")
    # WIIR 10(2), 64(1): the whole payroll, 30,000 × 1.1 % = 330.00; GY 10 would count 3,000 + 8,000 + 15,000 = 26,000
    assert item(r, "premium")["amount"] == "330.00"
    [warning] = warnings_on(r, "premium_base")
    assert "GY art. 10 would give premium_base = 26000.00" in warning and "上位法优于下位法" in warning
    inside = {**facts, "worker_wages": [{"wage": 3000}, {"wage": 15000}]}  # the band's edges: GY 10 changes nothing
    assert not warnings_on(employer(inside, regime="guiyang"), "premium_base")


def test_js_4_the_medical_insurance_base_yields_to_the_payroll():
    facts = {"industry_risk_class": 5, "rate_tier": "base", "monthly_payroll": 1000000, "area_base_rate": "0.011",
             "medical_insurance_contribution_base": 800000}
    r = employer(facts, regime="jiangsu")
    assert item(r, "premium")["amount"] == "11000.00"
    [warning] = warnings_on(r, "premium_base")
    assert "JS art. 4 would give premium_base = 800000.00" in warning


def test_js_11_fills_the_share_of_the_premiums_set_aside_as_the_reserve():
    from lawtrace.api import evaluate_case as ev

    facts = {"industry_risk_class": 5, "rate_tier": "base", "monthly_payroll": 1000000, "area_base_rate": "0.011"}
    case = {"kind": "employer", "date": "2020-06-01", "facts": facts}
    jiangsu = ev({**case, "regime": "jiangsu"}).evaluation.get("premium_to_reserve")
    assert str(jiangsu.value) == "2200.00"  # 11,000 × 20 %
    national = ev({**case, "regime": "national"}).evaluation.get("premium_to_reserve")
    assert not national.known and "premium_reserve_share" in national.missing  # WIIR 13: for the province to set
