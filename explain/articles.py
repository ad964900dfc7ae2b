"""Quoting the law: the words of the paragraph (款) or item (项) a citation names, from the article texts of a result.

Guarantees: a verbatim Chinese text is cut at the paragraph and item the
citation names (a paragraph is a line of the article; an item is a line opening
with （一）, (二), ...; a citation the text cannot be cut for gets the whole
article); a `gist` text is an English summary and is never cut nor presented
as Chinese (Chinese output says so); an `unavailable` article is cited with no
text at all.
"""

from __future__ import annotations

import re

import msgspec

_ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
_NUMERALS = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}


class Quote(msgspec.Struct, frozen=True):
    cite: str  # the citation in words
    status: str  # verbatim | gist | unavailable
    text: str | None  # the excerpt; None when the text is unavailable
    marker: str | None  # what the reader must be told about the text (a gist, not available)
    gloss: str | None  # our English summary of the whole article (shown in English output)


def article_index(result: dict[str, object]) -> dict[tuple[str, str | None, int], dict[str, object]]:
    trace = result.get("trace") or {}
    articles = trace.get("articles", []) if isinstance(trace, dict) else []
    return {(str(a["instrument"]), a.get("version"), int(a["article"])): a for a in articles}


def quote(citation: dict[str, object], cite: str, articles: dict[tuple[str, str | None, int], dict[str, object]],
          words: dict[str, str], lang: str) -> Quote:
    a = articles.get((str(citation["instrument"]), citation.get("version"), int(citation["article"])))  # type: ignore[arg-type]
    if a is None or a.get("status") == "unavailable" or not a.get("text"):
        return Quote(cite, "unavailable", None, words["text_unavailable"], None)
    text = str(a["text"])
    gloss = a.get("gloss")
    if a.get("status") == "gist":
        return Quote(cite, "gist", text, words["gist_marker"], None)
    excerpt = excerpt_of(text, citation.get("paragraph"), citation.get("item"))  # type: ignore[arg-type]
    return Quote(cite, "verbatim", excerpt, None, str(gloss) if gloss and lang == "en" else None)


def excerpt_of(text: str, paragraph: int | None, item: int | None) -> str:
    """The item, or the paragraph (its opening words only when items follow), or the whole article a citation names.

    A paragraph that lists items is quoted up to its items and then `……`: each item is quoted where it is cited.
    """
    if paragraph is None:
        return text
    paragraphs = _paragraphs(text)
    if not 1 <= paragraph <= len(paragraphs):
        return text
    lead, items = paragraphs[paragraph - 1]
    if item is None or not 1 <= item <= len(items):
        return lead + ("……" if items else "")
    return items[item - 1]


def _paragraphs(text: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for line in (x.strip() for x in text.splitlines()):
        if not line:
            continue
        m = _ITEM.match(line)
        if m and out and _number(m.group(1)) == len(out[-1][1]) + 1:
            out[-1][1].append(line)
        else:
            out.append((line, []))
    return out


def _number(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _NUMERALS.get(numeral[1:], 0)
    return _NUMERALS.get(numeral, 0)
