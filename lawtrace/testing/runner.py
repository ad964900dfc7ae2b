"""Run YAML statute tests and report them: one line a test, then each failure as expected against actual.

The same function runs a test for `lawtrace test` and for the pytest plugin, so both judge alike.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dsl.errors import LawtraceError, SourceError
from engine.run.result import result_json
from lawtrace.testing.compare import BadExpectation, Mismatch, compare
from lawtrace.testing.spec import YamlTest


@dataclass(frozen=True)
class Outcome:
    test: YamlTest
    status: str  # passed | failed | error
    mismatches: tuple[Mismatch, ...] = ()
    error: str | None = None  # the located message of a test that could not run

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"file": self.test.file, "line": self.test.line, "name": self.test.name,
                                  "outcome": self.status}
        if self.mismatches:
            out["mismatches"] = [m.as_json() | {"line": self.line_of(m)} for m in self.mismatches]
        if self.error:
            out["error"] = self.error
        return out

    def line_of(self, m: Mismatch) -> int:
        """The line of the expectation that failed (the closest written key above it)."""
        path = "expect." + m.path.split("[")[0]
        while path:
            span = self.test.marks.get(path)
            if span is not None:
                return span.line
            path = path.rpartition(".")[0]
        return self.test.line


def run_test(test: YamlTest) -> Outcome:
    from lawtrace.api import evaluate_case

    refused = test.expect.get("error")  # the case must be refused, with a message saying this
    try:
        result = evaluate_case(test.case, test.regime, None, test.rules)
        if refused is not None:
            return Outcome(test, "failed", (Mismatch("error", refused, None, "the case was not refused"),))
        data = result_json(result, include_trace=False)
        mismatches = compare(test.expect, data)
    except BadExpectation as e:
        span = test.marks.get(f"expect.{e.path}") or test.span
        return Outcome(test, "error", error=SourceError(e.message, span, test.source).render())
    except LawtraceError as e:
        if refused is not None:
            said = e.render()
            wanted = [str(x) for x in (refused if isinstance(refused, list) else [refused])]
            absent = [w for w in wanted if w not in said]
            return Outcome(test, "failed", (Mismatch("error", absent, said, "the refusal does not say it"),)) if absent \
                else Outcome(test, "passed")
        return Outcome(test, "error", error=e.render())
    return Outcome(test, "failed" if mismatches else "passed", tuple(mismatches))


def show(x: object) -> str:
    """A value as a test file writes it: null, true, 78000.00, [a, b]."""
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (list, dict)):
        return json.dumps(x, ensure_ascii=False, default=str)
    return str(x)


def _like(expected: object, actual: object) -> object:
    """An expected number written as the result writes it (72001 as 72001.00 beside an amount)."""
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(actual, str) and "." in actual:
        places = len(actual.rpartition(".")[2])
        try:
            return f"{Decimal(str(expected)):.{places}f}"
        except InvalidOperation:
            return expected
    return expected


def failure_text(outcome: Outcome) -> str:
    """The readable difference of a failed test, or the error of a test that could not run."""
    if outcome.error:
        return outcome.error
    lines = []
    for m in outcome.mismatches:
        lines.append(f"{outcome.test.file}:{outcome.line_of(m)}: {m.path}" + (f"  ({m.note})" if m.note else ""))
        lines.append(f"  - expected: {show(_like(m.expected, m.actual))}")
        lines.append(f"  + actual:   {show(m.actual)}")
    return "\n".join(lines)


def report_text(outcomes: list[Outcome], seconds: float) -> str:
    lines = [f"{o.test.test_id} {o.status.upper()}" for o in outcomes]
    bad = [o for o in outcomes if o.status != "passed"]
    for o in bad:
        title = f" {o.test.name} ({o.test.file}:{o.test.line}) "
        lines += ["", title.center(100, "_"), failure_text(o)]
    lines.append("")
    lines.append(summary(outcomes, seconds).center(100, "="))
    return "\n".join(lines) + "\n"


def summary(outcomes: list[Outcome], seconds: float) -> str:
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("failed", "passed", "error")}
    parts = [f"{n} {s if s != 'error' else 'errors' if n != 1 else 'error'}" for s, n in counts.items() if n]
    return f" {', '.join(parts) or 'no tests'} in {seconds:.2f}s "


def run_all(tests: list[YamlTest]) -> tuple[list[Outcome], float]:
    start = time.perf_counter()
    outcomes = [run_test(t) for t in tests]
    return outcomes, time.perf_counter() - start


def report_json(outcomes: list[Outcome], seconds: float, file_errors: list[str]) -> dict[str, object]:
    return {
        "tests": [o.as_json() for o in outcomes],
        "file_errors": file_errors,
        "summary": {s: sum(1 for o in outcomes if o.status == s) for s in ("passed", "failed", "error")}
        | {"seconds": round(seconds, 3)},
    }
