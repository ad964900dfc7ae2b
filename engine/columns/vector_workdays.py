"""Calendar arithmetic on date columns: whole days, and working days by the official calendar of `engine.law_time.workdays`.

Guarantees: for every row the answer equals the single-case evaluator's
(`engine.run.evaluate`): `add_days(d, n)`, `add_working_days(d, n)` (the n-th working
day after d), `is_working_day(d)`, `first_working_day(d)` (d, or the first
working day after it). A row whose answer needs a day of a year that is not
shipped, or a negative count of working days, is unknown (the single-case path
says why in a diagnostic); no Python loop over rows.
"""

from __future__ import annotations

import numpy as np

from engine.columns.arrays import Bool, Date, Num, both
from engine.law_time.workdays import ordinal_tables


def _rows(v: object, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(v, dtype=np.int64), (n,))


def _whole(count: Num, n: int) -> tuple[np.ndarray, object]:
    """A count column as whole numbers, with the rows where it is not whole marked unknown."""
    v = _rows(count.v, n)
    if count.den == 1:
        return v, count.known
    return v // count.den, both(count.known, v % count.den == 0)


def add_days(d: Date, days: Num, n: int) -> Date:
    k, known = _whole(days, n)
    out = _rows(d.v, n) + k
    return Date(out, both(d.known, known), int(out.min()) if n else None, int(out.max()) if n else None)


def _none(n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool)


def add_working_days(d: Date, count: Num, n: int) -> Date:
    t = ordinal_tables()
    k, known = _whole(count, n)
    known = both(both(d.known, known), k >= 0)
    dv = _rows(d.v, n)
    if t is None:
        return Date(dv, both(known, k == 0), None, None)
    size = t.working.shape[0]
    worked = np.concatenate(([0], t.worked))  # worked[p]: working days on the first p days of the table
    unshipped = np.concatenate(([0], t.unshipped))
    p = dv - t.first + 1  # days of the table up to and including d
    inside = (p >= 0) & (p <= size)
    ps = np.clip(p, 0, size)
    target = worked[ps] + np.maximum(k, 0)
    j = np.searchsorted(t.worked, target, side="left")  # the day on which that many working days are reached
    js = np.clip(j, 0, size - 1)
    found = inside & (j < size) & (unshipped[js + 1] - unshipped[ps] == 0)
    out = np.where(k == 0, dv, np.where(found, js + t.first, dv))
    return Date(out, both(known, (k == 0) | found), int(out.min()) if n else None, int(out.max()) if n else None)


def is_working_day(d: Date, n: int) -> Bool:
    t = ordinal_tables()
    if t is None:
        return Bool(False, _none(n))
    idx = _rows(d.v, n) - t.first
    size = t.working.shape[0]
    inside = (idx >= 0) & (idx < size)
    i = np.clip(idx, 0, size - 1)
    shipped = inside & (t.unshipped[i] - np.where(i > 0, t.unshipped[np.maximum(i - 1, 0)], 0) == 0)
    return Bool(t.working[i] & shipped, both(d.known, shipped))


def first_working_day(d: Date, n: int) -> Date:
    t = ordinal_tables()
    dv = _rows(d.v, n)
    if t is None:
        return Date(dv, _none(n), None, None)
    size = t.working.shape[0]
    idx = dv - t.first
    inside = (idx >= 0) & (idx < size)
    i = np.clip(idx, 0, size - 1)
    before = np.where(i > 0, t.worked[np.maximum(i - 1, 0)], 0)  # working days before d
    unshipped_before = np.where(i > 0, t.unshipped[np.maximum(i - 1, 0)], 0)
    j = np.searchsorted(t.worked, before + 1, side="left")
    js = np.clip(j, 0, size - 1)
    found = inside & (j < size) & (t.unshipped[js] - unshipped_before == 0)
    out = np.where(found, js + t.first, dv)
    return Date(out, both(d.known, found), int(out.min()) if n else None, int(out.max()) if n else None)
