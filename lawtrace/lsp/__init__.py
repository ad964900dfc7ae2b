"""`lawtrace lsp`: a language server for statute files (`.lt`), on pygls (extra `lsp`).

    workspace.py  the statutes as an editor sees them: shipped files, open documents and overlays, parsed and indexed
    features.py   what the editor asks: diagnostics, hover, definition, completion, the outline by article
    server.py     the pygls server that wires them to the protocol
"""
