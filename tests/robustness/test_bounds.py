"""The limits of `dsl.bounds` at their edges, and the safe reader of YAML and JSON on what it must refuse."""

from __future__ import annotations

import json

import pytest
import yaml

from dsl import bounds
from dsl.errors import LawtraceError
from dsl.source import SourceFile
from engine.model.safe_load import InputRefused, load_json, load_yaml
from engine.run.case import parse_case
from lawtrace import api

BASE = {"regime": "national", "date": "2020-06-15",
        "facts": {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 7,
                  "regional_avg_monthly_wage": 8000}}


def evaluate(**facts: object):  # type: ignore[no-untyped-def]
    return api.evaluate_case({**BASE, "facts": {**BASE["facts"], **facts}})


def refusal(**facts: object) -> str:
    with pytest.raises(LawtraceError) as caught:
        evaluate(**facts)
    return str(caught.value)


def test_money_up_to_the_bound_is_computed_and_beyond_it_refused() -> None:
    assert evaluate(monthly_wage=str(bounds.MONEY_MAX)).items  # at the bound: held exactly
    assert "largest amount lawtrace holds exactly (10,000,000,000,000 yuan)" in refusal(monthly_wage=str(bounds.MONEY_MAX + 1))


def test_whole_numbers_up_to_the_bound_and_beyond() -> None:
    assert evaluate(hospital_days=bounds.INT_MAX).items
    assert "largest whole number lawtrace accepts (1,000,000,000)" in refusal(hospital_days=bounds.INT_MAX + 1)
    assert "-1 is out of range: expected 0 to 1000000000" in refusal(hospital_days=-1)


def test_dates_at_the_edges_of_the_bound() -> None:
    assert evaluate(birth_date=bounds.DATE_MIN.isoformat()).items
    assert "outside the dates lawtrace computes with" in refusal(birth_date="1899-12-31")
    assert "outside the dates lawtrace computes with" in refusal(death_date="2200-01-01")


def test_an_amount_computed_past_the_bound_is_undetermined_and_said() -> None:
    """Facts within their bounds whose product is not: 10^9 days at 10^13 a day."""
    result = evaluate(hospital_days=bounds.INT_MAX, hospital_food_subsidy_per_day=str(bounds.MONEY_MAX))
    item = next(i for i in result.items if i.benefit.id == "hospital_food_subsidy")
    assert not item.amount.known
    assert any("beyond the largest amount lawtrace holds exactly" in d.message for d in result.evaluation.diagnostics)


@pytest.mark.parametrize("text, words, line", [
    ("a: &x 1\nb: *x\n", "an alias (*x)", 2),
    ("a: !!str 1\n", "a tag (tag:yaml.org,2002:str) is not accepted", 1),
    ("a: !custom 1\n", "a tag (!custom)", 1),
    ("a: 1\nb:\n  c: 1\n  c: 2\n", "the key 'c' is given twice (first on line 3)", 4),
    ("a: 2021-02-29\n", "2021-02-29 is not a date of the calendar", 1),
    ("a: " + "1" * 41 + "\n", "a number of 41 characters is longer than the limit of 40", 1),
    ("a: " + "[" * 40 + "]" * 40 + "\n", "nest deeper than the limit of 32 levels", 1),
    ("a: [" + ", ".join(["1"] * (bounds.MAX_LIST_ITEMS + 1)) + "]\n", "a list of 10,001 entries", 1),
    ("a: \"\\ud800\"\n", "Unicode", 1),
    ("a: \ud800\n", "a lone surrogate", 1),
])
def test_the_yaml_reader_refuses_before_building(text: str, words: str, line: int) -> None:
    with pytest.raises((InputRefused, yaml.YAMLError)) as caught:
        load_yaml(text)
    e = caught.value
    message = e.message if isinstance(e, InputRefused) else str(e)
    assert words in message
    if isinstance(e, InputRefused):
        assert e.line == line


def test_anchors_without_aliases_and_plain_documents_are_read() -> None:
    data, node = load_yaml("a: &x 1\nb: [1, 2]\nc: 2020-06-15\n")
    assert data == {"a": 1, "b": [1, 2], "c": __import__("datetime").date(2020, 6, 15)} and node is not None


@pytest.mark.parametrize("text, words", [
    ('{"a": 1, "a": 2}', "the key 'a' is given twice"),
    ('{"a": ' + "9" * 41 + "}", "a number of 41 characters"),
    ('{"a": ' + "[" * 33 + "]" * 33 + "}", "nest deeper than the limit of 32 levels"),
    ('{"a": "\\ud800"}', "lone surrogate"),
])
def test_the_json_reader_refuses_before_converting(text: str, words: str) -> None:
    with pytest.raises(InputRefused) as caught:
        load_json(text)
    assert words in caught.value.message


def test_brackets_inside_json_strings_do_not_count_as_nesting() -> None:
    assert load_json(json.dumps({"notes": "[" * 100})) == {"notes": "[" * 100}


def test_a_json_case_file_is_located_through_the_yaml_reader() -> None:
    with pytest.raises(LawtraceError) as caught:
        parse_case(SourceFile("c.json", '{"facts": {"age": 1,\n "age": 2}}'))
    assert "c.json:2:2" in str(caught.value) and "given twice" in str(caught.value)


def test_a_flood_of_errors_is_cut_at_the_limit() -> None:
    facts = {f"no_such_fact_{i}": 1 for i in range(bounds.MAX_FACTS)}
    with pytest.raises(LawtraceError) as caught:
        api.evaluate_case({"date": "2020-06-15", "facts": facts})
    errors = caught.value.errors  # type: ignore[attr-defined]
    assert len(errors) == bounds.MAX_ERRORS + 1
    assert f"only the first {bounds.MAX_ERRORS} errors are reported" in str(errors[-1])
