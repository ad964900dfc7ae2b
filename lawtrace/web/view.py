"""What the page shows for a query: the form's questions, and the engine's result, explanations and missing facts.

Every answer shown is the engine's: the result JSON (`lawtrace.api`), the
explanations (`explain.why`), the questions and their order (`engine.analysis.questions`,
the ranking of `lawtrace ask --next`). This module only arranges them for the
templates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from engine.model import ir
from engine.run.case import Case
from engine.analysis.questions import CASE_DATE
from engine.model.values import to_json
from explain.i18n import WORDS, cite_text
from explain.render import result_view
from explain.values import show_value
from explain.why import explain_item
from lawtrace import api
from lawtrace.web import form, service
from lawtrace.web.errors import ApiError
from lawtrace.web.words import UI, lang_of

log = logging.getLogger("lawtrace.web")


@dataclass
class PageView:
    lang: str
    query: list[tuple[str, str]]
    case: dict[str, object]
    regimes: list[dict[str, object]]
    regime: str
    date: str
    case_fields: dict[str, str]
    questions: list[form.Question] = field(default_factory=list)
    answered: list[form.Question] = field(default_factory=list)
    field_errors: dict[str, str] = field(default_factory=dict)  # regime, date, id, ... → message
    other_errors: list[str] = field(default_factory=list)
    result: dict[str, object] | None = None
    table: dict[str, object] | None = None
    rows: list[dict[str, object]] = field(default_factory=list)  # see _rows
    missing: list[dict[str, str]] = field(default_factory=list)  # {fact, label, anchor}
    date_asked: bool = False  # the ranking's first question is the date of the case
    window: dict[str, str] = field(default_factory=lambda: {"from": "", "to": ""})  # what falls due: the days asked
    window_error: str | None = None
    owed: dict[str, object] | None = None  # see _owed
    refused: bool = False  # the engine refused the case: the errors are shown at their fields

    @property
    def ok(self) -> bool:
        return self.result is not None

    def link(self, path: str = "/", **changes: str) -> str:
        """`path` with this page's query, some parameters changed."""
        params = [(k, v) for k, v in self.query if k not in changes] + [(k, v) for k, v in changes.items() if v]
        return path + ("?" + urlencode(params) if params else "")


def page(params: list[tuple[str, str]], details: bool = True) -> PageView:
    """The page for a query; without `details`, only the case and its result (no questions, no explanations)."""
    values = dict(params)
    lang = lang_of(values.get("lang"))
    regime = values.get("regime") or api.DEFAULT_REGIME
    view = PageView(lang, params, {}, service.regimes(), regime, values.get("date", ""),
                    {k: values.get(k, "") for k in form.CASE_KEYS})
    view.window = {k: values.get(k, "") for k in WINDOW_KEYS}
    try:
        program = service.program(regime)
    except ApiError as e:
        view.field_errors["regime"] = e.errors[0].message
        view.refused = True
        return view
    declared = {f.id: f for f in program.facts()}
    view.case = form.case_from(params, declared, regime)
    if view.date:
        view.case["date"] = view.date
    questions = _questions(program, params, lang)
    try:
        evaluated = service.evaluate(service.case_of(view.case))
    except ApiError as e:
        view.refused = True
        errors = [(err.field, err.message) for err in e.errors]
        _answered(view, questions, declared)
        for path, message in errors:
            if path in ("regime", "date", *form.CASE_KEYS):
                view.field_errors[str(path)] = message
        view.other_errors = form.place_errors(questions, [(p, m) for p, m in errors if p not in view.field_errors])
        return view
    view.result = evaluated.json(trace=True)
    _answered(view, questions, declared)
    window = _window(view)
    if window is not None:
        fact_words = {k: (n.labels.zh if lang == "zh" else n.labels.en) or k for k, n in declared.items() if n.labels}
        view.owed = _owed(view.result, api.owed_json(evaluated.result, *window), lang, fact_words)
    if not details:
        return view
    _ask(view, questions, evaluated.case, program)
    view.table = result_view(view.result, lang, view.case)
    view.rows = _rows(view.result, view.table, lang)
    view.missing = [_missing(f, questions, lang) for f in view.result["missing_facts"]]  # type: ignore[union-attr]
    return view


STATUS = {True: "payable", False: "not_payable", None: "undetermined"}
WINDOW_KEYS = ("from", "to")  # the window of what falls due (as `lawtrace eval --from --to` and /v1/evaluate)


def _window(view: PageView) -> tuple[date, date] | None:
    """The window asked, or None (none asked, or a bad one: then `window_error` says what is expected)."""
    raw = view.window
    if not raw["from"] and not raw["to"]:
        return None
    try:
        start, end = date.fromisoformat(raw["from"]), date.fromisoformat(raw["to"])
    except ValueError:
        start = end = None  # type: ignore[assignment]
    if start is None or end is None or start > end:
        view.window_error = UI[view.lang]["window_error"]
        return None
    return start, end


