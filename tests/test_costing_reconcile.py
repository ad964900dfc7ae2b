"""Reform costing that reconciles (issue 15): the trial's three runs on generated populations.

Each run's figures are checked two ways: the arithmetic of the report (by item, by payer and winners less losers
the same change; each regime's total the common rows plus the rows set apart), and, on a sample, every figure
against the sum of single-case `eval` answers of the same rows, to the fen.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from statutes_population import make_population  # noqa: E402

from dsl import types as T  # noqa: E402
from engine.columns.population import Schema  # noqa: E402
from engine.columns.simulation import Breakdown, simulate  # noqa: E402
from engine.run.case import convert  # noqa: E402
from engine.run.result import evaluate, result_json  # noqa: E402
from lawtrace.api import catalog, evaluator, load_program  # noqa: E402

ADVANCE = (ROOT / "examples/overlays/advance_all.lt",)
MONTHS = (ROOT / "examples/overlays/grade7_15months.lt",)
RUNS = {  # the trial's three runs: reform (with its overlay) against a baseline
    "advance": ("advance_all_js", ADVANCE, "jiangsu"),
    "province": ("jiangsu", (), "national"),
    "months": ("g7up", MONTHS, "national"),
}


def _others() -> frozenset[str]:
    out: set[str] = set()
    for name in catalog().regimes:
        out.update(f.id for f in load_program(name).facts())
    return frozenset(out)


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    schema = Schema.of(*(load_program(r) for r in ("national", "jiangsu")))
    path = tmp_path_factory.mktemp("pop") / "pop.parquet"
    table = make_population(schema, 4000, seed=15)
    # a quarter of the workers' employers uninsured and not paying: the fund advances (SIL 41, APM)
    uninsured = np.arange(table.num_rows) % 4 == 0
    for fact in ("employer_insured", "employer_pays"):
        column = table.column(fact).combine_chunks()
        fixed = pc.if_else(pa.array(uninsured), False, column)
        table = table.set_column(table.column_names.index(fact), fact, fixed)
    pq.write_table(table, path, row_group_size=1000)
    return path


def run(population: Path, name: str, chunk_rows: int = 1000, by: tuple[str, ...] = ()) -> dict:
    regime, rules, baseline = RUNS[name]
    sim = simulate(load_program(regime, rules), population, load_program(baseline), chunk_rows=chunk_rows,
                   other_facts=_others(), breakdown=Breakdown(by=by))
    return sim.as_json()


def D(s: object) -> Decimal:
    return Decimal(str(s))


def assert_reconciles(data: dict) -> None:
    n = data["n"]
    for period, p in data["delta"]["periods"].items():
        change = D(p["change"])
        assert sum(D(v["change"]) for v in p["by_item"].values()) == change
        assert sum(D(v["change"]) for v in p["by_payer"].values()) == change
        assert D(p["gains"]) - D(p["losses"]) == change
        assert D(p["reform"]) - D(p["baseline"]) == change
        assert sum(D(v["reform"]) for v in p["by_item"].values()) == D(p["reform"])
        assert sum(D(v["baseline"]) for v in p["by_payer"].values()) == D(p["baseline"])
        assert p["winners"] + p["losers"] + p["unchanged"] == p["rows_determined_under_both"]
        apart = p["set_apart"]
        assert p["rows_determined_under_both"] + apart["undetermined_under_reform_only"] \
            + apart["undetermined_under_baseline_only"] + apart["undetermined_under_both"] == n
        assert D(p["reform"]) + D(apart["reform_amount"]) == D(p["all_rows"]["reform"]) \
            == D(data["totals"][period]["amount"])
        assert D(p["baseline"]) + D(apart["baseline_amount"]) == D(p["all_rows"]["baseline"]) \
            == D(data["baseline"]["totals"][period]["amount"])
    for side in (data, data["baseline"]):
        for period, t in side["totals"].items():
            assert sum(D(v) for v in t["by_payer"].values()) == D(t["amount"])
            assert sum(D(it["amount"]) for it in side["items"].values() if it["period"] == period) == D(t["amount"])


@pytest.mark.parametrize("name", list(RUNS))
def test_the_trials_runs_reconcile_on_a_generated_population(population: Path, name: str) -> None:
    data = run(population, name)
    assert_reconciles(data)
    assert data["n"] == 4000


def test_a_reform_of_advance_payment_changes_advances_not_payers(population: Path, tmp_path: Path) -> None:
    data = run(population, "advance")
    for period, p in data["delta"]["periods"].items():
        assert all(D(v["change"]) == 0 for v in p["by_payer"].values()), period
        assert all(D(v["change"]) == 0 for v in p["by_item"].values()), period
        assert p["set_apart"]["undetermined_under_reform_only"] == 0
    # the uninsured employer that refuses to pay (examples/uninsured-employer.yaml), at ten wages; no care needed
    # in the suspension period (WIIR 33(3), #14): else that item's payability is open and every row set apart
    case = yaml.safe_load((ROOT / "examples/uninsured-employer.yaml").read_text(encoding="utf-8"))
    facts = {k: v for k, v in case["facts"].items() if not k.startswith("provincial_")}
    rows = [dict(facts, date=case["date"], monthly_wage=5000 + 500 * i, original_monthly_pay=5000 + 500 * i,
                 care_level="none", died=False, needs_care_during_suspension=False)
            for i in range(10)]
    path = tmp_path / "uninsured.parquet"
    pq.write_table(pa.Table.from_pylist([{k: str(v) for k, v in r.items()} for r in rows]), path)
    data = run(path, "advance")
    monthly = data["delta"]["periods"]["monthly"]
    assert all(D(v["change"]) == 0 for v in monthly["by_payer"].values())
    pay = sum(5000 + 500 * i for i in range(10))  # the suspension wages of one month, now advanced by the fund
    assert D(monthly["advanced_by"]["fund"]["change"]) == pay
    assert D(monthly["recovered_from"]["employer"]["change"]) == pay
    assert monthly["rows_determined_under_both"] == 10


def test_an_item_undetermined_in_the_baseline_is_never_zero_in_the_delta(population: Path, tmp_path: Path) -> None:
    """National leaves the one-time medical subsidy's figure to the province: without the province's figure in the
    population, the rows where it is payable are undetermined under national and set apart, never compared as 0."""
    table = pq.read_table(population).drop_columns(["provincial_medical_subsidy"])
    path = tmp_path / "no_figure.parquet"
    pq.write_table(table, path)
    data = run(path, "province")
    once = data["delta"]["periods"]["once"]
    item = once["by_item"]["one_time_medical_subsidy"]
    assert D(item["baseline"]) == 0 and D(item["reform"]) == 0  # compared only where neither regime pays it
    assert data["baseline"]["items"]["one_time_medical_subsidy"]["undetermined_rows"] > 0
    assert D(data["items"]["one_time_medical_subsidy"]["amount"]) > 0  # Jiangsu's figure, on rows set apart
    assert once["set_apart"]["undetermined_under_baseline_only"] > 0
    assert_reconciles(data)


def test_chunks_and_groups_add_up_to_the_totals(population: Path) -> None:
    whole = run(population, "months", chunk_rows=4000, by=("disability_grade", "year"))
    chunked = run(population, "months", chunk_rows=333, by=("disability_grade", "year"))
    assert whole == chunked
    for period, t in whole["totals"].items():
        groups = whole["by"]["groups"]
        assert sum(g["rows"] for g in groups) == whole["n"]
        assert sum(D(g["periods"][period]["amount"]) for g in groups) == D(t["amount"])
        assert sum(D(g["periods"][period]["change"]) for g in groups) == D(whole["delta"]["periods"][period]["change"])
    grade7 = [g for g in whole["by"]["groups"] if g["group"]["disability_grade"] == 7]
    assert sum(D(g["periods"]["once"]["change"]) for g in grade7) == D(whole["delta"]["periods"]["once"]["change"]) > 0


# ---------------------------------------------------------------- against single-case eval, to the fen


def _facts(record: dict, declared: dict[str, T.Type]) -> dict[str, object]:
    facts = {}
    for k, v in record.items():
        if k == "date" or v is None or k not in declared:
            continue
        if isinstance(v, float):
            v = f"{v:.2f}" if isinstance(declared[k], T.MoneyType) else repr(v)
        if isinstance(v, list):
            v = [{a: (b.isoformat() if isinstance(b, date) else b) for a, b in r.items() if b is not None} for r in v]
        facts[k] = convert(v.isoformat() if isinstance(v, date) else v, declared[k], k)
    return facts


def _row_figures(regime: str, rules: tuple[Path, ...], record: dict) -> dict[str, dict]:
    """Per period: determined?, total, by item, by payer, advanced by, recovered from (fen), from `eval`."""
    program = load_program(regime, rules)
    declared = {f.id: f.type for f in program.facts()}
    result = result_json(evaluate(evaluator(regime, rules), _facts(record, declared), record["date"]),
                         include_trace=False)
    out: dict[str, dict] = {}
    for it in result["items"]:
        p = out.setdefault(it["period"], {"determined": True, "total": 0, "items": {}, "payers": {}, "advanced": {},
                                          "recovered": {}})
        counted = it["payable"] is True and it["amount"] is not None
        if not (it["payable"] is False or counted):
            p["determined"] = False
            continue
        fen = int(D(it["amount"]) * 100) if counted else 0
        p["items"][it["id"]] = fen
        p["total"] += fen
        if not counted:
            continue
        if it["parts"] and all(s["amount"] is not None for s in it["parts"]):
            shares = [(s["payer"], int(D(s["amount"]) * 100)) for s in it["parts"]]
        else:  # no parts, or a part's amount open: the whole amount to the item's payer (None: undetermined)
            shares = [(it["payer"] if not it["parts"] else None, fen)]
        for payer, share in shares:
            key = "undetermined" if payer is None else payer
            p["payers"][key] = p["payers"].get(key, 0) + share
        for field, into in (("advance_payer", "advanced"), ("recover_from", "recovered")):
            # null is nobody, or undetermined when the field is listed under `undetermined`
            key = "undetermined" if field in it["undetermined"] else it[field]
            if key is not None:
                p[into][key] = p[into].get(key, 0) + fen
    return out


def _fen(s: object) -> int:
    return int(D(s) * 100)


@pytest.mark.parametrize("name", list(RUNS))
def test_each_run_equals_the_sum_of_single_case_answers_on_a_sample(population: Path, name: str,
                                                                      tmp_path: Path) -> None:
    table = pq.read_table(population)
    rows = sorted(random.Random(name).sample(range(table.num_rows), 120))
    sample = tmp_path / "sample.parquet"
    pq.write_table(table.take(rows), sample)
    data = run(sample, name, chunk_rows=50)
    assert_reconciles(data)
    regime, rules, baseline = RUNS[name]
    records = table.take(rows).to_pylist()
    for period, p in data["delta"]["periods"].items():
        want = {"both": 0, "reform": 0, "baseline": 0, "items": {}, "payers": {}, "advanced": {}, "gains": 0,
                "losses": 0, "reform_only": 0, "apart_reform": 0}
        for record in records:
            r = _row_figures(regime, rules, record).get(period)
            b = _row_figures(baseline, (), record).get(period)
            if r is None or b is None:
                continue
            if r["determined"] and b["determined"]:
                want["both"] += 1
                want["reform"] += r["total"]
                want["baseline"] += b["total"]
                d = r["total"] - b["total"]
                want["gains" if d > 0 else "losses"] += abs(d)
                for side, fig in ((0, r), (1, b)):
                    for key, into in (("items", "items"), ("payers", "payers"), ("advanced", "advanced")):
                        for k, v in fig[key].items():
                            want[into].setdefault(k, [0, 0])[side] += v
            else:
                want["apart_reform"] += r["total"]
                want["reform_only"] += int(b["determined"] and not r["determined"])
        assert p["rows_determined_under_both"] == want["both"], period
        assert (_fen(p["reform"]), _fen(p["baseline"])) == (want["reform"], want["baseline"]), period
        assert (_fen(p["gains"]), _fen(p["losses"])) == (want["gains"], want["losses"]), period
        assert p["set_apart"]["undetermined_under_reform_only"] == want["reform_only"]
        assert _fen(p["set_apart"]["reform_amount"]) == want["apart_reform"]
        got_items = {k: [_fen(v["reform"]), _fen(v["baseline"])] for k, v in p["by_item"].items()}
        assert {k: v for k, v in got_items.items() if v != [0, 0]} == \
            {k: v for k, v in want["items"].items() if v != [0, 0]}, period
        got_payers = {k: [_fen(v["reform"]), _fen(v["baseline"])] for k, v in p["by_payer"].items()}
        assert {k: v for k, v in got_payers.items() if v != [0, 0]} == \
            {k: v for k, v in want["payers"].items() if v != [0, 0]}, period
        got_adv = {k: [_fen(v["reform"]), _fen(v["baseline"])] for k, v in p["advanced_by"].items()}
        assert {k: v for k, v in got_adv.items() if v != [0, 0]} == \
            {k: v for k, v in want["advanced"].items() if v != [0, 0]}, period
