"""One vocabulary for the unknown, in every output and both languages (issue 17; trial §6 frictions 3, 4, 5, 8).

Renders every item of generated cases (facts absent at random) in every report format and language and fails on a
Python `None`/`null`, on "none" said of an undetermined payer, and, in Chinese, on a stray English sentence outside
code and the marked English gists.
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from engine.run.result import result_json
from explain.render import render_explanation, render_result, render_summary
from explain.why import resolve_item
from lawtrace.api import evaluate_case
from lawtrace.cli import main

BASE = {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 7, "monthly_wage": 6000,
        "regional_avg_monthly_wage": 8000, "medical_costs": 42000, "hospital_days": 21,
        "hospital_food_subsidy_per_day": 30, "third_party_caused": False, "died": False, "labor_relation_ended": "contract_expired"}


def cases(n: int = 6) -> list[dict]:
    rng = random.Random(17)
    out = []
    for k in range(n):
        facts = {f: v for f, v in BASE.items() if rng.random() < 0.6}
        out.append({"id": f"gen-{k}", "regime": rng.choice(["national", "jiangsu"]), "date": "2023-05-10",
                    "facts": facts})
    return out


class _Text(HTMLParser):
    """The text a reader sees, leaving out <code> (expressions, ids) and elements marked lang="en" (gists)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        skipped = tag in ("code", "style", "script") or dict(attrs).get("lang") == "en"
        if tag not in ("br", "meta", "link", "input", "img", "hr"):
            self.stack.append(skipped)
            self.skip += skipped

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if self.stack:
            self.skip -= self.stack.pop()

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self.skip:
            self.parts.append(data)


def visible(html: str) -> str:
    p = _Text()
    p.feed(html)
    return "\n".join(p.parts)


ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:'()-]+[A-Za-z]{2,}){4,}")


def _no_unknown_as_none(text: str, where: str) -> None:
    assert not re.search(r"\bNone\b|\bnull\b", text), f"{where}: None/null printed"
    assert "paid by: none" not in text and "最终支付方: 无" not in text or "尚不能确定" not in text, where


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["id"])
def test_every_item_in_every_format_and_language_says_undetermined_never_none(case: dict):
    result = result_json(evaluate_case(case))
    for lang in ("zh", "en"):
        for fmt in ("text", "md", "html"):
            _no_unknown_as_none(render_result(result, lang, fmt, case), f"{case['id']} {lang} {fmt}")
            for item in result["items"]:
                out = render_explanation(result, item["id"], lang, fmt, case)
                _no_unknown_as_none(out, f"{case['id']} {item['id']} {lang} {fmt}")
        _no_unknown_as_none(render_summary(result, lang), f"{case['id']} summary {lang}")
        for item in result["items"]:
            if item["payable"] is not False and item["payer"] is None and "payer" in item["undetermined"]:
                text = render_result(result, lang, "text", case)
                line = next(x for x in text.splitlines() if item["label"][lang] in x)
                assert ("尚不能确定" if lang == "zh" else "undetermined") in line


def test_an_undetermined_payer_is_said_with_the_facts_that_decide_it():
    """Trial §6.3: medical costs with the third party's facts missing read "尚不能确定（取决于：…）", not "无"."""
    case = {"regime": "jiangsu", "date": "2023-05-10",
            "facts": {"work_injury_recognized": True, "employer_insured": True, "medical_costs": 42000}}
    result = result_json(evaluate_case(case))
    zh = render_result(result, "zh", "text", case)
    line = next(x for x in zh.splitlines() if "治疗工伤的医疗费用和康复费用 —" in x)
    assert "最终支付方: 尚不能确定（取决于：由于第三人的原因造成工伤" in line and "42,000.00 元" in line
    en = render_explanation(result, "medical_treatment", "en", "text", case)
    assert "paid in the end by undetermined (depends on: a third party caused the injury" in en


def test_a_payable_item_without_its_amount_says_so_not_none():
    """Trial §6.4: no wage given: "应支付: 金额尚不能确定（取决于：本人工资…）", never "None 元"."""
    case = {"regime": "national", "date": "2023-05-10",
            "facts": {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 7}}
    result = result_json(evaluate_case(case))
    zh = render_result(result, "zh", "text", case)
    assert "一次性伤残补助金 — 应支付: 金额尚不能确定（取决于：本人工资（12个月平均月缴费工资）" in zh
    assert "None" not in zh
    en = render_result(result, "en", "text", case)
    assert "payable: amount undetermined (depends on:" in en and "None" not in en


def test_amounts_are_grouped_in_text_and_html_and_plain_in_json():
    case = {"regime": "national", "date": "2020-06-15",
            "facts": {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 7,
                      "monthly_wage": 6000, "regional_avg_monthly_wage": 8000}}
    result = result_json(evaluate_case(case))
    assert "78,000.00 元" in render_result(result, "zh", "text", case)
    assert '<td class="num">78,000.00</td>' in render_result(result, "zh", "html", case)
    assert next(i for i in result["items"] if i["id"] == "one_time_disability_subsidy")["amount"] == "78000.00"


