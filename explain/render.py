"""Result JSON → a human-readable report, through the templates in explain/templates/.

Renders from the result JSON alone (no access to the engine), so that any
stored result can be shown again.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from explain.i18n import WORDS, cite_text

TEMPLATES = Path(__file__).with_name("templates")
FORMATS = {"text": "txt", "md": "md", "html": "html"}


@functools.cache
def environment(autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_result(result: dict[str, object], lang: str = "zh", fmt: str = "text",
                  case: dict[str, object] | None = None) -> str:
    template = environment(fmt == "html").get_template(f"result.{FORMATS[fmt]}.j2")
    return template.render(view=result_view(result, lang, case or {}), w=WORDS[lang], lang=lang)


def result_view(result: dict[str, object], lang: str, case: dict[str, object]) -> dict[str, object]:
    """Plain data for the templates: every citation and party already in words."""
    titles = result.get("instruments", {})
    words = WORDS[lang]

    def cites(cs: object) -> list[str]:
        return [cite_text(c, lang, titles) for c in cs]  # type: ignore[arg-type, attr-defined]

    def party(p: object) -> str:
        return words.get(str(p), str(p)) if p is not None else words["none"]

    items = []
    for item in result["items"]:  # type: ignore[attr-defined]
        items.append({
            "id": item["id"], "label": item["label"][lang], "payable": item["payable"],
            "amount": item["amount"], "amount_if_payable": item.get("amount_if_payable"),
            "period": words[item["period"]], "payer": party(item["payer"]),
            "advance_payer": party(item["advance_payer"]) if item["advance_payer"] else None,
            "recover_from": party(item["recover_from"]) if item["recover_from"] else None,
            "parts": [{"amount": p["amount"], "payer": party(p["payer"]), "basis": cites(p["basis"])} for p in item["parts"]],
            "basis": cites(item["basis"]), "missing": item["missing"],
        })
    return {
        "case_id": case.get("id"), "regime": result["regime"], "date": result["date"] or "?",
        "items": items,
        "assumed": [{"fact": a["fact"], "value": a["value"], "reason": a["reason"], "basis": cites(a["basis"])}
                    for a in result["assumed"]],  # type: ignore[attr-defined]
        "diagnostics": [{"severity": d["severity"], "message": d["message"], "basis": cites(d.get("citations", []))}
                        for d in result["diagnostics"]],  # type: ignore[attr-defined]
        "missing_facts": result["missing_facts"],
    }
