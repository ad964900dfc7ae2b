"""`lawtrace lsp`."""

from __future__ import annotations

import sys

import click


@click.command("lsp")
def lsp_command() -> None:
    """The language server for statute files (.lt), over standard input and output: the diagnostics of `lawtrace
    check` as you type, hover, go to definition, completion and the outline by article. Needs the extra `lsp`
    (pip install 'lawtrace[lsp]')."""
    try:
        from lawtrace.lsp.server import main
    except ImportError as e:
        click.echo(f"lawtrace lsp needs pygls: pip install 'lawtrace[lsp]' ({e})", err=True)
        sys.exit(1)
    main()


command = lsp_command
