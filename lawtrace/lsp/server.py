"""The language server: pygls wiring of the features, over stdio (`lawtrace lsp`)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as L
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from lawtrace.lsp import features
from lawtrace.lsp.workspace import Workspace


class LawtraceServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("lawtrace", _version(), text_document_sync_kind=L.TextDocumentSyncKind.Full)
        self.statutes = Workspace()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lawtrace")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def _path(uri: str) -> Path | None:
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


def build() -> LawtraceServer:
    server = LawtraceServer()

    def publish(ls: LawtraceServer, uri: str) -> None:
        path = _path(uri)
        if path is None:
            return
        found = features.diagnostics(ls.statutes, path)
        ls.text_document_publish_diagnostics(L.PublishDiagnosticsParams(uri=uri, diagnostics=found))

    def sync(ls: LawtraceServer, uri: str) -> None:
        path = _path(uri)
        if path is not None:
            ls.statutes.open(path, ls.workspace.get_text_document(uri).source)
            publish(ls, uri)

    @server.feature(L.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LawtraceServer, params: L.DidOpenTextDocumentParams) -> None:
        sync(ls, params.text_document.uri)

    @server.feature(L.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LawtraceServer, params: L.DidChangeTextDocumentParams) -> None:
        sync(ls, params.text_document.uri)

    @server.feature(L.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LawtraceServer, params: L.DidSaveTextDocumentParams) -> None:
        sync(ls, params.text_document.uri)

    @server.feature(L.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LawtraceServer, params: L.DidCloseTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:
            ls.statutes.close(path)

    @server.feature(L.TEXT_DOCUMENT_HOVER)
    def hover(ls: LawtraceServer, params: L.HoverParams) -> L.Hover | None:
        path = _path(params.text_document.uri)
        return features.hover(ls.statutes, path, params.position.line, params.position.character) if path else None

    @server.feature(L.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: LawtraceServer, params: L.DefinitionParams) -> list[L.Location]:
        path = _path(params.text_document.uri)
        return features.definition(ls.statutes, path, params.position.line, params.position.character) if path else []

    @server.feature(L.TEXT_DOCUMENT_COMPLETION, L.CompletionOptions(trigger_characters=[" ", "(", "@"]))
    def completion(ls: LawtraceServer, params: L.CompletionParams) -> L.CompletionList:
        path = _path(params.text_document.uri)
        if path is None:
            return L.CompletionList(False, [])
        return features.completion(ls.statutes, path, params.position.line, params.position.character)

    @server.feature(L.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: LawtraceServer, params: L.DocumentSymbolParams) -> list[L.DocumentSymbol]:
        path = _path(params.text_document.uri)
        return features.document_symbols(ls.statutes, path) if path else []

    return server


def main() -> None:
    build().start_io()
