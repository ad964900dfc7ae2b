"""The checked program: resolved definitions and typed expressions, ready to evaluate.

Every reference is resolved to a node id, every expression has a type, every
definition carries its citations and span. Built by `engine.build.compile` from the
AST; nothing here is mutated after construction.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

import msgspec

from dsl.source import Span
from dsl.types import Type
from engine.model.citations import Citation

# ---------------------------------------------------------------- expressions


class Expr(msgspec.Struct, frozen=True):
    type: Type
    span: Span


class Const(Expr, frozen=True):
    value: object  # Decimal, bool, date, str (enum member or party)


class Ref(Expr, frozen=True):
    """A reference to another node of the graph."""

    node: str


class Local(Expr, frozen=True):
    """The variable bound by an aggregate: `d` in `sum(d in dependents: ...)`."""

    name: str


class Unary(Expr, frozen=True):
    op: str  # "neg" | "not" | "known"
    operand: Expr


class Binary(Expr, frozen=True):
    op: str  # + - * / == != < <= > >= and or otherwise
    left: Expr
    right: Expr


class Cond(Expr, frozen=True):
    cond: Expr
    then: Expr
    otherwise: Expr


class Member(Expr, frozen=True):
    """`x in 1..10` (low/high set) or `x in {a, b}` (members set)."""

    operand: Expr
    low: int | None
    high: int | None
    members: tuple[str, ...]


class Call(Expr, frozen=True):
    func: str
    args: tuple[Expr, ...]


class AsOf(Expr, frozen=True):
    """The version of a parameter in force at another date than the case's."""

    node: str
    when: Expr


class Lookup(Expr, frozen=True):
    table: Expr
    key: Expr


class GetField(Expr, frozen=True):
    record: Expr
    name: str


class Aggregate(Expr, frozen=True):
    kind: str  # "sum" | "count"
    var: str
    collection: Expr
    where: Expr | None
    body: Expr | None


class Undetermined(Expr, frozen=True):
    """The law is silent here: the value is unknown, and `reason` is reported as a diagnostic."""

    reason: str


# ---------------------------------------------------------------- definitions


class Labels(msgspec.Struct, frozen=True):
    zh: str
    en: str


class Node(msgspec.Struct, frozen=True):
    """A node of the dependency graph: a fact, parameter, value or one field of a benefit."""

    id: str
    kind: str  # "fact" | "parameter" | "value" | "item_field"
    type: Type
    labels: Labels
    cites: tuple[Citation, ...]
    note: str | None
    span: Span
    instrument: str


class Presumption(msgspec.Struct, frozen=True):
    fact: str
    expr: Expr
    kind: str
    cites: tuple[Citation, ...]
    reason: str
    span: Span
    cite_when: tuple[Expr | None, ...] = ()  # parallel to cites: the condition under which each applies


class FactNode(Node, frozen=True):
    presumption: Presumption | None = None
    delegated_to: str | None = None


NOT_SHIPPED = "\0not_shipped"  # a parameter's value after its `until` date: unknown, never the last figure carried on


class ParamVersion(msgspec.Struct, frozen=True):
    start: date
    value: object  # Decimal | bool | date | dict for tables
    cites: tuple[Citation, ...]
    source: str | None
    span: Span
    cite_when: tuple[Expr | None, ...] = ()  # parallel to cites: the condition under which each applies


class ParamNode(Node, frozen=True):
    versions: tuple[ParamVersion, ...] = ()  # newest first


class ValueVersion(msgspec.Struct, frozen=True):
    start: date | None
    expr: Expr
    cites: tuple[Citation, ...]
    note: str | None
    span: Span
    cite_when: tuple[Expr | None, ...] = ()  # parallel to cites: the condition under which each applies


class ValueNode(Node, frozen=True):
    versions: tuple[ValueVersion, ...] = ()  # newest first; a single undated version has start None


class PartDef(msgspec.Struct, frozen=True):
    name: str
    amount: str  # node ids
    payer: str
    cites: tuple[Citation, ...]


ITEM_FIELDS = ("payable", "amount", "payer", "advance_payer", "recover_from")
RANGE_FIELDS = ("amount_min", "amount_max")  # an item whose amount the law gives only as a range


class Benefit(msgspec.Struct, frozen=True):
    id: str
    labels: Labels
    period: str
    cites: tuple[Citation, ...]
    fields: dict[str, str]  # field name → node id, for the fields the statute gives
    parts: tuple[PartDef, ...]
    span: Span
    instrument: str
    kind: str = "worker"  # the kind of case that lists the item: worker | employer
    set_by: Labels | None = None  # a range item: who fixes the figure within the range
    set_by_cites: tuple[Citation, ...] = ()

    @property
    def is_range(self) -> bool:
        return "amount_min" in self.fields


# The fields of a deadline given in the statutes, and the two the compiler derives from them.
DEADLINE_FIELDS = ("applies", "due", "latest", "done", "outstanding", "party")
DEADLINE_DERIVED = ("passed", "missed")


