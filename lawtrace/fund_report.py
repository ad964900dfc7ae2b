"""The fund's accounts for `lawtrace simulate --employers`: the employer population under the regime (and baseline),
its payments beside the fund's outlays of the worker population, and the change in the balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dsl.errors import LawtraceError
from engine.model import ir
from engine.columns.costing import yuan
from engine.columns.fund_accounts import EmployerAccounts, account_lines, employer_accounts, fund_balance
from engine.columns.simulation import Simulation


@dataclass
class FundAccounts:
    reform: EmployerAccounts
    balance: dict[str, object]
    baseline: EmployerAccounts | None = None
    baseline_balance: dict[str, object] | None = None

    def delta(self) -> dict[str, object] | None:
        if self.baseline_balance is None:
            return None
        out: dict[str, object] = {}
        for key in ("fund_outlays", "fund_advances", "employer_payments", "balance_without_ranges"):
            out[key] = _minus(self.balance[key], self.baseline_balance[key])
        for key in ("employer_payments_in_ranges", "balance_with_ranges"):
            now, then = self.balance[key], self.baseline_balance[key]
            out[key] = {"min": _minus(now["min"], then["min"]), "max": _minus(now["max"], then["max"])}  # type: ignore[index]
        return out

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"employers": self.reform.as_json(), "balance": self.balance}
        if self.baseline is not None:
            out["baseline"] = {"employers": self.baseline.as_json(), "balance": self.baseline_balance}
            out["delta"] = self.delta()
        return out

    def lines(self) -> list[str]:
        lines = account_lines(self.reform, self.balance)
        if self.baseline is not None:
            lines.append(f"baseline {self.baseline.regime}:")
            lines += ["  " + x for x in account_lines(self.baseline, self.baseline_balance)]
            d = self.delta()
            assert d is not None
            lines.append(f"change in the fund balance against the baseline: {d['balance_without_ranges']} without the "
                         f"ranges, {d['balance_with_ranges']['min']} to {d['balance_with_ranges']['max']} with them")  # type: ignore[index]
        return lines


def _minus(a: object, b: object) -> str:
    from decimal import Decimal

    return yuan(int((Decimal(str(a)) - Decimal(str(b))) * 100))


def fund_accounts(sim: Simulation, employers: Path, program: ir.Program, baseline: ir.Program | None, on: date | None,
                  as_of: str | None, group_by: str | None, chunk_rows: int, others: frozenset[str]) -> FundAccounts:
    if not employers.exists():
        raise LawtraceError(f"{employers}: no such population file")
    when = None
    if as_of is not None:
        try:
            when = date.fromisoformat(as_of)
        except ValueError:
            raise LawtraceError(f"--as-of {as_of}: expected a date written YYYY-MM-DD") from None
    reform = employer_accounts(program, employers, on, when, group_by, chunk_rows, others)
    out = FundAccounts(reform, fund_balance(sim.totals, reform))
    if baseline is not None and sim.baseline is not None:
        out.baseline = employer_accounts(baseline, employers, on, when, group_by, chunk_rows, others)
        out.baseline_balance = fund_balance(sim.baseline, out.baseline)
    return out
