"""Columns of three-valued values for the vectorized evaluator, and their exact arithmetic.

Guarantees:

- every column is a value array (or one scalar for all rows) plus a `known`
  mask (`None` when every row is known); a row that is not known is unknown,
  whatever its value slot holds;
- numbers are exact rationals with a denominator fixed per column: `Num.v / Num.den`
  with `v` integer (int32 or int64) and `den` a positive Python int. Money is held
  in fen (den 100) at every money-valued node; a rate such as 60 % is 3/5; a
  product money × rate is exact (den 100 × 5 = 500) until the node that holds it
  is rounded, half up (ties away from zero), exactly as `Decimal.quantize(ROUND_HALF_UP)`
  does on the single-case path;
- every `Num` carries bounds `lo <= v <= hi` over all its rows (unknown rows
  included); an operation whose bound could leave int64 is checked row by row and
  raises `VectorOverflow` naming the row rather than wrapping around.

Division is exact only by a divisor that is one number for the whole chunk;
division by a value that varies by row raises `VectorUnsupported` (the
single-case path divides in 28-digit Decimal, which int64 cannot reproduce).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
Scalar = int | bool | np.integer | np.bool_
Known = np.ndarray | None

INT64_MAX = (1 << 63) - 1
INT32_MAX = (1 << 31) - 1
ORDINAL_EPOCH = 719163  # date(1970, 1, 1).toordinal(): dates are held as ordinals


class VectorUnsupported(Exception):
    """The program uses something the vectorized evaluator cannot reproduce exactly."""


class VectorOverflow(Exception):
    """A value of some row does not fit in int64 (in fen); `row` is its index in the chunk."""

    def __init__(self, message: str, row: int):
        super().__init__(message)
        self.row = row


# ---------------------------------------------------------------- masks


def both(a: Known, b: Known) -> Known:
    """Known where both are known."""
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def all_known(*masks: Known) -> Known:
    out: Known = None
    for m in masks:
        out = both(out, m)
    return out


def is_scalar(v: object) -> bool:
    return type(v) is not np.ndarray or v.ndim == 0  # type: ignore[union-attr]


def where(cond: object, a: object, b: object) -> object:
    """`np.where` for booleans and codes, keeping scalars scalar; a condition that is one value picks a branch."""
    if is_scalar(cond):
        return a if bool(cond) else b
    if a is b:
        return a
    if np.asarray(a).dtype == bool and np.asarray(b).dtype == bool:
        return (cond & a) | (~cond & b)  # type: ignore[operator]
    # codes: small integers, blended in int16 (see `blend`)
    d = np.subtract(a, b, dtype=np.int16)
    d *= cond
    d += b
    return d


def where_wide(cond: object, a: object, b: object) -> object:
    """`where` for dates (ordinals, beyond int16): np.where, keeping scalars scalar."""
    if is_scalar(cond):
        return a if bool(cond) else b
    if a is b:
        return a
    return np.where(cond, a, b)


def blend(cond: object, a: object, b: object, lo: int, hi: int) -> object:
    """where(cond, a, b) for integers by arithmetic: b + cond * (a - b).

    np.where branches per element and is several times slower on a random mask;
    the arithmetic form stays in SIMD. `lo`/`hi` bound a and b, so a - b is widened when it must be.
    """
    if is_scalar(cond):
        return a if bool(cond) else b
    if a is b:
        return a
    if is_scalar(b) and int(b) == 0:  # type: ignore[call-overload]
        return np.multiply(cond, a, dtype=_dtype_for(lo, hi)) if is_scalar(a) else a * cond  # type: ignore[operator]
    if is_scalar(a) and int(a) == 0:  # type: ignore[call-overload]
        return b * ~cond  # type: ignore[operator]
    span = max(abs(hi - lo), abs(lo), abs(hi))
    d = _widen(a, -span, span) - _widen(b, -span, span)  # type: ignore[operator]
    if is_scalar(d):
        d = np.multiply(cond, d, dtype=_dtype_for(-span, span))
    else:
        d *= cond
    d += b
    return d


def where_known(cond: object, a: Known, b: Known) -> Known:
    if a is None and b is None:
        return None
    if is_scalar(cond):
        return a if bool(cond) else b
    return where(cond, True if a is None else a, True if b is None else b)


def take_known(k: Known, index: Array) -> Known:
    return None if k is None else k[index]


# ---------------------------------------------------------------- columns
# Columns are never changed once made (each operation makes a new one); they are plain slotted
# classes rather than frozen ones because a frozen dataclass is several times slower to construct,
# and one is constructed per array operation.


@dataclass(slots=True)
class Bool:
    v: object  # bool array or scalar
    known: Known = None

    def gather(self, index: Array) -> Bool:
        return Bool(self.v if is_scalar(self.v) else self.v[index], take_known(self.known, index))


@dataclass(slots=True)
class Codes:
    """An enum or a party: small integer codes into `vocab`."""

    v: object
    vocab: tuple[str, ...]
    known: Known = None

    def gather(self, index: Array) -> Codes:
        return Codes(self.v if is_scalar(self.v) else self.v[index], self.vocab, take_known(self.known, index))


@dataclass(slots=True)
class Date:
    """Dates as proleptic Gregorian ordinals (`date.toordinal()`)."""

    v: object
    known: Known = None
    lo: int | None = None
    hi: int | None = None

    def gather(self, index: Array) -> Date:
        return Date(self.v if is_scalar(self.v) else self.v[index], take_known(self.known, index), self.lo, self.hi)


@dataclass(slots=True)
class Num:
    """An exact rational per row: v / den, with lo <= v <= hi for every row."""

    v: object
    den: int
    lo: int
    hi: int
    known: Known = None

    def gather(self, index: Array) -> Num:
        return Num(self.v if is_scalar(self.v) else self.v[index], self.den, self.lo, self.hi,
                   take_known(self.known, index))

    @property
    def nonneg(self) -> bool:
        return self.lo >= 0


@dataclass(slots=True)
class Records:
    """A list fact: per row a known flag and a run of elements; element fields as columns of their own.

    `offsets` has n + 1 entries: row i owns elements offsets[i]:offsets[i+1];
    `row_of` maps each element to its row. A row whose list is unknown owns none.
    """

    offsets: Array
    row_of: Array
    fields: dict[str, object]  # name → Bool | Codes | Date | Num over elements
    known: Known = None
    max_len: int = 0

    def gather(self, index: Array) -> Records:  # pragma: no cover - lists are not nested
        raise VectorUnsupported("a list inside a list cannot be vectorized")


Col = Bool | Codes | Date | Num | Records


def const_num(value: object) -> Num:
    """A Decimal (or int) constant as an exact rational."""
    n, d = value.as_integer_ratio()  # type: ignore[union-attr]
    return Num(int(n), int(d), int(n), int(n))


# ---------------------------------------------------------------- integer helpers


def _bound(lo: int, hi: int) -> int:
    return max(abs(lo), abs(hi))


def _dtype_for(lo: int, hi: int) -> np.dtype:
    return np.dtype(np.int32) if -INT32_MAX <= lo and hi <= INT32_MAX else np.dtype(np.int64)


def narrowest(lo: int, hi: int) -> np.dtype:
    """int32 when every value fits, else int64: half the memory traffic where the bounds allow."""
    return _dtype_for(lo, hi)


_INT64, _INT32 = np.dtype(np.int64), np.dtype(np.int32)


def _widen(v: object, lo: int, hi: int) -> object:
    """The array as a dtype wide enough to hold [lo, hi] (scalars stay Python ints)."""
    if type(v) is not np.ndarray:
        return int(v)  # type: ignore[call-overload]
    dt = v.dtype
    if dt is _INT64 or dt == _INT64:
        return v
    if dt == _INT32 and -INT32_MAX <= lo and hi <= INT32_MAX:
        return v
    return v.astype(np.int64)


def _check(lo: int, hi: int, compute_float: object, what: str) -> None:
    """Raise VectorOverflow when the exact bound leaves int64 and some row really does."""
    if -INT64_MAX <= lo and hi <= INT64_MAX:
        return
    approx = compute_float()  # type: ignore[operator]
    bad = np.flatnonzero(np.abs(np.atleast_1d(approx)) >= 9.2e18)
    if bad.size:
        raise VectorOverflow(f"{what}: a value too large to compute exactly in int64", int(bad[0]))


def _float(v: object) -> object:
    return float(v) if is_scalar(v) else v.astype(np.float64)  # type: ignore[union-attr]


def scale(a: Num, den: int) -> Num:
    """The same values over a denominator that is a multiple of a.den."""
    if den == a.den:
        return a
    k = den // a.den
    assert k * a.den == den
    lo, hi = a.lo * k, a.hi * k
    _check(lo, hi, lambda: _float(a.v) * k, "scaling")
    v = _widen(a.v, lo, hi)
    return Num(v * k, den, lo, hi, a.known)


def common(*nums: Num) -> tuple[Num, ...]:
    first = nums[0].den
    for n in nums:
        if n.den != first:
            break
    else:
        return nums
    den = 1
    for n in nums:
        den = den * n.den // math.gcd(den, n.den)
    return tuple(scale(n, den) for n in nums)


def add(a: Num, b: Num, sign: int = 1) -> Num:
    a, b = common(a, b)
    lo = a.lo + (b.lo if sign > 0 else -b.hi)
    hi = a.hi + (b.hi if sign > 0 else -b.lo)
    _check(lo, hi, lambda: _float(a.v) + sign * _float(b.v), "addition")
    va, vb = _widen(a.v, lo, hi), _widen(b.v, lo, hi)
    v = va + vb if sign > 0 else va - vb
    return Num(v, a.den, lo, hi, both(a.known, b.known))


def mul(a: Num, b: Num) -> Num:
    corners = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
    lo, hi = min(corners), max(corners)
    _check(lo, hi, lambda: _float(a.v) * _float(b.v), "multiplication")
    v = _widen(a.v, lo, hi) * _widen(b.v, lo, hi)  # type: ignore[operator]
    return _reduced(v, a.den * b.den, lo, hi, both(a.known, b.known))


def _reduced(v: object, den: int, lo: int, hi: int, known: Known) -> Num:
    """A scalar over a smaller denominator where it divides (arrays keep theirs)."""
    if is_scalar(v):
        v = int(v)  # type: ignore[call-overload]
        g = math.gcd(den, v)
        if g > 1:
            v, den = v // g, den // g
        return Num(v, den, v, v, known)
    return Num(v, den, lo, hi, known)


def div(a: Num, b: Num, what: str, n: int) -> Num:
    """a / b where b is one number for the chunk of n rows; a zero divisor makes every row unknown."""
    if not is_scalar(b.v):
        raise VectorUnsupported(f"{what}: division by a value that varies by row cannot be vectorized exactly")
    bv = int(b.v)  # type: ignore[call-overload]
    if bv == 0:
        return Num(0, 1, 0, 0, np.zeros(n, dtype=bool))
    sign = -1 if bv < 0 else 1
    scaled = mul(a, Num(b.den * sign, 1, b.den * sign, b.den * sign))
    return _reduced(scaled.v, scaled.den * abs(bv), scaled.lo, scaled.hi, both(scaled.known, b.known))


def neg(a: Num) -> Num:
    return Num(-_widen(a.v, -a.hi, -a.lo), a.den, -a.hi, -a.lo, a.known)  # type: ignore[operator]


def absolute(a: Num) -> Num:
    if a.lo >= 0:
        return a
    hi = _bound(a.lo, a.hi)
    return Num(np.abs(a.v) if not is_scalar(a.v) else abs(int(a.v)), a.den, 0, hi, a.known)  # type: ignore[call-overload]


def _alike(ns: tuple[Num, ...]) -> list[object]:
    """The values of `ns` in one dtype wide enough for all their bounds: NumPy (NEP 50) refuses a Python int
    outside an int32 array's range, as an int32 column of a small chunk meets a large amount held as one scalar."""
    lo, hi = min(n.lo for n in ns), max(n.hi for n in ns)
    return [_widen(n.v, lo, hi) for n in ns]


