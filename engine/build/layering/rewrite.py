"""Rewriting declarations: `overridden` substituted, clauses read as values, what a rule mentions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace

from dsl import ast
from dsl import types as T
from dsl.source import Span
from engine.build.layering.records import OVERRIDDEN, Origin

FIELD_TYPES = {"payable": T.BOOL, "amount": T.MONEY, "payer": T.PARTY, "advance_payer": T.PARTY,
                "recover_from": T.PARTY}


def delegates_at(origin: Origin, fact: ast.Fact, c: ast.Citation) -> bool:
    """Whether the delegated `fact` sits under, or cites, the provision `c`."""
    if c.paragraph is None and origin.article == c.article:
        return True
    for own in fact.cites:
        if (own.instrument or origin.code) != c.instrument or own.article != c.article:
            continue
        if c.paragraph is not None and own.paragraph != c.paragraph:
            continue
        if c.item is not None and own.item != c.item:
            continue
        return True
    return False


def clause_value(benefit: ast.Benefit, clause: ast.Clause, name: str) -> ast.Value:
    """A benefit's clause as a value of its own, so that a later rule can read it."""
    cites = clause.cites or benefit.cites
    version = ast.ValueVersion(None, clause.expr, cites, clause.note, clause.span)
    return ast.Value(name, FIELD_TYPES[clause.field], benefit.labels, cites, clause.note, (version,), clause.span)


def absent_field(field: str, span: Span) -> ast.Expr:
    """What an item's field is where its statute gives no clause: payable, and no party for the payer fields."""
    return ast.BoolLit(span, True) if field == "payable" else ast.Name(span, "none")


def renamed(decl: ast.Parameter | ast.Value | ast.Fact, name: str) -> ast.Parameter | ast.Value | ast.Fact:
    return replace(decl, name=name)


def uses_overridden(patch: ast.Override) -> bool:
    return any(isinstance(v, ast.ValueVersion) and mentions(v.expr, OVERRIDDEN) for v in patch.versions)


def substitute_version(v: ast.ValueVersion, name: str | None) -> ast.ValueVersion:
    return replace(v, expr=substitute(v.expr, name, None))


def substitute(e: ast.Expr, name: str | None, replacement: ast.Expr | None) -> ast.Expr:
    """`e` with `overridden` replaced by a reference to `name` (or by `replacement`)."""
    if isinstance(e, ast.Name):
        if e.name != OVERRIDDEN:
            return e
        if replacement is not None:
            return replacement
        return ast.Name(e.span, name) if name is not None else e
    if not is_dataclass(e):
        return e
    changes = {}
    for f in fields(e):
        v = getattr(e, f.name)
        if isinstance(v, ast.Expr):
            changes[f.name] = substitute(v, name, replacement)
        elif isinstance(v, tuple) and v and all(isinstance(x, ast.Expr) for x in v):
            changes[f.name] = tuple(substitute(x, name, replacement) for x in v)
    return replace(e, **changes) if changes else e


def mentions(e: object, name: str) -> bool:
    if isinstance(e, ast.Name):
        return e.name == name
    if isinstance(e, ast.Expr) and is_dataclass(e):
        for f in fields(e):
            v = getattr(e, f.name)
            if isinstance(v, ast.Expr) and mentions(v, name):
                return True
            if isinstance(v, tuple) and any(mentions(x, name) for x in v):
                return True
    return False


def mention_span(e: object, name: str) -> Span | None:
    if isinstance(e, ast.Name):
        return e.span if e.name == name else None
    if isinstance(e, ast.Expr) and is_dataclass(e):
        for f in fields(e):
            v = getattr(e, f.name)
            for x in (v if isinstance(v, tuple) else (v,)):
                s = mention_span(x, name)
                if s is not None:
                    return s
    return None


def decl_exprs(d: ast.Decl) -> list[ast.Expr]:
    if isinstance(d, (ast.Value, ast.Fill, ast.Override)):
        return [v.expr for v in d.versions if isinstance(v, ast.ValueVersion)]
    if isinstance(d, (ast.Presume, ast.Require, ast.Assert, ast.Event)):
        return [d.expr]
    if isinstance(d, ast.Deadline):
        return [c.expr for c in d.clauses]
    if isinstance(d, ast.Benefit):
        return [c.expr for c in d.clauses] + [x for p in d.parts for x in (p.amount, p.payer)]
    if isinstance(d, ast.AddPart):
        return [d.part.amount, d.part.payer]
    return []


def forbid_overridden(d: ast.Decl, err: Callable[..., None]) -> None:
    for e in decl_exprs(d):
        span = mention_span(e, OVERRIDDEN)
        if span is not None:
            err("`overridden` reads the rule an override replaces; it is only available in an override's formula", span)
            return
