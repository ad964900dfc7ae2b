"""What an editor asks of a statute file, answered from the workspace: diagnostics (the messages of `lawtrace check`,
at the same places), hover (a name's type, labels, citations and article text; a citation's article), definition
(across instruments), completion (facts, parameters, values, items, keywords; article numbers in a citation), and
the outline of an instrument by article."""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types as L

from dsl import ast
from dsl.errors import ErrorList, LawtraceError, SourceError
from dsl.source import Span
from dsl.vocabulary import words
from engine.build.catalog import display_name
from lawtrace.lsp.workspace import Symbol, Workspace, article, citation_at, in_citation_list, word_at

TEXT_PREVIEW = 600  # characters of an article's text shown on hover


# ---------------------------------------------------------------- diagnostics


def diagnostics(ws: Workspace, path: Path) -> list[L.Diagnostic]:
    """`lawtrace check` on the file as the editor holds it: its errors and warnings that point into it."""
    from lawtrace.checking import check_paths

    path = path.resolve()
    errors, warnings = check_paths((path,), None, texts=dict(ws.open_texts))
    name = display_name(path)
    out: list[L.Diagnostic] = []
    for e in _flatten(errors):
        span = e.span if isinstance(e, SourceError) else None
        if span is not None and span.file != name:
            continue
        message = e.message if isinstance(e, SourceError) else str(e)
        if isinstance(e, SourceError) and e.hint:
            message += f"\nhint: {e.hint}"
        related = [L.DiagnosticRelatedInformation(L.Location(_uri(ws.path_of(s)), _range(s)), label)
                   for label, s in (e.related if isinstance(e, SourceError) else ())]
        out.append(L.Diagnostic(_range(span), message, severity=L.DiagnosticSeverity.Error, source="lawtrace",
                                related_information=related or None))
    for w in warnings:
        if w.span is None or w.span.file != name:
            continue
        cites = "; ".join(c.en() for c in w.citations)
        out.append(L.Diagnostic(_range(w.span), w.message + (f" [{cites}]" if cites else ""),
                                severity=L.DiagnosticSeverity.Warning, source="lawtrace"))
    return out


def _flatten(errors: list[LawtraceError]) -> list[LawtraceError]:
    return [x for e in errors for x in (e.errors if isinstance(e, ErrorList) else [e])]


# ---------------------------------------------------------------- hover


def hover(ws: Workspace, path: Path, line: int, character: int) -> L.Hover | None:
    text = _line(ws, path, line)
    cited = citation_at(text, character)
    if cited is not None:
        code, version, number, start, end = cited
        found = _article(ws, path, code, version, number)
        if found is not None:
            module, art = found
            return L.Hover(L.MarkupContent(L.MarkupKind.Markdown, _article_markdown(module, art)),
                           L.Range(L.Position(line, start), L.Position(line, end)))
    hit = word_at(text, character)
    if hit is None:
        return None
    word, start, end = hit
    where = L.Range(L.Position(line, start), L.Position(line, end))
    symbols = ws.symbols().get(word)
    if symbols:
        return L.Hover(L.MarkupContent(L.MarkupKind.Markdown, "\n\n---\n\n".join(_symbol_markdown(s) for s in symbols)),
                       where)
    inst = ws.instrument(word)
    if inst is not None and inst[1].instrument is not None:
        i = inst[1].instrument
        versions = ", ".join(f"{v.version} (in force {v.in_force})" for v in i.versions)
        body = f"**instrument** `{i.code}` {i.title_zh}" + (f" — {i.title_en}" if i.title_en else "")
        body += f"\n\nlevel {i.level or '—'}" + (f", under {i.under}" if i.under else "") + f"; versions {versions}"
        return L.Hover(L.MarkupContent(L.MarkupKind.Markdown, body), where)
    return None


def _symbol_markdown(s: Symbol) -> str:
    d = s.decl
    code = s.module.instrument.code if s.module.instrument else display_name(s.path)
    head = f"**{s.kind}** `{s.name}`"
    if isinstance(d, (ast.Fact, ast.Parameter, ast.Value)):
        head += f": {d.type}"
    elif isinstance(d, ast.Benefit):
        head += f" ({d.period}" + (f", for {d.kind}" if d.kind != "worker" else "") + ")"
    lines = [head]
    labels = getattr(d, "labels", None)
    if labels is not None and (labels.zh or labels.en):
        lines.append(" — ".join(x for x in (labels.zh, labels.en) if x))
    if isinstance(d, ast.Fact) and d.delegated_to:
        lines.append(f"delegated to {d.delegated_to}")
    cites = [_cite_text(c, code) for c in getattr(d, "cites", ())]
    at = f"{code} art. {s.article.number}" + (f" ({s.article.version} text)" if s.article.version else "")
    lines.append("cites " + ", ".join([at] + [c for c in cites if c != at]))
    note = getattr(d, "note", None)
    if note:
        lines.append(f"note: {note}")
    if isinstance(d, ast.Parameter):
        lines.append("versions: " + ", ".join(f"from {v.start}" for v in d.versions))
    lines.append(_article_markdown(s.module, s.article))
    return "\n\n".join(lines)


