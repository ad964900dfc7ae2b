"""Why a value is unknown, as columns: whether a row's unknown value waits only on the dates of events.

The single-case path carries with every unknown value the facts that would decide it (`V.missing`), and judges a
monthly item whose payability is unknown for want of event dates only (`engine.model.events.event_facts`) as owed
up to (or from) a day the case does not give. The vectorized evaluator keeps a known mask, not those sets; this
module recomputes, for one expression over a chunk, the two facts about the set that decide it, per row: it holds
a fact of `bound` (`bound`), and it holds another (`other`). They are propagated exactly as `engine.run.evaluate`
unions the sets: an operation whose result is unknown takes the sets of its unknown operands (a condition that is
known takes only its branch's); a fact not given adds itself (after its presumption's); an element field not given
adds the list it belongs to; a parameter, a rule not in force or `undetermined` add nothing but the case date when
it is not known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.columns import arrays as C
from engine.columns.arrays import Bool, Records
from engine.columns.vector import Run, Space, TableRef
from engine.model import ir
from dsl import types as T

Flags = tuple[np.ndarray, np.ndarray]  # (holds a bound fact, holds another fact), per row (or per element)


def waits_on_bound(run: Run, expr_or_node: ir.Expr | str, bound: frozenset[str]) -> np.ndarray:
    """Per row: the value is unknown, and the facts that would decide it are all in `bound` (and there are some)."""
    tracer = _Tracer(run, bound)
    if isinstance(expr_or_node, str):
        has_bound, has_other = tracer.node(expr_or_node)
    else:
        has_bound, has_other = tracer.flags(expr_or_node, None)
    return has_bound & ~has_other


def _is_table(node: object) -> bool:
    return isinstance(node, ir.ParamNode) and isinstance(node.type, T.TableType)


@dataclass
class _Scope:
    space: Space
    origin: str  # the name an element's missing field is reported under (the list's fact, as the single case)


class _Tracer:
    def __init__(self, run: Run, bound: frozenset[str]):
        self.run, self.vp, self.bound = run, run.vp, bound
        self.nodes: dict[str, Flags] = {}
        n = run.n
        date_known = run.chunk.date.known
        self.no_date = np.zeros(n, dtype=bool) if date_known is None else ~np.broadcast_to(date_known, (n,))

    # ------------------------------------------------------------ helpers

    def _n(self, scope: _Scope | None) -> int:
        return self.run.n if scope is None else int(scope.space.records.row_of.shape[0])

    def _zeros(self, scope: _Scope | None) -> Flags:
        z = np.zeros(self._n(scope), dtype=bool)
        return z, z

    def _unknown(self, col: object, scope: _Scope | None) -> np.ndarray:
        n = self._n(scope)
        k = getattr(col, "known", None)
        return np.zeros(n, dtype=bool) if k is None else ~np.broadcast_to(k, (n,))

    def _col(self, e: ir.Expr, scope: _Scope | None) -> object:
        fn = self.vp._compile(e, (scope.space.var,) if scope is not None else ())
        return fn(self.run, scope.space if scope is not None else None)

    @staticmethod
    def _union(*flags: Flags) -> Flags:
        b, o = flags[0]
        for x, y in flags[1:]:
            b, o = b | x, o | y
        return b, o

    def _masked(self, flags: Flags, col: object, scope: _Scope | None) -> Flags:
        u = self._unknown(col, scope)
        return flags[0] & u, flags[1] & u

    def _rows_to(self, flags: Flags, scope: _Scope | None) -> Flags:
        """Row flags seen from an element scope (a row-level value read by an element)."""
        if scope is None:
            return flags
        row_of = scope.space.records.row_of
        return flags[0][row_of], flags[1][row_of]

    # ------------------------------------------------------------ nodes

    def node(self, node_id: str) -> Flags:
        hit = self.nodes.get(node_id)
        if hit is not None:
            return hit
        node = self.run.program.nodes[node_id]
        col = self.run.get(node_id) if not (_is_table(node)) else None
        n = self.run.n
        if col is not None and not self._unknown(col, None).any():  # known in every row: nothing is missing
            z = np.zeros(n, dtype=bool)
            self.nodes[node_id] = (z, z)
            return self.nodes[node_id]
        if isinstance(node, ir.FactNode):
            unknown = self._unknown(col, None)
            mine = node_id in self.bound
            b, o = (unknown.copy(), np.zeros(n, dtype=bool)) if mine else (np.zeros(n, dtype=bool), unknown.copy())
            if node.presumption is not None and unknown.any():
                pb, po = self.flags(node.presumption.expr, None)
                b, o = b | (pb & unknown), o | (po & unknown)
            out: Flags = (b, o)
        elif isinstance(node, ir.ParamNode):
            unknown = self._unknown(col, None) if col is not None else np.zeros(n, dtype=bool)
            out = (np.zeros(n, dtype=bool), unknown & self.no_date)
        else:
            assert isinstance(node, ir.ValueNode)
            out = self._value(node, col)
        self.nodes[node_id] = out
        return out

    def _value(self, node: ir.ValueNode, col: object) -> Flags:
        n = self.run.n
        dated = self.vp.versions.get(node.id)
        if dated is None:
            out = self.flags(node.versions[0].expr, None)
        else:
            starts, _ = dated
            index, _known = self.run.version_index(starts, self.run.chunk.date)
            oldest_first = tuple(reversed(node.versions))
            if C.is_scalar(index):
                i = int(index)  # type: ignore[call-overload]
                out = self.flags(oldest_first[i].expr, None) if i >= 0 else (np.zeros(n, dtype=bool), self.no_date)
            else:
                b, o = np.zeros(n, dtype=bool), self.no_date.copy()
                for i, v in enumerate(oldest_first):
                    chosen = np.asarray(index) == i
                    if chosen.any():
                        fb, fo = self.flags(v.expr, None)
                        b, o = np.where(chosen, fb, b), np.where(chosen, fo, o)
                out = (b, o)
        return self._masked(out, col, None)

    # ------------------------------------------------------------ expressions

    def flags(self, e: ir.Expr, scope: _Scope | None) -> Flags:
        if isinstance(e, ir.Const) or isinstance(e, ir.Local) or isinstance(e, ir.Undetermined):
            return self._zeros(scope)
        if isinstance(e, ir.Ref):
            node = self.run.program.nodes.get(e.node)
            if _is_table(node):
                return self._zeros(scope)  # read by a lookup, which weighs its knownness
            return self._rows_to(self.node(e.node), scope)
        if isinstance(e, ir.Unary):
            if e.op == "known":
                return self._zeros(scope)
            return self.flags(e.operand, scope)
        if isinstance(e, ir.Member):
            return self.flags(e.operand, scope)
        if isinstance(e, ir.Binary):
            col = self._col(e, scope)
            if not self._unknown(col, scope).any():
                return self._zeros(scope)
            return self._masked(self._union(self.flags(e.left, scope), self.flags(e.right, scope)), col, scope)
        if isinstance(e, ir.Cond):
            return self._cond(e, scope)
        if isinstance(e, ir.Call):
            return self._call(e, scope)
        if isinstance(e, ir.AsOf):
            when = self._col(e.when, scope)
            return self._masked(self.flags(e.when, scope), when, scope)
        if isinstance(e, ir.Lookup):
            col = self._col(e, scope)
            table = self._col(e.table, None)
            t_unknown = self._unknown(table, None) if isinstance(table, TableRef) else np.zeros(self.run.n, dtype=bool)
            t_flags = self._rows_to((np.zeros(self.run.n, dtype=bool), t_unknown & self.no_date), scope)
            return self._masked(self._union(t_flags, self.flags(e.key, scope)), col, scope)
        if isinstance(e, ir.GetField):
            assert scope is not None
            col = self._col(e, scope)
            unknown = self._unknown(col, scope)
            mine = scope.origin in self.bound
            z = np.zeros_like(unknown)
            return (unknown, z) if mine else (z, unknown)
        if isinstance(e, ir.Aggregate):
            return self._aggregate(e, scope)
        other = self._col(e, scope)  # anything else: an unknown value names no bound fact
        return self._zeros(scope)[0], self._unknown(other, scope)

    def _cond(self, e: ir.Cond, scope: _Scope | None) -> Flags:
        col = self._col(e, scope)
        if not self._unknown(col, scope).any():
            return self._zeros(scope)
        c = self._col(e.cond, scope)
        assert isinstance(c, Bool)
        n = self._n(scope)
        cv = np.broadcast_to(np.asarray(c.v, dtype=bool), (n,))
        ck = np.ones(n, dtype=bool) if c.known is None else np.broadcast_to(c.known, (n,))
        tb, to = self.flags(e.then, scope)
        eb, eo = self.flags(e.otherwise, scope)
        cb, co = self.flags(e.cond, scope)
        yes, no = ck & cv, ck & ~cv
        b = np.where(yes, tb, np.where(no, eb, cb | tb | eb))
        o = np.where(yes, to, np.where(no, eo, co | to | eo))
        return self._masked((b, o), col, scope)

    def _call(self, e: ir.Call, scope: _Scope | None) -> Flags:
        col = self._col(e, scope)
        if e.func == "period_day":
            return self._zeros(scope)
        if e.func in ("case_date", "evaluation_date"):
            return self._zeros(scope)[0], self._unknown(col, scope)  # 'date' / 'as_of': not an event's fact
        if not e.args:
            return self._zeros(scope)
        return self._masked(self._union(*(self.flags(a, scope) for a in e.args)), col, scope)

    def _aggregate(self, e: ir.Aggregate, scope: _Scope | None) -> Flags:
        assert scope is None, "a sum/count inside another is not vectorized"
        col = self._col(e, None)
        records = self._col(e.collection, None)
        assert isinstance(records, Records)
        list_flags = self._masked(self.flags(e.collection, None), records, None)
        origin = e.collection.node if isinstance(e.collection, ir.Ref) else e.var
        inner = _Scope(Space(e.var, records), origin)
        m = int(records.row_of.shape[0])
        eb, eo = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
        take = np.ones(m, dtype=bool)
        if e.where is not None:
            w = self._col(e.where, inner)
            wb, wo = self.flags(e.where, inner)
            eb, eo = eb | wb, eo | wo
            wk = np.ones(m, dtype=bool) if w.known is None else np.broadcast_to(w.known, (m,))  # type: ignore[union-attr]
            take = wk & np.broadcast_to(np.asarray(w.v, dtype=bool), (m,))  # type: ignore[union-attr]
        if e.body is not None:
            bb, bo = self.flags(e.body, inner)
            eb, eo = eb | (bb & take), eo | (bo & take)
        per_row_b = np.bincount(records.row_of[eb], minlength=self.run.n) > 0 if m else np.zeros(self.run.n, bool)
        per_row_o = np.bincount(records.row_of[eo], minlength=self.run.n) > 0 if m else np.zeros(self.run.n, bool)
        return self._masked((list_flags[0] | per_row_b, list_flags[1] | per_row_o), col, None)
