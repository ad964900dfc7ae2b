"""Premium rates over time: the 2003 three-class system and the 2015 eight-class one, their tiers, WIIR 10's premium.

Every figure is worked by hand from ../shared/law/premium-rates.md and WIIR 10(2) (premium = total payroll × the
employer's rate; the rate = the base rate of the industry class × the tier), rounded half up to the fen.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from decimal import Decimal

from dsl.errors import LawtraceError
from engine.build.catalog import load_catalog
from engine.build.compile import compile_regime
from engine.run.evaluate import Evaluator
from engine.run.result import result_json
from lawtrace.api import evaluate_case
from lawtrace.cli import main

PAYROLL = 1_000_000


def national_rate(klass: int, date: str) -> Decimal | None:
    """The class's national base rate of the notice in force on `date` (RATES2003 / RATES2015 art. 1)."""
    from datetime import date as D

    evaluation = Evaluator(compile_regime(load_catalog(), "national")).evaluate({"industry_risk_class": klass},
                                                                               D.fromisoformat(date))
    value = evaluation.get("national_base_rate")
    return value.value if value.known else None  # a class the notice of that date does not have


def employer(facts: dict, date: str = "2020-06-01", regime: str = "national", area: bool = True) -> dict:
    """An employer's result; the pooling area's base rate is the class's national one unless given (Q2: never presumed)."""
    facts = dict(facts)
    if area and "area_base_rate" not in facts and isinstance(facts.get("industry_risk_class"), int):
        rate = national_rate(facts["industry_risk_class"], date)
        if rate is not None:
            facts["area_base_rate"] = str(rate)
    case = {"kind": "employer", "regime": regime, "date": date, "facts": facts}
    return result_json(evaluate_case(case), include_trace=False)


def premium(facts: dict, date: str = "2020-06-01") -> dict:
    return next(i for i in employer(facts, date)["items"] if i["id"] == "premium")


def cites(entry: dict) -> set[tuple[str, int]]:
    return {(c["instrument"], c["article"]) for c in entry["basis"]}


def test_done_a_class_5_employer_at_the_base_tier_in_2020_owes_11000_a_month():
    r = employer({"industry_risk_class": 5, "rate_tier": "base", "monthly_payroll": PAYROLL})
    p = next(i for i in r["items"] if i["id"] == "premium")
    # 1,000,000 × 1.1 % (class 5, 人社部发〔2015〕71号) × 100 % (base tier) = 11,000.00
    assert (p["payable"], p["amount"], p["period"], p["payer"]) == (True, "11000.00", "monthly", "employer")
    # the area's rate (given: the national 1.1 % of RATES2015 art. 1, which the area adopted) × the tier (art. 2)
    assert {("RATES2015", 2), ("WIIR", 10)} <= cites(p)
    assert ("RATES2003", 1) not in cites(p)
    assert national_rate(5, "2020-06-01") == Decimal("0.011")


def test_Q2_no_area_base_rate_leaves_the_premium_undetermined():
    # the notice holds the national rates "at about" (控制在…左右) and leaves each pooling area its own: no default
    r = employer({"industry_risk_class": 5, "rate_tier": "base", "monthly_payroll": PAYROLL}, area=False)
    p = next(i for i in r["items"] if i["id"] == "premium")
    assert p["payable"] is True and p["amount"] is None and "area_base_rate" in p["missing"]
    assert all(a["fact"] != "area_base_rate" for a in r["assumed"])


# The classes of both notices, the day the system changes and the tiers are worked in YAML:
# statutes/national/tests/rates.yaml (`lawtrace test statutes`).


def test_done_the_same_employer_in_2014_falls_under_the_three_class_system():
    # class 5 did not exist before 2015-10-01: the case is refused at the fact, naming the classes there were
    with pytest.raises(LawtraceError) as caught:
        employer({"industry_risk_class": 5, "rate_tier": "base", "monthly_payroll": PAYROLL}, "2014-06-01")
    message = caught.value.render()
    assert "facts.industry_risk_class" in message and "three industry risk classes, 1 to 3" in message
    assert "RATES2003 art. 1" in message
    # its class under the 2003 notice: 2 (general manufacturing, ~1.0 %), 1,000,000 × 1.0 % = 10,000.00
    p = premium({"industry_risk_class": 2, "rate_tier": "base", "monthly_payroll": PAYROLL}, "2014-06-01")
    assert p["amount"] == "10000.00"
    # the rates and tiers of the 2003 notice; the 2015 notice only for its date of entry into force (art. 1)
    assert ("RATES2003", 1) in cites(p) and not {("RATES2015", 2), ("RATES2015", 3)} & cites(p)


