"""A user's own overlay through the CLI: `eval --rules`, `check --rules`, `diff --rules`, and located errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from lawtrace.cli import main

ROOT = Path(__file__).resolve().parent.parent
OVERLAYS = ROOT / "examples" / "overlays"
OVERLAY = OVERLAYS / "fund_advances_employment_subsidy.lt"
CASE = OVERLAYS / "uninsured_grade7_resigned.yaml"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def employment_subsidy(output: str) -> dict:
    return next(i for i in json.loads(output)["items"] if i["id"] == "one_time_employment_subsidy")


def test_the_shipped_overlay_changes_who_advances_the_employment_subsidy():
    before = invoke("eval", str(CASE), "--format", "json")
    after = invoke("eval", str(CASE), "--rules", str(OVERLAY), "--format", "json")
    assert before.exit_code == 0 and after.exit_code == 0, before.output + after.output
    b, a = employment_subsidy(before.output), employment_subsidy(after.output)
    # JS 27(1), grade 7: 45,000; the worker resigned 2022-06-30, 17 years 10 months before 2040-05-01: in full
    assert b["amount"] == a["amount"] == "45000.00"
    assert (b["payer"], b["advance_payer"], b["recover_from"]) == ("employer", None, None)  # APM 8: not advanced
    assert (a["payer"], a["advance_payer"], a["recover_from"]) == ("employer", "fund", "employer")
    assert {"instrument": "MYREFORM", "version": "2024", "article": 1} in a["basis"]


def test_the_overlays_own_regime_can_be_named():
    case = json.dumps({"date": "2021-03-15", "facts": {
        "work_injury_recognized": True, "disability_grade": 7, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000,
        "employer_insured": False, "employer_pays": False, "labor_relation_ended": "worker_resigned",
        "provincial_employment_subsidy": 45000}})
    out = CliRunner().invoke(main, ["eval", "-", "--rules", str(OVERLAY), "--regime", "my_reform", "--format", "json"],
                             input=case)
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["regime"] == "my_reform"
    assert employment_subsidy(out.output)["advance_payer"] == "fund"


def test_check_and_diff_take_the_overlay():
    out = invoke("check", "--regime", "jiangsu", "--rules", str(OVERLAY), "--format", "json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["ok"] is True
    out = invoke("diff", "jiangsu", "jiangsu", "--rules", str(OVERLAY), "--format", "json")
    assert out.exit_code == 0, out.output
    assert "one_time_employment_subsidy.advance_payer" in out.output


def write(tmp_path: Path, body: str, level: str = "level reform") -> Path:
    path = tmp_path / "my_reform.lt"
    path.write_text(f'instrument MINE "我的改革" en "mine" {level}\n  version 2024 in_force 2024-01-01\n'
                    f'article 1 gist """mine"""\n{body}', encoding="utf-8")
    return path


def fails(path: Path, *extra: str) -> str:
    out = subprocess.run([sys.executable, "-m", "lawtrace", "eval", str(CASE), "--rules", str(path), *extra],
                         capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    return out.stderr


def test_a_syntax_error_in_a_users_file_is_located(tmp_path):
    path = write(tmp_path, '  overrides one_time_employment_subsidy.advance_payer amends SIL 41 because "x" = if then\n')
    message = fails(path)
    assert message.startswith(f"{path}:4:86: error:")  # at the `then` that has no condition before it


def test_an_unknown_target_is_located_and_suggests_the_name(tmp_path):
    path = write(tmp_path, '  overrides one_time_employment_subsidy.advance_payr amends SIL 41 because "x" = fund\n')
    message = fails(path)
    assert ":4:3: error: an item's fields are payable, amount, payer, advance_payer, recover_from" in message
    assert "did you mean 'advance_payer'" in message


def test_a_reform_override_without_what_it_amends_is_an_error(tmp_path):
    path = write(tmp_path, '  overrides one_time_employment_subsidy.advance_payer because "x" = fund\n')
    assert ":4:3: error: a reform's override names the provision it proposes to amend" in fails(path)


def test_an_overlay_without_a_level_is_an_error(tmp_path):
    path = write(tmp_path, '  overrides one_time_employment_subsidy.advance_payer amends SIL 41 because "x" = fund\n', level="")
    assert "MINE changes rules of other instruments, so it must declare its level" in fails(path)


def test_a_type_error_in_an_overlay_formula_is_located(tmp_path):
    path = write(tmp_path, '  overrides one_time_employment_subsidy.advance_payer amends SIL 41 because "x" = 3\n')
    message = fails(path)
    assert ":4:" in message and "party" in message


def test_an_unknown_level_is_located(tmp_path):
    path = write(tmp_path, "", level="level provincial")
    message = fails(path)
    assert ":1:" in message and "unknown level 'provincial'" in message and "province" in message


def test_a_missing_rules_file_is_a_clear_error(tmp_path):
    message = fails(tmp_path / "nothing.lt")
    assert "nothing.lt: no such rules file" in message


def test_a_users_city_rule_against_the_law_is_a_warning_and_the_law_prevails(tmp_path):
    path = tmp_path / "my_city.lt"
    path.write_text('instrument MYCITY "我的市" en "my city" level city under WIIR\n'
                    '  version 2024 in_force 2024-01-01\n'
                    'article 9 gist """The fund never advances."""\n'
                    '  overrides fund_item_advance_payer because "no advance here" = none\n', encoding="utf-8")
    out = invoke("check", "--regime", "national", "--rules", str(path))
    assert out.exit_code == 0, out.output
    assert f"{path}:4:3: warning: MYCITY art. 9 (city) contradicts SIL art. 41(1)" in out.output
    case = json.dumps({"date": "2020-06-15", "facts": {
        "work_injury_recognized": True, "disability_grade": 7, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000,
        "employer_insured": False, "employer_pays": False}})
    out = CliRunner().invoke(main, ["eval", "-", "--rules", str(path), "--format", "json"], input=case)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    subsidy = next(i for i in data["items"] if i["id"] == "one_time_disability_subsidy")
    assert subsidy["advance_payer"] == "fund"  # SIL 41(1) prevails
    assert any("MYCITY art. 9 would give fund_item_advance_payer = none" in d["message"] for d in data["diagnostics"])
