"""Compose a regime's stack of instruments into the declarations that hold: definitions, then ordered, cited patches.

A regime is data: its instruments, highest first (national law, State Council
regulation, ministerial rule, province, city), then reforms and a user's
overlays. `compose` is the pure function that turns that stack into the
declarations to compile. It guarantees:

- a name is defined once; two definitions with no override between them are an error;
- `fills X` gives a value to a fact a higher instrument delegates to the filling
  instrument's level (`delegated to province`); anything else is an error;
- `overrides X` replaces the rule for X when it has authority: X is delegated to
  the overrider's level, or `by CITE` names a higher provision that delegates to
  it, or the overrider is a reform naming what it `amends`, or it ranks above the
  instrument that set X. Two instruments of one rank claiming X (neither
  outranks the other) are an error. Without authority the higher rule prevails
  (上位法优于下位法): the refused rule is kept as a shadow node `X~CODE`, compared
  at run time (a warning wherever it would have answered otherwise), and it
  governs only where the higher rule names no party (`none`: the higher law is
  silent on who advances or recovers);
- `overridden` in an override's formula reads the rule it replaces, kept as `X~CODE`;
- `adds part P to B` splits an item whose higher instrument does not split it;
- every change is recorded (`Change`): who made it, what it replaced, on what authority.

No I/O and no mutation of the inputs; errors are returned, not raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from decimal import Decimal

from dsl import ast
from dsl import types as T
from dsl.errors import LawtraceError, SourceError, did_you_mean
from dsl.source import SourceFile, Span

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

    decl: ast.Fact | ast.Parameter | ast.Value | ast.Benefit | ast.Deadline | ast.Presume | ast.Require
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


def compose(modules: list[ast.Module], sources: dict[str, SourceFile]) -> Composition:
    """The declarations of a stack (modules highest first, overlays last), with every patch applied in order."""
    return _Composer(modules, sources).run()


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


# ---------------------------------------------------------------- the composer


class _Composer:
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

    def run(self) -> Composition:
        stack = origins(self.modules)
        self._check_under()
        for origin, d in stack:
            if not isinstance(d, ast.Override):
                _forbid_overridden(d, self._err)
            if isinstance(d, (ast.Fill, ast.Override, ast.AddPart)):
                self.patches.append((origin, d))
            elif isinstance(d, (ast.Presume, ast.Require)):
                self.presumptions.append(Placed(d, origin))
            else:
                self._define(d, origin)
        for origin, patch in self.patches:
            if origin.level is None:
                self._err(f"{origin.code} changes rules of other instruments, so it must declare its level",
                          patch.span, hint=f"add `level {'|'.join(ast.LEVELS)}` to the `instrument {origin.code}` line")
                continue
            if isinstance(patch, ast.Fill):
                self._fill(origin, patch)
            elif isinstance(patch, ast.Override):
                self._override(origin, patch)
            else:
                self._add_part(origin, patch)
        decls = [self.placed[n] for n in self.order] + list(self.kept.values()) + self.presumptions
        return Composition(tuple(decls), tuple(self.changes), tuple(self.conflicts), tuple(self.errors))

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

    # ------------------------------------------------------------ definitions

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

    # ------------------------------------------------------------ fills

    def _fill(self, origin: Origin, patch: ast.Fill) -> None:
        found = self._lookup(patch.target, patch.span, origin)
        if found is None:
            return
        placed, field = found
        fact = placed.decl
        if field is not None or not isinstance(fact, ast.Fact):
            earlier = self.claimed.get(patch.target)
            if earlier is not None:
                self._err(f"'{patch.target}' is already filled by {earlier.code} (art. {earlier.article}); "
                          f"a second claim on it needs an override", patch.span,
                          hint="two claims on one value without an override between them are not allowed")
            else:
                self._err(f"'{patch.target}' is not a delegated fact; {origin.code} can change it only with an override",
                          patch.span, hint=f"write `overrides {patch.target} by ... because \"...\" = ...`")
            return
        if fact.delegated_to is None:
            self._err(f"'{patch.target}' is not delegated by {placed.origin.code}; {origin.code} can change it only "
                      "with an override", patch.span, hint=f"write `overrides {patch.target} by ... because \"...\" = ...`")
            return
        if fact.delegated_to != origin.level and origin.level != "reform":
            self._err(f"'{patch.target}' is delegated to {fact.delegated_to}, but {origin.code} is a {origin.level} "
                      "instrument", patch.span, related=(("delegated here", fact.span),))
            return
        self._bind_value(patch.target, fact, origin, patch, patch.versions)  # type: ignore[arg-type]
        self.claimed[patch.target] = origin
        self.changes.append(Change("fill", patch.target, origin, patch, placed.origin, fact.cites,
                                   f"delegated to {fact.delegated_to} by {placed.origin.code}"))

    # ------------------------------------------------------------ overrides

    def _override(self, origin: Origin, patch: ast.Override) -> None:
        found = self._lookup(patch.target, patch.span, origin)
        if found is None:
            return
        placed, field = found
        holder = self._holder(placed, field)
        if holder is not None and holder.code == origin.code:
            self._err(f"{origin.code} overrides its own rule for '{patch.target}'", patch.span,
                      hint="change the rule where it is written")
            return
        authority = self._authority(origin, patch, placed, field, holder)
        if authority is False:
            return
        replaced_cites = self._cites_of(placed, field)
        if field is not None:
            self._override_field(origin, patch, placed, field, holder, replaced_cites, authority)  # type: ignore[arg-type]
        else:
            self._override_decl(origin, patch, placed, holder, replaced_cites, authority)  # type: ignore[arg-type]
        self.claimed[patch.target] = origin

    def _holder(self, placed: Placed, field: str | None) -> Origin | None:
        """The instrument whose rule for the target holds now (None: a benefit field no one has set)."""
        if field is None:
            return placed.origin
        assert isinstance(placed.decl, ast.Benefit)
        if any(c.field == field for c in placed.decl.clauses):
            return placed.clause_origin(field)
        return None

    def _authority(self, origin: Origin, patch: ast.Override, placed: Placed, field: str | None,
                   holder: Origin | None) -> str | None | bool:
        """Why `origin` may override (a description), None when it may not (the higher rule prevails), False on error."""
        if patch.amends and origin.level != "reform":
            self._err("only a reform `amends` a provision; a province or city instrument overrides `by` the provision "
                      "that delegates to it", patch.span)
            return False
        if origin.level == "reform":
            if not patch.amends:
                self._err("a reform's override names the provision it proposes to amend", patch.span,
                          hint=f"e.g. `overrides {patch.target} amends SIL 41(1) because \"...\" = ...`")
                return False
            if holder is not None and holder.level == "reform":
                return self._same_rank(origin, patch, holder)
            return "reform amending " + ", ".join(cite_text(c, origin) for c in patch.amends)
        if patch.authority:
            return self._by(origin, patch)
        decl = placed.decl
        if field is None and isinstance(decl, ast.Fact) and decl.delegated_to == origin.level:
            return f"delegated to {decl.delegated_to} by {placed.origin.code}"
        if holder is None:
            return "added: the higher instrument gives no rule for this field"
        mine, theirs = RANKS.get(origin.level or ""), RANKS.get(holder.level or "")
        if mine is not None and theirs is not None:
            if mine < theirs:
                return f"{origin.level} outranks {holder.level}"
            if mine == theirs:
                return self._same_rank(origin, patch, holder)
        return None

    def _same_rank(self, origin: Origin, patch: ast.Override, holder: Origin) -> bool:
        self._err(f"'{patch.target}' is claimed by {holder.code} and by {origin.code}, both {origin.level} "
                  "instruments: neither outranks the other", patch.span,
                  hint="two claims on one value without any ordering are not allowed; keep one")
        return False

    def _by(self, origin: Origin, patch: ast.Override) -> str | bool:
        """The authority named with `by`: each citation must be a higher provision that delegates to this level.

        A citation without a code belongs to the instrument named before it: `by WIIR 36(2), 37(1)(2)`.
        """
        cites: list[ast.Citation] = []
        for c in patch.authority:
            if c.instrument is None and cites:
                c = replace(c, instrument=cites[-1].instrument)
            cites.append(c)
        for c in cites:
            if c.instrument is None or c.instrument == origin.code:
                self._err("`by` names a provision of a higher instrument, with its code: `by WIIR 37(1)(2)`", c.span)
                return False
            matches = [d for o, d in self.delegations
                       if o.code == c.instrument and o.position < origin.position and d.delegated_to == origin.level
                       and _delegates_at(o, d, c)]
            if not matches:
                offered = sorted({f"{o.code} {o.article}: {d.name} (to {d.delegated_to})"
                                  for o, d in self.delegations if o.code == c.instrument})
                self._err(f"{cite_text(c)} delegates nothing to {origin.level} in this regime", c.span,
                          hint=("delegations there: " + "; ".join(offered)) if offered else None)
                return False
        return "by " + ", ".join(cite_text(c) for c in cites) + f" (delegating to {origin.level})"

    def _cites_of(self, placed: Placed, field: str | None) -> tuple[ast.Citation, ...]:
        decl = placed.decl
        if field is not None:
            assert isinstance(decl, ast.Benefit)
            clause = next((c for c in decl.clauses if c.field == field), None)
            return (clause.cites or decl.cites) if clause is not None else decl.cites
        if isinstance(decl, ast.Value) and len(decl.versions) == 1 and decl.versions[0].cites:
            return decl.versions[0].cites
        return decl.cites  # type: ignore[union-attr]

    def _override_decl(self, origin: Origin, patch: ast.Override, placed: Placed, holder: Origin,
                       replaced_cites: tuple[ast.Citation, ...], authority: str | None) -> None:
        decl = placed.decl
        assert isinstance(decl, (ast.Fact, ast.Parameter, ast.Value))
        params = [v for v in patch.versions if isinstance(v, ast.ParamVersion)]
        if params and not isinstance(decl, ast.Parameter):
            self._err(f"'{decl.name}' is not a parameter: give a formula (`= ...`), not dated values", patch.span)
            return
        if isinstance(decl, ast.Fact) and _uses_overridden(patch):
            self._err(f"'{decl.name}' is a fact: there is no rule for `overridden` to read", patch.span)
            return
        if authority is None:
            if isinstance(decl, ast.Fact):
                self._err(f"{origin.code} overrides the fact '{decl.name}' of {holder.code} without authority", patch.span,
                          hint="a fact is overridden only where it is delegated, or `by` a provision that delegates it")
                return
            shadow = f"{decl.name}~{origin.code}"
            gap = isinstance(decl, ast.Value) and isinstance(decl.type, T.PartyType)
            higher = f"{decl.name}~{holder.code}" if gap else decl.name
            self.kept[shadow] = Placed(self._as_decl(decl, shadow, origin, patch, reads=higher), origin)
            if gap:  # the higher rule kept as `X~HIGH`; X takes the lower rule only where the higher names nobody
                self.kept[higher] = Placed(_renamed(decl, higher), placed.origin)
                span = patch.span
                silent = ast.Compare(span, "==", ast.Name(span, higher), ast.Name(span, "none"))
                cites = tuple(replace(c, when=silent) for c in (patch.cites or (ast.Citation(None, None, origin.article,
                                                                                            None, None, span),)))
                choice = ast.If(span, silent, ast.Name(span, shadow), ast.Name(span, higher))
                version = ast.ValueVersion(None, choice, cites, None, span)
                self.placed[decl.name] = Placed(replace(decl, cites=cites, versions=(version,), span=span), origin)
            change = Change("override", patch.target, origin, patch, holder, replaced_cites, None, shadow, gap)
            self.changes.append(change)
            self.conflicts.append(Conflict(decl.name, shadow, change, gap_fill=gap))
            return
        kept = None
        if _uses_overridden(patch):
            kept = f"{decl.name}~{holder.code}"
            self.kept[kept] = Placed(_renamed(decl, kept), placed.origin,
                                     placed.clause_origins, placed.part_origins)
        new = self._as_decl(decl, decl.name, origin, patch, reads=kept)
        self.placed[decl.name] = Placed(new, origin)
        self.changes.append(Change("override", patch.target, origin, patch, holder, replaced_cites, authority, kept))

    def _as_decl(self, decl: ast.Fact | ast.Parameter | ast.Value, name: str, origin: Origin, patch: ast.Override,
                 reads: str | None) -> ast.Parameter | ast.Value:
        """The override as a declaration named `name`, with the type and labels of the rule it replaces."""
        params = tuple(v for v in patch.versions if isinstance(v, ast.ParamVersion))
        if params:
            return ast.Parameter(name, decl.type, decl.labels, patch.cites, patch.note, params, patch.span)
        versions = tuple(_substitute_version(v, reads) for v in patch.versions)  # type: ignore[arg-type]
        return ast.Value(name, decl.type, decl.labels, patch.cites, patch.note, versions, patch.span)

    def _override_field(self, origin: Origin, patch: ast.Override, placed: Placed, field: str,
                        holder: Origin | None, replaced_cites: tuple[ast.Citation, ...], authority: str | None) -> None:
        benefit = placed.decl
        assert isinstance(benefit, ast.Benefit)
        if any(isinstance(v, ast.ParamVersion) for v in patch.versions) or len(patch.versions) != 1 \
                or patch.versions[0].start is not None:
            self._err(f"an item's field takes one formula: `overrides {patch.target} because \"...\" = ...`", patch.span)
            return
        version = patch.versions[0]
        assert isinstance(version, ast.ValueVersion)
        old = next((c for c in benefit.clauses if c.field == field), None)
        target_id = f"{benefit.name}.{field}"
        if authority is None:
            assert holder is not None and old is not None
            self._refuse_field(origin, patch, placed, field, old, holder, replaced_cites, version)
            return
        kept = None
        replacement: ast.Expr | None = None
        if _uses_overridden(patch):
            if old is not None:
                kept = f"{target_id}~{holder.code if holder else benefit.name}"
                self.kept[kept] = Placed(_clause_value(benefit, old, kept), placed.clause_origin(field))
            else:
                replacement = _absent_field(field, version.expr.span)
        expr = _substitute(version.expr, kept, replacement)
        clause = ast.Clause(field, expr, version.cites or patch.cites, version.note or patch.note, patch.span)
        clauses = tuple(c for c in benefit.clauses if c.field != field) + (clause,)
        origins_ = tuple((f, o) for f, o in placed.clause_origins if f != field) + ((field, origin),)
        self.placed[benefit.name] = replace(placed, decl=replace(benefit, clauses=clauses), clause_origins=origins_)
        self.changes.append(Change("override", target_id, origin, patch, holder, replaced_cites, authority, kept))

    def _refuse_field(self, origin: Origin, patch: ast.Override, placed: Placed, field: str, old: ast.Clause,
                      holder: Origin, replaced_cites: tuple[ast.Citation, ...], version: ast.ValueVersion) -> None:
        """The higher rule prevails; for a party field, the lower one still governs where the higher names nobody."""
        benefit = placed.decl
        assert isinstance(benefit, ast.Benefit)
        target_id = f"{benefit.name}.{field}"
        shadow = f"{target_id}~{origin.code}"
        gap = field in PARTY_FIELDS
        higher = f"{target_id}~{holder.code}" if gap else target_id
        shadow_expr = _substitute(version.expr, higher, None)
        shadow_cites = version.cites or patch.cites
        self.kept[shadow] = Placed(
            ast.Value(shadow, _FIELD_TYPES[field], benefit.labels, shadow_cites, version.note or patch.note,
                      (ast.ValueVersion(None, shadow_expr, shadow_cites, version.note or patch.note, patch.span),),
                      patch.span),
            origin)
        if gap:
            self.kept[higher] = Placed(_clause_value(benefit, old, higher), placed.clause_origin(field))
            span = patch.span
            silent = ast.Compare(span, "==", ast.Name(span, higher), ast.Name(span, "none"))
            # the lower rule's citations hold only where it governs: where the higher rule names nobody
            cites = tuple(replace(c, when=silent) for c in (shadow_cites or (ast.Citation(None, None, origin.article,
                                                                                         None, None, span),)))
            choice = ast.If(span, silent, ast.Name(span, shadow), ast.Name(span, higher))
            clause = ast.Clause(field, choice, cites, None, span)
            clauses = tuple(c for c in benefit.clauses if c.field != field) + (clause,)
            origins_ = tuple((f, o) for f, o in placed.clause_origins if f != field) + ((field, origin),)
            self.placed[benefit.name] = replace(placed, decl=replace(benefit, clauses=clauses), clause_origins=origins_)
        change = Change("override", target_id, origin, patch, holder, replaced_cites, None, shadow, gap)
        self.changes.append(change)
        self.conflicts.append(Conflict(target_id, shadow, change, gap_fill=gap))

    def _bind_value(self, name: str, fact: ast.Fact, origin: Origin, patch: ast.Fill,
                    versions: tuple[ast.ValueVersion, ...]) -> None:
        value = ast.Value(name, fact.type, fact.labels, patch.cites, patch.note, versions, patch.span)
        self.placed[name] = Placed(value, origin)

    # ------------------------------------------------------------ parts

    def _add_part(self, origin: Origin, patch: ast.AddPart) -> None:
        placed = self.placed.get(patch.benefit)
        if placed is None or not isinstance(placed.decl, ast.Benefit):
            benefits = [n for n, p in self.placed.items() if isinstance(p.decl, ast.Benefit)]
            self._err(f"'{patch.benefit}' is not a benefit item of this regime", patch.span,
                      did_you_mean(patch.benefit, benefits))
            return
        benefit = placed.decl
        others = {placed.part_origin(p.name).code for p in benefit.parts} - {origin.code}
        if others:
            self._err(f"'{patch.benefit}' is already split into parts by {', '.join(sorted(others))}", patch.span,
                      hint="a lower instrument splits only an item the higher ones do not split")
            return
        if any(p.name == patch.part.name for p in benefit.parts):
            self._err(f"'{patch.benefit}' already has a part '{patch.part.name}'", patch.span)
            return
        target = f"{patch.benefit}.part.{patch.part.name}"
        holder = placed.origin
        if not self._may_split(origin, holder):
            self._refuse_part(origin, patch, placed, target)
            return
        new = replace(benefit, parts=benefit.parts + (patch.part,))
        self.placed[patch.benefit] = replace(placed, decl=new,
                                             part_origins=placed.part_origins + ((patch.part.name, origin),))
        self.changes.append(Change("part", target, origin, patch, None, (),
                                   "a split the higher instruments do not make"))

    @staticmethod
    def _may_split(origin: Origin, holder: Origin) -> bool:
        """A split moves money between payers: only the item's own instrument, one that outranks it, or a reform may."""
        if origin.code == holder.code or origin.level == "reform":
            return True
        mine, theirs = RANKS.get(origin.level or ""), RANKS.get(holder.level or "")
        if origin.level is None:
            return True  # an instrument with no rank in the hierarchy (a user's overlay without `level`): as before
        return mine is not None and theirs is not None and mine < theirs

    def _refuse_part(self, origin: Origin, patch: ast.AddPart, placed: Placed, target: str) -> None:
        """The higher item stands unsplit; the part is kept as a shadow: the amount it would put on another payer."""
        benefit = placed.decl
        assert isinstance(benefit, ast.Benefit)
        span = patch.span
        shadow = f"{target}~{origin.code}"
        same_payer = ast.Compare(span, "==", patch.part.payer, ast.Name(span, f"{benefit.name}.payer"))
        moved = ast.If(span, same_payer, ast.Number(span, Decimal(0), False), patch.part.amount)
        cites = patch.part.cites or (ast.Citation(None, None, origin.article, None, None, span),)
        self.kept[shadow] = Placed(ast.Value(shadow, T.MONEY, benefit.labels, cites, patch.part.note,
                                             (ast.ValueVersion(None, moved, cites, patch.part.note, span),), span),
                                   origin)
        payer = next((c for c in benefit.clauses if c.field == "payer"), None)
        replaced_cites = (payer.cites or benefit.cites) if payer is not None else benefit.cites
        change = Change("part", target, origin, patch, placed.origin, replaced_cites, None, shadow)
        self.changes.append(change)
        self.conflicts.append(Conflict(f"{benefit.name}.amount", shadow, change, gap_fill=False, part=True))


