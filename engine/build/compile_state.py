"""The compiler's state and what every declaration kind needs: resolved citations, names defined once,
expressions set aside to type-check once every node's type is known."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dsl import ast
from dsl import types as T
from dsl.records import replace
from dsl.errors import LawtraceError, SourceError, did_you_mean
from dsl.source import Span
from engine.build import layering
from engine.build.catalog import Catalog
from engine.build.typecheck import BUILTIN_NAMES, FUNCTIONS
from engine.model import ir
from engine.model.article_text import number_ranges, paragraph_count
from engine.model.citations import Citation
from engine.model.diagnostics import Diagnostic

RESERVED = set(T.PARTIES) | set(FUNCTIONS) | set(BUILTIN_NAMES) | {"date"}


@dataclass
class Pending:
    """An expression to check once every node's type is known, and where its typed form goes."""

    node: str
    expr: ast.Expr
    expected: T.Type | None
    put: Callable[[ir.Expr], None]


def here(o: layering.Origin) -> tuple[Citation, ...]:
    """The citation of the article a rule sits under: its default citation."""
    return (Citation(o.code, o.version, o.article),)


def hint(name: str, options: object) -> str:
    h = did_you_mean(name, list(options))  # type: ignore[call-overload]
    return f"; {h}" if h else f"; known: {', '.join(sorted(options))}"  # type: ignore[call-overload]


class CompileState:
    """The IR being collected for one regime, and the errors found so far."""

    def __init__(self, catalog: Catalog, modules: list[ast.Module]):
        self.catalog = catalog
        self.modules = modules
        self.errors: list[LawtraceError] = []
        self.warnings: list[Diagnostic] = []
        self.nodes: dict[str, ir.Node] = {}
        self.benefits: list[ir.Benefit] = []
        self.deadlines: list[ir.Deadline] = []
        self.requirements: list[ir.Requirement] = []
        self.assertions: list[ir.Assertion] = []
        self.claims: list[ir.Claim] = []
        self.events: list[ir.Event] = []
        self.articles: dict[tuple[str, str | None, int], ir.ArticleText] = {}
        self.edges: list[tuple[str, str, Span]] = []
        self.pending: list[Pending] = []
        self.presumptions: list[tuple[ast.Presume, tuple[Citation, ...]]] = []
        self.spans: dict[str, Span] = {}
        self.changes: tuple[ir.LayerChange, ...] = ()
        self.conflicts: dict[str, tuple[ir.Conflict, ...]] = {}

    def instrument_info(self, m: ast.Module) -> ir.InstrumentInfo:
        i = m.instrument
        assert i is not None
        versions = tuple(sorted(((v.version, v.in_force) for v in i.versions), key=lambda v: v[1]))
        return ir.InstrumentInfo(i.code, i.title_zh, i.title_en or i.code, i.under, versions, m.file, i.level)

    def _err(self, message: str, span: Span, hint: str | None = None, related=()) -> None:
        self.errors.append(SourceError(message, span, self.catalog.sources.get(span.file), hint, tuple(related)))

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
                  f"articles {name} has: {number_ranges(have)}" if have else f"{name} declares no article")

    def _cites(self, cs: tuple[ast.Citation, ...], here: ast.Instrument, version: str | None,
               default: tuple[Citation, ...]) -> tuple[Citation, ...]:
        return tuple(self._cite(c, here, version) for c in cs) if cs else default

    def _pend_version(self, node_id: str, index: int, expr: ast.Expr, expected: T.Type,
                      cites: tuple[ast.Citation, ...]) -> None:
        """Queue the formula of version `index` of a value node, and the conditions of its citations."""

        def put_expr(typed: ir.Expr) -> None:
            self._update_version(node_id, index, expr=typed)

        self.pending.append(Pending(node_id, expr, expected, put_expr))
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

            self.pending.append(Pending(node_id, c.when, T.BOOL, put_one))

    def _update_version(self, node_id: str, index: int, **changes: object) -> None:
        node = self.nodes[node_id]
        assert isinstance(node, (ir.ValueNode, ir.ParamNode))
        versions = list(node.versions)
        versions[index] = replace(versions[index], **changes)  # type: ignore[arg-type]
        self.nodes[node_id] = replace(node, versions=tuple(versions))  # type: ignore[arg-type]

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
