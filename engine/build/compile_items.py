"""Benefit items (payable, amount, payers, parts) and deadlines, as IR with their clauses set aside to type-check."""

from __future__ import annotations

from dsl import ast
from dsl import types as T
from engine.build import layering
from engine.build.compile_state import CompileState, here
from engine.law_time import deadlines
from engine.model import ir
from engine.model.citations import Citation


class Items(CompileState):
    def _benefit(self, d: ast.Benefit, inst: ast.Instrument, version: str, labels: ir.Labels,
                 cites: tuple[Citation, ...], placed: layering.Placed | None = None) -> None:
        if d.name in self.nodes:
            return
        fields: dict[str, str] = {}
        types = {"payable": T.BOOL, "amount": T.MONEY, "payer": T.PARTY,
                 "advance_payer": T.PARTY, "recover_from": T.PARTY, "amount_min": T.MONEY, "amount_max": T.MONEY,
                 "arises": T.DATE}
        for clause in d.clauses:
            node_id = f"{d.name}.{clause.field}"
            if clause.field in fields:
                self._err(f"benefit {d.name} has two `{clause.field}` clauses", clause.span)
                continue
            fields[clause.field] = node_id
            o = placed.clause_origin(clause.field) if placed else None
            if o is None or o == placed.origin:  # type: ignore[union-attr]
                c_inst, c_version, c_default, own = inst, version, cites, clause.cites or d.cites
            else:  # a field set by a later instrument: cited from there
                c_inst, c_version, c_default, own = o.instrument, o.version, here(o), clause.cites
            c = self._cites(clause.cites, c_inst, c_version, c_default)
            field_labels = ir.Labels(labels.zh, f"{labels.en}: {clause.field.replace('_', ' ')}")
            self.nodes[node_id] = ir.ValueNode(node_id, "item_field", types[clause.field], field_labels, c,
                                               clause.note, clause.span, c_inst.code,
                                               versions=(ir.ValueVersion(None, clause.expr, c, clause.note, clause.span),))  # type: ignore[arg-type]
            self._pend_version(node_id, 0, clause.expr, types[clause.field], own)
        ranged = [f for f in ir.RANGE_FIELDS if f in fields]
        if ranged and ("amount" in fields or len(ranged) != 2 or d.set_by is None or d.parts):
            self._err(f"benefit {d.name}: an item the law gives only as a range has `amount_min = ...`, "
                      "`amount_max = ...` and `set_by \"...\"` (who fixes the figure), and no `amount` or parts", d.span)
        elif d.set_by is not None and not ranged:
            self._err(f"benefit {d.name}: `set_by` goes with `amount_min` and `amount_max`", d.span)
        if "amount" not in fields and not ranged:
            self._err(f"benefit {d.name} needs an `amount = ...` clause", d.span)
        if "payer" not in fields:
            self._err(f"benefit {d.name} needs a `payer = ...` clause", d.span)
        parts = []
        for p in d.parts:
            amount_id, payer_id = f"{d.name}.part.{p.name}.amount", f"{d.name}.part.{p.name}.payer"
            o = placed.part_origin(p.name) if placed else None
            p_inst, p_version, p_default = (inst, version, cites) if o is None or o == placed.origin else (  # type: ignore[union-attr]
                o.instrument, o.version, here(o))
            c = self._cites(p.cites, p_inst, p_version, p_default)
            for node_id, expr, t in ((amount_id, p.amount, T.MONEY), (payer_id, p.payer, T.PARTY)):
                if not self._define(node_id, p.span):
                    continue
                self.nodes[node_id] = ir.ValueNode(node_id, "item_field", t, ir.Labels(labels.zh, f"{labels.en}: part {p.name}"),
                                                   c, p.note, p.span, p_inst.code,
                                                   versions=(ir.ValueVersion(None, expr, c, p.note, p.span),))  # type: ignore[arg-type]
                self._pend_version(node_id, 0, expr, t, p.cites)
            parts.append(ir.PartDef(p.name, amount_id, payer_id, c))
        set_by = ir.Labels(d.set_by.zh or "", d.set_by.en or d.set_by.zh or "") if d.set_by is not None else None
        self.benefits.append(ir.Benefit(d.name, labels, d.period, cites, fields, tuple(parts), d.span, inst.code,
                                        d.kind, set_by, self._cites(d.set_by_cites, inst, version, cites)))

    def _event(self, d: ast.Event, inst: ast.Instrument, labels: ir.Labels, cites: tuple[Citation, ...]) -> None:
        """An event: a date node (of the case, or of each element of a list) that streams start and stop on.

        An event over a list (`for d in dependents`) is held as `count(d in LIST where DATE is known)` so that
        the date is type-checked with `d` bound; `ir.Event.date_expr` reads the date back out of it."""
        expr: ast.Expr = d.expr
        t: T.Type = T.DATE
        if d.var is not None:
            expr = ast.Aggregate(d.span, "count", d.var, ast.Name(d.span, d.collection or ""), ast.IsKnown(d.span, d.expr),
                                 None)
            t = T.INT
        self.nodes[d.name] = ir.ValueNode(d.name, "value", t, labels, cites, d.note, d.span, inst.code,
                                          versions=(ir.ValueVersion(None, expr, cites, d.note, d.span),))  # type: ignore[arg-type]
        self._pend_version(d.name, 0, expr, t, d.cites)
        self.events.append(ir.Event(d.name, labels, cites, d.note, d.span, inst.code, d.var, d.collection))

    def _deadline(self, d: ast.Deadline, inst: ast.Instrument, version: str, labels: ir.Labels,
                  cites: tuple[Citation, ...]) -> None:
        problems = deadlines.check_clauses(d)
        for message, span in problems:
            self._err(message, span)
        if problems:
            return
        types = {"applies": T.BOOL, "due": T.DATE, "latest": T.DATE, "done": T.DATE, "outstanding": T.BOOL,
                 "party": T.PARTY, "passed": T.BOOL, "missed": T.BOOL}
        # `applies` cites only what it says itself: where a limit does not run, its article is not passed through
        formulas = [(c.field, c.expr, self._cites(c.cites, inst, version, () if c.field == "applies" else cites),
                     c.cites or (() if c.field == "applies" else d.cites), c.note, c.span) for c in d.clauses]
        formulas += [(name, expr, cites, d.cites, None, d.span) for name, expr in deadlines.derived(d).items()]
        fields: dict[str, str] = {}
        for name, expr, c, own, note, span in formulas:
            node_id = f"{d.name}.{name}"
            fields[name] = node_id
            field_labels = ir.Labels(labels.zh, f"{labels.en}: {name}")
            self.nodes[node_id] = ir.ValueNode(node_id, "item_field", types[name], field_labels, c, note, span,
                                               inst.code, versions=(ir.ValueVersion(None, expr, c, note, span),))  # type: ignore[arg-type]
            self._pend_version(node_id, 0, expr, types[name], own)
        consequence = ir.Labels(d.consequence.zh or "", d.consequence.en or d.consequence.zh or "") \
            if d.consequence is not None else None
        self.deadlines.append(ir.Deadline(d.name, labels, cites, fields, consequence,
                                          self._cites(d.consequence_cites, inst, version, cites), d.span, inst.code,
                                          d.kind))