# ---------------------------------------------------------------- helpers

_FIELD_TYPES = {"payable": T.BOOL, "amount": T.MONEY, "payer": T.PARTY, "advance_payer": T.PARTY,
                "recover_from": T.PARTY}


def _delegates_at(origin: Origin, fact: ast.Fact, c: ast.Citation) -> bool:
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


def _clause_value(benefit: ast.Benefit, clause: ast.Clause, name: str) -> ast.Value:
    """A benefit's clause as a value of its own, so that a later rule can read it."""
    cites = clause.cites or benefit.cites
    version = ast.ValueVersion(None, clause.expr, cites, clause.note, clause.span)
    return ast.Value(name, _FIELD_TYPES[clause.field], benefit.labels, cites, clause.note, (version,), clause.span)


def _absent_field(field: str, span: Span) -> ast.Expr:
    """What an item's field is where its statute gives no clause: payable, and no party for the payer fields."""
    return ast.BoolLit(span, True) if field == "payable" else ast.Name(span, "none")


def _renamed(decl: ast.Parameter | ast.Value | ast.Fact, name: str) -> ast.Parameter | ast.Value | ast.Fact:
    return replace(decl, name=name)


def _uses_overridden(patch: ast.Override) -> bool:
    return any(isinstance(v, ast.ValueVersion) and _mentions(v.expr, OVERRIDDEN) for v in patch.versions)


