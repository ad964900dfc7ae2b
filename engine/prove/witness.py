"""A solver's model as a case: the facts it gives, as the engine holds them and as a readable case file.

Guarantees: the case is evaluated by the ordinary single-case evaluator; minimizing drops every fact (and rounds
every amount) whose removal keeps the violation on the evaluator's results, so the case file gives the fewest facts
in the roundest figures found, and still breaks the property.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import yaml
import z3

from dsl import types as T
from engine.model import ir
from engine.run.evaluate import Evaluator
from engine.prove.encode import ListSym, Space
from engine.run.result import Result, evaluate


@dataclass
class Witness:
    """A case: its date, evaluation date and facts (engine values)."""

    date: date
    as_of: date | None
    facts: dict[str, object]
    kind: str = "worker"
    types: dict[str, T.Type] | None = None  # the facts' declared types, for round figures

    def case_file(self, regime: str, note: str) -> str:
        data: dict[str, object] = {"id": "counterexample", "regime": regime, "notes": note}
        if self.kind != "worker":
            data["kind"] = self.kind
        data["date"] = self.date.isoformat()
        if self.as_of is not None:
            data["as_of"] = self.as_of.isoformat()
        data["facts"] = {k: _plain(v) for k, v in sorted(self.facts.items())}
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _plain(v: object) -> object:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple):
        return [{k: _plain(x) for k, x in r.items()} for r in v]
    return v


def from_model(model: z3.ModelRef, space: Space, kind: str) -> Witness:
    def ev(t):  # noqa: ANN001, ANN202
        return model.eval(t, model_completion=True)

    on = date.fromordinal(ev(space.date).as_long())
    as_of = date.fromordinal(ev(space.as_of).as_long()) if z3.is_true(ev(space.as_of_given)) else None
    facts: dict[str, object] = {}
    for name, fv in space.facts.items():
        if not z3.is_true(ev(fv.given)):
            continue
        facts[name] = _value(ev, fv.value, fv.type, space)
    return Witness(on, as_of, facts, kind, {n: fv.type for n, fv in space.facts.items()})


def _value(ev, term, t: T.Type, space: Space) -> object:  # noqa: ANN001
    if isinstance(t, T.ListType):
        assert isinstance(term, ListSym)
        n = ev(term.length).as_long()
        records = []
        for rec in term.records[:n]:
            r = {}
            for fname, s in rec.fields.items():
                if z3.is_true(ev(s.known)):
                    r[fname] = _value(ev, s.value, t.field(fname).type, space)  # type: ignore[union-attr]
            records.append(r)
        return tuple(records)
    v = ev(term)
    if isinstance(t, T.BoolType):
        return z3.is_true(v)
    if isinstance(t, T.DateType):
        return date.fromordinal(v.as_long())
    if isinstance(t, (T.EnumType, T.PartyType)):
        return space.name_of(v.as_long())
    f = Fraction(v.as_fraction()) if z3.is_rational_value(v) else Fraction(v.as_long())
    return Decimal(f.numerator) / Decimal(f.denominator)


def results(w: Witness, evaluator: Evaluator, baseline: Evaluator | None) -> tuple[Result, Result | None]:
    facts = {k: v for k, v in w.facts.items() if k in evaluator.program.nodes}
    r = evaluate(evaluator, facts, w.date, w.kind, w.as_of)
    b = None
    if baseline is not None:
        bf = {k: v for k, v in w.facts.items() if k in baseline.program.nodes}
        b = evaluate(baseline, bf, w.date, w.kind, w.as_of)
    return r, b


def admissible(w: Witness, result: Result) -> bool:
    """Whether `eval` takes the case: no `require` of the program broken (false, not merely unknown) by the facts
    given, as `engine.run.case.check_requirements` refuses them. Minimizing may drop only what keeps it so (a
    review appraisal's date without its grade is refused, WIIR 28)."""
    program = result.program
    for r in program.requirements:
        about_date = r.fact == ir.CASE_DATE
        if (about_date or r.fact in w.facts) and result.evaluation.get(r.node).value is False:
            return False
    return True


def minimize(w: Witness, still_broken, presumed: tuple[str, ...] = ()) -> Witness:  # noqa: ANN001
    """Drop facts and round figures while `still_broken(witness)` holds (evaluated by the ordinary engine). A fact
    the law presumes from others (`presumed`, e.g. the recognition decision) is tried in their place: one fact
    given instead of the several that make it presumed."""
    def drop(facts: dict[str, object], keep: str | None = None) -> dict[str, object]:
        for name in sorted(facts):
            trial = {k: v for k, v in facts.items() if k != name}
            if name != keep and still_broken(Witness(w.date, w.as_of, trial, w.kind, w.types)):
                facts = trial
        return facts

    facts = drop(dict(w.facts))
    for name in presumed:
        if name in facts:
            continue
        for value in (True, False):
            trial = dict(facts)
            trial[name] = value
            if still_broken(Witness(w.date, w.as_of, trial, w.kind, w.types)):
                smaller = drop(trial, keep=name)
                if len(smaller) < len(facts):
                    facts = smaller
                break
    as_of = w.as_of
    if as_of is not None and still_broken(Witness(w.date, None, facts, w.kind, w.types)):
        as_of = None
    for name, v in list(facts.items()):  # round figures: a round amount, or v rounded, where the violation stays
        t = (w.types or {}).get(name)
        if isinstance(v, Decimal) and isinstance(t, T.IntType):
            candidates = [Decimal(x) for x in (1, 2, 5, 10, 12, 30, 60, 100) if (t.low or 0) <= x <= (t.high or x)]
        elif isinstance(v, Decimal):
            candidates = [Decimal(x) for x in (10000, 8000, 5000, 3000, 1000, 100)]
            candidates += [(v / step).to_integral_value() * step for step in (Decimal(1000), Decimal(100), Decimal(1))]
        elif isinstance(v, date):
            candidates = [w.date, date(w.date.year, 1, 1), date(1970, 1, 1)]
        else:
            continue
        for c in candidates:
            if c == v:
                break
            trial = dict(facts)
            trial[name] = c
            if still_broken(Witness(w.date, as_of, trial, w.kind, w.types)):
                facts = trial
                break
    on = w.date
    for candidate in (date(on.year, 1, 1), date(on.year, on.month, 1)):
        if candidate != on and still_broken(Witness(candidate, as_of, facts, w.kind, w.types)):
            on = candidate
            break
    return Witness(on, as_of, facts, w.kind, w.types)
