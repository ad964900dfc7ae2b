"""`simulate --dask` (issue 16): a partitioned population on a LocalCluster of worker processes gives, field by
field, the single-process result; a worker killed mid-run changes nothing; errors name the partition's file."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

from engine.columns.population import Schema  # noqa: E402
from engine.columns.simulation import Breakdown, simulate  # noqa: E402
from lawtrace import api  # noqa: E402
from lawtrace.cli import main  # noqa: E402
from lawtrace.cluster import simulate_on_cluster  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from statutes_population import make_population  # noqa: E402

PARTS, ROWS = 4, 300


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped regime's facts, about 5 % of each left unknown, in several Parquet files (one of them empty)."""
    schema = Schema.of(*(api.load_program(r) for r in sorted(api.catalog().regimes)))
    table = make_population(schema, PARTS * ROWS, seed=16)
    root = tmp_path_factory.mktemp("dataset") / "pop"
    (root / "year=all").mkdir(parents=True)
    for i in range(PARTS):
        pq.write_table(table.slice(i * ROWS, ROWS), root / "year=all" / f"part-{i}.parquet")
    pq.write_table(table.slice(0, 0), root / "year=all" / "part-9-empty.parquet")
    (root / "_SUCCESS").write_text("")
    return root


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as c:
        yield c


def here(regime: str, population: Path, baseline: str | None = None, **kw) -> dict:
    base = api.load_program(baseline) if baseline else None
    return simulate(api.load_program(regime), population, base, other_facts=api.other_facts(), **kw).as_json()


def there(client, regime: str, population: Path, baseline: str | None = None, **kw) -> dict:
    base = api.load_program(baseline) if baseline else None
    return simulate_on_cluster(client, api.load_program(regime), population, base, other_facts=api.other_facts(),
                               **kw).as_json()


def test_every_regime_on_two_worker_processes_equals_the_single_process_run(client, dataset: Path) -> None:
    for regime in sorted(api.catalog().regimes):
        assert there(client, regime, dataset) == here(regime, dataset), regime
    breakdown = Breakdown(by=("disability_grade", "year"), variables=("wage_base",))
    one = here("jiangsu", dataset, "national", breakdown=breakdown)
    assert there(client, "jiangsu", dataset, "national", breakdown=breakdown) == one
    assert one["n"] == PARTS * ROWS and one["undetermined_rows"] > 0


def test_the_per_row_dataset_is_the_single_process_one_and_complete(client, dataset: Path, tmp_path: Path) -> None:
    there(client, "jiangsu", dataset, "national", out=tmp_path / "rows")
    here("jiangsu", dataset, "national", out=tmp_path / "rows_here")
    cluster_rows = pq.read_table(tmp_path / "rows")
    assert cluster_rows.equals(pq.read_table(tmp_path / "rows_here"))
    assert cluster_rows.column("row").to_pylist() == list(range(1, PARTS * ROWS + 1))
    assert sorted(p.name for p in (tmp_path / "rows").iterdir()) == [f"part-{i:05d}.parquet" for i in range(PARTS)]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_bad_cell_names_the_partition_file_row_and_column_and_nothing_is_written(client, dataset: Path,
                                                                                   tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in sorted((dataset / "year=all").glob("part-[0-2].parquet")):
        (bad / f.name).write_bytes(f.read_bytes())
    table = pq.read_table(bad / "part-1.parquet")
    grades = table.column("disability_grade").to_pylist()
    grades[41] = 12
    table = table.set_column(table.column_names.index("disability_grade"), "disability_grade",
                             pa.array(grades, pa.int64()))
    pq.write_table(table, bad / "part-1.parquet")
    r = CliRunner().invoke(main, ["simulate", str(bad), "--regime", "national", "--out", str(tmp_path / "rows")],
                           obj=None, env=None)
    single = r.stderr
    with pytest.raises(Exception) as e:
        there(client, "national", bad, out=tmp_path / "rows")
    for message in (str(e.value), single):
        assert "part-1.parquet: row 42, column 'disability_grade'" in message, message
    assert not (tmp_path / "rows").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_dask_dataframe_through_the_python_api(client, dataset: Path) -> None:
    frame = dd.read_parquet(sorted(str(p) for p in (dataset / "year=all").glob("part-[0-3].parquet")))
    frame = frame.drop(columns=[c for c in frame.columns if c == "year"])  # the directory's hive key, not a fact
    assert frame.npartitions >= 2
    got = api.simulate(frame, "jiangsu", baseline="national").as_json()
    want = here("jiangsu", dataset, "national")
    for key in ("n", "undetermined_rows", "totals", "items", "delta"):
        assert got[key] == want[key], key


def test_an_unreachable_scheduler_is_one_line_and_exit_1(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import lawtrace.cluster

    monkeypatch.setattr(lawtrace.cluster, "CONNECT_TIMEOUT", "1s")
    r = CliRunner().invoke(main, ["simulate", str(dataset), "--regime", "national", "--dask", "tcp://127.0.0.1:9"])
    assert r.exit_code == 1
    assert r.stderr.startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9") and r.stderr.count("\n") == 1


def test_a_worker_killed_mid_run_is_retried_and_the_result_is_exact(dataset: Path) -> None:
    want = here("national", dataset, "jiangsu")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as c:
        pids = c.run(os.getpid)
        killed: list[int] = []

        def kill_one(rows: int, _: int) -> None:
            if not killed:  # after the first partition is in: the others are running or queued
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        got = simulate_on_cluster(c, api.load_program("national"), dataset, api.load_program("jiangsu"),
                                  progress=kill_one, other_facts=api.other_facts()).as_json()
        assert killed and killed[0] not in c.run(os.getpid).values()  # the nanny started a new process
    assert got == want
