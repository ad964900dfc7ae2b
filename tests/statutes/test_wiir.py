"""工伤保险条例 (WIIR), article by article, with numbers worked by hand from the text.

Every expected amount is computed in the comment beside it from the article's
own figures (../shared/law/regulations-2010.md), not read off the engine.
"""

from __future__ import annotations

import pytest
from conftest import run
from statute_cases import GRADE7, RECOGNIZED, assumed, assumed_kinds, basis, get

# ---------------------------------------------------------------- art. 14: recognized as a work injury

AT_WORK = {"injured_in_working_hours": True, "injured_at_workplace": True, "injured_for_work_reasons": True}
WAGE = {"disability_grade": 7, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000, "employer_insured": True}


@pytest.mark.parametrize("circumstances, cited", [
    (AT_WORK, "WIIR 14(1)(1)"),
    ({"injured_at_workplace": True, "preparatory_or_finishing_work": True}, "WIIR 14(1)(2)"),
    ({"injured_in_working_hours": True, "injured_at_workplace": True, "violence_while_performing_duties": True}, "WIIR 14(1)(3)"),
    ({"occupational_disease": True}, "WIIR 14(1)(4)"),
    ({"away_on_business": True, "injured_for_work_reasons": True}, "WIIR 14(1)(5)"),
    ({"commuting_accident": True, "worker_primarily_responsible": False}, "WIIR 14(1)(6)"),
])
def test_each_situation_of_art_14_is_recognized_and_named(circumstances, cited):
    result = run({**circumstances, **WAGE})
    r = next(i for i in result["items"] if i["id"] == "one_time_disability_subsidy")
    assert r["payable"] is True and r["amount"] == "78000.00"  # 6000 × 13 (art. 37(1)(1))
    assert cited in basis(r)
    others = {f"WIIR 14(1)({n})" for n in range(1, 7)} - {cited}
    assert not others & basis(r), "only the item that decides it is cited"
    kinds = assumed_kinds(result)
    assert kinds["work_injury_recognized"] == "statutory_duty"
    assert {kinds[f] for f in ("intentional_crime", "drunk_or_drugged", "self_harm")} == {"burden_of_proof"}


def test_commuting_accident_with_the_worker_primarily_responsible_is_not_a_work_injury():
    result = run({"commuting_accident": True, "worker_primarily_responsible": True,
                  "injured_in_working_hours": False, "injured_at_workplace": False, "occupational_disease": False,
                  "away_on_business": False, "sudden_illness_death_within_48h": False,
                  "rescue_or_public_interest_activity": False, **WAGE})
    r = next(i for i in result["items"] if i["id"] == "one_time_disability_subsidy")
    assert r["payable"] is False
    assert assumed(result)["work_injury_recognized"] is False


def test_commute_with_responsibility_unknown_is_undetermined_and_asks_for_it():
    r = get({"commuting_accident": True, **WAGE}, "one_time_disability_subsidy")
    assert r["payable"] is None
    assert "worker_primarily_responsible" in r["missing"]


def test_without_decision_or_circumstances_recognition_is_the_missing_fact():
    r = get(WAGE, "one_time_disability_subsidy")
    assert r["payable"] is None
    assert {"work_injury_recognized", "injured_in_working_hours", "commuting_accident"} <= set(r["missing"])


def test_the_official_decision_prevails_over_the_circumstances():
    # recognized by the agency although the case says the worker was drunk: the decision stands
    result = run({**GRADE7, "drunk_or_drugged": True})
    r = next(i for i in result["items"] if i["id"] == "one_time_disability_subsidy")
    assert r["payable"] is True and r["amount"] == "78000.00"
    assert "work_injury_recognized" not in assumed(result)
    # and a decision not to recognize stands against circumstances that would fit art. 14
    r = get({**AT_WORK, **WAGE, "work_injury_recognized": False}, "one_time_disability_subsidy")
    assert r["payable"] is False


