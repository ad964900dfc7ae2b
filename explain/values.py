"""Values of the result JSON in words: money in yuan, rates as percentages, yes/no, parties, unknown.

Guarantees: a value is formatted from its JSON form and the type string the
trace gives with it (`money`, `rate`, `int 1..10`, `enum {...}`, `table[...]`,
`list {...}`), never from engine objects; an unknown value reads "unknown",
never zero or "no".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from explain.i18n import WORDS


def show_value(value: object, type_: str, lang: str, known: bool = True) -> str:
    w = WORDS[lang]
    if not known or value is None:
        return w["unknown"] if not known else w["none"]
    if isinstance(value, bool):
        return w["yes"] if value else w["no"]
    if type_ == "money":
        return f"{value} {w['yuan']}"
    if type_ == "rate":
        return percent(value)
    if type_ == "party":
        return w.get(str(value), str(value))
    if type_.startswith("table") and isinstance(value, dict):
        return ", ".join(f"{k} → {show_value(v, _table_value_type(type_), lang)}" for k, v in value.items())
    if type_.startswith("list") and isinstance(value, list):
        return w["records"].format(n=len(value)) + (": " + "; ".join(_record(r, lang) for r in value) if value else "")
    return str(value)


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
