"""The structure of an article's verbatim text: its paragraphs (款), each a line, an item (（一）…) belonging to the one above."""

from __future__ import annotations

import re

_ITEM = re.compile(r"\s*[（(][一二三四五六七八九十]+[)）]")


def paragraph_count(text: str) -> int:
    """款 of an article's verbatim text: one per line, a line of an item (（一）…) belonging to the paragraph above."""
    return sum(1 for line in text.strip().splitlines() if line.strip() and not _ITEM.match(line))


def number_ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5, 7, 8 → '1-3, 5, 7-8'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)