class Deadline(msgspec.Struct, frozen=True):
    """A time limit: `fields` maps applies, due, latest, done, outstanding, party, passed and missed to node ids.

    `passed`: the evaluation date is after the last day; `missed`: the act was not done in time (as of the
    evaluation date). Both are derived by the compiler from the others (see `engine.law_time.deadlines`).
    """

    id: str
    labels: Labels
    cites: tuple[Citation, ...]
    fields: dict[str, str]
    consequence: Labels | None
    consequence_cites: tuple[Citation, ...]
    span: Span
    instrument: str
    kind: str = "worker"


CASE_DATE = "case_date"  # a requirement may be about the case's own date (the field `date`), as well as a fact


class Event(msgspec.Struct, frozen=True):
    """A dated event the law attaches consequences to: monthly streams start and stop on its date.

    `node` (= id) holds the date; for an event over a list (`var` in `collection`), the node is
    `count(var in collection where DATE is known)` and `date_expr` is that DATE, evaluated per element."""

    id: str
    labels: Labels
    cites: tuple[Citation, ...]
    note: str | None
    span: Span
    instrument: str
    var: str | None = None
    collection: str | None = None

    def date_expr(self, program: "Program") -> Expr:
        node = program.nodes[self.id]
        assert isinstance(node, ValueNode)
        e = node.versions[0].expr
        if self.var is None:
            return e
        assert isinstance(e, Aggregate) and isinstance(e.where, Unary) and e.where.op == "known"
        return e.where.operand


class Requirement(msgspec.Struct, frozen=True):
    """A condition the facts of a case must meet; a case that breaks it is refused at `fact` with `message`."""

    fact: str
    node: str  # the node holding the condition
    cites: tuple[Citation, ...]
    message: Labels
    span: Span


class Assertion(msgspec.Struct, frozen=True):
    """A property the rules claim for every case: the bool node `node` is never false (`lawtrace check --prove`)."""

    name: str
    node: str  # the node holding the expression (`NAME~assert`)
    labels: Labels
    cites: tuple[Citation, ...]
    span: Span
    instrument: str


# the properties a `claim` may name: those `lawtrace prove --baseline` proves item by item
CLAIM_PROPERTIES = ("never_less", "never_more", "same_payer", "same_advance_payer", "once_total_never_less")


class Claim(msgspec.Struct, frozen=True):
    """What a reform claims against another regime: each property holds for every item of both (`check --prove`)."""

    name: str
    labels: Labels
    properties: tuple[str, ...]
    baseline: str
    cites: tuple[Citation, ...]
    span: Span
    instrument: str


class ArticleText(msgspec.Struct, frozen=True):
    instrument: str
    version: str | None
    number: int
    status: str  # verbatim | gist | unavailable
    text: str | None
    gloss: str | None
    span: Span


class InstrumentInfo(msgspec.Struct, frozen=True):
    code: str
    title_zh: str
    title_en: str
    under: str | None
    versions: tuple[tuple[str, date], ...]  # (version, in force), oldest first
    file: str
    level: str | None = None  # national, province, city, reform (the instrument's `level`)

    @property
    def latest(self) -> str:
        return self.versions[-1][0]

    @property
    def in_force(self) -> date:
        return self.versions[0][1]


class LayerChange(msgspec.Struct, frozen=True):
    """A fill, override or added part of the composed regime, applied (`authority` given) or refused (None)."""

    kind: str  # "fill" | "override" | "part"
    target: str  # node id: a name, `benefit.field` or `benefit.part.NAME`
    instrument: str  # who made the change
    level: str | None
    cites: tuple[Citation, ...]
    replaced_instrument: str | None  # whose rule it replaced (None: there was none)
    replaced_level: str | None
    replaced_cites: tuple[Citation, ...]
    authority: str | None
    reason: str | None  # the `because "..."` of an override
    amends: tuple[Citation, ...]  # a reform: the provisions it proposes to amend
    kept_as: str | None  # id of the replaced rule kept for `overridden`, or of the refused rule
    span: Span
    gap_fill: bool = False  # refused, but governs where the higher rule names no party (`none`)

    @property
    def applied(self) -> bool:
        return self.authority is not None

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind, "target": self.target, "instrument": self.instrument, "level": self.level,
            "citations": [c.as_json() for c in self.cites],
            "replaces": None if self.replaced_instrument is None else {
                "instrument": self.replaced_instrument, "level": self.replaced_level,
                "citations": [c.as_json() for c in self.replaced_cites]},
            "amends": [c.as_json() for c in self.amends], "reason": self.reason,
            "authority": self.authority, "applied": self.applied,
            "applies_where_higher_names_no_party": self.gap_fill,
            "span": self.span.as_json(),
        }


