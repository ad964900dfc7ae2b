"""Case files (YAML or JSON): read them, and check every fact against the program's declarations.

Guarantees: a fact the statutes do not declare, or a value of the wrong type
or out of range, is an error naming the field (and its line where the file
has one); a fact given as null is absent, i.e. unknown. A case is of a kind
(`kind: worker`, the default, or `employer`), and may give the date its answer
is for (`as_of`, the evaluation date of deadlines and late fees). Facts that
break a statute's `require` are refused at the fact, with the statute's message.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import msgspec
import yaml

from dsl import bounds
from dsl import types as T
from dsl.types import CASE_KINDS
from dsl.errors import LawtraceError, SourceError, did_you_mean, raise_collected
from dsl.source import SourceFile, Span
from engine.model import ir
from engine.model.safe_load import InputRefused, load_json, load_yaml

TOP_LEVEL = ("id", "name", "notes", "regime", "date", "facts", "kind", "as_of")


class Case(msgspec.Struct, frozen=True):
    source: SourceFile
    data: dict[str, object]
    marks: dict[str, Span] = msgspec.field(default_factory=dict)  # "facts.disability_grade" → where it is written

    @property
    def regime(self) -> str | None:
        r = self.data.get("regime")
        return str(r) if r is not None else None

    @property
    def raw_facts(self) -> dict[str, object]:
        f = self.data.get("facts") or {}
        return f if isinstance(f, dict) else {}

    def span(self, path: str) -> Span:
        return self.marks.get(path) or Span(self.source.name, 0, 0, 0, 0)

    def error(self, path: str, message: str, hint: str | None = None) -> SourceError:
        span = self.marks.get(path)
        where = "" if span else f" (field {path})"
        return SourceError(f"{path}: {message}{where}" if span else f"{message}{where}", span, self.source, hint)


def read_case(path: str) -> Case:
    """Read a case file (`-` for standard input); JSON or YAML by content."""
    if path == "-":
        source = SourceFile("<stdin>", sys.stdin.read())
    else:
        try:
            source = SourceFile.read(Path(path), path)
        except FileNotFoundError:
            raise LawtraceError(f"{path}: no such case file") from None
        except (OSError, UnicodeDecodeError) as e:
            raise LawtraceError(f"{path}: cannot read the case file: {e}") from None
    return parse_case(source)


def parse_case(source: SourceFile) -> Case:
    """The case file read within the bounds of `dsl.bounds` (`engine.model.safe_load`); every refusal located."""
    text = source.text
    refused: InputRefused | None = None
    if source.name.endswith(".json") or text.lstrip().startswith("{"):
        try:
            load_json(text)
        except json.JSONDecodeError as e:
            span = Span(source.name, e.lineno, e.colno, e.lineno, e.colno + 1)
            raise SourceError(f"not valid JSON: {e.msg}", span, source) from None
        except InputRefused as e:
            if e.line is not None:
                raise _refused(source, e) from None
            refused = e  # located by the YAML reader below, which reads JSON too
    try:
        data, node = load_yaml(text)
    except InputRefused as e:
        raise _refused(source, e) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        span = Span(source.name, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2) if mark else None
        problem = getattr(e, "problem", None) or str(e)
        raise SourceError(f"not valid YAML: {problem}", span, source) from None
    if refused is not None:
        raise _refused(source, refused)
    if not isinstance(data, dict):
        raise SourceError("a case file is a mapping with `facts:` (and optionally id, regime, date)",
                          Span(source.name, 1, 1, 1, 2), source)
    marks: dict[str, Span] = {}
    _collect_marks(node, "", source.name, marks)
    return Case(source, data, marks)


def _refused(source: SourceFile, e: InputRefused) -> SourceError:
    span = Span(source.name, e.line, e.column or 1, e.line, (e.column or 1) + 1) if e.line is not None else None
    return SourceError(e.message, span, source)


def _collect_marks(node: yaml.Node | None, prefix: str, file: str, out: dict[str, Span]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = f"{prefix}.{key.value}" if prefix else str(key.value)
            m = key.start_mark
            out[path] = Span(file, m.line + 1, m.column + 1, m.line + 1, m.column + 1 + len(str(key.value)))
            _collect_marks(value, path, file, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            path = f"{prefix}[{i}]"
            m = value.start_mark
            out[path] = Span(file, m.line + 1, m.column + 1, m.line + 1, m.column + 2)
            _collect_marks(value, path, file, out)


def case_date(case: Case, override: str | None) -> date | None:
    """The day of the accident (or diagnosis): `--date`, else the case's `date`; None: unknown."""
    return _dated_field(case, "date", "--date", override)


