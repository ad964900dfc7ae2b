"""The limits of what lawtrace reads, declared once: dates, money, whole numbers, nesting, sizes, text.

These are limits of representation and of work, not of the law: the engine holds
money exactly as Decimal and (in a population) as int64 fen, computes dates with
Python's calendar, and must answer a hostile input in bounded time. What the law
itself allows (a grade 1..10, a rate of at least 0, the dates the shipped law can
judge) is declared in the statutes, on the facts. Every limit here is named in the
error that enforces it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# Dates: a century either side of the law's time, so that the law's own arithmetic (an age, 48 months later, the
# same day 60 years on) never leaves Python's calendar (years 1..9999).
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)

# Money: at most 10^13 yuan (10 trillion). In fen that is 10^15, far inside int64 (9.2 x 10^18), so a population's
# sums of thousands of such amounts stay exact; as a Decimal it is 16 digits, far inside the 28 digits of the context.
MONEY_MAX = Decimal(10) ** 13
# Whole numbers (days, months, counts, ages): at most 10^9 either way.
INT_MAX = 10**9
# A number written in a file or a request: at most this many characters (digits, sign, point, exponent).
NUMBER_CHARS = 40
# A number's own precision in a statute: this many digits before the point and after it.
LITERAL_INT_DIGITS = 15
LITERAL_FRACTION_DIGITS = 12

# Nesting of lists and mappings in a case file or request, and of a formula in a statute.
MAX_DEPTH = 32
MAX_FORMULA_DEPTH = 250  # the checker and the evaluator recurse on a formula: 250 levels stay well inside the stack
# A case: how many facts, how many entries in one list fact, how many characters of text in one value.
MAX_FACTS = 1000
MAX_LIST_ITEMS = 10_000
MAX_TEXT = 100_000
# Errors reported for one input: the rest are counted, not each explained.
MAX_ERRORS = 50


def date_problem(value: date) -> str | None:
    """Why a date cannot be held, or None when it can."""
    if not DATE_MIN <= value <= DATE_MAX:
        return f"{value.isoformat()} is outside the dates lawtrace computes with ({DATE_MIN.isoformat()} to {DATE_MAX.isoformat()})"
    return None


def money_problem(value: Decimal) -> str | None:
    if not value.is_finite() or abs(value) > MONEY_MAX:
        shown = f"{value:f}" if value.is_finite() and value.adjusted() < 40 else str(value)
        return f"{shown} is beyond the largest amount lawtrace holds exactly ({MONEY_MAX:,f} yuan)"
    return None


def int_problem(value: int) -> str | None:
    if abs(value) > INT_MAX:
        shown = str(value) if value.bit_length() < 128 else f"a number of about {int(value.bit_length() * 0.30103)} digits"
        return f"{shown} is beyond the largest whole number lawtrace accepts ({INT_MAX:,})"
    return None


def text_problem(value: str) -> str | None:
    """A string that cannot be written out as UTF-8 (a lone surrogate), or one too long."""
    if len(value) > MAX_TEXT:
        return f"a text of {len(value):,} characters is longer than the limit of {MAX_TEXT:,}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        return f"the text holds {value[e.start]!r} at character {e.start + 1}, which is not a character (a lone surrogate)"
    return None
