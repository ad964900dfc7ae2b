"""`lawtrace diff`: resolve `regime[@date]` specs, load the cases, run the structural and outcome diffs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from dsl.errors import LawtraceError, SourceError
from dsl.source import SourceFile, Span
from engine.run.case import Case, _BadValue, case_date, convert
from engine.analysis.diff import OutcomeChange, RuleChange, Side, diff_outcomes, diff_rules, summarize
from engine.run.result import Result, evaluate
from lawtrace.api import evaluator, load_program


@dataclass(frozen=True)
class DiffReport:
    a: Side
    b: Side
    rules: list[RuleChange]
    outcomes: list[OutcomeChange]
    summary: dict[str, object] | None

    def as_json(self) -> dict[str, object]:
        instruments = {
            i.code: {"zh": i.title_zh, "en": i.title_en, "latest": i.latest}
            for side in (self.a, self.b) for i in side.program.instruments
        }
        out: dict[str, object] = {
            "a": self.a.label, "b": self.b.label, "instruments": instruments,
            "rules": [r.as_json() for r in self.rules],
            "outcomes": [o.as_json() for o in self.outcomes],
        }
        if self.summary is not None:
            out["summary"] = self.summary
        return out


def parse_side(spec: str) -> tuple[str, date | None]:
    name, _, when = spec.partition("@")
    if not when:
        return name, None
    try:
        return name, date.fromisoformat(when)
    except ValueError:
        raise LawtraceError(f"{spec}: the date after @ must be written YYYY-MM-DD") from None


def run_diff(spec_a: str, spec_b: str, rules: tuple[Path, ...], cases_path: str | None,
             cases: list[tuple[str, Case]] | None = None) -> DiffReport:
    """`cases` (id, case) already read, as the web API has them, stand in for a `cases_path`."""
    name_a, on_a = parse_side(spec_a)
    name_b, on_b = parse_side(spec_b)
    side_a = Side(load_program(name_a), on_a)
    side_b = Side(load_program(name_b, rules), on_b)
    changes = diff_rules(side_a, side_b)
    outcomes: list[OutcomeChange] = []
    summary = None
    if cases_path is not None:
        cases = load_cases(cases_path)
    if cases is not None:
        pairs: list[tuple[str, Result, Result]] = []
        for case_id, case in cases:
            old = _evaluate(case, name_a, (), on_a)
            new = _evaluate(case, name_b, rules, on_b)
            pairs.append((case_id, old, new))
            outcomes.extend(diff_outcomes(case_id, old, new))
        summary = summarize(outcomes, pairs)
    return DiffReport(side_a, side_b, changes, outcomes, summary)


def _evaluate(case: Case, regime: str, rules: tuple[Path, ...], on: date | None) -> Result:
    program = load_program(regime, rules)
    declared = {f.id: f for f in program.facts()}
    facts: dict[str, object] = {}
    errors = []
    for name, raw in case.raw_facts.items():
        if raw is None or name not in declared:
            continue  # a fact another regime declares cannot change this regime's answer
        try:
            facts[str(name)] = convert(raw, declared[str(name)].type, f"facts.{name}")
        except _BadValue as e:
            errors.append(case.error(e.path, e.message))
    if errors:
        raise errors[0]
    return evaluate(evaluator(regime, rules), facts, on or case_date(case, None))


MAX_POPULATION_CASES = 100_000  # each case is evaluated twice with its full trace: a bound on the time it takes


def _population_cases(path: Path, source: SourceFile) -> list[tuple[str, Case]]:
    """The rows of a CSV or Parquet population (the encoding of `lawtrace simulate`) as cases."""
    from engine.columns.population import DATE_COLUMN, ID_COLUMN, read_batches

    out: list[tuple[str, Case]] = []
    for batch in read_batches(path):
        for row in batch.to_pylist():
            number = len(out) + 1
            if number > MAX_POPULATION_CASES:
                raise LawtraceError(f"{path}: more than {MAX_POPULATION_CASES} rows; compare outcomes of a sample, "
                                    "or cost the whole population with `lawtrace simulate --baseline`")
            facts = {k: _cell(v) for k, v in row.items() if k not in (DATE_COLUMN, ID_COLUMN) and _cell(v) is not None}
            data: dict[str, object] = {"facts": facts}
            if row.get(DATE_COLUMN) not in (None, ""):
                data["date"] = str(row[DATE_COLUMN])
            case_id = str(row[ID_COLUMN]) if row.get(ID_COLUMN) not in (None, "") else f"row {number}"
            out.append((case_id, Case(source, data)))
    return out


def _cell(value: object) -> object:
    """A population cell as a case file would hold it: empty is absent, text is read as YAML (true, 7, [..])."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            return value
        return value if isinstance(parsed, dict) else parsed
    return value


def load_cases(path: str) -> list[tuple[str, Case]]:
    """A JSON or YAML list of cases, each as in a case file."""
    try:
        source = SourceFile.read(Path(path), path)
    except FileNotFoundError:
        raise LawtraceError(f"{path}: no such cases file") from None
    if path.endswith((".csv", ".parquet")):
        return _population_cases(Path(path), source)
    try:
        data = yaml.safe_load(source.text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        span = Span(path, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2) if mark else None
        raise SourceError(f"not valid JSON or YAML: {getattr(e, 'problem', e)}", span, source) from None
    if not isinstance(data, list):
        raise SourceError("a cases file is a list of cases (each with `facts:`)", Span(path, 1, 1, 1, 2), source)
    out = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise SourceError(f"case {index + 1} is not a mapping with `facts:`", Span(path, 1, 1, 1, 2), source)
        case_id = str(entry.get("id", index + 1))
        out.append((case_id, Case(source, entry)))
    return out
