"""`lawtrace simulate --employers`: the fund's accounts, premiums by class, late fees and fines as ranges, the balance.

Worked by hand. Workers (accident 2024-03-01, area average 8,000): w1 grade 7, insured, wage 6,000: the fund's
one-time disability subsidy 13 × 6,000 = 78,000 (WIIR 37(1)(1)); w2 grade 9, uninsured, its employer not paying,
wage 5,000: 9 × 5,000 = 45,000, advanced by the fund and recovered from the employer (SIL 41) nationally, borne by
the fund under the reform "penalty in place of recovery". Employers (June 2024): e1 class 5 at the base tier on
1,000,000: 11,000 (1.1 %); arrears 50,000 due 2024-06-17, paid 2024-07-27: 40 days, 1,000.00; the order's limit
2024-07-15 passed unpaid: a fine of 50,000 to 150,000 (SIL 86). e2 class 1 at up2 on 500,000: 0.2 % × 150 % = 1,500.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lawtrace.cli import main

WORKERS = """id,date,work_injury_recognized,employer_insured,employer_pays,disability_grade,monthly_wage,regional_avg_monthly_wage,died
w1,2024-03-01,true,true,,7,6000,8000,false
w2,2024-03-01,true,false,false,9,5000,8000,false
"""
EMPLOYERS = """id,date,registered,industry_risk_class,rate_tier,area_base_rate,monthly_payroll,arrears,payment_due_date,payment_date,payment_order_deadline
e1,2024-06-01,true,5,base,0.011,1000000,50000,2024-06-17,2024-07-27,2024-07-15
e2,2024-06-01,true,1,up2,0.002,500000,0,,,
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    workers, employers = tmp_path / "workers.csv", tmp_path / "employers.csv"
    workers.write_text(WORKERS, encoding="utf-8")
    employers.write_text(EMPLOYERS, encoding="utf-8")
    return workers, employers


def simulate(*args: str) -> dict:
    out = CliRunner().invoke(main, ["simulate", *args, "--format", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_done_premiums_by_class_late_fees_and_fines_beside_the_outlays(files):
    workers, employers = files
    data = simulate(str(workers), "--regime", "national", "--employers", str(employers))
    items = data["fund_accounts"]["employers"]["items"]
    assert items["premium"]["amount"] == "12500.00"  # 11,000 + 1,500
    assert items["premium"]["by_industry_risk_class"] == {"1": "1500.00", "5": "11000.00"}
    assert items["late_fee"]["amount"] == "1000.00"
    assert items["fine"]["range"] == {"min": "50000.00", "max": "150000.00"}
    assert items["registration_fine"]["payable_rows"] == 0
    balance = data["fund_accounts"]["balance"]
    assert balance["fund_outlays"] == "78000.00" and balance["fund_advances"] == "45000.00"
    assert balance["employer_payments"] == "13500.00"  # 12,500 + 1,000
    assert balance["balance_without_ranges"] == "-64500.00"  # 13,500 − 78,000
    assert balance["balance_with_ranges"] == {"min": "-14500.00", "max": "85500.00"}


def test_a_reform_changes_the_balance_by_what_the_fund_no_longer_recovers(files):
    workers, employers = files
    data = simulate(str(workers), "--regime", "reform_penalty_not_recovery", "--baseline", "national",
                    "--employers", str(employers))
    fa = data["fund_accounts"]
    assert fa["balance"]["fund_outlays"] == "123000.00"  # 78,000 + 45,000 no longer recovered
    assert fa["baseline"]["balance"]["balance_without_ranges"] == "-64500.00"
    assert fa["delta"]["balance_without_ranges"] == "-45000.00"
    assert fa["delta"]["balance_with_ranges"] == {"min": "-45000.00", "max": "-45000.00"}


def test_the_text_report_has_both_sides(files):
    workers, employers = files
    out = CliRunner().invoke(main, ["simulate", str(workers), "--regime", "national", "--employers", str(employers)])
    assert out.exit_code == 0, out.output
    assert "industry_risk_class 5" in out.output and "50000.00 to 150000.00" in out.output
    assert "fund balance: -64500.00 without the ranges, -14500.00 to 85500.00 with them" in out.output


def test_late_fees_of_unpaid_arrears_run_to_the_as_of_date(files, tmp_path: Path):
    workers, _ = files
    employers = tmp_path / "unpaid.csv"
    employers.write_text("date,registered,industry_risk_class,rate_tier,monthly_payroll,arrears,payment_due_date\n"
                         "2024-06-01,true,5,base,1000000,50000,2024-06-17\n", encoding="utf-8")
    items = simulate(str(workers), "--regime", "national", "--employers", str(employers), "--as-of", "2024-07-27")[
        "fund_accounts"]["employers"]["items"]
    assert items["late_fee"]["amount"] == "1000.00"  # 40 days to the evaluation date
    items = simulate(str(workers), "--regime", "national", "--employers", str(employers))["fund_accounts"]["employers"]["items"]
    assert items["late_fee"]["undetermined_rows"] == 1 and items["late_fee"]["amount"] == "0.00"


def test_a_tier_the_class_does_not_have_is_an_undetermined_row_not_a_guess(files, tmp_path: Path):
    workers, _ = files
    employers = tmp_path / "bad-tier.csv"
    employers.write_text("date,industry_risk_class,rate_tier,area_base_rate,monthly_payroll\n"
                         "2024-06-01,1,down2,0.002,1000000\n2024-06-01,2,down2,0.004,1000000\n", encoding="utf-8")
    premium = simulate(str(workers), "--regime", "national", "--employers", str(employers))[
        "fund_accounts"]["employers"]["items"]["premium"]
    assert premium["undetermined_rows"] == 1 and premium["amount"] == "2000.00"  # class 2: 0.4 % × 50 % × 1,000,000


@pytest.mark.parametrize("args, message", [
    (["--employers", "nowhere.csv"], "no such population file"),
    (["--employers-by", "wage_base"], "not a fact"),
    (["--as-of", "2024-13-01"], "expected a date"),
])
def test_bad_employer_options_exit_1_with_a_message(files, args, message):
    workers, employers = files
    full = ["simulate", str(workers), "--regime", "national", "--employers", str(employers), *args]
    out = CliRunner().invoke(main, full)
    assert out.exit_code == 1 and message in out.output and "Traceback" not in out.output
