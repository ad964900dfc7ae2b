"""The JSON API (/v1) and the page over HTTP: every endpoint's answer is the engine's; bad input is a 4xx naming the field."""

from __future__ import annotations

import json
import logging
import re
import tempfile
import warnings
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner
from openapi_spec_validator import validate
from web_support import ROOT, running_server

from explain.render import render_result
from lawtrace import api
from lawtrace.cli import main
from lawtrace.diffing import run_diff

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from lawtrace.web import create_app, routes_api, service

EXAMPLE = ROOT / "examples" / "grade7.yaml"
GRADE7 = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
GRADE7["date"] = GRADE7["date"].isoformat()
HOSTILE = "<script>alert('x')</script>&<b>"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(max_body=64 * 1024), raise_server_exceptions=False) as c:
        yield c


def post(client, path: str, data: object, **params: str) -> httpx.Response:
    body = data if isinstance(data, (bytes, str)) else json.dumps(data, ensure_ascii=False)
    return client.post(path, content=body, params=params, headers={"content-type": "application/json"})


def errors_of(response: httpx.Response, status: int) -> list[dict]:
    """The errors of a refused request, after checking the error format: JSON, the status, no traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text and 'File "' not in response.text
    data = response.json()
    assert data["status"] == status and data["title"] and data["errors"]
    for e in data["errors"]:
        assert set(e) >= {"field", "in", "message"} and e["message"]
    return data["errors"]


def engine_result(case: dict, *options: str) -> dict:
    """What `lawtrace eval CASE --format json` writes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.json"
        path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
        out = CliRunner().invoke(main, ["eval", str(path), "--format", "json", *options])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


# ---------------------------------------------------------------- evaluate


def test_evaluate_answers_what_the_engine_answers(client):
    response = post(client, "/v1/evaluate", GRADE7)
    assert response.status_code == 200
    data = response.json()
    assert data == engine_result(GRADE7)
    item = next(i for i in data["items"] if i["id"] == "one_time_disability_subsidy")
    assert (item["payable"], item["amount"], item["payer"]) == (True, "78000.00", "fund")


def test_evaluate_reads_a_yaml_case_file_as_sent(client):
    response = client.post("/v1/evaluate", content=EXAMPLE.read_bytes(), headers={"content-type": "application/yaml"})
    assert response.status_code == 200
    assert response.json() == engine_result(GRADE7)


def test_query_parameters_override_like_the_cli(client):
    data = post(client, "/v1/evaluate", GRADE7, date="2009-06-01", regime="national", trace="false").json()
    assert data["date"] == "2009-06-01" and "trace" not in data
    cli = engine_result(GRADE7, "--date", "2009-06-01", "--regime", "national")
    cli.pop("trace")
    # the receipts differ only in the hash of the result, which covers the trace where the result has one
    assert data.pop("receipt")["input"] == cli.pop("receipt")["input"]
    assert data == cli


def test_an_absent_fact_stays_unknown(client):
    data = post(client, "/v1/evaluate", {"date": "2020-06-15", "facts": {}}).json()
    assert data["missing_facts"], "an empty case must leave facts to find out"
    undetermined = [i for i in data["items"] if i["payable"] is None]
    assert undetermined and all(i["missing"] for i in undetermined)
    assert data == engine_result({"date": "2020-06-15", "facts": {}})


def test_a_bad_fact_is_refused_naming_the_field_with_the_engines_message(client):
    case = {"date": "2020-06-15", "facts": {"disability_grade": 11, "monthly_wag": 6000}}
    errors = errors_of(post(client, "/v1/evaluate", case), 422)
    by_field = {e["field"]: e for e in errors}
    assert set(by_field) == {"facts.disability_grade", "facts.monthly_wag"}
    assert by_field["facts.disability_grade"]["message"] == "11 is out of range: expected 1 to 10"
    assert "monthly_wage" in by_field["facts.monthly_wag"]["hint"]
    assert all(e["line"] == 1 and e["column"] > 1 for e in errors)


def test_a_bad_entry_of_a_list_is_named_down_to_its_field(client):
    fact, sub, _ = _list_fact()
    case = {"facts": {fact: [{sub: "not-a-member-of-anything"}]}}
    errors = errors_of(post(client, "/v1/evaluate", case), 422)
    assert [e["field"] for e in errors] == [f"facts.{fact}[0].{sub}"]


