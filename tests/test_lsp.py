"""`lawtrace lsp` through the protocol: a pygls client drives the server (`python -m lawtrace lsp`) over stdio on the
shipped statutes and an overlay: diagnostics as `lawtrace check` gives them, hover, definition, completion, outline."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest
from lsprotocol import types as L
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
WIIR = ROOT / "statutes" / "national" / "wiir.lt"
JS = ROOT / "statutes" / "jiangsu" / "js.lt"
TIMEOUT = 120


class Session:
    """A client connected to a server process, with its own event loop; diagnostics collected as they arrive."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = LanguageClient("lawtrace-tests", "1")
        self.diagnostics: dict[str, list[L.Diagnostic]] = {}
        self.versions: dict[str, int] = {}

        @self.client.feature(L.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: L.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params.diagnostics

        self.run(self.client.start_io(sys.executable, "-m", "lawtrace", "lsp", cwd=str(ROOT)))
        self.run(self.client.initialize_async(L.InitializeParams(capabilities=L.ClientCapabilities(),
                                                                 root_uri=ROOT.as_uri())))
        self.client.initialized(L.InitializedParams())

    def run(self, coroutine):
        return self.loop.run_until_complete(asyncio.wait_for(coroutine, TIMEOUT))

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.resolve().as_uri()
        self.diagnostics.pop(uri, None)
        self.versions[uri] = 1
        self.client.text_document_did_open(L.DidOpenTextDocumentParams(
            L.TextDocumentItem(uri, "lawtrace", 1, text if text is not None else path.read_text(encoding="utf-8"))))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.diagnostics.pop(uri, None)
        self.versions[uri] += 1
        self.client.text_document_did_change(L.DidChangeTextDocumentParams(
            L.VersionedTextDocumentIdentifier(self.versions[uri], uri),
            [L.TextDocumentContentChangeWholeDocument(text)]))

    def wait_diagnostics(self, uri: str) -> list[L.Diagnostic]:
        async def wait() -> list[L.Diagnostic]:
            while uri not in self.diagnostics:
                await asyncio.sleep(0.05)
            return self.diagnostics[uri]

        return self.run(wait())

    def hover(self, uri: str, line: int, character: int) -> L.Hover | None:
        return self.run(self.client.text_document_hover_async(
            L.HoverParams(L.TextDocumentIdentifier(uri), L.Position(line, character))))

    def definition(self, uri: str, line: int, character: int):
        return self.run(self.client.text_document_definition_async(
            L.DefinitionParams(L.TextDocumentIdentifier(uri), L.Position(line, character))))

    def completion(self, uri: str, line: int, character: int) -> L.CompletionList:
        return self.run(self.client.text_document_completion_async(
            L.CompletionParams(L.TextDocumentIdentifier(uri), L.Position(line, character))))

    def symbols(self, uri: str):
        return self.run(self.client.text_document_document_symbol_async(
            L.DocumentSymbolParams(L.TextDocumentIdentifier(uri))))

    def close(self) -> None:
        self.run(self.client.shutdown_async(None))
        self.client.exit(None)
        self.run(self.client.stop())
        self.loop.close()


@pytest.fixture(scope="module")
def lsp():
    session = Session()
    yield session
    session.close()


def _find(path: Path, needle: str, text: str | None = None) -> tuple[int, int]:
    """The 0-based line and column of the first occurrence of `needle`."""
    for n, line in enumerate((text if text is not None else path.read_text(encoding="utf-8")).splitlines()):
        if needle in line:
            return n, line.index(needle)
    raise AssertionError(f"{needle!r} not in {path}")


OVERLAY = textwrap.dedent('''\
    instrument G7UP "七级伤残补助金提高到15个月" en "grade 7 at 15 months" level reform
      version 2026 in_force 2026-01-01
    regime g7up "全国（七级15个月）" en "national, grade 7 at 15 months" = national + G7UP
    article 1 gist """Grade 7 gets 15 months of wages as the one-time disability subsidy."""
      overrides one_time_disability_subsidy.amount amends WIIR 37(1)(1)
        because "七级伤残补偿偏低" en "grade 7 is under-compensated" = if disability_grade == 7 then wage_base * 15 else overridden
    ''')


def test_a_shipped_statute_opens_clean_and_a_typo_is_reported_as_check_reports_it(lsp, tmp_path):
    uri = lsp.open(WIIR)
    assert [d for d in lsp.wait_diagnostics(uri) if d.severity == L.DiagnosticSeverity.Error] == []
    path = tmp_path / "g7up.lt"
    broken = OVERLAY.replace("wage_base * 15", "wage_bse * 15")
    path.write_text(broken, encoding="utf-8")
    uri = lsp.open(path, broken)
    [d] = lsp.wait_diagnostics(uri)
    assert d.severity == L.DiagnosticSeverity.Error
    assert "unknown name 'wage_bse'" in d.message and "did you mean 'wage_base'" in d.message
    line, col = _find(path, "wage_bse")
    assert (d.range.start.line, d.range.start.character) == (line, col)
    # the same message at the same place as `lawtrace check`
    from lawtrace.checking import check_paths

    errors, _ = check_paths((path,), None)
    assert [(e.span.line, e.span.column, e.message) for e in errors] == [(line + 1, col + 1, d.message.split("\nhint")[0])]
    # typed (not saved): fixed in the editor, the error goes
    lsp.change(uri, OVERLAY)
    assert list(lsp.wait_diagnostics(uri)) == []
    lsp.change(uri, OVERLAY.replace("because", "becaus"))
    [syntax] = lsp.wait_diagnostics(uri)
    assert syntax.range.start.line == _find(path, "because")[0] and "unexpected" in syntax.message


def test_hover_shows_type_labels_citation_and_the_articles_text(lsp):
    uri = lsp.open(WIIR)
    line, col = _find(WIIR, "parameter disability_subsidy_months")
    h = lsp.hover(uri, line, col + len("parameter ") + 3)
    body = h.contents.value
    assert "**parameter** `disability_subsidy_months`: table[int -> int]" in body
    assert "WIIR art. 35" in body and "> 职工因工致残被鉴定为一级至四级伤残的" in body
    # a name used in another instrument: the fact declared in WIIR, hovered in the Jiangsu measures
    js = lsp.open(JS)
    line, col = _find(JS, "* regional_avg_monthly_wage")
    body = lsp.hover(js, line, col + 4).contents.value
    assert "**fact** `regional_avg_monthly_wage`: money" in body and "WIIR art. 64" in body
    # a citation: the article it cites, quoted
    line, col = _find(JS, "by WIIR 36(2)")
    body = lsp.hover(js, line, col + len("by WIIR 3")).contents.value
    assert body.startswith("**WIIR art. 36**") and "《工伤保险条例》" in body and "> 职工因工致残被鉴定为五级、六级伤残的" in body


def test_definition_goes_across_instruments(lsp, tmp_path):
    path = tmp_path / "g7up.lt"
    path.write_text(OVERLAY, encoding="utf-8")
    uri = lsp.open(path, OVERLAY)
    line, col = _find(path, "wage_base")
    [loc] = lsp.definition(uri, line, col + 1)
    assert loc.uri == WIIR.resolve().as_uri()
    assert WIIR.read_text(encoding="utf-8").splitlines()[loc.range.start.line].lstrip().startswith("value wage_base")
    line, col = _find(path, "one_time_disability_subsidy.amount")
    [loc] = lsp.definition(uri, line, col + 3)
    assert WIIR.read_text(encoding="utf-8").splitlines()[loc.range.start.line].lstrip().startswith(
        "benefit one_time_disability_subsidy")
    line, col = _find(path, "WIIR 37(1)(1)")
    [loc] = lsp.definition(uri, line, col + len("WIIR 3"))
    assert WIIR.read_text(encoding="utf-8").splitlines()[loc.range.start.line].startswith("article 37 ")
    [loc] = lsp.definition(uri, line, col + 1)  # on the code: the instrument
    assert WIIR.read_text(encoding="utf-8").splitlines()[loc.range.start.line].startswith("instrument WIIR")


def test_completion_of_facts_parameters_and_article_numbers(lsp, tmp_path):
    path = tmp_path / "draft.lt"
    text = OVERLAY + "  overrides disability_sub"
    uri = lsp.open(path, text)
    last = len(text.splitlines()) - 1
    items = {i.label: i for i in lsp.completion(uri, last, len("  overrides disability_sub")).items}
    assert {"disability_subsidy_months"} <= set(items)
    assert items["disability_subsidy_months"].kind == L.CompletionItemKind.Constant
    lsp.change(uri, OVERLAY + "  payable when disab")
    items = {i.label: i for i in lsp.completion(uri, last, len("  payable when disab")).items}
    assert items["disability_grade"].kind == L.CompletionItemKind.Field and "伤残等级" in items["disability_grade"].documentation
    lsp.change(uri, OVERLAY + "  overrides x amends WIIR 3")
    items = {i.label: i for i in lsp.completion(uri, last, len("  overrides x amends WIIR 3")).items}
    assert {"3", "30", "37", "39"} <= set(items) and "14" not in items
    assert "职工因工致残被鉴定为七级至十级伤残的" in items["37"].documentation.value


def test_the_outline_is_the_instrument_by_article(lsp):
    uri = lsp.open(WIIR)
    symbols = lsp.symbols(uri)
    assert symbols[0].name == "WIIR" and symbols[0].kind == L.SymbolKind.Module
    articles = {s.name: s for s in symbols if s.name.startswith("art. ")}
    assert {f"art. {n}" for n in range(1, 68)} <= set(articles)
    children = {c.name: c for c in articles["art. 35"].children}
    assert children["disability_subsidy_months"].kind == L.SymbolKind.Constant
    assert children["disability_subsidy_months"].detail == "一次性伤残补助金（月数）"
    assert articles["art. 35"].detail.startswith("Grades 1-4") or articles["art. 35"].detail
    for s in symbols:
        for c in s.children or []:
            assert s.range.start.line <= c.range.start.line <= s.range.end.line, (s.name, c.name)


def test_an_unsaved_edit_of_a_shipped_statute_is_checked_against_every_regime_that_uses_it(lsp):
    text = WIIR.read_text(encoding="utf-8")
    uri = lsp.open(WIIR, text)
    lsp.wait_diagnostics(uri)
    line, col = _find(WIIR, "= clamp(monthly_wage")
    edited = text.replace("= clamp(monthly_wage", "= clamp(monthly_wages", 1)
    lsp.change(uri, edited)
    errors = [d for d in lsp.wait_diagnostics(uri) if d.severity == L.DiagnosticSeverity.Error]
    assert errors and all("monthly_wages" in d.message for d in errors)
    assert (errors[0].range.start.line, errors[0].range.start.character) == (line, col + len("= clamp("))
    lsp.change(uri, text)  # typed back: clean again, and nothing was written to disk
    assert not [d for d in lsp.wait_diagnostics(uri) if d.severity == L.DiagnosticSeverity.Error]
    assert WIIR.read_text(encoding="utf-8") == text


def test_hover_on_a_comment_word_says_nothing_and_codes_complete(lsp, tmp_path):
    path = tmp_path / "draft.lt"
    text = OVERLAY + "  # nothing here\n  overrides x amends WI"
    uri = lsp.open(path, text)
    lines = text.splitlines()
    assert lsp.hover(uri, len(lines) - 2, len("  # noth")) is None
    items = {i.label: i for i in lsp.completion(uri, len(lines) - 1, len(lines[-1])).items}
    assert items["WIIR"].kind == L.CompletionItemKind.Module and items["WIIR"].detail == "工伤保险条例"
