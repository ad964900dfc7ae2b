"""Benefits over time (issue 13): streams that start and stop with events, the law by each event's date,
and what is owed over a window. Every figure is worked by hand from the texts in the comments."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import item, run

from lawtrace.cli import main

BASE = {"work_injury_recognized": True, "employer_insured": True, "monthly_wage": 7000,
        "regional_avg_monthly_wage": 8000, "minimum_wage": 2000}
# grade 3 graded on 2022-09-10, 8 months into the suspension period (accident 2022-01-10)
GRADE3 = {**BASE, "off_work_for_treatment": True, "original_monthly_pay": 7000, "disability_grade": 3,
          "appraisal_conclusion_date": "2022-09-10", "care_level": "partial"}


def basis(entry: dict) -> set[str]:
    out = set()
    for c in entry["basis"]:
        text = f"{c['instrument']} {c['article']}" + (f"({c['paragraph']})" if "paragraph" in c else "")
        out.add(text + (f"({c['item']})" if "item" in c else ""))
        out.add(f"{c['instrument']} {c['article']}")
    return out


def spans(entry: dict) -> list[tuple]:
    return [(p["from"], p["to"], p["monthly_amount"], p["payer"]) for p in entry["periods"]]


def test_W1_grading_stops_the_suspension_wages_and_starts_the_disability_allowance():
    r = run(GRADE3, "2022-01-10")
    wages, allowance = item(r, "suspension_wages"), item(r, "disability_allowance")
    # WIIR 33(2): 评定伤残等级后，停发原待遇 — wages 7,000 to the day before the conclusion
    assert spans(wages) == [("2022-01-10", "2022-09-09", "7000.00", "employer")]
    assert wages["periods"][0]["ends"]["event"] == "appraisal"
    assert {"article": 33, "paragraph": 2} in [{k: c[k] for k in ("article", "paragraph") if k in c}
                                                for c in wages["periods"][0]["ends"]["basis"]]
    # WIIR 35(1)(2): 80 % × 7,000 = 5,600 from the day of the conclusion, never on the same day as the wages
    assert spans(allowance) == [("2022-09-10", None, "5600.00", "fund")]
    assert (allowance["payable"], allowance["amount"]) == (True, "5600.00")


def test_W2_grade_3_dying_of_another_cause_after_the_suspension_period():
    facts = {**GRADE3, "died": False, "died_after_suspension": True, "death_date": "2023-03-15",
             "regional_avg_wages": [{"year": 2022, "monthly_wage": 8500}],
             "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False}]}
    r = run(facts, "2022-01-10")
    # the worker's own allowance (5,600) and care allowance end on the death date; the care allowance takes the
    # year before its month (WIIR 34(2)): 30 % × 8,000 = 2,400 in 2022, 30 % × 8,500 (the 2022 figure) = 2,550 in 2023
    assert spans(item(r, "disability_allowance")) == [("2022-09-10", "2023-03-15", "5600.00", "fund")]
    assert spans(item(r, "care_allowance")) == [("2022-09-10", "2022-12-31", "2400.00", "fund"),
                                                ("2023-01-01", "2023-03-15", "2550.00", "fund")]
    assert item(r, "disability_allowance")["periods"][0]["ends"]["event"] == "death"
    # WIIR 39(3): funeral grant 6 × 8,500 (the year before the death, 2022) and the spouse's pension 40 % × 7,000
    funeral = item(r, "funeral_grant")
    assert (funeral["amount"], funeral["arises"]) == ("51000.00", "2023-03-15") and "WIIR 39(3)" in basis(funeral)
    assert spans(item(r, "dependent_pension")) == [("2023-03-16", None, "2800.00", "fund")]
    assert item(r, "death_benefit")["payable"] is False  # no death benefit under 39(3)


def test_funeral_grant_of_a_death_in_a_later_year_needs_that_year_s_figure():
    facts = {**GRADE3, "died": False, "died_after_suspension": True, "death_date": "2023-03-15"}
    funeral = item(run(facts, "2022-01-10"), "funeral_grant")
    assert funeral["payable"] is True and funeral["amount"] is None and "amount" in funeral["undetermined"]


def test_grade_1_to_4_dying_of_the_injury_after_the_suspension_period_is_flagged_39_1_or_39_3():
    facts = {**GRADE3, "disability_grade": 2, "died": True, "died_after_suspension": True, "death_date": "2022-12-01",
             "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False}]}
    r = run(facts, "2022-01-10")
    assert item(r, "death_benefit")["payable"] is None
    assert any("39(1)" in d["message"] and "39(3)" in d["message"] for d in r["diagnostics"])
    assert item(r, "funeral_grant")["amount"] == "48000.00"  # owed under either reading: 6 × 8,000


def test_a_child_s_pension_ends_on_the_18th_birthday_and_the_cap_is_recomputed():
    facts = {**BASE, "monthly_wage": 6000, "died": True, "death_date": "2020-07-01",
             "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False},
                            {"relation": "child", "orphan_or_lone_elder": False, "birth_date": "2004-09-01",
                             "fully_incapacitated": False},
                            {"relation": "parent", "orphan_or_lone_elder": True}]}
    pension = item(run(facts, "2020-06-15"), "dependent_pension")
    # 40 % + 30 % + (30 % + 10 %) = 110 % × 6,000 = 6,600 > 6,000: capped (WIIR 39(1)(2));
    # from the child's 18th birthday (ORDER18 4(1)): 40 % + 40 % = 80 % × 6,000 = 4,800, under the cap
    assert spans(pension) == [("2020-07-02", "2022-08-31", "6000.00", "fund"), ("2022-09-01", None, "4800.00", "fund")]
    assert pension["periods"][0]["ends"]["event"] == "dependant_turns_18"
    assert pension["amount"] == "6000.00"  # the first period's


def test_a_grade_4_worker_retiring_on_a_lower_pension_gets_the_top_up():
    facts = {**BASE, "monthly_wage": 6000, "disability_grade": 4, "appraisal_conclusion_date": "2021-03-01",
             "retirement_date": "2025-05-01", "basic_pension": 3000}
    r = run(facts, "2020-11-01")
    # allowance 75 % × 6,000 = 4,500 until retirement (WIIR 35(1)(3)); then the fund tops 3,000 up: 1,500
    assert spans(item(r, "disability_allowance")) == [("2021-03-01", "2025-04-30", "4500.00", "fund")]
    assert spans(item(r, "pension_top_up")) == [("2025-05-01", None, "1500.00", "fund")]
    assert item(r, "pension_top_up")["periods"][0]["starts"]["event"] == "retirement"


def test_later_events_not_given_are_presumed_not_to_have_happened():
    r = run(GRADE3, "2022-01-10")
    kinds = {a["fact"]: a["kind"] for a in r["assumed"]}
    assert kinds.get("worker_died") == "later_events" and kinds.get("receives_basic_pension") == "later_events"


def test_W4_a_2010_accident_with_a_third_party_not_paying_is_judged_without_SIL_42():
    facts = {"work_injury_recognized": True, "employer_insured": True, "third_party_caused": True,
             "third_party_identified": True, "third_party_pays": False, "medical_costs": 50000}
    m = item(run(facts, "2010-05-01"), "medical_treatment")
    # WIIR 30(3): the fund pays the costs within the catalogues; SIL 42 was not in force
    assert (m["amount"], m["payer"], m["advance_payer"]) == ("50000.00", "fund", None)
    assert not {"SIL 42", "APM 4", "APM 5"} & basis(m)


def test_Q7_a_2013_termination_of_a_2010_injury_is_flagged_not_keyed_on_the_accident():
    facts = {**BASE, "disability_grade": 8, "labor_relation_ended": "worker_resigned",
             "labor_relation_end_date": "2013-06-30", "provincial_medical_subsidy": 12000}
    r = run(facts, "2010-06-01")
    m = item(r, "one_time_medical_subsidy")
    assert m["payer"] is None and "payer" in m["undetermined"] and m["arises"] == "2013-06-30"
    assert any("Q7" in d["message"] for d in r["diagnostics"])


def test_W3_an_injury_whose_previous_year_national_figure_is_not_shipped_leaves_the_death_benefit_undetermined():
    facts = {"work_injury_recognized": True, "employer_insured": True, "died": True, "death_date": "2026-02-01",
             "monthly_wage": 9000, "regional_avg_monthly_wage": 9000}
    r = run(facts, "2026-02-01")
    d = item(r, "death_benefit")
    assert d["payable"] is True and d["amount"] is None and "amount" in d["undetermined"]
    assert any("no figure is shipped for 2026-02-01" in x["message"] for x in r["diagnostics"])
    # given, the figure decides: 20 × 56,000
    assert item(run({**facts, "national_urban_disposable_income": 56000}, "2026-02-01"),
                "death_benefit")["amount"] == "1120000.00"


def test_eval_from_to_gives_what_falls_due_month_by_month(tmp_path):
    case = tmp_path / "g3.json"
    case.write_text(json.dumps({"regime": "national", "date": "2022-01-10", "facts": GRADE3}))
    out = CliRunner().invoke(main, ["eval", str(case), "--from", "2022-08-01", "--to", "2022-11-30", "--format", "json"])
    assert out.exit_code == 0, out.output
    owed = json.loads(out.output)["owed"]
    months = {m["month"]: m["by_item"] for m in owed["months"]}
    assert months["2022-08"] == {"suspension_wages": "7000.00"}                       # a whole month of wages
    assert months["2022-09"] == {"one_time_disability_subsidy": "161000.00"}          # 23 × 7,000, at the grading
    assert months["2022-10"] == {"care_allowance": "2400.00", "disability_allowance": "5600.00"}
    partial = {(p["item"], p["month"]): (p["days"], p["of_days"], p["pro_rata"], p["full_month"]) for p in owed["partial"]}
    assert partial[("suspension_wages", "2022-09")] == (9, 30, "2100.00", "7000.00")   # 1-9 Sept: 9/30 × 7,000
    assert partial[("disability_allowance", "2022-09")] == (21, 30, "3920.00", "5600.00")  # 10-30 Sept
    # totals count whole months only: employer 7,000 (August); fund 161,000 + 2 × 8,000
    assert owed["by_payer"] == {"employer": "7000.00", "fund": "177000.00"}


def test_eval_window_needs_both_days_and_says_so():
    out = CliRunner().invoke(main, ["eval", "examples/grade7.yaml", "--from", "2022-08-01"])
    assert out.exit_code == 1 and "--to" in out.output and "Traceback" not in out.output


def test_ask_next_stops_asking_what_decides_only_the_worker_s_own_items_after_the_death():
    from datetime import date

    from engine.analysis.questions import next_questions
    from engine.run.case import convert
    from lawtrace.api import evaluator

    ev = evaluator("national")

    def asked(raw: dict) -> list[str]:
        facts = {k: convert(v, ev.program.nodes[k].type, k) for k, v in raw.items()}
        return [q.fact for q in next_questions(ev, facts, date(2020, 11, 1))]

    alive = {**BASE, "monthly_wage": 6000, "disability_grade": 5, "appraisal_conclusion_date": "2021-06-01"}
    assert {"no_suitable_work_arranged", "care_level"} <= set(asked(alive))
    # died (of another cause) before the grade was assessed: the allowance and care allowance would start after it
    dead = asked({**alive, "died": False, "death_date": "2021-05-01"})
    assert not {"no_suitable_work_arranged", "care_level"} & set(dead)
    # what fell due before the death is still owed: the suspension wages are still asked about
    assert "off_work_for_treatment" in dead


def test_the_explanation_says_why_a_stream_stops_with_the_article_quoted():
    from explain.render import render_explanation

    r = run(GRADE3, "2022-01-10")
    zh = render_explanation(r, "suspension_wages", "zh", "text")
    assert "2022-01-10 至 2022-09-09" in zh and "停止于: 评定伤残等级" in zh and "评定伤残等级后，停发原待遇" in zh
    en = render_explanation(r, "disability_allowance", "en", "md")
    assert "2022-09-10 to (still running on the facts given): 5600.00 yuan a month" in en and "starts with" in en
