"""What a deadline means: the two rules the compiler derives from its clauses, written as ordinary formulas.

A `deadline` in a statute gives when the time limit falls due (`due`), optionally
the latest day it may run to where that is open (`latest`, e.g. a last day that is
a rest day, with the reason in its note), the day the act was done (`done`) and/or
whether it is still not done on the evaluation date (`outstanding`), whether the
limit applies in the case (`applies`) and who must act (`party`). From them:

- `passed`: the evaluation date (case file `as_of`) is after the last day;
  unknown while it lies between `due` and `latest`;
- `missed`: the limit applies and the act was not done in time, as of the
  evaluation date: done after the last day, or still outstanding when it passed.

Both are plain expressions over the clause nodes (`NAME.due`, ...), so they are
type-checked, traced, explained and vectorized like any rule; unknown stays
unknown (an act whose date is not given is not taken as done or undone).
"""

from __future__ import annotations

from dsl import ast
from dsl.source import Span

EVALUATION_DATE = "evaluation_date"  # the built-in name of the case's `as_of`


def derived(d: ast.Deadline) -> dict[str, ast.Expr]:
    """The formulas of `passed` and `missed` for deadline `d` (which has `due` and `done` or `outstanding`)."""
    span = d.span
    fields = {c.field: c for c in d.clauses}

    def ref(name: str) -> ast.Expr:
        return ast.Field(span, ast.Name(span, d.name), name)

    due = ref("due")
    latest = ref("latest") if "latest" in fields else due
    open_reason = _open_reason(d, fields.get("latest"))

    def after_last_day(day: ast.Expr) -> ast.Expr:
        """`day` is after the last day: true after `latest`, false up to `due`, undetermined in between."""
        if "latest" not in fields:
            return ast.Compare(span, ">", day, due)
        return ast.If(span, ast.Compare(span, ">", day, latest), ast.BoolLit(span, True),
                      ast.If(span, ast.Compare(span, "<=", day, due), ast.BoolLit(span, False),
                             ast.Undetermined(span, open_reason)))

    passed = after_last_day(ast.Name(span, EVALUATION_DATE))
    done_late = after_last_day(ref("done")) if "done" in fields else None
    if done_late is not None and "outstanding" in fields:
        not_in_time: ast.Expr = ast.If(span, ast.IsKnown(span, ref("done")), done_late,
                                       ast.And(span, ref("passed"),
                                               ast.If(span, ref("outstanding"), ast.BoolLit(span, True), done_late)))
    elif done_late is not None:
        not_in_time = ast.If(span, ast.IsKnown(span, ref("done")), done_late, ast.And(span, ref("passed"), done_late))
    else:
        not_in_time = ast.And(span, ref("passed"), ref("outstanding"))
    missed = ast.And(span, ref("applies"), not_in_time) if "applies" in fields else not_in_time
    return {"passed": passed, "missed": missed}


def _open_reason(d: ast.Deadline, latest: ast.Clause | None) -> str:
    if latest is not None and latest.note:
        return latest.note
    return f"{d.name}: the last day may run from the due date to the latest date; which one the law fixes is open here"


def check_clauses(d: ast.Deadline) -> list[tuple[str, Span]]:
    """What is wrong with the clauses of `d`, as (message, span)."""
    problems: list[tuple[str, Span]] = []
    seen: set[str] = set()
    for c in d.clauses:
        if c.field in seen:
            problems.append((f"deadline {d.name} has two `{c.field}` clauses", c.span))
        seen.add(c.field)
    if "due" not in seen:
        problems.append((f"deadline {d.name} needs a `due = ...` clause (the last day of the time limit)", d.span))
    if "done" not in seen and "outstanding" not in seen:
        message = (f"deadline {d.name} needs `done = ...` (the day the act was done) or `outstanding = ...` "
                   "(it is not done by the evaluation date), or both")
        problems.append((message, d.span))
    return problems
