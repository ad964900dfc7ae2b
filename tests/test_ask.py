"""The next question: ranking the unknown facts by what an answer decides, and the interview in a real terminal."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import compile_snippet

from engine.run.evaluate import Evaluator
from engine.analysis.questions import hypotheses, next_questions
from lawtrace.cli import main

ROOT = Path(__file__).parents[1]
LIVING = {"work_injury_recognized": True, "died": False, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000}


def ask_next(tmp_path: Path, facts: dict, *extra: str) -> dict:
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump({"regime": "national", "date": "2020-06-15", "facts": facts}), encoding="utf-8")
    out = CliRunner().invoke(main, ["ask", str(case), "--next", "--format", "json", *extra])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_living_worker_missing_grade_and_insurance_is_asked_those_first(tmp_path: Path):
    data = ask_next(tmp_path, LIVING)
    questions = data["questions"]
    # the grade first: it decides four items and the most money (162,000.00 at stake); the insurance decides who pays
    # eight items, but each only in part (whether the employer pays stays open), so it comes within the first three
    assert questions[0]["fact"] == "disability_grade"
    assert "employer_insured" in {q["fact"] for q in questions[:3]}
    for q in questions:
        assert set(q) >= {"fact", "label", "decides"} and set(q["label"]) == {"zh", "en"}
    grade = next(q for q in questions if q["fact"] == "disability_grade")
    assert "one_time_disability_subsidy" in grade["decides"] and grade["label"]["zh"] == "伤残等级"
    insured = next(q for q in questions if q["fact"] == "employer_insured")
    assert "presumed" not in insured  # never presumed: the duty to insure is no evidence that it was done
    assert "one_time_disability_subsidy" in insured["decides"]
    facts = [q["fact"] for q in questions]
    assert "death_date" not in facts and "national_urban_disposable_income" not in facts  # died: false decides those
    if "dependents" in facts:  # still possible only through WIIR 39(3) or 41 (a later death, a missing worker)
        assert facts.index("dependents") > facts.index("disability_grade")
        assert facts.index("dependents") > facts.index("employer_insured")


def test_a_worker_known_alive_and_present_is_never_asked_about_dependants(tmp_path: Path):
    alive = {**LIVING, "died_after_suspension": False, "missing_after_accident": False}
    facts = [q["fact"] for q in ask_next(tmp_path, alive)["questions"]]
    assert "disability_grade" in facts
    assert "dependents" not in facts and "death_date" not in facts


def test_a_dead_worker_is_asked_about_dependants(tmp_path: Path):
    dead = {**LIVING, "died": True, "death_date": "2020-07-01"}
    questions = ask_next(tmp_path, dead)["questions"]
    dependents = next(q for q in questions if q["fact"] == "dependents")
    assert dependents["decides"] == ["dependent_pension"]


def test_next_in_text_names_labels_and_items(tmp_path: Path):
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump({"regime": "national", "date": "2020-06-15", "facts": LIVING}), encoding="utf-8")
    zh = CliRunner().invoke(main, ["ask", str(case), "--next"]).output
    assert zh.startswith("下一步应查明的事实:") and "伤残等级 (disability_grade)" in zh and "可决定: 一次性伤残补助金" in zh
    en = CliRunner().invoke(main, ["ask", str(case), "--next", "--lang", "en"]).output
    assert "disability grade (disability_grade)" in en and "decides: one-time disability subsidy" in en


def test_next_without_a_case_starts_from_nothing():
    out = CliRunner().invoke(main, ["ask", "--next", "--format", "json"])
    assert out.exit_code == 0, out.output
    facts = [q["fact"] for q in json.loads(out.output)["questions"]]
    assert "date" in facts and "work_injury_recognized" in facts


SNIPPET = '''
article 1 """第一条"""
  fact a: bool "甲" en "a"
  fact b: bool "乙" en "b"
  fact c: money "丙" en "c"
  fact g: money "己" en "g"
  fact d: bool "丁" en "d"
  fact e: enum {x, y, z} "戊" en "e"
  fact never: bool "无关" en "irrelevant"
  fact later: bool "后来" en "later"
  presume later = false because later_events "later events are taken as not having happened"
  benefit one "一" en "one" once
    payable when a and b and not later
    amount = c + g
    payer = fund
  benefit two "二" en "two" once
    payable when a and (d or e == x)
    amount = 10
    payer = fund
  benefit three "三" en "three" once
    payable when never or true
    amount = 1
    payer = fund
'''


def test_ranking_is_generic_over_the_program_and_evaluates_few_hypotheses(monkeypatch: pytest.MonkeyPatch):
    program = compile_snippet(SNIPPET)
    evaluator = Evaluator(program)
    calls: list[dict] = []
    real = Evaluator.evaluate

    def counting(self, facts, on):  # type: ignore[no-untyped-def]
        calls.append(dict(facts))
        return real(self, facts, on)

    monkeypatch.setattr(Evaluator, "evaluate", counting)
    questions = next_questions(evaluator, {}, date(2020, 1, 1))
    by_fact = {q.fact: q for q in questions}
    assert questions[0].fact == "a"  # a = false refuses both open items (0.5 each), a = true opens them
    assert by_fact["a"].decides == ("one", "two")
    assert by_fact["c"].decides == () and by_fact["c"].needed_for == ("one",)  # an amount decided only with g
    # half of the facts the amount misses (0.5), and it enters one amount whose payability is open (REACH 0.5 × 0.5)
    assert by_fact["c"].score == pytest.approx(0.75)
    assert "never" not in by_fact  # item three is decided whatever it is
    assert "later" not in by_fact  # a later event is presumed not to have happened, and not asked
    # one evaluation of the case, then one per answer of each candidate (one stand-in for an amount)
    tried = sum(len(hypotheses(program.nodes[f].type) or (None,)) for f in by_fact)
    assert len(calls) == 1 + tried
    assert all(set(c) <= {"a", "b", "c", "d", "e", "g"} and len(c) <= 1 for c in calls)

    after = next_questions(Evaluator(program), {"a": False}, date(2020, 1, 1))
    assert after == []  # nothing left that could change an answer


def test_skipped_facts_are_not_asked_again():
    evaluator = Evaluator(compile_snippet(SNIPPET))
    assert "a" not in {q.fact for q in next_questions(evaluator, {}, date(2020, 1, 1), frozenset({"a"}))}


def test_ranking_is_fast_enough_for_a_page_that_asks_per_keystroke():
    import time

    from lawtrace.api import evaluator

    ev = evaluator("national")
    facts = {"work_injury_recognized": True, "died": False, "monthly_wage": Decimal(6000),
             "regional_avg_monthly_wage": Decimal(8000)}
    next_questions(ev, facts, date(2020, 6, 15))
    start = time.perf_counter()
    for _ in range(5):
        next_questions(ev, facts, date(2020, 6, 15))
    assert (time.perf_counter() - start) / 5 < 0.25


# ---------------------------------------------------------------- the interview, through a real terminal

pexpect = pytest.importorskip("pexpect")


def spawn(*args: str, cwd: Path) -> object:
    return pexpect.spawn(sys.executable, ["-m", "lawtrace", "ask", *args], cwd=str(cwd), encoding="utf-8",
                         timeout=60, dimensions=(60, 220), env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                                               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})


def answer(child, prompt: str, text: str) -> None:  # type: ignore[no-untyped-def]
    child.expect(prompt)
    child.expect("> ")
    child.sendline(text)


def test_interview_in_a_terminal_asks_validates_and_ends_with_the_result(tmp_path: Path):
    case = tmp_path / "partial.yaml"
    case.write_text(yaml.safe_dump({"id": "tty-1", "regime": "national", "date": "2020-06-15", "facts": LIVING},
                                   allow_unicode=True), encoding="utf-8")
    saved = tmp_path / "done.yaml"
    child = spawn(str(case), "--save", str(saved), cwd=tmp_path)
    child.expect("逐一回答问题")
    child.expect("答案将保存到")  # said before the first question
    child.expect(r"\[1\] ")
    first = child.readline()
    assert "disability_grade" in first  # the most decisive question first (the case gives regime and date)
    child.expect("> ")
    child.sendline("11")
    child.expect("答案无效: 11 is out of range: expected 1 to 10")
    child.expect("> ")
    child.sendline("7")
    for _ in range(40):  # the insurance: yes; every other question: "don't know", until none is left
        index = child.expect([r"\[\d+\] ", "没有尚待查明且影响结论的事实了"])
        if index == 1:
            break
        question = child.readline()
        child.expect("> ")
        if "employer_insured" in question:
            child.sendline("也许")  # not an answer
            child.expect("答案无效: 请回答 是 或 否")
            child.expect("> ")
            child.sendline("是")
        else:
            child.sendline("")
    child.expect("一次性伤残补助金 — 应支付: 78,000.00 元")
    child.expect("lawtrace explain")  # a short summary, then where the reasons are: not every explanation
    child.expect("案件已保存到")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    kept = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert kept["facts"]["disability_grade"] == 7 and kept["facts"]["employer_insured"] is True
    assert kept["id"] == "tty-1" and kept["date"] == "2020-06-15"
    assert "care_level" not in kept["facts"]  # "don't know" stays unknown: never written as false or zero


def test_interview_from_nothing_asks_the_top_ranked_question_first_in_english_and_stops_on_q(tmp_path: Path):
    child = spawn("--lang", "en", cwd=tmp_path)
    child.expect("Answer one question at a time")
    child.expect("will not be saved: add --save FILE")
    child.expect(r"\[0\] Regime")  # no case, no --regime: which law applies, first
    child.expect("> ")
    child.sendline("")  # Enter: the national one
    child.expect(r"\[1\] ")
    assert child.readline().strip() == "Date of accident (diagnosis) (date)"  # then the date: it picks the law in force
    child.expect("> ")
    child.sendline("2020-06-15")
    child.expect(r"\[2\] ")
    after = json.loads(CliRunner().invoke(main, ["ask", "--next", "--format", "json", "--date", "2020-06-15"]).output)
    assert child.readline().strip() == f"{after['questions'][0]['label']['en']} ({after['questions'][0]['fact']})"
    child.expect("> ")
    child.sendline("q")
    child.expect("Interview ended.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_interview_end_of_input_aborts_cleanly(tmp_path: Path):
    child = spawn("--lang", "en", cwd=tmp_path)
    child.expect("> ")
    child.sendeof()
    child.expect("Interview aborted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "Traceback" not in (child.before or "")


def test_an_employer_case_is_asked_only_what_decides_its_own_items():
    out = CliRunner().invoke(main, ["ask", str(ROOT / "examples" / "employer-class5-2020.yaml"), "--next",
                                    "--format", "json"])
    assert out.exit_code == 0, out.output
    questions = json.loads(out.output)["questions"]
    facts = [q["fact"] for q in questions]
    assert "work_injury_recognized" not in facts and "disability_grade" not in facts  # worker questions
    assert all(set(q["decides"]) <= {"premium", "late_fee", "fine", "registration_fine", "reserve_on_closure",
                                         "investigation_fine"}
               for q in questions)
