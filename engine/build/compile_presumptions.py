"""Presumptions and requirements: attached to the facts they are about, with the text that grounds them."""

from __future__ import annotations

from dsl import ast
from dsl import types as T
from dsl.records import replace
from dsl.errors import did_you_mean
from engine.build.compile_state import CompileState, Pending
from engine.model import ir
from engine.model.citations import Citation


class Presumptions(CompileState):
    def _require(self, d: ast.Require, inst: ast.Instrument, version: str, here: tuple[Citation, ...]) -> None:
        cites = self._cites(d.cites, inst, version, here)
        node_id = f"{d.fact}~require{len(self.requirements) + 1}"
        message = ir.Labels(d.message.zh or "", d.message.en or d.message.zh or "")
        labels = ir.Labels(message.zh, message.en)
        self.nodes[node_id] = ir.ValueNode(node_id, "value", T.BOOL, labels, cites, None, d.span, inst.code,
                                           versions=(ir.ValueVersion(None, d.expr, cites, None, d.span),))  # type: ignore[arg-type]
        self._pend_version(node_id, 0, d.expr, T.BOOL, d.cites)
        self.requirements.append(ir.Requirement(d.fact, node_id, cites, message, d.span))

    def _attach_presumption(self, p: ast.Presume, cites: tuple[Citation, ...]) -> None:
        fact = self.nodes.get(p.fact)
        if not isinstance(fact, ir.FactNode):
            facts = [n for n, x in self.nodes.items() if isinstance(x, ir.FactNode)]
            self._err(f"a presumption must name a fact; '{p.fact}' is not one", p.span, did_you_mean(p.fact, facts))
            return
        if fact.presumption is not None:
            self._err(f"{p.fact} has two presumptions", p.span, related=(("the other", fact.presumption.span),))
            return
        presumption = ir.Presumption(p.fact, p.expr, p.kind, cites, p.reason, p.span)  # type: ignore[arg-type]
        self.nodes[p.fact] = replace(fact, presumption=presumption)

        def put(typed: ir.Expr) -> None:
            node = self.nodes[p.fact]
            assert isinstance(node, ir.FactNode) and node.presumption is not None
            self.nodes[p.fact] = replace(node, presumption=replace(node.presumption, expr=typed))

        self.pending.append(Pending(p.fact, p.expr, fact.type, put))

        def put_conditions(conds: tuple[ir.Expr | None, ...]) -> None:
            node = self.nodes[p.fact]
            assert isinstance(node, ir.FactNode) and node.presumption is not None
            self.nodes[p.fact] = replace(node, presumption=replace(node.presumption, cite_when=conds))

        self._pend_cite_conditions(p.fact, p.cites, put_conditions)
