"""Evaluate one case against a compiled program, lazily, in three-valued logic, recording a trace.

Guarantees: an absent fact is unknown (never false or zero) unless the statutes
declare a presumption for it, and every presumption used is listed; money is
Decimal, rounded half up to the fen at each money-valued node; parameters and
dated rules are chosen by the case's date; every node evaluated is in the trace
with its value, the citations that applied, and the nodes it read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

import msgspec

from dsl import bounds
from dsl import types as T
from dsl.source import Span
from dsl.texts import zh_of
from engine.model import ir
from engine.model.citations import Citation
from engine.run.conflicts import check_conflicts
from engine.law_time.dates import add_months, add_years_decimal, first_day_of_year, months_between, years_between
from engine.model.diagnostics import Diagnostic
from engine.model.events import bound_facts
from engine.model.subexpressions import formulas_of
from engine.model.term_shapes import FormulaText
from engine.model.term_shapes import structured as _structured
from engine.model.values import NOTHING, UNKNOWN, V, to_fen, unknown
from engine.law_time.workdays import MissingYear, calendar

if TYPE_CHECKING:
    from engine.build.formula_texts import Maker

Env = dict[str, tuple[dict[str, object], str]]
_UNKNOWN = V(UNKNOWN)
_VALUE, _FACT, _PARAM = 0, 1, 2  # the kinds of node `Evaluation._evaluate` dispatches on
Fn = Callable[["Evaluation", Env], V]


class TraceNode:
    """One node of a case's trace: its value, the rule and citations that applied, the nodes it read.

    A plain class with slots (not a dataclass): one is made per node evaluated, and its `__init__` is on the hot
    path; the lists of lookups and of inputs read only for a citation are made when the first is noted."""

    __slots__ = ("id", "kind", "value", "citations", "inputs", "rule_from", "rule_span", "source", "lookups",
                 "assumed", "given", "expr", "note", "terms", "cite_inputs")

    def __init__(self, id: str, kind: str, value: V, citations: tuple[Citation, ...], inputs: list[str]):
        self.id = id
        self.kind = kind
        self.value = value
        self.citations = citations
        self.inputs = inputs
        self.rule_from: date | None = None
        self.rule_span: Span | None = None  # formatted as file:line:col only when the trace is written
        self.source: str | None = None
        self.lookups: list[tuple[str, object, object]] | tuple[()] = ()
        self.assumed = False
        self.given = False
        self.expr: ir.Expr | None = None  # the formula used: the dated version chosen, or the presumption applied
        self.note: str | None = None
        self.terms: dict[int, V] = {}  # id(sub-expression) → its value, for explanations
        self.cite_inputs: list[str] | tuple[()] = ()  # read only to decide which citation applies: not a basis


class Assumption(msgspec.Struct, frozen=True):
    fact: str
    value: object
    kind: str
    reason: str
    basis: tuple[Citation, ...]


class Evaluator:
    """A program with each formula compiled to a Python closure (when first evaluated); evaluates many cases."""

    def __init__(self, program: ir.Program):
        self.program = program
        self.compiled: dict[int, Fn] = {}
        # Per node, what `Evaluation.get` needs, looked up once here rather than tested on every evaluation:
        # the node, its kind (_VALUE, _FACT, _PARAM), whether it is money, whether lower rules were refused on it.
        self.plans: dict[str, tuple[ir.Node, int, bool, bool]] = {
            n.id: (n, _VALUE if isinstance(n, ir.ValueNode) else _FACT if isinstance(n, ir.FactNode) else _PARAM,
                   isinstance(n.type, T.MoneyType), n.id in program.conflicts)
            for n in program.nodes.values()}
        # The citation lists that hold only under a condition (`cite ... when ...`), by identity.
        self.conditional: set[int] = set()
        # What the trace of every case prints of a formula (its text, term shape, names), by identity: made when
        # the regime was compiled (`ir.Program.formulas`), or by `formula` for one the compiler did not make.
        self.formulas: dict[int, FormulaText] = {id(f.expr): f for f in program.formulas}  # type: ignore[attr-defined]
        self._maker: Maker | None = None
        # A type's text and members as the trace JSON gives them, by identity (the type kept, so the id stays its own).
        self.type_json: dict[int, tuple[T.Type, str, dict[str, dict[str, str]] | None]] = {}
        self.span_text: dict[int, tuple[Span, str]] = {}  # engine.run.result: a rule's `file:line:col`, written once
        self.labelled_fields: dict[str, object] | None = None  # engine.run.result: list fields with labels, by name
        self.period_free: frozenset[str] | None = program.period_free  # the nodes `period_day` cannot change
        self.event_facts: frozenset[str] = bound_facts(program)  # the facts the events' dates are read from
        # The formulas are compiled when first evaluated, not here: a command that evaluates one case runs a few
        # hundred of the program's formulas, and its start-up is most of what a caseworker waits for.
        for node in program.nodes.values():
            for _, cite_when in formulas_of(node):
                self._conditions(cite_when)

    def _conditions(self, cite_when: tuple[ir.Expr | None, ...]) -> None:
        if any(w is not None for w in cite_when):
            self.conditional.add(id(cite_when))

    def formula(self, e: ir.Expr) -> FormulaText:
        """What the trace prints of one of the program's formulas (a dated version's or a presumption's).

        Made here only for a formula the compiler did not see: in a program a test assembles or alters (a node
        replaced after compiling), whose records are missing or are the replaced formulas'."""
        got = self.formulas.get(id(e))
        if got is None:
            if self._maker is None:
                from engine.build.formula_texts import Maker

                self._maker = Maker()
            got = self.formulas[id(e)] = self._maker.formula(e)
        return got

    def evaluate(self, facts: dict[str, object], on: date | None, as_of: date | None = None) -> Evaluation:
        return Evaluation(self, facts, on, as_of)

    def _compile(self, e: ir.Expr) -> Fn:
        fn = self.compiled.get(id(e))
        if fn is None:
            fn = _COMPILERS[type(e)](self, e)
            if _structured(e):
                fn = _recorded(fn, e)
            self.compiled[id(e)] = fn
        return fn

    def _operand(self, e: ir.Expr) -> Fn:
        """An operand of a condition, a choice or a call: its value is recorded for the explanation."""
        fn = self._compile(e)
        return fn if _structured(e) else _recorded(fn, e)


