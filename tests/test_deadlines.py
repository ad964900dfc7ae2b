"""Deadlines of the procedure: WIIR 17 (30 days, one year), WIIR 20 (60 / 15 days), WIIR 25 (60 + 30 days),
APM 7 (3 and 5 working days), APM 13 (10 days); the official holiday calendar of statutes/calendar.

Dates worked by hand: "within N days from the day of X" ends N days after X (the day itself not counted);
"within N working days" ends on the N-th working day after X by the year's arrangement (statutes/calendar/YEAR.yaml:
2024 National Day rest 10-01 to 10-07, Saturday 10-12 a working day; Spring Festival rest 02-10 to 02-17, Sundays
02-04 and 02-18 working days).
"""

from __future__ import annotations

from datetime import date

import pytest

from engine.run.result import result_json
from engine.law_time.workdays import MissingYear, calendar
from lawtrace.api import evaluate_case


def deadlines(facts: dict, date_: str, as_of: str | None = None) -> dict[str, dict]:
    case: dict = {"date": date_, "facts": facts}
    if as_of is not None:
        case["as_of"] = as_of
    r = result_json(evaluate_case(case), include_trace=False)
    return {d["id"]: d for d in r["deadlines"]} | {"_result": r}


def cites(entry: dict) -> set[tuple]:
    return {(c["instrument"], c["article"], c.get("paragraph")) for c in entry["basis"]}


# ---------------------------------------------------------------- WIIR 17


def test_done_the_employer_that_has_not_applied_45_days_after_the_accident_is_past_its_time_limit():
    d = deadlines({"employer_applied": False}, "2024-03-01", as_of="2024-04-15")
    employer = d["employer_recognition_application"]
    # 2024-03-01 + 30 days = 2024-03-31, a Sunday: the next working day is Monday 2024-04-01; both are before 04-15
    assert (employer["due"], employer["latest"]) == ("2024-03-31", "2024-04-01")
    assert (employer["passed"], employer["missed"], employer["status"], employer["party"]) == (True, True, "missed", "employer")
    consequence = employer["consequence"]
    assert consequence["applies"] is True and "由该用人单位负担" in consequence["zh"]
    assert {(c["instrument"], c["article"], c.get("paragraph")) for c in consequence["basis"]} >= {("WIIR", 17, 4)}
    assert ("WIIR", 17, 1) in cites(employer)
    # the worker's own year runs: 2025-03-01 is a Saturday, so open to Monday 2025-03-03; not passed on 2024-04-15
    worker = d["worker_recognition_application"]
    assert (worker["applies"], worker["due"], worker["status"], worker["passed"]) == (True, "2025-03-01", "running", False)


def test_the_employer_deadline_while_it_runs_and_once_met():
    running = deadlines({"employer_applied": False}, "2024-03-01", as_of="2024-03-20")["employer_recognition_application"]
    assert (running["passed"], running["missed"], running["status"]) == (False, False, "running")
    assert running["consequence"]["applies"] is False
    met = deadlines({"employer_applied": True, "recognition_application_date": "2024-03-29"}, "2024-03-01", as_of="2024-04-15")
    assert met["employer_recognition_application"]["status"] == "met"
    assert met["worker_recognition_application"]["status"] == "not_applicable"  # the employer applied in time


def test_edge_a_last_day_on_a_rest_day_leaves_the_next_working_day_open_and_says_why():
    d = deadlines({"employer_applied": True, "recognition_application_date": "2024-04-01"}, "2024-03-01", as_of="2024-04-15")
    employer = d["employer_recognition_application"]
    # applied on Monday 04-01, the day after the 30th day (a Sunday): in time only if the period runs on
    assert (employer["missed"], employer["status"]) == (None, "undetermined")
    assert any("rest day" in x["message"] for x in employer["diagnostics"])
    assert d["_result"]["diagnostics"] == []  # the deadline's own notes stay with it
    late = deadlines({"employer_applied": True, "recognition_application_date": "2024-04-02"}, "2024-03-01")
    assert late["employer_recognition_application"]["status"] == "missed"  # after the next working day too


def test_an_extension_agreed_by_the_department_moves_the_employer_deadline():
    d = deadlines({"employer_applied": False, "application_time_limit_extended": True,
                   "application_extended_until": "2024-05-15"}, "2024-03-01", as_of="2024-04-15")
    assert d["employer_recognition_application"]["status"] == "running"
    plain = deadlines({"employer_applied": False}, "2024-03-01", as_of="2024-04-15")["employer_recognition_application"]
    assert [a["fact"] for a in plain["assumed"]] == ["application_time_limit_extended"]  # not extended, and said


