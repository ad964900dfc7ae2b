"""Three-valued values: a known value, or UNKNOWN together with the facts that would decide it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dsl import types as T

FEN = Decimal("0.01")


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value; test `is UNKNOWN` first")


UNKNOWN = _Unknown()
NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class V:
    """A value with the facts that would decide it (empty when the value is known)."""

    value: object
    missing: frozenset[str] = NOTHING

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN


def unknown(*missing: frozenset[str]) -> V:
    return V(UNKNOWN, frozenset().union(*missing))


def to_fen(amount: Decimal) -> Decimal:
    """Round money half up to the fen (0.01 yuan)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def to_json(value: object, t: T.Type) -> object:
    """A value as it appears in result JSON: money as a two-place string, whole numbers as ints."""
    if value is UNKNOWN:
        return None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        if isinstance(t, T.MoneyType):
            return f"{to_fen(value):f}"
        if isinstance(t, T.IntType) or (value == value.to_integral_value() and not isinstance(t, T.RateType)):
            return int(value)
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        key_t = t.key if isinstance(t, T.TableType) else T.INT
        val_t = t.value if isinstance(t, T.TableType) else t
        return {str(to_json(k, key_t)): to_json(v, val_t) for k, v in value.items()}
    if isinstance(value, tuple) and isinstance(t, T.ListType):
        return [{f.name: to_json(r.get(f.name, UNKNOWN), f.type) for f in t.fields if f.name in r} for r in value]
    return value
