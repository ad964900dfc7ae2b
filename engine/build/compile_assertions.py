"""Assertions and claims: what the statutes claim of their own rules, kept for `lawtrace check --prove`.

An assertion becomes a bool node `NAME~assert` (type-checked like any rule, evaluated by the ordinary evaluator
to confirm a counterexample); a claim names built-in properties of `prove --baseline` and a regime, both checked
here so that a misspelt one is a located error, not a claim silently never proved.
"""

from __future__ import annotations

from dsl import ast
from dsl import types as T
from dsl.errors import did_you_mean
from engine.build.compile_state import CompileState
from engine.model import ir
from engine.model.citations import Citation


class Assertions(CompileState):
    def _assert(self, d: ast.Assert, inst: ast.Instrument, version: str, here: tuple[Citation, ...]) -> None:
        first = next((a for a in self.assertions if a.name == d.name), None)
        if first is not None:
            self._err(f"assertion '{d.name}' is declared twice", d.span, related=(("first here", first.span),))
            return
        node_id = f"{d.name}~assert"
        cites = self._cites(d.cites, inst, version, here)
        labels = ir.Labels(d.labels.zh or d.name, d.labels.en or d.name.replace("_", " "))
        self.nodes[node_id] = ir.ValueNode(node_id, "value", T.BOOL, labels, cites, None, d.span, inst.code,
                                           versions=(ir.ValueVersion(None, d.expr, cites, None, d.span),))  # type: ignore[arg-type]
        self._pend_version(node_id, 0, d.expr, T.BOOL, d.cites)
        self.assertions.append(ir.Assertion(d.name, node_id, labels, cites, d.span, inst.code))

    def _claim(self, d: ast.Claim, inst: ast.Instrument, version: str, here: tuple[Citation, ...]) -> None:
        bad = [p for p in d.properties if p not in ir.CLAIM_PROPERTIES]
        if bad:
            self._err(f"claim '{d.name}': unknown property '{bad[0]}'", d.span,
                      did_you_mean(bad[0], ir.CLAIM_PROPERTIES) or f"known: {', '.join(ir.CLAIM_PROPERTIES)}")
            return
        if d.baseline not in self.catalog.regimes:
            self._err(f"claim '{d.name}': unknown regime '{d.baseline}'", d.span,
                      did_you_mean(d.baseline, self.catalog.regimes))
            return
        labels = ir.Labels(d.labels.zh or d.name, d.labels.en or d.name.replace("_", " "))
        self.claims.append(ir.Claim(d.name, labels, d.properties, d.baseline, self._cites(d.cites, inst, version, here),
                                    d.span, inst.code))