def test_explain_accepts_the_chinese_and_the_english_label_and_suggests_over_all_three():
    """Trial §6.8: `explain CASE 一次性伤残补助金` works; a near miss suggests ids and labels."""
    result = result_json(evaluate_case({"regime": "national", "date": "2020-06-15", "facts": {"disability_grade": 7}}))
    assert resolve_item(result, "一次性伤残补助金") == "one_time_disability_subsidy"
    assert resolve_item(result, "One-time disability subsidy") == "one_time_disability_subsidy"
    assert resolve_item(result, "one_time_disability_subsidy") == "one_time_disability_subsidy"
    out = CliRunner().invoke(main, ["explain", "examples/grade7.yaml", "一次性伤残补助"])
    assert out.exit_code == 1 and "did you mean '一次性伤残补助金'" in out.output
    ok = CliRunner().invoke(main, ["explain", "examples/grade7.yaml", "一次性伤残补助金"])
    assert ok.exit_code == 0 and ok.output.startswith("一次性伤残补助金 (one_time_disability_subsidy)")


def test_the_zh_text_report_names_missing_facts_by_their_labels():
    """Trial §3: the zh text listed `third_party_caused`; it now reads 由于第三人的原因造成工伤."""
    case = {"regime": "national", "date": "2023-05-10", "facts": {"work_injury_recognized": True}}
    zh = render_result(result_json(evaluate_case(case)), "zh", "text", case)
    missing = [x for x in zh.splitlines() if x.strip().startswith("尚需查明的事实")]
    assert missing and not any(re.search(r"\b[a-z]+_[a-z_]+\b", x) for x in missing)


def test_zh_html_report_has_no_identifier_where_a_label_exists():
    """Outside code and gists, the zh HTML report names facts and items by their words (trial §6.8)."""
    case = {"regime": "jiangsu", "date": "2023-05-10",
            "facts": {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 8}}
    result = result_json(evaluate_case(case))
    labelled = {n["id"] for n in result["trace"]["nodes"] if (n.get("label") or {}).get("zh")}
    labelled |= {i["id"] for i in result["items"]}
    text = visible(render_result(result, "zh", "html", case))
    ids = set(re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text))
    assert not ids & labelled, sorted(ids & labelled)[:10]


SCAN_CASES = [
    {"regime": "jiangsu", "date": "2023-05-10",
     "facts": {"work_injury_recognized": True, "employer_insured": True, "disability_grade": 8}},
    {"regime": "national", "date": "2009-05-10",
     "facts": {"work_injury_recognized": True, "employer_insured": False, "employer_pays": False, "disability_grade": 5,
               "monthly_wage": 5000}},
    {"regime": "guiyang", "date": "2020-05-10", "facts": {"work_injury_recognized": True}},
    {"kind": "employer", "regime": "national", "date": "2020-06-01", "as_of": "2020-08-01",
     "facts": {"registered": True, "industry_risk_class": 5, "rate_tier": "base", "monthly_payroll": 1000000,
               "arrears": 50000, "payment_due_date": "2020-06-15"}},
]


def _chinese_only(text: str, labelled: set[str], where: str) -> None:
    english = ENGLISH_SENTENCE.search(text)
    assert english is None, f"{where}: an English sentence: {text[max(0, english.start() - 40):english.end()]!r}"
    ids = set(re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text)) & labelled
    assert not ids, f"{where}: identifiers where a label exists: {sorted(ids)[:10]}"


@pytest.mark.parametrize("case", SCAN_CASES, ids=lambda c: f"{c['regime']}-{c.get('kind', 'worker')}")
def test_the_zh_html_report_reads_in_chinese(case: dict):
    """Outside code and the marked gists, no English sentence (presumptions, notes, diagnostics, undetermined reasons
    and enum members all have their Chinese words) and no identifier where a label exists."""
    result = result_json(evaluate_case(case))
    labelled = {n["id"] for n in result["trace"]["nodes"] if (n.get("label") or {}).get("zh")}
    labelled |= {i["id"] for i in result["items"]}
    _chinese_only(visible(render_result(result, "zh", "html", case)), labelled, case["regime"])


@pytest.mark.parametrize("a, b", [("national@2010-06-01", "national@2012-06-01"), ("national", "jiangsu"),
                                  ("national", "guiyang")])
def test_the_zh_diff_html_reads_in_chinese(a: str, b: str, tmp_path):
    import yaml

    from explain.diff_view import render_diff
    from lawtrace.diffing import run_diff

    cases = tmp_path / "cases.yaml"
    cases.write_text(yaml.safe_dump([dict(c, id=f"c{k}") for k, c in enumerate(SCAN_CASES[:2])]), encoding="utf-8")
    data = run_diff(a, b, (), str(cases)).as_json()
    labelled = {str(r["id"]) for r in data["rules"] if (r.get("label") or {}).get("zh")} | set(data["labels"])
    labelled |= set(data["items"])
    _chinese_only(visible(render_diff(data, "zh", "html")), labelled, f"{a} vs {b}")


