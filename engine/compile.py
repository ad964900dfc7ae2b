"""Statute modules → checked `Program` for one regime: resolve citations and names, type-check, build the graph.

This is the driver of the compile stages:

1. `catalog` parses the files and indexes instruments and regimes;
2. `_collect` turns each declaration into IR nodes with resolved citations,
   refusing a name defined twice;
3. `typecheck.Checker` resolves and types every expression;
4. `graph.build_graph` links the nodes and refuses cycles.

Every error of stages 2-4 is collected and raised together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from dsl import ast
from dsl import types as T
from dsl.errors import LawtraceError, SourceError, did_you_mean, raise_collected
from dsl.source import Span
from engine import deadlines, ir, layering
from engine.catalog import Catalog
from engine.coverage import paragraph_count
from engine.citations import Citation
from engine.diagnostics import Diagnostic
from engine.graph import build_graph
from engine.layering import compose
from engine.typecheck import BUILTIN_NAMES, FUNCTIONS, Checker

RESERVED = set(T.PARTIES) | set(FUNCTIONS) | set(BUILTIN_NAMES) | {"date"}


@dataclass
class _Pending:
    """An expression to check once every node's type is known, and where its typed form goes."""

    node: str
    expr: ast.Expr
    expected: T.Type | None
    put: Callable[[ir.Expr], None]


def compile_regime(catalog: Catalog, regime: str, overlays: tuple[ast.Module, ...] = ()) -> ir.Program:
    if regime not in catalog.regimes:
        raise LawtraceError(f"unknown regime '{regime}'" + _hint(regime, catalog.regimes))
    codes = catalog.expand(regime)
    modules = [catalog.instruments[c] for c in codes] + list(overlays)
    r = catalog.regimes[regime]
    labels = ir.Labels(r.labels.zh or r.name, r.labels.en or r.name)
    return compile_modules(catalog, regime, labels, modules)


def compile_modules(catalog: Catalog, name: str, labels: ir.Labels, modules: list[ast.Module]) -> ir.Program:
    c = _Compiler(catalog, modules)
    c.collect()
    c.check()
    raise_collected(c.errors)
    graph = build_graph(c.nodes, c.benefits, c.edges, catalog.sources)
    infos = tuple(c.instrument_info(m) for m in modules if m.instrument is not None)
    return ir.Program(name, labels, infos, c.nodes, tuple(c.benefits), c.articles, graph, tuple(c.warnings),
                      changes=c.changes, conflicts=c.conflicts, deadlines=tuple(c.deadlines),
                      requirements=tuple(c.requirements))


def _here(o: layering.Origin) -> tuple[Citation, ...]:
    """The citation of the article a rule sits under: its default citation."""
    return (Citation(o.code, o.version, o.article),)


def _conflict_warning(change: ir.LayerChange, gap_fill: bool) -> Diagnostic:
    lower = ", ".join(c.en() for c in change.cites) or change.instrument
    higher = ", ".join(c.en() for c in change.replaced_cites) or str(change.replaced_instrument)
    ranks = f" ({change.level})" if change.level else ""
    message = (f"{lower}{ranks} contradicts {higher} on {change.target} without authority: "
               f"the higher rule prevails (上位法优于下位法)")
    if gap_fill:
        message += f" wherever it names a party ({change.instrument}'s rule applies where it names none)"
    if change.reason:
        message += f"; {change.instrument}'s rule: {change.reason}"
    return Diagnostic("warning", message, change.cites + change.replaced_cites, change.span)


def _part_warning(change: ir.LayerChange) -> Diagnostic:
    lower = ", ".join(c.en() for c in change.cites) or change.instrument
    higher = ", ".join(c.en() for c in change.replaced_cites) or str(change.replaced_instrument)
    ranks = f" ({change.level})" if change.level else ""
    item = change.target.split(".part.")[0]
    message = (f"{lower}{ranks} splits {item} between payers ({change.target}) without authority: {higher} "
               f"name the payer of the whole item, and prevail (上位法优于下位法)")
    return Diagnostic("warning", message, change.cites + change.replaced_cites, change.span)


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5, 7, 8 → '1-3, 5, 7-8'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _hint(name: str, options: object) -> str:
    h = did_you_mean(name, list(options))  # type: ignore[call-overload]
    return f"; {h}" if h else f"; known: {', '.join(sorted(options))}"  # type: ignore[call-overload]


