"""The HTTP protocol of `lawtrace serve`: uvicorn's own, except that a request it cannot parse (a query string too
long, a duplicate Content-Length, Content-Length with Transfer-Encoding) is refused in the API's JSON error form,
not in uvicorn's plain text. Such a request never reaches the app, so the app's handlers cannot answer it."""

from __future__ import annotations

import asyncio
import json


def _body(message: str) -> bytes:
    return json.dumps({"status": 400, "title": "malformed HTTP request",
                       "errors": [{"field": None, "in": "request", "message": message}]}).encode("utf-8")


def json_errors_protocol() -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol (h11 where httptools is not installed) with 400s in the JSON error form."""
    try:
        from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
    except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
        import h11
        from uvicorn.protocols.http.h11_impl import H11Protocol

        class JsonH11(H11Protocol):
            def send_400_response(self, msg: str) -> None:
                body = _body(msg)
                headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                           (b"connection", b"close")]
                for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                              h11.EndOfMessage()):
                    self.transport.write(self.conn.send(event))
                self.transport.close()

        return JsonH11

    class JsonHttpTools(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            body = _body(msg)
            content = [STATUS_LINE[400]]
            for name, value in self.server_state.default_headers:
                content.extend([name, b": ", value, b"\r\n"])
            content.extend([b"content-type: application/json\r\n", b"content-length: " + str(len(body)).encode() + b"\r\n",
                            b"connection: close\r\n", b"\r\n", body])
            self.transport.write(b"".join(content))
            self.transport.close()

    return JsonHttpTools
