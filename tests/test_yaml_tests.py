"""`lawtrace test` and the pytest plugin: YAML statute tests run, fail with a readable diff, and are counted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

from lawtrace.cli import main
from lawtrace.testing.spec import read_tests

ROOT = Path(__file__).resolve().parent.parent
GRADE7 = "{work_injury_recognized: true, employer_insured: true, disability_grade: 7, monthly_wage: 6000, regional_avg_monthly_wage: 8000}"


def _write(tmp_path: Path, body: str, name: str = "t.yaml") -> Path:
    folder = tmp_path / "tests"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _run(*args: str):
    return CliRunner().invoke(main, ["test", *args])


def test_the_shipped_yaml_statute_tests_pass():
    out = _run(str(ROOT / "statutes"))
    assert out.exit_code == 0, out.output
    assert "statutes/national/tests/wiir.yaml::art. 37(1)(1), grade 7, 13 months PASSED" in out.output
    assert " failed" not in out.output and "passed in" in out.output


def test_a_wrong_amount_fails_with_expected_and_actual_on_the_line_that_says_it(tmp_path):
    path = _write(tmp_path, f"""\
        regime: national
        tests:
          - name: grade 7 in 2020
            date: 2020-06-15
            facts: {GRADE7}
            expect:
              one_time_disability_subsidy:
                payable: true
                amount: 78001.00   # wrong on purpose: 6,000 × 13 = 78,000
                payer: fund
        """)
    out = _run(str(path))
    assert out.exit_code == 1
    assert f"{path}::grade 7 in 2020 FAILED" in out.output
    assert f"{path}:9: one_time_disability_subsidy.amount\n  - expected: 78001.00\n  + actual:   78000.00" in out.output
    assert "1 failed in" in out.output
    data = json.loads(_run(str(path), "--format", "json").output)
    assert data["summary"]["failed"] == 1 and data["summary"]["passed"] == 0
    assert data["tests"][0]["mismatches"] == [
        {"path": "one_time_disability_subsidy.amount", "expected": 78001.0, "actual": "78000.00", "line": 9}]


def test_basis_missing_assumed_and_diagnostics_are_checked(tmp_path):
    path = _write(tmp_path, f"""\
        regime: national
        date: 2020-06-15
        tests:
          - name: everything as the law gives it
            facts: {GRADE7}
            expect:
              one_time_disability_subsidy: {{basis: [WIIR 37(1)(1), WIIR@2010 64(2)]}}
              care_allowance: {{payable: null, missing: [care_level]}}
              assumed: {{late_application: false}}
              not_assumed: [employer_insured]
              missing_facts: [care_level]
              diagnostics: []
          - name: each kind of expectation wrong
            facts: {GRADE7}
            expect:
              one_time_disability_subsidy: {{basis: [WIIR 36(1)(1)]}}
              care_allowance: {{missing: [disability_grade]}}
              assumed: {{late_application: true}}
              not_assumed: [late_application]
              diagnostics: [a warning that is not there]
        """)
    data = json.loads(_run(str(path), "--format", "json").output)
    first, second = data["tests"]
    assert first["outcome"] == "passed", first
    assert second["outcome"] == "failed"
    paths = [m["path"] for m in second["mismatches"]]
    assert paths == ["one_time_disability_subsidy.basis", "care_allowance.missing", "assumed.late_application",
                     "not_assumed", "diagnostics"]


def test_a_case_file_with_a_date_of_its_own_and_the_2003_text(tmp_path):
    path = _write(tmp_path, f"""\
        tests:
          - name: the example case moved to 2009
            case: {ROOT / 'examples' / 'grade7.yaml'}
            date: 2009-06-15
            expect:
              one_time_disability_subsidy: {{amount: 72000, basis: [WIIR@2003 35(1)(1)]}}   # 6,000 × 12
        """)
    out = _run(str(path))
    assert out.exit_code == 0, out.output


def test_bad_tests_are_located_errors_not_tracebacks(tmp_path):
    path = _write(tmp_path, """\
        regime: national
        tests:
          - name: a misspelt fact
            facts: {disabilty_grade: 7}
            expect: {one_time_disability_subsidy: {payable: true}}
          - name: a misspelt item
            facts: {disability_grade: 7}
            expect: {one_time_disability_subsid: {payable: true}}
          - name: a misspelt field
            facts: {disability_grade: 7}
            expect: {one_time_disability_subsidy: {amont: 1}}
        """)
    out = _run(str(path))
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert f"{path}:4:13: error: facts.disabilty_grade: unknown fact 'disabilty_grade'" in out.output
    assert "did you mean 'disability_grade'" in out.output
    assert f"{path}:8:14: error: no item or deadline 'one_time_disability_subsid'" in out.output
    assert "one_time_disability_subsidy has no field 'amont'; did you mean 'amount'" in out.output
    assert "3 errors in" in out.output


def test_a_malformed_file_is_one_located_error(tmp_path):
    path = _write(tmp_path, """\
        regime: national
        tets:
          - name: x
        """)
    out = _run(str(path))
    assert out.exit_code == 1
    assert f"{path}:2:1: error: tets: unknown field 'tets'" in out.output and "did you mean 'tests'" in out.output
    broken = _write(tmp_path, "tests: [\n", "broken.yaml")
    out = _run(str(broken))
    assert out.exit_code == 1 and "not valid YAML" in out.output and f"{broken}:" in out.output
    assert _run(str(tmp_path / "nowhere")).exit_code == 1


def test_rules_are_relative_to_the_test_file_and_may_be_added_on_the_command_line(tmp_path):
    overlay = tmp_path / "more.lt"
    overlay.write_text(textwrap.dedent("""\
        instrument MORE "多给" en "more" level reform
          version 2024 in_force 2024-01-01
        article 1 gist \"\"\"The one-time disability subsidy doubles.\"\"\"
          overrides one_time_disability_subsidy.amount amends WIIR 37(1)(1) because "a test" = overridden * 2
        """), encoding="utf-8")
    path = _write(tmp_path, f"""\
        rules: ../more.lt
        tests:
          - name: doubled
            date: 2024-06-15
            facts: {GRADE7}
            expect: {{one_time_disability_subsidy: {{amount: 156000.00, basis: [MORE 1]}}}}   # 6,000 × 13 × 2
        """)
    assert _run(str(path)).exit_code == 0, _run(str(path)).output
    plain = _write(tmp_path, path.read_text().replace("rules: ../more.lt\n", ""), "plain.yaml")
    assert _run(str(plain)).exit_code == 1
    assert _run(str(plain), "--rules", str(overlay)).exit_code == 0


def test_read_tests_keeps_the_line_of_every_test():
    tests = read_tests(ROOT / "statutes" / "national" / "tests" / "wiir.yaml")
    assert len(tests) >= 20 and all(t.line > 1 for t in tests)
    assert len({t.name for t in tests}) == len(tests), "each test's name is its id"


def test_pytest_collects_yaml_tests_and_shows_the_same_diff(tmp_path):
    _write(tmp_path, f"""\
        regime: national
        tests:
          - name: right
            date: 2020-06-15
            facts: {GRADE7}
            expect: {{one_time_disability_subsidy: {{amount: 78000.00}}}}
          - name: wrong
            date: 2020-06-15
            facts: {GRADE7}
            expect: {{one_time_disability_subsidy: {{amount: 77000.00}}}}
        """)
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                           str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout
    assert "t.yaml::wrong" in done.stdout and "- expected: 77000.00\n  + actual:   78000.00" in done.stdout


def test_a_refusal_is_expected_with_what_it_must_say(tmp_path):
    path = _write(tmp_path, """\
        regime: national
        kind: employer
        date: 2020-06-01
        tests:
          - name: refused as expected
            facts: {industry_risk_class: 1, rate_tier: down2, monthly_payroll: 1000000}
            expect: {error: facts.rate_tier}
          - name: refused, but not saying that
            facts: {industry_risk_class: 1, rate_tier: down2, monthly_payroll: 1000000}
            expect: {error: [facts.rate_tier, something else]}
          - name: not refused at all
            facts: {industry_risk_class: 1, rate_tier: base, monthly_payroll: 1000000}
            expect: {error: facts.rate_tier}
        """)
    data = json.loads(_run(str(path), "--format", "json").output)
    assert [t["outcome"] for t in data["tests"]] == ["passed", "failed", "failed"]
    assert data["tests"][1]["mismatches"][0]["expected"] == ["something else"]
    assert data["tests"][2]["mismatches"][0] == {"path": "error", "expected": "facts.rate_tier", "actual": None,
                                                 "note": "the case was not refused", "line": 13}


def test_deadlines_are_expected_like_items(tmp_path):
    path = _write(tmp_path, f"""\
        regime: national
        tests:
          - name: the employer's 30 days to apply for recognition (WIIR 17(1))
            date: 2020-06-15
            as_of: 2020-08-01
            facts: {GRADE7}
            expect:
              employer_recognition_application: {{due: 2020-07-15, applies: true}}   # 30 days after 2020-06-15
        """)
    out = _run(str(path))
    assert out.exit_code == 0, out.output


def test_pytest_reports_a_malformed_file_as_a_located_collection_error(tmp_path):
    _write(tmp_path, "regime: national\ntests:\n  - name: no case and no expectations\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                           str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode != 0
    assert "t.yaml:3:5: error: tests[0]: a test needs a `name:`" not in done.stdout  # it has one
    assert "t.yaml:3:5: error: tests[0]: expected `expect:`" in done.stdout, done.stdout
    assert "Traceback" not in done.stdout
