"""Guiyang (GY 2013 revision, gist only): conflicts with SIL 41-42, civil compensation first, fees, fines and the reserve.

Numbers worked by hand from the translation's gist in ../shared/law/guiyang-measures-2013.md and
from WIIR (7th grade: 13 months of the wage, WIIR 37(1)(1); funeral grant: 6 months of the area's
average wage, WIIR 39(1)(1); death benefit: 20 times the national urban income of the year before).
"""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import item, run

from lawtrace.cli import main

GY = "guiyang"
GRADE7 = {"work_injury_recognized": True, "disability_grade": 7, "monthly_wage": 6000,
          "regional_avg_monthly_wage": 8000, "died": False, "employer_insured": True}
ARREARS = {**GRADE7, "employer_insured": False, "employer_in_arrears": True, "employer_pays": False}


def gy(article: int, paragraph: int | None = None) -> dict:
    c = {"instrument": "GY", "version": "2013", "article": article}
    if paragraph is not None:
        c["paragraph"] = paragraph
    return c


def warnings_on(result: dict, target: str) -> list[dict]:
    return [d for d in result["diagnostics"] if f"give {target} =" in d["message"]]


# ---------------------------------------------------------------- GY 24 against SIL 41


def test_done_the_fund_still_advances_for_an_employer_in_arrears_with_a_warning_citing_both():
    r = run(ARREARS, "2020-06-15", GY)
    subsidy = item(r, "one_time_disability_subsidy")
    assert (subsidy["amount"], subsidy["payer"]) == ("78000.00", "employer")  # 6,000 × 13; WIIR 62(2)
    assert (subsidy["advance_payer"], subsidy["recover_from"]) == ("fund", "employer")  # SIL 41 prevails
    [warning] = warnings_on(r, "fund_item_advance_payer")
    cited = {(c["instrument"], c["article"]) for c in warning["citations"]}
    assert ("GY", 24) in cited and ("SIL", 41) in cited
    assert "GY art. 24 would give fund_item_advance_payer = none" in warning["message"]
    assert "上位法优于下位法" in warning["message"]
    assert warning["span"]["file"] == "statutes/guiyang/gy.lt"


def test_the_national_answer_is_the_same_without_any_warning():
    r = run(ARREARS, "2020-06-15", "national")
    subsidy = item(r, "one_time_disability_subsidy")
    assert (subsidy["advance_payer"], subsidy["recover_from"]) == ("fund", "employer")
    assert r["diagnostics"] == []


def test_no_warning_where_gy_24_and_sil_41_agree():
    for facts in (GRADE7, {**ARREARS, "employer_pays": True}):  # insured; or in arrears but paying: nobody advances
        r = run(facts, "2020-06-15", GY)
        assert not warnings_on(r, "fund_item_advance_payer"), facts
        assert not warnings_on(r, "fund_item_recover_from"), facts


