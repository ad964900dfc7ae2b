"""Invariants of who pays, over many generated cases of the national regime.

For every payable item: exactly one final payer (a party, never `none`) once it
is decided; the parts, where the law splits the item, sum to its amount to the
fen; an advance is always recovered, from the final payer; the employer's own
items are never advanced by the fund (APM 8); and nothing is paid from a fact
the case does not give unless a presumption says so.
"""

from __future__ import annotations

from decimal import Decimal

from conftest import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARTIES = {"fund", "employer", "third_party", "state"}
EMPLOYER_OWN = {"suspension_wages", "one_time_employment_subsidy", "missing_worker_wages"}

money = st.decimals(min_value=0, max_value=60000, places=2, allow_nan=False, allow_infinity=False).map(str)
maybe = lambda s: st.one_of(st.none(), s)
often = lambda s: st.one_of(s, s, s, st.none())
flag = maybe(st.booleans())
yes = st.sampled_from([True, True, True, False, None])

FACTS = {
    "work_injury_recognized": yes, "veteran_old_injury_recurrence": flag,
    "injured_in_working_hours": flag, "injured_at_workplace": flag, "injured_for_work_reasons": flag,
    "commuting_accident": flag, "worker_primarily_responsible": flag, "drunk_or_drugged": flag,
    "employer_insured": st.sampled_from([False, False, True, None]), "employer_pays": yes, "arrears_back_paid": flag,
    "employer_default_reason": maybe(st.sampled_from(["licence_revoked", "refuses_to_pay", "enforcement_suspended",
                                                      "other_non_payment"])),
    "advance_application_date": maybe(st.sampled_from(["2011-06-30", "2011-07-01", "2015-03-01"])),
    "third_party_caused": st.sampled_from([False, True, True, None]), "third_party_identified": yes, "third_party_pays": flag,
    "medical_fund_advanced": flag, "medical_costs": often(money),
    "late_application": flag, "medical_costs_during_delay": maybe(money),
    "recognition_application_date": maybe(st.sampled_from(["2012-02-01", "2020-02-15"])),
    "hospital_days": maybe(st.integers(0, 60)), "hospital_food_subsidy_per_day": often(money),
    "business_trip_food_allowance": maybe(money),
    "assistive_devices_confirmed": flag, "assistive_device_costs": maybe(money),
    "off_work_for_treatment": flag, "original_monthly_pay": often(money), "suspension_months": maybe(st.integers(1, 30)),
    "disability_grade": often(st.integers(1, 10)), "no_suitable_work_arranged": flag,
    "monthly_wage": often(money), "regional_avg_monthly_wage": often(money), "minimum_wage": often(money),
    "care_level": maybe(st.sampled_from(["full", "most", "partial", "none"])),
    "receives_basic_pension": flag, "basic_pension": maybe(money),
    "labor_relation_ended": maybe(st.sampled_from(["none", "worker_resigned", "contract_expired", "mutual_agreement"])),
    "provincial_medical_subsidy": often(money), "provincial_employment_subsidy": often(money),
    "died": yes, "death_date": often(st.sampled_from(["2012-01-20", "2020-01-31", "2020-02-01", "2024-06-30"])),
    "dependents": often(st.lists(st.fixed_dictionaries({
        "relation": st.sampled_from(["spouse", "child", "parent", "other"]), "orphan_or_lone_elder": st.booleans()}),
        max_size=4)),
    "death_benefit_months_2003": maybe(st.integers(48, 60)),
    "away_on_business": flag, "missing_after_accident": flag, "months_missing": maybe(st.integers(1, 8)),
    "family_in_hardship": flag, "appraisal_fee_costs": often(money),
    "benefits_stop_reason": maybe(st.sampled_from(["not_stopped", "refused_treatment"])),
}

CORE = ("work_injury_recognized", "employer_insured", "employer_pays", "third_party_caused", "third_party_identified",
        "medical_costs", "disability_grade", "monthly_wage", "regional_avg_monthly_wage", "late_application",
        "medical_costs_during_delay", "died", "death_date", "care_level", "minimum_wage")
cases = st.tuples(
    st.fixed_dictionaries({k: FACTS[k] for k in CORE}, optional={k: v for k, v in FACTS.items() if k not in CORE}),
    st.sampled_from(["2009-06-01", "2010-12-31", "2011-01-01", "2011-06-30", "2011-07-01", "2020-01-01", "2024-03-15"]),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_every_payable_yuan_has_one_final_payer(case):
    facts, date = case
    facts = {k: v for k, v in facts.items() if v is not None}
    result = run(facts, date)
    for i in result["items"]:
        if i["payable"] is not True:
            assert i["parts"] == [], i["id"]
            continue
        if "payer" not in i["undetermined"]:
            assert i["payer"] in PARTIES, (i["id"], i["payer"])
        known_parts = [p for p in i["parts"] if p["amount"] is not None]
        if i["amount"] is not None and i["parts"] and len(known_parts) == len(i["parts"]):
            assert sum(Decimal(p["amount"]) for p in i["parts"]) == Decimal(i["amount"]), i["id"]
            for p in i["parts"]:
                assert Decimal(p["amount"]) > 0 and (p["payer"] in PARTIES or p["payer"] is None)
        if i["advance_payer"] is not None:
            assert i["advance_payer"] != i["payer"], i["id"]
            assert i["recover_from"] is not None or "recover_from" in i["undetermined"], i["id"]
            if i["payer"] is not None and i["recover_from"] is not None:
                assert i["recover_from"] == i["payer"], i["id"]
        if "advance_payer" not in i["undetermined"] and i["advance_payer"] is None:
            assert i["recover_from"] is None or "recover_from" in i["undetermined"], i["id"]
        if i["id"] in EMPLOYER_OWN:
            assert i["advance_payer"] is None, i["id"]


@settings(max_examples=60, deadline=None)
@given(cases)
def test_nothing_is_payable_without_a_work_injury(case):
    facts, date = case
    facts = {k: v for k, v in facts.items() if v is not None}
    facts.update(work_injury_recognized=False, veteran_old_injury_recurrence=False)
    assert [i["id"] for i in run(facts, date)["items"] if i["payable"] is not False] == []
