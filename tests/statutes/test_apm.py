"""社会保险基金先行支付暂行办法 (APM) arts. 4-8 and 13: who advances, what, and from whom it is recovered."""

from __future__ import annotations

import pytest
from conftest import run
from statute_cases import GRADE7, RECOGNIZED, basis, get

THIRD = {**RECOGNIZED, "third_party_caused": True, "third_party_identified": True, "third_party_pays": False,
         "medical_costs": 30000}


# ---------------------------------------------------------------- arts. 4-5: the third party's medical costs


@pytest.mark.parametrize("insured, employer_pays, medical_fund, item, payer, advance, recover", [
    # the table of art. 5: insured or not × the medical fund advanced before recognition or not
    (True, None, True, "APM 5(1)(1)", "third_party", "fund", "third_party"),
    (True, None, False, "APM 5(1)(2)", "third_party", "fund", "third_party"),
    (False, False, True, "APM 5(1)(3)", "employer", "fund", "employer"),
    (False, False, False, "APM 5(1)(4)", "employer", "fund", "employer"),
    (False, True, False, "APM 5(1)(4)", "employer", None, None),  # the uninsured employer pays on the demand: no advance
])
def test_art_5_table(insured, employer_pays, medical_fund, item, payer, advance, recover):
    facts = {**THIRD, "employer_insured": insured, "medical_fund_advanced": medical_fund}
    if employer_pays is not None:
        facts["employer_pays"] = employer_pays
    r = get(facts, "medical_treatment")
    assert r["amount"] == "30000.00"  # the whole cost: any medical-fund advance is refunded out of it (5(1), 5(3))
    assert (r["payer"], r["advance_payer"], r["recover_from"]) == (payer, advance, recover)
    if advance:
        assert item in basis(r) and "APM 4" in basis(r)


def test_art_5_without_word_of_the_medical_fund_cites_the_article():
    r = get(THIRD, "medical_treatment")
    assert "APM 5" in basis(r) and not {"APM 5(1)(1)", "APM 5(1)(2)"} & basis(r)


# ---------------------------------------------------------------- arts. 6-8: the employer that does not pay

DEFAULT = {**GRADE7, "employer_insured": False, "care_level": "partial", "off_work_for_treatment": True,
           "original_monthly_pay": 6000, "labor_relation_ended": "contract_expired",
           "provincial_medical_subsidy": 25000, "provincial_employment_subsidy": 15000}


@pytest.mark.parametrize("reason, item", [
    ("licence_revoked", "APM 6(2)(1)"), ("refuses_to_pay", "APM 6(2)(2)"),
    ("enforcement_suspended", "APM 6(2)(3)"), ("other_non_payment", "APM 6(2)(4)"),
])
def test_art_6_each_ground_of_non_payment_opens_the_advance(reason, item):
    r = get({**DEFAULT, "employer_default_reason": reason}, "one_time_disability_subsidy")
    assert (r["payer"], r["advance_payer"], r["recover_from"]) == ("employer", "fund", "employer")
    assert {item, "APM 6(1)", "APM 7", "APM 8", "APM 13"} <= basis(r)


def test_art_8_the_fund_advances_only_its_own_items():
    result = run({**DEFAULT, "employer_pays": False})
    items = {i["id"]: i for i in result["items"]}
    # the fund's items: advanced by the fund, recovered from the employer
    for fund_item, amount in (("one_time_disability_subsidy", "78000.00"),  # 6,000 × 13
                              ("care_allowance", "2400.00"),               # 30 % × 8,000
                              ("one_time_medical_subsidy", "25000.00")):
        i = items[fund_item]
        assert (i["amount"], i["payer"], i["advance_payer"], i["recover_from"]) == (amount, "employer", "fund", "employer")
    # the employer's own items: never advanced
    for own_item, amount in (("suspension_wages", "6000.00"), ("one_time_employment_subsidy", "15000.00")):
        i = items[own_item]
        assert (i["amount"], i["payer"], i["advance_payer"], i["recover_from"]) == (amount, "employer", None, None)
        assert "APM 8" in basis(i)


def test_art_8_grade_5_allowance_is_the_employers_own_and_not_advanced():
    facts = {**DEFAULT, "disability_grade": 5, "no_suitable_work_arranged": True, "minimum_wage": 2000,
             "employer_pays": False}
    r = get(facts, "disability_allowance")
    assert (r["amount"], r["payer"], r["advance_payer"]) == ("4200.00", "employer", None)  # 70 % × 6,000
    g4 = get({**facts, "disability_grade": 4}, "disability_allowance")
    assert (g4["amount"], g4["advance_payer"], g4["recover_from"]) == ("4500.00", "fund", "employer")  # 75 % × 6,000


def test_art_8_2003_text_employer_items_are_not_advanced():
    facts = {**DEFAULT, "employer_pays": False, "advance_application_date": "2011-01-10",
             "labor_relation_end_date": "2010-09-01"}  # under the 2003 text too (a later termination is flagged: Q7)
    r = get(facts, "one_time_medical_subsidy", date="2010-03-01")
    assert (r["payer"], r["advance_payer"]) == ("employer", None)  # the employer's item under the 2003 text
    assert get({**facts, "advance_application_date": "2011-07-10"}, "one_time_disability_subsidy",
               date="2011-07-01")["advance_payer"] == "fund"


# ---------------------------------------------------------------- art. 13: recovery


def test_art_13_recovery_from_the_employer_cites_sil_63():
    r = get({**DEFAULT, "employer_pays": False}, "care_allowance")
    assert r["recover_from"] == "employer" and {"APM 13", "SIL 63", "SIL 41(2)"} <= basis(r)


def test_no_advance_no_recovery_cited():
    r = get({**GRADE7}, "one_time_disability_subsidy")
    assert r["advance_payer"] is None and not {"APM 13", "SIL 63", "APM 8"} & basis(r)
