"""The vectorized and the single-case evaluators agree exactly, item by item, on random cases of every regime.

Cases are generated from each program's own declarations (no fact names
here): every fact may be absent (unknown), values sit on the boundaries the
statutes use (range edges, amounts at exactly the shares the rules name, dates
at and around every version start), lists have 0 to 4 records with fields that
may be missing. The default run checks a fast sample per regime; the full run
of the issue is

    LAWTRACE_DIFFERENTIAL_CASES=100000 python -m pytest tests/test_vector_differential.py

(the count is per regime and per encoding).
"""

from __future__ import annotations

import json
import os
import random
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import msgspec
import numpy as np
import pyarrow as pa
import pytest

from dsl import bounds
from dsl import types as T
from engine.model import ir
from engine.run.case import convert
from engine.run.evaluate import Evaluator
from engine.columns.population import Schema, chunk_from_batch
from engine.run.result import evaluate
from engine.model.values import UNKNOWN
from engine.columns.vector import VectorProgram, row_item
from lawtrace.api import catalog, load_program

CASES = int(os.environ.get("LAWTRACE_DIFFERENTIAL_CASES", "1500"))
BATCH = 20_000


# ---------------------------------------------------------------- what the statutes use


@dataclass
class Boundaries:
    dates: list[date]
    ints: list[int]
    shares: list[Decimal]


def boundaries(program: ir.Program) -> Boundaries:
    dates: set[date] = set()
    ints: set[int] = {0, 1}
    shares: set[Decimal] = {Decimal(1)}

    def walk(e: object) -> None:
        if isinstance(e, ir.Const):
            if isinstance(e.value, date):
                dates.add(e.value)
            elif isinstance(e.value, Decimal) and not isinstance(e.value, bool):
                if isinstance(e.type, T.RateType):
                    shares.add(e.value)
                elif e.value == e.value.to_integral_value():
                    ints.add(int(e.value))
        elif isinstance(e, ir.Member) and e.low is not None:
            ints.update((e.low - 1, e.low, e.high, e.high + 1))  # type: ignore[operator]
        if isinstance(e, ir.Expr):
            for value in msgspec.structs.astuple(e):
                if isinstance(value, ir.Expr):
                    walk(value)
                elif isinstance(value, tuple):
                    for x in value:
                        walk(x)

    for node in program.nodes.values():
        if isinstance(node, ir.ParamNode):
            for pv in node.versions:
                dates.add(pv.start)
                values = pv.value.values() if isinstance(pv.value, dict) else [pv.value]
                for x in values:
                    if isinstance(x, Decimal) and isinstance(node.type, (T.RateType, T.TableType)):
                        shares.add(x)
                    elif isinstance(x, date):
                        dates.add(x)
            for w in (w for pv in node.versions for w in pv.cite_when):
                walk(w)
        elif isinstance(node, ir.ValueNode):
            for v in node.versions:
                if v.start is not None:
                    dates.add(v.start)
                walk(v.expr)
        elif isinstance(node, ir.FactNode) and node.presumption is not None:
            walk(node.presumption.expr)
    edges = sorted({d + timedelta(days=k) for d in dates for k in (-1, 0, 1)})
    return Boundaries(edges, sorted(ints), sorted(s for s in shares if s > 0))


# ---------------------------------------------------------------- random cases


