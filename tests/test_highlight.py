"""The Pygments lexer of the statute language: every word of the grammar highlighted, every shipped file lexed whole,
found through its entry point, and used for the formulas of HTML reports."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Number, Operator, String

from dsl import vocabulary
from dsl.highlight import LawtraceLexer
from explain.render import dsl_html, render_explanation

ROOT = Path(__file__).resolve().parent.parent
STATUTES = sorted((ROOT / "statutes").rglob("*.lt"))


def _tokens(text: str):
    return [(t, v) for t, v in LawtraceLexer().get_tokens(text) if v.strip()]


def test_registered_as_a_pygments_entry_point():
    assert isinstance(get_lexer_by_name("lawtrace"), LawtraceLexer)
    assert isinstance(get_lexer_for_filename("statutes/national/wiir.lt"), LawtraceLexer)


def test_every_keyword_of_the_grammar_is_highlighted_as_a_keyword():
    words = vocabulary.words()["keyword"]
    assert {"instrument", "article", "overrides", "amends", "because", "cite", "payable", "when"} <= words
    for word in sorted(words):
        [(token, value)] = _tokens(word)
        assert value == word and (token in Keyword or token in Operator.Word), (word, token)


@pytest.mark.parametrize("path", STATUTES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_statute_lexes_without_an_error_token(path):
    text = path.read_text(encoding="utf-8")
    tokens = list(LawtraceLexer().get_tokens(text))
    assert not [v for t, v in tokens if t is Error]
    assert "".join(v for _, v in tokens) == (text if text.endswith("\n") else text + "\n")


def test_the_parts_of_a_rule_get_their_own_tokens():
    line = 'overrides disability_subsidy_months amends WIIR@2003 35(1)(1) because "reason" from 2026-01-01 {7: 15, 8: 60%}'
    tokens = _tokens(line)
    assert (Keyword, "overrides") in tokens and (Keyword, "amends") in tokens
    assert (Name, "disability_subsidy_months") in tokens
    assert (Name.Namespace, "WIIR") in tokens and (Number.Integer, "2003") in tokens
    assert (String.Double, '"reason"') in tokens and (Number.Other, "2026-01-01") in tokens
    assert (Number.Float, "60%") in tokens
    text = _tokens('article 37 """职工因工致残\n被鉴定为七级"""')
    assert text[1] == (Number, "37") and all(t in String.Doc for t, _ in text[2:])


def test_html_reports_show_formulas_highlighted_and_escaped():
    from engine.run.result import result_json
    from lawtrace.api import evaluate_case

    case = {"regime": "national", "date": "2020-06-15", "facts": {"work_injury_recognized": True,
            "employer_insured": True, "disability_grade": 7, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000}}
    result = result_json(evaluate_case(case))
    # formulas are DSL text, shown with --detail only (a caseworker's report names rules in words: #14, E6)
    assert '<code class="dsl">' not in render_explanation(result, "one_time_disability_subsidy", "en", "html")
    html = render_explanation(result, "one_time_disability_subsidy", "en", "html", detail=True)
    assert '<code class="dsl">' in html and 'class="lt-ow">otherwise</span>' in html
    assert str(dsl_html("a < b and c")).count("&lt;") == 1


def test_without_pygments_formulas_are_plain_escaped_code(monkeypatch):
    real = builtins.__import__

    def no_pygments(name, *args, **kwargs):
        if name.startswith("pygments"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pygments)
    assert str(dsl_html("a < b")) == '<code class="dsl">a &lt; b</code>'
