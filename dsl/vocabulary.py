"""The words of the statute language, read off the grammar the parser uses (so highlighters never fall behind it)."""

from __future__ import annotations

import functools
import re

TYPES = frozenset({"bool", "int", "money", "rate", "date", "party", "enum", "list", "table"})
LITERALS = frozenset({"true", "false"})
OPERATORS = frozenset({"and", "or", "not", "in", "is", "known", "otherwise", "if", "then", "else", "where", "when"})
_ALTERNATIVES = ("TEXT_STATUS", "PRESUMPTION_KIND", "PERIOD")  # terminals whose words are fixed values
_FIELDS = ("FIELD", "DEADLINE_FIELD")  # the fields of an item or deadline clause


@functools.cache
def words() -> dict[str, frozenset[str]]:
    """`keyword` (every word the grammar spells out), `constant` (fixed values: once, gist, burden_of_proof, ...)
    and `field` (amount, payer, due, ...)."""
    from dsl.parser import _parser

    keyword: set[str] = set()
    constant: set[str] = set()
    field: set[str] = set()
    for t in _parser().terminals:
        if t.pattern.type == "str" and re.fullmatch(r"[a-z_]+", t.pattern.value):
            keyword.add(t.pattern.value)
        elif t.name in _ALTERNATIVES + _FIELDS:
            found = set(re.findall(r"[a-z_]+", t.pattern.value))
            (constant if t.name in _ALTERNATIVES else field).update(found)
    return {"keyword": frozenset(keyword), "constant": frozenset(constant), "field": frozenset(field)}


def declaration_keywords() -> frozenset[str]:
    """The keywords that start or shape a declaration (instrument, article, fact, overrides, cite, ...)."""
    return words()["keyword"] - TYPES - LITERALS - OPERATORS