class _Compiler:
    def __init__(self, catalog: Catalog, modules: list[ast.Module]):
        self.catalog = catalog
        self.modules = modules
        self.errors: list[LawtraceError] = []
        self.warnings: list[Diagnostic] = []
        self.nodes: dict[str, ir.Node] = {}
        self.benefits: list[ir.Benefit] = []
        self.deadlines: list[ir.Deadline] = []
        self.requirements: list[ir.Requirement] = []
        self.articles: dict[tuple[str, str | None, int], ir.ArticleText] = {}
        self.edges: list[tuple[str, str, Span]] = []
        self.pending: list[_Pending] = []
        self.presumptions: list[tuple[ast.Presume, tuple[Citation, ...]]] = []
        self.spans: dict[str, Span] = {}
        self.changes: tuple[ir.LayerChange, ...] = ()
        self.conflicts: dict[str, tuple[ir.Conflict, ...]] = {}

    def instrument_info(self, m: ast.Module) -> ir.InstrumentInfo:
        i = m.instrument
        assert i is not None
        versions = tuple(sorted(((v.version, v.in_force) for v in i.versions), key=lambda v: v[1]))
        return ir.InstrumentInfo(i.code, i.title_zh, i.title_en or i.code, i.under, versions, m.file)

    def _err(self, message: str, span: Span, hint: str | None = None, related=()) -> None:
        self.errors.append(SourceError(message, span, self.catalog.sources.get(span.file), hint, tuple(related)))

    # ------------------------------------------------------------ citations

    def _cite(self, c: ast.Citation, here: ast.Instrument, version: str | None) -> Citation:
        code = c.instrument or here.code
        if code == here.code:
            inst = here
        else:
            module = self.catalog.instruments.get(code)
            if module is None or module.instrument is None:
                self._err(f"citation names an unknown instrument '{code}'", c.span,
                          did_you_mean(code, self.catalog.instruments))
                return Citation(code, c.version, c.article, c.paragraph, c.item)
            inst = module.instrument
        known = [v.version for v in inst.versions]
        if c.version is not None:
            v = c.version
            if v not in known:
                self._err(f"{code} has no version {v} (versions: {', '.join(known)})", c.span)
        elif code == here.code and version is not None:
            v = version
        else:
            v = sorted(inst.versions, key=lambda x: x.in_force)[-1].version
        self._check_article(code, inst, v, c)
        return Citation(code, v, c.article, c.paragraph, c.item)

    def _check_article(self, code: str, inst: ast.Instrument, version: str, c: ast.Citation) -> None:
        """A citation names an article the instrument declares (for that version): else an error listing those it has."""
        module = self.catalog.instruments.get(code)
        if module is None or module.instrument is not inst:
            module = next((m for m in self.modules if m.instrument is inst), None)
        if module is None:
            return
        latest = sorted(inst.versions, key=lambda x: x.in_force)[-1].version
        articles = {a.number: a for a in module.articles if (a.version or latest) == version}
        have = sorted(articles)
        if c.article in have:
            a = articles[c.article]
            if c.paragraph is not None and a.text and (a.text_status or "verbatim") == "verbatim":
                n = paragraph_count(a.text)
                if c.paragraph > n:
                    name = code if version == latest else f"{code}@{version}"
                    self._err(f"{name} art. {c.article} has no paragraph {c.paragraph}", c.span,
                              f"its text has {n} paragraph{'s' if n != 1 else ''} (an item (一)… belongs to the paragraph above it)")
            return
        name = code if version == latest else f"{code}@{version}"
        self._err(f"{name} has no article {c.article} in the statutes", c.span,
                  f"articles {name} has: {_ranges(have)}" if have else f"{name} declares no article")

    def _cites(self, cs: tuple[ast.Citation, ...], here: ast.Instrument, version: str | None,
               default: tuple[Citation, ...]) -> tuple[Citation, ...]:
        return tuple(self._cite(c, here, version) for c in cs) if cs else default

    def _pend_version(self, node_id: str, index: int, expr: ast.Expr, expected: T.Type,
                      cites: tuple[ast.Citation, ...]) -> None:
        """Queue the formula of version `index` of a value node, and the conditions of its citations."""

        def put_expr(typed: ir.Expr) -> None:
            self._update_version(node_id, index, expr=typed)

        self.pending.append(_Pending(node_id, expr, expected, put_expr))
        self._pend_cite_conditions(node_id, cites, lambda conds: self._update_version(node_id, index, cite_when=conds))

    def _pend_cite_conditions(self, node_id: str, cites: tuple[ast.Citation, ...],
                              put: Callable[[tuple[ir.Expr | None, ...]], None]) -> None:
        if not any(c.when is not None for c in cites):
            return
        conditions: list[ir.Expr | None] = [None] * len(cites)
        for i, c in enumerate(cites):
            if c.when is None:
                continue

            def put_one(typed: ir.Expr, i: int = i) -> None:
                conditions[i] = typed
                put(tuple(conditions))

            self.pending.append(_Pending(node_id, c.when, T.BOOL, put_one))

    def _update_version(self, node_id: str, index: int, **changes: object) -> None:
        node = self.nodes[node_id]
        assert isinstance(node, (ir.ValueNode, ir.ParamNode))
        versions = list(node.versions)
        versions[index] = replace(versions[index], **changes)  # type: ignore[arg-type]
        self.nodes[node_id] = replace(node, versions=tuple(versions))  # type: ignore[arg-type]

    # ------------------------------------------------------------ stage 2: collect

    def collect(self) -> None:
        for m in self.modules:
            inst = m.instrument
            if inst is None:
                continue
            latest = sorted(inst.versions, key=lambda v: v.in_force)[-1].version
            for a in m.articles:
                version = a.version or latest
                if a.version is not None and a.version not in [v.version for v in inst.versions]:
                    self._err(f"{inst.code} has no version {a.version}", a.span)
                key = (inst.code, version, a.number)
                if key in self.articles:
                    self._err(f"article {a.number} of {inst.code} ({version}) appears twice", a.span,
                              related=(("first here", self.articles[key].span),))
                status = a.text_status or ("verbatim" if a.text else "unavailable")
                self.articles[key] = ir.ArticleText(inst.code, version, a.number, status, a.text, a.gloss, a.span)
        composition = compose(self.modules, self.catalog.sources)
        self.errors.extend(composition.errors)
        for placed in composition.decls:
            o = placed.origin
            self._decl(placed.decl, o.instrument, o.version, _here(o), placed)
        for p, cites in self.presumptions:
            self._attach_presumption(p, cites)
        self.changes = tuple(self._change(c) for c in composition.changes)
        for conflict in composition.conflicts:
            change = next(c for c in self.changes if c.target == conflict.change.target and c.kept_as == conflict.shadow)
            warning = _part_warning(change) if conflict.part else _conflict_warning(change, conflict.gap_fill)
            entry = ir.Conflict(conflict.target, conflict.shadow, conflict.gap_fill, change, warning, conflict.part)
            self.conflicts[conflict.target] = self.conflicts.get(conflict.target, ()) + (entry,)

    def _change(self, c: layering.Change) -> ir.LayerChange:
        o = c.origin
        patch = c.patch
        own = patch.part.cites if isinstance(patch, ast.AddPart) else patch.cites
        if isinstance(patch, ast.Override) and not own and len(patch.versions) == 1:
            own = patch.versions[0].cites
        cites = self._cites(own, o.instrument, o.version, _here(o))
        replaced: tuple[Citation, ...] = ()
        if c.replaced is not None:
            r = c.replaced
            replaced = self._cites(c.replaced_cites, r.instrument, r.version, _here(r))
        amends = tuple(self._cite(x, o.instrument, o.version) for x in patch.amends) if isinstance(patch, ast.Override) else ()
        reason = patch.reason if isinstance(patch, ast.Override) else None
        return ir.LayerChange(c.kind, c.target, o.code, o.level, cites, c.replaced.code if c.replaced else None,
                              c.replaced.level if c.replaced else None, replaced, c.authority, reason, amends,
                              c.kept_as, patch.span, c.gap_fill)

    def _define(self, name: str, span: Span) -> bool:
        if name in RESERVED:
            self._err(f"'{name}' is a reserved word and cannot be defined", span)
            return False
        if name in self.spans:
            self._err(f"'{name}' is defined twice with no override between them", span,
                      hint="a lower instrument may change a value only with an explicit, cited override",
                      related=(("first defined here", self.spans[name]),))
            return False
        self.spans[name] = span
        return True

    def _decl(self, d: ast.Decl, inst: ast.Instrument, version: str, here: tuple[Citation, ...],
              placed: layering.Placed | None = None) -> None:
        if isinstance(d, ast.Presume):
            self.presumptions.append((d, self._cites(d.cites, inst, version, here)))
            return
        if isinstance(d, ast.Require):
            self._require(d, inst, version, here)
            return
        if not self._define(d.name, d.span):
            return
        cites = self._cites(d.cites, inst, version, here)
        labels = ir.Labels(d.labels.zh or d.name, d.labels.en or d.name.replace("_", " "))
        if isinstance(d, ast.Fact):
            self.nodes[d.name] = ir.FactNode(d.name, "fact", d.type, labels, cites, d.note, d.span, inst.code,
                                             delegated_to=d.delegated_to)
        elif isinstance(d, ast.Parameter):
            self.nodes[d.name] = self._parameter(d, inst, version, labels, cites)
        elif isinstance(d, ast.Value):
            starts = [v.start for v in d.versions]
            if None in starts and len(starts) > 1:
                self._err("a value is either one formula or dated versions (`from DATE = ...`), not both", d.span)
            ordered = sorted(d.versions, key=lambda v: v.start or date.min, reverse=True)
            versions = tuple(
                ir.ValueVersion(v.start, v.expr, self._cites(v.cites, inst, version, cites), v.note, v.span)  # type: ignore[arg-type]
                for v in ordered
            )
            if len(d.versions) == 1 and d.versions[0].start is None and d.versions[0].cites:
                cites = versions[0].cites  # `value v: T = EXPR cite ...`: the trailing citation is the rule's
            self.nodes[d.name] = ir.ValueNode(d.name, "value", d.type, labels, cites, d.note, d.span, inst.code,
                                              versions=versions)
            for i, v in enumerate(ordered):
                self._pend_version(d.name, i, v.expr, d.type, v.cites or d.cites)
        elif isinstance(d, ast.Benefit):
            self._benefit(d, inst, version, labels, cites, placed)
        elif isinstance(d, ast.Deadline):
            self._deadline(d, inst, version, labels, cites)

    def _parameter(self, d: ast.Parameter, inst: ast.Instrument, version: str, labels: ir.Labels,
                   cites: tuple[Citation, ...]) -> ir.ParamNode:
        versions = []
        starts: set[date] = set()
        for v in d.versions:
            if v.start in starts:
                self._err(f"two versions of {d.name} start on {v.start}", v.span)
            starts.add(v.start)
            value = self._param_value(d, v)
            versions.append(ir.ParamVersion(v.start, value, self._cites(v.cites, inst, version, cites), v.source, v.span))
        order = sorted(range(len(versions)), key=lambda i: versions[i].start, reverse=True)
        for new_index, old_index in enumerate(order):
            own = d.versions[old_index].cites or d.cites
            self._pend_cite_conditions(
                d.name, own, lambda conds, i=new_index: self._update_version(d.name, i, cite_when=conds))
        return ir.ParamNode(d.name, "parameter", d.type, labels, cites, d.note, d.span, inst.code,
                            versions=tuple(versions[i] for i in order))

    def _param_value(self, d: ast.Parameter, v: ast.ParamVersion) -> object:
        if isinstance(d.type, T.TableType):
            if not isinstance(v.value, tuple):
                self._err(f"{d.name} is a table: write its entries as {{key: value, ...}}", v.span)
                return {}
            table: dict[object, object] = {}
            for key, val in v.value:
                k = self._literal(d.type.key, key, v.span, d.name)
                if k in table:
                    self._err(f"{d.name} has key {key} twice in the version from {v.start}", v.span)
                table[k] = self._literal(d.type.value, val, v.span, d.name)
            return table
        if isinstance(v.value, tuple):
            self._err(f"{d.name} is declared {d.type}, not a table", v.span)
            return None
        return self._literal(d.type, v.value, v.span, d.name)

    def _literal(self, t: T.Type, value: object, span: Span, name: str) -> object:
        ok = (
            (isinstance(t, (T.IntType,)) and isinstance(value, Decimal) and value == value.to_integral_value())
            or (isinstance(t, (T.RateType, T.MoneyType)) and isinstance(value, Decimal))
            or (isinstance(t, T.BoolType) and isinstance(value, bool))
            or (isinstance(t, T.DateType) and isinstance(value, date))
        )
        if not ok:
            self._err(f"{name}: the value {value} is not {t}", span)
            return value
        if isinstance(t, T.IntType) and t.low is not None and not (t.low <= value <= t.high):  # type: ignore[operator]
            self._err(f"{name}: {value} is outside {t.low}..{t.high}", span)
        return value

    def _benefit(self, d: ast.Benefit, inst: ast.Instrument, version: str, labels: ir.Labels,
                 cites: tuple[Citation, ...], placed: layering.Placed | None = None) -> None:
        if d.name in self.nodes:
            return
        fields: dict[str, str] = {}
        types = {"payable": T.BOOL, "amount": T.MONEY, "payer": T.PARTY,
                 "advance_payer": T.PARTY, "recover_from": T.PARTY, "amount_min": T.MONEY, "amount_max": T.MONEY}
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
                c_inst, c_version, c_default, own = o.instrument, o.version, _here(o), clause.cites
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
                o.instrument, o.version, _here(o))
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

        self.pending.append(_Pending(p.fact, p.expr, fact.type, put))

        def put_conditions(conds: tuple[ir.Expr | None, ...]) -> None:
            node = self.nodes[p.fact]
            assert isinstance(node, ir.FactNode) and node.presumption is not None
            self.nodes[p.fact] = replace(node, presumption=replace(node.presumption, cite_when=conds))

        self._pend_cite_conditions(p.fact, p.cites, put_conditions)

    # ------------------------------------------------------------ stage 3: check

    def check(self) -> None:
        node_types = {n.id: n.type for n in self.nodes.values()}
        params = {n.id for n in self.nodes.values() if isinstance(n, ir.ParamNode)}
        checker = Checker(node_types, params, self.catalog.sources)
        for p in self.pending:
            before = len(checker.references)
            typed = checker.check(p.expr, p.expected)
            for ref, span in checker.references[before:]:
                self.edges.append((ref, p.node, span))  # type: ignore[arg-type]
            if typed is not None:
                p.put(typed)
        self.errors.extend(checker.errors)
        for r in self.requirements:
            if not isinstance(self.nodes.get(r.fact), ir.FactNode):
                facts = [n for n, x in self.nodes.items() if isinstance(x, ir.FactNode)]
                self._err(f"a requirement is about a fact of the case; '{r.fact}' is not one", r.span,
                          did_you_mean(r.fact, facts))