class Generator:
    """Random raw cases (as a case file writes them) for one program."""

    def __init__(self, program: ir.Program, seed: int):
        self.program = program
        self.rng = random.Random(seed)
        self.b = boundaries(program)
        self.facts = sorted(program.facts(), key=lambda f: f.id)

    def case(self) -> tuple[dict[str, object], str | None]:
        r = self.rng
        absent = r.choice((0.0, 0.1, 0.3, 0.6))
        reference = self._amount()
        facts: dict[str, object] = {}
        for f in self.facts:
            rate = absent * (2.0 if f.presumption is not None else 1.0)
            if r.random() < rate:
                continue
            facts[f.id] = self.value(f.type, reference)
        when = None if r.random() < 0.03 else self._date().isoformat()
        return facts, when

    def _amount(self) -> Decimal:
        return Decimal(self.rng.randint(1000_00, 30000_00)) / 100

    def _date(self) -> date:
        r = self.rng
        if r.random() < 0.5 and self.b.dates:
            return r.choice(self.b.dates)
        return date(2000, 1, 1) + timedelta(days=r.randint(0, 9500))

    def value(self, t: T.Type, reference: Decimal) -> object:
        r = self.rng
        if isinstance(t, T.BoolType):
            return r.random() < 0.5
        if isinstance(t, T.IntType):
            if t.low is not None and t.high is not None and t.high < bounds.INT_MAX:
                return r.choice((t.low, t.high, r.randint(t.low, t.high), r.randint(t.low, t.high)))
            # no range, or only a floor (`int 0..`): the counts a case has, at or above the floor
            n = r.choice((r.choice(self.b.ints), r.randint(0, 70)))
            return n if t.low is None else max(t.low, n)
        if isinstance(t, T.MoneyType):
            pick = r.random()
            if pick < 0.35:
                share = r.choice(self.b.shares)
                exact = (reference * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                return str(max(Decimal(0), exact + r.choice((Decimal(0), Decimal(0), Decimal("0.01"), Decimal("-0.01")))))
            if pick < 0.5:
                return str(reference)
            if pick < 0.55:
                return "0"
            if pick < 0.6:
                return str(Decimal(r.randint(0, 10**9)) / 100)
            return str(self._amount())
        if isinstance(t, T.RateType):
            return str(Decimal(r.randint(0, 1000)) / 1000)
        if isinstance(t, T.DateType):
            return self._date().isoformat()
        if isinstance(t, T.EnumType):
            return r.choice(t.values)
        if isinstance(t, T.ListType):
            records = []
            for _ in range(r.choice((0, 1, 1, 2, 3, 4))):
                records.append({f.name: self.value(f.type, reference) for f in t.fields if r.random() < 0.85})
            return records
        raise AssertionError(f"no generator for {t}")


# ---------------------------------------------------------------- the two paths


def single(evaluator: Evaluator, program: ir.Program, facts: dict[str, object], when: str | None) -> list[dict]:
    values = {k: convert(v, program.nodes[k].type, k) for k, v in facts.items()}
    result = evaluate(evaluator, values, date.fromisoformat(when) if when else None)
    out = []
    for it in result.items:
        it = it.whole or it  # the vectorized path judges a monthly item as a whole (its periods: test_streams_vector)
        payable = it.payable.value if it.payable.known else None
        row: dict[str, object] = {"payable": payable}
        if payable is not False:
            row["amount"] = it.amount.value if it.amount.known else None
            for name in ("payer", "advance_payer", "recover_from"):
                row[name] = _party(getattr(it, name).value)
            row["parts"] = [(p.name, p.amount.value if p.amount.known else None, _party(p.payer.value)) for p in it.parts]
        out.append(row)
    return out


def _party(value: object) -> object:
    return "unknown" if value is UNKNOWN else value


def text_table(schema: Schema, cases: list[tuple[dict, str | None]]) -> pa.RecordBatch:
    """The cases as a CSV reader gives them: every column text."""
    columns: dict[str, pa.Array] = {}
    for name in schema.facts:
        cells = []
        for facts, _ in cases:
            x = facts.get(name)
            cells.append(None if x is None else ("true" if x is True else "false" if x is False
                                                  else json.dumps(x) if isinstance(x, list) else str(x)))
        columns[name] = pa.array(cells, pa.string())
    columns["date"] = pa.array([w for _, w in cases], pa.string())
    return pa.RecordBatch.from_pydict(columns)


def typed_table(schema: Schema, cases: list[tuple[dict, str | None]]) -> pa.RecordBatch:
    """The cases as a Parquet file types them: bool, int64, float64 money, date32, lists of structs."""
    columns: dict[str, pa.Array] = {}
    for name, t in schema.facts.items():
        cells = [facts.get(name) for facts, _ in cases]
        columns[name] = pa.array([_typed(x, t) for x in cells], _arrow_type(t))
    columns["date"] = pa.array([date.fromisoformat(w) if w else None for _, w in cases], pa.date32())
    return pa.RecordBatch.from_pydict(columns)


def _arrow_type(t: T.Type) -> pa.DataType:
    if isinstance(t, T.BoolType):
        return pa.bool_()
    if isinstance(t, T.IntType):
        return pa.int64()
    if isinstance(t, T.MoneyType):
        return pa.float64()
    if isinstance(t, T.RateType):
        return pa.decimal128(18, 6)
    if isinstance(t, T.DateType):
        return pa.date32()
    if isinstance(t, T.ListType):
        return pa.list_(pa.struct([(f.name, _arrow_type(f.type)) for f in t.fields]))
    return pa.string()


def _typed(x: object, t: T.Type) -> object:
    if x is None:
        return None
    if isinstance(t, T.MoneyType):
        return float(x)  # type: ignore[arg-type]
    if isinstance(t, T.RateType):
        return Decimal(str(x))
    if isinstance(t, T.DateType):
        return date.fromisoformat(str(x))
    if isinstance(t, T.ListType):
        return [{f.name: _typed(rec.get(f.name), f.type) for f in t.fields} for rec in x]  # type: ignore[union-attr]
    return x


def compare(regime: str | ir.Program, encoding: str, n: int, seed: int) -> int:
    program = load_program(regime) if isinstance(regime, str) else regime
    regime = program.regime
    evaluator = Evaluator(program)
    vp = VectorProgram(program)
    schema = Schema.of(program)
    gen = Generator(program, seed)
    checked = 0
    for start in range(0, n, BATCH):
        cases = [gen.case() for _ in range(min(BATCH, n - start))]
        batch = (text_table if encoding == "text" else typed_table)(schema, cases)
        chunk, _ = chunk_from_batch(schema, batch, f"<{regime} {encoding}>", start, None)
        items = vp.items(chunk)
        values = vp.nodes(chunk, VALUES[regime]) if regime in VALUES else {}
        for i, (facts, when) in enumerate(cases):
            expected = single(evaluator, program, facts, when)
            if values:
                check_values(evaluator, values, i, facts, when, program)
            for item, want in zip(items, expected):
                got = row_item(item, i)
                assert got == want, (
                    f"{regime} ({encoding}), case {start + i}, item {item.benefit.id}: vector {got} != single {want}\n"
                    f"date: {when}\nfacts: {json.dumps(facts, ensure_ascii=False)}")
            checked += 1
    return checked


# programs with no benefit items are compared node by node
VALUES: dict[str, list[str]] = {}


def check_values(evaluator: Evaluator, values: dict, i: int, facts: dict, when: str | None, program: ir.Program) -> None:
    converted = {k: convert(v, program.nodes[k].type, k) for k, v in facts.items()}
    ev = evaluator.evaluate(converted, date.fromisoformat(when) if when else None)
    for name, col in values.items():
        want = ev.get(name)
        known = True if col.known is None else bool(col.known[i])
        assert known == want.known, (name, i, facts, when)
        if known:
            v = col.v if np.ndim(col.v) == 0 else col.v[i]
            got = (Decimal(int(v)) / col.den) if hasattr(col, "den") else (
                col.vocab[int(v)] if hasattr(col, "vocab") else bool(v))
            assert got == want.value, (name, i, got, want.value, facts, when)


def anchor_program() -> ir.Program:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from openfisca_anchor import compile_rules

    program = compile_rules()
    VALUES[program.regime] = [n.id for n in program.nodes.values()
                              if isinstance(n, ir.ValueNode) and not isinstance(n.type, T.TableType)]
    return program


@pytest.mark.parametrize("encoding", ["text", "typed"])
def test_anchor_rules_agree_node_by_node(encoding: str) -> None:
    """The synthetic benchmark rule set (tables, dated formulas, piecewise payers) agrees on every value node."""
    assert compare(anchor_program(), encoding, max(CASES // 3, 300), seed=5) == max(CASES // 3, 300)


def regimes() -> list[str]:
    return sorted(catalog().regimes)


@pytest.mark.parametrize("encoding", ["text", "typed"])
@pytest.mark.parametrize("regime", regimes())
def test_vector_equals_single_case(regime: str, encoding: str) -> None:
    assert compare(regime, encoding, CASES, seed=zlib.crc32(f"{regime}/{encoding}".encode())) == CASES


def test_generated_cases_reach_every_answer() -> None:
    """The sample is not vacuous: payable true, false and unknown all occur, and amounts are computed."""
    program = load_program("national")
    evaluator = Evaluator(program)
    gen = Generator(program, 7)
    seen: set[object] = set()
    amounts = 0
    for _ in range(400):
        facts, when = gen.case()
        for row in single(evaluator, program, facts, when):
            seen.add(row["payable"])
            amounts += row.get("amount") not in (None,)
    assert seen == {True, False, None}
    assert amounts > 100


@pytest.mark.parametrize("swap", [False, True])
def test_min_max_clamp_of_an_int32_column_and_an_amount_beyond_int32_are_exact(swap: bool) -> None:
    """A column whose bounds fit int32 is held as int32; beside an amount held as one scalar beyond int32 (a
    one-row chunk: 115,260,500.00 yuan = 11,526,050,000 fen) min, max and clamp widen to int64 (NumPy refuses
    the Python int otherwise) and give the exact fen, in either order."""
    from engine.columns import arrays as C

    big = 11_526_050_000
    small = C.Num(np.array([0, 7, -3], dtype=np.int32), 100, -3, 7, None)
    large = C.Num(big, 100, big, big, None)
    pair = (large, small) if swap else (small, large)
    assert C.minimum(*pair).v.tolist() == [0, 7, -3] and C.minimum(*pair).v.dtype == np.int64
    assert C.maximum(*pair).v.tolist() == [big, big, big]
    assert C.clamp(small, C.Num(-1, 100, -1, -1, None), large).v.tolist() == [0, 7, -1]
    assert C.clamp(large, small, C.Num(2 * big, 100, 2 * big, 2 * big, None)).v.tolist() == [big, big, big]
    assert C.clamp(small, C.Num(big, 100, big, big, None), C.Num(2 * big, 100, 2 * big, 2 * big, None)).v.tolist() \
        == [big, big, big]
