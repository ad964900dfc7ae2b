"""Refused overrides: the higher rule prevails (上位法优于下位法); the lower one is kept as a shadow to compare,
and for a party field it governs only where the higher rule names nobody."""

from __future__ import annotations

from dataclasses import replace

from dsl import ast
from dsl import types as T
from engine.build.layering.records import PARTY_FIELDS, Change, Conflict, Origin, Placed
from engine.build.layering.rewrite import FIELD_TYPES, clause_value, renamed, substitute, substitute_version
from engine.build.layering.stack import Stack


class Refusals(Stack):
    """What becomes of an override made without authority."""

    def _as_decl(self, decl: ast.Fact | ast.Parameter | ast.Value, name: str, origin: Origin, patch: ast.Override,
                 reads: str | None) -> ast.Parameter | ast.Value:
        """The override as a declaration named `name`, with the type and labels of the rule it replaces."""
        params = tuple(v for v in patch.versions if isinstance(v, ast.ParamVersion))
        if params:
            return ast.Parameter(name, decl.type, decl.labels, patch.cites, patch.note, params, patch.span)
        versions = tuple(substitute_version(v, reads) for v in patch.versions)  # type: ignore[arg-type]
        return ast.Value(name, decl.type, decl.labels, patch.cites, patch.note, versions, patch.span)

    def _refuse_decl(self, origin: Origin, patch: ast.Override, placed: Placed, holder: Origin,
                     replaced_cites: tuple[ast.Citation, ...]) -> None:
        """A rule overridden without authority: kept as the shadow `X~CODE`; a party rule governs where the higher names nobody."""
        decl = placed.decl
        assert isinstance(decl, (ast.Fact, ast.Parameter, ast.Value))
        if isinstance(decl, ast.Fact):
            self._err(f"{origin.code} overrides the fact '{decl.name}' of {holder.code} without authority", patch.span,
                      hint="a fact is overridden only where it is delegated, or `by` a provision that delegates it")
            return
        shadow = f"{decl.name}~{origin.code}"
        gap = isinstance(decl, ast.Value) and isinstance(decl.type, T.PartyType)
        higher = f"{decl.name}~{holder.code}" if gap else decl.name
        self.kept[shadow] = Placed(self._as_decl(decl, shadow, origin, patch, reads=higher), origin)
        if gap:  # the higher rule kept as `X~HIGH`; X takes the lower rule only where the higher names nobody
            self.kept[higher] = Placed(renamed(decl, higher), placed.origin)
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

    def _refuse_field(self, origin: Origin, patch: ast.Override, placed: Placed, field: str, old: ast.Clause,
                      holder: Origin, replaced_cites: tuple[ast.Citation, ...], version: ast.ValueVersion) -> None:
        """The higher rule prevails; for a party field, the lower one still governs where the higher names nobody."""
        benefit = placed.decl
        assert isinstance(benefit, ast.Benefit)
        target_id = f"{benefit.name}.{field}"
        shadow = f"{target_id}~{origin.code}"
        gap = field in PARTY_FIELDS
        higher = f"{target_id}~{holder.code}" if gap else target_id
        shadow_expr = substitute(version.expr, higher, None)
        shadow_cites = version.cites or patch.cites
        self.kept[shadow] = Placed(
            ast.Value(shadow, FIELD_TYPES[field], benefit.labels, shadow_cites, version.note or patch.note,
                      (ast.ValueVersion(None, shadow_expr, shadow_cites, version.note or patch.note, patch.span),),
                      patch.span),
            origin)
        if gap:
            self.kept[higher] = Placed(clause_value(benefit, old, higher), placed.clause_origin(field))
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
