"""Evaluate a compiled program over a whole population at once, as columns.

Guarantees: the same `ir.Program` that the single-case evaluator runs is
compiled here generically (no fact or item names in this module); each IR
expression becomes one array operation over all rows of a chunk, never a
Python loop over rows. For every row the result equals the single-case
result: payable true/false/unknown, amount to the fen, payers; unknown facts
stay unknown (value + known masks, see `engine.columns.arrays`); parameters and
dated rules are chosen per row by the case date, `as_of` by another date
column; money is int fen, rounded half up at each money-valued node exactly
where `engine.run.evaluate` rounds. A construct this module cannot reproduce
exactly raises `VectorUnsupported` when the program is compiled, naming it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from dsl import bounds
from dsl import types as T
from engine.columns import arrays as C
from engine.model import ir
from engine.columns import vector_workdays as W
from engine.columns.arrays import Bool, Codes, Col, Date, Num, Records, VectorUnsupported

FEN = 100
Fn = Callable[["Run", "Space | None"], Col]


# ---------------------------------------------------------------- inputs and outputs


@dataclass
class Chunk:
    """The facts of n cases as columns, and their case dates (ordinals)."""

    n: int
    facts: dict[str, Col]
    date: Date
    first_row: int = 0  # the index of row 0 in the whole population, for messages
    as_of: Date | None = None  # the evaluation date (`evaluation_date`); None: unknown in every row
    period_day: Date | None = None  # the day each row's stream is judged on (`period_day`); None: unknown


@dataclass(frozen=True)
class ItemColumns:
    """One benefit item over a chunk, as `engine.run.result` reports it per case."""

    benefit: ir.Benefit
    payable: Bool
    amount: Num  # fen
    payer: Codes  # vocabulary T.PARTIES; "none" means nobody
    advance_payer: Codes
    recover_from: Codes
    parts: tuple[tuple[str, Num, Codes], ...]


@dataclass(frozen=True)
class TableRef:
    """A table parameter in the version in force per row (`index` -1 where none is)."""

    plan: _Param
    index: object
    known: C.Known


@dataclass
class Space:
    """Element space of an aggregate: the list being summed and the variable bound to its elements."""

    var: str
    records: Records


# ---------------------------------------------------------------- parameters


@dataclass
class _Param:
    """A parameter's versions as arrays, oldest first, for choosing one per row."""

    node: ir.ParamNode
    starts: np.ndarray  # ordinals, ascending
    kind: str  # num | bool | date | table
    values: np.ndarray | None = None  # per version (num: numerators over den)
    den: int = 1
    lo: int = 0
    hi: int = 0
    key_min: int = 0
    table: np.ndarray | None = None  # [version, key - key_min] numerators
    present: np.ndarray | None = None  # [version, key - key_min]
    complete: tuple[bool, ...] = ()  # per version: every key in key_min..key_max has an entry
    gap: np.ndarray | None = None  # per version: no figure shipped (after the parameter's `until`)

    @staticmethod
    def build(node: ir.ParamNode) -> _Param:
        plan = _Param._build(_Param._filled(node))
        gap = np.array([v.value == ir.NOT_SHIPPED for v in reversed(node.versions)], dtype=bool)
        if gap.any():
            plan.node, plan.gap = node, gap
        return plan

    @staticmethod
    def _filled(node: ir.ParamNode) -> ir.ParamNode:
        """The versions with a figure in place of `not shipped` (the next older one's): masked unknown by `gap`."""
        from dsl.records import replace

        out, older = [], None
        for v in reversed(node.versions):
            if v.value == ir.NOT_SHIPPED:
                v = replace(v, value=older.value if older is not None else 0)
            out.append(v)
            older = v
        return replace(node, versions=tuple(reversed(out)))

    @staticmethod
    def _build(node: ir.ParamNode) -> _Param:
        versions = list(reversed(node.versions))
        starts = np.array([v.start.toordinal() for v in versions], dtype=np.int64)
        t = node.type
        if isinstance(t, T.TableType):
            if not isinstance(t.key, T.IntType):
                raise VectorUnsupported(f"parameter {node.id}: tables keyed by {t.key} are not vectorized")
            keys = sorted({int(k) for v in versions for k in v.value})  # type: ignore[union-attr]
            kmin, kmax = (keys[0], keys[-1]) if keys else (0, 0)
            width = kmax - kmin + 1
            entries = [v.value for v in versions]
            if isinstance(t.value, T.BoolType):
                table = np.zeros((len(versions), width), dtype=bool)
                den = 1
            else:
                den = _lcm(*(Decimal(x).as_integer_ratio()[1] for e in entries for x in e.values()))  # type: ignore[union-attr]
                table = np.zeros((len(versions), width), dtype=np.int64)
            present = np.zeros((len(versions), width), dtype=bool)
            for i, e in enumerate(entries):
                for k, x in e.items():  # type: ignore[union-attr]
                    present[i, int(k) - kmin] = True
                    table[i, int(k) - kmin] = bool(x) if table.dtype == bool else _over(x, den)
            nums = [int(x) for x in table[present]] if table.dtype != bool else [0]
            if table.dtype != bool:
                table = table.astype(C.narrowest(min(nums, default=0), max(nums, default=0)))
            return _Param(node, starts, "table", den=den, lo=min(nums, default=0), hi=max(nums, default=0),
                          key_min=kmin, table=table, present=present,
                          complete=tuple(bool(present[i].all()) for i in range(len(versions))))
        raw = [v.value for v in versions]
        if isinstance(t, T.BoolType):
            return _Param(node, starts, "bool", values=np.array(raw, dtype=bool))
        if isinstance(t, T.DateType):
            return _Param(node, starts, "date", values=np.array([d.toordinal() for d in raw], dtype=np.int64))  # type: ignore[union-attr]
        if isinstance(t, (T.IntType, T.RateType, T.MoneyType)):
            den = _lcm(*(Decimal(x).as_integer_ratio()[1] for x in raw))  # type: ignore[arg-type]
            nums = [_over(x, den) for x in raw]
            return _Param(node, starts, "num", values=np.array(nums, dtype=np.int64), den=den, lo=min(nums), hi=max(nums))
        raise VectorUnsupported(f"parameter {node.id} of type {t} is not vectorized")