def test_check_reports_the_conflicts_as_warnings_and_exits_0(golden):
    out = CliRunner().invoke(main, ["check", "--regime", GY, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["ok"] is True
    warning = next(d for d in data["diagnostics"] if "fund_item_advance_payer" in d["message"])
    assert warning["severity"] == "warning"
    assert {(c["instrument"], c["article"]) for c in warning["citations"]} >= {("GY", 24), ("SIL", 41)}
    assert warning["span"] == {"file": "statutes/guiyang/gy.lt", "line": warning["span"]["line"], "column": 3}
    golden("diagnostics/check_guiyang.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def test_the_diagnostics_of_a_result_in_arrears(golden):
    r = run(ARREARS, "2020-06-15", GY)
    golden("diagnostics/result_guiyang_arrears.json", json.dumps(r["diagnostics"], ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------- GY 23: civil compensation first


def parts(entry: dict) -> dict[str, tuple[str, str]]:
    return {p["name"]: (p["amount"], p["payer"]) for p in entry["parts"]}


def warned(r: dict, item_id: str) -> list[str]:
    return [d["message"] for d in r["diagnostics"] if f"of {item_id} paid by another party" in d["message"]]


def test_Q5_civil_compensation_does_not_split_a_national_item_the_higher_law_prevails_with_a_warning():
    # GY 23 (a gist) would credit civil compensation against the fund's items; SPC 2014 art. 8(3) lets the agency
    # refuse only the medical costs the third party paid, and GY 23 has no authority to split WIIR's items
    r = run({**GRADE7, "civil_compensation_received": 30000}, "2020-06-15", GY)
    subsidy = item(r, "one_time_disability_subsidy")
    assert (subsidy["amount"], subsidy["payer"], subsidy["parts"]) == ("78000.00", "fund", [])  # 6,000 × 13
    [message] = warned(r, "one_time_disability_subsidy")
    assert "GY art. 23 would have 30000.00 of one_time_disability_subsidy paid by another party" in message
    assert "上位法优于下位法" in message


def test_Q5_lawtrace_check_reports_the_gy_23_conflict():
    out = CliRunner().invoke(main, ["check", "--format", "json"])
    assert out.exit_code == 0
    messages = [w["message"] for w in json.loads(out.output)["diagnostics"]]
    assert any("GY art. 23" in m and "splits death_benefit" in m and "SPC2014 art. 8(3)" in m for m in messages)


def test_civil_compensation_above_the_standard_would_have_taken_it_all():
    r = run({**GRADE7, "civil_compensation_received": 100000}, "2020-06-15", GY)
    assert item(r, "one_time_disability_subsidy")["parts"] == []
    assert "would have 78000.00 of one_time_disability_subsidy" in warned(r, "one_time_disability_subsidy")[0]


def test_no_civil_compensation_mentioned_is_taken_as_none_and_said():
    r = run(GRADE7, "2020-06-15", GY)
    assert item(r, "one_time_disability_subsidy")["parts"] == []  # nothing to split
    assumed = {a["fact"]: a for a in r["assumed"]}
    assert assumed["civil_compensation_received"]["value"] == "0.00"
    assert assumed["civil_compensation_received"]["kind"] == "later_events"


def test_Q5_t13a_a_death_with_civil_compensation_the_fund_pays_the_death_items_in_full():
    # audit t13a: Guiyang 2016 death, insured, civil compensation 100,000: 36,000 + 31,195 × 20 = 623,900 from the fund
    facts = {"work_injury_recognized": True, "employer_insured": True, "died": True, "death_date": "2016-09-01",
             "monthly_wage": 5000, "regional_avg_monthly_wage": 6000, "third_party_caused": True,
             "third_party_identified": True, "third_party_pays": True, "civil_compensation_received": 100000,
             "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False}]}
    r = run(facts, "2016-09-01", GY)
    funeral, death = item(r, "funeral_grant"), item(r, "death_benefit")
    assert (funeral["amount"], funeral["payer"], funeral["parts"]) == ("36000.00", "fund", [])  # 6 × 6,000
    assert (death["amount"], death["payer"], death["parts"]) == ("623900.00", "fund", [])  # 20 × 31,195
    assert {"instrument": "SPC2014", "version": "2014", "article": 8, "paragraph": 3} in death["basis"]
    # the credit GY 23 would have made, funeral grant first: 36,000, then 64,000 of the death benefit
    assert "would have 36000.00 of funeral_grant" in warned(r, "funeral_grant")[0]
    assert "would have 64000.00 of death_benefit" in warned(r, "death_benefit")[0]


def test_gy_23_speaks_of_the_fund_so_an_uninsured_employer_gets_no_credit():
    r = run({**ARREARS, "civil_compensation_received": 30000}, "2020-06-15", GY)
    assert item(r, "one_time_disability_subsidy")["parts"] == []  # the employer pays the whole standard


# ---------------------------------------------------------------- GY 20 and GY 19


def test_gy_20_the_employer_advances_an_insured_workers_costs_before_recognition():
    facts = {**GRADE7, "medical_costs": 12000, "third_party_caused": False, "treated_before_recognition": True}
    medical = item(run(facts, "2020-06-15", GY), "medical_treatment")
    assert (medical["payer"], medical["advance_payer"], medical["recover_from"]) == ("fund", "employer", "fund")
    assert gy(20) in medical["basis"]
    medical = item(run({**facts, "treated_before_recognition": False}, "2020-06-15", GY), "medical_treatment")
    assert (medical["advance_payer"], medical["recover_from"]) == (None, None)
    national = {k: v for k, v in facts.items() if k != "treated_before_recognition"}  # a Guiyang fact
    medical = item(run(national, "2020-06-15", "national"), "medical_treatment")
    assert medical["advance_payer"] is None  # national law names no one


def test_gy_19_yields_to_wiir_12_where_it_would_take_the_fee_off_the_fund():
    facts = {**GRADE7, "appraisal_fee_costs": 800, "appraisal_kind": "review", "appraisal_changed_result": False,
             "appraisal_applicant": "worker"}
    r = run(facts, "2020-06-15", GY)
    fee = item(r, "appraisal_fee")
    assert (fee["payable"], fee["amount"], fee["payer"]) == (True, "800.00", "fund")
    [warning] = warnings_on(r, "appraisal_fee.payable")
    assert {(c["instrument"], c["article"]) for c in warning["citations"]} >= {("GY", 19), ("WIIR", 12)}
    r = run({**facts, "appraisal_changed_result": True}, "2020-06-15", GY)
    assert not warnings_on(r, "appraisal_fee.payable")


# ---------------------------------------------------------------- GY 10, 11, 25, 26


def employer_case(facts: dict, as_of: str | None = None) -> dict:
    case = {"kind": "employer", "regime": GY, "date": "2020-06-01", "facts": facts}
    if as_of:
        case["as_of"] = as_of
    from engine.run.result import result_json
    from lawtrace.api import evaluate_case

    return result_json(evaluate_case(case), include_trace=False)


def test_gy_26_late_fee_is_half_a_permille_a_day():
    # GY 26 restates SIL 86: the employer item late_fee (employer cases), days from the day after the due date
    base = {"registered": True, "payment_due_date": "2020-06-15"}
    cases = {(10000, "2020-07-15"): "150.00",  # 30 days: 10,000 × 0.05 % × 30
             (10000, "2020-06-16"): "5.00",  # 1 day: 10,000 × 0.05 %
             (3333.33, "2020-06-22"): "11.67"}  # 7 days: 3,333.33 × 0.0005 × 7 = 11.666655 → 11.67 (half up)
    for (arrears, paid), fee in cases.items():
        late = item(employer_case({**base, "arrears": arrears, "payment_date": paid}), "late_fee")
        assert (late["payable"], late["amount"], late["payer"]) == (True, fee, "employer"), (arrears, paid)
    paid_on_time = item(employer_case({**base, "arrears": 10000, "payment_date": "2020-06-15"}), "late_fee")
    assert paid_on_time["payable"] is False  # paid on the due date: no day of arrears
    assert "late_fee" not in {i["id"] for i in run(GRADE7, "2020-06-15", GY)["items"]}  # an employer's item
    late = item(employer_case({**base, "arrears": 10000}), "late_fee")  # unpaid, and no evaluation date
    assert late["amount"] is None and "as_of" in late["missing"]


def values(facts: dict, *names: str) -> dict:
    from lawtrace.api import evaluate_case

    ev = evaluate_case({"regime": GY, "date": "2020-06-15", "facts": facts}).evaluation
    return {n: ev.get(n).value for n in names}


def test_gy_10_the_contribution_wage_is_held_between_60_and_300_percent_of_the_provincial_average():
    from decimal import Decimal

    for wage, counted in ((2000, "3000"), (3000, "3000"), (8000, "8000"), (15000, "15000"), (20000, "15000")):
        got = values({"gross_monthly_wage": wage, "provincial_avg_monthly_wage": 5000}, "contribution_wage")
        assert got["contribution_wage"] == Decimal(counted), wage  # 60 % × 5,000 = 3,000; 300 % × 5,000 = 15,000


def test_gy_25_26_fines_are_one_to_three_times_the_premiums():
    from decimal import Decimal

    # GY 25-26 restate SIL 84 and 86: the values of the national employer items registration_fine and fine
    got = values({"premiums_due": 12000, "arrears": 5000}, "registration_fine_min", "registration_fine_max",
                 "arrears_fine_min", "arrears_fine_max", "manager_fine_min", "manager_fine_max")
    assert got == {"registration_fine_min": Decimal("12000.00"), "registration_fine_max": Decimal("36000.00"),
                   "arrears_fine_min": Decimal("5000.00"), "arrears_fine_max": Decimal("15000.00"),
                   "manager_fine_min": Decimal(500), "manager_fine_max": Decimal(3000)}


def test_gy_11_the_closing_employer_reserves_a_grade_3_workers_benefits():
    facts = {"work_injury_recognized": True, "disability_grade": 3, "monthly_wage": 6000,
             "regional_avg_monthly_wage": 8000, "minimum_wage": 2000, "care_level": "partial", "died": False,
             "died_after_suspension": False, "missing_after_accident": False, "employer_closed": True,
             "employer_closure_date": "2020-06-15", "birth_date": "1970-03-01", "statutory_retirement_age": 60,
             "city_avg_annual_injury_medical_cost": 20000, "employer_insured": True}
    reserve = item(run(facts, "2020-06-15", GY), "closure_reserve")
    # allowance 6,000 × 80 % = 4,800; care 30 % × 8,000 = 2,400; from 2020-06-15 to 2030-03-01: 116 whole months;
    # (4,800 + 2,400) × 116 = 835,200; medical 20,000 × 10 years = 200,000; total 1,035,200
    assert (reserve["payable"], reserve["amount"], reserve["payer"]) == (True, "1035200.00", "employer")
    assert gy(11) in reserve["basis"]
    assert item(run({**facts, "employer_closed": False}, "2020-06-15", GY), "closure_reserve")["payable"] is False