def _substitute_version(v: ast.ValueVersion, name: str | None) -> ast.ValueVersion:
    return replace(v, expr=_substitute(v.expr, name, None))


def _substitute(e: ast.Expr, name: str | None, replacement: ast.Expr | None) -> ast.Expr:
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
            changes[f.name] = _substitute(v, name, replacement)
        elif isinstance(v, tuple) and v and all(isinstance(x, ast.Expr) for x in v):
            changes[f.name] = tuple(_substitute(x, name, replacement) for x in v)
    return replace(e, **changes) if changes else e


def _mentions(e: object, name: str) -> bool:
    if isinstance(e, ast.Name):
        return e.name == name
    if isinstance(e, ast.Expr) and is_dataclass(e):
        for f in fields(e):
            v = getattr(e, f.name)
            if isinstance(v, ast.Expr) and _mentions(v, name):
                return True
            if isinstance(v, tuple) and any(_mentions(x, name) for x in v):
                return True
    return False


def _mention_span(e: object, name: str) -> Span | None:
    if isinstance(e, ast.Name):
        return e.span if e.name == name else None
    if isinstance(e, ast.Expr) and is_dataclass(e):
        for f in fields(e):
            v = getattr(e, f.name)
            for x in (v if isinstance(v, tuple) else (v,)):
                s = _mention_span(x, name)
                if s is not None:
                    return s
    return None


def _decl_exprs(d: ast.Decl) -> list[ast.Expr]:
    if isinstance(d, (ast.Value, ast.Fill, ast.Override)):
        return [v.expr for v in d.versions if isinstance(v, ast.ValueVersion)]
    if isinstance(d, (ast.Presume, ast.Require)):
        return [d.expr]
    if isinstance(d, ast.Deadline):
        return [c.expr for c in d.clauses]
    if isinstance(d, ast.Benefit):
        return [c.expr for c in d.clauses] + [x for p in d.parts for x in (p.amount, p.payer)]
    if isinstance(d, ast.AddPart):
        return [d.part.amount, d.part.payer]
    return []


def _forbid_overridden(d: ast.Decl, err: Callable[..., None]) -> None:
    for e in _decl_exprs(d):
        span = _mention_span(e, OVERRIDDEN)
        if span is not None:
            err("`overridden` reads the rule an override replaces; it is only available in an override's formula", span)
            return
