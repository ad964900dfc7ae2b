"""The done-when of the core issue, as a user runs it."""

from conftest import BASE_GRADE7, item, run


def test_grade7_2020_is_13_months_of_wage_from_the_fund():
    r = item(run(BASE_GRADE7), "one_time_disability_subsidy")
    assert r["payable"] is True
    assert r["amount"] == "78000.00"  # 6000 × 13
    assert r["payer"] == "fund"
    assert {"instrument": "WIIR", "version": "2010", "article": 37, "paragraph": 1, "item": 1} in r["basis"]


def test_low_wage_is_raised_to_60_percent_of_area_average():
    r = item(run({**BASE_GRADE7, "monthly_wage": 1000}), "one_time_disability_subsidy")
    assert r["amount"] == "62400.00"  # 60% × 8000 = 4800; × 13
    assert any(c["article"] == 64 for c in r["basis"])


def test_2009_accident_uses_2003_months():
    r = item(run(BASE_GRADE7, date="2009-05-01"), "one_time_disability_subsidy")
    assert r["amount"] == "72000.00"  # 6000 × 12
    assert {"instrument": "WIIR", "version": "2003", "article": 35, "paragraph": 1, "item": 1} in r["basis"]


def test_no_grade_is_undetermined_and_names_the_grade():
    facts = {k: v for k, v in BASE_GRADE7.items() if k != "disability_grade"}
    r = item(run(facts), "one_time_disability_subsidy")
    assert r["payable"] is None
    assert r["amount"] is None
    assert "disability_grade" in r["missing"]
