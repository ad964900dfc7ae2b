"""Explanations a caseworker can quote: why, why not, still open; zh and en; text, Markdown and HTML; from the JSON alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_GRADE7, eval_snippet, item, run

from engine.run.result import result_json
from explain.render import environment, render_explanation, render_result
from explain.why import explain_item
from lawtrace.cli import main

GRADE7 = {**BASE_GRADE7, "employer_insured": True, "died": False}
UNRECOGNIZED = {**GRADE7, "work_injury_recognized": False}
CASE = {"id": "golden-grade7", "name": "张三"}


@pytest.fixture(scope="module")
def grade7() -> dict:
    return run(GRADE7)


@pytest.fixture(scope="module")
def unrecognized() -> dict:
    return run(UNRECOGNIZED)


def test_grade7_zh_names_article_37_the_wage_base_its_clamp_the_months_and_78000(grade7):
    text = render_explanation(grade7, "one_time_disability_subsidy", "zh", "text", CASE)
    assert "《工伤保险条例》第三十七条第一款第（一）项" in text
    assert "七级伤残为13个月的本人工资" in text  # the article's own words, quoted where they decide
    assert "本人工资（计发基数）: 6,000.00 元" in text and "(wage_base)" not in text  # E6: no rule names
    assert "clamp：限定在下限与上限之间" in text  # the clamp in words, its bounds named by their labels
    assert "「本人工资下限（统筹地区平均工资的比例）」 * 「统筹地区上年度职工月平均工资」: 4,800.00 元" in text
    detail = render_explanation(grade7, "one_time_disability_subsidy", "zh", "text", CASE, detail=True)
    assert "clamp(monthly_wage, wage_floor_share * regional_avg_monthly_wage" in detail
    assert "《工伤保险条例》第六十四条第二款" in text
    assert "4,800.00 元" in text and "24,000.00 元" in text  # the floor and the ceiling of the clamp, with values
    assert "按表取第 7 项：13" in text  # the months
    assert "应支付一次性伤残补助金 78,000.00 元（一次性），最终支付方：工伤保险基金。" in text


def test_grade7_en_says_the_same_in_english(grade7):
    text = render_explanation(grade7, "one_time_disability_subsidy", "en", "text", CASE)
    assert "WIIR art. 37(1)(1)" in text
    assert "wage base: 6,000.00 yuan" in text
    assert "clamp: held between a floor and a ceiling" in text
    assert "WIIR art. 64(2)" in text
    assert "entry 7 of the table: 13" in text
    assert "Payable: one-time disability subsidy, 78,000.00 yuan (once), paid in the end by the work-injury insurance fund." in text
    assert "yuan" in text and "元" not in text.replace("七级伤残为13个月", "")  # no Chinese words but the quoted law


def test_why_not_names_the_failed_condition_its_article_and_what_would_have_had_to_hold(unrecognized):
    assert item(unrecognized, "one_time_disability_subsidy")["payable"] is False
    view = explain_item(unrecognized, "one_time_disability_subsidy", "zh")
    first = view["why_not"][0]
    assert first["text"].startswith("已认定工伤（或视同工伤） (work_injury_recognized): 否")
    assert first["origin"] == "案件给定"
    assert "《工伤保险条例》第十四条" in first["cites"]
    assert "《中华人民共和国社会保险法》第三十六条第一款" in first["cites"]
    assert first["instead"] == "须为「是」：已认定工伤（或视同工伤）"
    assert any("经工伤认定的，享受工伤保险待遇" in (q["text"] or "") for q in first["quotes"])
    en = render_explanation(unrecognized, "one_time_disability_subsidy", "en")
    assert "Why it is not payable" in en
    assert 'would have had to be "yes": recognized (or deemed) a work injury' in en


def test_why_not_follows_a_presumption_down_to_the_fact_that_excluded_it():
    facts = {k: v for k, v in GRADE7.items() if k != "work_injury_recognized"}
    r = run({**facts, "injured_in_working_hours": True, "injured_at_workplace": True, "injured_for_work_reasons": True,
             "drunk_or_drugged": True})
    rows = explain_item(r, "one_time_disability_subsidy", "en")["why_not"]
    assert rows[0]["origin"] == "presumed"
    deepest = rows[-1]
    assert deepest["text"].startswith("drunkenness or drug use (drunk_or_drugged): yes")
    assert deepest["mark"] == "✓" and deepest["instead"].startswith('would have had to be "no"')
    assert any("art. 16" in c for c in deepest["cites"])


def test_an_undetermined_item_names_the_facts_that_would_decide_it(grade7):
    facts = {k: v for k, v in GRADE7.items() if k != "disability_grade"}
    r = run(facts)
    view = explain_item(r, "one_time_disability_subsidy", "zh")
    assert view["status"] == "undetermined"
    assert "disability_grade" in [f["id"] for f in view["deciding"]]
    assert any("伤残等级 (disability_grade): 未知" in row["text"] for row in view["open"])
    text = render_explanation(r, "one_time_disability_subsidy", "zh")
    assert "一次性伤残补助金是否应支付尚不能确定。" in text and "可决定此项的事实" in text
    assert "78000" not in text  # nothing guessed: no grade, no months, no amount


def test_every_step_is_a_trace_node_in_reasoning_order(grade7):
    view = explain_item(grade7, "one_time_disability_subsidy", "zh")
    ids = [s["id"] for s in view["steps"]]
    nodes = {n["id"]: n for n in grade7["trace"]["nodes"]}
    assert set(ids) <= set(nodes)
    for position, node_id in enumerate(ids):  # every input of a step is explained before it
        assert all(ids.index(i) < position for i in nodes[node_id]["inputs"] if i in ids)
    fields = next(i for i in grade7["trace"]["items"] if i["id"] == "one_time_disability_subsidy")["fields"]
    assert ids[-1] in fields.values() and fields["payable"] in ids and fields["amount"] in ids


GIST = '''
article 1 gist """The worker gets a lump sum when the condition holds."""
  fact condition: bool "条件" en "the condition"
  benefit lump "一次性款项" en "lump sum" once
    payable when condition
    amount = 100
    payer = fund
article 2 unavailable
  fact other: bool "另一事实" en "the other fact"
  benefit second "第二项" en "second" once
    payable when other
    amount = 5
    payer = employer
'''


def test_a_gist_is_never_shown_as_chinese_and_an_unavailable_text_is_cited_without_words():
    data = result_json(eval_snippet(GIST, {"condition": True, "other": False}))
    zh = render_explanation(data, "lump", "zh")
    assert "（英文译文大意，非中文原文）" in zh
    assert "The worker gets a lump sum" in zh and "「The worker" not in zh  # not quoted as if it were the Chinese text
    assert '<p lang="en">The worker gets a lump sum' in render_explanation(data, "lump", "zh", "html")
    assert "(gist of a translation, not the original text)" in render_explanation(data, "lump", "en")
    assert "（条文文本未收录）" in render_explanation(data, "second", "zh")
    quotes = [q for row in explain_item(data, "second", "zh")["why_not"] for q in row["quotes"]]
    assert quotes and all(q["text"] is None and q["status"] == "unavailable" for q in quotes)


def test_the_explanation_is_rebuilt_from_the_json_alone(grade7, tmp_path: Path):
    again = json.loads(json.dumps(grade7, ensure_ascii=False))
    for fmt in ("text", "md", "html"):
        assert render_explanation(again, "one_time_disability_subsidy", "zh", fmt) == \
            render_explanation(grade7, "one_time_disability_subsidy", "zh", fmt)
    case = tmp_path / "case.yaml"
    case.write_text(json.dumps({"id": "saved", "regime": "national", "date": "2020-06-15", "facts": GRADE7}), encoding="utf-8")
    saved = tmp_path / "result.json"
    saved.write_text(CliRunner().invoke(main, ["eval", str(case), "--format", "json"]).output, encoding="utf-8")
    from_case = CliRunner().invoke(main, ["explain", str(case), "one_time_disability_subsidy", "--lang", "en"])
    from_json = CliRunner().invoke(main, ["explain", str(saved), "one_time_disability_subsidy", "--lang", "en"])
    assert from_case.exit_code == 0 and from_json.exit_code == 0
    assert from_json.output == from_case.output
    assert "Case: saved" in from_json.output


def test_a_stored_result_without_a_trace_is_a_clear_error(tmp_path: Path):
    data = run(GRADE7)
    del data["trace"]
    saved = tmp_path / "bare.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    out = CliRunner().invoke(main, ["explain", str(saved), "one_time_disability_subsidy"])
    assert out.exit_code == 1  # not a result with a trace, so read as a case file: named and refused
    assert "Traceback" not in out.output


@pytest.mark.parametrize("case_name, facts", [("grade7", GRADE7), ("unrecognized", UNRECOGNIZED)])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_golden_explanations(golden, case_name: str, facts: dict, lang: str, fmt: str):
    data = run(facts)
    suffix = {"text": "txt", "md": "md", "html": "html"}[fmt]
    golden(f"explain/{case_name}.one_time_disability_subsidy.{lang}.{suffix}",
           render_explanation(data, "one_time_disability_subsidy", lang, fmt, {"id": f"golden-{case_name}"}))


HOSTILE = {
    "id": '<script>alert("id")</script>',
    "name": '"><img src=x onerror=alert(1)>',
    "notes": "</dd></dl><iframe src=//evil.example></iframe> & *bold* [link](javascript:alert(1))",
}


def _hostile_run() -> dict:
    from lawtrace.api import evaluate_case

    return result_json(evaluate_case({**HOSTILE, "regime": "national", "date": "2020-06-15", "facts": GRADE7}))


def test_html_escapes_hostile_case_text_and_needs_no_network():
    data = _hostile_run()
    for page in (render_explanation(data, "one_time_disability_subsidy", "zh", "html", HOSTILE),
                 render_result(data, "en", "html", HOSTILE)):
        assert "<script" not in page and "<img" not in page and "<iframe" not in page
        assert "&lt;script&gt;alert(&#34;id&#34;)&lt;/script&gt;" in page
        assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
        assert "&lt;/dd&gt;&lt;/dl&gt;&lt;iframe" in page
        assert "@import" not in page and "url(" not in page
        assert page.count("<style>") == 1 and page.rstrip().endswith("</html>")
        tags = _assert_well_formed(page)
        assert not {"script", "img", "iframe", "link", "object", "embed"} & {tag for tag, _ in tags}
        fetched = [v for _, attrs in tags for k, v in attrs if k in ("src", "href") and v and not v.startswith("#")]
        assert fetched == []  # nothing loaded from anywhere: links only within the page


def test_markdown_escapes_hostile_case_text():
    data = _hostile_run()
    md = render_result(data, "zh", "md", HOSTILE)
    assert "<script" not in md and "<img" not in md and "<iframe" not in md
    assert "&lt;script&gt;" in md
    assert "\\*bold\\*" in md and "\\[link\\]" in md


def _assert_well_formed(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The page's tags balance; returns every start tag with its attributes."""
    from html.parser import HTMLParser

    void = {"meta", "br", "hr", "img", "input", "link"}

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            self.tags.append((tag, attrs))
            if tag not in void:
                self.stack.append(tag)

        def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
            assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
            self.stack.pop()

    checker = Checker()
    checker.feed(page)
    assert checker.stack == [], f"unclosed: {checker.stack}"
    return checker.tags