# ---------------------------------------------------------------- art. 15: deemed work injuries


def test_sudden_death_at_work_within_48_hours_is_deemed_and_pays_the_death_benefits():
    facts = {"sudden_illness_death_within_48h": True, "died": True, "death_date": "2024-02-01",
             "regional_avg_monthly_wage": 8000, "employer_insured": True}
    r = get(facts, "death_benefit", date="2024-02-01")
    assert r["payable"] is True
    assert r["amount"] == "1036420.00"  # 20 × 51,821 (NBS 2023, death in 2024)
    assert "WIIR 15(1)(1)" in basis(r)
    assert get(facts, "funeral_grant", date="2024-02-01")["amount"] == "48000.00"  # 6 × 8,000


def test_injured_in_rescue_work_is_deemed():
    r = get({"rescue_or_public_interest_activity": True, **WAGE}, "one_time_disability_subsidy")
    assert r["payable"] is True and "WIIR 15(1)(2)" in basis(r)


def test_a_veterans_recurrence_gets_every_benefit_but_the_one_time_disability_subsidy():
    veteran = {"work_injury_recognized": False, "veteran_old_injury_recurrence": True, "employer_insured": True,
               "disability_grade": 7, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000,
               "off_work_for_treatment": True, "original_monthly_pay": 6500, "medical_costs": 3000}
    subsidy = get(veteran, "one_time_disability_subsidy")
    assert subsidy["payable"] is False and "WIIR 15(2)" in basis(subsidy)
    wages = get(veteran, "suspension_wages")
    assert wages["payable"] is True and wages["amount"] == "6500.00" and wages["payer"] == "employer"
    medical = get({**veteran, "third_party_caused": False}, "medical_treatment")
    assert medical["payable"] is True and medical["amount"] == "3000.00" and medical["payer"] == "fund"
    assert "WIIR 15(1)(3)" in basis(medical)


def test_without_a_decision_a_veterans_recurrence_is_not_an_ordinary_work_injury():
    r = get({"veteran_old_injury_recurrence": True, **AT_WORK, **WAGE}, "one_time_disability_subsidy")
    assert r["payable"] is False


# ---------------------------------------------------------------- art. 16 and 19(2): exclusions


@pytest.mark.parametrize("fact, cited", [
    ("intentional_crime", "WIIR 16(1)(1)"), ("drunk_or_drugged", "WIIR 16(1)(2)"), ("self_harm", "WIIR 16(1)(3)"),
])
def test_each_exclusion_of_art_16_takes_every_benefit(fact, cited):
    result = run({**AT_WORK, **WAGE, fact: True, "medical_costs": 1000})
    for i in result["items"]:
        assert i["payable"] is not True, i["id"]
    r = next(i for i in result["items"] if i["id"] == "one_time_disability_subsidy")
    assert r["payable"] is False and cited in basis(r)
    assert assumed(result)["work_injury_recognized"] is False


def test_exclusions_are_presumed_absent_under_art_19_2_and_a_given_fact_wins():
    result = run({**AT_WORK, **WAGE})
    assumed_facts = {a["fact"]: a for a in result["assumed"]}
    for fact in ("intentional_crime", "drunk_or_drugged", "self_harm"):
        a = assumed_facts[fact]
        assert a["value"] is False and a["kind"] == "burden_of_proof"
        assert {"instrument": "WIIR", "version": "2010", "article": 19, "paragraph": 2} in a["basis"]
    given = run({**AT_WORK, **WAGE, "intentional_crime": False, "drunk_or_drugged": False, "self_harm": False})
    assert not {"intentional_crime", "drunk_or_drugged", "self_harm"} & set(assumed(given))