def _lcm(*dens: int) -> int:
    out = 1
    for d in dens:
        out = out * d // np.gcd(out, d)
    return int(out)


def _over(x: object, den: int) -> int:
    n, d = Decimal(x).as_integer_ratio()  # type: ignore[arg-type]
    return n * (den // d)


# ---------------------------------------------------------------- compiled program


class VectorProgram:
    """A program compiled to column operations; `items(chunk)` evaluates every benefit item over a chunk."""

    def __init__(self, program: ir.Program, kind: str = "worker"):
        self.program = program
        self.benefits = program.benefits_of(kind)  # the items of the population's kind of case
        self.params: dict[str, _Param] = {}
        self.compiled: dict[int, Fn] = {}
        # per dated value node: version starts (ascending ordinals) and their compiled formulas, oldest first
        self.versions: dict[str, tuple[np.ndarray, tuple[Fn, ...]]] = {}
        self.rounded = {n.id for n in program.nodes.values() if isinstance(n.type, T.MoneyType)}
        self.fused: dict[tuple[int, int, int, int], np.ndarray] = {}  # outer products of two tables
        self.start_tuples: dict[int, tuple[int, ...]] = {}  # id(starts array) → the same as a tuple, for bisect
        self.param_cache: dict[tuple[str, int], Col] = {}  # scalar parameters by (node, date) when the date is one
        for node in program.nodes.values():
            if isinstance(node, ir.ParamNode):
                self.params[node.id] = _Param.build(node)
            elif isinstance(node, ir.ValueNode):
                for v in node.versions:
                    self._compile(v.expr, ())
                if node.versions[0].start is not None:
                    oldest_first = tuple(reversed(node.versions))
                    starts = np.array([v.start.toordinal() for v in oldest_first], dtype=np.int64)  # type: ignore[union-attr]
                    self.versions[node.id] = (starts, tuple(self._compile(v.expr, ()) for v in oldest_first))
            elif isinstance(node, ir.FactNode):
                _check_fact_type(node)
                if node.presumption is not None:
                    self._compile(node.presumption.expr, ())

        for plan in self.params.values():
            self.start_tuples[id(plan.starts)] = tuple(int(x) for x in plan.starts)
        for starts, _ in self.versions.values():
            self.start_tuples[id(starts)] = tuple(int(x) for x in starts)

    # ------------------------------------------------------------ public

    def nodes(self, chunk: Chunk, names: list[str]) -> dict[str, Col]:
        run = Run(self, chunk)
        return {name: run.get(name) for name in names}

    def items(self, chunk: Chunk) -> tuple[ItemColumns, ...]:
        run = Run(self, chunk)
        return tuple(_item(run, b) for b in self.benefits)

    def items_and_nodes(self, chunk: Chunk, names: list[str]) -> tuple[tuple[ItemColumns, ...], dict[str, Col]]:
        """The items and named nodes of one evaluation (the nodes the items computed are not computed again)."""
        run = Run(self, chunk)
        return tuple(_item(run, b) for b in self.benefits), {name: run.get(name) for name in names}

    # ------------------------------------------------------------ compilation

    def _compile(self, e: ir.Expr, scope: tuple[str, ...]) -> Fn:
        fn = self.compiled.get(id(e))
        if fn is None:
            compiler = _COMPILERS.get(type(e))
            if compiler is None:
                raise VectorUnsupported(f"{e.span}: the expression {type(e).__name__} is not vectorized yet")
            fn = compiler(self, e, scope)
            self.compiled[id(e)] = fn
        return fn


def _check_fact_type(node: ir.FactNode) -> None:
    t = node.type
    if isinstance(t, T.ListType):
        for f in t.fields:
            if isinstance(f.type, (T.ListType, T.TableType)):
                raise VectorUnsupported(f"fact {node.id}: field {f.name} of type {f.type} is not vectorized")
    elif isinstance(t, T.TableType):
        raise VectorUnsupported(f"fact {node.id}: a table given as a fact is not vectorized")


class Run:
    """The evaluation of one chunk: node results cached, version choices cached by date column."""

    def __init__(self, vp: VectorProgram, chunk: Chunk):
        self.vp = vp
        self.program = vp.program
        self.chunk = chunk
        self.n = chunk.n
        self.cache: dict[str, Col] = {}
        self.version_cache: dict[tuple[int, int], tuple[object, C.Known]] = {}
        self.index_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def as_index(self, v: np.ndarray) -> np.ndarray:
        """v as intp, converted once per array: `take` with any other index type converts on every call."""
        if v.dtype == np.intp:
            return v
        hit = self.index_cache.get(id(v))
        if hit is None or hit[0] is not v:
            hit = (v, v.astype(np.intp))
            self.index_cache[id(v)] = hit
        return hit[1]

    def get(self, node_id: str) -> Col:
        col = self.cache.get(node_id)
        if col is not None:
            return col
        node = self.program.nodes[node_id]
        if isinstance(node, ir.FactNode):
            col = self._fact(node)
        elif isinstance(node, ir.ParamNode):
            col = self.param(node_id, self.chunk.date)
            if isinstance(col, TableRef):
                raise VectorUnsupported(f"{node.span}: the table {node_id} is used other than by a lookup")
        else:
            assert isinstance(node, ir.ValueNode)
            col = self._value(node)
        if node_id in self.vp.rounded and type(col) is Num and col.den != FEN:
            col = C.round_to(col, FEN)
        if node_id in self.vp.rounded and type(col) is Num and (col.hi > MONEY_LIMIT_FEN or col.lo < -MONEY_LIMIT_FEN):
            col = _beyond_bound_unknown(col, self.n)
        self.cache[node_id] = col
        return col

    def _fact(self, node: ir.FactNode) -> Col:
        col = self.chunk.facts.get(node.id)
        if col is None:
            col = unknown_column(node.type, self.n)
        p = node.presumption
        if p is None or col.known is None:  # type: ignore[union-attr]
            return col
        presumed = self.vp._compile(p.expr, ())(self, None)
        return C.otherwise(col, presumed)

    def _value(self, node: ir.ValueNode) -> Col:
        dated = self.vp.versions.get(node.id)
        if dated is None:
            return self.vp._compile(node.versions[0].expr, ())(self, None)
        starts, formulas = dated
        index, known = self.version_index(starts, self.chunk.date)
        if C.is_scalar(index):
            i = int(index)  # type: ignore[call-overload]
            if i < 0:
                return unknown_column(node.type, self.n)
            col = formulas[i](self, None)
            return _with_known(col, C.both(col.known, known))  # type: ignore[union-attr]
        out: Col | None = None
        for i, formula in enumerate(formulas):
            chosen = index == i
            if not chosen.any():  # type: ignore[union-attr]
                continue
            col = formula(self, None)
            out = col if out is None else C.select(Bool(chosen), col, out)
        if out is None:
            return unknown_column(node.type, self.n)
        return _with_known(out, C.both(out.known, known))  # type: ignore[union-attr]

    def version_index(self, starts: np.ndarray, d: Date) -> tuple[object, C.Known]:
        """Per row, the index of the version in force on date d (-1 and unknown where none is)."""
        key = (id(d), id(starts))
        hit = self.version_cache.get(key)
        if hit is not None:
            return hit
        if C.is_scalar(d.v):
            i = bisect.bisect_right(self.vp.start_tuples[id(starts)], int(d.v)) - 1  # type: ignore[call-overload]
            out: tuple[object, C.Known] = (i, d.known) if i >= 0 else (-1, np.zeros(self.n, dtype=bool))
        else:
            if d.lo is not None and d.hi is not None:
                i_lo = int(np.searchsorted(starts, d.lo, side="right")) - 1
                i_hi = int(np.searchsorted(starts, d.hi, side="right")) - 1
                if i_lo == i_hi and i_lo >= 0:
                    out = (i_lo, d.known)
                    self.version_cache[key] = out
                    self._keep(d)
                    return out
            idx = np.searchsorted(starts, d.v, side="right") - 1
            in_force = idx >= 0
            out = (idx, C.both(d.known, in_force))
        self.version_cache[key] = out
        self._keep(d)
        return out

    def _keep(self, d: Date) -> None:
        # the cache is keyed by id(): keep the date column alive for the run (starts arrays live in the program)
        self.cache.setdefault(f"\0date{id(d)}", d)

    def param(self, node_id: str, d: Date) -> Col | TableRef:
        if d.known is None and C.is_scalar(d.v):  # one date for every row: the same in every chunk
            key = (node_id, int(d.v))  # type: ignore[call-overload]
            hit = self.vp.param_cache.get(key)
            if hit is None:
                hit = self._param(node_id, d)
                if not isinstance(hit, TableRef) and hit.known is None:  # type: ignore[union-attr]
                    self.vp.param_cache[key] = hit
            return hit
        return self._param(node_id, d)

    def _param(self, node_id: str, d: Date) -> Col | TableRef:
        plan = self.vp.params[node_id]
        index, known = self.version_index(plan.starts, d)
        if plan.gap is not None:  # a date after the parameter's `until`: unknown, not the last figure
            shipped = ~plan.gap[np.maximum(index, 0)]  # type: ignore[call-overload]
            if C.is_scalar(index):
                shipped = np.full(self.n, bool(shipped))
            known = C.both(known, shipped)
        if plan.kind == "table":
            return TableRef(plan, index, known)
        if C.is_scalar(index):
            i = int(index)  # type: ignore[call-overload]
            if i < 0:
                return unknown_column(plan.node.type, self.n)
            value = plan.values[i]  # type: ignore[index]
            if plan.kind == "num":
                v = int(value)
                return Num(v, plan.den, v, v, known)
            if plan.kind == "bool":
                return Bool(bool(value), known)
            return Date(int(value), known, int(value), int(value))
        safe = np.maximum(index, 0)  # type: ignore[call-overload]
        values = plan.values[safe]  # type: ignore[index]
        if plan.kind == "num":
            return Num(values, plan.den, plan.lo, plan.hi, known)
        if plan.kind == "bool":
            return Bool(values, known)
        return Date(values, known, int(plan.values.min()), int(plan.values.max()))  # type: ignore[union-attr]


def _with_known(col: Col, known: C.Known) -> Col:
    if known is col.known:  # type: ignore[union-attr]
        return col
    if isinstance(col, Num):
        return Num(col.v, col.den, col.lo, col.hi, known)
    if isinstance(col, Codes):
        return Codes(col.v, col.vocab, known)
    if isinstance(col, Date):
        return Date(col.v, known, col.lo, col.hi)
    if isinstance(col, Records):
        return Records(col.offsets, col.row_of, col.fields, known, col.max_len)
    return Bool(col.v, known)  # type: ignore[union-attr]


def unknown_column(t: T.Type, n: int) -> Col:
    """n rows, all unknown, of type t."""
    nothing = np.zeros(n, dtype=bool)
    if isinstance(t, T.BoolType):
        return Bool(False, nothing)
    if isinstance(t, (T.IntType, T.RateType, T.MoneyType)):
        return Num(0, FEN if isinstance(t, T.MoneyType) else 1, 0, 0, nothing)
    if isinstance(t, T.DateType):
        return Date(C.ORDINAL_EPOCH, nothing, C.ORDINAL_EPOCH, C.ORDINAL_EPOCH)
    if isinstance(t, T.EnumType):
        return Codes(0, t.values, nothing)
    if isinstance(t, T.PartyType):
        return Codes(0, T.PARTIES, nothing)
    if isinstance(t, T.ListType):
        fields = {f.name: unknown_column(f.type, 0) for f in t.fields}
        return Records(np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), fields, nothing, 0)
    raise VectorUnsupported(f"a value of type {t} is not vectorized")


