"""The vectorized evaluator agrees with the single-case one on employer cases: items, range bounds, deadlines' nodes.

Cases come from each regime's own declarations (tests/test_vector_differential.py's generator, which knows no fact
by name), each with a random evaluation date (`as_of`) or none; the employer items (premium, late fee, fines, the
Guiyang closure reserve) are compared row by row, and so are the bounds of the range items and every deadline node.
"""

from __future__ import annotations

import json
import os
import random
import zlib
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from test_vector_differential import Generator, text_table, typed_table

from engine.model import ir
from engine.run.case import convert
from engine.columns.arrays import Date
from engine.run.evaluate import Evaluator
from engine.columns.population import Schema, chunk_from_batch
from engine.run.result import evaluate
from engine.model.values import UNKNOWN
from engine.columns.vector import VectorProgram, row_item
from lawtrace.api import catalog, load_program

CASES = int(os.environ.get("LAWTRACE_DIFFERENTIAL_CASES", "1500")) // 3 or 1


def _party(value: object) -> object:
    return "unknown" if value is UNKNOWN else value


def single(evaluator: Evaluator, program: ir.Program, facts: dict, when: str | None, as_of: date | None,
           kind: str) -> tuple[list[dict], dict[str, object]]:
    values = {k: convert(v, program.nodes[k].type, k) for k, v in facts.items()}
    result = evaluate(evaluator, values, date.fromisoformat(when) if when else None, kind, as_of)
    rows = []
    for it in result.items:
        it = it.whole or it  # the vectorized path judges a monthly item as a whole (its periods: test_streams_vector)
        payable = it.payable.value if it.payable.known else None
        row: dict[str, object] = {"payable": payable}
        if payable is not False:
            row["amount"] = it.amount.value if it.amount.known else None
            for name in ("payer", "advance_payer", "recover_from"):
                row[name] = _party(getattr(it, name).value)
            row["parts"] = [(p.name, p.amount.value if p.amount.known else None, _party(p.payer.value)) for p in it.parts]
        rows.append(row)
    return rows, {name: result.evaluation.get(name) for name in _checked_nodes(program)}


def _checked_nodes(program: ir.Program) -> list[str]:
    """Range bounds and deadline fields: the values no item column carries."""
    names = [node for b in program.benefits if b.is_range for f, node in b.fields.items() if f in ir.RANGE_FIELDS]
    names += [node for d in program.deadlines for node in d.fields.values()]
    return names


def _column_value(col: object, i: int) -> object:
    known = True if col.known is None else bool(col.known[i])  # type: ignore[attr-defined]
    if not known:
        return UNKNOWN
    v = col.v if np.ndim(col.v) == 0 else col.v[i]  # type: ignore[attr-defined]
    if isinstance(col, Date):
        return date.fromordinal(int(v))
    if hasattr(col, "den"):
        return Decimal(int(v)) / col.den
    if hasattr(col, "vocab"):
        return col.vocab[int(v)]
    return bool(v)


def compare(regime: str, kind: str, encoding: str, n: int, seed: int) -> int:
    program = load_program(regime)
    evaluator = Evaluator(program)
    vp = VectorProgram(program, kind)
    schema = Schema.of(program)
    gen = Generator(program, seed)
    rng = random.Random(seed)
    cases = [gen.case() for _ in range(n)]
    as_ofs = [None if rng.random() < 0.2 else date(2003, 6, 1) + timedelta(days=rng.randint(0, 9000)) for _ in cases]
    batch = (text_table if encoding == "text" else typed_table)(schema, cases)
    chunk, _ = chunk_from_batch(schema, batch, f"<{regime} {encoding}>", 0, None)
    ordinals = np.array([d.toordinal() if d else 0 for d in as_ofs], dtype=np.int64)
    chunk.as_of = Date(ordinals, np.array([d is not None for d in as_ofs]), int(ordinals.min()), int(ordinals.max()))
    items = vp.items(chunk)
    names = _checked_nodes(program)
    columns = vp.nodes(chunk, names)
    for i, ((facts, when), as_of) in enumerate(zip(cases, as_ofs)):
        expected, values = single(evaluator, program, facts, when, as_of, kind)
        where = f"{regime} {kind} ({encoding}), case {i}\ndate {when}, as_of {as_of}\nfacts: {json.dumps(facts, ensure_ascii=False)}"
        assert len(items) == len(expected)
        for item, want in zip(items, expected):
            assert row_item(item, i) == want, f"item {item.benefit.id}: {row_item(item, i)} != {want}\n{where}"
        for name in names:
            got, want = _column_value(columns[name], i), values[name].value
            assert got == want, f"node {name}: vector {got} != single {want}\n{where}"
    return n


@pytest.mark.parametrize("encoding", ["text", "typed"])
@pytest.mark.parametrize("regime", sorted(catalog().regimes))
def test_employer_items_and_range_bounds_agree(regime: str, encoding: str) -> None:
    seed = zlib.crc32(f"employer/{regime}/{encoding}".encode())
    assert compare(regime, "employer", encoding, CASES, seed) == CASES


@pytest.mark.parametrize("encoding", ["text", "typed"])
def test_worker_deadlines_agree_node_by_node(encoding: str) -> None:
    seed = zlib.crc32(f"deadlines/{encoding}".encode())
    assert compare("national", "worker", encoding, CASES, seed) == CASES


def test_the_sample_reaches_every_answer_of_the_employer_items() -> None:
    program = load_program("guiyang")
    evaluator = Evaluator(program)
    gen = Generator(program, 11)
    seen: dict[str, set] = {}
    for _ in range(300):
        facts, when = gen.case()
        rows, _ = single(evaluator, program, facts, when, date(2024, 6, 1), "employer")
        for b, row in zip(program.benefits_of("employer"), rows):
            seen.setdefault(b.id, set()).add(row["payable"])
    assert all(len(answers) >= 2 for answers in seen.values()), seen
