"""Failures of the vectorized path reach the user as messages, never as tracebacks or wrong answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import compile_snippet

from dsl.errors import LawtraceError
from engine.columns.population import PopulationError
from engine.columns.simulation import simulate

SNIPPET = '''
article 1 """test"""
  fact a: money "a" en "a"
  fact b: money "b" en "b"
  fact n: int "n" en "n"
  value ratio: rate "r" en "r" = a / b
  value huge: money "h" en "h" = a * n
  benefit item "项" en "item" once
    payable when a > 0
    amount = PLACEHOLDER
    payer = fund
'''


def program(amount: str):
    return compile_snippet(SNIPPET.replace("PLACEHOLDER", amount))


def test_division_by_a_column_is_refused_with_a_message(tmp_path: Path) -> None:
    pop = tmp_path / "p.csv"
    pop.write_text("date,a,b\n2020-01-01,100,3\n2020-01-01,100,4\n", encoding="utf-8")
    with pytest.raises(LawtraceError) as e:
        simulate(program("a * ratio"), pop)
    assert "cannot be simulated" in str(e.value) and "division" in str(e.value)


def test_division_by_one_number_for_every_row_is_exact(tmp_path: Path) -> None:
    pop = tmp_path / "p.csv"
    pop.write_text("date,a,b\n2020-01-01,100,3\n2020-01-01,0.05,3\n", encoding="utf-8")
    sim = simulate(program("a / 3"), pop)
    assert sim.totals.items["item"].amount == 3333 + 2  # 33.33 and 0.02 (0.0166… half up), in fen


def test_a_value_beyond_int64_names_the_row(tmp_path: Path) -> None:
    pop = tmp_path / "p.csv"
    pop.write_text("date,a,n\n2020-01-01,100,2\n2020-01-01,9000000000000,100000000\n", encoding="utf-8")
    with pytest.raises(PopulationError) as e:
        simulate(program("huge"), pop)
    assert "row 2" in str(e.value) and "int64" in str(e.value)