def case_kind(case: Case) -> str:
    """The kind of case: `worker` (the default: a worker's benefits) or `employer` (what an employer owes)."""
    raw = case.data.get("kind")
    if raw is None:
        return "worker"
    if raw not in CASE_KINDS:
        hint = did_you_mean(str(raw), CASE_KINDS)
        raise case.error("kind", f"expected one of {', '.join(CASE_KINDS)}, found {raw!r}", hint)
    return str(raw)


def case_as_of(case: Case, override: str | None = None) -> date | None:
    """The evaluation date: the day the answer is given for (deadlines passed, late fees run to it); None: unknown."""
    return _dated_field(case, "as_of", "--as-of", override)


def _dated_field(case: Case, field: str, option: str, override: str | None) -> date | None:
    raw = override if override is not None else case.data.get(field)
    if raw is None:
        return None
    parsed = _as_date(raw)
    if parsed is None:
        if override is not None:
            raise LawtraceError(f"{option} {override}: expected a date written YYYY-MM-DD")
        raise case.error(field, f"expected a date written YYYY-MM-DD, found {_shown(raw)}")
    problem = bounds.date_problem(parsed)
    if problem:
        if override is not None:
            raise LawtraceError(f"{option} {override}: {problem}")
        raise case.error(field, problem)
    return parsed


def check_requirements(evaluator: object, case: Case, facts: dict[str, object], on: date | None,
                       as_of: date | None = None) -> None:
    """Refuse facts that break a statute's `require` (false, not merely unknown), at the fact, with its message."""
    program = evaluator.program  # type: ignore[attr-defined]
    if not program.requirements:
        return
    ev = evaluator.evaluate(facts, on, as_of)  # type: ignore[attr-defined]
    errors = []
    for r in program.requirements:
        about_date = r.fact == ir.CASE_DATE
        if (on is not None if about_date else r.fact in facts) and ev.get(r.node).value is False:
            basis = "; ".join(c.en() for c in r.cites)
            errors.append(case.error("date" if about_date else f"facts.{r.fact}", f"{r.message.en} ({basis})",
                                     r.message.zh or None))
    raise_collected(errors)


def check_top_level(case: Case) -> None:
    errors = []
    for key in case.data:
        if key not in TOP_LEVEL:
            errors.append(case.error(str(key), f"unknown field '{key}'", did_you_mean(str(key), TOP_LEVEL)))
    facts = case.data.get("facts")
    if facts is not None and not isinstance(facts, dict):
        errors.append(case.error("facts", "`facts` must be a mapping of fact names to values"))
    raise_collected(errors)


def validate_facts(program: ir.Program, case: Case) -> dict[str, object]:
    """The case's facts converted to engine values; every error in the case reported together."""
    check_top_level(case)
    declared = {n.id: n for n in program.facts()}
    errors: list[LawtraceError] = []
    out: dict[str, object] = {}
    more = 0
    for name, raw in case.raw_facts.items():
        path = f"facts.{name}"
        node = declared.get(str(name))
        if len(errors) >= bounds.MAX_ERRORS:
            more += node is None or raw is not None  # counted, not explained: a flood of errors costs no more than 50
            continue
        if node is None:
            errors.append(case.error(path, f"unknown fact '{name}' in regime {program.regime}",
                                     did_you_mean(str(name), declared)))
            continue
        if raw is None:
            continue
        try:
            months = declared.get(f"{name}{MONTHS_SUFFIX}")
            if months is not None and isinstance(raw, (str, dict)):  # an age in years and months
                out[str(name)], out[months.id] = _years_and_months(raw, node.type, months.type, path)
            else:
                out[str(name)] = convert(raw, node.type, path)
        except _BadValue as e:
            errors.append(case.error(e.path, e.message))
    if more:
        errors.append(LawtraceError(f"and up to {more} more facts not checked: only the first {bounds.MAX_ERRORS} errors are reported"))
    raise_collected(errors)
    return out


MONTHS_SUFFIX = "_months"  # an int fact with a companion NAME_months may be given in years and months
_YEARS_MONTHS = re.compile(r"^\s*(\d{1,4})\s*y(?:\s*(\d{1,2})\s*m)?\s*$")


