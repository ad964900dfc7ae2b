"""The order of the next questions on a dozen cases, fixed (issue 17; trial §3 and §6.7).

The rank (engine/analysis/questions.py) weighs each answer's items settled (1 where then payable, NOT_PAID where
refused), the money it settles on a common scale, an event's lower odds (EVENT), and an amount's reach into the open
items' amounts (REACH). Each case says why its first questions come in that order; a change to the weights that moves
them must say why here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from engine.analysis.questions import next_questions
from lawtrace.api import evaluator

LIVING = {"work_injury_recognized": True, "died": False, "monthly_wage": D(6000), "regional_avg_monthly_wage": D(8000)}
JS_GRADE8 = {"work_injury_recognized": True, "employer_insured": True, "disability_grade": D(8), "monthly_wage": D(7500),
             "regional_avg_monthly_wage": D(9200), "medical_costs": D(42000), "hospital_days": D(21),
             "hospital_food_subsidy_per_day": D(30)}

# Since issue 14 (audit Q9) an ending the Regulations' letter does not list (mutual agreement, dismissal, the
# employer's closure) leaves the one-time subsidies open with a diagnostic instead of refusing them, so the answers to
# labor_relation_ended settle fewer items than before and the relation's end comes after the facts that settle more.
CASES = [
    # Nothing known but the date: the grade decides most items (disability subsidy, allowance, the one-time
    # subsidies) and the most money; the end of the labour relation opens the two one-time subsidies; recognition
    # is the gate of every item but, presumed by law where its circumstances hold, only its refusal settles them.
    ("empty", "national", {}, date(2023, 5, 10), "worker",
     ["disability_grade", "work_injury_recognized", "regional_avg_monthly_wage"]),
    # A living worker with wages, grade unknown: the grade (162,000.00 at stake) far ahead; then the relation's end;
    # the insurance decides who pays eight items, each only in part (whether the employer pays stays open).
    ("living_no_grade", "national", LIVING, date(2020, 6, 15), "worker",
     ["disability_grade", "labor_relation_ended", "employer_insured"]),
    # The trial's Jiangsu grade-8 worker (§3): "died" was first. Now the relation's end (Jiangsu's one-time subsidies,
    # known amounts) and the care level (a monthly 4,600.00) come first; died is an event the case does not mention
    # (EVENT odds) and comes third, just before the third party (42,000.00 of medical costs, §3: it was 5th).
    ("js_grade8", "jiangsu", JS_GRADE8, date(2023, 5, 10), "worker",
     ["care_level", "died", "labor_relation_ended", "third_party_caused"]),
    # No wage given: the area's average wage and the worker's wage enter most amounts (REACH) and come right after
    # the relation's end (trial §3: monthly_wage was 15th). Since issue 13 the death benefit is known without a death
    # date (ORDER13 11: the national figure of the year before the injury), so died carries 985,660.00 at EVENT odds
    # and comes between the two wages.
    ("grade7_no_wage", "national", {"work_injury_recognized": True, "employer_insured": True, "disability_grade": D(7)},
     date(2023, 5, 10), "worker", ["labor_relation_ended", "regional_avg_monthly_wage", "died", "monthly_wage"]),
    # Recognized, nothing else: the grade, the relation's end, then the wages that enter the amounts, and the
    # insurance (who pays).
    ("recognized_only", "national", {"work_injury_recognized": True}, date(2023, 5, 10), "worker",
     ["disability_grade", "regional_avg_monthly_wage", "employer_insured"]),
    # An uninsured employer: why it defaults decides who advances every item (APM), ahead of everything else.
    ("uninsured", "national", {"work_injury_recognized": True, "employer_insured": False, "disability_grade": D(9),
                               "monthly_wage": D(5000), "regional_avg_monthly_wage": D(8000)},
     date(2020, 6, 15), "worker", ["employer_default_reason", "employer_pays", "labor_relation_ended"]),
    # Grade 3 keeps the relation (no one-time subsidies to open): the care level (a monthly amount) first; died
    # second (it opens the death items), the minimum wage (the allowance's floor) third.
    ("grade3", "national", {"work_injury_recognized": True, "employer_insured": True, "disability_grade": D(3),
                            "monthly_wage": D(6000), "regional_avg_monthly_wage": D(8000)},
     date(2020, 6, 15), "worker", ["care_level", "died", "minimum_wage"]),
    # Only medical costs: the grade, the relation's end, the wages; the third party (who pays the 30,000.00) next.
    # died (a known death benefit since issue 13, as above) before the worker's own wage.
    ("medical_only", "national", {"work_injury_recognized": True, "employer_insured": True, "medical_costs": D(30000)},
     date(2020, 6, 15), "worker",
     ["disability_grade", "regional_avg_monthly_wage", "died", "labor_relation_ended", "monthly_wage",
      "third_party_caused"]),
    # Guiyang grade 6: the relation's end first (grade 5-6 may end it), then the care level, then died.
    ("guiyang_grade6", "guiyang", {"work_injury_recognized": True, "employer_insured": True, "disability_grade": D(6),
                                   "monthly_wage": D(6000), "regional_avg_monthly_wage": D(7000)},
     date(2020, 6, 15), "worker", ["care_level", "labor_relation_ended", "died"]),
    # A death known, no death date: after the living-worker items (asked until the ranking drops them after a death,
    # issue 13), the death date (it picks the national income of the year before, 985,660.00-scale benefit).
    ("died_known", "national", {"work_injury_recognized": True, "employer_insured": True, "died": True,
                                "monthly_wage": D(6800), "regional_avg_monthly_wage": D(9200)},
     date(2023, 8, 12), "worker", ["disability_grade", "death_date", "care_level"]),
    # An employer with nothing said: the arrears (late fee and fine) first, then the payroll (the premium's base).
    ("employer_blank", "national", {}, date(2020, 6, 1), "employer", ["arrears", "monthly_payroll", "payment_date"]),
    # An employer whose class and tier are known: the same order: the class no longer open, its rate is known.
    ("employer_class5", "national", {"registered": True, "industry_risk_class": D(5), "rate_tier": "base"},
     date(2020, 6, 1), "employer", ["arrears", "monthly_payroll", "payment_date"]),
]


@pytest.mark.parametrize("name, regime, facts, on, kind, first", CASES, ids=[c[0] for c in CASES])
def test_the_first_questions_come_in_this_order(name, regime, facts, on, kind, first):
    order = [q.fact for q in next_questions(evaluator(regime), facts, on, kind=kind)]
    assert order[:len(first)] == first, order[:8]


def test_died_is_not_the_first_question_for_a_worker_appraised_alive():
    order = [q.fact for q in next_questions(evaluator("jiangsu"), JS_GRADE8, date(2023, 5, 10))]
    assert order[0] != "died" and order.index("third_party_caused") < 5


def test_the_wage_comes_early_when_unknown():
    order = [q.fact for q in next_questions(evaluator("national"), {}, date(2023, 5, 10))]
    assert order.index("monthly_wage") < 8  # it was 15th in the trial's interview