def test_the_workers_year_from_a_29_february():
    facts = {"employer_applied": False, "worker_applied": True}
    # 2024-02-29 + 1 year = 2025-02-28 (no 29 February), a Friday and a working day: no window after it
    on_time = deadlines({**facts, "worker_application_date": "2025-02-28"}, "2024-02-29", as_of="2025-03-05")[
        "worker_recognition_application"]
    assert (on_time["due"], on_time["latest"], on_time["status"]) == ("2025-02-28", "2025-02-28", "met")
    late = deadlines({**facts, "worker_application_date": "2025-03-01"}, "2024-02-29", as_of="2025-03-05")[
        "worker_recognition_application"]
    assert late["status"] == "missed" and late["consequence"]["applies"] is True


def test_without_an_evaluation_date_whether_it_passed_is_unknown_and_as_of_is_asked():
    employer = deadlines({"employer_applied": False}, "2024-03-01")["employer_recognition_application"]
    assert employer["passed"] is None and employer["status"] == "undetermined" and "as_of" in employer["missing"]


# ---------------------------------------------------------------- WIIR 20 and 25


def test_wiir_20_the_decision_in_60_days_or_15_for_a_clear_case_suspension_not_counted():
    facts = {"recognition_accepted_date": "2024-05-06", "recognition_decided": True, "recognition_decision_date": "2024-07-10"}
    d = deadlines(facts, "2024-04-01")
    decision = d["recognition_decision"]
    assert (decision["due"], decision["status"]) == ("2024-07-05", "missed")  # 05-06 + 60 = 07-05, a Friday
    assert decision["consequence"] is None  # WIIR 20 attaches none
    clear = d["recognition_decision_clear_case"]
    assert clear["applies"] is None and clear["status"] == "undetermined"
    clear = deadlines({**facts, "recognition_case_clear": True}, "2024-04-01")["recognition_decision_clear_case"]
    assert (clear["due"], clear["status"]) == ("2024-05-21", "missed")  # 05-06 + 15
    suspended = deadlines({**facts, "recognition_suspended_days": 20}, "2024-04-01")["recognition_decision"]
    assert (suspended["due"], suspended["status"]) == ("2024-07-25", "met")  # 05-06 + 60 + 20


def test_wiir_25_the_appraisal_in_60_days_30_more_if_extended():
    facts = {"appraisal_application_date": "2024-03-01", "appraisal_concluded": True, "appraisal_conclusion_date": "2024-05-15"}
    plain = deadlines(facts, "2024-01-10")["appraisal_conclusion"]
    assert (plain["due"], plain["status"]) == ("2024-04-30", "missed")  # 03-01 + 60
    extended = deadlines({**facts, "appraisal_time_extended": True}, "2024-01-10")["appraisal_conclusion"]
    assert (extended["due"], extended["status"]) == ("2024-05-30", "met")  # 03-01 + 90
    pending = deadlines({**facts, "appraisal_concluded": False, "appraisal_conclusion_date": None}, "2024-01-10",
                        as_of="2024-04-20")["appraisal_conclusion"]
    assert pending["status"] == "running"


# ---------------------------------------------------------------- APM 7 and 13: working days


UNINSURED = {"employer_insured": False, "employer_pays": False}


def test_done_apm_7_working_days_skip_national_day_and_count_its_working_saturday():
    facts = {**UNINSURED, "advance_application_date": "2024-09-30", "demand_notice_sent": True,
             "demand_notice_date": "2024-10-10"}
    d = deadlines(facts, "2024-08-01", as_of="2024-10-20")
    demand = d["advance_demand_notice"]
    # 3 working days after Monday 09-30: 10-01..10-07 are the National Day rest, so 10-08, 10-09, 10-10
    assert (demand["due"], demand["status"]) == ("2024-10-10", "met")
    pay = d["employer_payment_on_demand"]
    # 5 working days after 10-10: Fri 10-11, Sat 10-12 (a working day in 2024), Mon 10-14, 10-15, 10-16
    assert (pay["due"], pay["status"], pay["party"]) == ("2024-10-16", "missed", "employer")
    assert pay["consequence"]["applies"] is True
    assert {(c["instrument"], c["article"]) for c in pay["consequence"]["basis"]} == {("APM", 7), ("APM", 8)}


def test_edge_an_application_received_on_a_public_holiday_counts_from_the_next_working_days():
    facts = {**UNINSURED, "demand_notice_sent": False}
    on_holiday = deadlines({**facts, "advance_application_date": "2024-10-01"}, "2024-08-01")["advance_demand_notice"]
    assert on_holiday["due"] == "2024-10-10"  # 10-08, 10-09, 10-10
    # the eve of the Spring Festival: Fri 02-09 works, 02-10..02-17 rest, Sunday 02-18 works, then Monday 02-19
    spring = deadlines({**facts, "advance_application_date": "2024-02-08"}, "2024-01-10")["advance_demand_notice"]
    assert spring["due"] == "2024-02-19"


