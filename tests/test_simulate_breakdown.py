"""`simulate --by/--variables/--keep`, the per-row advance and recovery columns, the reports in md and html, and
every bad cell of a chunk (issue 15)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from engine.run.result import result_json
from lawtrace.api import evaluate_case
from lawtrace.cli import main
from tests.test_simulate_cli import ROWS, case_of, write_csv


def simulate(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["simulate", *args])
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def pop(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "pop.csv", ROWS)


def test_groups_by_a_fact_and_the_accident_year_add_up(pop: Path) -> None:
    code, out, err = simulate(str(pop), "--regime", "jiangsu", "--baseline", "national", "--by", "disability_grade,year",
                              "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    groups = data["by"]["groups"]
    assert data["by"]["by"] == ["disability_grade", "year"]
    assert sum(g["rows"] for g in groups) == len(ROWS)
    keys = {(g["group"]["disability_grade"], g["group"]["year"]) for g in groups}
    assert (7, 2020) in keys and (9, None) in keys  # row d: no date, a group of its own
    for period, t in data["totals"].items():
        assert sum(Decimal(g["periods"][period]["amount"]) for g in groups) == Decimal(t["amount"])
        assert sum(Decimal(g["periods"][period]["change"]) for g in groups) == \
            Decimal(data["delta"]["periods"][period]["change"])


def test_variables_per_row_and_their_sums_and_means(pop: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.parquet"
    code, stdout, err = simulate(str(pop), "--regime", "national", "--variables", "wage_base,assessed_grade",
                                 "--by", "employer_insured", "--keep", "id,monthly_wage", "--out", str(out),
                                 "--format", "json")
    assert code == 0, err
    data = json.loads(stdout)
    rows = pq.read_table(out).to_pylist()
    bases = [r["wage_base"] for r in rows]
    known = [b for b in bases if b is not None]
    assert data["variables"]["wage_base"]["known_rows"] == len(known) > 0
    assert Decimal(data["variables"]["wage_base"]["sum"]) == sum(known)
    assert rows[0]["wage_base"] == Decimal("6000.00") and rows[0]["assessed_grade"] == 7
    assert [r["id"] for r in rows] == [r["id"] for r in ROWS]
    assert rows[0]["monthly_wage"] == Decimal("6000.00")  # a fact kept as its value (CSV and Parquet alike)
    by_group = {g["group"]["employer_insured"]: g for g in data["by"]["groups"]}
    assert set(by_group) == {True, False, None}  # a fact by its value; an empty cell a group of its own
    assert sum(g["variables"]["wage_base"]["known_rows"] for g in by_group.values()) == len(known)


def test_per_row_advance_and_recovery_columns_match_single_case_answers(pop: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    code, _, err = simulate(str(pop), "--regime", "national", "--out", str(out))
    assert code == 0, err
    import csv

    with out.open(encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    for row, got in zip(ROWS, written):
        result = result_json(evaluate_case(case_of(row), regime="national"), include_trace=False)
        for it in result["items"]:
            if it["payable"] is False:
                continue
            for field in ("advance_payer", "recover_from"):
                assert got[f"{it['id']}.{field}"] == (it[field] or ""), (row["id"], it["id"], field)
    assert "total.once" in written[0] and "total.monthly" in written[0] and "total" not in written[0]


def test_a_column_to_group_by_must_exist(pop: Path) -> None:
    code, _, err = simulate(str(pop), "--regime", "national", "--by", "region")
    assert code == 1 and "no column 'region'" in err
    code, _, err = simulate(str(pop), "--regime", "national", "--variables", "wage_bse")
    assert code == 1 and "wage_bse" in err and "wage_base" in err


@pytest.mark.parametrize("lang, words", [("zh", ["人群测算", "尚不能确定的支付方", "两种规则下均已确定的行", "<svg"]),
                                         ("en", ["Population costing", "undetermined payer",
                                                 "rows determined under both", "<svg"])])
def test_html_and_markdown_reports_are_self_contained_and_reconciled(pop: Path, lang: str, words: list[str]) -> None:
    code, html, err = simulate(str(pop), "--regime", "jiangsu", "--baseline", "national", "--by", "year",
                               "--format", "html", "--lang", lang)
    assert code == 0, err
    assert html.startswith("<!DOCTYPE html>") and "None" not in html
    assert not re.search(r"(src|href)=\"?https?:", html)  # nothing fetched from elsewhere
    for word in words:
        assert word in html, word
    code, md, _ = simulate(str(pop), "--regime", "jiangsu", "--baseline", "national", "--format", "md", "--lang", lang)
    assert code == 0 and md.startswith("# ") and "|---" in md and "None" not in md
    assert ("NOT" not in md) and ("不相符" not in md)


def test_every_bad_cell_of_a_chunk_is_reported(tmp_path: Path) -> None:
    pop = tmp_path / "bad.csv"
    pop.write_text("id,disability_grade,monthly_wage\na,7,100\nb,11,abc\nc,3,200\nd,0,x\n", encoding="utf-8")
    out = tmp_path / "rows.parquet"
    code, stdout, err = simulate(str(pop), "--regime", "national", "--out", str(out))
    assert code == 1 and "Traceback" not in err + stdout
    assert "4 bad cells" in err
    for where in ("row 2, column 'disability_grade'", "row 4, column 'disability_grade'",
                  "row 2, column 'monthly_wage'", "row 4, column 'monthly_wage'"):
        assert where in err, err
    assert not out.exists()