def vocabulary(t: T.Type) -> tuple[str, ...]:
    if isinstance(t, T.EnumType):
        return t.values
    if isinstance(t, T.PartyType):
        return T.PARTIES
    raise VectorUnsupported(f"{t} has no vocabulary")


# ---------------------------------------------------------------- items


NO_PARTY = T.PARTIES.index("none")


def _item(run: Run, b: ir.Benefit) -> ItemColumns:
    f = b.fields
    payable = run.get(f["payable"]) if "payable" in f else Bool(True)
    none = Codes(NO_PARTY, T.PARTIES)

    def party(name: str) -> Codes:
        return run.get(f[name]) if name in f else none  # type: ignore[return-value]

    parts = tuple((p.name, run.get(p.amount), run.get(p.payer)) for p in b.parts)
    # a range item has no amount (an authority fixes it within amount_min..amount_max): unknown in every row
    amount = run.get(f["amount"]) if "amount" in f else unknown_column(T.MONEY, run.n)
    return ItemColumns(b, payable, amount, party("payer"), party("advance_payer"),  # type: ignore[arg-type]
                       party("recover_from"), parts)  # type: ignore[arg-type]


def row_item(item: ItemColumns, i: int) -> dict[str, object]:
    """Row i of an item as the single-case result reports it: payable, amount (Decimal) and parties, None when unknown.

    The amount and parties are given only where payable is not false, as in `engine.run.result`.
    """
    payable = _row_bool(item.payable, i)
    out: dict[str, object] = {"payable": payable}
    if payable is False:
        return out
    out["amount"] = _row_money(item.amount, i)
    for name in ("payer", "advance_payer", "recover_from"):
        out[name] = _row_party(getattr(item, name), i)
    out["parts"] = [(n, _row_money(a, i), _row_party(p, i)) for n, a, p in item.parts]
    return out


