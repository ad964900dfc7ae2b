"""The ASGI app: the JSON API, the caseworker's page and its assets, one error format, a body-size cap.

`create_app()` wires the pieces: the routers, the OpenAPI document (no
interactive docs: they would load scripts from the internet), the handlers
that turn every error into JSON with a 4xx status (or a bare 500 with no
detail: the traceback goes to the server's log only), and the regimes
compiled once at start-up.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

import lawtrace
from lawtrace import api
from lawtrace.web import openapi, routes_api, routes_page
from lawtrace.web.errors import ApiError, FieldError, single
from lawtrace.web.limits import DEFAULT_MAX_BODY, BodyLimit, BodyTimeout, BodyTooLarge
from lawtrace.web.responses import FastJSON

STATIC = Path(__file__).with_name("static")
# objects made (less those freed) between sweeps of the youngest generation in a server, at least; Python's is 700
SERVER_YOUNG_SWEEP = 10_000
log = logging.getLogger("lawtrace.web")


def _warm() -> None:
    for name in api.regime_names():  # from the cache of compiled programs when the statutes have not changed
        api.load_program(name)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    await run_in_threadpool(_warm)  # compile every regime before the first request rather than during it
    # The compiled regimes live as long as the server: kept out of the garbage collector's sweeps, which otherwise
    # walk them again and again while requests make and drop their traces; and a request's answer (its evaluation's
    # objects and some 4,000 dicts and lists of JSON, freed by their counts) no longer sets off a sweep of the
    # youngest objects every 700 made (web_load: the two together, about a third of a request's CPU time).
    gc.collect()
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], SERVER_YOUNG_SWEEP), *threshold[1:])
    try:
        yield
    finally:  # an app started and stopped in a longer process (the tests) leaves the collector as it found it
        gc.set_threshold(*threshold)
        gc.unfreeze()


def create_app(max_body: int = DEFAULT_MAX_BODY) -> FastAPI:
    app = FastAPI(title="lawtrace", version=getattr(lawtrace, "__version__", "0.1.0"),
                  description="Work-injury insurance law (工伤保险) as checked rules: what is owed, by whom, and why.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=_lifespan)
    app.include_router(routes_api.router)
    app.include_router(routes_page.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyLimit, max_bytes=max_body)
    openapi.install(app)
    _handlers(app)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, e: ApiError) -> FastJSON:
        return FastJSON(e.as_json(), status_code=e.status)

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, e: BodyTooLarge) -> FastJSON:
        error = single(413, "request too large", None, str(e))
        return FastJSON(error.as_json(), status_code=413, headers={"connection": "close"})

    @app.exception_handler(BodyTimeout)
    async def too_slow(request: Request, e: BodyTimeout) -> FastJSON:
        error = single(408, "request too slow", None, str(e))
        return FastJSON(error.as_json(), status_code=408, headers={"connection": "close"})

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, e: RequestValidationError) -> FastJSON:
        errors = []
        for err in e.errors():
            loc = [str(x) for x in err.get("loc", ())]
            where = loc[0] if loc and loc[0] in ("query", "path", "body") else "query"
            errors.append(FieldError(".".join(loc[1:]) or None, str(err.get("msg", "invalid value")), where))
        return FastJSON(ApiError(422, "invalid parameter", errors).as_json(), status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, e: HTTPException) -> FastJSON:
        title = {404: "not found", 405: "method not allowed"}.get(e.status_code, "error")
        message = f"no such page or endpoint: {request.url.path}" if e.status_code == 404 else str(e.detail)
        return FastJSON(single(e.status_code, title, None, message, "path").as_json(), status_code=e.status_code,
                            headers=getattr(e, "headers", None))

    @app.exception_handler(Exception)
    async def server_error(request: Request, e: Exception) -> FastJSON:
        log.exception("error answering %s %s", request.method, request.url.path)
        return FastJSON({"status": 500, "title": "internal error", "errors": [
            {"field": None, "in": "body", "message": "the server could not answer this request; the error is in its log"}]},
            status_code=500)
