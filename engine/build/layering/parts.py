"""Added parts: a lower instrument splits an item the higher ones do not split."""

from __future__ import annotations

from dataclasses import replace

from dsl import ast
from dsl.errors import did_you_mean
from engine.build.layering.records import Change, Origin
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
        new = replace(benefit, parts=benefit.parts + (patch.part,))
        self.placed[patch.benefit] = replace(placed, decl=new,
                                             part_origins=placed.part_origins + ((patch.part.name, origin),))
        self.changes.append(Change("part", f"{patch.benefit}.part.{patch.part.name}", origin, patch, None, (),
                                   "a split the higher instruments do not make"))
