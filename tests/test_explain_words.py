"""E6: a caseworker's explanation (text and HTML) names no internal rule: no value or parameter name, no `X~CODE`.

Every item of a set of generated cases (the differential test's generator: facts absent at random, values on the
statutes' boundaries) is explained in zh and en, as text and HTML, and scanned. The names stay available in
`--format json`, the trace and `--detail`.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from test_vector_differential import Generator

from engine.model import ir
from engine.run.case import convert
from engine.run.evaluate import Evaluator
from engine.run.result import evaluate, result_json
from explain.render import render_explanation, render_result
from lawtrace.api import load_program

CASES = 6


def internal_names(program: ir.Program) -> set[str]:
    return {n for n, node in program.nodes.items() if isinstance(node, (ir.ValueNode, ir.ParamNode)) and "_" in n}


def hits(text: str, names: set[str]) -> set[str]:
    found = {m.group(0) for m in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*(?:~[A-Z0-9]+)?", text)}
    return {f for f in found if f in names or "~" in f}


@pytest.mark.parametrize("regime", ["national", "jiangsu", "guiyang"])
def test_E6_no_internal_rule_name_in_any_explanation_of_generated_cases(regime: str):
    program = load_program(regime)
    names = internal_names(program)
    evaluator = Evaluator(program)
    gen = Generator(program, seed=14)
    for _ in range(CASES):
        facts, when = gen.case()
        values = {k: convert(v, program.nodes[k].type, k) for k, v in facts.items()}
        result = result_json(evaluate(evaluator, values, date.fromisoformat(when) if when else date(2020, 6, 15)))
        for lang in ("zh", "en"):
            assert not hits(render_result(result, lang, "html"), names), (lang, "html")
            for i in result["items"]:
                text = render_explanation(result, i["id"], lang, "text")
                assert not hits(text, names), (i["id"], lang, sorted(hits(text, names))[:5])


def test_E6_detail_keeps_the_names_for_the_developer():
    program = load_program("jiangsu")
    facts = {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 7, "monthly_wage": 6000,
             "regional_avg_monthly_wage": 8000, "labor_relation_ended": "worker_resigned",
             "labor_relation_end_date": "2018-01-01", "birth_date": "1960-04-01", "statutory_retirement_age": 60,
             "occupational_disease": False}
    values = {k: convert(v, program.nodes[k].type, k) for k, v in facts.items()}
    result = result_json(evaluate(Evaluator(program), values, date(2016, 3, 1)))
    plain = render_explanation(result, "one_time_medical_subsidy", "zh", "text")
    detail = render_explanation(result, "one_time_medical_subsidy", "zh", "text", detail=True)
    assert "leaves_with_subsidies~WIIR" in detail and "\n       规则: " in detail
    assert "leaves_with_subsidies" not in plain and "\n       规则: " not in plain
