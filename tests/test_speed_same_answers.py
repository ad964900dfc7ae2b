"""The shortcuts of the single-case evaluator change no answer (issue 18).

Periods take over what the whole case settled (`engine.run.periods`), and an item's basis is gathered from what
its inputs already gathered (`engine.run.result._cited_below`): the whole result JSON, trace included, must be the
same as without the first and as the plain walk of the trace for the second, on every example case and on every
case of the statutes' own tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.model.citations import Citation
from engine.run import periods
from engine.run.case import case_as_of, case_date, case_kind, read_case, validate_facts
from engine.run.evaluate import Evaluation
from engine.run.result import _basis, evaluate, result_json
from lawtrace.api import evaluator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _result(path: Path) -> tuple[dict[str, object], object]:
    case = read_case(str(path))
    ev = evaluator(case.regime or "national")
    facts = validate_facts(ev.program, case)
    result = evaluate(ev, facts, case_date(case, None), case_kind(case), case_as_of(case, None))
    return result_json(result), result


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_periods_taking_over_the_whole_case_change_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, _ = _result(path)
    monkeypatch.setattr(periods, "TAKE_OVER", False)
    slow, _ = _result(path)
    assert json.dumps(fast, ensure_ascii=False, indent=1) == json.dumps(slow, ensure_ascii=False, indent=1)


# cases of several periods (tests/test_streams.py): grading, death, a dependant turning 18, retirement, recurrence
_BASE = {"work_injury_recognized": True, "employer_insured": True, "monthly_wage": 7000,
         "regional_avg_monthly_wage": 8000, "minimum_wage": 2000}
_GRADE3 = {**_BASE, "off_work_for_treatment": True, "original_monthly_pay": 7000, "disability_grade": 3,
           "appraisal_conclusion_date": "2022-09-10", "care_level": "partial"}
STREAMS = {
    "grading": ({**_GRADE3}, "2022-01-10"),
    "death_after_suspension": ({**_GRADE3, "died": False, "died_after_suspension": True, "death_date": "2023-03-15",
                                "regional_avg_wages": [{"year": 2022, "monthly_wage": 8500}],
                                "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False}]}, "2022-01-10"),
    "child_turns_18": ({**_BASE, "monthly_wage": 6000, "died": True, "death_date": "2020-07-01",
                        "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False},
                                       {"relation": "child", "orphan_or_lone_elder": False, "birth_date": "2004-09-01",
                                        "fully_incapacitated": False},
                                       {"relation": "parent", "orphan_or_lone_elder": True}]}, "2020-06-15"),
    "retirement": ({**_BASE, "monthly_wage": 6000, "disability_grade": 4, "appraisal_conclusion_date": "2021-03-01",
                    "retirement_date": "2025-05-01", "basic_pension": 3000}, "2020-11-01"),
    "no_dates": ({**_GRADE3, "appraisal_conclusion_date": None, "died": True}, "2022-01-10"),
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_periods_of_several_spans_are_the_same_taken_over_or_not(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from lawtrace.api import evaluate_case

    facts, on = STREAMS[name]
    case = {"regime": "national", "date": on, "facts": {k: v for k, v in facts.items() if v is not None}}
    fast = result_json(evaluate_case(case))
    monkeypatch.setattr(periods, "TAKE_OVER", False)
    slow = result_json(evaluate_case(case))
    assert json.dumps(fast, ensure_ascii=False, indent=1) == json.dumps(slow, ensure_ascii=False, indent=1)
    starts = {p["from"] for i in fast["items"] for p in i.get("periods") or ()}  # type: ignore[union-attr]
    assert len(starts) > 1 or name == "no_dates"  # judged in more than one span


def _walked_basis(ev: Evaluation, roots: list[str]) -> tuple[Citation, ...]:
    """The basis as the trace is walked: depth first, inputs before the rule that reads them, each citation once
    (#14's E2: not through an input read only to choose a citation, nor an event taken as not having happened)."""
    seen: set[str] = set()
    out: dict[Citation, None] = {}

    def visit(node_id: str) -> None:
        if node_id in seen:
            return
        seen.add(node_id)
        t = ev.trace.get(node_id)
        if t is None:
            return
        a = ev.assumed.get(node_id)
        if t.kind == "fact" and t.assumed and a is not None and a.kind == "later_events":
            return  # an event taken as not having happened is no ground (E2)
        for i in t.inputs:
            if i not in t.cite_inputs:  # read only to choose a citation (E2)
                visit(i)
        if t.kind == "fact" and not t.assumed:
            return
        for c in t.citations:
            out.setdefault(c, None)

    for r in roots:
        visit(r)
    return tuple(out)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_kept_basis_is_the_walked_one(path: Path) -> None:
    _, result = _result(path)
    ev = result.evaluation  # type: ignore[attr-defined]
    checked = 0
    for item in result.items:  # type: ignore[attr-defined]
        f = item.benefit.fields
        roots = [f[k] for k in ("payable", "amount", "payer", "advance_payer", "recover_from") if k in f]
        roots += [x for p in item.benefit.parts for x in (p.amount, p.payer)]
        fresh = Evaluation(ev.evaluator, ev.facts, ev.date, ev.evaluated_on)
        fresh.trace, fresh.assumed = ev.trace, ev.assumed
        for r in [roots, roots[:1], list(reversed(roots))]:
            assert _basis(fresh, r) == _walked_basis(ev, r)
            checked += 1
    assert checked
