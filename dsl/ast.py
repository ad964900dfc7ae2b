"""The syntax tree of a statute file: frozen dataclasses, each with its source span.

The parser guarantees only that the text has this shape; names, types and
citations are resolved by the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dsl.source import Span
from dsl.types import CASE_KINDS as CASE_KINDS  # the kinds of case, read here by the parser
from dsl.types import Type

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Expr:
    span: Span


@dataclass(frozen=True)
class Number(Expr):
    value: Decimal
    is_int: bool


@dataclass(frozen=True)
class Percent(Expr):
    value: Decimal  # the fraction: 60% is 0.6


@dataclass(frozen=True)
class DateLit(Expr):
    value: date


@dataclass(frozen=True)
class BoolLit(Expr):
    value: bool


@dataclass(frozen=True)
class Name(Expr):
    name: str


@dataclass(frozen=True)
class Call(Expr):
    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class BinOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Neg(Expr):
    operand: Expr


@dataclass(frozen=True)
class Compare(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class And(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Or(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True)
class If(Expr):
    cond: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True)
class InRange(Expr):
    operand: Expr
    low: int
    high: int


@dataclass(frozen=True)
class InSet(Expr):
    operand: Expr
    members: tuple[str, ...]


@dataclass(frozen=True)
class IsKnown(Expr):
    operand: Expr


@dataclass(frozen=True)
class Otherwise(Expr):
    """`a otherwise b`: a where it is known, else b."""

    first: Expr
    second: Expr


@dataclass(frozen=True)
class Lookup(Expr):
    table: Expr
    key: Expr


@dataclass(frozen=True)
class Field(Expr):
    record: Expr
    name: str


@dataclass(frozen=True)
class Aggregate(Expr):
    """`sum(x in xs where c: e)` or `count(x in xs where c)`."""

    kind: str
    var: str
    collection: Expr
    where: Expr | None
    body: Expr | None


@dataclass(frozen=True)
class Undetermined(Expr):
    """`undetermined("reason")`: the law is silent here; the value is unknown and the reason becomes a diagnostic."""

    reason: str


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Citation:
    instrument: str | None
    version: str | None
    article: int
    paragraph: int | None
    item: int | None
    span: Span
    when: Expr | None = None  # the citation applies only where this holds


@dataclass(frozen=True)
class Labels:
    zh: str | None
    en: str | None


@dataclass(frozen=True)
class Fact:
    name: str
    type: Type
    labels: Labels
    cites: tuple[Citation, ...]
    note: str | None
    delegated_to: str | None
    span: Span


NOT_SHIPPED = "\0not_shipped"  # the value of a parameter after its `until` date: no figure (never the last one carried on)


@dataclass(frozen=True)
class ParamVersion:
    start: date
    value: object  # a literal: Decimal, bool, date, or a tuple of (key, value) pairs for tables
    cites: tuple[Citation, ...]
    source: str | None
    span: Span


@dataclass(frozen=True)
class Parameter:
    name: str
    type: Type
    labels: Labels
    cites: tuple[Citation, ...]
    note: str | None
    versions: tuple[ParamVersion, ...]
    span: Span


@dataclass(frozen=True)
class ValueVersion:
    start: date | None
    expr: Expr
    cites: tuple[Citation, ...]
    note: str | None
    span: Span


@dataclass(frozen=True)
class Value:
    name: str
    type: Type
    labels: Labels
    cites: tuple[Citation, ...]
    note: str | None
    versions: tuple[ValueVersion, ...]
    span: Span


@dataclass(frozen=True)
class Presume:
    fact: str
    expr: Expr
    kind: str
    cites: tuple[Citation, ...]
    reason: str
    span: Span


@dataclass(frozen=True)
class Clause:
    """One clause of a benefit: `payable when`, `amount =`, `payer =`, `advance_payer =`, `recover_from =`."""

    field: str
    expr: Expr
    cites: tuple[Citation, ...]
    note: str | None
    span: Span


@dataclass(frozen=True)
class Part:
    name: str
    amount: Expr
    payer: Expr
    cites: tuple[Citation, ...]
    note: str | None
    span: Span




@dataclass(frozen=True)
class Benefit:
    name: str
    labels: Labels
    period: str
    cites: tuple[Citation, ...]
    clauses: tuple[Clause, ...]
    parts: tuple[Part, ...]
    span: Span
    kind: str = "worker"  # the kind of case that lists the item
    set_by: Labels | None = None  # a range item (`amount_min`, `amount_max`): who fixes the figure within it
    set_by_cites: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Deadline:
    """`deadline NAME "..." ...`: a time limit, with its due date, the act that meets it, and the consequence of missing it.

    `clauses` are `applies`, `due`, `latest`, `done`, `outstanding` and `party` (each a Clause).
    """

    name: str
    labels: Labels
    cites: tuple[Citation, ...]
    clauses: tuple[Clause, ...]
    consequence: Labels | None
    consequence_cites: tuple[Citation, ...]
    span: Span
    kind: str = "worker"


@dataclass(frozen=True)
class Event:
    """`event NAME "..." [for d in LIST] on DATE`: a dated event that starts or stops the streams of monthly items."""

    name: str
    labels: Labels
    var: str | None
    collection: str | None
    expr: Expr
    cites: tuple[Citation, ...]
    note: str | None
    span: Span


@dataclass(frozen=True)
class Require:
    """`require COND about FACT "..."`: a case whose facts make COND false is refused, at FACT, with the message."""

    expr: Expr
    fact: str
    cites: tuple[Citation, ...]
    message: Labels
    span: Span


@dataclass(frozen=True)
class Assert:
    """`assert NAME "..." en "..." : EXPR`: a property of the rules, never false in any case (`check --prove`)."""

    name: str
    labels: Labels
    expr: Expr
    cites: tuple[Citation, ...]
    span: Span


@dataclass(frozen=True)
class Claim:
    """`claim NAME "..." en "..." : never_less, same_payer against national`: what a reform claims against a regime."""

    name: str
    labels: Labels
    properties: tuple[str, ...]
    baseline: str
    cites: tuple[Citation, ...]
    span: Span


@dataclass(frozen=True)
class Fill:
    """`fills TARGET = ...`: a value for a fact a higher instrument delegates to this instrument's level."""

    target: str
    cites: tuple[Citation, ...]
    note: str | None
    versions: tuple[ValueVersion, ...]
    span: Span