@pytest.mark.parametrize(("body", "status", "field", "words"), [
    (b'{"facts": {', 400, "body", "not valid JSON"),
    (b"", 400, "body", "empty"),
    (b"\xff\xfe{}", 400, "body", "UTF-8"),
    (b"[1, 2]", 400, "body", "mapping"),
    (b"facts: [unclosed", 400, "body", "YAML"),
    (b'{"facts": [1]}', 422, "facts", "mapping"),
    (b'{"bogus": 1, "facts": {}}', 422, "bogus", "unknown field"),
    (b'{"regime": "atlantis", "facts": {}}', 422, "regime", "unknown regime"),
    (b'{"date": "2020-13-01", "facts": {}}', 422, "date", "YYYY-MM-DD"),
])
def test_malformed_cases_are_refused_naming_the_field(client, body, status, field, words):
    errors = errors_of(client.post("/v1/evaluate", content=body), status)
    assert errors[0]["field"] == field
    assert words in errors[0]["message"]


def test_a_syntax_error_says_where(client):
    errors = errors_of(client.post("/v1/evaluate", content=b'{\n  "facts": {\n    "died": tru\n  }\n}'), 400)
    assert (errors[0]["line"], errors[0]["column"]) == (3, 13)


@pytest.mark.parametrize(("params", "field"), [({"date": "2020-02-30"}, "date"), ({"trace": "maybe"}, "trace"),
                                               ({"regime": "atlantis"}, "regime")])
def test_bad_query_parameters_are_named(client, params, field):
    errors = errors_of(post(client, "/v1/evaluate", GRADE7, **params), 422)
    assert (errors[0]["field"], errors[0]["in"]) == (field, "query")


def test_a_body_over_the_limit_is_refused(client):
    big = json.dumps({"notes": "x" * (65 * 1024), "facts": {}})
    errors = errors_of(post(client, "/v1/evaluate", big), 413)
    assert "larger than 65536 bytes" in errors[0]["message"]


def test_a_streamed_body_over_the_limit_is_refused_while_it_arrives():
    """Sent in chunks with no Content-Length, to a real server: counted as it arrives."""
    def chunks():
        yield b'{"notes": "'
        for _ in range(64):
            yield b"x" * 8192
        yield b'", "facts": {}}'

    with running_server("--max-body", "65536") as base:
        response = httpx.post(base + "/v1/evaluate", content=chunks(), timeout=30)
        errors_of(response, 413)
        assert httpx.post(base + "/v1/evaluate", json=GRADE7, timeout=30).json()["items"]


def test_an_internal_error_is_a_bare_500_with_the_traceback_only_in_the_log(monkeypatch, caplog):
    def broken() -> list:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "regimes", broken)
    with TestClient(create_app(), raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR, "lawtrace.web"):
        response = c.get("/v1/regimes")
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert response.json()["status"] == 500
    assert "secret internals" in caplog.text


def test_unknown_routes_and_methods_are_json_errors(client):
    assert errors_of(client.get("/v1/nothing-here"), 404)[0]["message"].endswith("/v1/nothing-here")
    errors_of(client.get("/v1/evaluate"), 405)


# ---------------------------------------------------------------- regimes and facts


def test_regimes_are_the_engines(client):
    response = client.get("/v1/regimes")
    assert response.status_code == 200
    assert response.json() == api.regimes()
    out = CliRunner().invoke(main, ["regimes", "--format", "json"])
    assert response.json() == json.loads(out.output)


def test_facts_are_the_declarations_of_the_regime(client):
    data = client.get("/v1/facts", params={"regime": "national"}).json()
    program = api.load_program("national")
    assert [f["name"] for f in data] == [f.id for f in program.facts()]
    for entry, node in zip(data, program.facts(), strict=True):
        assert entry["label"] == {"zh": node.labels.zh, "en": node.labels.en}
        assert entry["declared"] == str(node.type)
        low = getattr(node.type, "low", None)
        if low is not None:
            want = (low, node.type.high) if isinstance(low, int) else (f"{low:f}", f"{node.type.high:f}")  # type: ignore[attr-defined]
            assert (entry["type"]["min"], entry["type"]["max"]) == want
        if hasattr(node.type, "values"):
            assert entry["type"]["members"] == list(node.type.values)  # type: ignore[attr-defined]
    assert errors_of(client.get("/v1/facts", params={"regime": "atlantis"}), 422)[0]["field"] == "regime"


