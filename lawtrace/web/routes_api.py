"""The JSON API under /v1: evaluate, explain, next questions, regimes, facts, diff.

Each endpoint reads its body through the engine's case reader (JSON, or YAML
as a case file may be), lets the engine answer, and returns its JSON; the
engine's work runs in a worker thread so the server keeps accepting requests.
Query parameters mirror the CLI's options (`regime`, `date`, `lang`, `format`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from dsl.errors import LawtraceError
from explain.render import render_explanation, render_result
from explain.why import explain_all, explain_item, resolve_item
from lawtrace import api
from lawtrace.web import service
from lawtrace.web.errors import ApiError, FieldError
from lawtrace.web.facts import declared_facts
from lawtrace.web.limits import in_worker
from lawtrace.web.openapi import answers, body, ref
from lawtrace.web.responses import FastJSON

router = APIRouter(prefix="/v1", tags=["v1"])

RegimeQuery = Annotated[str | None, Query(description="regime to apply (overrides the case's own), as `lawtrace eval --regime`")]
LangQuery = Annotated[Literal["zh", "en"], Query(description="language of the words")]
DateQuery = Annotated[date | None, Query(alias="date", description="date of the accident, YYYY-MM-DD (overrides the case's own)")]


async def _case(request: Request) -> service.Case:
    body = await request.body()
    return await in_worker(lambda: service.read_case(service.text_of(body)))  # parsing YAML is work: off the event loop


@router.get("/regimes", summary="The regimes available, with their instruments and dates in force",
            responses=answers({"application/json": {"type": "array", "items": ref("Regime")}}))
async def get_regimes() -> FastJSON:
    return FastJSON(await in_worker(service.regimes))


@router.get("/facts", summary="The facts a regime declares: names, labels zh/en, types, ranges, members, articles",
            responses=answers({"application/json": {"type": "array", "items": ref("Fact")}}, 422))
async def get_facts(regime: Annotated[str, Query(description="a regime name")] = service.api.DEFAULT_REGIME) -> FastJSON:
    program = await in_worker(service.program, regime, "regime", "query")
    return FastJSON(declared_facts(program))


@router.post("/evaluate", summary="Evaluate a case: every benefit item, payable or not, how much, who pays, why",
             openapi_extra=body("Case"), responses=answers({"application/json": ref("Result")}, 400, 413, 422))
async def post_evaluate(request: Request, regime: RegimeQuery = None, on: DateQuery = None,
                        trace: Annotated[bool, Query(description="include the trace")] = True,
                        window_from: Annotated[date | None, Query(alias="from", description="first day of a window: what falls due in it (with `to`)")] = None,
                        window_to: Annotated[date | None, Query(alias="to", description="last day of the window")] = None) -> FastJSON:
    body = await request.body()

    def work() -> FastJSON:  # one trip to a worker thread: the case read (JSON or YAML), evaluated, written
        case = service.read_case(service.text_of(body))
        if (window_from is None) != (window_to is None) or (window_from and window_to and window_from > window_to):
            raise ApiError(422, "bad window", [FieldError("from" if window_from is None else "to",
                                                          "`from` and `to` go together, `from` not after `to` (YYYY-MM-DD)", "query")])
        evaluated = service.evaluate(case, regime, on)
        data = evaluated.json(trace)
        if window_from is not None and window_to is not None:
            data["owed"] = api.owed_json(evaluated.result, window_from, window_to)
        return FastJSON(data)  # written here too, not on the event loop
    return await in_worker(work)


@router.post("/diff", summary="What differs between two regimes: rules and parameters, then outcomes on the cases given",
             openapi_extra=body("DiffRequest"), responses=answers({"application/json": ref("DiffReport")}, 400, 413, 422))
async def post_diff(request: Request) -> FastJSON:
    case = await _case(request)
    report = await in_worker(service.diff, case)
    return FastJSON(report.as_json())


@router.post("/next-questions", summary="The facts still unknown that could change an answer, ranked (as `lawtrace ask --next`)",
             openapi_extra=body("Case"), responses=answers({"application/json": ref("Questions")}, 400, 413, 422))
async def post_next_questions(request: Request, regime: RegimeQuery = None, on: DateQuery = None) -> FastJSON:
    case = await _case(request)
    data = await in_worker(lambda: service.questions_json(*service.questions(case, regime, on)))
    return FastJSON(data)


MEDIA = {"text": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


@router.post("/explain", summary="Why (or why not) an item is payable, by whom, how much, article by article",
             description="With `item`, that item's explanation; without it, every item's (as a report in text, md or html).",
             openapi_extra=body("Case"),
             responses=answers({"application/json": ref("Explanation"), "text/plain": {"type": "string"},
                                "text/markdown": {"type": "string"}, "text/html": {"type": "string"}}, 400, 413, 422))
async def post_explain(request: Request, item: Annotated[str | None, Query(description="a benefit item: its id, or its Chinese or English label")] = None,
                       lang: LangQuery = "zh",
                       fmt: Annotated[Literal["json", "text", "md", "html"], Query(alias="format")] = "json",
                       regime: RegimeQuery = None, on: DateQuery = None) -> Response:
    case = await _case(request)

    def work() -> Response:
        result = service.evaluate(case, regime, on).json(trace=True)
        wanted = item
        if item is not None:
            try:
                wanted = resolve_item(result, item)  # an id, or the item's Chinese or English label
            except LawtraceError as e:
                message, _, hint = str(e).split("\n")[0].partition("; ")
                raise ApiError(422, "unknown item", [FieldError("item", message, "query", hint=hint or None)]) from None
        item_id = wanted
        if fmt == "json":
            data = explain_item(result, item_id, lang) if item_id is not None else {"items": explain_all(result, lang)}
            return FastJSON(data)
        if item_id is not None:
            return Response(render_explanation(result, item_id, lang, fmt, case.data), media_type=MEDIA[fmt])
        return Response(render_result(result, lang, fmt, case.data), media_type=MEDIA[fmt])

    return await in_worker(work)