def _owed(result: dict[str, object], owed: dict[str, object], lang: str, fact_words: dict[str, str]) -> dict[str, object]:
    """`owed` (CONTRACT "Benefits over time") arranged for the page: the items as columns, a row per month with its
    total, the totals by item and by payer, the part months (both figures, in no total), the items left undated."""
    words = WORDS[lang]
    labels = {str(i["id"]): i["label"][lang] for i in result["items"]}  # type: ignore[index, union-attr]
    items = [k for k in labels if k in owed["by_item"]]  # type: ignore[operator]
    months = []
    for m in owed["months"]:  # type: ignore[union-attr]
        total = sum((Decimal(v) for v in m["by_item"].values()), Decimal(0))
        months.append({"month": m["month"], "cells": [m["by_item"].get(k) for k in items],
                       "total": f"{total:.2f}" if m["by_item"] else None})
    total = sum((Decimal(v) for v in owed["by_item"].values()), Decimal(0))  # type: ignore[union-attr]

    def party(p: object) -> str:
        return str(words.get(str(p), p)) if p not in (None, "none") else words["nobody"]
    return {
        "from": owed["from"], "to": owed["to"],
        "items": [{"id": k, "label": labels[k], "total": owed["by_item"][k]} for k in items],  # type: ignore[index]
        "months": months, "total": f"{total:.2f}",
        "by_payer": [{"payer": party(p), "amount": a} for p, a in owed["by_payer"].items()],  # type: ignore[union-attr]
        "partial": [{**p, "label": labels.get(str(p["item"]), p["item"]),
                     "payer": party(p.get("payer"))} for p in owed["partial"]],  # type: ignore[union-attr]
        "undated": [{"label": labels.get(str(u["item"]), u["item"]),
                     "missing": [fact_words.get(str(f), str(f)) for f in u.get("missing") or []]}
                    for u in owed["undated"]],  # type: ignore[union-attr]
    }


def _rows(result: dict[str, object], table: dict[str, object], lang: str) -> list[dict[str, object]]:
    """Each item: the result's answer (`item`), in words (`t`), and its explanation (`e`, None if it could not be made).

    An explanation that fails is logged and left out, so that one item's failure does not hide the other answers.
    """
    rows = []
    for item, words in zip(result["items"], table["items"], strict=True):  # type: ignore[call-overload]
        try:
            e = explain_item(result, str(item["id"]), lang)
        except Exception:
            log.exception("the explanation of %s failed", item["id"])
            e = None
        rows.append({"item": item, "t": words, "status": STATUS[item["payable"]], "e": e})
    return rows


def _missing(fact: str, questions: dict[str, form.Question], lang: str) -> dict[str, str]:
    q = questions.get(fact)
    if q is not None:
        return {"fact": fact, "label": q.label, "anchor": q.anchor}
    return {"fact": fact, "label": UI[lang]["date"] if fact == CASE_DATE else fact, "anchor": f"case-{fact}"}


def _questions(program: ir.Program, params: list[tuple[str, str]], lang: str) -> dict[str, form.Question]:
    values = dict(params)
    titles = {i.code: {"zh": i.title_zh, "en": i.title_en, "latest": i.latest} for i in program.instruments}
    out = {}
    for node in program.facts():
        cites = [cite_text(c, lang, titles) for c in node.cites]
        out[node.id] = form.question(node, values, lang, UI[lang], cites)
    return out


def _answered(view: PageView, questions: dict[str, form.Question], declared: dict[str, ir.FactNode]) -> None:
    """The facts the form gave, in the order the statutes declare them; undeclared ones last (the engine refuses
    them, naming them), to be cleared."""
    given = view.case.get("facts", {})
    assert isinstance(given, dict)
    view.answered = [questions[f] for f in declared if f in given]
    values = dict(view.query)
    for name in given:
        if name not in declared:
            q = form.undeclared(str(name), values.get(form.PREFIX + str(name), ""))
            questions[str(name)] = q
            view.answered.append(q)


def _ask(view: PageView, questions: dict[str, form.Question], case: Case, program: ir.Program) -> None:
    """The questions still open, in the engine's ranking, each with the items an answer decides."""
    _, ranked, _ = service.questions(case)
    labels = {b.id: b.labels.zh if view.lang == "zh" else b.labels.en for b in program.benefits}
    given = {q.fact for q in view.answered}
    for r in ranked:
        if r.fact == CASE_DATE:
            view.date_asked = not view.questions  # the date is asked in the case's own field
            continue
        q = questions.get(r.fact)
        if q is None or r.fact in given:
            continue
        q.decides = [labels.get(i, i) for i in r.decides]
        q.at_stake = f"{r.at_stake:.2f}" if r.at_stake is not None else None
        node = program.nodes[r.fact]
        if r.presumed is not None:
            q.presumed_value = show_value(to_json(r.presumed, node.type), str(node.type), view.lang)
        view.questions.append(q)
