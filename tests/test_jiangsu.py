"""Jiangsu (JS 2015): the one-time subsidies of JS 27-28 on top of WIIR 36(2) / 37(1)(2), worked by hand from the text.

JS 27(1) benchmarks (yuan), grades 5-10: medical 200,000 / 160,000 / 120,000 / 80,000 / 50,000 / 30,000;
employment 95,000 / 85,000 / 45,000 / 35,000 / 25,000 / 15,000. JS 27(2): a city's own figure within ±20 %.
JS 27(3): +40 % of the medical subsidy for an occupational disease. JS 28: a worker who resigns less than
5 / 4 / 3 / 2 / 1 years before the retirement age gets 80 / 60 / 40 / 20 / 10 % of both; none at the age.
"""

from __future__ import annotations

from conftest import item, run

JS = "jiangsu"
GRADE7 = {"work_injury_recognized": True, "disability_grade": 7, "monthly_wage": 6000,
          "regional_avg_monthly_wage": 8000, "occupational_disease": False, "employer_insured": True,
          "statutory_retirement_age": 60, "age": 45}  # far from retirement (JS 28 decides only with an age or dates: Q3)
# born 1965-01-10, retirement age 60: the retirement date is 2025-01-10
RESIGNS = {**GRADE7, "labor_relation_ended": "worker_resigned", "birth_date": "1965-01-10",
           "statutory_retirement_age": 60}


def subsidies(facts: dict, date: str = "2019-03-01", regime: str = JS) -> tuple[dict, dict, dict]:
    r = run(facts, date, regime)
    return item(r, "one_time_medical_subsidy"), item(r, "one_time_employment_subsidy"), r


def js(article: int, paragraph: int | None = None) -> dict:
    c = {"instrument": "JS", "version": "2015", "article": article}
    if paragraph is not None:
        c["paragraph"] = paragraph
    return c


def test_done_grade_9_contract_expiry_gets_the_benchmarks_from_fund_and_employer():
    facts = {**GRADE7, "disability_grade": 9, "labor_relation_ended": "contract_expired",
             "labor_relation_end_date": "2023-03-01", "statutory_retirement_age": 60, "age": 45}
    medical, employment, r = subsidies(facts, "2020-06-15")
    assert (medical["payable"], medical["amount"], medical["payer"]) == (True, "50000.00", "fund")  # JS 27(1), grade 9
    assert (employment["payable"], employment["amount"], employment["payer"]) == (True, "25000.00", "employer")
    assert js(27, 1) in medical["basis"] and js(27, 1) in employment["basis"]
    assumed = {a["fact"]: a for a in r["assumed"]}
    assert assumed["city_medical_subsidy"]["value"] == "50000.00"
    assert assumed["city_medical_subsidy"]["kind"] == "legal_default"
    assert "benchmark" in assumed["city_medical_subsidy"]["reason"]
    assert assumed["city_employment_subsidy"]["value"] == "25000.00"


def test_done_grade_7_resigning_three_and_a_half_years_before_retirement_gets_60_percent():
    # ends 2021-07-10, 3 years 6 months before 2025-01-10: less than 4 years → 60 %
    medical, employment, _ = subsidies({**RESIGNS, "labor_relation_end_date": "2021-07-10"})
    assert medical["amount"] == "72000.00"  # 120,000 × 60 %
    assert employment["amount"] == "27000.00"  # 45,000 × 60 %
    assert js(28) in medical["basis"] and js(28) in employment["basis"]


def test_done_occupational_disease_adds_40_percent_to_the_medical_subsidy_only():
    facts = {**GRADE7, "disability_grade": 9, "occupational_disease": True, "labor_relation_ended": "contract_expired",
             "labor_relation_end_date": "2023-03-01"}
    medical, employment, _ = subsidies(facts)
    assert medical["amount"] == "70000.00"  # 50,000 × 140 %
    assert employment["amount"] == "25000.00"  # unchanged
    assert js(27, 3) in medical["basis"] and js(27, 3) not in employment["basis"]


def test_occupational_disease_and_proration_multiply():
    medical, employment, _ = subsidies({**RESIGNS, "occupational_disease": True, "labor_relation_end_date": "2021-07-10"})
    assert medical["amount"] == "100800.00"  # 120,000 × 140 % × 60 %
    assert employment["amount"] == "27000.00"  # 45,000 × 60 %


def test_done_a_retired_worker_gets_neither():
    medical, employment, _ = subsidies({**GRADE7, "labor_relation_ended": "retired", "labor_relation_end_date": "2024-01-01"})
    assert medical["payable"] is False and employment["payable"] is False
    # the contract expired on the retirement date itself: the age is reached, nothing is paid (JS 28)
    facts = {**RESIGNS, "labor_relation_ended": "contract_expired", "labor_relation_end_date": "2025-01-10"}
    medical, employment, _ = subsidies(facts)
    assert medical["payable"] is False and employment["payable"] is False
    assert js(28) in medical["basis"]