def test_a_year_whose_calendar_is_not_shipped_is_said_to_be_missing_not_guessed():
    facts = {**UNINSURED, "demand_notice_sent": False, "advance_application_date": "2026-12-30"}
    demand = deadlines(facts, "2026-12-01", as_of="2027-01-20")["advance_demand_notice"]
    # 12-31 is the first working day after the application; the next two are in 2027, whose calendar is not shipped
    assert demand["due"] is None and demand["status"] == "undetermined"
    [note] = demand["diagnostics"]
    assert "calendar for 2027 is not shipped" in note["message"]
    with pytest.raises(MissingYear):
        calendar().is_working_day(date(2027, 1, 4))


def test_apm_7_does_not_run_for_an_insured_employer():
    d = deadlines({"employer_insured": True, "advance_application_date": "2024-09-30"}, "2024-08-01")
    assert d["advance_demand_notice"]["status"] == "not_applicable"
    assert d["employer_payment_on_demand"]["status"] == "not_applicable"


def test_apm_13_ten_days_to_repay_ending_in_the_national_day_rest():
    facts = {**UNINSURED, "work_injury_recognized": True, "advance_application_date": "2024-09-01",
             "repayment_order_date": "2024-09-25", "employer_repaid": True}
    # 09-25 + 10 = 10-05, a Saturday of the National Day rest: the first working day after it is Tuesday 10-08
    inside = deadlines({**facts, "repayment_date": "2024-10-07"}, "2024-08-01")["advance_repayment"]
    assert (inside["due"], inside["latest"], inside["status"]) == ("2024-10-05", "2024-10-08", "undetermined")
    late = deadlines({**facts, "repayment_date": "2024-10-09"}, "2024-08-01")["advance_repayment"]
    assert late["status"] == "missed" and ("SIL", 63) in {(c["instrument"], c["article"]) for c in late["consequence"]["basis"]}
    on_time = deadlines({**facts, "repayment_date": "2024-10-05"}, "2024-08-01")["advance_repayment"]
    assert on_time["status"] == "met"


# ---------------------------------------------------------------- the calendar itself


def test_the_calendar_ships_every_year_from_2004_to_2026_with_its_source():
    cal = calendar()
    assert sorted(cal.years) == list(range(2004, 2027))
    assert all("国务院办公厅关于" in y.source and "chinese-calendar 1.11.0" in y.source for y in cal.years.values())
    assert not cal.is_working_day(date(2024, 10, 1)) and cal.is_working_day(date(2024, 10, 12))  # a working Saturday
    assert not cal.is_working_day(date(2024, 10, 13))  # an ordinary Sunday
    assert cal.add_working_days(date(2024, 9, 30), 0) == date(2024, 9, 30)


def test_worker_results_keep_their_items_assumptions_and_diagnostics_apart_from_the_deadlines():
    r = deadlines({"employer_applied": False}, "2024-03-01", as_of="2024-04-15")["_result"]
    assert "application_time_limit_extended" not in {a["fact"] for a in r["assumed"]}
    assert r["missing_facts"] == sorted(r["missing_facts"]) and "as_of" not in r["missing_facts"]


# ---------------------------------------------------------------- the declarations' own errors


@pytest.mark.parametrize("body, message", [
    ('article 1\n  deadline d "期限" en "limit"\n    done = case_date\n', "needs a `due = ...` clause"),
    ('article 1\n  deadline d "期限" en "limit"\n    due = case_date\n', "needs `done = ...`"),
    ('article 1\n  fact x: int "x"\n  require x > 0 about y "须" en "must"\n', "'y' is not one"),
    ('article 1\n  benefit f "罚款" en "fine" once for employer\n    amount = 1\n    amount_min = 1\n    amount_max = 3\n'
     '    set_by "部门" en "the department"\n    payer = employer\n', "only as a range"),
    ('article 1\n  benefit f "罚款" en "fine" once for company\n    amount = 1\n    payer = employer\n',
     "unknown kind of case 'company'"),
    ('article 1\n  value v: date = add_working_days(case_date, 1.5)\n', "whole number of working days"),
])
def test_a_malformed_declaration_is_a_located_error(body: str, message: str):
    from conftest import compile_snippet

    from dsl.errors import LawtraceError

    with pytest.raises(LawtraceError) as caught:
        compile_snippet(body)
    rendered = caught.value.render()
    assert message in rendered and "snippet.lt:" in rendered