@dataclass(frozen=True)
class Override:
    """`overrides TARGET [by ...] [amends ...] because "..." = ...`: an explicit, cited replacement of a higher rule.

    `versions` are ValueVersions (a formula) or ParamVersions (dated literals, for a parameter).
    """

    target: str
    authority: tuple[Citation, ...]
    amends: tuple[Citation, ...]
    reason: str
    cites: tuple[Citation, ...]
    note: str | None
    versions: tuple[ValueVersion | ParamVersion, ...]
    span: Span
    # `overrides NAME[KEY] = VALUE ... [from DATE]` (or `NAME = VALUE`): one entry or one version changed, the rest of
    # the rule kept; `versions` then holds one ParamVersion whose start is None where no date is given
    keeps_others: bool = False
    key: object | None = None  # the table entry changed (a literal), None for a whole value


@dataclass(frozen=True)
class AddPart:
    """`adds part NAME to BENEFIT = ... paid_by ...`: splits an item of a higher instrument."""

    benefit: str
    part: Part
    span: Span


Patch = Fill | Override | AddPart
Decl = Fact | Parameter | Value | Presume | Benefit | Deadline | Event | Require | Assert | Claim | Fill | Override | AddPart


@dataclass(frozen=True)
class Article:
    number: int
    version: str | None
    text_status: str | None
    text: str | None
    gloss: str | None
    decls: tuple[Decl, ...]
    span: Span
    omitted: str | None = None  # left out of the encoding on purpose: the reason
    paragraphs_omitted: tuple[tuple[int, str], ...] = ()  # (paragraph, reason): paragraphs with no effect to encode


@dataclass(frozen=True)
class InstrumentVersion:
    version: str
    in_force: date
    span: Span


# The ranks of the hierarchy, highest first (法律, 行政法规, 部门规章, 省级, 设区的市级); a `reform` is a
# proposal to amend whatever it names, and outranks what it amends.
LEVELS = ("law", "regulation", "rule", "province", "city", "reform")


@dataclass(frozen=True)
class Instrument:
    code: str
    title_zh: str
    title_en: str | None
    under: str | None
    versions: tuple[InstrumentVersion, ...]
    span: Span
    level: str | None = None  # law | regulation | rule | province | city | reform


@dataclass(frozen=True)
class Regime:
    name: str
    labels: Labels
    parts: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class Module:
    """One parsed `.lt` file."""

    file: str
    instrument: Instrument | None
    regimes: tuple[Regime, ...]
    articles: tuple[Article, ...]