class Evaluation:
    """The lazy evaluation of one case; `get(node)` evaluates a node once and records it in the trace."""

    def __init__(self, evaluator: Evaluator, facts: dict[str, object], on: date | None, as_of: date | None = None):
        self.evaluator = evaluator
        self.program = evaluator.program
        self.facts = facts
        self.date = on
        self.evaluated_on = as_of  # the date the answer is given for (`evaluation_date`): deadlines, late fees
        self.period_day: date | None = None  # the day a stream is judged on (`period_day`): engine.run.periods
        self.cache: dict[str, V] = {}
        self.trace: dict[str, TraceNode] = {}
        self.assumed: dict[str, Assumption] = {}
        self.diagnostics: list[Diagnostic] = []
        self._frames: list[TraceNode] = []
        self.speculative = 0  # > 0 while both branches of an `if` with an unknown condition are tried
        self.cited_below: dict[str, dict[Citation, None]] = {}  # engine.run.result: a node's basis, once
        self.quieted: set[str] = set()  # the nodes under evaluation when a warning was left unsaid (`quiet`)

    # ------------------------------------------------------------ nodes

    def get(self, node_id: str) -> V:
        frames = self._frames
        if frames:
            inputs = frames[-1].inputs
            if node_id not in inputs:
                inputs.append(node_id)
        cached = self.cache.get(node_id)
        if cached is not None:
            return cached
        return self._evaluate(node_id)

    def _evaluate(self, node_id: str) -> V:
        """A node not evaluated yet: its rule chosen and run under a new trace frame, the value kept and traced."""
        node, kind, money, conflicted = self.evaluator.plans[node_id]
        frame = TraceNode(node_id, node.kind, _UNKNOWN, (), [])
        frames = self._frames
        frames.append(frame)
        try:
            if kind == _VALUE:
                value = self._value(node, frame)  # type: ignore[arg-type]
            elif kind == _FACT:
                value = self._fact(node, frame)  # type: ignore[arg-type]
            else:
                value = self._param(node, frame, self.date, node_id)  # type: ignore[arg-type]
        finally:
            frames.pop()
        if money and value.value is not UNKNOWN and isinstance(value.value, Decimal):
            problem = bounds.money_problem(value.value)
            if problem:  # beyond what the engine holds exactly: undetermined and said, never rounded into nonsense
                self.error(f"{node_id}: {problem}", getattr(node, "span", None))
                value = V(UNKNOWN)
            else:
                value = V(to_fen(value.value))
        frame.value = value
        self.cache[node_id] = value
        self.trace[node_id] = frame
        if conflicted:
            check_conflicts(self, node_id, value)
        return value

    def get_detached(self, node_id: str) -> V:
        """A node's value evaluated under a detached frame: it is not recorded as an input of the node being computed."""
        self._frames.append(TraceNode("~detached", "value", V(UNKNOWN), (), []))
        try:
            return self.get(node_id)
        finally:
            self._frames.pop()

    def _fact(self, node: ir.FactNode, frame: TraceNode) -> V:
        frame.citations = node.cites
        frame.rule_span = node.span
        if node.id in self.facts:
            frame.given = True
            return V(self.facts[node.id])
        p = node.presumption
        if p is None:
            return V(UNKNOWN, frozenset((node.id,)))
        result = self.evaluator._compile(p.expr)(self, {})
        if result.value is UNKNOWN:
            return V(UNKNOWN, result.missing | {node.id})
        frame.assumed = True
        frame.citations = self._cites(p.cites, p.cite_when)
        frame.rule_span = p.span
        frame.expr = p.expr
        if node.id not in self.assumed:
            self.assumed[node.id] = Assumption(node.id, result.value, p.kind, p.reason, frame.citations)
        return V(result.value)

    def _param(self, node: ir.ParamNode, frame: TraceNode, on: date | None, label: str) -> V:
        if on is None:
            return V(UNKNOWN, frozenset(("date",)))
        version = next((v for v in node.versions if v.start <= on), None)
        if version is None:
            self._not_in_force(label, node.versions[-1].start, on, node.cites)
            return V(UNKNOWN)
        if version.value == ir.NOT_SHIPPED:  # after the parameter's `until`: no figure, not the last one carried on
            self._not_shipped(label, version.start, on, node.cites)
            return V(UNKNOWN)
        frame.rule_from = version.start
        frame.rule_span = version.span
        frame.source = version.source
        frame.citations = self._cites(version.cites, version.cite_when)
        return V(version.value)

    def _value(self, node: ir.ValueNode, frame: TraceNode) -> V:
        versions = node.versions
        if versions[0].start is None:
            version = versions[0]
        elif self.date is None:
            return V(UNKNOWN, frozenset(("date",)))
        else:
            found = next((v for v in versions if v.start is not None and v.start <= self.date), None)
            if found is None:
                self._not_in_force(node.id, versions[-1].start, self.date, node.cites)
                return V(UNKNOWN)
            version = found
        frame.rule_from = version.start
        frame.rule_span = version.span
        frame.expr = version.expr
        frame.note = version.note or node.note
        ev = self.evaluator
        result = ev._compile(version.expr)(self, {})
        when = version.cite_when
        frame.citations = version.cites if id(when) not in ev.conditional else self._cites(version.cites, when)
        return result

    def _cites(self, cites: tuple[Citation, ...], conditions: tuple[ir.Expr | None, ...]) -> tuple[Citation, ...]:
        """The citations that hold in this case: all of them, unless some hold only under a condition."""
        if id(conditions) not in self.evaluator.conditional:
            return cites
        frame = self._frames[-1] if self._frames else None
        before = len(frame.inputs) if frame is not None else 0
        out = []
        for c, cond in zip(cites, conditions):
            if cond is None or self.evaluator._compile(cond)(self, {}).value is not False:
                out.append(c)
        if frame is not None:  # what the conditions alone read chooses the citation; the answer does not rest on it
            read = [i for i in frame.inputs[before:] if i not in frame.cite_inputs]
            if read:
                frame.cite_inputs = [*frame.cite_inputs, *read]
        return tuple(out)

    def _not_in_force(self, what: str, earliest: date | None, on: date, cites: tuple[Citation, ...]) -> None:
        message = f"no rule for {self._label_en(what)} is in force on {on.isoformat()}"
        zh = f"{on.isoformat()} 没有施行中的规定可确定 {self._label_zh(what)}"
        if earliest is not None:
            message += f" (the earliest starts {earliest.isoformat()})"
            zh += f"（最早的规定自 {earliest.isoformat()} 起施行）"
        d = Diagnostic("warning", message, cites[:1], zh=zh)
        if d not in self.diagnostics:
            self.diagnostics.append(d)

    def _not_shipped(self, what: str, after: date, on: date, cites: tuple[Citation, ...]) -> None:
        last = (after - timedelta(days=1)).isoformat()
        d = Diagnostic("warning", f"{what}: no figure is shipped for {on.isoformat()} (the last applies to {last}); "
                       "give it in the case", cites[:1])
        if d not in self.diagnostics:
            self.diagnostics.append(d)

    def as_of(self, node_id: str, on: date) -> V:
        node = self.program.nodes[node_id]
        assert isinstance(node, ir.ParamNode)
        if self._frames and node_id not in self._frames[-1].inputs:
            self._frames[-1].inputs.append(node_id)
        frame = TraceNode(f"{node_id}@{on.isoformat()}", "parameter", V(UNKNOWN), (), [])
        value = self._param(node, frame, on, node_id)
        frame.value = value
        self.trace.setdefault(frame.id, frame)
        if self._frames and frame.id not in self._frames[-1].inputs:
            self._frames[-1].inputs.append(frame.id)
        return value

    def note_lookup(self, table: str, key: object, value: object) -> None:
        if self._frames:
            frame = self._frames[-1]
            frame.lookups = [*frame.lookups, (table, key, value)]

    def error(self, message: str, span: object) -> None:
        d = Diagnostic("error", f"{message} ({span})")
        if d not in self.diagnostics:
            self.diagnostics.append(d)

    def _label_en(self, node_id: str) -> str:
        node = self.program.nodes.get(node_id)
        labels = getattr(node, "labels", None)
        return f"「{labels.en}」" if labels is not None and labels.en and labels.en != node_id else node_id

    def _label_zh(self, node_id: str) -> str:
        node = self.program.nodes.get(node_id)
        labels = getattr(node, "labels", None)
        return f"「{labels.zh}」" if labels is not None and labels.zh else node_id

    def quiet(self) -> None:
        """A warning left unsaid while both branches of an `if` are tried: the nodes being evaluated are noted, for
        what another evaluation of the same case may take over from this one (`engine.run.periods`)."""
        self.quieted.update(f.id for f in self._frames)

    def warn(self, message: str, zh: str | None = None) -> None:
        """A warning on the node being evaluated, cited to it (not while both branches of an `if` are tried)."""
        if self.speculative:
            self.quiet()
            return
        node = self.program.nodes.get(self._frames[-1].id) if self._frames else None
        d = Diagnostic("warning", message, node.cites if node is not None else (), zh=zh)
        if d not in self.diagnostics:
            self.diagnostics.append(d)


