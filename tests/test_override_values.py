"""Small overrides: one table entry or one dated version changed, the rest kept; `check` warns about dropped dates.

The trial's overlay (examples/overlays/grade7_15months.lt) is the worked example; the numbers are WIIR's own
(37(1)(1): 13 months for grade 7, 11 for grade 8; 2003 text 35(1)(1): 12 months) on a wage of 6,000."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from lawtrace.api import evaluate_case
from lawtrace.cli import main

ROOT = Path(__file__).resolve().parent.parent
G7UP = ROOT / "examples" / "overlays" / "grade7_15months.lt"
HEAD = '''\
instrument R "改革" en "a reform" level reform
  version 2026 in_force 2026-01-01
regime r "改革" en "reform" = national + R
article 1 gist """A reform."""
'''


def _case(grade: int, date: str) -> dict:
    return {"regime": "r", "date": date, "facts": {"work_injury_recognized": True, "employer_insured": True,
                                                   "disability_grade": grade, "monthly_wage": 6000,
                                                   "regional_avg_monthly_wage": 8000}}


def _subsidy(rules: Path, grade: int, date: str, regime: str = "r") -> dict:
    from engine.run.result import result_json

    case = _case(grade, date) | {"regime": regime}
    data = result_json(evaluate_case(case, rules=(rules,)), include_trace=False)
    item = next(i for i in data["items"] if i["id"] == "one_time_disability_subsidy")
    return item | {"diagnostics": [d["message"] for d in data["diagnostics"]]}


def _overlay(tmp_path: Path, body: str, name: str = "r.lt") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def _check(path: Path) -> tuple[int, str]:
    out = CliRunner().invoke(main, ["check", "--rules", str(path)])
    return out.exit_code, out.output


def test_the_trials_overlay_is_one_entry_and_keeps_every_other_entry_and_the_2003_text():
    assert _subsidy(G7UP, 7, "2020-06-15", "g7up")["amount"] == "90000.00"  # 6,000 × 15
    assert _subsidy(G7UP, 8, "2020-06-15", "g7up")["amount"] == "66000.00"  # 6,000 × 11: kept
    old = _subsidy(G7UP, 7, "2009-06-15", "g7up")
    assert old["amount"] == "72000.00" and old["diagnostics"] == []  # 6,000 × 12: the 2003 text, kept
    assert {"instrument": "WIIR", "version": "2003", "article": 35, "paragraph": 1, "item": 1} in old["basis"]
    assert _check(G7UP) == (0, "ok: 0 warnings\n")


def test_an_entry_changed_from_a_date_starts_a_version_then_and_changes_the_later_ones(tmp_path):
    path = _overlay(tmp_path, '''\
      overrides disability_subsidy_months[7] = 14 amends WIIR 37(1)(1) because "from 2008 on" from 2008-01-01
    ''')
    assert _subsidy(path, 7, "2007-12-31")["amount"] == "72000.00"  # 6,000 × 12: before the date, the 2003 table
    assert _subsidy(path, 7, "2008-01-01")["amount"] == "84000.00"  # 6,000 × 14
    assert _subsidy(path, 8, "2008-01-01")["amount"] == "60000.00"  # 6,000 × 10: the 2003 table's grade 8
    assert _subsidy(path, 7, "2015-01-01")["amount"] == "84000.00"  # the 2010 table's entry changed too
    assert _subsidy(path, 8, "2015-01-01")["amount"] == "66000.00"  # 6,000 × 11
    undated = _overlay(tmp_path, '''\
      overrides disability_subsidy_months[7] = 14 amends WIIR 37(1)(1) because "always"
    ''', "undated.lt")
    assert _subsidy(undated, 7, "2005-06-01")["amount"] == "84000.00"
    assert _subsidy(undated, 7, "2015-06-01")["amount"] == "84000.00"


def test_two_entries_changed_by_one_instrument(tmp_path):
    path = _overlay(tmp_path, '''\
      overrides disability_subsidy_months[7] = 15 amends WIIR 37(1)(1) because "grade 7" from 2011-01-01
      overrides disability_subsidy_months[8] = 12 amends WIIR 37(1)(1) because "grade 8" from 2011-01-01
    ''')
    assert _check(path) == (0, "ok: 0 warnings\n")
    assert _subsidy(path, 7, "2020-06-15")["amount"] == "90000.00"  # 6,000 × 15
    assert _subsidy(path, 8, "2020-06-15")["amount"] == "72000.00"  # 6,000 × 12
    assert _subsidy(path, 9, "2020-06-15")["amount"] == "54000.00"  # 6,000 × 9: WIIR's
    assert _subsidy(path, 8, "2010-06-15")["amount"] == "60000.00"  # 6,000 × 10: the 2003 table


def test_one_dated_version_of_a_parameter_is_added_and_the_others_kept(tmp_path):
    path = _overlay(tmp_path, '''\
      overrides disability_subsidy_months = {1: 30, 2: 28, 3: 26, 4: 24, 5: 20, 6: 18, 7: 16, 8: 12, 9: 10, 10: 8}
        amends WIIR 35(1)(1), 36(1)(1), 37(1)(1) because "a new table from 2026" from 2026-01-01
    ''')
    assert _subsidy(path, 7, "2026-01-01")["amount"] == "96000.00"  # 6,000 × 16
    assert _subsidy(path, 7, "2025-12-31")["amount"] == "78000.00"  # 6,000 × 13: WIIR's 2010 table kept
    assert _subsidy(path, 7, "2009-06-15")["amount"] == "72000.00"  # 6,000 × 12: the 2003 table kept
    assert _check(path)[0] == 0 and "no version in force" not in _check(path)[1]


def test_restating_a_whole_table_that_drops_the_2004_version_is_warned_about(tmp_path):
    path = _overlay(tmp_path, '''\
      overrides disability_subsidy_months amends WIIR 37(1)(1) because "the trial's first try"
        from 2011-01-01 {1: 27, 2: 25, 3: 23, 4: 21, 5: 18, 6: 16, 7: 15, 8: 11, 9: 9, 10: 7}
    ''')
    code, output = _check(path)
    assert code == 0
    assert (f"{path.name}:5:1: warning: R's override of disability_subsidy_months has no version in force from "
            "2004-01-01 to 2010-12-31, where WIIR's rule had one") in output.replace(str(tmp_path) + "/", "")
    assert "overrides disability_subsidy_months[KEY] = VALUE ... from DATE" in output
    dropped = _subsidy(path, 7, "2009-06-15")  # what the warning is about: the trial's "None yuan"
    assert dropped["amount"] is None and any("「months of wage for the one-time disability subsidy」" in d for d in dropped["diagnostics"])
    data = json.loads(CliRunner().invoke(main, ["check", "--rules", str(path), "--format", "json"]).output)
    assert any("no version in force" in d["message"] for d in data["diagnostics"])


def test_mistakes_in_a_small_override_are_located(tmp_path):
    cases = {
        "overrides wage_base[7] = 15 amends WIIR 64(2) because \"x\"": "'wage_base' is not a parameter",
        "overrides disability_subsidy_months[11] = 15 amends WIIR 37(1)(1) because \"x\"":
            "'disability_subsidy_months' has no entry 11",
        "overrides disability_subsidy_months[7] = 15 amends WIIR 37(1)(1) because \"x\" from 2001-01-01":
            "'disability_subsidy_months' has no version in force on 2001-01-01",
        "overrides disability_subsidy_months[7] = 15% amends WIIR 37(1)(1) because \"x\"": "the value 0.15 is not int",
        "overrides disability_subsidy_months[7] = 15 because \"x\"": "a reform's override names the provision it proposes to amend",
    }
    for n, (line, message) in enumerate(cases.items()):
        path = _overlay(tmp_path, "  " + line + "\n", f"bad{n}.lt")
        code, output = _check(path)
        assert code == 1 and message in output, (line, output)
        assert f"bad{n}.lt:5:" in output, output


def test_the_change_is_recorded_as_an_applied_override_amending_the_provision():
    from lawtrace.api import load_program

    [change] = [c for c in load_program("g7up", (G7UP,)).changes if c.instrument == "G7UP"]
    data = change.as_json()
    assert (data["target"], data["applied"], data["replaces"]["instrument"]) == ("disability_subsidy_months", True, "WIIR")
    assert data["amends"] == [{"instrument": "WIIR", "version": "2010", "article": 37, "paragraph": 1, "item": 1}]
