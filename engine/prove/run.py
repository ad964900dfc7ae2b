"""The driver: translate, state the obligations, ask Z3 for each with a time-out, confirm every counterexample.

Guarantees: each answer is `proved` (no case within the bounds breaks it), `refuted` (with a counterexample the
ordinary evaluator confirms, minimized), `unknown` (the solver gave up: its reason; or a counterexample rests on a
construct the translation abstracts, under the property or under a `require`, and even after refinement the evaluator
does not confirm that it breaks the property in a case `eval` takes; or a construct has no translation, named),
or `inconsistent`: a counterexample the evaluator does not confirm and no abstraction explains, a defect of the
translation that the caller reports as an internal inconsistency (exit 3).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import z3

from dsl import types as T
from engine.model import ir
from engine.run.evaluate import Evaluator
from engine.prove.encode import Abstraction, Bounds, Encoder, Space, Untranslatable
from engine.prove.encode_calls import lemmas
from engine.prove.properties import (BASELINE, SINGLE, Obligation, assertion_obligations, baseline_obligations,
                                     single_obligations)
from engine.prove.witness import Witness, admissible, from_model, minimize, results


REFINEMENTS = 8  # times a counterexample through an abstraction is refined with the evaluator's values


@dataclass
class Answer:
    property: str
    subject: str
    kind: str
    status: str  # proved | refuted | unknown | inconsistent
    seconds: float
    reason: str | None = None
    witness: Witness | None = None
    abstractions: list[Abstraction] = field(default_factory=list)
    labels: tuple[str, str] | None = None
    check: object = None  # the obligation's test on evaluated results (Result, baseline Result | None) -> broken


@dataclass
class Report:
    regime: str
    baseline: str | None
    bounds: Bounds
    timeout: float
    answers: list[Answer]
    untranslatable: list[str]  # constructs with no translation, by node: reported, never skipped
    seconds: float


def prove(program: ir.Program, evaluator: Evaluator, *, baseline: ir.Program | None = None,
          baseline_evaluator: Evaluator | None = None, bounds: Bounds = Bounds(), timeout: float = 10.0,
          properties: tuple[str, ...] | None = None, assertions: bool = False, only: tuple[str, ...] = ()) -> Report:
    """Prove the built-in properties (of `properties`, default all that apply), or the statutes' assertions."""
    started = time.perf_counter()
    space = Space(bounds)
    enc = Encoder(program, space, "R")
    base = Encoder(baseline, space, "B") if baseline is not None else None
    obligations: list[Obligation] = []
    untranslatable: list[str] = []
    try:
        if assertions:
            obligations += assertion_obligations(enc, program)
        else:
            wanted = properties or (SINGLE + (BASELINE if baseline is not None else ()))
            obligations += single_obligations(enc, program, tuple(p for p in wanted if p in SINGLE))
            if base is not None and baseline is not None:
                obligations += baseline_obligations(enc, base, program, baseline,
                                                    tuple(p for p in wanted if p in BASELINE))
    except Untranslatable as e:
        untranslatable.append(f"{e.node}: {e.construct} ({e.span})")
    if only:
        obligations = [o for o in obligations if o.subject in only]
    untranslatable += sorted({o.untranslatable for o in obligations if o.untranslatable})
    guards = _requirements(enc, program, untranslatable) + (
        _requirements(base, baseline, untranslatable) if base is not None and baseline is not None else [])
    solver = z3.Solver()
    solver.set("timeout", max(1, int(timeout * 1000)))
    solver.add(*space.facts_constraints, *guards)
    # a `require` through an abstracted call (WIIR 28: add_years) may hold in a model and be broken on the evaluator
    refused = _requirement_abstractions(enc, program) + (
        _requirement_abstractions(base, baseline) if base is not None and baseline is not None else [])
    answers = [_answer(o, solver, space, enc, base, evaluator, baseline_evaluator, timeout, refused)
               for o in obligations]
    return Report(program.regime, baseline.regime if baseline is not None else None, bounds, timeout, answers,
                  untranslatable, time.perf_counter() - started)


def _requirements(enc: Encoder, program: ir.Program, untranslatable: list[str]) -> list[z3.BoolRef]:
    """A case whose given facts break a `require` is refused by `eval`: no counterexample may be one."""
    out = []
    for r in program.requirements:
        try:
            if r.fact != ir.CASE_DATE:
                enc.node(r.fact)
            s = enc.node(r.node)
        except Untranslatable as e:
            untranslatable.append(f"{e.node}: {e.construct} ({e.span})")
            continue
        given = z3.BoolVal(True) if r.fact == ir.CASE_DATE else enc.space.facts[r.fact].given  # a case has its date
        out.append(z3.Implies(given, z3.Not(z3.And(s.known, z3.Not(s.value)))))
    return out


def _requirement_abstractions(enc: Encoder, program: ir.Program) -> list[Abstraction]:
    return enc.abstractions_under([r.node for r in program.requirements])


