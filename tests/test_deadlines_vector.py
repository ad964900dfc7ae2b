"""Working days on columns (engine/columns/vector_workdays.py) equal the calendar's own answers (engine/law_time/workdays.py), day by day.

Every day from 2002 to 2028 (years before, inside and after the shipped 2004-2026), with counts of 0 to 12
working days and a few negative or fractional ones: where the single-case path raises MissingYear (or refuses a
negative count) the column is unknown, elsewhere the two give the same date or the same answer.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np

from engine.columns.arrays import Date, Num
from engine.columns.vector_workdays import add_days, add_working_days, first_working_day, is_working_day
from engine.law_time.workdays import MissingYear, calendar

FIRST, LAST = date(2002, 1, 1), date(2028, 12, 31)


def _days() -> list[date]:
    return [FIRST + timedelta(i) for i in range((LAST - FIRST).days + 1)]


def _at(col: object, i: int) -> object:
    known = True if col.known is None else bool(np.broadcast_to(col.known, (len(col.v),))[i])  # type: ignore[attr-defined]
    if not known:
        return None
    v = col.v[i]  # type: ignore[attr-defined]
    return date.fromordinal(int(v)) if isinstance(col, Date) else bool(v)


def _single(f, *args):  # type: ignore[no-untyped-def]
    try:
        return f(*args)
    except (MissingYear, ValueError):
        return None


def test_is_working_day_and_first_working_day_on_every_day():
    days = _days()
    col = Date(np.array([d.toordinal() for d in days], dtype=np.int64))
    working, first = is_working_day(col, len(days)), first_working_day(col, len(days))
    cal = calendar()
    for i, d in enumerate(days):
        assert _at(working, i) == _single(cal.is_working_day, d), d
        assert _at(first, i) == _single(cal.first_working_day, d), d


def test_add_working_days_over_random_days_and_counts():
    rng = random.Random(9)
    days = [rng.choice(_days()) for _ in range(20_000)] + [date(2026, 12, 30), date(2003, 12, 31), date(2024, 9, 30)]
    counts = [rng.choice([0, 1, 2, 3, 5, 10, 12, -1]) for _ in days]
    n = len(days)
    col = Date(np.array([d.toordinal() for d in days], dtype=np.int64))
    out = add_working_days(col, Num(np.array(counts, dtype=np.int64), 1, -1, 12), n)
    cal = calendar()
    for i, (d, k) in enumerate(zip(days, counts)):
        assert _at(out, i) == _single(cal.add_working_days, d, k), (d, k)


def test_whole_days_and_a_count_that_is_not_whole():
    col = Date(np.array([date(2024, 3, 1).toordinal()] * 3, dtype=np.int64))
    out = add_days(col, Num(np.array([30, 300, 3], dtype=np.int64), 10, 3, 300), 3)  # 3.0, 30.0 and 0.3 days
    assert [_at(out, i) for i in range(3)] == [date(2024, 3, 4), date(2024, 3, 31), None]
