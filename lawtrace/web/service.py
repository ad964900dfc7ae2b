"""What the API and the page ask of the engine: a case read from a request, evaluated, diffed; the regimes.

Every answer comes from the engine (`lawtrace.api`, `lawtrace.diffing`); this
module only reads request bodies into the engine's `Case` (keeping the
position of every key, so that the engine's errors name their field) and turns
the engine's errors into `ApiError`s.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from dsl import bounds
from dsl.errors import LawtraceError, SourceError, did_you_mean
from dsl.source import SourceFile
from engine.analysis.questions import CASE_DATE, Question, next_questions
from engine.model import ir
from engine.model.safe_load import InputRefused, load_json
from engine.model.values import to_json
from engine.run.case import Case, case_date, case_kind, parse_case, validate_facts
from engine.run.result import Result, result_json
from explain.i18n import WORDS
from lawtrace import api
from lawtrace.receipt import attach
from lawtrace.diffing import DiffReport, parse_side, run_diff
from lawtrace.web.errors import ApiError, FieldError, field_errors, single

T = TypeVar("T")
REQUEST = "<request>"
CASE_TEXT = ("id", "name", "notes")


@dataclass(frozen=True)
class Evaluated:
    case: Case
    result: Result

    def json(self, trace: bool = True) -> dict[str, object]:
        """The result JSON as `lawtrace eval --format json` writes it (with the case's id, name and notes)."""
        data = result_json(self.result, include_trace=trace)
        data["case"] = {k: self.case.data[k] for k in CASE_TEXT if self.case.data.get(k) is not None}
        return attach(data, self.case.raw_facts, self.result.program)


def text_of(body: bytes) -> str:
    if not body.strip():
        raise single(400, "empty request", "body", "the request body is empty: expected a case as JSON (or YAML)")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise single(400, "not UTF-8", "body", f"the request body is not UTF-8 text (byte {e.start})") from None


def read_case(text: str, name: str = REQUEST) -> Case:
    """The request body as a case file. A JSON object is read as it is; where the keys are written is worked out
    only when an error has to be located (`located`), since the YAML reader that does it costs more than the
    evaluation. Anything else goes to the case reader, whose syntax errors name line and column."""
    try:
        data = load_json(text)
    except (ValueError, InputRefused):
        data = None  # the case reader says where, and what limit
    if isinstance(data, dict):
        return Case(SourceFile(name, text), data)
    return located(Case(SourceFile(name, text), {}))


def located(case: Case) -> Case:
    """The case with the position of every key, so that an error names its field."""
    if case.marks:
        return case
    try:
        return parse_case(case.source)
    except SourceError as e:
        span = e.span
        raise ApiError(400, "malformed request", [FieldError("body", e.message, "body", span.line if span else None,
                                                             span.column if span else None)]) from None


def _located_errors(case: Case, run: Callable[[Case], T]) -> T:
    """`run(case)`, and when the engine refuses the case, its errors with the fields they name."""
    try:
        return run(case)
    except LawtraceError as first:
        full = located(case)
        try:
            run(full)
        except LawtraceError as e:
            raise ApiError(422, "invalid case", field_errors(e, full.marks)) from None
        raise ApiError(422, "invalid case", field_errors(first, {})) from None


def case_of(data: dict[str, object]) -> Case:
    """A case given as data (the page's form) read as if it had been sent as JSON."""
    return read_case(json.dumps(data, ensure_ascii=False, default=str), "<form>")


def program(name: str, field: str = "regime", where: str = "body") -> ir.Program:
    """The compiled regime; a name the catalog does not know is the user's error, naming the field."""
    known = api.regime_names()
    if name not in known:
        raise ApiError(422, "unknown regime", [FieldError(field, f"unknown regime '{name}'; known: {', '.join(sorted(known))}",
                                                          where, hint=did_you_mean(name, known))])
    return api.load_program(name)


def regime_of(case: Case, override: str | None) -> tuple[str, str]:
    """The regime name and where it was given (a query parameter overrides the case's own)."""
    if override is not None:
        return override, "query"
    return case.regime or api.DEFAULT_REGIME, "body"


def _query_date(on: date | None) -> None:
    """`?date=` within the dates lawtrace computes with: refused at the query parameter, not as the CLI's --date."""
    problem = bounds.date_problem(on) if on is not None else None
    if problem:
        raise ApiError(422, "invalid parameter", [FieldError("date", problem, "query")])


def evaluate(case: Case, regime: str | None = None, on: date | None = None) -> Evaluated:
    _query_date(on)
    name, where = regime_of(case, regime)
    program(name, "regime", where)
    result = _located_errors(case, lambda c: api.evaluate_case(c, name, on.isoformat() if on else None))
    return Evaluated(case, result)


def questions(case: Case, regime: str | None = None, on: date | None = None) -> tuple[ir.Program, list[Question], date | None]:
    """The facts still worth asking, ranked by the engine (`engine.analysis.questions`, as `lawtrace ask --next`)."""
    _query_date(on)
    name, where = regime_of(case, regime)
    prog = program(name, "regime", where)
    facts, when, kind = _located_errors(case, lambda c: (validate_facts(prog, c), case_date(c, on.isoformat() if on else None),
                                                         case_kind(c)))
    return prog, next_questions(api.evaluator(name), facts, when, kind=kind), when


def questions_json(prog: ir.Program, ranked: list[Question], when: date | None) -> dict[str, object]:
    """The ranking as `lawtrace ask --next --format json` writes it."""
    out = []
    for q in ranked:
        node = prog.nodes.get(q.fact)
        entry: dict[str, object] = {
            "fact": q.fact,
            "label": {"zh": node.labels.zh, "en": node.labels.en} if node is not None
            else {lang: WORDS[lang]["date"] for lang in WORDS},
            "decides": list(q.decides), "needed_for": list(q.needed_for), "score": q.score,
            "at_stake": f"{q.at_stake:.2f}" if q.at_stake is not None else None,
            "type": str(node.type) if node is not None else CASE_DATE,
        }
        if node is not None:
            entry["citations"] = [c.as_json() for c in node.cites]
            if q.presumed is not None:
                entry["presumed"] = to_json(q.presumed, node.type)
        out.append(entry)
    return {"questions": out, "regime": prog.regime, "date": when.isoformat() if when else None,
            "items": {b.id: {"zh": b.labels.zh, "en": b.labels.en} for b in prog.benefits},
            "instruments": {i.code: {"zh": i.title_zh, "en": i.title_en, "latest": i.latest} for i in prog.instruments}}


def regimes() -> list[dict[str, object]]:
    return api.regimes()


def diff(body: Case) -> DiffReport:
    """`{a, b, cases?}`: the regimes (each `name[@YYYY-MM-DD]`) and optionally cases to compare outcomes on."""
    body = located(body)
    data = body.data
    errors = []
    for key in data:
        if key not in ("a", "b", "cases"):
            errors.append(FieldError(str(key), f"unknown field '{key}'", hint=did_you_mean(str(key), ("a", "b", "cases"))))
    for key in ("a", "b"):
        spec = data.get(key)
        if not isinstance(spec, str):
            errors.append(FieldError(key, "expected a regime name, optionally with @YYYY-MM-DD (e.g. national@2010-06-01)"))
            continue
        try:
            name, _ = parse_side(spec)
        except LawtraceError as e:
            errors.append(FieldError(key, str(e)))
            continue
        try:
            program(name, key)
        except ApiError as e:
            errors.extend(e.errors)
    cases = data.get("cases")
    if cases is not None and not isinstance(cases, list):
        errors.append(FieldError("cases", "expected a list of cases, each as in a case file"))
    if errors:
        raise ApiError(422, "invalid diff request", errors)
    entries = _cases(body, cases) if cases is not None else None
    try:
        return run_diff(str(data["a"]), str(data["b"]), (), None, entries)
    except LawtraceError as e:
        raise ApiError(422, "invalid case", field_errors(e, body.marks)) from None


def _cases(body: Case, cases: list[object]) -> list[tuple[str, Case]]:
    out = []
    errors = []
    for index, entry in enumerate(cases):
        prefix = f"cases[{index}]"
        if not isinstance(entry, dict):
            errors.append(FieldError(prefix, "expected a case: a mapping with `facts:`"))
            continue
        marks = {path[len(prefix) + 1:]: span for path, span in body.marks.items() if path.startswith(prefix + ".")}
        out.append((str(entry.get("id", index + 1)), Case(body.source, entry, marks)))
    if errors:
        raise ApiError(422, "invalid diff request", errors)
    return out
