"""`lawtrace coverage`: rules per article from the program, tests per article measured by the recorder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.analysis.coverage import RECORDING_SCHEMA, coverage
from lawtrace.api import catalog, load_program
from lawtrace.cli import main

ROOT = Path(__file__).resolve().parent.parent
INSIDE_A_COVERAGE_RUN = os.environ.get("LAWTRACE_COVERAGE_RUN") == "1"

DONE_WHEN = (
    [("SIL", "2010", n) for n in (36, 37, 38, 39, 40, 41, 42, 43, 63)]
    + [("WIIR", "2010", n) for n in (14, 15, 16, 17, 30, 32, 33, 34, 35, 36, 37, 38, 39, 41, 42, 62, 64)]
    + [("APM", "2011", n) for n in (4, 5, 6, 8, 13)]
)


def _record(tmp_path: Path, *targets: str, extra_path: str | None = None) -> Path:
    out = tmp_path / "recording.json"
    env = dict(os.environ, LAWTRACE_COVERAGE_RUN="1")
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--lawtrace-coverage={out}", *targets]
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([extra_path, str(ROOT), env.get("PYTHONPATH", "")])
        cmd[4:4] = ["-p", "coverage_recorder", "--rootdir", str(Path(targets[0]).parent)]
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    return out


def _rows(recording: dict[str, set]) -> dict[tuple[str, str, int], object]:
    return {(r.instrument, r.version, r.article): r for r in coverage(catalog(), load_program("national"), recording)}


def test_a_test_counts_only_for_the_articles_its_evaluations_passed_through():
    rows = _rows({"t1": {("WIIR", "2010", 64)}, "t2": {("WIIR", "2010", 64), ("SIL", "2010", 42)}})
    assert rows[("WIIR", "2010", 64)].tests == 2
    assert rows[("SIL", "2010", 42)].tests == 1
    assert rows[("WIIR", "2010", 39)].tests == 0 and rows[("WIIR", "2010", 39)].status == "untested"
    assert "wage_base" in rows[("WIIR", "2010", 64)].rules


def test_every_article_is_listed_and_those_left_out_say_why():
    rows = _rows({})
    assert {("WIIR", "2010", n) for n in range(1, 68)} <= set(rows)
    assert {("APM", "2011", n) for n in range(1, 18)} <= set(rows)
    for key in (("SIL", "2010", 58), ("WIIR", "2010", 9), ("WIIR", "2010", 27), ("APM", "2011", 10), ("APM", "2011", 2)):
        row = rows[key]
        assert row.status == "omitted" and row.omitted and not row.rules, key
    assert "not found" in rows[("APM", "2011", 10)].omitted and rows[("APM", "2011", 10)].text == "unavailable"
    assert rows[("WIIR", "2003", 35)].text == "unavailable" and rows[("WIIR", "2003", 35)].rules
    assert not [k for k, r in rows.items() if r.status == "not_encoded"]


def test_the_recorder_counts_passing_tests_only(tmp_path: Path):
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_two.py").write_text(textwrap.dedent("""
        from lawtrace.api import evaluate_case

        CASE = {"date": "2020-06-15", "facts": {"work_injury_recognized": True, "disability_grade": 7,
                "employer_insured": True, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000}}

        def test_passes():
            assert evaluate_case(CASE).item("one_time_disability_subsidy").amount.value == 78000

        def test_fails():
            assert evaluate_case(CASE).item("one_time_disability_subsidy").amount.value == 1

        def test_evaluates_nothing():
            assert 1 + 1 == 2
    """), encoding="utf-8")
    out = _record(tmp_path, str(suite / "test_two.py"), extra_path=str(ROOT / "tests"))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == RECORDING_SCHEMA
    assert [t.split("::")[-1] for t in data["tests"]] == ["test_passes"]
    articles = {tuple(a) for a in next(iter(data["tests"].values()))}
    assert ("WIIR", "2010", 37) in articles and ("WIIR", "2010", 64) in articles
    # not passed through: the employer is insured, so nothing is advanced or recovered
    assert ("APM", "2011", 13) not in articles and ("WIIR", "2010", 62) not in articles


def test_coverage_reads_a_recording(tmp_path: Path):
    recording = tmp_path / "r.json"
    recording.write_text(json.dumps({"schema": RECORDING_SCHEMA, "tests": {"a::b": [["APM", "2011", 8]]}}), encoding="utf-8")
    out = CliRunner().invoke(main, ["coverage", "--recording", str(recording), "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = {(a["instrument"], a["article"]): a for a in json.loads(out.output)["articles"]}
    assert rows[("APM", 8)]["tests"] == 1 and rows[("APM", 8)]["status"] == "covered"
    assert set(rows[("APM", 8)]) >= {"instrument", "version", "article", "rules", "tests", "status"}
    assert rows[("APM", 12)]["status"] == "omitted" and "not found" in rows[("APM", 12)]["reason"]
    text = CliRunner().invoke(main, ["coverage", "--recording", str(recording)])
    assert text.exit_code == 0 and "art. 8   covered" in text.output and "omitted: text not found" in text.output


@pytest.mark.parametrize("content, expected", [
    ("not json", "not a coverage recording"),
    ('{"tests": {}}', "schema"),
    (json.dumps({"schema": RECORDING_SCHEMA, "tests": {"t": [["WIIR", "x"]]}}), "expected a list of [instrument, version, article]"),
])
def test_a_bad_recording_is_a_clear_error(tmp_path: Path, content: str, expected: str):
    recording = tmp_path / "bad.json"
    recording.write_text(content, encoding="utf-8")
    out = CliRunner().invoke(main, ["coverage", "--recording", str(recording)])
    assert out.exit_code == 1 and expected in out.output and "Traceback" not in out.output
    missing = CliRunner().invoke(main, ["coverage", "--recording", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "no such recording" in missing.output


@pytest.mark.skipif(INSIDE_A_COVERAGE_RUN, reason="already inside a measured run of the suite")
def test_done_when_every_listed_article_has_rules_and_measured_tests():
    done = subprocess.run([sys.executable, "-c", "from lawtrace.cli import main; main()", "coverage", "--regime", "national", "--format", "json",
                           "--tests", "tests/statutes/test_sil.py", "--tests", "tests/statutes/test_wiir.py",
                           "--tests", "tests/statutes/test_apm.py"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    rows = {(a["instrument"], a["version"], a["article"]): a for a in json.loads(done.stdout)["articles"]}
    for key in DONE_WHEN:
        assert rows[key]["rules"] and rows[key]["tests"] > 0 and rows[key]["status"] == "covered", key
