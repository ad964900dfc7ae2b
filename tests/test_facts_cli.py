"""`lawtrace facts` (issue 15): the population's schema, and a template that, filled, runs through simulate."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from engine.columns.population import Schema
from lawtrace.api import catalog, load_program
from lawtrace.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from statutes_population import make_population  # noqa: E402


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_every_fact_of_every_shipped_regime_is_listed_with_its_column() -> None:
    code, out, err = cli("facts", "--format", "json")
    assert code == 0, err
    listed = {f["id"]: f for f in json.loads(out)["facts"]}
    for name in catalog().regimes:
        for fact in load_program(name).facts():
            entry = listed[fact.id]
            assert name in entry["regimes"]
            assert entry["label"]["zh"] and entry["label"]["en"]
            assert entry["column"]["parquet"] and entry["column"]["csv"]
    assert listed["disability_grade"]["allowed"] == {"min": 1, "max": 10}
    assert listed["monthly_wage"]["unit"] == "yuan"
    assert [f["name"] for f in listed["dependents"]["fields"]][:1] == ["relation"]
    code, text, _ = cli("facts", "--regime", "jiangsu", "--lang", "en")
    assert code == 0 and "disability_grade" in text and "WIIR art." in text and "None" not in text
    code, zh, _ = cli("facts", "--regime", "national")
    assert "伤残等级" in zh or "等级" in zh


def test_csv_header_is_the_template_columns(tmp_path: Path) -> None:
    code, header, _ = cli("facts", "--regime", "national", "--format", "csv-header")
    assert code == 0
    cli("facts", "--regime", "national", "--template", str(tmp_path / "t.csv"))
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == header
    assert header.startswith("id,date,")


def test_a_filled_template_runs_through_simulate(tmp_path: Path) -> None:
    template = tmp_path / "pop.parquet"
    code, _, err = cli("facts", "--regime", "jiangsu", "--template", str(template))
    assert code == 0, err
    schema = pq.read_schema(template)
    generated = make_population(Schema.of(load_program("jiangsu")), 500, seed=3)
    columns = []
    for field in schema:
        if field.name == "id":
            columns.append(pa.array([f"P{i:04d}" for i in range(500)]))
            continue
        column = generated.column(field.name).combine_chunks()
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        columns.append(column.cast(field.type))
    pq.write_table(pa.Table.from_arrays(columns, schema=schema), template)
    out = tmp_path / "rows.parquet"
    code, stdout, err = cli("simulate", str(template), "--regime", "jiangsu", "--format", "json", "--out", str(out),
                            "--keep", "id")
    assert code == 0, err
    data = json.loads(stdout)
    assert data["n"] == 500 and "ignored_columns" not in data
    assert pq.read_table(out).column("id").to_pylist()[:2] == ["P0000", "P0001"]


def test_a_template_path_of_another_kind_is_refused(tmp_path: Path) -> None:
    code, _, err = cli("facts", "--template", str(tmp_path / "t.xlsx"))
    assert code == 1 and "t.xlsx" in err and ".parquet or .csv" in err
    assert not list(tmp_path.iterdir())