def _row_known(k: C.Known, i: int) -> bool:
    return True if k is None else bool(k[i])


def _row_value(v: object, i: int) -> object:
    return v if C.is_scalar(v) else v[i]  # type: ignore[index]


def _row_bool(c: Bool, i: int) -> bool | None:
    return bool(_row_value(c.v, i)) if _row_known(c.known, i) else None


def _row_money(c: Num, i: int) -> Decimal | None:
    if not _row_known(c.known, i):
        return None
    return Decimal(int(_row_value(c.v, i))) / c.den  # type: ignore[call-overload]


def _row_party(c: Codes, i: int) -> str | None:
    """A party name; `none` (nobody) and unknown both give None, as in result JSON; `unknown` tells them apart."""
    if not _row_known(c.known, i):
        return "unknown"
    name = c.vocab[int(_row_value(c.v, i))]  # type: ignore[call-overload]
    return None if name == "none" else name


# ---------------------------------------------------------------- expression compilers


def _const(vp: VectorProgram, e: ir.Const, scope: tuple[str, ...]) -> Fn:
    col = constant(e.type, e.value)
    return lambda run, space: col


def constant(t: T.Type, value: object) -> Col:
    if isinstance(value, bool):
        return Bool(value)
    if isinstance(value, Decimal):
        return C.const_num(value)
    if isinstance(value, date):
        o = value.toordinal()
        return Date(o, None, o, o)
    if isinstance(value, str):
        vocab = vocabulary(t)
        return Codes(vocab.index(value), vocab)
    raise VectorUnsupported(f"a constant {value!r} is not vectorized")


def _ref(vp: VectorProgram, e: ir.Ref, scope: tuple[str, ...]) -> Fn:
    node = e.node
    if node in vp.program.nodes and isinstance(vp.program.nodes[node], ir.ParamNode) \
            and isinstance(vp.program.nodes[node].type, T.TableType):
        def table(run: Run, space: Space | None) -> Col:
            return run.param(node, run.chunk.date)  # type: ignore[return-value]
        return table

    def ref(run: Run, space: Space | None) -> Col:
        col = run.get(node)
        return col if space is None else col.gather(space.records.row_of)  # type: ignore[union-attr]
    return ref


def _local(vp: VectorProgram, e: ir.Local, scope: tuple[str, ...]) -> Fn:
    name = e.name

    def local(run: Run, space: Space | None) -> Col:
        assert space is not None and space.var == name
        return space.records  # type: ignore[return-value]
    return local


def _unary(vp: VectorProgram, e: ir.Unary, scope: tuple[str, ...]) -> Fn:
    inner = vp._compile(e.operand, scope)
    if e.op == "known":
        def known(run: Run, space: Space | None) -> Col:
            k = inner(run, space).known  # type: ignore[union-attr]
            return Bool(True if k is None else k)
        return known
    if e.op == "not":
        return lambda run, space: C.not_(inner(run, space))  # type: ignore[arg-type]
    return lambda run, space: C.neg(inner(run, space))  # type: ignore[arg-type]


