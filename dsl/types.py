"""The value types of the language, shared by the parser (declared types) and the engine (checked types)."""

from __future__ import annotations

from decimal import Decimal

import msgspec


class Type(msgspec.Struct, frozen=True):
    def __str__(self) -> str:  # pragma: no cover - overridden
        return type(self).__name__


class BoolType(Type, frozen=True):
    def __str__(self) -> str:
        return "bool"


class IntType(Type, frozen=True):
    low: int | None = None
    high: int | None = None

    def __str__(self) -> str:
        return "int" if self.low is None else f"int {self.low}..{self.high}"


class RateType(Type, frozen=True):
    """A dimensionless decimal: a percentage, a factor; a fact's declaration may bound it (`rate 0..1`)."""

    low: Decimal | None = None
    high: Decimal | None = None

    def __str__(self) -> str:
        return "rate" if self.low is None else f"rate {self.low}..{self.high}"


class MoneyType(Type, frozen=True):
    def __str__(self) -> str:
        return "money"


class DateType(Type, frozen=True):
    def __str__(self) -> str:
        return "date"


class PartyType(Type, frozen=True):
    """Who pays: fund, employer, third_party, state, or none."""

    def __str__(self) -> str:
        return "party"


class EnumType(Type, frozen=True):
    values: tuple[str, ...]
    # each member's words, (name, (zh, en)); words do not make another type
    labels: tuple[tuple[str, tuple[str | None, str | None]], ...] = ()

    def __eq__(self, other: object) -> bool:
        return self.values == other.values if type(other) is type(self) else NotImplemented  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((EnumType, self.values))

    def label(self, member: str, lang: str) -> str:
        """The member's words in `lang` (the other language's, or its name, where the statute gives none)."""
        zh, en = dict(self.labels).get(member, (None, None))
        return (zh or en if lang == "zh" else en or zh) or member

    def __str__(self) -> str:
        return "enum {" + ", ".join(self.values) + "}"


class RecordField(msgspec.Struct, frozen=True):
    name: str
    type: Type
    label_zh: str | None = None
    label_en: str | None = None


class ListType(Type, frozen=True):
    fields: tuple[RecordField, ...]

    def field(self, name: str) -> RecordField | None:
        return next((f for f in self.fields if f.name == name), None)

    def __str__(self) -> str:
        return "list {" + ", ".join(f"{f.name}: {f.type}" for f in self.fields) + "}"


class RecordType(Type, frozen=True):
    """The type of one element of a list, bound by `sum(x in list: ...)`."""

    of: ListType

    def __str__(self) -> str:
        return "record {" + ", ".join(f.name for f in self.of.fields) + "}"


class TableType(Type, frozen=True):
    key: Type
    value: Type

    def __str__(self) -> str:
        return f"table[{self.key} -> {self.value}]"


CASE_KINDS = ("worker", "employer")  # the kinds of case (`kind:` in a case file); worker is the default

PARTIES = ("fund", "employer", "third_party", "state", "none")

BOOL = BoolType()
INT = IntType()
RATE = RateType()
MONEY = MoneyType()
DATE = DateType()
PARTY = PartyType()


def is_numeric(t: Type) -> bool:
    return isinstance(t, (IntType, RateType, MoneyType))