def test_2003_text_excluded_any_crime_or_public_order_offence_but_not_drugs():
    offence = {**AT_WORK, **WAGE, "intentional_crime": False, "crime_or_public_order_offence": True}
    # 2009: excluded (2003 art. 16); 2012: a non-intentional offence no longer excludes
    assert get(offence, "one_time_disability_subsidy", date="2009-05-01")["payable"] is False
    r2012 = get(offence, "one_time_disability_subsidy", date="2012-05-01")
    assert r2012["payable"] is True and r2012["amount"] == "78000.00"  # 6000 × 13
    drugs = {**AT_WORK, **WAGE, "drunk_or_drugged": True, "drunk": False}
    r2009 = get(drugs, "one_time_disability_subsidy", date="2009-05-01")
    assert r2009["payable"] is True and r2009["amount"] == "72000.00"  # drugs were no exclusion; 6000 × 12 (2003)
    assert "WIIR@2003 16" in basis(r2009)
    assert get(drugs, "one_time_disability_subsidy", date="2012-05-01")["payable"] is False
    unclear = get({**AT_WORK, **WAGE, "drunk_or_drugged": True}, "one_time_disability_subsidy", date="2009-05-01")
    assert unclear["payable"] is None and "drunk" in unclear["missing"]


# ---------------------------------------------------------------- art. 17(4): late application


def test_late_application_splits_the_medical_costs_between_employer_and_fund():
    facts = {**RECOGNIZED, "third_party_caused": False, "medical_costs": 10000, "late_application": True,
             "medical_costs_during_delay": 2500}
    r = get(facts, "medical_treatment")
    parts = {p["name"]: (p["amount"], p["payer"]) for p in r["parts"]}
    # 2,500 of the delay by the employer; 10,000 − 2,500 = 7,500 by the fund
    assert parts == {"late_application_period": ("2500.00", "employer"), "other_costs": ("7500.00", "fund")}
    assert r["amount"] == "10000.00" and r["payer"] == "fund"
    assert "WIIR 17(4)" in basis(r)


@pytest.mark.parametrize("delay, payer, parts", [
    (5000, "fund", {"late_application_period": "5000.00", "other_costs": "5000.00"}),  # a tie: the fund's part is not smaller
    (6000, "employer", {"late_application_period": "6000.00", "other_costs": "4000.00"}),  # 10,000 − 6,000
    (12000, "employer", {}),  # held at the whole cost (10,000): all the employer's, so no split
])
def test_the_payer_of_a_split_item_is_the_payer_of_the_larger_part(delay, payer, parts):
    r = get({**RECOGNIZED, "third_party_caused": False, "medical_costs": 10000, "late_application": True,
             "medical_costs_during_delay": delay}, "medical_treatment")
    assert r["payer"] == payer
    assert {p["name"]: p["amount"] for p in r["parts"]} == parts


def test_no_late_application_is_assumed_and_leaves_no_part():
    result = run({**RECOGNIZED, "third_party_caused": False, "medical_costs": 10000})
    r = next(i for i in result["items"] if i["id"] == "medical_treatment")
    assert r["parts"] == []  # the whole to the fund is no split
    assert assumed_kinds(result)["late_application"] == "later_events"


@pytest.mark.parametrize("death_date, payer", [
    ("2020-01-31", "fund"),      # 30 days after the accident: still within the employer's time limit
    ("2020-02-01", "employer"),  # 31 days: within the late period, before the application of 2020-03-01
    ("2020-03-01", "fund"),      # the day of the application: no longer before it
])
def test_a_death_in_the_late_period_is_the_employers(death_date, payer):
    facts = {**RECOGNIZED, "died": True, "death_date": death_date, "regional_avg_monthly_wage": 8000,
             "late_application": True, "recognition_application_date": "2020-03-01"}
    r = get(facts, "funeral_grant", date="2020-01-01")
    assert r["amount"] == "48000.00" and r["payer"] == payer  # 6 × 8,000


# ---------------------------------------------------------------- art. 30-32: medical benefits


def test_medical_costs_are_the_funds():
    r = get({**RECOGNIZED, "third_party_caused": False, "medical_costs": "12345.675"}, "medical_treatment")
    assert r["amount"] == "12345.68"  # half up to the fen
    assert r["payer"] == "fund" and r["advance_payer"] is None
    assert {"WIIR 30(3)", "SIL 38(1)(1)"} <= basis(r)