def _check(solver: z3.Solver, violation: z3.BoolRef, timeout: float) -> tuple[object, object, str | None]:
    """The shared incremental solver first, for a quarter of the time; where it gives up, fresh solvers share the
    rest (a fresh solver preprocesses more, and non-linear products of two facts depend on the solver's random
    seed: a small portfolio of seeds and logics settles what one run may not)."""
    first = max(0.2, timeout / 4)
    solver.push()
    try:
        solver.set("timeout", max(1, int(first * 1000)))
        solver.add(violation)
        verdict = solver.check()
        model = solver.model() if verdict == z3.sat else None
        reason = solver.reason_unknown() if verdict == z3.unknown else None
    finally:
        solver.pop()
    if verdict != z3.unknown:
        return verdict, model, reason
    rest = max(0.2, timeout - first) / len(PORTFOLIO)
    for logic, seed in PORTFOLIO:
        fresh = z3.SolverFor(logic) if logic else z3.Solver()
        fresh.set("timeout", max(1, int(rest * 1000)))
        fresh.set("random_seed", seed)
        fresh.add(*solver.assertions(), violation)
        verdict = fresh.check()
        if verdict != z3.unknown:
            return verdict, fresh.model() if verdict == z3.sat else None, None
        reason = fresh.reason_unknown()
    return verdict, None, reason


PORTFOLIO = (("QF_NIRA", 0), ("QF_NIRA", 7), (None, 3))


def _solve(solver: z3.Solver, o: Obligation, timeout: float) -> tuple[object, object, str | None]:
    """The violation without what defines the variables of period walks first: no case breaks what breaks nowhere
    even with those variables free. Where the solver finds a case that way, it is asked again with their definition,
    in what is left of the time (at least a third of it): only a case the definition allows is a counterexample."""
    if o.defined is None:
        return _check(solver, o.violation, timeout)
    started = time.perf_counter()
    verdict, model, reason = _check(solver, o.violation, timeout)
    if verdict != z3.sat:
        return verdict, model, reason
    left = max(timeout - (time.perf_counter() - started), timeout / 3)
    return _check(solver, z3.And(o.violation, o.defined()), left)


def _answer(o: Obligation, solver: z3.Solver, space: Space, enc: Encoder, base: Encoder | None,
            evaluator: Evaluator, baseline_evaluator: Evaluator | None, timeout: float,
            refused: list[Abstraction]) -> Answer:
    """`refused`: the abstractions under the programs' `require`s, which decide whether `eval` takes a case."""
    started = time.perf_counter()
    if o.untranslatable is not None:  # reported by name, never skipped, never proved
        return Answer(o.property, o.subject, o.kind, "unknown", 0.0, reason=f"no translation for {o.untranslatable}",
                      labels=o.labels, check=o.violated)
    abstractions = enc.abstractions_under(o.roots) + (base.abstractions_under(o.baseline_roots) if base else [])
    instances = enc.instances + (base.instances if base is not None else [])

    def judged(x: Witness) -> tuple[bool, bool]:  # whether `eval` takes the case (no `require` broken); violated
        r, b = results(x, evaluator, baseline_evaluator)
        return admissible(x, r) and (b is None or admissible(x, b)), o.violated(r, b)

    def broken(x: Witness) -> bool:
        return all(judged(x))

    w: Witness | None = None
    judgement = (False, False)  # whether `eval` takes the last model's case, whether it breaks the property
    for attempt in range(REFINEMENTS + 1):
        verdict, model, reason = _solve(solver, o, timeout)
        if model is None:
            break
        w = from_model(model, space, o.kind)
        judgement = judged(w)
        # judged as the answer is: a case a `require` refuses is refined too, never answered from (which model the
        # solver returns first depends on what ran before in the process: the answer must not)
        if all(judgement) or not (abstractions or refused) or attempt == REFINEMENTS:
            break
        # the model rests on a value of an abstracted call the evaluator does not compute: learn the real one
        solver.add(*lemmas(instances, model))

    def done(status: str, **kw: object) -> Answer:
        return Answer(o.property, o.subject, o.kind, status, time.perf_counter() - started,
                      abstractions=abstractions, labels=o.labels, check=o.violated, **kw)  # type: ignore[arg-type]

    if verdict == z3.unsat:
        return done("proved")
    if verdict == z3.unknown:
        if reason in ("timeout", "canceled"):
            reason = f"the solver did not finish within {timeout:g} s"
        return done("unknown", reason=reason)
    assert w is not None
    taken, violated = judgement
    if taken and violated:
        presumed = tuple(n.id for n in evaluator.program.facts()
                         if n.presumption is not None and isinstance(n.type, T.BoolType))
        return done("refuted", witness=minimize(w, broken, presumed))
    if (violated or abstractions) and (taken or refused):  # what the evaluator disagrees on is abstracted
        rests_on = (abstractions if not violated else []) + (refused if not taken else [])
        names = ", ".join(sorted({f"{a.construct} in {a.node}" for a in rests_on}))
        return done("unknown", reason=f"the solver's counterexample rests on what the translation abstracts ({names}) "
                                      "and the evaluator does not confirm it", witness=w)
    return done("inconsistent", reason="the evaluator does not confirm the solver's counterexample: "
                                       "a defect of the translation", witness=w)