def _binary(vp: VectorProgram, e: ir.Binary, scope: tuple[str, ...]) -> Fn:
    left, right = vp._compile(e.left, scope), vp._compile(e.right, scope)
    op = e.op
    if op == "and":
        return lambda run, space: C.and_(left(run, space), right(run, space))  # type: ignore[arg-type]
    if op == "or":
        return lambda run, space: C.or_(left(run, space), right(run, space))  # type: ignore[arg-type]
    if op == "otherwise":
        return lambda run, space: C.otherwise(left(run, space), right(run, space))
    what = f"{e.span}"
    if op in ("+", "-"):
        if isinstance(e.left.type, T.DateType):
            return lambda run, space: C.days_between(right(run, space), left(run, space))  # type: ignore[arg-type]
        sign = 1 if op == "+" else -1
        return lambda run, space: C.add(left(run, space), right(run, space), sign)  # type: ignore[arg-type]
    if op == "*":
        factors = _factors(e)
        if sum(isinstance(f, ir.Lookup) and isinstance(f.table, ir.Ref) for f in factors) >= 2:
            return _product(vp, factors, scope)
        return lambda run, space: C.mul(left(run, space), right(run, space))  # type: ignore[arg-type]
    if op == "/":
        return lambda run, space: C.div(left(run, space), right(run, space), what, _rows(run, space))  # type: ignore[arg-type]

    def compare(run: Run, space: Space | None) -> Col:
        a, b = left(run, space), right(run, space)
        if isinstance(a, Num):
            return C.compare_num(op, a, b)  # type: ignore[arg-type]
        return Bool(C.compare(op, a.v, b.v), C.both(a.known, b.known))  # type: ignore[union-attr]
    return compare


def _factors(e: ir.Expr) -> list[ir.Expr]:
    """The factors of a chain of multiplications (exact, so they may be taken in any order)."""
    if isinstance(e, ir.Binary) and e.op == "*":
        return _factors(e.left) + _factors(e.right)
    return [e]


def _product(vp: VectorProgram, factors: list[ir.Expr], scope: tuple[str, ...]) -> Fn:
    """A product with two table look-ups: the two tables multiplied into one, looked up once.

    `a * t1[k1] * t2[k2]` is `a * T[k1, k2]` with T the outer product of t1 and t2 (exact
    integers over the product of their denominators), when both are in one version for the
    chunk and their keys span few values; otherwise the factors are multiplied one by one.
    """
    compiled = [vp._compile(f, scope) for f in factors]
    first, second = [i for i, f in enumerate(factors) if isinstance(f, ir.Lookup) and isinstance(f.table, ir.Ref)][:2]
    pair = (factors[first], factors[second])
    tables = [vp._compile(f.table, scope) for f in pair]  # type: ignore[attr-defined]
    keys = [vp._compile(f.key, scope) for f in pair]  # type: ignore[attr-defined]
    rest = [fn for i, fn in enumerate(compiled) if i not in (first, second)]

    def product(run: Run, space: Space | None) -> Col:
        fused = _fused_lookup(run, [t(run, None) for t in tables], [k(run, space) for k in keys]) \
            if space is None else None
        parts = [fn(run, space) for fn in rest] + ([fused] if fused is not None else
                                                   [compiled[first](run, space), compiled[second](run, space)])
        parts.sort(key=lambda c: not C.is_scalar(c.v))  # type: ignore[union-attr]  # scalars first: no array pass
        out = parts[0]
        for p in parts[1:]:
            out = C.mul(out, p)  # type: ignore[arg-type]
        return out
    return product


def _fused_lookup(run: Run, tables: list[object], keys: list[object]) -> Num | None:
    t1, t2 = tables
    k1, k2 = keys
    if not (isinstance(t1, TableRef) and isinstance(t2, TableRef) and isinstance(k1, Num) and isinstance(k2, Num)):
        return None
    if not (C.is_scalar(t1.index) and C.is_scalar(t2.index)) or k1.den != 1 or k2.den != 1:
        return None
    if C.is_scalar(k1.v) or C.is_scalar(k2.v):
        return None
    i1, i2 = int(t1.index), int(t2.index)  # type: ignore[call-overload]
    p1, p2 = t1.plan, t2.plan
    if i1 < 0 or i2 < 0 or p1.table is None or p2.table is None or p1.table.dtype == bool or p2.table.dtype == bool:
        return None
    w1, w2 = p1.table.shape[1], p2.table.shape[1]
    inside = (p1.key_min <= k1.lo and k1.hi < p1.key_min + w1 and p2.key_min <= k2.lo and k2.hi < p2.key_min + w2)
    if not (inside and p1.complete[i1] and p2.complete[i2]) or w1 * w2 > 65536:
        return None  # keys that may miss an entry: the plain look-ups say where
    key = (id(p1), i1, id(p2), i2)
    table = run.vp.fused.get(key)
    if table is None:
        outer = np.outer(p1.table[i1].astype(np.int64), p2.table[i2].astype(np.int64)).ravel()
        table = outer.astype(C.narrowest(int(outer.min()), int(outer.max())))
        run.vp.fused[key] = table
    a = _offset(run, k1.v, p1.key_min)  # type: ignore[arg-type]
    index = a if w2 == 1 else a * w2 + _offset(run, k2.v, p2.key_min)  # type: ignore[arg-type]
    values = table.take(index if index.dtype == np.intp else index.astype(np.intp))
    known = C.all_known(t1.known, t2.known, k1.known, k2.known)
    return Num(values, p1.den * p2.den, int(table.min()), int(table.max()), known)


def _offset(run: Run, v: np.ndarray, low: int) -> np.ndarray:
    """v - low as an index array (intp: a narrow input type could not hold the arithmetic)."""
    return run.as_index(v) if low == 0 else np.subtract(v, low, dtype=np.intp)


def _rows(run: Run, space: Space | None) -> int:
    return run.n if space is None else int(space.records.row_of.shape[0])


