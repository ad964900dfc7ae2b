"""Unit checks of the column arithmetic against the single-case semantics it must reproduce."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from engine.columns import arrays as C
from engine.columns.arrays import Bool, Date, Num
from engine.law_time.dates import add_years, months_between, years_between


def test_round_half_up_matches_decimal_for_every_denominator_and_sign() -> None:
    rng = random.Random(3)
    for den in (3, 5, 7, 10, 20, 500, 1000, 10**6):
        values = [rng.randint(-10**9, 10**9) for _ in range(2000)] + [k * den // 2 for k in range(-9, 10)]
        col = Num(np.array(values, dtype=np.int64), den, min(values), max(values))
        got = C.round_to(col, 100)
        for v, g in zip(values, got.v):
            want = (Decimal(v) / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            assert Decimal(int(g)) / 100 == want, (v, den)


def test_exact_products_and_comparisons() -> None:
    wage = Num(np.array([480003, 100], dtype=np.int64), 100, 100, 480003)  # 4800.03, 1.00 yuan
    share = C.const_num(Decimal("0.6"))
    product = C.mul(share, wage)
    assert [Decimal(int(v)) / product.den for v in product.v] == [Decimal("2880.018"), Decimal("0.6")]
    assert list(C.compare_num(">", product, C.const_num(Decimal("2880.017"))).v) == [True, False]


def test_three_valued_and_or() -> None:
    t, f = np.array([True, True, False, False, True, False]), np.array([True, False, True, False, False, False])
    a = Bool(np.array([True, False, True, False, True, True]), np.array([True, True, True, True, False, False]))
    b = Bool(np.array([True, True, False, False, True, False]), np.array([True, True, True, True, True, True]))
    conj = C.and_(a, b)
    # a: T F T F ? ?   b: T T F F T F
    assert list(conj.known) == [True, True, True, True, False, True]  # ? and F is F
    assert list(conj.v[conj.known]) == [True, False, False, False, False]
    disj = C.or_(a, b)
    assert list(disj.known) == [True, True, True, True, True, False]  # ? or T is T
    assert list(disj.v[disj.known]) == [True, True, True, False, True]
    assert t.shape == f.shape


def test_if_with_unknown_condition_is_known_only_where_branches_agree() -> None:
    cond = Bool(np.array([True, False, True]), np.array([True, True, False]))
    a = Num(np.array([1, 2, 3]), 1, 1, 3)
    b = Num(np.array([4, 2, 3]), 1, 2, 4)
    out = C.select(cond, a, b)
    assert list(out.v) == [1, 2, 3]
    assert out.known is None or list(out.known) == [True, True, True]
    cond2 = Bool(np.array([True, False, True]), np.array([False, False, False]))
    out2 = C.select(cond2, a, b)
    assert list(out2.known) == [False, True, True]


def test_overflow_is_refused_not_wrapped() -> None:
    big = Num(np.array([1, 4 * 10**18], dtype=np.int64), 1, 1, 4 * 10**18)
    with pytest.raises(C.VectorOverflow) as e:
        C.mul(big, Num(5, 1, 5, 5))
    assert e.value.row == 1


def test_division_by_a_column_is_refused_loudly() -> None:
    a = Num(np.array([1, 2]), 1, 1, 2)
    with pytest.raises(C.VectorUnsupported):
        C.div(a, a, "x", 2)
    half = C.div(a, Num(2, 1, 2, 2), "x", 2)
    assert [Decimal(int(v)) / half.den for v in half.v] == [Decimal("0.5"), Decimal(1)]


def test_calendar_years_match_engine_dates() -> None:
    rng = random.Random(11)
    starts = [date(2000, 2, 29), date(2004, 2, 29), date(2001, 3, 1), date(1999, 12, 31)]
    starts += [date(1950, 1, 1) + timedelta(days=rng.randint(0, 30000)) for _ in range(3000)]
    ends = [date(1950, 1, 1) + timedelta(days=rng.randint(0, 30000)) for _ in starts]
    ends[:4] = [date(2001, 2, 28), date(2005, 3, 1), date(2002, 2, 28), date(2000, 12, 30)]
    n = len(starts)
    a = Date(np.array([d.toordinal() for d in starts]))
    b = Date(np.array([d.toordinal() for d in ends]))
    got = C.years_between(a, b, n)
    assert [int(x) for x in got.v] == [years_between(s, e) for s, e in zip(starts, ends)]
    k = [rng.randint(-30, 30) for _ in starts]
    moved = C.add_years(a, Num(np.array(k), 1, -30, 30), n)
    assert [date.fromordinal(int(x)) for x in moved.v] == [add_years(s, y) for s, y in zip(starts, k)]
    got_months = C.months_between(a, b, n)
    assert [int(x) for x in got_months.v] == [months_between(s, e) for s, e in zip(starts, ends)]
