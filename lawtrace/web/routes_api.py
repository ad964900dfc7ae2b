"""The JSON API under /v1: evaluate, explain, next questions, regimes, facts, diff.

Each endpoint reads its body through the engine's case reader (JSON, or YAML
as a case file may be), lets the engine answer, and returns its JSON; the
engine's work runs in a worker thread so the server keeps accepting requests.
Query parameters mirror the CLI's options (`regime`, `date`, `lang`, `format`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from lawtrace.web import service
from lawtrace.web.facts import declared_facts
from lawtrace.web.openapi import answers, body, ref

router = APIRouter(prefix="/v1", tags=["v1"])

RegimeQuery = Annotated[str | None, Query(description="regime to apply (overrides the case's own), as `lawtrace eval --regime`")]
DateQuery = Annotated[date | None, Query(alias="date", description="date of the accident, YYYY-MM-DD (overrides the case's own)")]


async def _case(request: Request) -> service.Case:
    return service.read_case(service.text_of(await request.body()))


@router.get("/regimes", summary="The regimes available, with their instruments and dates in force",
            responses=answers({"application/json": {"type": "array", "items": ref("Regime")}}))
async def get_regimes() -> JSONResponse:
    return JSONResponse(await run_in_threadpool(service.regimes))


@router.get("/facts", summary="The facts a regime declares: names, labels zh/en, types, ranges, members, articles",
            responses=answers({"application/json": {"type": "array", "items": ref("Fact")}}, 422))
async def get_facts(regime: Annotated[str, Query(description="a regime name")] = service.api.DEFAULT_REGIME) -> JSONResponse:
    program = await run_in_threadpool(service.program, regime, "regime", "query")
    return JSONResponse(declared_facts(program))


@router.post("/evaluate", summary="Evaluate a case: every benefit item, payable or not, how much, who pays, why",
             openapi_extra=body("Case"), responses=answers({"application/json": ref("Result")}, 400, 413, 422))
async def post_evaluate(request: Request, regime: RegimeQuery = None, on: DateQuery = None,
                        trace: Annotated[bool, Query(description="include the trace")] = True) -> JSONResponse:
    case = await _case(request)
    data = await run_in_threadpool(lambda: service.evaluate(case, regime, on).json(trace))
    return JSONResponse(data)


@router.post("/diff", summary="What differs between two regimes: rules and parameters, then outcomes on the cases given",
             openapi_extra=body("DiffRequest"), responses=answers({"application/json": ref("DiffReport")}, 400, 413, 422))
async def post_diff(request: Request) -> JSONResponse:
    case = await _case(request)
    report = await run_in_threadpool(service.diff, case)
    return JSONResponse(report.as_json())