def _cond(vp: VectorProgram, e: ir.Cond, scope: tuple[str, ...]) -> Fn:
    cond, then, other = vp._compile(e.cond, scope), vp._compile(e.then, scope), vp._compile(e.otherwise, scope)
    piecewise = _piecewise(e)

    def if_(run: Run, space: Space | None) -> Col:
        if piecewise is not None and space is None:
            col = _tabulate(run, piecewise)
            if col is not None:
                return col
        c = cond(run, space)
        assert isinstance(c, Bool)
        if c.known is None and C.is_scalar(c.v):
            return then(run, space) if bool(c.v) else other(run, space)
        return C.select(c, then(run, space), other(run, space))
    return if_


@dataclass(frozen=True)
class _Piecewise:
    """`if x in a..b then K1 else if x in c..d then K2 else K3`: constants chosen by ranges of one node x."""

    node: str
    arms: tuple[tuple[int, int, Col], ...]  # (low, high, constant), first match wins
    default: Col
    leaves_agree: bool


def _piecewise(e: ir.Cond) -> _Piecewise | None:
    arms: list[tuple[int, int, Col]] = []
    node: str | None = None
    cur: ir.Expr = e
    while isinstance(cur, ir.Cond):
        c = cur.cond
        if not (isinstance(c, ir.Member) and c.low is not None and isinstance(c.operand, ir.Ref)
                and isinstance(cur.then, ir.Const)):
            return None
        if node is not None and c.operand.node != node:
            return None
        node = c.operand.node
        arms.append((c.low, c.high, constant(cur.then.type, cur.then.value)))  # type: ignore[arg-type]
        cur = cur.otherwise
    if not isinstance(cur, ir.Const) or node is None or isinstance(cur.value, (date,)):
        return None
    default = constant(cur.type, cur.value)
    leaves = [a[2] for a in arms] + [default]
    if any(isinstance(x, Date) for x in leaves):
        return None
    agree = all(_same_constant(x, leaves[0]) for x in leaves)
    return _Piecewise(node, tuple(arms), default, agree)


def _same_constant(a: Col, b: Col) -> bool:
    if isinstance(a, Num) and isinstance(b, Num):
        return a.v * b.den == b.v * a.den  # type: ignore[operator]
    return type(a) is type(b) and a.v == b.v  # type: ignore[union-attr]


def _tabulate(run: Run, p: _Piecewise) -> Col | None:
    """The piecewise constant as one table look-up over x's range, where x is a small whole-number column.

    Where x is unknown every condition is unknown, and (as `engine.run.evaluate` tries both branches
    of each) the answer is known only when all the constants agree.
    """
    x = run.get(p.node)
    if not isinstance(x, Num) or x.den != 1 or C.is_scalar(x.v) or x.hi - x.lo > 4096:
        return None
    domain = np.arange(x.lo, x.hi + 1)
    chosen = np.full(domain.shape[0], len(p.arms))
    for i in range(len(p.arms) - 1, -1, -1):  # the first matching arm wins: fill the last first
        low, high, _ = p.arms[i]
        chosen[(domain >= low) & (domain <= high)] = i
    leaves = [a[2] for a in p.arms] + [p.default]
    index = _offset(run, x.v, x.lo)  # type: ignore[arg-type]
    known = None if p.leaves_agree else x.known
    if isinstance(leaves[0], Num):
        nums = C.common(*leaves)  # type: ignore[arg-type]
        table = np.array([int(n.v) for n in nums], dtype=np.int64)[chosen]  # type: ignore[call-overload]
        lo, hi = int(table.min()), int(table.max())
        return Num(table.astype(C.narrowest(lo, hi)).take(index), nums[0].den, lo, hi, known)
    table = np.array([leaf.v for leaf in leaves])[chosen]  # type: ignore[union-attr]
    if isinstance(leaves[0], Codes):
        return Codes(table.astype(np.int16).take(index), leaves[0].vocab, known)
    return Bool(table.astype(bool).take(index), known)


def _member(vp: VectorProgram, e: ir.Member, scope: tuple[str, ...]) -> Fn:
    inner = vp._compile(e.operand, scope)
    if e.low is not None:
        low, high = e.low, e.high
        assert high is not None

        def in_range(run: Run, space: Space | None) -> Col:
            x = inner(run, space)
            assert isinstance(x, Num)
            lo, hi = low * x.den, high * x.den
            if C.is_scalar(x.v):
                return Bool(lo <= int(x.v) <= hi, x.known)  # type: ignore[call-overload]
            if x.lo >= lo and x.hi <= hi:
                return Bool(True, x.known)
            if x.hi < lo or x.lo > hi:
                return Bool(False, x.known)
            if x.den == 1 and x.hi - x.lo <= 4096:  # one table look-up instead of two comparisons and an and
                table = np.zeros(x.hi - x.lo + 1, dtype=bool)
                table[max(lo, x.lo) - x.lo:min(hi, x.hi) - x.lo + 1] = True
                index = _offset(run, x.v, x.lo)  # type: ignore[arg-type]
                return Bool(table.take(index), x.known)
            return Bool((x.v >= lo) & (x.v <= hi), x.known)  # type: ignore[operator]
        return in_range
    vocab = vocabulary(e.operand.type)
    table = np.array([m in e.members for m in vocab], dtype=bool)

    def in_set(run: Run, space: Space | None) -> Col:
        x = inner(run, space)
        assert isinstance(x, Codes)
        if C.is_scalar(x.v):
            return Bool(bool(table[int(x.v)]), x.known)  # type: ignore[call-overload]
        return Bool(table.take(run.as_index(x.v)), x.known)  # type: ignore[arg-type]
    return in_set


