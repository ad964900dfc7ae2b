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

import hashlib
from datetime import date

from dsl import ast
from dsl.texts import zh_of
from dsl.errors import LawtraceError, did_you_mean, raise_collected
from dsl.records import replace
from engine.build import layering
from engine.build.catalog import Catalog
from engine.build.compile_assertions import Assertions
from engine.build.compile_items import Items
from engine.build.compile_params import Parameters
from engine.build.compile_presumptions import Presumptions
from engine.build.compile_state import RESERVED, here, hint
from engine.build.formula_texts import formula_texts
from engine.build.graph import build_graph
from engine.build.layering import compose
from engine.build.period_free import period_free
from engine.build.typecheck import Checker
from engine.model import ir
from engine.model.citations import LEVELS_ZH, Citation, en_list, zh_list
from engine.model.diagnostics import Diagnostic
from engine.model.events import event_facts

__all__ = ["RESERVED", "compile_modules", "compile_regime"]


def compile_regime(catalog: Catalog, regime: str, overlays: tuple[ast.Module, ...] = ()) -> ir.Program:
    if regime not in catalog.regimes:
        raise LawtraceError(f"unknown regime '{regime}'" + hint(regime, catalog.regimes))
    codes = catalog.expand(regime)
    modules = [catalog.instruments[c] for c in codes] + list(overlays)
    r = catalog.regimes[regime]
    labels = ir.Labels(r.labels.zh or r.name, r.labels.en or r.name)
    return replace(compile_modules(catalog, regime, labels, modules), files=regime_files(catalog, regime))


def regime_files(catalog: Catalog, regime: str) -> tuple[tuple[str, str], ...]:
    """The files a regime is built from, the one declaring it first, each with the SHA-256 of its text."""
    names = [catalog.regimes[regime].span.file]
    for code in catalog.expand(regime):
        if catalog.instruments[code].file not in names:
            names.append(catalog.instruments[code].file)
    out = []
    for name in names:
        source = catalog.sources.get(name)
        out.append((name, hashlib.sha256(source.text.encode("utf-8")).hexdigest() if source is not None else ""))
    return tuple(out)


def compile_modules(catalog: Catalog, name: str, labels: ir.Labels, modules: list[ast.Module]) -> ir.Program:
    c = _Compiler(catalog, modules)
    c.collect()
    c.check()
    raise_collected(c.errors)
    graph = build_graph(c.nodes, c.benefits, c.edges, catalog.sources)
    infos = tuple(c.instrument_info(m) for m in modules if m.instrument is not None)
    program = ir.Program(name, labels, infos, c.nodes, tuple(c.benefits), c.articles, graph, tuple(c.warnings),
                         changes=c.changes, conflicts=c.conflicts, deadlines=tuple(c.deadlines),
                         requirements=tuple(c.requirements), assertions=tuple(c.assertions), claims=tuple(c.claims),
                         events=tuple(c.events), period_free=period_free(c.nodes), formulas=formula_texts(c.nodes))
    return replace(program, event_facts=event_facts(program))  # read from the program's events and nodes


def _part_warning(change: ir.LayerChange, titles: dict[str, str], label_zh: str, latest: dict[str, str]) -> Diagnostic:
    lower = en_list(change.cites, latest) or change.instrument
    higher = en_list(change.replaced_cites, latest) or str(change.replaced_instrument)
    ranks = f" ({change.level})" if change.level else ""
    item = change.target.split(".part.")[0]
    message = (f"{lower}{ranks} splits {item} between payers ({change.target}) without authority: {higher} "
               f"name the payer of the whole item, and prevail (上位法优于下位法)")
    lower_zh = zh_list(change.cites, titles, latest) or titles.get(change.instrument, change.instrument)
    higher_zh = zh_list(change.replaced_cites, titles, latest) or titles.get(str(change.replaced_instrument), "")
    zh = (f"{lower_zh}{'（' + LEVELS_ZH.get(change.level, change.level) + '）' if change.level else ''}"
          f"将{label_zh}在支付方之间拆分，且无上位法授权：{higher_zh}规定了整项的支付方，适用上位法（上位法优于下位法）")
    return Diagnostic("warning", message, change.cites + change.replaced_cites, change.span, zh=zh)


def _conflict_warning(change: ir.LayerChange, gap_fill: bool, titles: dict[str, str], label_zh: str,
                      latest: dict[str, str]) -> Diagnostic:
    lower_zh = zh_list(change.cites, titles, latest) or titles.get(change.instrument, change.instrument)
    higher_zh = zh_list(change.replaced_cites, titles, latest) or titles.get(str(change.replaced_instrument), "")
    zh = (f"{lower_zh}{'（' + LEVELS_ZH.get(change.level, change.level) + '）' if change.level else ''}"
          f"就{label_zh}的规定与{higher_zh}不一致，且无上位法授权：适用上位法（上位法优于下位法）")
    if gap_fill:
        zh += "；上位法未指定支付方之处，仍适用下位规定"
    if change.reason and zh_of(change.reason):
        zh += f"；下位规定的理由：{zh_of(change.reason)}"
    lower = en_list(change.cites, latest) or change.instrument
    higher = en_list(change.replaced_cites, latest) or str(change.replaced_instrument)
    ranks = f" ({change.level})" if change.level else ""
    message = (f"{lower}{ranks} contradicts {higher} on {change.target} without authority: "
               f"the higher rule prevails (上位法优于下位法)")
    if gap_fill:
        message += f" wherever it names a party ({change.instrument}'s rule applies where it names none)"
    if change.reason:
        message += f"; {change.instrument}'s rule: {change.reason}"
    return Diagnostic("warning", message, change.cites + change.replaced_cites, change.span, zh=zh)