def minimum(*nums: Num) -> Num:
    ns = common(*nums)
    vs = _alike(ns)
    v = vs[0]
    for w in vs[1:]:
        v = min(int(v), int(w)) if is_scalar(v) and is_scalar(w) else np.minimum(v, w)  # type: ignore[call-overload]
    return Num(v, ns[0].den, min(n.lo for n in ns), min(n.hi for n in ns), all_known(*(n.known for n in ns)))


def maximum(*nums: Num) -> Num:
    ns = common(*nums)
    vs = _alike(ns)
    v = vs[0]
    for w in vs[1:]:
        v = max(int(v), int(w)) if is_scalar(v) and is_scalar(w) else np.maximum(v, w)  # type: ignore[call-overload]
    return Num(v, ns[0].den, max(n.lo for n in ns), max(n.hi for n in ns), all_known(*(n.known for n in ns)))


def clamp(x: Num, low: Num, high: Num) -> Num:
    """min(max(x, low), high), as the single-case path computes it."""
    x, low, high = common(x, low, high)
    known = all_known(x.known, low.known, high.known)
    xv, lv, hv = _alike((x, low, high))
    if all(is_scalar(w) for w in (xv, lv, hv)):
        v: object = min(max(int(xv), int(lv)), int(hv))  # type: ignore[call-overload]
    elif is_scalar(lv) and is_scalar(hv) and int(lv) <= int(hv):  # type: ignore[call-overload]
        v = np.clip(xv, int(lv), int(hv))  # type: ignore[call-overload]
    else:
        v = np.minimum(np.maximum(xv, lv), hv)
    lo = min(max(x.lo, low.lo), high.lo)
    hi = min(max(x.hi, low.hi), high.hi)
    return Num(v, x.den, lo, hi, known)


