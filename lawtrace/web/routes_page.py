"""The caseworker's page: the form and the answer at `/`, one item's explanation at `/item/ID`, the downloads.

Every page is a GET of the form's query, so its URL is a permalink; a query
with empty fields is redirected to the same query without them (an empty
field is an absent fact). The case file and the HTML report are downloads of
the same query. Pages load nothing but this app's own assets.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from explain.i18n import WORDS
from explain.render import environment as explain_environment
from explain.render import render_result
from explain.why import explain_item
from lawtrace.web import view as views
from lawtrace.web.limits import in_worker
from lawtrace.web.render import render
from lawtrace.web.words import UI

router = APIRouter(include_in_schema=False)

PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
HEADERS = {"content-security-policy": PAGE_POLICY, "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


def _params(request: Request) -> list[tuple[str, str]] | RedirectResponse:
    params = list(request.query_params.multi_items())
    clean = [(k, v) for k, v in params if v.strip() != ""]
    if len(clean) != len(params):
        return RedirectResponse(request.url.path + ("?" + urlencode(clean) if clean else ""), status_code=303)
    return clean


def _html(template: str, status: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(render(template, **context), status_code=status, headers=HEADERS)


@router.get("/", response_class=HTMLResponse)
async def page(request: Request) -> Response:
    params = _params(request)
    if isinstance(params, RedirectResponse):
        return params
    v = await in_worker(views.page, params)
    return _html("page.html.j2", v=v, ui=UI[v.lang], w=WORDS[v.lang], lang=v.lang, path="/")


@router.get("/item/{item_id}", response_class=HTMLResponse)
async def item(request: Request, item_id: str) -> Response:
    params = _params(request)
    if isinstance(params, RedirectResponse):
        return params
    v = await in_worker(views.page, params, False)
    context = {"v": v, "ui": UI[v.lang], "w": WORDS[v.lang], "lang": v.lang, "path": request.url.path}
    if v.result is None:
        return _html("page.html.j2", 422, **context)
    if item_id not in {i["id"] for i in v.result["items"]}:  # type: ignore[union-attr]
        return _html("missing.html.j2", 404, item_id=item_id, **context)
    e = await in_worker(explain_item, v.result, item_id, v.lang)
    return _html("item.html.j2", e=e, **context)


@router.get("/assets/explain.css")
async def explain_css() -> Response:
    css = explain_environment(False).get_template("_style.css.j2").render()
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=3600"})


@router.get("/case.yaml")
async def case_yaml(request: Request) -> Response:
    v = await in_worker(views.page, _clean(request), False)
    text = yaml.safe_dump(_case_file(v), allow_unicode=True, sort_keys=False)
    return _download(text, "application/yaml", _filename(v, "yaml"))


@router.get("/case.json")
async def case_json(request: Request) -> Response:
    v = await in_worker(views.page, _clean(request), False)
    text = json.dumps(_case_file(v), ensure_ascii=False, indent=2) + "\n"
    return _download(text, "application/json", _filename(v, "json"))


@router.get("/report.html")
async def report(request: Request) -> Response:
    v = await in_worker(views.page, _clean(request), False)
    if v.result is None:
        return _html("page.html.j2", 422, v=v, ui=UI[v.lang], w=WORDS[v.lang], lang=v.lang, path="/")
    html = await in_worker(render_result, v.result, v.lang, "html", v.case)
    response = _download(html, "text/html; charset=utf-8", _filename(v, "html", "report"))
    response.headers["content-security-policy"] = REPORT_POLICY
    return response


def _clean(request: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if v.strip() != ""]


def _case_file(v: views.PageView) -> dict[str, object]:
    """The case as a case file lists it: id, name, notes, regime, date, facts."""
    order = ("id", "name", "notes", "regime", "date", "facts")
    return {k: v.case[k] for k in order if k in v.case}


def _filename(v: views.PageView, ext: str, stem: str = "case") -> str:
    case_id = re.sub(r"[^A-Za-z0-9._-]+", "_", str(v.case.get("id", ""))).strip("._")
    return f"{stem}-{case_id}.{ext}" if case_id else f"{stem}.{ext}"


def _download(text: str, media: str, filename: str) -> Response:
    return Response(text, media_type=media, headers={"content-disposition": f'attachment; filename="{filename}"',
                                                     "x-content-type-options": "nosniff"})
