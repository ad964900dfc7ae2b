"""The statutes as an editor sees them: every shipped file, with open documents (unsaved text) in place of what is on
disk, and overlays opened from elsewhere; each parsed (the last text that parsed is kept while one is being typed)
and indexed by the names it declares."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from dsl import ast
from dsl.errors import LawtraceError
from dsl.parser import parse_text
from dsl.source import SourceFile, Span
from engine.build.catalog import display_name, statute_files

DECLARES = {ast.Fact: "fact", ast.Parameter: "parameter", ast.Value: "value", ast.Benefit: "benefit",
            ast.Deadline: "deadline"}
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Symbol:
    """A name declared in a statute file: where, under which article of which instrument, and the declaration."""

    name: str
    kind: str  # fact | parameter | value | benefit | deadline
    decl: object
    article: ast.Article
    module: ast.Module
    path: Path

    @property
    def span(self) -> Span:
        return self.decl.span  # type: ignore[attr-defined, no-any-return]


@dataclass
class Workspace:
    open_texts: dict[Path, str] = field(default_factory=dict)  # resolved path → the editor's text
    _parsed: dict[Path, tuple[str, ast.Module | None]] = field(default_factory=dict)  # path → (text hash, module)
    _good: dict[Path, ast.Module] = field(default_factory=dict)  # the last module that parsed, per path
    names: dict[str, Path] = field(default_factory=dict)  # display name (as in spans) → path

    def open(self, path: Path, text: str) -> None:
        self.open_texts[path.resolve()] = text

    def close(self, path: Path) -> None:
        self.open_texts.pop(path.resolve(), None)

    def text(self, path: Path) -> str:
        p = path.resolve()
        if p in self.open_texts:
            return self.open_texts[p]
        try:
            return p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def paths(self) -> list[Path]:
        shipped = [p.resolve() for p in statute_files()]
        return shipped + [p for p in self.open_texts if p not in shipped and p.suffix == ".lt"]

    def module(self, path: Path) -> ast.Module | None:
        """The file's module: its text parsed, or the last text of it that parsed (None if none ever did)."""
        p = path.resolve()
        text = self.text(p)
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        cached = self._parsed.get(p)
        if cached is None or cached[0] != digest:
            name = display_name(p)
            self.names[name] = p
            try:
                module: ast.Module | None = parse_text(SourceFile(name, text))
            except LawtraceError:
                module = None
            self._parsed[p] = (digest, module)
            if module is not None:
                self._good[p] = module
        return self._parsed[p][1] or self._good.get(p)

    def modules(self) -> list[tuple[Path, ast.Module]]:
        out = []
        for p in self.paths():
            m = self.module(p)
            if m is not None:
                out.append((p, m))
        return out

    def symbols(self) -> dict[str, list[Symbol]]:
        """Every declared name, with each place it is declared (a name may be declared in several files)."""
        out: dict[str, list[Symbol]] = {}
        for path, m in self.modules():
            for a in m.articles:
                for d in a.decls:
                    kind = DECLARES.get(type(d))
                    if kind is not None:
                        out.setdefault(d.name, []).append(Symbol(d.name, kind, d, a, m, path))  # type: ignore[attr-defined]
        return out

    def instrument(self, code: str) -> tuple[Path, ast.Module] | None:
        for path, m in self.modules():
            if m.instrument is not None and m.instrument.code == code:
                return path, m
        return None

    def regimes(self) -> dict[str, tuple[Path, ast.Regime]]:
        return {r.name: (path, r) for path, m in self.modules() for r in m.regimes}

    def path_of(self, span: Span) -> Path:
        """The file a span points into (spans name files as `lawtrace check` shows them)."""
        if span.file in self.names:
            return self.names[span.file]
        candidate = Path(span.file)
        return candidate.resolve() if candidate.exists() else (Path(__file__).resolve().parents[2] / span.file)


def article(module: ast.Module, number: int, version: str | None = None) -> ast.Article | None:
    """An article of an instrument: of the version named, else of the latest text (an article without `@`)."""
    found = [a for a in module.articles if a.number == number]
    if version is not None:
        latest = max(module.instrument.versions, key=lambda v: v.in_force).version if module.instrument else None
        exact = [a for a in found if a.version == version or (a.version is None and version == latest)]
        return exact[0] if exact else None
    plain = [a for a in found if a.version is None]
    return (plain or found or [None])[0]


def word_at(line: str, character: int) -> tuple[str, int, int] | None:
    """The identifier under the cursor (or just before it), with its start and end column (0-based)."""
    for m in IDENT.finditer(line):
        if m.start() <= character <= m.end():
            return m.group(), m.start(), m.end()
    return None


CITATION = re.compile(r"(?:\b(?P<code>[A-Z][A-Z0-9_]*)(?:@(?P<version>\d{4}))?\s+)?(?P<article>\d+)(?P<rest>(?:\(\d+\))*)")


def citation_at(line: str, character: int) -> tuple[str | None, str | None, int, int, int] | None:
    """A citation under the cursor: (instrument code or None for this file's, version, article, start, end).

    Only in a list of citations: after `cite`, `by` or `amends`, with nothing but citations in between."""
    for m in CITATION.finditer(line):
        if not m.start() <= character <= m.end() and not (m.group("code") and m.start() <= character <= m.end()):
            continue
        if in_citation_list(line[:m.start()]):
            return m.group("code"), m.group("version"), int(m.group("article")), m.start(), m.end()
    return None


def in_citation_list(before: str) -> bool:
    """Whether text ending here is inside `cite ...`, `by ...` or `amends ...` (only citations after the keyword)."""
    keyword = None
    for keyword in re.finditer(r"\b(cite|by|amends)\b", before):
        pass
    return keyword is not None and re.fullmatch(r"[\sA-Z0-9_@(),]*", before[keyword.end():]) is not None