def test_medical_costs_under_review_and_on_recurrence_cite_arts_31_and_38():
    r = get({**RECOGNIZED, "third_party_caused": False, "medical_costs": 800, "recognition_under_review": True,
             "injury_recurred": True}, "medical_treatment")
    assert r["payable"] is True and {"WIIR 31", "WIIR 38"} <= basis(r)


def test_hospital_food_subsidy_2010_text_from_the_fund():
    r = get({**RECOGNIZED, "hospital_days": 10, "hospital_food_subsidy_per_day": 50}, "hospital_food_subsidy",
            date="2011-01-01")
    assert r["amount"] == "500.00" and r["payer"] == "fund"  # 10 days × 50
    assert "WIIR 30(4)" in basis(r)


def test_hospital_food_subsidy_2003_text_from_the_employer():
    r = get({**RECOGNIZED, "hospital_days": 10, "business_trip_food_allowance": 40}, "hospital_food_subsidy",
            date="2010-12-31")
    assert r["amount"] == "280.00" and r["payer"] == "employer"  # 10 × 40 × 70 %
    assert r["advance_payer"] is None


def test_travel_outside_the_area_needs_the_approval():
    facts = {**RECOGNIZED, "out_of_area_travel_costs": 1500}
    assert get({**facts, "out_of_area_treatment_approved": True}, "out_of_area_travel")["amount"] == "1500.00"
    assert get({**facts, "out_of_area_treatment_approved": False}, "out_of_area_travel")["payable"] is False
    assert get(facts, "out_of_area_travel")["missing"] == ["out_of_area_treatment_approved"]


def test_assistive_devices_confirmed_by_the_committee_from_the_fund():
    r = get({**RECOGNIZED, "assistive_devices_confirmed": True, "assistive_device_costs": 9000}, "assistive_devices")
    assert r["amount"] == "9000.00" and r["payer"] == "fund" and {"WIIR 32", "SIL 38(1)(4)"} <= basis(r)


# ---------------------------------------------------------------- art. 33: suspension period


@pytest.mark.parametrize("month, extended, payable", [
    (12, None, True), (13, False, False), (13, True, True), (24, True, True), (25, True, False),
])
def test_suspension_period_is_12_months_extendable_by_12(month, extended, payable):
    facts = {**RECOGNIZED, "off_work_for_treatment": True, "original_monthly_pay": 7000, "suspension_months": month}
    if extended is not None:
        facts["suspension_extension_confirmed"] = extended
    r = get(facts, "suspension_wages")
    assert r["payable"] is payable
    if payable:
        assert r["amount"] == "7000.00" and r["payer"] == "employer"


def test_month_13_without_word_of_an_extension_is_undetermined():
    r = get({**RECOGNIZED, "off_work_for_treatment": True, "original_monthly_pay": 7000, "suspension_months": 13},
            "suspension_wages")
    assert r["payable"] is None and r["missing"] == ["suspension_extension_confirmed"]


# ---------------------------------------------------------------- arts. 35-37: disability


def test_grade_7_has_no_allowance_and_grade_5_only_without_suitable_work():
    assert get({**GRADE7, "minimum_wage": 2000}, "disability_allowance")["payable"] is False
    grade5 = {**GRADE7, "disability_grade": 5, "minimum_wage": 2000}
    assert get({**grade5, "no_suitable_work_arranged": False}, "disability_allowance")["payable"] is False
    assert get(grade5, "disability_allowance")["missing"] == ["no_suitable_work_arranged"]