@pytest.mark.parametrize("tier", ["down1", "down2"])
def test_edge_a_tier_not_allowed_in_class_1_is_an_error_naming_the_allowed_ones(tier: str):
    with pytest.raises(LawtraceError) as caught:
        employer({"industry_risk_class": 1, "rate_tier": tier, "monthly_payroll": PAYROLL})
    message = caught.value.render()
    assert "facts.rate_tier" in message
    assert "class 1 has three tiers only: base, up1 (120 %), up2 (150 %)" in message


def test_edge_class_1_did_not_float_at_all_before_2015():
    with pytest.raises(LawtraceError) as caught:
        employer({"industry_risk_class": 1, "rate_tier": "up1", "monthly_payroll": PAYROLL}, "2012-01-01")
    assert "its only tier is base" in caught.value.render()
    assert premium({"industry_risk_class": 1, "rate_tier": "base", "monthly_payroll": PAYROLL}, "2012-01-01")["amount"] == "5000.00"


def test_a_refused_tier_exits_1_with_the_field_and_no_traceback(tmp_path):
    case = tmp_path / "employer-bad-tier.yaml"
    case.write_text("kind: employer\ndate: 2020-06-01\nfacts:\n  industry_risk_class: 1\n  rate_tier: down2\n"
                    "  monthly_payroll: 1000000\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["eval", str(case)])
    assert out.exit_code == 1
    assert "employer-bad-tier.yaml:5:3" in out.output and "rate_tier" in out.output
    assert "base, up1 (120 %), up2 (150 %)" in out.output and "Traceback" not in out.output


def test_an_area_base_rate_replaces_the_national_one_and_nothing_is_assumed():
    r = employer({"industry_risk_class": 5, "rate_tier": "up1", "monthly_payroll": PAYROLL, "area_base_rate": 0.012})
    p = next(i for i in r["items"] if i["id"] == "premium")
    assert p["amount"] == "14400.00"  # 1,000,000 × 1.2 % × 120 %
    assert r["assumed"] == []


def test_the_premium_rounds_half_up_to_the_fen():
    # 333,333.33 × 1.1 % = 3,666.66663 → 3,666.67; × 0.9 % (class 4) = 2,999.99997 → 3,000.00
    assert premium({"industry_risk_class": 5, "rate_tier": "base", "monthly_payroll": "333333.33"})["amount"] == "3666.67"
    assert premium({"industry_risk_class": 4, "rate_tier": "base", "monthly_payroll": "333333.33"})["amount"] == "3000.00"


def test_worker_wages_sum_to_the_payroll_nationally():
    facts = {"industry_risk_class": 5, "rate_tier": "base", "worker_wages": [{"wage": 2000}, {"wage": 8000}, {"wage": 40000}]}
    assert premium(facts)["amount"] == "550.00"  # (2,000 + 8,000 + 40,000) × 1.1 %


def test_unknown_class_or_tier_leaves_the_premium_undetermined_with_the_facts_that_decide_it():
    p = premium({"monthly_payroll": PAYROLL})
    assert p["payable"] is True and p["amount"] is None
    assert {"industry_risk_class", "rate_tier"} <= set(p["missing"])


def test_the_regimes_list_the_notices_in_national():
    out = CliRunner().invoke(main, ["regimes", "--format", "json"])
    national = next(r for r in json.loads(out.output) if r["name"] == "national")
    codes = [i["code"] for i in national["instruments"]]
    assert [c for c in codes if c.startswith("RATES")] == ["RATES2003", "RATES2015"]
    levels = {i["code"]: i["level"] for i in national["instruments"]}
    assert levels["RATES2003"] == levels["RATES2015"] == "rule"
