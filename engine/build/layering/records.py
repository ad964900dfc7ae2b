"""What composing a regime produces: where each rule was written, the changes made, the conflicts kept."""

from __future__ import annotations

from dataclasses import dataclass

from dsl import ast
from dsl.errors import LawtraceError

ITEM_FIELDS = ("payable", "amount", "payer", "advance_payer", "recover_from")
PARTY_FIELDS = ("payer", "advance_payer", "recover_from")
RANKS = {"law": 1, "regulation": 2, "rule": 3, "province": 4, "city": 5}
OVERRIDDEN = "overridden"


@dataclass(frozen=True)
class Origin:
    """Where a rule was written: the instrument, its version, the article, and the instrument's place in the stack."""

    instrument: ast.Instrument
    version: str
    article: int
    position: int

    @property
    def code(self) -> str:
        return self.instrument.code

    @property
    def level(self) -> str | None:
        return self.instrument.level

    def describe(self) -> str:
        return f"{self.code} art. {self.article}" + (f" ({self.level})" if self.level else "")


@dataclass(frozen=True)
class Placed:
    """A declaration that holds in the composed regime, with the origin of the rule (and of each benefit field or part set later)."""

    decl: ast.Fact | ast.Parameter | ast.Value | ast.Benefit | ast.Deadline | ast.Presume | ast.Require | ast.Assert | ast.Claim
    origin: Origin
    clause_origins: tuple[tuple[str, Origin], ...] = ()
    part_origins: tuple[tuple[str, Origin], ...] = ()

    def clause_origin(self, field: str) -> Origin:
        return dict(self.clause_origins).get(field, self.origin)

    def part_origin(self, name: str) -> Origin:
        return dict(self.part_origins).get(name, self.origin)


@dataclass(frozen=True)
class Change:
    """One fill, override or added part, as applied (authority given) or refused (authority None)."""

    kind: str  # "fill" | "override" | "part"
    target: str  # a name, `benefit.field`, or `benefit.part.NAME`
    origin: Origin
    patch: ast.Fill | ast.Override | ast.AddPart
    replaced: Origin | None  # the instrument whose rule was replaced; None when the target had no such rule
    replaced_cites: tuple[ast.Citation, ...]  # the replaced rule's own citations (resolved by the compiler)
    authority: str | None  # why it may: "delegated to province", "by WIIR 37(1)(2)", ...; None: refused
    kept_as: str | None = None  # id of the replaced rule kept for `overridden`, or of the refused rule (shadow)
    gap_fill: bool = False  # refused, but governs where the higher rule names no party

    @property
    def applied(self) -> bool:
        return self.authority is not None


@dataclass(frozen=True)
class Conflict:
    """A refused override: the higher rule `target` prevails; `shadow` is the lower rule, evaluated only to compare."""

    target: str
    shadow: str
    change: Change
    gap_fill: bool  # a party field: the lower rule governs where the higher one gives `none`
    part: bool = False  # a refused split: `shadow` is the amount it would have put on another payer


@dataclass(frozen=True)
class Composition:
    decls: tuple[Placed, ...]
    changes: tuple[Change, ...]
    conflicts: tuple[Conflict, ...]
    errors: tuple[LawtraceError, ...]


def origins(modules: list[ast.Module]) -> list[tuple[Origin, ast.Decl]]:
    """Every declaration of the stack with its origin, in stack and article order."""
    out: list[tuple[Origin, ast.Decl]] = []
    position = 0
    for m in modules:
        inst = m.instrument
        if inst is None:
            continue
        latest = max(inst.versions, key=lambda v: v.in_force).version
        for a in m.articles:
            origin = Origin(inst, a.version or latest, a.number, position)
            out.extend((origin, d) for d in a.decls)
        position += 1
    return out


def cite_text(c: ast.Citation, here: Origin | None = None) -> str:
    code = c.instrument or (here.code if here else "")
    text = f"{code} {c.article}" if code else str(c.article)
    if c.paragraph is not None:
        text += f"({c.paragraph})"
        if c.item is not None:
            text += f"({c.item})"
    return text
