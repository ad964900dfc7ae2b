"""What falls due over a window, on the web (issue 13): /v1/evaluate?from&to and the caseworker's page (`from`, `to`),
the same `owed` as `lawtrace eval --from --to`. The browser test runs Debian's Chromium like test_web_browser (skipped
without it, except under CI=true).

The worked case: accident 2022-01-10, grade 3 assessed on 2022-09-10, wage 7,000 (WIIR 33, 35):
  suspension wages 7,000 a month to 2022-09-09 (employer); disability allowance 80 % × 7,000 = 5,600 from 2022-09-10
  (fund); the one-time disability subsidy 23 × 7,000 = 161,000 on 2022-09-10 (fund).
  Window 2022-08-01..2022-11-30, whole months: Aug 7,000; Sep 161,000 (the subsidy); Oct 5,600; Nov 5,600 → 179,200;
  by payer: employer 7,000, fund 172,200. Part month September: wages 9/30 days → 2,100.00 pro rata, 7,000.00 in
  full; allowance 21/30 days → 3,920.00 pro rata, 5,600.00 in full; neither in a total.
"""

from __future__ import annotations

import json
import warnings
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from test_web_browser import browser, server  # noqa: F401 (fixtures)

from lawtrace.cli import main

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from lawtrace.web import create_app

FACTS = {"work_injury_recognized": True, "employer_insured": True, "monthly_wage": 7000,
         "regional_avg_monthly_wage": 8000, "minimum_wage": 2000, "off_work_for_treatment": True,
         "original_monthly_pay": 7000, "disability_grade": 3, "appraisal_conclusion_date": "2022-09-10"}
CASE = {"date": "2022-01-10", "facts": FACTS}
WINDOW = {"from": "2022-08-01", "to": "2022-11-30"}


def _query(**extra: str) -> str:
    params = [("date", CASE["date"])] + [("f." + k, str(v).lower() if isinstance(v, bool) else str(v))
                                         for k, v in FACTS.items()]
    return "/?" + urlencode(params + list(extra.items()))


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(max_body=64 * 1024), raise_server_exceptions=False) as c:
        yield c


def test_api_evaluate_with_a_window_gives_owed_as_the_cli(client, tmp_path):
    r = client.post("/v1/evaluate", content=json.dumps(CASE), params={**WINDOW, "trace": "false"},
                    headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    owed = r.json()["owed"]
    assert owed["from"] == "2022-08-01" and owed["to"] == "2022-11-30"
    months = {m["month"]: m["by_item"] for m in owed["months"]}
    assert months["2022-08"] == {"suspension_wages": "7000.00"}
    assert months["2022-09"] == {"one_time_disability_subsidy": "161000.00"}
    assert months["2022-10"] == months["2022-11"] == {"disability_allowance": "5600.00"}
    assert owed["by_payer"] == {"employer": "7000.00", "fund": "172200.00"}
    partial = {p["item"]: (p["month"], p["days"], p["of_days"], p["pro_rata"], p["full_month"]) for p in owed["partial"]}
    assert partial == {"suspension_wages": ("2022-09", 9, 30, "2100.00", "7000.00"),
                       "disability_allowance": ("2022-09", 21, 30, "3920.00", "5600.00")}
    # the same as the command line's
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    out = CliRunner().invoke(main, ["eval", str(path), "--from", WINDOW["from"], "--to", WINDOW["to"], "--format", "json"])
    assert json.loads(out.output)["owed"] == owed


def test_api_refuses_half_a_window(client):
    r = client.post("/v1/evaluate", content=json.dumps(CASE), params={"from": "2022-08-01"},
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to"


def test_page_shows_the_window_month_by_month_in_chinese_then_english(client):
    r = client.get(_query(**WINDOW))
    assert r.status_code == 200
    html = r.text
    assert 'id="owed"' in html and "期间内应付的金额" in html and "2022-08-01 至 2022-11-30" in html
    assert "179,200.00" in html and "172,200.00" in html  # the total, the fund's share
    assert "不足整月的月份" in html and "9/30 日" in html and "2,100.00" in html and "3,920.00" in html
    en = client.get(_query(**WINDOW, lang="en")).text
    assert "What falls due in the window" in en and "9 of 30 days" in en and "pro rata" in en and "179,200.00" in en


def test_page_says_a_bad_window_at_its_fields(client):
    html = client.get(_query(**{"from": "2022-12-01", "to": "2022-11-30"})).text
    assert 'id="window-error"' in html and "第一日不得晚于最后一日" in html and 'id="owed"' not in html
    en = client.get(_query(**{"from": "2022-12-01", "lang": "en"})).text
    assert "Give both days of the window" in en


# --- in a real browser ---------------------------------------------------------------------------------------------

def test_browser_fills_the_window_and_reads_what_falls_due(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + _query())
    expect(page.locator("#owed")).to_have_count(0)  # no window asked: no owed
    page.fill("#window-from", WINDOW["from"])
    page.fill("#window-to", WINDOW["to"])
    with page.expect_navigation():
        page.click("#evaluate")
    owed = page.locator("#owed")
    expect(owed).to_contain_text("期间内应付的金额")
    expect(page.locator('#owed-months tr[data-month="2022-08"]')).to_contain_text("7,000.00")
    expect(page.locator('#owed-months tr[data-month="2022-09"]')).to_contain_text("161,000.00")
    expect(page.locator('#owed-months tr[data-month="2022-10"]')).to_contain_text("5,600.00")
    expect(page.locator("#owed-total")).to_have_text("179,200.00")
    wages = page.locator('#owed-partial tr[data-item="suspension_wages"]')
    expect(wages).to_contain_text("9/30 日")
    expect(wages).to_contain_text("2,100.00")
    expect(wages).to_contain_text("7,000.00")
    # the window stays in the address: a permalink
    assert "from=2022-08-01" in page.url and "to=2022-11-30" in page.url
    with page.expect_navigation():
        page.click("#lang-switch")
    expect(page.locator("#owed")).to_contain_text("What falls due in the window")
    expect(page.locator('#owed-partial tr[data-item="disability_allowance"]')).to_contain_text("21 of 30 days")
    context.close()
    assert not errors, errors
