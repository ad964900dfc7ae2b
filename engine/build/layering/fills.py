"""Fills: a lower instrument gives the value of a fact a higher one delegates to its level."""

from __future__ import annotations

from dsl import ast
from engine.build.layering.records import Change, Origin, Placed
from engine.build.layering.stack import Stack


class Fills(Stack):
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

    def _bind_value(self, name: str, fact: ast.Fact, origin: Origin, patch: ast.Fill,
                    versions: tuple[ast.ValueVersion, ...]) -> None:
        value = ast.Value(name, fact.type, fact.labels, patch.cites, patch.note, versions, patch.span)
        self.placed[name] = Placed(value, origin)