# ---------------------------------------------------------------- expression compilers


def _recorded(fn: Fn, e: ir.Expr) -> Fn:
    """`fn`, recording its value in the trace node being evaluated (outside aggregates, where it varies per record)."""
    key = id(e)
    if isinstance(e, ir.Ref):
        return _recorded_ref(e.node, key)
    if isinstance(e, ir.Const):
        const = V(e.value)

        def recorded_const(s: Evaluation, env: Env) -> V:
            if not env and s._frames:
                s._frames[-1].terms[key] = const
            return const
        return recorded_const

    def recorded(s: Evaluation, env: Env) -> V:
        v = fn(s, env)
        if not env and s._frames:
            s._frames[-1].terms[key] = v
        return v
    return recorded


def _const(ev: Evaluator, e: ir.Const) -> Fn:
    v = V(e.value)
    return lambda s, env: v


def _recorded_ref(node: str, key: int) -> Fn:
    """A node read as an operand and recorded: `Evaluation.get` and the recording in one call (the hot path)."""

    def recorded_ref(s: Evaluation, env: Env) -> V:
        frames = s._frames
        if frames:
            inputs = frames[-1].inputs
            if node not in inputs:
                inputs.append(node)
        v = s.cache.get(node)
        if v is None:
            v = s._evaluate(node)
        if not env and frames:
            frames[-1].terms[key] = v
        return v
    return recorded_ref


