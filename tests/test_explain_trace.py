"""The trace schema: documented field by field, versioned, and byte-identical for the same case."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import BASE_GRADE7, run

ROOT = Path(__file__).parents[1]
SCHEMA = ROOT / "explain" / "TRACE_SCHEMA.md"
CASES = [BASE_GRADE7, {**BASE_GRADE7, "work_injury_recognized": False},
         {**BASE_GRADE7, "died": True, "death_date": "2020-07-01", "dependents": [{"relation": "spouse"}]}, {}]


def _documented() -> set[str]:
    """Every field named in the first column of a table of the schema document."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", SCHEMA.read_text(encoding="utf-8"), flags=re.MULTILINE))


def _emitted(data: dict) -> set[str]:
    trace = data["trace"]
    keys = set(trace) | {k for k in data if k not in {"items", "missing_facts", "assumed", "diagnostics", "date", "regime"}}
    for node in trace["nodes"]:
        keys |= set(node)
        stack = [node["terms"]] if "terms" in node else []
        while stack:
            term = stack.pop()
            keys |= set(term)
            stack.extend(term.get("args", []))
        for lookup in node.get("lookups", []):
            keys |= set(lookup)
    for entry in trace["items"]:
        keys |= set(entry)
    for article in trace["articles"]:
        keys |= set(article)
    return keys


def test_every_field_the_trace_emits_is_documented():
    documented = _documented()
    for facts in CASES:
        undocumented = _emitted(run(facts)) - documented
        assert not undocumented, f"trace fields missing from {SCHEMA.name}: {sorted(undocumented)}"


def test_the_schema_is_versioned_in_the_output_and_the_document():
    data = run(BASE_GRADE7)
    assert data["trace"]["schema"] == "lawtrace.trace/1"
    assert "# The trace: `lawtrace.trace/1`" in SCHEMA.read_text(encoding="utf-8")


def test_same_case_gives_byte_identical_json_across_processes(tmp_path: Path):
    case = tmp_path / "case.yaml"
    case.write_text("regime: national\ndate: 2020-06-15\nfacts:\n  disability_grade: 7\n  monthly_wage: 6000\n"
                    "  dependents: [{relation: spouse}, {relation: child, orphan_or_lone_elder: true}]\n", encoding="utf-8")
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for args in (["eval", str(case), "--format", "json"], ["explain", str(case), "dependent_pension", "--format", "html"]):
            proc = subprocess.run([sys.executable, "-m", "lawtrace", *args], check=False, capture_output=True, env=env, cwd=ROOT)
            assert proc.returncode == 0, proc.stderr
            outputs.append((tuple(args[:1]), proc.stdout))
    for kind in {k for k, _ in outputs}:
        assert len({out for k, out in outputs if k == kind}) == 1, f"{kind[0]} output differs between runs"


def test_terms_record_what_was_and_was_not_evaluated():
    nodes = {n["id"]: n for n in run({**BASE_GRADE7, "work_injury_recognized": False})["trace"]["nodes"]}
    terms = nodes["one_time_disability_subsidy.payable"]["terms"]
    assert terms["op"] == "and" and terms["value"] is False
    first, *rest = terms["args"]
    assert first["refs"] == ["work_injury_recognized"] and first["value"] is False
    assert all(t["evaluated"] is False and t["value"] is None for t in rest)  # `false and ...` stops there
    wage = {n["id"]: n for n in run(BASE_GRADE7)["trace"]["nodes"]}["wage_base"]["terms"]
    assert wage["func"] == "clamp" and [a["value"] for a in wage["args"]] == ["6000.00", "4800.00", "24000.00"]
