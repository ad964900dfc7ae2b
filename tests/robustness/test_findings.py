"""Every finding of the robustness probe (December 2026), run on its minimized input (copied into inputs/).

Each input gives a located error (exit 1, the file and line where it has one, the limit named, never a traceback)
or a correct result. The ids are the probe's: F case files, D statute files, P populations (S, the server, are in
test_server.py).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dsl.parser import parse_text
from dsl.source import SourceFile
from lawtrace.cli import main

INPUTS = Path(__file__).with_name("inputs")
CASES, DSL, POP = INPUTS / "cases", INPUTS / "dsl", INPUTS / "pop"
GRADE7 = Path(__file__).resolve().parents[2] / "examples" / "grade7.yaml"


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def refused(result, *words: str) -> str:  # type: ignore[no-untyped-def]
    """The command ended with exit 1 and a message holding every word; never with a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    message = result.stderr
    assert "Traceback" not in message
    for w in words:
        assert w in message, message
    return message


# ---------------------------------------------------------------- case files (F)

REFUSED_CASES = [
    ("F1_date_feb30.yaml", ["F1_date_feb30.yaml:2:7", "2023-02-30 is not a date of the calendar"]),
    ("F2_date_9999.yaml", ["F2_date_9999.yaml:2:1", "outside the dates lawtrace computes with (1900-01-01 to 2199-12-31)"]),
    ("F2c_js_retirement_age_1e12.yaml", [":13:3", "statutory_retirement_age", "largest whole number lawtrace accepts"]),
    ("F3_wage_1e26.yaml", [":8:3", "monthly_wage", "largest amount lawtrace holds exactly (10,000,000,000,000 yuan)"]),
    ("F4_int_4301_digits.yaml", [":8:17", "a number of 4,301 characters is longer than the limit of 40"]),
    ("F5_deep_1000.yaml", [":3:", "nesting depth"]),
    ("F5_deep_1000.json", [":1:77", "nest deeper than the limit of 32 levels"]),
    ("F6_surrogate.json", [":1:35", "Unicode"]),
    ("F7_binary_tag.yaml", [":2:7", "a tag (tag:yaml.org,2002:binary) is not accepted"]),
    ("F8_alias_bomb_7.yaml", [":2:", "alias", "not accepted"]),
    ("F8_alias_bomb_9.yaml", [":2:", "alias", "not accepted"]),
    ("F9_8000_unknown_facts.yaml", [":4:3", "a mapping of 8,000 entries is longer than the limit of 1,000"]),
    ("F11_negative_rate.yaml", [":7:3", "area_base_rate", "-0.5 is out of range: expected 0 to 1"]),
    ("F11b_js_negative_age.yaml", [":12:3", "age", "-100 is out of range: expected 0 to 150"]),
    ("F12_duplicate_key.yaml", [":9:3", "the key 'monthly_wage' is given twice (first on line 8)"]),
]


@pytest.mark.parametrize("name, words", REFUSED_CASES, ids=[n for n, _ in REFUSED_CASES])
@pytest.mark.parametrize("command", ["eval-json", "eval-html", "explain", "ask"])
def test_bad_case_files_are_refused_at_their_place(name: str, words: list[str], command: str) -> None:
    path = CASES / name
    args = {"eval-json": ["eval", path, "--format", "json"], "eval-html": ["eval", path, "--format", "html"],
            "explain": ["explain", path, "one_time_disability_subsidy"], "ask": ["ask", path, "--next"]}[command]
    started = time.perf_counter()
    refused(run(*args), *words)
    assert time.perf_counter() - started < 10  # F8, F9: the bomb and the flood are refused before any work


