"""The shipped reform proposals (statutes/reforms/): who advances, who recovers, who pays in the end, against national law."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import item, run

from lawtrace.cli import main

# A grade-7 worker whose uninsured employer refuses to pay; the worker resigned. The province's figures are given.
UNINSURED = {"work_injury_recognized": True, "disability_grade": 7, "monthly_wage": 6000,
             "regional_avg_monthly_wage": 8000, "employer_insured": False, "employer_pays": False,
             "labor_relation_ended": "worker_resigned", "provincial_medical_subsidy": 120000,
             "provincial_employment_subsidy": 45000, "off_work_for_treatment": True, "original_monthly_pay": 5000,
             "suspension_months": 3, "medical_costs": 10000, "third_party_caused": False}
INSURED = {**UNINSURED, "employer_insured": True}


def payers(regime: str, facts: dict, item_id: str) -> tuple:
    i = item(run(facts, "2020-06-15", regime), item_id)
    return i["amount"], i["payer"], i["advance_payer"], i["recover_from"]


def test_done_a_shipped_reform_has_the_fund_advance_the_employers_items_for_an_uninsured_worker():
    # APM 8: the fund advances only its own items; the employment subsidy (SIL 39(1)(3)) is the employer's
    assert payers("national", UNINSURED, "one_time_employment_subsidy") == ("45000.00", "employer", None, None)
    assert payers("reform_social_security_advance", UNINSURED, "one_time_employment_subsidy") == (
        "45000.00", "employer", "fund", "employer")
    assert payers("reform_social_security_advance", UNINSURED, "suspension_wages") == (
        "5000.00", "employer", "fund", "employer")
    r = item(run(UNINSURED, "2020-06-15", "reform_social_security_advance"), "one_time_employment_subsidy")
    assert {"instrument": "RSS", "version": "2021", "article": 1} in r["basis"]


def test_the_social_security_advance_leaves_insured_workers_and_paying_employers_alone():
    assert payers("reform_social_security_advance", INSURED, "one_time_employment_subsidy")[2:] == (None, None)
    paying = {**UNINSURED, "employer_pays": True}
    assert payers("reform_social_security_advance", paying, "one_time_employment_subsidy")[2:] == (None, None)
    # the fund's own items are advanced as under national law
    assert payers("reform_social_security_advance", UNINSURED, "one_time_disability_subsidy") == \
        payers("national", UNINSURED, "one_time_disability_subsidy") == ("78000.00", "employer", "fund", "employer")


def test_the_wider_scope_reaches_an_insured_employer_that_does_not_pay():
    assert payers("national", INSURED, "one_time_employment_subsidy")[2:] == (None, None)
    assert payers("reform_wider_scope", INSURED, "one_time_employment_subsidy")[2:] == ("fund", "employer")
    assert payers("reform_wider_scope", {**INSURED, "employer_pays": True}, "one_time_employment_subsidy")[2:] == (None, None)
    undecided = item(run({k: v for k, v in INSURED.items() if k != "employer_pays"}, "2020-06-15", "reform_wider_scope"),
                     "one_time_employment_subsidy")
    assert undecided["advance_payer"] is None and "employer_pays" in undecided["missing"]  # it now matters


def test_the_wider_scope_advances_a_third_partys_medical_costs_without_a_demand_on_the_employer():
    facts = {**UNINSURED, "employer_pays": True, "third_party_caused": True, "third_party_identified": False}
    # national: the uninsured employer pays, so the fund does not advance (APM 5(1)(4))
    assert payers("national", facts, "medical_treatment") == ("10000.00", "employer", None, None)
    assert payers("reform_wider_scope", facts, "medical_treatment") == ("10000.00", "employer", "fund", "employer")


def test_a_penalty_in_place_of_recovery_leaves_the_advance_with_the_fund():
    # national: the fund advances the disability subsidy and recovers it from the employer
    assert payers("reform_penalty_not_recovery", UNINSURED, "one_time_disability_subsidy") == (
        "78000.00", "fund", "fund", None)
    assert payers("reform_penalty_not_recovery", UNINSURED, "medical_treatment") == ("10000.00", "fund", "fund", None)
    # the employer's own items are not advanced, so nothing changes for them
    assert payers("reform_penalty_not_recovery", UNINSURED, "one_time_employment_subsidy") == (
        "45000.00", "employer", None, None)
    # an insured worker: nothing changes
    assert payers("reform_penalty_not_recovery", INSURED, "one_time_disability_subsidy") == \
        payers("national", INSURED, "one_time_disability_subsidy") == ("78000.00", "fund", None, None)


def test_shipped_reforms_appear_in_regimes_with_what_they_amend_and_why():
    out = CliRunner().invoke(main, ["regimes", "--format", "json"])
    assert out.exit_code == 0, out.output
    regimes = {r["name"]: r for r in json.loads(out.output)}
    for name, code in (("reform_social_security_advance", "RSS"), ("reform_wider_scope", "RWS"),
                       ("reform_penalty_not_recovery", "RPEN")):
        r = regimes[name]
        assert r["instruments"][-1]["code"] == code and r["instruments"][-1]["level"] == "reform"
        assert r["overrides"], name
        for c in r["overrides"]:
            assert c["applied"] and c["amends"] and c["reason"], (name, c["target"])
            assert c["authority"].startswith("reform amending ")
    rss = {c["target"]: c for c in regimes["reform_social_security_advance"]["overrides"]}
    change = rss["one_time_employment_subsidy.advance_payer"]
    assert change["replaces"]["citations"] == [{"instrument": "APM", "version": "2011", "article": 8}]
    assert {"instrument": "SIL", "version": "2010", "article": 41, "paragraph": 1} in change["amends"]


def test_each_reform_gives_its_rationale_as_a_gist_not_as_law():
    from lawtrace.api import load_program

    for name, code in (("reform_social_security_advance", "RSS"), ("reform_wider_scope", "RWS"),
                       ("reform_penalty_not_recovery", "RPEN")):
        articles = [a for (inst, _, _), a in load_program(name).articles.items() if inst == code]
        assert articles and all(a.status == "gist" and "Rationale:" in (a.text or "") for a in articles), name