def test_diff_describes_a_changed_table_in_words_with_its_article_and_the_dsl_only_under_detail():
    """Issue 17 (8): 一次性伤残补助金（月数）：7由12改为13（…第三十七条第一款第（一）项）; the expression with --detail."""
    out = CliRunner().invoke(main, ["diff", "national@2010-06-01", "national@2012-06-01"])
    assert out.exit_code == 0 and out.output.endswith("\n")
    line = next(x for x in out.output.splitlines() if "一次性伤残补助金（月数）" in x)
    assert "7由12改为13" in line and "《工伤保险条例》第三十七条第一款第（一）项" in line and "{" not in line
    assert out.output.count("有不得认定为工伤的情形") == 1  # a change shared by 17 items is said once, with them
    detail = CliRunner().invoke(main, ["diff", "national@2010-06-01", "national@2012-06-01", "--detail"]).output
    assert "{1: 27, 2: 25" in detail
    en = CliRunner().invoke(main, ["diff", "national@2010-06-01", "national@2012-06-01", "--lang", "en"]).output
    assert "7 from 12 to 13" in en


def test_diff_totals_say_undetermined_not_none(tmp_path):
    import yaml

    cases = tmp_path / "cases.yaml"
    cases.write_text(yaml.safe_dump([{"id": "c", "regime": "national", "date": "2020-06-15",
                                      "facts": {"work_injury_recognized": True, "medical_costs": 30000}}]),
                     encoding="utf-8")
    for lang, word in (("zh", "尚不能确定"), ("en", "undetermined")):
        out = CliRunner().invoke(main, ["diff", "national", "jiangsu", "--cases", str(cases), "--lang", lang]).output
        assert "None" not in out and word in out.split("\n\n")[-1] and out.endswith("\n")
    data = CliRunner().invoke(main, ["diff", "national", "jiangsu", "--cases", str(cases), "--format", "json"]).output
    assert '"None"' not in data and '"undetermined"' in data


def test_check_warns_where_a_chinese_form_is_missing_and_the_shipped_statutes_have_none(tmp_path):
    """Issue 17 (2): a note, ground, reason or enum member without its Chinese words is reported by `check`."""
    overlay = tmp_path / "mine.lt"
    overlay.write_text('''instrument MINE "我的规则" en "mine" level reform
  version 2026 in_force 2026-01-01
article 1 """第一条"""
  fact colour: enum {red "红" en "red", blue} "颜色" en "colour"
  value two: int "二" en "two" note "only English here" = 2
  value three: int "三" en "three" note "中文说明" en "a note in both" = 3
''', encoding="utf-8")
    out = CliRunner().invoke(main, ["check", str(overlay)])
    assert out.exit_code == 0, out.output
    assert "no Chinese form for the note \"only English here\"" in out.output
    assert "enum member 'blue'" in out.output and "enum member 'red'" not in out.output
    assert "a note in both" not in out.output
    shipped = CliRunner().invoke(main, ["check"])
    assert shipped.exit_code == 0 and "no Chinese form" not in shipped.output


def test_the_python_api_of_the_readme(tmp_path):
    """README "The Python API": evaluate, explain (by label), simulate and diff, as data."""
    from lawtrace import api

    result = api.evaluate("examples/grade7.yaml")
    item = next(i for i in result["items"] if i["id"] == "one_time_disability_subsidy")
    assert (item["amount"], item["payer"]) == ("78000.00", "fund")
    assert api.explain(result, "一次性伤残补助金", lang="en").startswith("one-time disability subsidy")
    pop = tmp_path / "pop.csv"
    pop.write_text("id,date,work_injury_recognized,employer_insured,disability_grade,monthly_wage,"
                   "regional_avg_monthly_wage\na,2020-06-15,true,true,7,6000,8000\n", encoding="utf-8")
    totals = api.simulate(pop).as_json()
    assert totals["n"] == 1 and totals["items"]["one_time_disability_subsidy"]["amount"] == "78000.00"
    changes = api.diff("national@2010-06-01", "national@2012-06-01")
    assert any(r["id"] == "disability_subsidy_months" for r in changes["rules"])


def test_the_api_explains_an_item_named_by_its_label():
    """Issue 17 (3): POST /v1/explain?item=一次性伤残补助金; a near miss is a 422 naming the item, with the hint."""
    from fastapi.testclient import TestClient

    from lawtrace.web.app import create_app

    client = TestClient(create_app())
    body = open("examples/grade7.yaml", encoding="utf-8").read()
    ok = client.post("/v1/explain", params={"item": "一次性伤残补助金", "format": "text"}, content=body,
                     headers={"content-type": "application/yaml"})
    assert ok.status_code == 200 and "78,000.00 元" in ok.text
    miss = client.post("/v1/explain", params={"item": "一次性伤残补助"}, content=body,
                       headers={"content-type": "application/yaml"})
    assert miss.status_code == 422
    error = miss.json()["errors"][0]
    assert error["field"] == "item" and "一次性伤残补助金" in (error["hint"] or "")