def _call(vp: VectorProgram, e: ir.Call, scope: tuple[str, ...]) -> Fn:
    if e.func == "case_date":
        def case_date(run: Run, space: Space | None) -> Col:
            d = run.chunk.date
            return d if space is None else d.gather(space.records.row_of)
        return case_date
    if e.func == "period_day":
        def period_day(run: Run, space: Space | None) -> Col:
            d = run.chunk.period_day if run.chunk.period_day is not None else unknown_column(T.DATE, run.n)
            return d if space is None else d.gather(space.records.row_of)  # type: ignore[union-attr]
        return period_day
    if e.func == "evaluation_date":
        def evaluation_date(run: Run, space: Space | None) -> Col:
            d = run.chunk.as_of if run.chunk.as_of is not None else unknown_column(T.DATE, run.n)
            return d if space is None else d.gather(space.records.row_of)  # type: ignore[union-attr]
        return evaluation_date
    args = [vp._compile(a, scope) for a in e.args]
    f = e.func
    if f == "min":
        return lambda run, space: C.minimum(*(a(run, space) for a in args))  # type: ignore[misc]
    if f == "max":
        return lambda run, space: C.maximum(*(a(run, space) for a in args))  # type: ignore[misc]
    if f == "clamp":
        return lambda run, space: C.clamp(*(a(run, space) for a in args))  # type: ignore[misc]
    if f == "abs":
        return lambda run, space: C.absolute(args[0](run, space))  # type: ignore[arg-type]
    if f == "year":
        return lambda run, space: C.year(args[0](run, space))  # type: ignore[arg-type]
    if f == "days_between":
        return lambda run, space: C.days_between(args[0](run, space), args[1](run, space))  # type: ignore[arg-type]
    if f == "round_yuan":
        return lambda run, space: C.round_to(args[0](run, space), 1)  # type: ignore[arg-type]
    if f == "years_between":
        return lambda run, space: C.years_between(args[0](run, space), args[1](run, space), _rows(run, space))  # type: ignore[arg-type]
    if f == "months_between":
        return lambda run, space: C.months_between(args[0](run, space), args[1](run, space), _rows(run, space))  # type: ignore[arg-type]
    if f == "add_years":
        return lambda run, space: C.add_years(args[0](run, space), args[1](run, space), _rows(run, space))  # type: ignore[arg-type]
    if f == "add_months":
        return lambda run, space: C.add_months(args[0](run, space), args[1](run, space), _rows(run, space))  # type: ignore[arg-type]
    if f == "first_day_of_year":
        return lambda run, space: C.first_day_of_year(args[0](run, space), _rows(run, space))  # type: ignore[arg-type]
    if f in ("add_days", "add_working_days"):
        add = W.add_days if f == "add_days" else W.add_working_days
        return lambda run, space: add(args[0](run, space), args[1](run, space), _rows(run, space))  # type: ignore[arg-type]
    if f == "is_working_day":
        return lambda run, space: W.is_working_day(args[0](run, space), _rows(run, space))  # type: ignore[arg-type]
    if f == "first_working_day":
        return lambda run, space: W.first_working_day(args[0](run, space), _rows(run, space))  # type: ignore[arg-type]
    raise VectorUnsupported(f"{e.span}: the function {f}() is not vectorized yet")


def _as_of(vp: VectorProgram, e: ir.AsOf, scope: tuple[str, ...]) -> Fn:
    when = vp._compile(e.when, scope)
    node = e.node
    if scope:
        raise VectorUnsupported(f"{e.span}: as_of inside sum/count is not vectorized")

    def as_of(run: Run, space: Space | None) -> Col:
        d = when(run, space)
        assert isinstance(d, Date)
        col = run.param(node, d)
        return col  # type: ignore[return-value]  # unrounded, as Evaluation.as_of gives it
    return as_of


def _lookup(vp: VectorProgram, e: ir.Lookup, scope: tuple[str, ...]) -> Fn:
    table_fn, key_fn = vp._compile(e.table, scope), vp._compile(e.key, scope)
    if scope and not isinstance(e.table, ir.Ref):
        raise VectorUnsupported(f"{e.span}: a dated table inside sum/count is not vectorized")

    def lookup(run: Run, space: Space | None) -> Col:
        t = table_fn(run, None)
        key = key_fn(run, space)
        assert isinstance(t, TableRef) and isinstance(key, Num)
        return _look_up(run, t, key, space)
    return lookup


def _look_up(run: Run, t: TableRef, key: Num, space: Space | None) -> Col:
    plan = t.plan
    assert plan.table is not None and plan.present is not None
    index, known = t.index, t.known
    if space is not None and not C.is_scalar(index):
        index = index[space.records.row_of]  # type: ignore[index]
        known = C.take_known(known, space.records.row_of)
    width = plan.table.shape[1]
    known = C.both(known, key.known)
    if key.den != 1:  # an int key is always whole: den 1 (a rate key is not a table key)
        raise VectorUnsupported(f"table {plan.node.id}: a key that is not a whole number")
    kmin, kmax = plan.key_min, plan.key_min + width - 1
    is_bool = plan.table.dtype == bool
    if C.is_scalar(key.v) and C.is_scalar(index):
        i, k = int(index), int(key.v)  # type: ignore[call-overload]
        if i < 0 or not (kmin <= k <= kmax) or not plan.present[i, k - kmin]:
            return _unknown_like(plan, _rows(run, space))
        x = plan.table[i, k - kmin]
        return Bool(bool(x), known) if is_bool else Num(int(x), plan.den, int(x), int(x), known)
    rows = _rows(run, space)
    kv = key.v if not C.is_scalar(key.v) else np.full(rows, int(key.v), dtype=np.int64)  # type: ignore[call-overload]
    inside = key.lo >= kmin and key.hi <= kmax
    slot = _offset(run, kv, kmin)  # type: ignore[arg-type]
    if not inside:
        slot = np.clip(slot, 0, width - 1)
        known = C.both(known, (kv >= kmin) & (kv <= kmax))  # type: ignore[operator]
    if C.is_scalar(index):
        i = int(index)  # type: ignore[call-overload]
        if i < 0:
            return _unknown_like(plan, rows)
        values = plan.table[i].take(slot)
        if not (plan.complete[i] and inside):
            known = C.both(known, plan.present[i].take(slot))
    else:
        flat = np.maximum(index, 0) * width + slot  # type: ignore[call-overload]
        values = plan.table.ravel().take(flat)
        if not (all(plan.complete) and inside):
            known = C.both(known, plan.present.ravel().take(flat))
    if is_bool:
        return Bool(values, known)
    return Num(values, plan.den, plan.lo, plan.hi, known)


