"""The value types of the language, shared by the parser (declared types) and the engine (checked types)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Type:
    def __str__(self) -> str:  # pragma: no cover - overridden
        return type(self).__name__


@dataclass(frozen=True)
class BoolType(Type):
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class IntType(Type):
    low: int | None = None
    high: int | None = None

    def __str__(self) -> str:
        return "int" if self.low is None else f"int {self.low}..{self.high}"


@dataclass(frozen=True)
class RateType(Type):
    """A dimensionless decimal: a percentage, a factor; a fact's declaration may bound it (`rate 0..1`)."""

    low: Decimal | None = None
    high: Decimal | None = None

    def __str__(self) -> str:
        return "rate" if self.low is None else f"rate {self.low}..{self.high}"


@dataclass(frozen=True)
class MoneyType(Type):
    def __str__(self) -> str:
        return "money"


@dataclass(frozen=True)
class DateType(Type):
    def __str__(self) -> str:
        return "date"


@dataclass(frozen=True)
class PartyType(Type):
    """Who pays: fund, employer, third_party, state, or none."""

    def __str__(self) -> str:
        return "party"


@dataclass(frozen=True)
class EnumType(Type):
    values: tuple[str, ...]

    def __str__(self) -> str:
        return "enum {" + ", ".join(self.values) + "}"


@dataclass(frozen=True)
class RecordField:
    name: str
    type: Type
    label_zh: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class ListType(Type):
    fields: tuple[RecordField, ...]

    def field(self, name: str) -> RecordField | None:
        return next((f for f in self.fields if f.name == name), None)

    def __str__(self) -> str:
        return "list {" + ", ".join(f"{f.name}: {f.type}" for f in self.fields) + "}"


@dataclass(frozen=True)
class RecordType(Type):
    """The type of one element of a list, bound by `sum(x in list: ...)`."""

    of: ListType

    def __str__(self) -> str:
        return "record {" + ", ".join(f.name for f in self.of.fields) + "}"


@dataclass(frozen=True)
class TableType(Type):
    key: Type
    value: Type

    def __str__(self) -> str:
        return f"table[{self.key} -> {self.value}]"


PARTIES = ("fund", "employer", "third_party", "state", "none")

BOOL = BoolType()
INT = IntType()
RATE = RateType()
MONEY = MoneyType()
DATE = DateType()
PARTY = PartyType()


def is_numeric(t: Type) -> bool:
    return isinstance(t, (IntType, RateType, MoneyType))
