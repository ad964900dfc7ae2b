"""A statute's human-readable text in both languages: the English form is the string, the Chinese form rides along.

A note, a presumption's ground, an `undetermined(...)` reason or an override's reason is written
`"中文" en "English"`; a lone string is the English form (how the statutes first wrote them), with no Chinese
form, which `lawtrace check` reports. Being a `str`, a Text passes through every place a plain string did.
"""

from __future__ import annotations

import re

_LATIN = re.compile(r"[A-Za-z]")


class Text(str):
    """The English form as the string; `zh` the Chinese form, or None where the statute gives none."""

    zh: str | None

    def __new__(cls, en: str, zh: str | None = None) -> Text:
        obj = super().__new__(cls, en)
        obj.zh = zh
        return obj

    def __reduce__(self) -> tuple[object, ...]:
        return (Text, (str(self), self.zh))

    def of(self, lang: str) -> str:
        return (self.zh or str(self)) if lang == "zh" else str(self)


def text(first: str, en: str | None) -> Text:
    """`"中文" en "English"`, or a lone string: English, unless it has no Latin letter at all (then Chinese only)."""
    if en is not None:
        return Text(en, first)
    if not _LATIN.search(first):
        return Text(first, first)
    return Text(first, None)


def zh_of(s: object) -> str | None:
    """The Chinese form of a statute text, if it has one."""
    return getattr(s, "zh", None)


def missing_zh(module: object) -> list[tuple[object, str]]:
    """Every text of a parsed module with no Chinese form, as (the span of the declaration holding it, what it is):
    notes, presumption grounds, override reasons, `undetermined(...)` reasons, and enum members without words."""
    from dsl import types as T  # the types know nothing of texts; imported here to keep this module's top light
    from dsl.records import field_names

    out: list[tuple[object, str]] = []
    seen: set[int] = set()

    def visit(x: object, span: object, field: str) -> None:
        if id(x) in seen:
            return
        if isinstance(x, Text):
            if not x.zh:
                out.append((span, f"{field} \"{_short(x)}\""))
            return
        if isinstance(x, str) or x is None or isinstance(x, (int, float, bool)):
            return
        seen.add(id(x))
        if isinstance(x, T.EnumType):
            words = dict(x.labels)
            for m in x.values:
                if not (words.get(m) or (None,))[0]:
                    out.append((span, f"enum member '{m}'"))
            return
        if isinstance(x, (list, tuple)):
            for y in x:
                visit(y, span, field)
            return
        fields = field_names(x)
        if not fields:
            return
        here = getattr(x, "span", None) or span
        for name in fields:
            if name != "span":
                visit(getattr(x, name), here, {"reason": "reason", "note": "note"}.get(name, field or name))

    visit(module, None, "")
    return out


def _short(s: str) -> str:
    return s if len(s) <= 60 else s[:57] + "..."