def _unknown_like(plan: _Param, n: int) -> Col:
    nothing = np.zeros(n, dtype=bool)
    if plan.table is not None and plan.table.dtype == bool:
        return Bool(False, nothing)
    return Num(0, plan.den, 0, 0, nothing)


def _get_field(vp: VectorProgram, e: ir.GetField, scope: tuple[str, ...]) -> Fn:
    if not isinstance(e.record, ir.Local):
        raise VectorUnsupported(f"{e.span}: a field of something other than the element of a sum/count")
    name = e.name

    def get_field(run: Run, space: Space | None) -> Col:
        assert space is not None
        return space.records.fields[name]  # type: ignore[return-value]
    return get_field


def _aggregate(vp: VectorProgram, e: ir.Aggregate, scope: tuple[str, ...]) -> Fn:
    if scope:
        raise VectorUnsupported(f"{e.span}: a sum/count inside another is not vectorized")
    collection = vp._compile(e.collection, scope)
    inner = (e.var,)
    where = vp._compile(e.where, inner) if e.where is not None else None
    body = vp._compile(e.body, inner) if e.body is not None else None
    var = e.var

    def aggregate(run: Run, space: Space | None) -> Col:
        records = collection(run, None)
        assert isinstance(records, Records)
        n_elem = records.row_of.shape[0]
        elems = Space(var, records)
        bad: object = False  # per element: makes its row unknown
        take: object = True  # per element: counted
        if where is not None:
            w = where(run, elems)
            assert isinstance(w, Bool)
            take = w.v
            if w.known is not None:
                bad = ~w.known
                take = w.known & w.v
        if body is None:
            contribution: Num = Num(take if not C.is_scalar(take) else np.full(n_elem, bool(take)), 1, 0, 1)
        else:
            b = body(run, elems)
            assert isinstance(b, Num)
            if b.known is not None:
                bad = bad | (take & ~b.known) if not C.is_scalar(take) else bad | (~b.known if take else False)
            bv = b.v if not C.is_scalar(b.v) else np.full(n_elem, int(b.v), dtype=np.int64)  # type: ignore[call-overload]
            contribution = Num(bv * take if not (C.is_scalar(take) and take) else bv,
                               b.den, min(b.lo, 0), max(b.hi, 0))
        total = _segment_sum(np.asarray(contribution.v, dtype=np.int64), records.offsets)
        longest = max(records.max_len, 1)
        lo, hi = contribution.lo * longest, contribution.hi * longest
        known = records.known
        if not (C.is_scalar(bad) and not bad):
            bad_rows = _segment_sum(np.asarray(bad, dtype=np.int64), records.offsets) > 0
            known = C.both(known, ~bad_rows)
        return Num(total, contribution.den, min(lo, 0), max(hi, 0), known)
    return aggregate


def _segment_sum(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per row, the sum of its elements' values (exact in int64)."""
    running = np.zeros(values.shape[0] + 1, dtype=np.int64)
    np.cumsum(values, out=running[1:])
    return running[offsets[1:]] - running[offsets[:-1]]


def _undetermined(vp: VectorProgram, e: ir.Expr, scope: tuple[str, ...]) -> Fn:
    """The law is silent: unknown in every row (the single-case path adds the reason as a diagnostic)."""
    t = e.type

    def undetermined(run: Run, space: Space | None) -> Col:
        return unknown_column(t, _rows(run, space))
    return undetermined


_COMPILERS: dict[type, Callable[[VectorProgram, ir.Expr, tuple[str, ...]], Fn]] = {
    ir.Const: _const,  # type: ignore[dict-item]
    ir.Ref: _ref,  # type: ignore[dict-item]
    ir.Local: _local,  # type: ignore[dict-item]
    ir.Unary: _unary,  # type: ignore[dict-item]
    ir.Binary: _binary,  # type: ignore[dict-item]
    ir.Cond: _cond,  # type: ignore[dict-item]
    ir.Member: _member,  # type: ignore[dict-item]
    ir.Call: _call,  # type: ignore[dict-item]
    ir.AsOf: _as_of,  # type: ignore[dict-item]
    ir.Lookup: _lookup,  # type: ignore[dict-item]
    ir.GetField: _get_field,  # type: ignore[dict-item]
    ir.Aggregate: _aggregate,  # type: ignore[dict-item]
    ir.Undetermined: _undetermined,  # type: ignore[dict-item]
}


MONEY_LIMIT_FEN = int(bounds.MONEY_MAX) * 100


def _beyond_bound_unknown(col: Num, n: int) -> Num:
    """Amounts beyond `bounds.MONEY_MAX` are undetermined, row by row, as in a single case (`Evaluation.get`)."""
    values = np.broadcast_to(np.asarray(col.v), (n,))
    over = np.abs(values) > MONEY_LIMIT_FEN
    if not over.any():
        return col
    known = ~over if col.known is None else np.asarray(col.known) & ~over
    lo, hi = min(max(col.lo, -MONEY_LIMIT_FEN), 0), max(min(col.hi, MONEY_LIMIT_FEN), 0)
    return Num(np.where(over, 0, values), col.den, lo, hi, known)