def _ref(ev: Evaluator, e: ir.Ref) -> Fn:
    node = e.node

    def ref(s: Evaluation, env: Env) -> V:  # `Evaluation.get`, inlined: most reads find the node evaluated
        frames = s._frames
        if frames:
            inputs = frames[-1].inputs
            if node not in inputs:
                inputs.append(node)
        v = s.cache.get(node)
        return v if v is not None else s._evaluate(node)
    return ref


def _local(ev: Evaluator, e: ir.Local) -> Fn:
    name = e.name
    return lambda s, env: V(env[name])


def _unary(ev: Evaluator, e: ir.Unary) -> Fn:
    inner = ev._operand(e.operand) if e.op == "not" else ev._compile(e.operand)
    if e.op == "known":
        return lambda s, env: V(inner(s, env).known)
    if e.op == "not":
        def not_(s: Evaluation, env: Env) -> V:
            v = inner(s, env)
            return V(not v.value) if v.value is not UNKNOWN else v
        return not_

    def neg(s: Evaluation, env: Env) -> V:
        v = inner(s, env)
        return V(-v.value) if v.value is not UNKNOWN else v  # type: ignore[operator]
    return neg


def _and(left: Fn, right: Fn) -> Fn:
    def and_(s: Evaluation, env: Env) -> V:
        a = left(s, env)
        if a.value is False:
            return a
        b = right(s, env)
        if b.value is False:
            return b
        if a.value is not UNKNOWN and b.value is not UNKNOWN:
            return b
        return unknown(a.missing, b.missing)
    return and_