class Conflict(msgspec.Struct, frozen=True):
    """A lower rule refused for want of authority: `target` keeps the higher rule, `shadow` is the lower one."""

    target: str
    shadow: str
    gap_fill: bool  # a party field: the lower rule still governs where the higher one names nobody
    change: LayerChange
    warning: object  # engine.model.diagnostics.Diagnostic, as `lawtrace check` reports it
    part: bool = False  # a refused split (`adds part`): `shadow` is the amount it would move to another payer


class GraphNode(msgspec.Struct, frozen=True):
    """A node of the dependency graph as the exports show it (dot, GraphML, Mermaid)."""

    id: str
    kind: str = ""
    type: str = ""
    label_zh: str = ""
    label_en: str = ""
    citations: str = ""
    span: str = ""


class DepGraph(msgspec.Struct, frozen=True, dict=True):  # dict: room for the cached adjacency
    """The dependency graph as plain data: an edge from each node to every node whose rule reads it.

    Built (and checked for cycles) by `engine.build.graph`; no graph library is needed to use it, so a program
    loaded from the cache runs without one.
    """

    nodes: tuple[GraphNode, ...]
    edges: tuple[tuple[str, str, str], ...]  # (read, reader, where the reader reads it)
    order: tuple[str, ...]  # topological: every node after the nodes it reads

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._readers

    @functools.cached_property
    def _readers(self) -> dict[str, tuple[str, ...]]:
        return _adjacency(self.nodes, ((read, reader) for read, reader, _ in self.edges))

    def readers(self, node_id: str) -> tuple[str, ...]:
        """The nodes whose rule reads `node_id` directly."""
        return self._readers.get(node_id, ())

    @functools.cached_property
    def _reads(self) -> dict[str, tuple[str, ...]]:
        return _adjacency(self.nodes, ((reader, read) for read, reader, _ in self.edges))

    def ancestors(self, node_id: str) -> set[str]:
        """Every node `node_id` reads, directly or through others."""
        return _reachable(node_id, self._reads)

    def descendants(self, node_id: str) -> set[str]:
        """Every node that reads `node_id`, directly or through others."""
        return _reachable(node_id, self._readers)


def _adjacency(nodes: tuple[GraphNode, ...], pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {n.id: [] for n in nodes}
    for a, b in pairs:
        out[a].append(b)
    return {k: tuple(v) for k, v in out.items()}


def _reachable(start: str, step: dict[str, tuple[str, ...]]) -> set[str]:
    """The nodes reached from `start` (itself excluded unless on a cycle) by following `step`."""
    seen: set[str] = set()
    stack = list(step.get(start, ()))
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(step.get(n, ()))
    return seen


# What a program holds that is worked out from its nodes when compiled: not compared.
_DERIVED = ("graph", "period_free", "event_facts", "formulas")


class Program(msgspec.Struct, frozen=True):
    """A regime compiled: its nodes, benefits, the article texts, and the dependency graph."""

    regime: str
    labels: Labels
    instruments: tuple[InstrumentInfo, ...]
    nodes: dict[str, Node]
    benefits: tuple[Benefit, ...]
    articles: dict[tuple[str, str | None, int], ArticleText]
    graph: DepGraph  # not compared: derived from the nodes
    warnings: tuple[object, ...] = ()
    changes: tuple[LayerChange, ...] = ()  # every fill, override and added part, in the order applied
    conflicts: dict[str, tuple[Conflict, ...]] = msgspec.field(default_factory=dict)  # node id → refused lower rules
    deadlines: tuple[Deadline, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    # The statute files the regime is built from (the file declaring it, then each instrument's, highest first),
    # each with the SHA-256 of its text when compiled: what a result's receipt names, without parsing again.
    files: tuple[tuple[str, str], ...] = ()
    assertions: tuple[Assertion, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    # The nodes whose value `period_day` cannot change (engine/build/period_free.py): derived from the nodes, once.
    period_free: frozenset[str] | None = None
    # The facts the events' dates are read from (engine/model/events.py): derived from the nodes, once.
    event_facts: frozenset[str] | None = None
    # What a trace prints of each formula (`engine.model.term_shapes.FormulaText`, made by
    # engine/build/formula_texts.py; not named here, as that module reads this one): derived from the nodes, once.
    formulas: tuple[object, ...] = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self.__struct_fields__ if f not in _DERIVED)

    def instrument(self, code: str) -> InstrumentInfo | None:
        return next((i for i in self.instruments if i.code == code), None)

    def facts(self) -> list[FactNode]:
        return [n for n in self.nodes.values() if isinstance(n, FactNode)]

    def benefits_of(self, kind: str) -> tuple[Benefit, ...]:
        """The items a case of this kind lists (worker cases: the benefits; employer cases: what the employer owes)."""
        return tuple(b for b in self.benefits if b.kind == kind)

    def deadlines_of(self, kind: str) -> tuple[Deadline, ...]:
        return tuple(d for d in self.deadlines if d.kind == kind)
