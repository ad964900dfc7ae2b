"""Working days as the official calendar counts them: the data in statutes/calendar/YEAR.yaml, one file per year.

Guarantees: a day is a working day when the year's arrangement makes it one (调休上班),
or when it is Monday to Friday and not one of the year's days off (放假); a day of a
year with no file raises `MissingYear`, never a guess. `add_working_days(d, n)` is the
n-th working day after d (d itself not counted, as in "在3个工作日内"). The same
calendar as arrays over ordinals (`ordinal_tables`) serves the vectorized evaluator.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
import yaml

from dsl.errors import LawtraceError
from statutes import STATUTES_DIR

if TYPE_CHECKING:
    import numpy as np

CALENDAR_DIR = STATUTES_DIR / "calendar"


class MissingYear(Exception):
    """The calendar of `year` is not shipped: working days in it cannot be counted."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year

    def message(self) -> str:
        return (f"the official public-holiday calendar for {self.year} is not shipped "
                f"(statutes/calendar/{self.year}.yaml): working days in {self.year} cannot be counted")

    def message_zh(self) -> str:
        return f"未收录 {self.year} 年的法定节假日安排（statutes/calendar/{self.year}.yaml），无法计算该年的工作日"


class Year(msgspec.Struct, frozen=True):
    year: int
    rest_days: frozenset[date]
    working_days: frozenset[date]
    source: str


class Calendar:
    """The shipped years, each read from its file when a day of it is first asked about (a case needs one or two)."""

    def __init__(self, root: Path):
        self.root = root
        self._files = {path.stem: path for path in sorted(root.glob("*.yaml"))}
        self._read: dict[str, Year] = {}

    @property
    def years(self) -> dict[int, Year]:
        """Every shipped year (each file read and checked)."""
        return {y.year: y for y in (self._year(stem) for stem in self._files)}

    def year(self, year: int) -> Year | None:
        return self._year(str(year)) if str(year) in self._files else None

    def _year(self, stem: str) -> Year:
        if stem not in self._read:
            self._read[stem] = _read_year(self._files[stem])
        return self._read[stem]

    def is_working_day(self, d: date) -> bool:
        y = self.year(d.year)
        if y is None:
            raise MissingYear(d.year)
        return d in y.working_days or (d.weekday() < 5 and d not in y.rest_days)

    def add_working_days(self, d: date, n: int) -> date:
        if n < 0:
            raise ValueError(f"add_working_days counts forward, not {n} days")
        day, left = d, n
        while left:
            day += timedelta(1)
            if self.is_working_day(day):
                left -= 1
        return day

    def first_working_day(self, d: date) -> date:
        """d itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(1)
        return d


@functools.cache
def calendar(root: Path = CALENDAR_DIR) -> Calendar:
    return Calendar(root)


def _read_year(path: Path) -> Year:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        year = int(data["year"])
        rest = frozenset(_day(x, path) for x in (data.get("rest_days") or {}))
        work = frozenset(_day(x, path) for x in (data.get("working_days") or {}))
        source = str(data["source"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as e:
        raise LawtraceError(f"{path}: not a calendar file (year, source, rest_days, working_days): {e}") from None
    if path.stem != str(year) or any(d.year != year for d in rest | work):
        raise LawtraceError(f"{path}: the file of year {path.stem} holds days of another year")
    return Year(year, rest, work, source)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it: the same safe subset


def _day(x: object, path: Path) -> date:
    if isinstance(x, date):
        return x
    return date.fromisoformat(str(x))


class OrdinalTables(msgspec.Struct, frozen=True):
    """The calendar over a range of ordinals: per day, working or not, and running counts for vector arithmetic."""

    first: int  # ordinal of index 0 (1 January of the first year shipped)
    working: np.ndarray  # bool per day
    worked: np.ndarray  # int64: working days from `first` up to and including each day
    unshipped: np.ndarray  # int64: days of years not shipped, from `first` up to and including each day


@functools.cache
def ordinal_tables() -> OrdinalTables | None:
    import numpy as np  # the vectorized evaluator's tables; a single case counts days without numpy

    cal = calendar()
    if not cal.years:
        return None
    lo, hi = min(cal.years), max(cal.years)
    first = date(lo, 1, 1)
    n = (date(hi + 1, 1, 1) - first).days
    working = np.zeros(n, dtype=bool)
    missing = np.zeros(n, dtype=bool)
    for i in range(n):
        d = first + timedelta(i)
        try:
            working[i] = cal.is_working_day(d)
        except MissingYear:
            missing[i] = True
    return OrdinalTables(first.toordinal(), working, np.cumsum(working, dtype=np.int64),
                         np.cumsum(missing, dtype=np.int64))