def test_on_the_pension_the_allowance_stops_and_the_fund_tops_up_the_difference():
    facts = {**GRADE7, "disability_grade": 2, "minimum_wage": 2000, "receives_basic_pension": True}
    assert get({**facts, "basic_pension": 3000}, "disability_allowance")["payable"] is False
    top = get({**facts, "basic_pension": 3000}, "pension_top_up")
    assert top["amount"] == "2100.00" and top["payer"] == "fund"  # 85 % × 6,000 = 5,100; 5,100 − 3,000
    assert {"WIIR 35(1)(3)", "SIL 40"} <= basis(top)
    assert get({**facts, "basic_pension": 5100}, "pension_top_up")["payable"] is False  # equal: no difference


def test_grade_5_on_the_pension_is_topped_up_under_sil_40_only_from_2011_07_01():
    facts = {**GRADE7, "disability_grade": 5, "no_suitable_work_arranged": True, "minimum_wage": 2000,
             "receives_basic_pension": True, "basic_pension": 3000}
    # 70 % × 6,000 = 4,200; 4,200 − 3,000 = 1,200
    assert get(facts, "pension_top_up", date="2011-07-01")["amount"] == "1200.00"
    assert get(facts, "pension_top_up", date="2011-06-30")["payable"] is False


@pytest.mark.parametrize("grade, ended, payable", [
    (5, "worker_resigned", True), (5, "contract_expired", None), (7, "contract_expired", True),
    (10, "worker_resigned", True), (7, "mutual_agreement", None), (4, "worker_resigned", False),
    # None: an ending the WIIR's letter does not list, open from 2011-07-01 against SIL 38(1)(7) / 39(1)(3) (audit Q9)
])
def test_leaving_subsidies_by_grade_and_way_of_leaving(grade, ended, payable):
    facts = {**GRADE7, "disability_grade": grade, "labor_relation_ended": ended,
             "provincial_medical_subsidy": 50000, "provincial_employment_subsidy": 30000}
    medical = get(facts, "one_time_medical_subsidy")
    employment = get(facts, "one_time_employment_subsidy")
    assert medical["payable"] is payable and employment["payable"] is payable
    if payable:
        assert (medical["amount"], medical["payer"]) == ("50000.00", "fund")
        assert (employment["amount"], employment["payer"]) == ("30000.00", "employer")


def test_2003_text_the_employer_paid_the_one_time_medical_subsidy():
    facts = {**GRADE7, "labor_relation_ended": "contract_expired", "provincial_medical_subsidy": 50000,
             "labor_relation_end_date": "2010-12-31"}
    assert get(facts, "one_time_medical_subsidy", date="2010-12-31")["payer"] == "employer"
    assert get({**facts, "labor_relation_end_date": "2011-02-01"}, "one_time_medical_subsidy", date="2011-01-01")["payer"] == "fund"


# ---------------------------------------------------------------- art. 39: death


def test_dependants_pensions_are_capped_at_the_wage():
    three = [{"relation": "spouse", "orphan_or_lone_elder": False},
             {"relation": "child", "orphan_or_lone_elder": True},
             {"relation": "parent", "orphan_or_lone_elder": True}]
    facts = {**RECOGNIZED, "died": True, "death_date": "2020-07-01", "monthly_wage": 6000,
             "regional_avg_monthly_wage": 8000, "dependents": three}
    # 40 % + (30 % + 10 %) + (30 % + 10 %) = 120 % × 6,000 = 7,200 > 6,000: held at 6,000
    assert get(facts, "dependent_pension")["amount"] == "6000.00"
    two = three[:1] + [{"relation": "child", "orphan_or_lone_elder": False}]
    assert get({**facts, "dependents": two}, "dependent_pension")["amount"] == "4200.00"  # (40 % + 30 %) × 6,000
    exact = two + [{"relation": "parent", "orphan_or_lone_elder": False}]
    assert get({**facts, "dependents": exact}, "dependent_pension")["amount"] == "6000.00"  # 100 %: at the cap exactly