def _years_and_months(raw: object, years_type: T.Type, months_type: T.Type, path: str) -> tuple[object, object]:
    """`"60y3m"`, `"60y"` or `{years: 60, months: 3}`: the whole years and the months beyond them."""
    expected = 'years and months written "60y3m" or {years: 60, months: 3}'
    if isinstance(raw, str):
        m = _YEARS_MONTHS.match(raw)
        if m is None:
            raise _BadValue(path, f"expected a whole number of years, or {expected}; found {_shown(raw)}")
        years, months = int(m.group(1)), int(m.group(2) or 0)
        try:
            return convert(years, years_type, path), convert(months, months_type, path)
        except _BadValue as e:
            which = "the years" if e.message.startswith(f"{years} ") else "the months"
            raise _BadValue(path, f"{which} of {raw!r}: {e.message}") from None
    assert isinstance(raw, dict)
    unknown = [k for k in raw if k not in ("years", "months")]
    if unknown:
        hint = did_you_mean(str(unknown[0]), ("years", "months"))
        raise _BadValue(f"{path}.{unknown[0]}", f"unknown field '{unknown[0]}': expected {expected}" + (f"; {hint}" if hint else ""))
    if "years" not in raw:
        raise _BadValue(path, f"expected {expected}: `years` is missing")
    return (convert(raw["years"], years_type, f"{path}.years"),
            convert(raw.get("months", 0), months_type, f"{path}.months"))


class _BadValue(Exception):
    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def convert(raw: object, t: T.Type, path: str) -> object:
    """One fact's value as the engine holds it: Decimal numbers, date, bool, str, tuple of dicts."""
    if isinstance(t, T.BoolType):
        if isinstance(raw, bool):
            return raw
        raise _BadValue(path, f"expected true or false, found {raw!r}")
    if isinstance(t, T.IntType):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _BadValue(path, f"expected a whole number, found {_shown(raw)}")
        problem = bounds.int_problem(raw)
        if problem:
            raise _BadValue(path, problem)
        if t.low is not None and t.high is not None and not t.low <= raw <= t.high:
            raise _BadValue(path, f"{raw} is out of range: expected {t.low} to {t.high}")
        return Decimal(raw)
    if isinstance(t, (T.MoneyType, T.RateType)):
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
            raise _BadValue(path, f"expected an amount, found {_shown(raw)}")
        if isinstance(raw, str) and len(raw) > bounds.NUMBER_CHARS:
            raise _BadValue(path, f"a number of {len(raw):,} characters is longer than the limit of {bounds.NUMBER_CHARS}")
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise _BadValue(path, f"expected an amount in yuan, found {_shown(raw)}") from None
        if not value.is_finite():
            raise _BadValue(path, f"expected an amount in yuan, found {_shown(raw)}")
        problem = bounds.money_problem(value)
        if problem:
            raise _BadValue(path, problem)
        if isinstance(t, T.MoneyType) and value < 0:
            raise _BadValue(path, f"an amount cannot be negative: {raw}")
        if isinstance(t, T.RateType) and t.low is not None and t.high is not None and not t.low <= value <= t.high:
            raise _BadValue(path, f"{raw} is out of range: expected {t.low} to {t.high}")
        return value
    if isinstance(t, T.DateType):
        parsed = _as_date(raw)
        if parsed is None:
            raise _BadValue(path, f"expected a date written YYYY-MM-DD, found {_shown(raw)}")
        problem = bounds.date_problem(parsed)
        if problem:
            raise _BadValue(path, problem)
        return parsed
    if isinstance(t, T.EnumType):
        if raw not in t.values:
            hint = did_you_mean(str(raw), t.values)
            raise _BadValue(path, f"expected one of {', '.join(t.values)}, found {_shown(raw)}" + (f"; {hint}" if hint else ""))
        return raw
    if isinstance(t, T.ListType):
        if not isinstance(raw, list):
            raise _BadValue(path, "expected a list")
        records = []
        for i, entry in enumerate(raw):
            where = f"{path}[{i}]"
            if not isinstance(entry, dict):
                raise _BadValue(where, "expected a mapping of " + ", ".join(f.name for f in t.fields))
            record: dict[str, object] = {}
            for key, value in entry.items():
                f = t.field(str(key))
                if f is None:
                    hint = did_you_mean(str(key), [x.name for x in t.fields])
                    raise _BadValue(f"{where}.{key}", f"unknown field '{key}'" + (f"; {hint}" if hint else ""))
                if value is not None:
                    record[str(key)] = convert(value, f.type, f"{where}.{key}")
            records.append(record)
        return tuple(records)
    raise _BadValue(path, f"facts of type {t} cannot be given in a case")  # pragma: no cover


def _shown(raw: object) -> str:
    """A value as an error quotes it, cut short: a message never repeats a megabyte of input."""
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _as_date(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None