def test_the_brackets_are_strictly_less_than_n_years():
    # retirement date 2025-01-10; (medical, employment) = (120,000, 45,000) × the share
    cases = {
        "2020-01-10": ("120000.00", "45000.00"),  # exactly 5 years left: not 'less than 5' → in full
        "2020-01-11": ("96000.00", "36000.00"),  # 4 years 364 days: less than 5 → 80 %
        "2021-01-10": ("96000.00", "36000.00"),  # exactly 4 years: still less than 5, not less than 4 → 80 %
        "2021-01-11": ("72000.00", "27000.00"),  # less than 4 → 60 %
        "2023-01-10": ("48000.00", "18000.00"),  # exactly 2 years: less than 3 → 40 %
        "2024-01-10": ("24000.00", "9000.00"),  # exactly 1 year: less than 2 → 20 %
        "2024-01-11": ("12000.00", "4500.00"),  # less than 1 year → 10 %
        "2025-01-09": ("12000.00", "4500.00"),  # the day before the retirement date → 10 %
    }
    for end, expected in cases.items():
        medical, employment, _ = subsidies({**RESIGNS, "labor_relation_end_date": end})
        assert (medical["amount"], employment["amount"]) == expected, end


def test_resigning_for_the_employers_fault_gets_the_full_amounts():
    facts = {**RESIGNS, "labor_relation_ended": "worker_resigned_employer_fault", "labor_relation_end_date": "2021-07-10"}
    medical, employment, _ = subsidies(facts)
    assert (medical["amount"], employment["amount"]) == ("120000.00", "45000.00")  # Labour Contract Law art. 38


def test_a_city_figure_within_20_percent_replaces_the_benchmark():
    base = {**GRADE7, "labor_relation_ended": "contract_expired", "labor_relation_end_date": "2022-01-01"}
    medical, _, r = subsidies({**base, "city_medical_subsidy": 130000})
    assert medical["amount"] == "130000.00"
    assert "city_medical_subsidy" not in {a["fact"] for a in r["assumed"]}
    # the band's edges: 120,000 × 80 % = 96,000 and 120,000 × 120 % = 144,000 are allowed
    assert subsidies({**base, "city_medical_subsidy": 144000})[0]["amount"] == "144000.00"
    assert subsidies({**base, "city_medical_subsidy": 96000})[0]["amount"] == "96000.00"
    # with an occupational disease the 40 % is on the city's figure: 130,000 × 140 % = 182,000
    assert subsidies({**base, "city_medical_subsidy": 130000, "occupational_disease": True})[0]["amount"] == "182000.00"


def test_a_city_figure_outside_the_band_is_undetermined_and_says_why():
    base = {**GRADE7, "labor_relation_ended": "contract_expired", "labor_relation_end_date": "2022-01-01"}
    for figure in (144000.01, 95999.99):
        medical, _, r = subsidies({**base, "city_medical_subsidy": figure})
        assert medical["payable"] is True and medical["amount"] is None
        assert "amount" in medical["undetermined"]
        assert any("outside the ±20 % band" in d["message"] for d in r["diagnostics"])


def test_with_only_a_whole_year_age_the_edges_stay_open_and_name_the_birth_date():
    base = {**GRADE7, "labor_relation_ended": "worker_resigned", "labor_relation_end_date": "2021-07-10",
            "statutory_retirement_age": 60}
    medical, _, _ = subsidies({**base, "age": 54})  # 6 years by age: at least 5 whatever the birthday → in full
    assert medical["amount"] == "120000.00"
    medical, employment, _ = subsidies({**base, "age": 55})  # 5 by age: exactly 5 (in full) or 4.x (80 %)
    assert medical["payable"] is True and medical["amount"] is None
    assert "birth_date" in medical["missing"] and "birth_date" in employment["missing"]
    medical, _, _ = subsidies({**base, "age": 60})  # at the retirement age: nothing
    assert medical["payable"] is False