@pytest.mark.parametrize("injury, amount", [
    ("2024-01-01", "1036420.00"),  # 20 × 51,821 (2023)
    ("2024-12-31", "1036420.00"),
    ("2025-01-01", "1083760.00"),  # 20 × 54,188 (2024)
    ("2014-06-30", "539100.00"),   # 20 × 26,955 (2013)
])
def test_W3_death_benefit_uses_the_figure_of_the_year_before_the_injury(injury, amount):
    # ORDER13 11: 工伤发生时上一年度; the death a year later does not change the year
    r = get({**RECOGNIZED, "died": True, "death_date": "2026-03-01"}, "death_benefit", date=injury)
    assert r["amount"] == amount and r["payer"] == "fund"


def test_a_given_national_figure_wins_over_the_shipped_one():
    r = get({**RECOGNIZED, "died": True, "death_date": "2024-03-01", "national_urban_disposable_income": 50000},
            "death_benefit")
    assert r["amount"] == "1000000.00"  # 20 × 50,000


def test_2003_text_death_benefit_is_months_of_the_area_wage_set_by_the_pooling_area():
    facts = {**RECOGNIZED, "died": True, "death_date": "2010-12-31", "regional_avg_monthly_wage": 3000}
    assert get(facts, "death_benefit", date="2010-12-31")["missing"] == ["death_benefit_months_2003"]
    r = get({**facts, "death_benefit_months_2003": 48}, "death_benefit", date="2010-12-31")
    assert r["amount"] == "144000.00" and "WIIR@2003 37(1)(3)" in basis(r)  # 48 × 3,000