def test_templates_are_strict_and_html_is_autoescaped():
    import jinja2

    assert environment(True).undefined is jinja2.StrictUndefined
    assert environment(False).undefined is jinja2.StrictUndefined
    assert environment(True).autoescape is True and environment(False).autoescape is False
    with pytest.raises(jinja2.UndefinedError):
        environment(False).from_string("{{ w.no_such_word }}").render(w={})


def test_whole_case_report_in_markdown_and_html_has_the_table_the_reasoning_and_the_articles(grade7):
    md = render_result(grade7, "zh", "md", CASE)
    assert "## 结果一览" in md and "| 一次性伤残补助金 | 应支付 | 78,000.00 |" in md
    assert "## 各项待遇的理由" in md and "## 引用条文" in md
    assert md.count("### ") >= len(grade7["items"])
    html = render_result(grade7, "en", "html", CASE)
    assert '<td class="num">78,000.00</td>' in html
    assert html.count('<section class="item"') == len(grade7["items"])
    assert "Articles quoted" in html


def test_every_item_of_every_regime_explains_in_every_format_and_language():
    from lawtrace.api import evaluate_case, regimes

    for regime in (r["name"] for r in regimes()):
        for facts in ({**GRADE7, "disability_grade": 5, "labor_relation_ended": "worker_resigned"}, {}):
            data = result_json(evaluate_case({"regime": regime, "date": "2020-06-15", "facts": facts}))
            for lang in ("zh", "en"):
                for fmt in ("text", "md", "html"):
                    assert render_result(data, lang, fmt)
                    for i in data["items"]:
                        page = render_explanation(data, i["id"], lang, fmt)
                        assert i["label"][lang] in page or fmt != "text"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_eval_writes_the_whole_case_report(fmt: str):
    out = CliRunner().invoke(main, ["eval", str(Path(__file__).parents[1] / "examples" / "grade7.yaml"), "--format", fmt])
    assert out.exit_code == 0, out.output
    assert "78,000.00" in out.output


def test_explain_cli_errors_are_clear_and_exit_1(tmp_path: Path):
    example = str(Path(__file__).parents[1] / "examples" / "grade7.yaml")
    out = CliRunner().invoke(main, ["explain", example, "one_time_disabilty"])
    assert out.exit_code == 1
    assert "no item 'one_time_disabilty'" in out.output and "did you mean 'one_time_disability_subsidy'" in out.output
    out = CliRunner().invoke(main, ["explain", str(tmp_path / "nope.yaml"), "funeral_grant"])
    assert out.exit_code == 1 and "no such case file" in out.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("facts:\n  disability_grade: 11\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["explain", str(bad), "funeral_grant"])
    assert out.exit_code == 1 and "bad.yaml:2:3" in out.output and "Traceback" not in out.output


def test_an_empty_case_without_a_date_explains_every_item_in_both_languages():
    from explain import render_explanation
    from engine.run.result import result_json
    from lawtrace.api import evaluate_case

    data = result_json(evaluate_case({"facts": {}}))
    for item in data["items"]:
        for lang in ("zh", "en"):
            text = render_explanation(data, item["id"], lang, "text", {})
            assert item["label"][lang] in text  # a node with no formula (no version in force) is no endless descent
