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

from dsl import ast
from dsl.source import SourceFile
from engine.build.layering.fills import Fills
from engine.build.layering.overrides import Overrides
from engine.build.layering.parts import Parts
from engine.build.layering.records import (
    ITEM_FIELDS,
    OVERRIDDEN,
    PARTY_FIELDS,
    RANKS,
    Change,
    Composition,
    Conflict,
    Origin,
    Placed,
    cite_text,
    origins,
)
from engine.build.layering.rewrite import forbid_overridden

__all__ = ["ITEM_FIELDS", "OVERRIDDEN", "PARTY_FIELDS", "RANKS", "Change", "Composition", "Conflict", "Origin", "Placed",
           "cite_text", "compose", "origins"]


def compose(modules: list[ast.Module], sources: dict[str, SourceFile]) -> Composition:
    """The declarations of a stack (modules highest first, overlays last), with every patch applied in order."""
    return _Composer(modules, sources).run()


class _Composer(Fills, Overrides, Parts):
    """Definitions first, then every patch in stack order, each by the room that knows its kind."""

    def run(self) -> Composition:
        stack = origins(self.modules)
        self._check_under()
        for origin, d in stack:
            if not isinstance(d, ast.Override):
                forbid_overridden(d, self._err)
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
