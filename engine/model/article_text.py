"""The structure of an article's verbatim text: its paragraphs (款), each a line, an item (（一）…) belonging to the one above."""

from __future__ import annotations

import re

_ITEM = re.compile(r"\s*[（(][一二三四五六七八九十]+[)）]")


def paragraph_count(text: str) -> int:
    """款 of an article's verbatim text: one per line, a line of an item (（一）…) belonging to the paragraph above."""
    return sum(1 for line in text.strip().splitlines() if line.strip() and not _ITEM.match(line))
