"""`lawtrace simulate` as a user runs it: totals equal the sum of single-case answers, chunks, per-row files, errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from engine.run.result import item_json, result_json
from lawtrace.api import catalog, evaluate_case
from lawtrace.cli import main

ROWS = [
    {"id": "a", "date": "2020-06-15", "work_injury_recognized": "true", "employer_insured": "true", "disability_grade": "7",
     "monthly_wage": "6000", "regional_avg_monthly_wage": "8000"},
    {"id": "b", "date": "2009-05-01", "work_injury_recognized": "true", "employer_insured": "true", "disability_grade": "3",
     "monthly_wage": "1000.01", "regional_avg_monthly_wage": "8000.03", "minimum_wage": "1500", "died": "false"},
    {"id": "c", "date": "2018-06-15", "work_injury_recognized": "true", "employer_insured": "false",
     "employer_pays": "false", "monthly_wage": "5000",
     "regional_avg_monthly_wage": "7000", "died": "true", "death_date": "2018-07-01",
     "dependents": json.dumps([{"relation": "spouse", "orphan_or_lone_elder": False},
                               {"relation": "child", "orphan_or_lone_elder": True}])},
    {"id": "d", "date": "", "disability_grade": "9"},
    {"id": "e", "date": "2024-03-15", "work_injury_recognized": "true", "disability_grade": "5",
     "monthly_wage": "30000", "regional_avg_monthly_wage": "9000", "labor_relation_ended": "worker_resigned",
     "no_suitable_work_arranged": "true", "minimum_wage": "2000"},
]
COLUMNS = ["id", "date", "work_injury_recognized", "employer_insured", "employer_pays", "disability_grade", "monthly_wage", "regional_avg_monthly_wage",
           "minimum_wage", "died", "death_date", "dependents", "labor_relation_ended", "no_suitable_work_arranged"]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in COLUMNS})
    return path


def case_of(row: dict[str, str]) -> dict:
    facts: dict[str, object] = {}
    for k, v in row.items():
        if k in ("id", "date") or v == "":
            continue
        if v in ("true", "false"):
            facts[k] = v == "true"
        elif k == "dependents":
            facts[k] = json.loads(v)
        elif k in ("disability_grade",):
            facts[k] = int(v)
        elif k.endswith("_date") or k in ("labor_relation_ended",):
            facts[k] = v
        else:
            facts[k] = Decimal(v)
    case: dict = {"facts": facts}
    if row.get("date"):
        case["date"] = row["date"]
    return case


def expected_totals(rows: list[dict[str, str]], regime: str) -> tuple[dict[str, Decimal], dict[str, dict[str, Decimal]]]:
    """Sums of single-case answers: an item counts where it is payable with a known amount (whatever else is open),
    its share under its payer or, when the payer is not known, under `undetermined`; periods apart."""
    by_item: dict[str, Decimal] = {}
    by_payer: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        result = evaluate_case(case_of(row), regime=regime)
        for it in (item_json(i.whole or i) for i in result.items):
            by_item.setdefault(it["id"], Decimal(0))
            if it["payable"] is True and it["amount"] is not None:
                amount = Decimal(it["amount"])
                by_item[it["id"]] += amount
                payers = by_payer.setdefault(it["period"], {})
                shares = [(p["payer"], Decimal(p["amount"])) for p in it["parts"]] if it["parts"] \
                    else [(it["payer"], amount)]
                for payer, share in shares:
                    key = payer if payer is not None else "undetermined"
                    payers[key] = payers.get(key, Decimal(0)) + share
    return by_item, by_payer


def by_item_of(data: dict) -> dict[str, Decimal]:
    return {k: Decimal(v["amount"]) for k, v in data["items"].items()}


def simulate(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["simulate", *args])
    return r.exit_code, r.stdout, r.stderr


def test_totals_equal_the_sum_of_single_case_answers(tmp_path: Path) -> None:
    pop = write_csv(tmp_path / "pop.csv", ROWS)
    code, out, err = simulate("--regime", "national", str(pop), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["n"] == len(ROWS)
    by_item, by_payer = expected_totals(ROWS, "national")
    assert by_item_of(data) == by_item
    for period, payers in by_payer.items():
        got = {k: Decimal(v) for k, v in data["totals"][period]["by_payer"].items() if Decimal(v)}
        assert got == {k: v for k, v in payers.items() if v}
        assert sum(got.values()) == Decimal(data["totals"][period]["amount"])
    assert sum(by_item.values()) > 0  # the population reaches real amounts
    assert data["undetermined_rows"] >= 1  # row d has no date and almost no facts


def test_chunks_do_not_change_the_answer(tmp_path: Path) -> None:
    pop = write_csv(tmp_path / "pop.csv", ROWS * 7)
    whole = json.loads(simulate("--regime", "national", str(pop), "--format", "json")[1])
    chunked = json.loads(simulate("--regime", "national", str(pop), "--format", "json", "--chunk-rows", "3")[1])
    assert whole == chunked
    assert whole["n"] == 35


def test_parquet_with_native_lists_and_baseline(tmp_path: Path) -> None:
    table = pa.table({
        "date": pa.array(["2020-06-15", "2018-06-15", "2024-03-15"]).cast(pa.date32()),
        "work_injury_recognized": [True, True, True],
        "employer_insured": [True, True, True],
        "disability_grade": pa.array([7, None, 5], pa.int64()),
        "monthly_wage": pa.array([Decimal("6000.00"), Decimal("5000.00"), Decimal("30000.00")], pa.decimal128(12, 2)),
        "regional_avg_monthly_wage": [8000.0, 7000.0, 9000.0],
        "died": [False, True, False],
        "dependents": pa.array([None, [{"relation": "spouse", "orphan_or_lone_elder": False}], []],
                               pa.list_(pa.struct([("relation", pa.string()), ("orphan_or_lone_elder", pa.bool_())]))),
    })
    path = tmp_path / "pop.parquet"
    pq.write_table(table, path)
    reform = next((r for r in sorted(catalog().regimes) if r != "national"), "national")
    code, out, err = simulate("--regime", reform, "--baseline", "national", str(path), "--format", "json",
                              "--out", str(tmp_path / "rows.parquet"))
    assert code == 0, err
    data = json.loads(out)
    for period, delta in data["delta"]["periods"].items():
        apart = delta["set_apart"]
        assert delta["winners"] + delta["losers"] + delta["unchanged"] + apart["undetermined_under_reform_only"] \
            + apart["undetermined_under_baseline_only"] + apart["undetermined_under_both"] == 3
        assert Decimal(delta["all_rows"]["reform"]) == Decimal(data["totals"][period]["amount"])
        assert Decimal(delta["all_rows"]["baseline"]) == Decimal(data["baseline"]["totals"][period]["amount"])
    rows = pq.read_table(tmp_path / "rows.parquet").to_pylist()
    assert [r["row"] for r in rows] == [1, 2, 3]
    assert rows[0]["one_time_disability_subsidy.amount"] == Decimal("78000.00")
    assert rows[0]["baseline.one_time_disability_subsidy.amount"] == Decimal("78000.00")
    assert rows[0]["one_time_disability_subsidy.payer"] == "fund"
    assert "one_time_disability_subsidy.advance_payer" in rows[0] and "total.once" in rows[0]
    assert rows[0]["delta.once"] is not None or rows[0]["total.once"] is None


def test_per_row_csv_matches_single_case_answers(tmp_path: Path) -> None:
    pop = write_csv(tmp_path / "pop.csv", ROWS)
    out = tmp_path / "rows.csv"
    code, _, err = simulate("--regime", "national", str(pop), "--out", str(out), "--chunk-rows", "2")
    assert code == 0, err
    import csv

    with out.open(encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    assert [r["id"] for r in written] == [r["id"] for r in ROWS]
    for row, got in zip(ROWS, written):
        result = evaluate_case(case_of(row), regime="national")
        # a monthly item as the result gives it: judged in its first period in which it is owed (issue 13)
        for it in (item_json(i) for i in result.items):
            payable = {True: "true", False: "false", None: ""}[it["payable"]]
            assert got[f"{it['id']}.payable"] == payable, (row["id"], it["id"])
            assert got[f"{it['id']}.amount"] == (it["amount"] or ""), (row["id"], it["id"])


def test_date_option_applies_to_every_row(tmp_path: Path) -> None:
    pop = write_csv(tmp_path / "pop.csv", [dict(ROWS[0], date="")])
    code, out, _ = simulate("--regime", "national", str(pop), "--date", "2009-05-01", "--format", "json")
    assert code == 0
    assert json.loads(out)["items"]["one_time_disability_subsidy"]["amount"] == "72000.00"  # 6000 × 12 (2003 text)


@pytest.mark.parametrize("header, cell, message", [
    ("monthly_wag", "100", "column 'monthly_wag': 'monthly_wag' is not a fact of national"),
    ("disability_grade", "11", "row 2, column 'disability_grade': 11 is out of range"),
    ("monthly_wage", "abc", "row 2, column 'monthly_wage': expected an amount in yuan, found 'abc'"),
    ("work_injury_recognized", "yes", "row 2, column 'work_injury_recognized': expected true or false"),
    ("care_level", "ful", "did you mean 'full'"),
    ("dependents", '"[{""relation"": ""wife""}]"', "row 2, column 'dependents.relation': element 0"),
    ("date", "2020-13-01", "row 2, column 'date': expected a date"),
])
def test_bad_input_names_file_row_and_column_and_writes_nothing(tmp_path: Path, header: str, cell: str,
                                                                 message: str) -> None:
    pop = tmp_path / "bad.csv"
    first = {"monthly_wag": "100", "disability_grade": "7", "monthly_wage": "100", "work_injury_recognized": "true",
             "care_level": "full", "dependents": "[]", "date": "2020-01-01"}[header]
    pop.write_text(f"id,{header}\nx,{first}\ny,{cell}\n", encoding="utf-8")
    out = tmp_path / "rows.parquet"
    code, stdout, err = simulate("--regime", "national", str(pop), "--out", str(out), "--chunk-rows", "1")
    assert code == 1
    assert str(pop) in err and message in err, err
    assert "Traceback" not in err + stdout
    assert not out.exists()
    assert not list(tmp_path.glob(".*partial"))


def test_missing_file_and_unknown_regime_exit_1(tmp_path: Path) -> None:
    code, _, err = simulate("--regime", "national", str(tmp_path / "none.csv"))
    assert code == 1 and "no such population file" in err
    pop = write_csv(tmp_path / "pop.csv", ROWS)
    code, _, err = simulate("--regime", "natonal", str(pop))
    assert code == 1 and "national" in err


def test_text_report_lists_payers_and_items(tmp_path: Path) -> None:
    pop = write_csv(tmp_path / "pop.csv", ROWS)
    code, out, _ = simulate("--regime", "national", str(pop), "--baseline", "national", "--lang", "en")
    assert code == 0
    assert "by final payer: the work-injury insurance fund" in out and "one-time disability subsidy" in out.lower()
    assert "winners 0" in out and "losers 0" in out and "NOT" not in out
    code, out, _ = simulate("--regime", "national", str(pop), "--baseline", "national")
    assert "按最终支付方" in out and "尚不能确定" in out and "None" not in out


def test_narrow_integer_and_dictionary_columns(tmp_path: Path) -> None:
    """Parquet int8 keys and dictionary-encoded enums read as the same facts as text."""
    table = pa.table({
        "date": pa.array(["2020-06-15"] * 3).cast(pa.date32()),
        "work_injury_recognized": [True] * 3,
        "employer_insured": [True] * 3,
        "disability_grade": pa.array([7, 10, 1], pa.int8()),
        "monthly_wage": pa.array([6000, 6000, 6000], pa.int16()),
        "regional_avg_monthly_wage": [8000.0] * 3,
        "care_level": pa.array(["none", "full", None]).dictionary_encode(),
    })
    path = tmp_path / "narrow.parquet"
    pq.write_table(table, path)
    code, out, err = simulate("--regime", "national", str(path), "--format", "json")
    assert code == 0, err
    # 6000 × 13 + 6000 × 7 + 6000 × 27 (2010 text)
    assert json.loads(out)["items"]["one_time_disability_subsidy"]["amount"] == "282000.00"


def test_years_gives_the_cash_flow_per_calendar_year_equal_to_single_case_windows(tmp_path: Path) -> None:
    from datetime import date

    from engine.run.owed import owed

    rows = [dict(r, date="2021-03-01") for r in ROWS]
    pop = write_csv(tmp_path / "pop.csv", rows)
    code, out, err = simulate("--regime", "national", str(pop), "--years", "2021..2024", "--format", "json")
    assert code == 0, err
    flows = json.loads(out)["years"]
    assert flows["years"] == [2021, 2022, 2023, 2024] and "upper bounds" in flows["note"]["en"]
    want: dict = {}
    for row in rows:
        result = evaluate_case(case_of(row), regime="national")
        for y in flows["years"]:
            for k, v in owed(result.items, date(y, 1, 1), date(y, 12, 31))["by_item"].items():
                want[(k, str(y))] = want.get((k, str(y)), Decimal(0)) + Decimal(v)
    got = {(k, y): Decimal(v) for k, per in flows["by_item"].items() for y, v in per.items() if Decimal(v)}
    assert got == {k: v for k, v in want.items() if v} and got
    code, text, _ = simulate("--regime", "national", str(pop), "--years", "2021..2024")
    assert code == 0 and "cash flow per calendar year" in text and "upper bounds" in text


def test_years_option_is_checked() -> None:
    code, _, err = simulate("--regime", "national", "missing.csv", "--years", "2030..2025")
    assert code == 1 and "--years 2030..2025" in err