# ---------------------------------------------------------------- next questions and explain


def test_next_questions_are_the_ranking_of_ask_next(client, tmp_path: Path):
    case = {"date": "2020-06-15", "facts": {"work_injury_recognized": True}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    out = CliRunner().invoke(main, ["ask", str(path), "--next", "--format", "json"])
    assert out.exit_code == 0, out.output
    response = post(client, "/v1/next-questions", case)
    assert response.status_code == 200
    assert response.json() == json.loads(out.output)
    assert response.json()["questions"], "an almost empty case must leave questions"


def test_next_questions_refuse_a_bad_case(client):
    assert errors_of(post(client, "/v1/next-questions", {"facts": {"disability_grade": 0}}), 422)[0]["field"] == \
        "facts.disability_grade"
    errors_of(post(client, "/v1/next-questions", b"{"), 400)


def test_explain_one_item_as_data_and_as_text(client):
    data = post(client, "/v1/explain", GRADE7, item="one_time_disability_subsidy").json()
    assert (data["id"], data["status"], data["amount"]) == ("one_time_disability_subsidy", "payable", "78000.00")
    assert any("第三十七条" in b for b in data["basis"])
    text = post(client, "/v1/explain", GRADE7, item="one_time_disability_subsidy", format="text", lang="en")
    assert text.headers["content-type"].startswith("text/plain")
    assert "78,000.00" in text.text and "WIIR art. 37" in text.text


def test_explain_every_item_as_a_report_with_hostile_text_escaped(client):
    case = dict(GRADE7, id=HOSTILE, notes=HOSTILE)
    response = post(client, "/v1/explain", case, format="html")
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in response.text and "&lt;script&gt;" in response.text
    assert response.text == render_result(engine_result(case), "zh", "html", case)


def test_explain_names_an_unknown_item_and_a_bad_format(client):
    errors = errors_of(post(client, "/v1/explain", GRADE7, item="one_time_disability_subsidie"), 422)
    assert (errors[0]["field"], errors[0]["in"]) == ("item", "query")
    assert "one_time_disability_subsidy" in errors[0]["hint"]
    assert errors_of(post(client, "/v1/explain", GRADE7, format="pdf"), 422)[0]["field"] == "format"


# ---------------------------------------------------------------- diff


def test_diff_is_the_engines_diff(client, tmp_path: Path):
    cases = [dict(GRADE7, id="c1"), {"id": "c2", "date": "2020-06-15", "facts": {"died": True}}]
    response = post(client, "/v1/diff", {"a": "national@2010-06-01", "b": "national", "cases": cases})
    assert response.status_code == 200
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    assert response.json() == run_diff("national@2010-06-01", "national", (), str(path)).as_json()
    assert response.json()["outcomes"], "the 2003 and 2010 texts differ for a grade-7 worker"


@pytest.mark.parametrize(("body", "fields"), [
    ({"b": "national"}, ["a"]),
    ({"a": "national@2010-13-01", "b": "national"}, ["a"]),
    ({"a": "national", "b": "atlantis"}, ["b"]),
    ({"a": "national", "b": "national", "cases": {"facts": {}}}, ["cases"]),
    ({"a": "national", "b": "national", "case": []}, ["case"]),
    ({"a": "national", "b": "national", "cases": [{"facts": {}}, 3]}, ["cases[1]"]),
    ({"a": "national", "b": "national", "cases": [{"facts": {}}, {"facts": {"disability_grade": "seven"}}]},
     ["cases[1].facts.disability_grade"]),
])
def test_diff_refuses_bad_requests_naming_the_field(client, body, fields):
    assert [e["field"] for e in errors_of(post(client, "/v1/diff", body), 422)] == fields


# ---------------------------------------------------------------- the OpenAPI document


def test_openapi_document_validates_and_lists_every_endpoint(client):
    doc = client.get("/openapi.json").json()
    validate(doc)
    listed = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert listed == {("/v1/evaluate", "post"), ("/v1/explain", "post"), ("/v1/next-questions", "post"),
                      ("/v1/regimes", "get"), ("/v1/facts", "get"), ("/v1/diff", "post")}
    served = {(r.path, m.lower()) for r in routes_api.router.routes for m in getattr(r, "methods", ()) if m != "HEAD"}
    assert served == listed
    for path, method in listed:
        op = doc["paths"][path][method]
        if method == "post":
            assert "application/json" in op["requestBody"]["content"]
            assert op["responses"]["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


# ---------------------------------------------------------------- the page over HTTP (the browser tests drive it)


def page_query(case: dict, lang: str = "zh") -> dict[str, str]:
    query = {"lang": lang, "regime": case.get("regime", "national"), "date": case["date"]}
    query.update({f"f.{k}": str(v).lower() if isinstance(v, bool) else str(v) for k, v in case["facts"].items()})
    return query


def test_page_shows_the_engines_answer_in_chinese_by_default(client):
    query = page_query(GRADE7)
    del query["lang"]
    response = client.get("/", params=query)
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert '<html lang="zh-CN">' in response.text
    row = re.search(r'<tr id="row-one_time_disability_subsidy".*?</tr>', response.text, re.DOTALL)
    assert row and "78,000.00" in row.group(0) and "应支付" in row.group(0)


def test_empty_fields_are_absent_facts_and_leave_the_permalink(client):
    response = client.get("/", params={"regime": "national", "date": "2020-06-15", "f.died": "", "id": " "},
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?regime=national&date=2020-06-15"


def test_the_form_asks_what_the_ranking_asks(client):
    case = {"date": "2020-06-15", "facts": {"work_injury_recognized": True}}
    ranked = post(client, "/v1/next-questions", case).json()["questions"]
    text = client.get("/", params=page_query(case)).text
    asked = re.findall(r'<div class="question[^"]*" id="fact-([a-z0-9_]+)"', text.split('id="answered"')[0])
    assert asked == [q["fact"] for q in ranked if q["fact"] != "date"]
    assert 'name="f.work_injury_recognized"' in text.split('id="answered"')[1]


def test_a_bad_answer_gets_the_engines_message_next_to_its_field(client):
    query = page_query({"date": "2020-06-15", "facts": {"disability_grade": 11}})
    text = client.get("/", params=query).text
    field = re.search(r'<div class="question invalid" id="fact-disability_grade".*?</div>\s*</div>', text, re.DOTALL)
    assert field and "11 is out of range: expected 1 to 10" in field.group(0)


def test_hostile_case_text_is_escaped_on_the_page_and_in_the_downloads(client):
    query = dict(page_query(GRADE7), id=HOSTILE, notes=HOSTILE)
    for path in ("/", "/report.html", "/item/one_time_disability_subsidy"):
        text = client.get(path, params=query).text
        assert "<script>alert" not in text and "<b>" not in text, path


def test_downloads_round_trip_to_the_same_answer(client):
    query = dict(page_query(GRADE7), id="c-1", notes="写给同事")
    case = yaml.safe_load(client.get("/case.yaml", params=query).text)
    assert client.get("/case.json", params=query).json() == case
    assert case["facts"] == GRADE7["facts"] and case["id"] == "c-1" and case["notes"] == "写给同事"
    report = client.get("/report.html", params=query)
    assert report.headers["content-disposition"] == 'attachment; filename="report-c-1.html"'
    assert report.text == render_result(engine_result(case), "zh", "html", case)


def test_an_unknown_item_page_is_404(client):
    assert client.get("/item/nothing", params=page_query(GRADE7)).status_code == 404


# ---------------------------------------------------------------- no law in the web code


def test_the_web_code_names_no_fact_and_no_item_of_the_law():
    names = set()
    for regime in api.catalog().regimes:
        program = api.load_program(regime)
        names |= {f.id for f in program.facts()} | {b.id for b in program.benefits}
    web = ROOT / "lawtrace" / "web"
    for path in sorted(web.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2", ".js", ".css"}:
            text = path.read_text(encoding="utf-8")
            found = sorted(n for n in names if re.search(rf"(?<![A-Za-z0-9_-]){re.escape(n)}(?![A-Za-z0-9_-])", text))
            assert not found, f"{path.relative_to(ROOT)} names {found}"


def _list_fact():
    """A list fact with a field that takes members: its name, that field, and a member."""
    for node in api.load_program().facts():
        for f in getattr(node.type, "fields", ()):
            if hasattr(f.type, "values"):
                return node.id, f.name, f.type.values[0]
    raise AssertionError("the regime declares no list fact with an enum field")


def test_list_entries_from_the_form_rows(client):
    fact, sub, member = _list_fact()
    base = {"regime": "national", "date": "2020-06-15"}
    filled = client.get("/case.json", params={**base, f"f.{fact}.0.{sub}": member, f"f.{fact}.3.{sub}": member}).json()
    assert filled["facts"][fact] == [{sub: member}, {sub: member}]  # rows renumbered in order; empty rows are no entry
    empty = client.get("/case.json", params={**base, f"f.{fact}.none": "1"}).json()
    assert empty["facts"][fact] == []  # confirmed empty
    unknown = client.get("/case.json", params=base).json()
    assert fact not in unknown["facts"]  # nothing said: unknown
    bad = client.get("/", params={**base, f"f.{fact}.0.{sub}": "nobody"}).text
    cell = re.search(rf'name="f\.{fact}\.0\.{sub}".*?</label>', bad, re.DOTALL)
    assert cell and "expected one of" in cell.group(0)


def test_an_explanation_that_fails_leaves_the_answers_on_the_page(client, monkeypatch, caplog):
    from lawtrace.web import view

    def broken(result, item_id, lang):
        raise RuntimeError("explanation bug")

    monkeypatch.setattr(view, "explain_item", broken)
    with caplog.at_level(logging.ERROR, "lawtrace.web"):
        text = client.get("/", params=page_query(GRADE7)).text
    row = re.search(r'<tr id="row-one_time_disability_subsidy".*?</tr>', text, re.DOTALL)
    assert row and "78,000.00" in row.group(0)
    assert "说明未能生成" in text and "explanation bug" not in text
    assert "explanation bug" in caplog.text


def test_evaluate_with_a_window_gives_what_eval_from_to_gives(client):
    case = {"regime": "national", "date": "2022-01-10",
            "facts": {"work_injury_recognized": True, "employer_insured": True, "off_work_for_treatment": True,
                      "original_monthly_pay": 7000, "disability_grade": 3, "monthly_wage": 7000,
                      "regional_avg_monthly_wage": 8000, "minimum_wage": 2000, "appraisal_conclusion_date": "2022-09-10"}}
    response = client.post("/v1/evaluate?from=2022-08-01&to=2022-11-30&trace=false", json=case)
    assert response.status_code == 200, response.text
    owed = response.json()["owed"]
    assert owed == engine_result(case, "--from", "2022-08-01", "--to", "2022-11-30")["owed"]
    assert owed["months"][0] == {"month": "2022-08", "by_item": {"suspension_wages": "7000.00"},
                                 "by_payer": {"employer": "7000.00"}}
    assert client.post("/v1/evaluate?from=2022-08-01", json=case).status_code == 422


def test_the_server_sets_the_garbage_collector_for_its_life_and_leaves_it_as_it_found_it():
    """While the app runs, the compiled regimes are frozen out of the collector's sweeps and the youngest generation
    is swept less often (#18); stopped, the collector is as it was (a test process goes on after it)."""
    import gc

    from lawtrace.web import app

    before = gc.get_threshold()
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] >= app.SERVER_YOUNG_SWEEP
        assert post(c, "/v1/evaluate", GRADE7).json() == engine_result(GRADE7)
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_a_bad_window_is_still_refused_after_a_bad_case_is(client):
    """The case is read and the window checked in one worker trip: a body that is no case is named first, as before."""
    bad = post(client, "/v1/evaluate", b"{", **{"from": "2021-01-01"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "body"
    window = post(client, "/v1/evaluate", GRADE7, **{"from": "2021-01-01"})
    assert window.status_code == 422 and window.json()["errors"][0]["field"] == "to"
