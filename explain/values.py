"""Values of the result JSON in words: money in yuan, rates as percentages, yes/no, parties, unknown.

Guarantees: a value is formatted from its JSON form and the type string the
trace gives with it (`money`, `rate`, `int 1..10`, `enum {...}`, `table[...]`,
`list {...}`), never from engine objects; an unknown value reads "unknown",
never zero or "no".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from explain.i18n import WORDS


def show_value(value: object, type_: str, lang: str, known: bool = True,
               labels: dict[str, dict[str, str]] | None = None) -> str:
    """`labels`: an enum's members' words, {member: {"zh", "en"}}, as the trace gives them."""
    w = WORDS[lang]
    if not known or value is None:
        return w["unknown"] if not known else w["none"]
    if isinstance(value, bool):
        return w["yes"] if value else w["no"]
    if type_ == "money":
        return f"{money(value)} {w['yuan']}"
    if type_ == "rate":
        return percent(value)
    if type_ == "party":
        return party(value, lang)
    if type_.startswith("enum") and labels:
        return str(labels.get(str(value), {}).get(lang) or value)
    if type_.startswith("table") and isinstance(value, dict):
        return ", ".join(f"{k} → {show_value(v, _table_value_type(type_), lang)}" for k, v in value.items())
    if type_.startswith("list") and isinstance(value, list):
        return w["records"].format(n=len(value)) + (": " + "; ".join(_record(r, lang) for r in value) if value else "")
    return str(value)


def money(value: object) -> str:
    """An amount in yuan with thousands separators, two places: 78,000.00 (text as given where it is not a number)."""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def money_or_none(value: object) -> str | None:
    return None if value is None else money(value)


def party(value: object, lang: str) -> str:
    """A party in words; `none` is "nobody pays" (an unknown party is never shown as none: see `open_party`)."""
    w = WORDS[lang]
    return w["nobody"] if str(value) == "none" else w.get(str(value), str(value))


def open_party(value: object, field: str, item: dict[str, object], lang: str, deciding: list[str]) -> str:
    """A payer field of an item: the party, or "undetermined" with the facts that would decide it when it is open."""
    if value is None and field in (item.get("undetermined") or []):  # type: ignore[operator]
        return undetermined_by(deciding, lang)
    return party(value if value is not None else "none", lang)


def undetermined_by(deciding: list[str], lang: str) -> str:
    w = WORDS[lang]
    if not deciding:
        return w["undetermined"]
    return w["undetermined_by"].format(facts=w["list_sep"].join(deciding))


def percent(value: object) -> str:
    try:
        d = Decimal(str(value)) * 100
    except InvalidOperation:
        return str(value)
    return f"{d.normalize():f}%"


def _table_value_type(type_: str) -> str:
    return type_.rsplit("->", 1)[-1].strip(" ]") if "->" in type_ else ""


def _record(record: object, lang: str) -> str:
    if not isinstance(record, dict):
        return str(record)
    return ", ".join(f"{k} = {show_value(v, '', lang)}" for k, v in record.items())
