"""Limits on a request: the size of its body, the time to send it, the time to answer it.

A declared Content-Length over the cap is refused at once; a body sent in
chunks (or with a false length) is counted as it arrives and refused as soon
as it passes the cap, so no endpoint ever holds more than the cap in memory.
A body that does not arrive within `BODY_SECONDS` is refused with 408. The
engine's work on a request (reading the body included) runs in a worker
thread, never on the event loop, and a request that takes longer than
`WORK_SECONDS` is answered 503 at once; other requests are not held up.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lawtrace.web.errors import single

DEFAULT_MAX_BODY = 256 * 1024
BODY_SECONDS = 10.0  # to send the whole body (a slow client holds a connection no longer than this)
WORK_SECONDS = 20.0  # to answer a request once its body is in
T = TypeVar("T")


class BodyTimeout(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"the request body did not arrive within {seconds:g} seconds")


async def in_worker(fn: Callable[..., T], *args: object, seconds: float | None = None) -> T:
    """`fn(*args)` in a worker thread, within the time budget of a request (an `ApiError` 503 past it).

    The thread cannot be stopped; the bounds of `dsl.bounds` keep any one request's work finite, and the budget
    keeps the client from waiting on it."""
    limit = WORK_SECONDS if seconds is None else seconds
    try:
        return await asyncio.wait_for(run_in_threadpool(fn, *args), timeout=limit)
    except TimeoutError:
        from lawtrace.web.errors import single

        raise single(503, "took too long", None, f"the answer took longer than the limit of {limit:g} seconds; "
                     "the request was given up (send a smaller case)") from None


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"the request body is larger than {limit} bytes")
        self.limit = limit


class BodyLimit:
    """ASGI middleware: requests whose body passes `max_bytes` get 413 (through the app's error handler)."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY, body_seconds: float = BODY_SECONDS):
        self.app = app
        self.max_bytes = max_bytes
        self.body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, self.max_bytes)
            return
        seen = 0
        complete = False
        deadline = asyncio.get_running_loop().time() + self.body_seconds

        async def counted() -> Message:
            nonlocal seen, complete
            if complete:  # after the body only a disconnect can come: no limit on waiting for it
                return await receive()
            left = deadline - asyncio.get_running_loop().time()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
            except TimeoutError:
                raise BodyTimeout(self.body_seconds) from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
                complete = not message.get("more_body", False)
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, limit: int) -> None:
    error = single(413, "request too large", None, f"the request body is larger than {limit} bytes")
    body = json.dumps(error.as_json(), ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})

