"""Overrides with authority: delegated to the level, `by` a delegating provision, a reform that `amends`, or a higher rank."""

from __future__ import annotations

from dataclasses import replace

from dsl import ast
from dsl.errors import did_you_mean
from engine.model.article_text import number_ranges
from engine.build.layering.records import RANKS, Change, Origin, Placed, cite_text
from engine.build.layering.refusals import Refusals
from engine.build.layering.rewrite import (
    absent_field,
    clause_value,
    delegates_at,
    renamed,
    substitute,
    uses_overridden,
)


class Overrides(Refusals):
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
            if not self._amended_exist(patch):
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

    def _amended_exist(self, patch: ast.Override) -> bool:
        """Each provision a reform `amends` is an article of an instrument in the stack (else the reform amends nothing)."""
        articles = {(m.instrument.code, a.number) for m in self.modules if m.instrument is not None for a in m.articles}
        codes = {code for code, _ in articles}
        code = None
        for c in patch.amends:
            code = c.instrument or code
            if code in codes and (code, c.article) not in articles:
                have = sorted(n for k, n in articles if k == code)
                self._err(f"{cite_text(c)} amends an article that {code} does not have in this regime: "
                          f"{code} has no article {c.article} in the statutes", c.span,
                          hint=f"articles {code} has: {number_ranges(have)}")
                return False
            if code is not None and code not in codes:
                self._err(f"{cite_text(c)} amends an instrument that is not in this regime", c.span,
                          hint=did_you_mean(code, codes))
                return False
        return True

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
                       and delegates_at(o, d, c)]
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
        if isinstance(decl, ast.Fact) and uses_overridden(patch):
            self._err(f"'{decl.name}' is a fact: there is no rule for `overridden` to read", patch.span)
            return
        if authority is None:
            self._refuse_decl(origin, patch, placed, holder, replaced_cites)
            return
        kept = None
        if uses_overridden(patch):
            kept = f"{decl.name}~{holder.code}"
            self.kept[kept] = Placed(renamed(decl, kept), placed.origin,
                                     placed.clause_origins, placed.part_origins)
        new = self._as_decl(decl, decl.name, origin, patch, reads=kept)
        self.placed[decl.name] = Placed(new, origin)
        self.changes.append(Change("override", patch.target, origin, patch, holder, replaced_cites, authority, kept))

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
        if uses_overridden(patch):
            if old is not None:
                kept = f"{target_id}~{holder.code if holder else benefit.name}"
                self.kept[kept] = Placed(clause_value(benefit, old, kept), placed.clause_origin(field))
            else:
                replacement = absent_field(field, version.expr.span)
        expr = substitute(version.expr, kept, replacement)
        clause = ast.Clause(field, expr, version.cites or patch.cites, version.note or patch.note, patch.span)
        clauses = tuple(c for c in benefit.clauses if c.field != field) + (clause,)
        origins_ = tuple((f, o) for f, o in placed.clause_origins if f != field) + ((field, origin),)
        self.placed[benefit.name] = replace(placed, decl=replace(benefit, clauses=clauses), clause_origins=origins_)
        self.changes.append(Change("override", target_id, origin, patch, holder, replaced_cites, authority, kept))