def _article_markdown(module: ast.Module, art: ast.Article) -> str:
    code = module.instrument.code if module.instrument else "?"
    title = module.instrument.title_zh if module.instrument else ""
    status = art.text_status or ("verbatim" if art.text else "unavailable")
    head = f"**{code} art. {art.number}**" + (f" ({art.version} text)" if art.version else "") + f" 《{title}》 [{status}]"
    parts = [head]
    if art.text:
        body = art.text.strip()
        body = body if len(body) <= TEXT_PREVIEW else body[:TEXT_PREVIEW] + "……"
        quoted = "\n".join("> " + x for x in body.splitlines())
        parts.append(quoted if status != "gist" else "gist (our words, not the text):\n" + quoted)
    if art.gloss:
        parts.append(f"*{art.gloss}*")
    if art.omitted:
        parts.append(f"omitted: {art.omitted}")
    return "\n\n".join(parts)


def _cite_text(c: ast.Citation, here: str) -> str:
    code = c.instrument or here
    text = f"{code}{'@' + c.version if c.version else ''} art. {c.article}"
    if c.paragraph is not None:
        text += f"({c.paragraph})"
        if c.item is not None:
            text += f"({c.item})"
    return text


# ---------------------------------------------------------------- definition


def definition(ws: Workspace, path: Path, line: int, character: int) -> list[L.Location]:
    text = _line(ws, path, line)
    cited = citation_at(text, character)
    if cited is not None:
        code, version, number, _, _ = cited
        word = word_at(text, character)
        on_code = word is not None and code is not None and word[0] == code
        if not on_code:
            found = _article(ws, path, code, version, number)
            if found is not None:
                target = ws.instrument(found[0].instrument.code) if found[0].instrument else None
                return [L.Location(_uri(target[0] if target else path), _range(found[1].span))]
    hit = word_at(text, character)
    if hit is None:
        return []
    word = hit[0]
    symbols = ws.symbols().get(word)
    if symbols:
        return [L.Location(_uri(s.path), _range(s.span)) for s in symbols]
    inst = ws.instrument(word)
    if inst is not None and inst[1].instrument is not None:
        return [L.Location(_uri(inst[0]), _range(inst[1].instrument.span))]
    regime = ws.regimes().get(word)
    if regime is not None:
        return [L.Location(_uri(regime[0]), _range(regime[1].span))]
    return []


# ---------------------------------------------------------------- completion

KINDS = {"fact": L.CompletionItemKind.Field, "parameter": L.CompletionItemKind.Constant,
         "value": L.CompletionItemKind.Variable, "benefit": L.CompletionItemKind.Struct,
         "deadline": L.CompletionItemKind.Event}


def completion(ws: Workspace, path: Path, line: int, character: int) -> L.CompletionList:
    before = _line(ws, path, line)[:character]
    m = re.search(r"(?:\b([A-Z][A-Z0-9_]*)(?:@(\d{4}))?\s+)?(\d*)$", before)
    if m and in_citation_list(before[:m.start()] if m.group(1) else before[:m.start(3)]) \
            and (m.group(1) or not re.search(r"[A-Z][A-Z0-9_]*(@\d{4})?\s*$", before[:m.start(3)])):
        return L.CompletionList(False, _article_items(ws, path, m.group(1), m.group(2), m.group(3)))
    prefix = re.search(r"[A-Za-z_][A-Za-z0-9_]*$", before)
    start = prefix.group() if prefix else ""
    items: list[L.CompletionItem] = []
    for name, symbols in sorted(ws.symbols().items()):
        if not name.startswith(start):
            continue
        s = symbols[0]
        labels = getattr(s.decl, "labels", None)
        detail = f"{s.kind}" + (f": {s.decl.type}" if hasattr(s.decl, "type") else "")  # type: ignore[attr-defined]
        label_text = " — ".join(x for x in (labels.zh, labels.en) if x) if labels else ""
        code = s.module.instrument.code if s.module.instrument else ""
        items.append(L.CompletionItem(name, kind=KINDS[s.kind], detail=f"{detail}  {code} art. {s.article.number}",
                                      documentation=label_text or None))
    for word in sorted(words()["keyword"] | words()["constant"]):
        if word.startswith(start):
            items.append(L.CompletionItem(word, kind=L.CompletionItemKind.Keyword))
    for _, m2 in ws.modules():
        if m2.instrument is not None and m2.instrument.code.startswith(start):
            items.append(L.CompletionItem(m2.instrument.code, kind=L.CompletionItemKind.Module,
                                          detail=m2.instrument.title_zh))
    return L.CompletionList(False, items)