def round_to(a: Num, den: int) -> Num:
    """The values rounded half up (ties away from zero) to multiples of 1/den."""
    if a.den == den:
        return a
    if a.den % den != 0:
        if den % a.den == 0:
            return scale(a, den)
        # general rational: n/d → round(n * den / d)
        return round_to(scale(a, a.den * den // math.gcd(a.den, den)), den)
    k = a.den // den
    if is_scalar(a.v):
        q = _round_int(int(a.v), k)  # type: ignore[call-overload]
        return Num(q, den, q, q, a.known)
    v: Array = a.v  # type: ignore[assignment]
    lo, hi = _round_int(a.lo, k), _round_int(a.hi, k)
    if a.lo >= 0:
        # v = qk + r: half up gives q + 1 exactly when r >= k/2, i.e. when r + k//2 >= k (no tie exists for odd k)
        out = (_widen(v, a.lo, a.hi + k) + k // 2) // k
    else:
        mag = np.abs(v)
        q = (2 * _widen(mag, 0, 2 * _bound(a.lo, a.hi) + k) + k) // (2 * k)
        out = q * np.sign(v)
    return Num(out.astype(_dtype_for(lo, hi), copy=False), den, lo, hi, a.known)


def _round_int(n: int, k: int) -> int:
    q = (2 * abs(n) + k) // (2 * k)
    return -q if n < 0 else q


# ---------------------------------------------------------------- comparisons


def compare(op: str, a: object, b: object) -> object:
    """The value array of `a op b` (known masks are the caller's)."""
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b  # type: ignore[operator]
    if op == "<=":
        return a <= b  # type: ignore[operator]
    if op == ">":
        return a > b  # type: ignore[operator]
    if op == ">=":
        return a >= b  # type: ignore[operator]
    raise VectorUnsupported(f"comparison {op}")  # pragma: no cover


def compare_num(op: str, a: Num, b: Num) -> Bool:
    a, b = common(a, b)
    return Bool(compare(op, a.v, b.v), both(a.known, b.known))


# ---------------------------------------------------------------- selection


def select(cond: Bool, a: Col, b: Col) -> Col:
    """`if cond then a else b` in three-valued logic: an unknown condition is known only where both branches agree."""
    if isinstance(a, Num):
        assert isinstance(b, Num)
        a, b = common(a, b)
        out_lo, out_hi = min(a.lo, b.lo), max(a.hi, b.hi)
        v = blend(cond.v, a.v, b.v, out_lo, out_hi)
    elif isinstance(a, Date):
        v = where_wide(cond.v, a.v, b.v)
    else:
        v = where(cond.v, a.v, b.v)  # type: ignore[union-attr]
    known = where_known(cond.v, a.known, b.known)  # type: ignore[union-attr]
    if cond.known is not None:
        agree = both(a.known, b.known)  # type: ignore[union-attr]
        same = a.v == b.v  # type: ignore[union-attr]
        decided = same if agree is None else agree & same
        known = where(cond.known, True if known is None else known, decided)
        if type(known) is not np.ndarray:  # every row decided alike: a scalar, as a mask
            known = None if bool(known) else np.zeros(cond.known.shape, dtype=bool)
    if isinstance(a, Num):
        return Num(v, a.den, out_lo, out_hi, known)
    if isinstance(a, Codes):
        return Codes(v, a.vocab, known)
    if isinstance(a, Date):
        return Date(v, known)
    return Bool(v, known)


def otherwise(a: Col, b: Col) -> Col:
    """a where known, else b."""
    if a.known is None:  # type: ignore[union-attr]
        return a
    if isinstance(a, Num):
        assert isinstance(b, Num)
        a, b = common(a, b)
        lo, hi = min(a.lo, b.lo), max(a.hi, b.hi)
        v = blend(a.known, a.v, b.v, lo, hi)
        return Num(v, a.den, lo, hi, None if b.known is None else a.known | b.known)
    v = where_wide(a.known, a.v, b.v) if isinstance(a, Date) else where(a.known, a.v, b.v)  # type: ignore[union-attr]
    known = None if b.known is None else a.known | b.known  # type: ignore[union-attr, operator]
    if isinstance(a, Codes):
        return Codes(v, a.vocab, known)
    if isinstance(a, Date):
        return Date(v, known)
    return Bool(v, known)


def and_(a: Bool, b: Bool) -> Bool:
    """false and unknown is false; true and unknown is unknown."""
    v = a.v & b.v if not (is_scalar(a.v) and is_scalar(b.v)) else bool(a.v) and bool(b.v)  # type: ignore[operator]
    if a.known is None and b.known is None:
        return Bool(v, None)
    ka = True if a.known is None else a.known
    kb = True if b.known is None else b.known
    known = (ka & kb) | (ka & ~_arr(a.v)) | (kb & ~_arr(b.v))
    return Bool(v, known)


def or_(a: Bool, b: Bool) -> Bool:
    """true or unknown is true; false or unknown is unknown."""
    v = a.v | b.v if not (is_scalar(a.v) and is_scalar(b.v)) else bool(a.v) or bool(b.v)  # type: ignore[operator]
    if a.known is None and b.known is None:
        return Bool(v, None)
    ka = True if a.known is None else a.known
    kb = True if b.known is None else b.known
    known = (ka & kb) | (ka & _arr(a.v)) | (kb & _arr(b.v))
    return Bool(v, known)


def _arr(v: object) -> object:
    return np.bool_(v) if is_scalar(v) else v


def not_(a: Bool) -> Bool:
    return Bool((not bool(a.v)) if is_scalar(a.v) else ~a.v, a.known)  # type: ignore[operator]


# ---------------------------------------------------------------- dates


def year(d: Date) -> Num:
    if is_scalar(d.v):
        from datetime import date as _date

        y = _date.fromordinal(int(d.v)).year  # type: ignore[call-overload]
        return Num(y, 1, y, y, d.known)
    days = (d.v - ORDINAL_EPOCH).astype("datetime64[D]")  # type: ignore[operator]
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    return Num(years, 1, 1, 9999, d.known)


def days_between(a: Date, b: Date) -> Num:
    v = b.v - a.v  # type: ignore[operator]
    span = 3_652_059  # the ordinal range of date
    return Num(int(v) if is_scalar(v) else v, 1, -span, span, both(a.known, b.known))  # type: ignore[call-overload]


def _ymd(v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ordinals → (year, month 1-12, day 1-31) arrays."""
    days = (np.asarray(v, dtype=np.int64) - ORDINAL_EPOCH).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    years = months.astype("datetime64[Y]")
    y = years.astype(np.int64) + 1970
    m = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    d = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, d


def _days_in_month(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    start = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    return ((start + 1).astype("datetime64[D]") - start.astype("datetime64[D]")).astype(np.int64)


def _ordinal(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    start = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]").astype("datetime64[D]")
    return start.astype(np.int64) + (d - 1) + ORDINAL_EPOCH


def add_years(d: Date, years: Num, n: int) -> Date:
    """The corresponding day `years` later; 29 February becomes 28 February in a common year (engine.law_time.dates.add_years)."""
    known = both(d.known, years.known)
    whole = years.den == 1
    yv = np.broadcast_to(np.asarray(years.v, dtype=np.int64), (n,)) if whole else np.zeros(n, dtype=np.int64)
    if not whole:  # a whole number of years is required: any other row is unknown
        yv = np.broadcast_to(np.asarray(years.v, dtype=np.int64), (n,)) // years.den
        exact = np.broadcast_to(np.asarray(years.v, dtype=np.int64), (n,)) % years.den == 0
        known = both(known, exact)
    y, m, day = _ymd(np.broadcast_to(np.asarray(d.v, dtype=np.int64), (n,)))
    target = y + yv
    ok = (target >= 1) & (target <= 9999)
    if not ok.all():
        known = both(known, ok)
        target = np.where(ok, target, 2000)
    out = _ordinal(target, m, np.minimum(day, _days_in_month(target, m)))
    return Date(out, known, int(out.min()) if n else None, int(out.max()) if n else None)


def add_months(d: Date, months: Num, n: int) -> Date:
    """The corresponding day `months` later; a day the month lacks becomes its last day (engine.law_time.dates.add_months)."""
    known = both(d.known, months.known)
    mv = np.broadcast_to(np.asarray(months.v, dtype=np.int64), (n,))
    if months.den != 1:  # a whole number of months is required: any other row is unknown
        known = both(known, mv % months.den == 0)
        mv = mv // months.den
    y, m, day = _ymd(np.broadcast_to(np.asarray(d.v, dtype=np.int64), (n,)))
    total = y * 12 + (m - 1) + mv
    ty, tm = total // 12, total % 12 + 1
    ok = (ty >= 1) & (ty <= 9999)
    if not ok.all():
        known = both(known, ok)
        ty = np.where(ok, ty, 2000)
    out = _ordinal(ty, tm, np.minimum(day, _days_in_month(ty, tm)))
    return Date(out, known, int(out.min()) if n else None, int(out.max()) if n else None)


def first_day_of_year(year: Num, n: int) -> Date:
    """1 January of each row's year (engine.law_time.dates.first_day_of_year)."""
    yv = np.broadcast_to(np.asarray(year.v, dtype=np.int64), (n,))
    known = year.known
    if year.den != 1:
        known = both(known, yv % year.den == 0)
        yv = yv // year.den
    ok = (yv >= 1) & (yv <= 9999)
    if not ok.all():
        known = both(known, ok)
        yv = np.where(ok, yv, 2000)
    out = _ordinal(yv, np.ones(n, dtype=np.int64), np.ones(n, dtype=np.int64))
    return Date(out, known, int(out.min()) if n else None, int(out.max()) if n else None)


def years_between(a: Date, b: Date, n: int) -> Num:
    """Completed years from a to b, counted as an age; negative when b is earlier (engine.law_time.dates.years_between)."""
    av = np.broadcast_to(np.asarray(a.v, dtype=np.int64), (n,))
    bv = np.broadcast_to(np.asarray(b.v, dtype=np.int64), (n,))
    backwards = bv < av
    start, end = np.where(backwards, bv, av), np.where(backwards, av, bv)
    sy, sm, sd = _ymd(start)
    ey, em, ed = _ymd(end)
    # the anniversary in the end's year, with 29 February as 28 February in a common year
    anniversary_day = np.minimum(sd, _days_in_month(ey, sm))
    after = (sm > em) | ((sm == em) & (anniversary_day > ed))
    years = ey - sy - after
    years = np.where(backwards, -years, years)
    return Num(years, 1, -9999, 9999, both(a.known, b.known))


def months_between(a: Date, b: Date, n: int) -> Num:
    """Completed months from a to b, the day of the month counted as for years (engine.law_time.dates.months_between)."""
    av = np.broadcast_to(np.asarray(a.v, dtype=np.int64), (n,))
    bv = np.broadcast_to(np.asarray(b.v, dtype=np.int64), (n,))
    backwards = bv < av
    start, end = np.where(backwards, bv, av), np.where(backwards, av, bv)
    sy, sm, sd = _ymd(start)
    ey, em, ed = _ymd(end)
    months = (ey - sy) * 12 + em - sm
    months -= np.minimum(sd, _days_in_month(ey, em)) > ed
    months = np.where(backwards, -months, months)
    return Num(months, 1, -120_000, 120_000, both(a.known, b.known))
