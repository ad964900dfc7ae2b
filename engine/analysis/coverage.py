"""Which articles of a regime are encoded, by which rules, and exercised by how many tests.

Guarantees: every article of every instrument in the regime appears once (those
declared in the statute files, and those cited by a rule without being
declared); its rules are the nodes of the compiled program whose citations name
it (facts count only through a presumption); its test count comes from a
recording of a test run (`tests/coverage_recorder.py`): a test counts for an
article when, during the test, an evaluation passed through a rule citing it.
Nothing here is declared by hand except the reasons of `omitted` articles.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dsl.errors import LawtraceError
from engine.model import ir
from engine.build.catalog import Catalog
from engine.model.article_text import paragraph_count
from engine.model.citations import Citation

RECORDING_SCHEMA = "lawtrace.coverage-recording/1"
ArticleKey = tuple[str, str, int]  # instrument, version, article


@dataclass(frozen=True)
class ArticleCoverage:
    instrument: str
    version: str
    article: int
    text: str  # verbatim | gist | unavailable | not declared
    rules: tuple[str, ...]
    tests: int
    omitted: str | None  # the declared reason, for an article left out on purpose
    paragraphs_not_encoded: tuple[int, ...] = ()  # paragraphs of its text no rule cites and none declared omitted
    paragraphs_omitted: tuple[tuple[int, str], ...] = ()  # (paragraph, reason) declared without effect

    @property
    def status(self) -> str:
        if self.rules and self.paragraphs_not_encoded:
            return "partial"
        if self.rules:
            return "covered" if self.tests else "untested"
        if self.omitted is not None:
            return "omitted"
        return "not_encoded"

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "instrument": self.instrument, "version": self.version, "article": self.article,
            "rules": list(self.rules), "tests": self.tests, "status": self.status, "text": self.text,
        }
        if self.omitted is not None:
            out["reason"] = self.omitted
        if self.paragraphs_not_encoded:
            out["paragraphs_not_encoded"] = list(self.paragraphs_not_encoded)
        if self.paragraphs_omitted:
            out["paragraphs_omitted"] = [{"paragraph": p, "reason": r} for p, r in self.paragraphs_omitted]
        return out


def rules_by_article(program: ir.Program) -> dict[ArticleKey, set[str]]:
    """Every rule of the program under the articles its citations name."""
    out: dict[ArticleKey, set[str]] = {}

    def add(rule: str, cites: Iterable[Citation]) -> None:
        for c in cites:
            out.setdefault(_key(c), set()).add(rule)

    for node in program.nodes.values():
        if isinstance(node, ir.FactNode):
            if node.presumption is not None:
                add(f"presume {node.id}", node.presumption.cites)
        elif isinstance(node, ir.ParamNode):
            add(node.id, node.cites)
            for pv in node.versions:
                add(node.id, pv.cites)
        elif isinstance(node, ir.ValueNode):
            add(node.id, node.cites)
            for v in node.versions:
                add(node.id, v.cites)
    return out


def paragraphs_cited(program: ir.Program) -> dict[ArticleKey, set[int]]:
    """The paragraphs each article's citations name (a citation of the whole article names none)."""
    out: dict[ArticleKey, set[int]] = {}
    for node in program.nodes.values():
        cites: list[Citation] = list(getattr(node, "cites", ()) or ())
        for v in getattr(node, "versions", ()) or ():
            cites += list(getattr(v, "cites", ()) or ())
        if isinstance(node, ir.FactNode) and node.presumption is not None:
            cites += list(node.presumption.cites)
        for c in cites:
            if c.paragraph is not None:
                out.setdefault(_key(c), set()).add(c.paragraph)
    for d in program.deadlines:
        for c in tuple(d.cites) + tuple(d.consequence_cites):
            if c.paragraph is not None:
                out.setdefault(_key(c), set()).add(c.paragraph)
    return out


def _key(c: Citation) -> ArticleKey:
    return (c.instrument, c.version or "", c.article)


def read_recording(path: Path) -> dict[str, set[ArticleKey]]:
    """A recording written by the test plugin: test id → the articles its evaluations passed through."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LawtraceError(f"{path}: no such recording") from None
    except (OSError, ValueError) as e:
        raise LawtraceError(f"{path}: not a coverage recording ({e})") from None
    if not isinstance(data, dict) or data.get("schema") != RECORDING_SCHEMA or not isinstance(data.get("tests"), dict):
        raise LawtraceError(f"{path}: not a coverage recording (expected a JSON object with schema {RECORDING_SCHEMA!r})")
    tests: dict[str, set[ArticleKey]] = {}
    for test, keys in data["tests"].items():
        try:
            tests[str(test)] = {(str(i), str(v), int(a)) for i, v, a in keys}
        except (TypeError, ValueError):
            raise LawtraceError(f"{path}: test {test}: expected a list of [instrument, version, article]") from None
    return tests


def coverage(catalog: Catalog, program: ir.Program, recording: dict[str, set[ArticleKey]]) -> list[ArticleCoverage]:
    """Every article of the regime's instruments, in instrument order, then version, then number."""
    rules = rules_by_article(program)
    codes = [i.code for i in program.instruments]
    cited = paragraphs_cited(program)
    declared: dict[ArticleKey, tuple[str, str | None]] = {}
    paragraphs: dict[ArticleKey, tuple[tuple[int, ...], tuple[tuple[int, str], ...]]] = {}
    for code in codes:
        module = catalog.instruments[code]
        assert module.instrument is not None
        latest = max(module.instrument.versions, key=lambda v: v.in_force).version
        for a in module.articles:
            status = a.text_status or ("verbatim" if a.text else "unavailable")
            key = (code, a.version or latest, a.number)
            declared[key] = (status, a.omitted)
            n = paragraph_count(a.text) if a.text and status == "verbatim" and a.omitted is None else 1
            skipped = {p for p, _ in a.paragraphs_omitted}
            named = cited.get(key, set())
            whole = not named and bool(rules.get(key))  # only whole-article citations: the article as one rule
            missing = tuple(p for p in range(1, n + 1) if n > 1 and not whole and p not in named and p not in skipped)
            paragraphs[key] = (missing, a.paragraphs_omitted)
    keys = set(declared) | {k for k in rules if k[0] in codes}
    tests_per_key: dict[ArticleKey, int] = {}
    for cited in recording.values():
        for k in cited:
            tests_per_key[k] = tests_per_key.get(k, 0) + 1
    out = []
    for k in sorted(keys, key=lambda k: (codes.index(k[0]), k[1], k[2])):
        text, omitted = declared.get(k, ("not declared", None))
        missing, skipped = paragraphs.get(k, ((), ()))
        out.append(ArticleCoverage(k[0], k[1], k[2], text, tuple(sorted(rules.get(k, ()))), tests_per_key.get(k, 0), omitted,
                                   missing, skipped))
    return out