def test_an_overflowing_date_computation_is_an_error_diagnostic_not_a_crash() -> None:
    """F2b: a billion days of suspension puts the decision's time limit past the calendar: that deadline is
    undetermined, said in an error diagnostic; every other answer stands."""
    out = run("eval", CASES / "F2b_suspended_days_huge.yaml", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    decision = next(d for d in data["deadlines"] if d["id"] == "recognition_decision")
    assert decision["status"] == "undetermined" and decision["due"] is None
    assert any(d["severity"] == "error" and "outside the dates lawtrace computes with" in d["message"]
               for d in decision["diagnostics"])
    subsidy = next(i for i in data["items"] if i["id"] == "one_time_disability_subsidy")
    assert (subsidy["payable"], subsidy["amount"]) == (True, "78000.00")


def test_range_items_are_asked_about_without_a_crash() -> None:
    """F13: the shipped employer example with an undetermined fine (a range item) is asked about."""
    out = run("ask", GRADE7.parent / "employer-guiyang-closure.yaml", "--next", "--format", "json")
    assert out.exit_code == 0, out.output
    questions = json.loads(out.output)["questions"]
    assert questions and questions[0]["fact"] == "arrears"
    assert "fine" in questions[0]["decides"]


@pytest.mark.parametrize("name, field", [("F14_result_bad_basis.json", "items[7].basis[0].article"),
                                         ("F14_result_bad_payable.json", "items[7].payable")])
def test_a_corrupted_saved_result_names_the_field(name: str, field: str) -> None:
    for fmt in ("text", "html"):
        refused(run("explain", CASES / name, "one_time_disability_subsidy", "--format", fmt),
                "the saved result is not as lawtrace writes it", field)


def test_a_saved_result_with_a_figure_that_is_not_an_amount_is_refused(tmp_path: Path) -> None:
    data = json.loads(run("eval", GRADE7, "--format", "json").output)
    data["items"][7]["amount"] = "abc"
    data["trace"]["schema"] = "lawtrace.trace/1"
    bad = tmp_path / "r.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused(run("explain", bad, "one_time_disability_subsidy"), "items[7].amount")
    data["items"][7]["amount"] = "78000.00"
    data["trace"]["schema"] = "lawtrace.trace/99"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused(run("explain", bad, "one_time_disability_subsidy"), "trace.schema")


def test_a_death_in_a_year_whose_figure_is_not_shipped_is_undetermined_and_said() -> None:
    """F15 (audit W3): the death benefit takes the national income of the year before the injury (ORDER13 art. 11):
    an injury of 2026-06-15 needs the 2025 figure, which is not shipped (the series ends with `until 2025-12-31`).
    It is undetermined and said, never the 2024 figure carried forward; so is the funeral grant of a death in 2030,
    which needs the area's wage of 2029 (WIIR 39(1)(1)), not given."""
    data = json.loads(run("eval", CASES / "F15_death_2030.yaml", "--format", "json").output)
    item = next(i for i in data["items"] if i["id"] == "death_benefit")
    assert item["payable"] is True and item["amount"] is None
    assert "national_urban_disposable_income" in item["missing"]
    said = [d["message"] for d in data["diagnostics"] if "national_income_for_deaths" in d["message"]]
    assert said and "no figure is shipped for 2026-06-15" in said[0] and "2025-12-31" in said[0], said
    funeral = next(i for i in data["items"] if i["id"] == "funeral_grant")
    assert funeral["payable"] is True and funeral["amount"] is None and "regional_avg_wages" in funeral["missing"]
    text = run("eval", CASES / "F15_death_2030.yaml", "--lang", "en").output
    assert "None" not in text and "one-time death benefit — payable: amount undetermined (depends on:" in text
    # the last shipped year still counts: an injury of 2025 takes the 2024 figure, 20 x 54,188
    case = yaml.safe_load((CASES / "F15_death_2030.yaml").read_text(encoding="utf-8"))
    case["date"] = "2025-06-15"
    shipped = json.loads(run("eval", "-", "--format", "json", input=json.dumps(case, default=str)).output)
    assert next(i for i in shipped["items"] if i["id"] == "death_benefit")["amount"] == "1083760.00"


def test_an_accident_before_the_regulations_is_refused_with_article_67(tmp_path: Path) -> None:
    case = tmp_path / "c.yaml"
    case.write_text(GRADE7.read_text(encoding="utf-8").replace("2020-06-15", "2003-06-15"), encoding="utf-8")
    refused(run("eval", case), "date", "from 2004-01-01", "(art. 67)", "WIIR art. 67")


def test_the_guiyang_funeral_payer_agrees_between_eval_and_simulate(tmp_path: Path) -> None:
    """P5: eval and simulate --out give the item the same payer. Since the legal audit (Q5, t13a; #14) GY 23's
    crediting of civil compensation has no authority against the national item: the funeral grant stays whole and
    the fund's (before: wholly the third party's part), on both sides.

    The funeral grant takes the area's wage of the year before the death (#13, WIIR 39(1)(1)), so the case gives the
    day of the sudden death (within 48 hours of the onset, the same year): the figure given is that year's."""
    data = json.loads(run("eval", CASES / "P5_guiyang_funeral.yaml", "--format", "json").output)
    item = next(i for i in data["items"] if i["id"] == "funeral_grant")
    assert (item["amount"], item["payer"], item["parts"]) == ("1856.46", "fund", [])
    out = tmp_path / "rows.csv"
    assert run("simulate", "--regime", "guiyang", POP / "P5_guiyang_funeral.csv", "--out", out).exit_code == 0
    import csv

    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert (row["funeral_grant.amount"], row["funeral_grant.payer"]) == ("1856.46", "fund")
    # without the day of the death, which year's wage applies is open: undetermined on both sides, never 1856.46
    case = yaml.safe_load((CASES / "P5_guiyang_funeral.yaml").read_text(encoding="utf-8"))
    del case["facts"]["death_date"]
    data = json.loads(run("eval", "-", "--format", "json", input=json.dumps(case, default=str)).output)
    item = next(i for i in data["items"] if i["id"] == "funeral_grant")
    assert item["payable"] is True and item["amount"] is None and "death_date" in item["missing"]
    undated = tmp_path / "undated.csv"
    with (POP / "P5_guiyang_funeral.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with undated.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, [k for k in rows[0] if k != "death_date"])
        writer.writeheader()
        writer.writerows({k: v for k, v in r.items() if k != "death_date"} for r in rows)
    assert run("simulate", "--regime", "guiyang", undated, "--out", out).exit_code == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert (row["funeral_grant.payable"], row["funeral_grant.amount"]) == ("true", "")


# ---------------------------------------------------------------- statute files (D)

REFUSED_DSL = [
    ("D1_bad_escape.lt", [":3:17", "unknown escape '\\\\x'"]),
    ("D3_article_4301_digits.lt", [":3:9", "at most 15 digits"]),
    ("D3b_table_key_4400_digits_fuzz.lt", ["more digits than lawtrace holds exactly"]),
    ("D4_long_sum_1500.lt", ["deeper than the limit of 250 levels"]),
    ("D5_regime_cycle.lt", ["regime loop_a includes itself: loop_a = loop_b = loop_a"]),
    ("D5b_regime_self.lt", ["regime selfish includes itself"]),
    ("D6_big_multiplier.lt", [":4:", "more digits than lawtrace holds exactly"]),
    ("D6b_big_multiplier_without_authority_fuzz.lt", ["more digits than lawtrace holds exactly"]),
    ("D7b_add_years_overflow.lt", [":4:", "more digits than lawtrace holds exactly"]),
    ("D8_not_utf8.lt", ["not UTF-8 text (byte 18 is 0xff)"]),
    ("D9_amends_nonexistent_article.lt", [":4:55", "WIIR 999 amends an article that WIIR does not have"]),
] + [(p.name, []) for p in sorted(DSL.glob("fuzz_r2_*.lt"))]


@pytest.mark.parametrize("name, words", REFUSED_DSL, ids=[n for n, _ in REFUSED_DSL])
@pytest.mark.parametrize("command", ["check", "eval", "simulate"])
def test_bad_statute_files_are_refused_at_their_place(name: str, words: list[str], command: str) -> None:
    path = DSL / name
    args = {"check": ["check", path], "eval": ["eval", GRADE7, "--rules", path, "--format", "html"],
            "simulate": ["simulate", "--regime", "national", "--rules", path, POP / "P7_ok.parquet"]}[command]
    refused(run(*args), *words)


@pytest.mark.parametrize("piece, tail, kind", [("1 + ", "1", "int"), ("not ", "true", "bool"), ("- ", "1", "int"),
                                               ("if true then 1 else ", "1", "int")])
def test_formulas_up_to_the_depth_limit_are_computed_and_beyond_it_refused(tmp_path: Path, piece: str, tail: str,
                                                                            kind: str) -> None:
    """D4: below the limit the checker, the evaluator and the report all cope; past it, a located refusal."""
    from dsl import bounds

    for depth, ok in ((bounds.MAX_FORMULA_DEPTH - 10, True), (bounds.MAX_FORMULA_DEPTH + 10, False)):
        overlay = tmp_path / f"deep_{depth}.lt"
        overlay.write_text('instrument DEEP "d" level reform\n  version 2024 in_force 2024-01-01\narticle 1 gist "x"\n'
                           f"  value v: {kind} = {piece * depth}{tail}\n"
                           "  overrides one_time_disability_subsidy.payable amends WIIR 37 because \"p\" = overridden and v is known\n",
                           encoding="utf-8")
        out = run("eval", GRADE7, "--rules", overlay, "--format", "html")
        if ok:
            assert out.exit_code == 0, out.output[-500:]
        else:
            refused(out, f"deep_{depth}.lt:4:", f"deeper than the limit of {bounds.MAX_FORMULA_DEPTH} levels")


def test_escapes_are_decoded_without_mojibake() -> None:
    """D2: a string with Chinese and an escape keeps its Chinese."""
    module = parse_text(SourceFile("x.lt", (DSL / "D2_escape_mojibake.lt").read_text(encoding="utf-8")))
    assert module.articles[0].text == "工伤\t保险"
    module = parse_text(SourceFile("x.lt", 'instrument M "m" level reform version 2024 in_force 2024-01-01\n'
                                           'article 1 gist "a \\"b\\" \\u5de5 c\\\\d"'))
    assert module.articles[0].text == 'a "b" 工 c\\d'


def test_a_date_computed_past_the_calendar_is_an_error_diagnostic() -> None:
    """D7: add_days(case_date, 99999999999) in an overlay: the value is undetermined and said, not a crash."""
    out = run("eval", GRADE7, "--rules", DSL / "D7_add_days_overflow.lt", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert any(d["severity"] == "error" and d["message"].startswith("add_days: the result is outside the dates")
               for d in data["diagnostics"])


def test_rules_that_are_not_a_file_and_directories_without_statutes(tmp_path: Path) -> None:
    refused(run("eval", GRADE7, "--rules", "/dev/null"), "not a regular file")
    refused(run("check", tmp_path), "no statute files (*.lt) in this directory")


# ---------------------------------------------------------------- populations (P)

REFUSED_POP = [
    ("P1_float_wage_1e17.parquet", ["row 1, column 'monthly_wage'", "beyond the largest amount"]),
    ("P2_int64max_wage.parquet", ["row 1, column 'monthly_wage'", "9223372036854775807 is beyond the largest amount"]),
    ("P3_deps_deep_json.csv", ["row 1, column 'dependents'", "nest deeper than the limit of 32 levels"]),
    ("P3b_deps_4301_digit_number.csv", ["row 1, column 'dependents'", "longer than the limit of 40"]),
    ("P4_nan_wage.parquet", ["row 1, column 'monthly_wage'", "NaN is not a value"]),
    ("P12_duplicate_column.csv", ["the column 'monthly_wage' is given twice (columns 6 and 8)"]),
]


@pytest.mark.parametrize("name, words", REFUSED_POP, ids=[n for n, _ in REFUSED_POP])
def test_bad_population_files_are_refused_at_their_row(name: str, words: list[str], tmp_path: Path) -> None:
    out = tmp_path / "rows.parquet"
    refused(run("simulate", "--regime", "national", POP / name, "--out", out), *words)
    assert not out.exists() and not list(tmp_path.iterdir())  # nothing half-written
    if name.endswith(".csv") and name.startswith("P3"):
        refused(run("diff", "national", "jiangsu", "--cases", POP / name), *words)


def test_diff_reads_parquet_cases() -> None:
    """P7: `diff --cases` reads the documented Parquet input."""
    out = run("diff", "national", "jiangsu", "--cases", POP / "P7_ok.parquet", "--format", "json")
    assert out.exit_code == 0, out.output
    assert "outcomes" in json.loads(out.output)


def test_simulate_refuses_a_date_past_the_bound_as_eval_does() -> None:
    refused(run("simulate", "--regime", "national", "--date", "9999-12-31", POP / "P7_ok.parquet"),
            "--date 9999-12-31", "outside the dates lawtrace computes with")