def _or(left: Fn, right: Fn) -> Fn:
    def or_(s: Evaluation, env: Env) -> V:
        a = left(s, env)
        if a.value is True:
            return a
        b = right(s, env)
        if b.value is True:
            return b
        if a.value is not UNKNOWN and b.value is not UNKNOWN:
            return b
        return unknown(a.missing, b.missing)
    return or_


def _otherwise(left: Fn, right: Fn) -> Fn:
    def otherwise(s: Evaluation, env: Env) -> V:
        a = left(s, env)
        if a.value is not UNKNOWN:
            return a
        b = right(s, env)
        return b if b.value is not UNKNOWN else unknown(a.missing, b.missing)
    return otherwise


_ARITH: dict[str, Callable[[object, object], object]] = {
    "+": lambda a, b: a + b,  # type: ignore[operator]
    "-": lambda a, b: _minus(a, b),
    "*": lambda a, b: a * b,  # type: ignore[operator]
    "/": lambda a, b: a / b,  # type: ignore[operator]
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _minus(a: object, b: object) -> object:
    if isinstance(a, date) and isinstance(b, date):
        return Decimal((a - b).days)
    return a - b  # type: ignore[operator]


def _binary(ev: Evaluator, e: ir.Binary) -> Fn:
    if e.op in ("and", "or", "otherwise"):
        left, right = ev._operand(e.left), ev._operand(e.right)
    else:
        left, right = ev._compile(e.left), ev._compile(e.right)
    if e.op == "and":
        return _and(left, right)
    if e.op == "or":
        return _or(left, right)
    if e.op == "otherwise":
        return _otherwise(left, right)
    op = _ARITH[e.op]
    span = e.span

    def binary(s: Evaluation, env: Env) -> V:
        a = left(s, env)
        b = right(s, env)
        if a.value is not UNKNOWN and b.value is not UNKNOWN:
            try:
                return V(op(a.value, b.value))
            except ZeroDivisionError:
                s.error("division by zero", span)
                return V(UNKNOWN)
            except (InvalidOperation, OverflowError):
                s.error(f"{e.op}: a value beyond what lawtrace computes exactly", span)
                return V(UNKNOWN)
        return unknown(a.missing, b.missing)
    return binary


def _cond(ev: Evaluator, e: ir.Cond) -> Fn:
    cond, then, other = ev._operand(e.cond), ev._operand(e.then), ev._operand(e.otherwise)

    def if_(s: Evaluation, env: Env) -> V:
        c = cond(s, env)
        if c.value is True:
            return then(s, env)
        if c.value is False:
            return other(s, env)
        s.speculative += 1
        try:
            a, b = then(s, env), other(s, env)
        finally:
            s.speculative -= 1
        if a.value is not UNKNOWN and b.value is not UNKNOWN and a.value == b.value:
            return a
        return unknown(c.missing, a.missing, b.missing)
    return if_


def _member(ev: Evaluator, e: ir.Member) -> Fn:
    inner = ev._compile(e.operand)
    if e.low is not None:
        low, high = e.low, e.high

        def in_range(s: Evaluation, env: Env) -> V:
            v = inner(s, env)
            return V(low <= v.value <= high) if v.value is not UNKNOWN else v  # type: ignore[operator]
        return in_range
    members = frozenset(e.members)

    def in_set(s: Evaluation, env: Env) -> V:
        v = inner(s, env)
        return V(v.value in members) if v.value is not UNKNOWN else v
    return in_set


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return min(max(x, low), high)


def _whole(n: Decimal, f: str) -> int:
    if n != n.to_integral_value():
        raise ValueError(f"{f} needs a whole number, not {n}")
    return int(n)


_FUNCTIONS: dict[str, Callable[..., object]] = {
    "min": min,
    "max": max,
    "clamp": _clamp,
    "abs": abs,
    "year": lambda d: Decimal(d.year),
    "days_between": lambda a, b: Decimal((b - a).days),
    "years_between": lambda a, b: Decimal(years_between(a, b)),
    "months_between": lambda a, b: Decimal(months_between(a, b)),
    "add_years": add_years_decimal,
    "add_months": lambda d, n: add_months(d, _whole(n, "add_months")),
    "first_day_of_year": lambda n: first_day_of_year(_whole(n, "first_day_of_year")),
    "add_days": lambda d, n: d + timedelta(int(n)),
    "round_yuan": lambda x: x.quantize(Decimal(1), rounding=ROUND_HALF_UP),
    "add_working_days": lambda d, n: calendar().add_working_days(d, int(n)),
    "is_working_day": lambda d: calendar().is_working_day(d),
    "first_working_day": lambda d: calendar().first_working_day(d),
}


def _case_date(s: Evaluation, env: Env) -> V:
    return V(s.date) if s.date is not None else V(UNKNOWN, frozenset(("date",)))


def _evaluation_date(s: Evaluation, env: Env) -> V:
    return V(s.evaluated_on) if s.evaluated_on is not None else V(UNKNOWN, frozenset(("as_of",)))


def _period_day(s: Evaluation, env: Env) -> V:
    return V(s.period_day) if s.period_day is not None else V(UNKNOWN)


def _call(ev: Evaluator, e: ir.Call) -> Fn:
    if e.func == "case_date":
        return _case_date
    if e.func == "period_day":
        return _period_day
    if e.func == "evaluation_date":
        return _evaluation_date
    args = [ev._operand(a) for a in e.args]
    f = _FUNCTIONS[e.func]
    span = e.span

    def call(s: Evaluation, env: Env) -> V:
        values = [a(s, env) for a in args]
        if all(v.value is not UNKNOWN for v in values):
            try:
                out = f(*(v.value for v in values))
            except MissingYear as missing:  # the calendar of a year is not shipped: said, never guessed
                s.warn(missing.message(), missing.message_zh())
                return V(UNKNOWN)
            except ValueError as bad:  # e.g. a negative count of working days
                s.error(str(bad), span)
                return V(UNKNOWN)
            except OverflowError:  # a date or a count beyond what Python's calendar holds
                s.error(f"{e.func}: the result is outside the dates lawtrace computes with "
                        f"({bounds.DATE_MIN.isoformat()} to {bounds.DATE_MAX.isoformat()})", span)
                return V(UNKNOWN)
            problem = bounds.date_problem(out) if isinstance(out, date) else None
            if problem:
                s.error(f"{e.func}: {problem}", span)
                return V(UNKNOWN)
            return V(out)
        return unknown(*(v.missing for v in values))
    return call


def _as_of(ev: Evaluator, e: ir.AsOf) -> Fn:
    when = ev._compile(e.when)
    node = e.node

    def as_of(s: Evaluation, env: Env) -> V:
        d = when(s, env)
        if d.value is UNKNOWN:
            return d
        return s.as_of(node, d.value)  # type: ignore[arg-type]
    return as_of


def _lookup(ev: Evaluator, e: ir.Lookup) -> Fn:
    table, key = ev._compile(e.table), ev._compile(e.key)
    name = e.table.node if isinstance(e.table, (ir.Ref, ir.AsOf)) else "table"
    span = e.span

    def lookup(s: Evaluation, env: Env) -> V:
        t, k = table(s, env), key(s, env)
        if t.value is UNKNOWN or k.value is UNKNOWN:
            return unknown(t.missing, k.missing)
        entries = t.value
        assert isinstance(entries, dict)
        if k.value not in entries:
            s.error(f"{name} has no entry for {k.value}", span)
            return V(UNKNOWN)
        value = entries[k.value]
        s.note_lookup(name, k.value, value)
        return V(value)
    return lookup


def _get_field(ev: Evaluator, e: ir.GetField) -> Fn:
    record = ev._compile(e.record)
    name = e.name

    def get_field(s: Evaluation, env: Env) -> V:
        r = record(s, env)
        if r.value is UNKNOWN:
            return r
        fields, origin = r.value  # type: ignore[misc]
        if name in fields:
            return V(fields[name])
        return V(UNKNOWN, frozenset((origin,)))
    return get_field


def _aggregate(ev: Evaluator, e: ir.Aggregate) -> Fn:
    collection = ev._compile(e.collection)
    where = ev._compile(e.where) if e.where is not None else None
    body = ev._compile(e.body) if e.body is not None else None
    var, kind = e.var, e.kind
    origin = e.collection.node if isinstance(e.collection, ir.Ref) else var
    zero = Decimal(0)

    def aggregate(s: Evaluation, env: Env) -> V:
        items = collection(s, env)
        if not items.known:
            return items
        total = zero
        missing: frozenset[str] = NOTHING
        undecided = False  # an element unknown, whether or not a fact would decide it (a rule not in force)
        for record in items.value:  # type: ignore[attr-defined]
            inner = dict(env)
            inner[var] = (record, origin)
            if where is not None:
                w = where(s, inner)
                if w.value is False:
                    continue
                if w.value is UNKNOWN:
                    missing, undecided = missing | w.missing, True
                    continue
            if body is None:
                total += 1
                continue
            b = body(s, inner)
            if b.value is not UNKNOWN:
                total += b.value  # type: ignore[operator]
            else:
                missing, undecided = missing | b.missing, True
        return V(total) if not undecided else V(UNKNOWN, missing)
    return aggregate


def _undetermined(ev: Evaluator, e: ir.Undetermined) -> Fn:
    reason = e.reason

    def undetermined(s: Evaluation, env: Env) -> V:
        if not s.speculative:  # only where this branch is the answer, not while both branches are tried
            node = s.program.nodes.get(s._frames[-1].id) if s._frames else None
            d = Diagnostic("warning", str(reason), node.cites if node is not None else (), zh=zh_of(reason))
            if d not in s.diagnostics:
                s.diagnostics.append(d)
        else:
            s.quiet()
        return V(UNKNOWN)
    return undetermined


_COMPILERS: dict[type, Callable[[Evaluator, ir.Expr], Fn]] = {
    ir.Const: _const,  # type: ignore[dict-item]
    ir.Ref: _ref,  # type: ignore[dict-item]
    ir.Local: _local,  # type: ignore[dict-item]
    ir.Unary: _unary,  # type: ignore[dict-item]
    ir.Binary: _binary,  # type: ignore[dict-item]
    ir.Cond: _cond,  # type: ignore[dict-item]
    ir.Member: _member,  # type: ignore[dict-item]
    ir.Call: _call,  # type: ignore[dict-item]
    ir.AsOf: _as_of,  # type: ignore[dict-item]
    ir.Lookup: _lookup,  # type: ignore[dict-item]
    ir.GetField: _get_field,  # type: ignore[dict-item]
    ir.Aggregate: _aggregate,  # type: ignore[dict-item]
    ir.Undetermined: _undetermined,  # type: ignore[dict-item]
}