def _article_items(ws: Workspace, path: Path, code: str | None, version: str | None, typed: str) -> list[L.CompletionItem]:
    module = ws.instrument(code)[1] if code and ws.instrument(code) else ws.module(path)
    if module is None:
        return []
    out = []
    for a in module.articles:
        if version is not None and a.version != version:
            continue
        if version is None and a.version is not None:
            continue
        if not str(a.number).startswith(typed):
            continue
        preview = (a.gloss or (a.text or "").strip().splitlines()[0] if (a.gloss or a.text) else "") or ""
        out.append(L.CompletionItem(str(a.number), kind=L.CompletionItemKind.Reference,
                                    detail=preview[:80], sort_text=f"{a.number:04d}",
                                    documentation=L.MarkupContent(L.MarkupKind.Markdown, _article_markdown(module, a))))
    return out


# ---------------------------------------------------------------- document symbols

SYMBOL_KINDS = {ast.Fact: L.SymbolKind.Field, ast.Parameter: L.SymbolKind.Constant, ast.Value: L.SymbolKind.Variable,
                ast.Benefit: L.SymbolKind.Struct, ast.Deadline: L.SymbolKind.Event, ast.Presume: L.SymbolKind.Property,
                ast.Require: L.SymbolKind.Boolean, ast.Fill: L.SymbolKind.Operator, ast.Override: L.SymbolKind.Operator,
                ast.AddPart: L.SymbolKind.Operator}


def document_symbols(ws: Workspace, path: Path) -> list[L.DocumentSymbol]:
    """The outline: the instrument, its regimes, then each article with the declarations under it."""
    module = ws.module(path)
    if module is None:
        return []
    out: list[L.DocumentSymbol] = []
    if module.instrument is not None:
        i = module.instrument
        out.append(_symbol(i.code, i.title_zh, L.SymbolKind.Module, i.span))
    for r in module.regimes:
        out.append(_symbol(f"regime {r.name}", r.labels.zh or "", L.SymbolKind.Namespace, r.span))
    for a in module.articles:
        children = [_symbol(_decl_name(d), _decl_detail(d), SYMBOL_KINDS.get(type(d), L.SymbolKind.Object), d.span)
                    for d in a.decls]
        name = f"art. {a.number}" + (f" @{a.version}" if a.version else "")
        detail = a.gloss or ((a.text or "").strip().splitlines() or [""])[0]
        out.append(_symbol(name, detail[:80], L.SymbolKind.Namespace, a.span, children))
    return out


def _decl_name(d: object) -> str:
    if isinstance(d, ast.Presume):
        return f"presume {d.fact}"
    if isinstance(d, ast.Require):
        return f"require … about {d.fact}"
    if isinstance(d, ast.Fill):
        return f"fills {d.target}"
    if isinstance(d, ast.Override):
        return f"overrides {d.target}"
    if isinstance(d, ast.AddPart):
        return f"adds part {d.part.name} to {d.benefit}"
    return str(getattr(d, "name", "?"))


def _decl_detail(d: object) -> str:
    labels = getattr(d, "labels", None)
    if labels is not None and labels.zh:
        return str(labels.zh)
    return str(getattr(d, "reason", "") or "")


def _symbol(name: str, detail: str, kind: L.SymbolKind, span: Span,
            children: list[L.DocumentSymbol] | None = None) -> L.DocumentSymbol:
    r = _range(span)
    selection = L.Range(r.start, L.Position(r.start.line, r.start.character + 1) if r.end != r.start else r.start)
    return L.DocumentSymbol(name, kind, r, selection, detail=detail or None, children=children or None)


# ---------------------------------------------------------------- helpers


def _article(ws: Workspace, path: Path, code: str | None, version: str | None, number: int):
    if code is None:
        module = ws.module(path)
    else:
        found = ws.instrument(code)
        module = found[1] if found else None
    if module is None:
        return None
    art = article(module, number, version)
    return (module, art) if art is not None else None


def _line(ws: Workspace, path: Path, line: int) -> str:
    lines = ws.text(path).splitlines()
    return lines[line] if 0 <= line < len(lines) else ""


def _range(span: Span | None) -> L.Range:
    if span is None or span.line <= 0:
        return L.Range(L.Position(0, 0), L.Position(0, 1))
    start = L.Position(span.line - 1, max(span.column - 1, 0))
    end_line = max(span.end_line, span.line)
    end_col = span.end_column if span.end_line >= span.line else span.column + 1
    end = L.Position(end_line - 1, max(end_col - 1, 0))
    if (end.line, end.character) <= (start.line, start.character):
        end = L.Position(start.line, start.character + 1)
    return L.Range(start, end)


def _uri(path: Path) -> str:
    return path.resolve().as_uri()