class _Compiler(Parameters, Items, Presumptions, Assertions):
    """Stage 2 (collect: each declaration by the room for its kind) and stage 3 (check), over one regime's stack."""

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
            self._decl(placed.decl, o.instrument, o.version, here(o), placed)
        for p, cites in self.presumptions:
            self._attach_presumption(p, cites)
        self.changes = tuple(self._change(c) for c in composition.changes)
        for conflict in composition.conflicts:
            change = next(c for c in self.changes if c.target == conflict.change.target and c.kept_as == conflict.shadow)
            titles, label_zh, latest = self._titles_zh(), self._label_zh(conflict.target), self._latest()
            warning = (_part_warning(change, titles, label_zh, latest) if conflict.part
                       else _conflict_warning(change, conflict.gap_fill, titles, label_zh, latest))
            entry = ir.Conflict(conflict.target, conflict.shadow, conflict.gap_fill, change, warning, conflict.part)
            self.conflicts[conflict.target] = self.conflicts.get(conflict.target, ()) + (entry,)

    def _titles_zh(self) -> dict[str, str]:
        return {m.instrument.code: m.instrument.title_zh for m in self.modules if m.instrument is not None}

    def _latest(self) -> dict[str, str]:
        return {m.instrument.code: sorted(m.instrument.versions, key=lambda v: v.in_force)[-1].version
                for m in self.modules if m.instrument is not None}

    def _label_zh(self, target: str) -> str:
        """The words of a changed rule: its label, or its item's label with the field (「一次性工伤医疗补助金」的支付条件)."""
        head, _, field = target.partition(".")
        node = self.nodes.get(target) or self.nodes.get(head)
        if node is None:
            node = next((b for b in self.benefits if b.id == head), None)
        labels = getattr(node, "labels", None)
        if labels is None or not labels.zh:
            return target
        words = {"payable": "支付条件", "amount": "数额", "payer": "支付方", "advance_payer": "先行支付方",
                 "recover_from": "追偿对象"}
        field = field.split(".")[0]
        return f"「{labels.zh}」" + (f"的{words[field]}" if field in words and target not in self.nodes else "")

    def _change(self, c: layering.Change) -> ir.LayerChange:
        o = c.origin
        patch = c.patch
        own = patch.part.cites if isinstance(patch, ast.AddPart) else patch.cites
        if isinstance(patch, ast.Override) and not own and len(patch.versions) == 1:
            own = patch.versions[0].cites
        cites = self._cites(own, o.instrument, o.version, here(o))
        replaced: tuple[Citation, ...] = ()
        if c.replaced is not None:
            r = c.replaced
            replaced = self._cites(c.replaced_cites, r.instrument, r.version, here(r))
        amends = self._amends(patch.amends, o) if isinstance(patch, ast.Override) else ()
        reason = patch.reason if isinstance(patch, ast.Override) else None
        return ir.LayerChange(c.kind, c.target, o.code, o.level, cites, c.replaced.code if c.replaced else None,
                              c.replaced.level if c.replaced else None, replaced, c.authority, reason, amends,
                              c.kept_as, patch.span, c.gap_fill)

    def _amends(self, cs: tuple[ast.Citation, ...], o: layering.Origin) -> tuple[Citation, ...]:
        """The provisions a reform amends: a bare number after `WIIR 35(1)(1), ...` is of the instrument named before it."""
        out, last = [], None
        for x in cs:
            last = x.instrument or last
            out.append(self._cite(replace(x, instrument=last) if x.instrument is None and last else x, o.instrument,
                                  o.version))
        return tuple(out)

    def _decl(self, d: ast.Decl, inst: ast.Instrument, version: str, here: tuple[Citation, ...],
              placed: layering.Placed | None = None) -> None:
        if isinstance(d, ast.Presume):
            self.presumptions.append((d, self._cites(d.cites, inst, version, here)))
            return
        if isinstance(d, ast.Require):
            self._require(d, inst, version, here)
            return
        if isinstance(d, ast.Assert):
            self._assert(d, inst, version, here)
            return
        if isinstance(d, ast.Claim):
            self._claim(d, inst, version, here)
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
        elif isinstance(d, ast.Event):
            self._event(d, inst, labels, cites)

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
            if r.fact != ir.CASE_DATE and not isinstance(self.nodes.get(r.fact), ir.FactNode):
                facts = [n for n, x in self.nodes.items() if isinstance(x, ir.FactNode)]
                self._err(f"a requirement is about a fact of the case; '{r.fact}' is not one", r.span,
                          did_you_mean(r.fact, facts))
