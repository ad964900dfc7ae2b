"""Added parts: a lower instrument splits an item the higher ones do not split, with authority (else refused, kept to warn)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from dsl import ast
from dsl import types as T
from dsl.errors import did_you_mean
from engine.build.layering.records import RANKS, Change, Conflict, Origin, Placed
from engine.build.layering.stack import Stack


class Parts(Stack):
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
        if not self._may_split(origin, placed.origin):
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
        if origin.code == holder.code or origin.level == "reform" or origin.level is None:
            return True  # (no rank at all: a user's overlay without `level`, as before)
        mine, theirs = RANKS.get(origin.level), RANKS.get(holder.level or "")
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
