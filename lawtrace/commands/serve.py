"""`lawtrace serve`: the caseworker's web page and the JSON API, served by uvicorn (loopback by default)."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--max-body", default=256 * 1024, show_default=True, type=click.IntRange(1024),
              help="Largest request body accepted, in bytes.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(host: str, port: int, max_body: int, log_level: str) -> None:
    """The web page for caseworkers (/) and the JSON API (/v1, described at /openapi.json)."""
    import uvicorn

    from lawtrace.web import create_app
    from lawtrace.web.protocol import json_errors_protocol

    uvicorn.run(create_app(max_body), host=host, port=port, log_level=log_level, server_header=False,
                http=json_errors_protocol())


command = serve
