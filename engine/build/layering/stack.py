"""The stack being composed: its state, the definitions it holds, and how a patch finds its target."""

from __future__ import annotations

from dsl import ast
from dsl.errors import LawtraceError, SourceError, did_you_mean
from dsl.source import SourceFile, Span
from engine.build.layering.records import ITEM_FIELDS, Change, Conflict, Origin, Placed


class Stack:
    """The declarations that hold so far; each kind of change (fills, overrides, refusals, parts) extends it."""

    def __init__(self, modules: list[ast.Module], sources: dict[str, SourceFile]):
        self.modules = modules
        self.sources = sources
        self.placed: dict[str, Placed] = {}  # name → the declaration holding it now
        self.order: list[str] = []
        self.presumptions: list[Placed] = []
        self.patches: list[tuple[Origin, ast.Fill | ast.Override | ast.AddPart]] = []
        self.changes: list[Change] = []
        self.conflicts: list[Conflict] = []
        self.errors: list[LawtraceError] = []
        self.kept: dict[str, Placed] = {}  # replaced or refused rules kept as `X~CODE`
        self.delegations: list[tuple[Origin, ast.Fact]] = []
        self.claimed: dict[str, Origin] = {}  # target → the instrument of the last patch applied to it

    def _err(self, message: str, span: Span, hint: str | None = None, related: tuple[tuple[str, Span], ...] = ()) -> None:
        self.errors.append(SourceError(message, span, self.sources.get(span.file), hint, related))

    def _check_under(self) -> None:
        """An instrument `under` another implements it: the other must stand above it in the stack."""
        codes = [m.instrument.code for m in self.modules if m.instrument is not None]
        seen: list[str] = []
        for m in self.modules:
            inst = m.instrument
            if inst is None:
                continue
            if inst.under is not None and inst.under not in seen:
                if inst.under in codes:
                    self._err(f"{inst.code} is under {inst.under}, so {inst.under} must come before it in the regime",
                              inst.span)
                else:
                    self._err(f"{inst.code} is under {inst.under}, which this regime does not include", inst.span,
                              did_you_mean(inst.under, codes))
            seen.append(inst.code)

    def _define(self, d: ast.Fact | ast.Parameter | ast.Value | ast.Benefit | ast.Deadline, origin: Origin) -> None:
        first = self.placed.get(d.name)
        if first is not None:
            self._err(f"'{d.name}' is defined twice with no override between them", d.span,
                      hint="a lower instrument may change a value only with an explicit, cited override",
                      related=(("first defined here", first.decl.span),))
            return
        self.placed[d.name] = Placed(d, origin)
        self.order.append(d.name)
        if isinstance(d, ast.Fact) and d.delegated_to is not None:
            self.delegations.append((origin, d))

    def _names(self) -> list[str]:
        out = list(self.placed)
        for p in self.placed.values():
            if isinstance(p.decl, ast.Benefit):
                out.extend(f"{p.decl.name}.{c.field}" for c in p.decl.clauses)
        return out

    def _lookup(self, target: str, span: Span, origin: Origin) -> tuple[Placed, str | None] | None:
        """The declaration holding `target` and, for `benefit.field`, the field."""
        name, _, field = target.partition(".")
        placed = self.placed.get(name)
        if placed is None:
            self._err(f"'{target}' is not defined by any instrument above {origin.code} in this regime", span,
                      did_you_mean(target, self._names()))
            return None
        if placed.origin.position > origin.position:
            self._err(f"'{name}' is defined by {placed.origin.code}, which comes after {origin.code} in the regime", span)
            return None
        if field:
            if not isinstance(placed.decl, ast.Benefit):
                self._err(f"'{name}' is not a benefit item, so it has no field '{field}'", span)
                return None
            if field not in ITEM_FIELDS:
                self._err(f"an item's fields are {', '.join(ITEM_FIELDS)}; not '{field}'", span,
                          did_you_mean(field, ITEM_FIELDS))
                return None
            return placed, field
        if isinstance(placed.decl, ast.Deadline):
            self._err(f"'{name}' is a deadline: a lower instrument changes it through the values it reads "
                      "(override those)", span)
            return None
        if isinstance(placed.decl, ast.Benefit):
            self._err(f"'{name}' is a benefit item: override one of its fields ({', '.join(ITEM_FIELDS)})", span,
                      hint=f"e.g. `overrides {name}.advance_payer because \"...\" = ...`")
            return None
        return placed, None