def test_grade_1_to_4_dying_after_the_suspension_period_gets_funeral_and_pensions_not_the_death_benefit():
    facts = {**RECOGNIZED, "disability_grade": 3, "died": False, "died_after_suspension": True,
             "death_date": "2020-12-01", "monthly_wage": 6000, "regional_avg_monthly_wage": 8000,
             "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False}]}
    assert get(facts, "funeral_grant")["amount"] == "48000.00"      # 6 × 8,000
    assert get(facts, "dependent_pension")["amount"] == "2400.00"   # 40 % × 6,000
    assert get(facts, "death_benefit")["payable"] is False
    assert "WIIR 39(3)" in basis(get(facts, "funeral_grant"))


# ---------------------------------------------------------------- art. 41: missing worker

MISSING = {**RECOGNIZED, "away_on_business": True, "missing_after_accident": True, "died": False, "died_after_suspension": False,
           "original_monthly_pay": 6000, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000,
           "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False}]}


@pytest.mark.parametrize("month, wages, pension", [(1, True, False), (3, True, False), (4, False, True)])
def test_missing_worker_wages_for_3_months_then_the_dependants_pension(month, wages, pension):
    facts = {**MISSING, "months_missing": month}
    w = get(facts, "missing_worker_wages", date="2024-05-01")
    p = get(facts, "dependent_pension", date="2024-05-01")
    assert w["payable"] is wages and p["payable"] is pension
    if wages:
        assert (w["amount"], w["payer"]) == ("6000.00", "employer")
    if pension:
        assert (p["amount"], p["payer"]) == ("2400.00", "fund")  # 40 % × 6,000
        assert "WIIR 41" in basis(p)


def test_missing_worker_in_hardship_may_have_half_the_death_benefit_advanced():
    r = get({**MISSING, "months_missing": 2, "family_in_hardship": True}, "death_benefit_advance", date="2024-05-01")
    assert r["amount"] == "518210.00" and r["payer"] == "fund"  # 50 % × 20 × 51,821 (the year before the accident)
    assert get({**MISSING, "months_missing": 2, "family_in_hardship": False}, "death_benefit_advance",
               date="2024-05-01")["payable"] is False


# ---------------------------------------------------------------- art. 42: benefits stop


@pytest.mark.parametrize("reason, item", [
    ("lost_conditions", "WIIR 42(1)(1)"), ("refused_appraisal", "WIIR 42(1)(2)"), ("refused_treatment", "WIIR 42(1)(3)"),
])
def test_benefits_stop_and_cite_the_ground(reason, item):
    facts = {**GRADE7, "care_level": "partial", "third_party_caused": False, "medical_costs": 500,
             "benefits_stop_reason": reason}
    for item_id in ("medical_treatment", "one_time_disability_subsidy", "care_allowance"):
        r = get(facts, item_id)
        assert r["payable"] is False and item in basis(r), item_id


def test_stopping_is_presumed_not_to_have_happened():
    result = run({**GRADE7, "care_level": "partial"})
    r = next(i for i in result["items"] if i["id"] == "care_allowance")
    assert r["amount"] == "2400.00"  # 30 % × 8,000
    assert assumed(result)["benefits_stop_reason"] == "not_stopped"


# ---------------------------------------------------------------- art. 62 and 2(1): the uninsured employer


def test_the_uninsured_employer_pays_every_item_by_the_same_standards():
    facts = {**GRADE7, "employer_insured": False, "employer_pays": True, "care_level": "full"}
    subsidy = get(facts, "one_time_disability_subsidy")
    assert (subsidy["amount"], subsidy["payer"], subsidy["advance_payer"]) == ("78000.00", "employer", None)
    assert "WIIR 62(2)" in basis(subsidy)
    care = get(facts, "care_allowance")
    assert (care["amount"], care["payer"]) == ("4000.00", "employer")  # 50 % × 8,000


def test_after_paying_the_arrears_and_late_fees_the_fund_pays_its_items_of_new_costs():
    facts = {**GRADE7, "employer_insured": False, "arrears_back_paid": True,
             "labor_relation_ended": "contract_expired", "provincial_medical_subsidy": 20000,
             "provincial_employment_subsidy": 10000}
    subsidy = get(facts, "one_time_disability_subsidy")
    assert subsidy["payer"] == "fund" and "WIIR 62(3)" in basis(subsidy)
    assert get(facts, "one_time_medical_subsidy")["payer"] == "fund"
    assert get(facts, "one_time_employment_subsidy")["payer"] == "employer"


def test_insurance_is_never_presumed():
    unknown_insurance = {k: v for k, v in GRADE7.items() if k != "employer_insured"}
    result = run(unknown_insurance)
    assert "employer_insured" not in assumed_kinds(result)
    subsidy = get(unknown_insurance, "one_time_disability_subsidy")
    assert subsidy["payer"] is None and "employer_insured" in subsidy["missing"]
    in_arrears = unknown_insurance | {"employer_insured": False, "employer_in_arrears": True, "employer_pays": True}
    assert get(in_arrears, "one_time_disability_subsidy")["payer"] == "employer"


# The tables of arts. 34-37 (care allowance, disability subsidy and allowance by grade, the minimum-wage top-up), the
# appraisal fee (art. 12), the wage base (art. 64(2)) and the text in force (Decree No. 586) are worked in YAML:
# statutes/national/tests/wiir.yaml (`lawtrace test statutes`).


# ---------------------------------------------------------------- which text: Decree No. 586 (W5)


@pytest.mark.parametrize("date, amount, article", [
    ("2010-12-31", "72000.00", "WIIR@2003 35(1)(1)"),  # 6,000 × 12 (2003 text)
    ("2011-01-01", "78000.00", "WIIR 37(1)(1)"),       # 6,000 × 13 (2010 text)
])
def test_the_text_in_force_on_the_day_of_the_accident(date, amount, article):
    r = get(GRADE7, "one_time_disability_subsidy", date=date)
    # the text in force by State Council Decree No. 586 (W5), never WIIR 67 (which gives only 2004-01-01)
    assert r["amount"] == amount and article in basis(r) and "WIIR 67" not in basis(r)
    # the 2010 figures hold from 2011-01-01 by Decree No. 586; a 2010 case rests on the 2003 text alone
    assert ("DECREE586 1" in basis(r)) is (date >= "2011-01-01")
    assert not {c for c in basis(r) if c.startswith("WIIR 3")} or date >= "2011-01-01"
