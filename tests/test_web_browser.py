"""The caseworker's page in a real browser: Playwright drives Debian's Chromium against `lawtrace serve` on loopback.

Skipped, with the reason, where Chromium is missing, except under CI=true, where that is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from web_support import CHROMIUM_ARGS, chromium_or_reason, in_ci, running_server

GRADE7 = [("work_injury_recognized", "true"), ("employer_insured", "true"), ("disability_grade", "7"),
          ("monthly_wage", "6000"), ("regional_avg_monthly_wage", "8000")]


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true: the browser tests must run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    path, reason = chromium_or_reason()
    if path is None:
        _unavailable(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh page; any request that leaves loopback is refused and recorded (the page needs nothing from the internet)."""
    context = browser.new_context(accept_downloads=True)
    outside: list[str] = []

    def only_loopback(route):
        url = urlparse(route.request.url)
        if url.scheme == "file" or url.hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield page
    context.close()
    assert not outside, f"the page asked for resources outside the app: {outside}"
    assert not errors, f"errors in the page: {errors}"


def answer(page, fact: str, value: str) -> None:
    """Answer a question the form asks (it must be asking it), then submit."""
    field = page.locator(f'#questions [name="f.{fact}"]')
    assert field.count() == 1, f"the form does not ask {fact}"
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)
    with page.expect_navigation():
        page.click("#evaluate")


def fill_grade7(page, server: str) -> None:
    page.goto(server + "/")
    page.fill("#date", "2020-06-15")
    with page.expect_navigation():
        page.click("#evaluate")
    for fact, value in GRADE7:
        answer(page, fact, value)


def test_a_grade7_case_filled_in_the_form(page, server):
    from playwright.sync_api import expect

    page.goto(server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#row-one_time_disability_subsidy")).to_contain_text("尚不能确定")  # nothing given: unknown
    fill_grade7(page, server)
    row = page.locator("#row-one_time_disability_subsidy")
    expect(row).to_contain_text("78,000.00")
    expect(row).to_contain_text("应支付")
    expect(row).to_contain_text("工伤保险基金")
    explanation = page.locator("#item-one_time_disability_subsidy")
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("《工伤保险条例》第三十七条")
    # answered facts leave the questions and stay editable among the answers
    for fact, value in GRADE7:
        expect(page.locator(f'#questions [name="f.{fact}"]')).to_have_count(0)
        expect(page.locator(f'#answered [name="f.{fact}"]')).to_have_value(value)
    # the address is the permalink
    again = page.context.new_page()
    again.goto(page.url)
    expect(again.locator("#row-one_time_disability_subsidy")).to_contain_text("78,000.00")
    again.close()


def test_switch_to_english_keeps_the_case(page, server):
    from playwright.sync_api import expect

    fill_grade7(page, server)
    page.fill("#case-notes", "typed, not yet submitted")
    with page.expect_navigation():
        page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    row = page.locator("#row-one_time_disability_subsidy")
    expect(row).to_contain_text("one-time disability subsidy")
    expect(row).to_contain_text("78,000.00")
    expect(row).to_contain_text("payable")
    expect(page.locator("#item-one_time_disability_subsidy")).to_contain_text("WIIR art. 37")
    expect(page.locator("#case-notes")).to_have_value("typed, not yet submitted")
    with page.expect_navigation():
        page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_follow_a_why_not(page, server):
    from playwright.sync_api import expect

    fill_grade7(page, server)
    refused = page.locator("tr:has(td.not_payable) a.why").first
    item = refused.locator("xpath=ancestor::tr").get_attribute("data-item")
    expect(refused).to_have_text("为什么不支付？")
    with page.expect_navigation():
        refused.click()
    assert f"/item/{item}" in page.url
    explanation = page.locator(f"#item-{item}")
    expect(explanation).to_contain_text("不支付的原因")
    expect(explanation.locator("blockquote").first).to_be_visible()  # the article that sets the failed condition, quoted
    with page.expect_navigation():
        page.click("#back")
    expect(page.locator("#row-one_time_disability_subsidy")).to_contain_text("78,000.00")


def test_a_wrong_answer_is_refused_next_to_its_field(page, server):
    from playwright.sync_api import expect

    page.goto(server + "/?date=2020-06-15")
    answer(page, "disability_grade", "11")
    field = page.locator("#fact-disability_grade")
    expect(field.locator("p.error")).to_contain_text("11 is out of range: expected 1 to 10")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#result")).to_have_count(0)  # no answer is shown for a case the engine refused
    page.fill('[name="f.disability_grade"]', "7")
    with page.expect_navigation():
        page.click("#evaluate")
    expect(page.locator("#fact-disability_grade p.error")).to_have_count(0)
    expect(page.locator("#result")).to_be_visible()


def test_hostile_text_is_shown_as_text(page, server):
    from playwright.sync_api import expect

    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    fill_grade7(page, server)
    page.fill("#case-id", hostile)
    page.fill("#case-notes", hostile)
    with page.expect_navigation():
        page.click("#evaluate")
    expect(page.locator("#case-notes")).to_have_value(hostile)
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.locator("#row-one_time_disability_subsidy")).to_contain_text("78,000.00")


def test_download_the_case_file_and_the_report(page, server, tmp_path):
    from playwright.sync_api import expect

    fill_grade7(page, server)
    page.fill("#case-id", "2024-0173")
    with page.expect_navigation():
        page.click("#evaluate")
    with page.expect_download() as download:
        page.click("#download-yaml")
    case = yaml.safe_load(Path(download.value.path()).read_text(encoding="utf-8"))
    assert download.value.suggested_filename == "case-2024-0173.yaml"
    assert case["id"] == "2024-0173" and case["regime"] == "national"
    assert {k: str(v).lower() for k, v in case["facts"].items()} == dict(GRADE7)
    with page.expect_download() as download:
        page.click("#download-report")
    assert download.value.suggested_filename == "report-2024-0173.html"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    report = saved.read_text(encoding="utf-8")
    assert "78,000.00" in report and "《工伤保险条例》第三十七条" in report
    shown = page.context.new_page()
    shown.goto(saved.as_uri())  # the report stands alone: its styles are inline
    expect(shown.locator("h1")).to_be_visible()
    shown.close()