def test_Q6_accident_before_the_measures_and_ending_after_follows_the_measures_in_force_at_the_ending():
    # JS 27 grants the subsidies 「与用人单位解除或者终止劳动关系时」: the 2015 measures govern a 2016 ending of a 2014
    # accident (audit t12e). Resigned 2016-07-10, retirement 2025-01-10: 8.5 years, in full: 120,000 / 45,000
    facts = {**RESIGNS, "labor_relation_end_date": "2016-07-10"}
    medical, employment, r = subsidies(facts, "2014-03-01")
    assert (medical["amount"], employment["amount"]) == ("120000.00", "45000.00")
    step = next(n for n in r["trace"]["nodes"] if n["id"] == "provincial_medical_subsidy")
    assert "解除或者终止劳动关系时" in step["note"] and "Order No. 29" in step["note"]  # the reading, said
    medical, _, r = subsidies({**RESIGNS, "labor_relation_end_date": "2015-01-10"}, "2014-03-01")
    assert medical["amount"] is None
    assert any("2005 (Order No. 29)" in d["message"] for d in r["diagnostics"])
    # the end date unknown: it decides, so it is named, and no diagnostic claims the law is silent
    medical, _, r = subsidies(RESIGNS, "2014-03-01")
    assert "labor_relation_end_date" in medical["missing"]
    assert not any("transitional" in d["message"] or "Order No. 29" in d["message"] for d in r["diagnostics"])


def test_national_law_alone_leaves_the_amounts_to_the_province():
    medical, _, _ = subsidies({**GRADE7, "labor_relation_ended": "contract_expired"}, regime="national")
    assert medical["payable"] is True and medical["amount"] is None
    assert "provincial_medical_subsidy" in medical["missing"]


def test_Q4_the_employers_closure_of_js_34_has_no_authority_and_the_higher_law_prevails():
    facts = {**GRADE7, "disability_grade": 5, "labor_relation_ended": "employer_dissolved",
             "labor_relation_end_date": "2022-01-01", "statutory_retirement_age": 60, "age": 45}
    medical, employment, r = subsidies(facts)
    # WIIR 36(2) delegates the amounts only: JS 34's closure ground is refused, the national answer stands, which
    # is open between WIIR 36(2)'s letter and SIL 38(1)(7) / 39(1)(3) (Q9); the amount if payable is the benchmark
    assert medical["payable"] is None and employment["payable"] is None
    assert medical.get("amount_if_payable") == "200000.00"
    assert js(34) not in medical["basis"]
    assert any("SIL" in d["message"] and "38(1)(7)" in d["message"] for d in r["diagnostics"])
    national = {k: v for k, v in facts.items() if k != "labor_relation_end_date"}
    medical, _, _ = subsidies(national, regime="national")
    assert medical["payable"] is None  # the same conflict nationally (Q9)


def test_js_26_yields_to_wiir_and_the_result_says_so_where_it_would_differ():
    facts = {**GRADE7, "disability_grade": 5, "no_suitable_work_arranged": True, "minimum_wage": 2000,
             "labor_relation_ended": "none"}
    r = run({**facts, "wage_when_work_unavailable": 7000}, "2019-03-01", JS)
    assert item(r, "disability_allowance")["amount"] == "4200.00"  # WIIR 36(1)(2): 6,000 × 70 %
    warning = next(d for d in r["diagnostics"] if "disability_allowance_base" in d["message"])
    assert "JS art. 26 would give disability_allowance_base = 4900.00" in warning["message"]  # 7,000 × 70 %
    assert {c["instrument"] for c in warning["citations"]} == {"JS", "WIIR"}
    r = run({**facts, "wage_when_work_unavailable": 5000}, "2019-03-01", JS)  # lower: JS 26 keeps the injury wage
    assert not [d for d in r["diagnostics"] if "disability_allowance_base" in d["message"]]


def test_jiangsu_lists_what_it_fills_and_overrides():
    from lawtrace.api import regimes

    jiangsu = next(r for r in regimes() if r["name"] == "jiangsu")
    assert [i["code"] for i in jiangsu["instruments"]][-1] == "JS"
    changes = {(c["kind"], c["target"]): c for c in jiangsu["overrides"]}
    fill = changes[("fill", "provincial_medical_subsidy")]
    assert fill["applied"] and fill["replaces"]["instrument"] == "WIIR"
    leaves = changes[("override", "leaves_with_subsidies")]
    assert leaves["applied"] and leaves["authority"].startswith("by WIIR 36(2), WIIR 37(1)(2)")
    assert changes[("override", "disability_allowance_base")]["applied"] is False


def test_golden_diagnostics_of_jiangsu(golden):
    import json

    from click.testing import CliRunner

    from lawtrace.cli import main

    out = CliRunner().invoke(main, ["check", "--regime", JS, "--format", "json"])
    assert out.exit_code == 0, out.output
    golden("diagnostics/check_jiangsu.json", out.output)
    _, _, r = subsidies({**RESIGNS, "labor_relation_end_date": "2016-07-10"}, "2014-03-01")
    golden("diagnostics/result_jiangsu_transition.json", json.dumps(r["diagnostics"], ensure_ascii=False, indent=2) + "\n")
