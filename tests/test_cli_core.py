"""The CLI as a user runs it: eval, check, graph, regimes; user errors exit 1 with a located message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from lawtrace.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "grade7.yaml"


def lawtrace(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lawtrace", *args], capture_output=True, text=True,
                          input=stdin, cwd=ROOT, timeout=120)


def test_eval_json_matches_the_contract_shape():
    out = CliRunner().invoke(main, ["eval", str(EXAMPLE), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert {"regime", "date", "items", "missing_facts", "assumed", "diagnostics", "trace"} <= set(data)
    item = next(i for i in data["items"] if i["id"] == "one_time_disability_subsidy")
    assert set(item) >= {"id", "label", "payable", "amount", "period", "payer", "advance_payer", "recover_from",
                         "parts", "basis", "undetermined", "missing"}
    assert (item["payable"], item["amount"], item["payer"]) == (True, "78000.00", "fund")


def test_eval_reads_stdin_and_command_line_overrides():
    case = json.dumps({"date": "2020-01-01", "facts": {"work_injury_recognized": True, "disability_grade": 7,
                                                      "monthly_wage": 6000, "regional_avg_monthly_wage": 8000}})
    out = CliRunner().invoke(main, ["eval", "-", "--format", "json", "--date", "2009-06-01"], input=case)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["date"] == "2009-06-01"
    assert next(i for i in data["items"] if i["id"] == "one_time_disability_subsidy")["amount"] == "72000.00"


def test_eval_text_in_both_languages():
    zh = CliRunner().invoke(main, ["eval", str(EXAMPLE)])
    en = CliRunner().invoke(main, ["eval", str(EXAMPLE), "--lang", "en"])
    assert "78,000.00 元" in zh.output and "《工伤保险条例》第三十七条第一款第（一）项" in zh.output
    assert "78,000.00 yuan" in en.output and "WIIR art. 37(1)(1)" in en.output


def test_grade_11_exits_1_naming_the_field_without_traceback(tmp_path: Path):
    case = tmp_path / "case.yaml"
    case.write_text("date: 2020-01-01\nfacts:\n  disability_grade: 11\n", encoding="utf-8")
    proc = lawtrace("eval", str(case))
    assert proc.returncode == 1
    assert "case.yaml:3:3" in proc.stderr and "disability_grade" in proc.stderr and "1 to 10" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_unparsable_json_exits_1_with_line_and_column(tmp_path: Path):
    case = tmp_path / "case.json"
    case.write_text('{"facts": {"disability_grade": 7,}}', encoding="utf-8")
    proc = lawtrace("eval", str(case))
    assert proc.returncode == 1
    assert "case.json:1:34" in proc.stderr and "not valid JSON" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_case_file_and_unknown_regime(tmp_path: Path):
    proc = lawtrace("eval", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 1 and "no such case file" in proc.stderr
    proc = lawtrace("eval", str(EXAMPLE), "--regime", "natinal")
    assert proc.returncode == 1 and "unknown regime 'natinal'" in proc.stderr and "national" in proc.stderr


def test_check_passes_on_shipped_statutes():
    proc = lawtrace("check")
    assert proc.returncode == 0, proc.stderr


def test_check_points_at_a_broken_line(tmp_path: Path):
    broken = tmp_path / "wiir.lt"
    lines = (ROOT / "statutes" / "national" / "wiir.lt").read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("= clamp(monthly_wage"))
    lines[target] = lines[target].replace("clamp(monthly_wage,", "clamp(monthly_wage")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = lawtrace("check", str(broken))
    assert proc.returncode == 1
    column = lines[target].index("wage_floor_share") + 1
    assert f"wiir.lt:{target + 1}:{column}" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_json_lists_diagnostics(tmp_path: Path):
    bad = tmp_path / "overlay.lt"
    bad.write_text('instrument U "用户" version 2024 in_force 2024-01-01\narticle 1\n  value v: money = nope\n',
                   encoding="utf-8")
    proc = lawtrace("check", str(bad), "--format", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["ok"] is False
    assert data["diagnostics"][0]["span"]["line"] == 3 and "unknown name 'nope'" in data["diagnostics"][0]["message"]


@pytest.mark.parametrize("fmt", ["dot", "graphml", "mermaid"])
def test_graph_formats(fmt: str):
    out = CliRunner().invoke(main, ["graph", "--format", fmt])
    assert out.exit_code == 0, out.output
    assert "wage_base" in out.output
    if fmt == "graphml":
        g = nx.parse_graphml(out.output)
        assert g.has_edge("wage_base", "one_time_disability_subsidy.amount")


def test_regimes_json():
    out = CliRunner().invoke(main, ["regimes", "--format", "json"])
    data = json.loads(out.output)
    national = next(r for r in data if r["name"] == "national")
    codes = [i["code"] for i in national["instruments"]]
    assert "WIIR" in codes and "SIL" in codes


def test_regimes_from_the_cache_say_what_the_parsed_statutes_say():
    """`regimes` reads the compiled programs (issue 18: no statute parsed); the statutes themselves, parsed, are
    the oracle: every regime, its label, and each instrument's titles, level, parent, versions and file."""
    from lawtrace.api import catalog, regimes

    cat = catalog()
    got = {r["name"]: r for r in regimes()}
    assert sorted(got) == sorted(cat.regimes)
    for name, r in cat.regimes.items():
        assert got[name]["label"] == {"zh": r.labels.zh or name, "en": r.labels.en or name}
        want = []
        for code in cat.expand(name):
            i = cat.instruments[code].instrument
            assert i is not None
            want.append({"code": i.code, "title": {"zh": i.title_zh, "en": i.title_en or i.code}, "level": i.level,
                         "under": i.under, "file": cat.instruments[code].file,
                         "versions": [{"version": v.version, "in_force": v.in_force.isoformat()}
                                      for v in sorted(i.versions, key=lambda v: v.in_force)]})
        assert got[name]["instruments"] == want, name
    assert any(i["level"] for r in got.values() for i in r["instruments"])  # the levels are there, not all None


def test_ir_printer_is_stable(golden):
    from conftest import compile_snippet
    from engine.model.printer import show_program

    program = compile_snippet(
        'article 1 "x"\n  fact g: int 1..10 "等级"\n  fact w: money "工资"\n'
        '  fact drunk: bool "醉酒"\n  presume drunk = false because burden_of_proof cite 19(2) "employer proves"\n'
        '  parameter months: table[int -> int] from 2011-01-01 {1: 27, 7: 13} from 2004-01-01 {1: 24, 7: 12}\n'
        '  value base: money = clamp(w, 60% * w, 300% * w) cite 64(2)\n'
        '  benefit b "补助" once cite 37(1)(1) when g in 7..10, 35(1)(1) when g in 1..4\n'
        '    payable when g in 1..10 and not drunk\n    amount = base * months[g]\n    payer = fund\n')
    text = show_program(program)
    assert "cite T@2010 37(1)(1) when g in 7..10" in text
    golden("ir/snippet.txt", text)
