"""Calendar arithmetic as the law counts it: the same day N years later, completed years and months between two dates.

A period counted in years ends on the corresponding day of the last year; where
that year has no corresponding day (29 February), on the last day of the month
(Civil Code art. 202). Completed years are counted the way an age is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def days_in_month(year: int, month: int) -> int:
    """How many days the month has (`calendar.monthrange`'s, without importing `calendar` and `locale` on every
    start-up); a year outside 1-9999 raises what `date` raises for it."""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def add_years(start: date, years: int) -> date:
    """The corresponding day `years` later (earlier when negative); 29 February becomes 28 February in a common year."""
    year = start.year + int(years)
    day = min(start.day, days_in_month(year, start.month))
    return date(year, start.month, day)


def years_between(start: date, end: date) -> int:
    """Completed years from `start` to `end` (an age on `end` for a birth on `start`); negative when `end` is earlier."""
    if end < start:
        return -years_between(end, start)
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    return years


def months_between(start: date, end: date) -> int:
    """Completed months from `start` to `end` (the day of the month counted as for years); negative when `end` is earlier."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    if _add_months(start, months) > end:
        months -= 1
    return months


def _add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, days_in_month(year, month + 1))
    return date(year, month + 1, day)


def add_months(start: date, months: int) -> date:
    """The corresponding day `months` later (earlier when negative); a day the month lacks becomes its last day."""
    return _add_months(start, int(months))


def first_day_of_year(year: int) -> date:
    """1 January of `year` (a figure by calendar year applies from that day)."""
    return date(int(year), 1, 1)


def add_years_decimal(start: date, years: Decimal) -> date:
    """`add_years` for the engine, whose whole numbers are Decimals."""
    if years != years.to_integral_value():
        raise ValueError(f"add_years needs whole years, not {years}")
    return add_years(start, int(years))
