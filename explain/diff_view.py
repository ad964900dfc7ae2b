"""Diff JSON → text, Markdown or a self-contained HTML page (with a small inline SVG chart of gains and losses)."""

from __future__ import annotations

import json

from explain.i18n import WORDS, cite_text
from explain.render import FORMATS, environment

DIFF_WORDS = {
    "zh": {"title": "规则比较", "rules": "规则变化", "outcomes": "案件结果变化", "added": "新增", "removed": "删除",
           "changed": "修改", "items": "涉及待遇", "old": "原", "new": "新", "because": "原因（取值不同的规则）",
           "summary": "汇总", "cases": "案件数", "gain": "获益", "lose": "受损", "mixed": "有增有减",
           "payer_changed": "支付方变化", "to_undetermined": "金额变为尚不能确定",
           "undetermined_payer": "尚不能确定的支付方", "totals": "按支付方合计（已确定的应付金额）", "no_changes": "无变化",
           "case": "案件", "item": "待遇"},
    "en": {"title": "Regime comparison", "rules": "Rule changes", "outcomes": "Changed outcomes", "added": "added",
           "removed": "removed", "changed": "changed", "items": "items", "old": "old", "new": "new",
           "because": "because (rules whose values differ)", "summary": "Summary", "cases": "cases",
           "gain": "gain", "lose": "lose", "mixed": "gain on some items, lose on others",
           "payer_changed": "payer changed",
           "to_undetermined": "amount became undetermined", "undetermined_payer": "undetermined payer", "totals": "Totals by payer (determined payable amounts)",
           "no_changes": "no changes", "case": "case", "item": "item"},
}


def render_diff(data: dict[str, object], lang: str = "zh", fmt: str = "text") -> str:
    template = environment(fmt == "html").get_template(f"diff.{FORMATS[fmt]}.j2")
    words = {**WORDS[lang], **DIFF_WORDS[lang]}
    text = template.render(view=diff_view(data, lang), w=words, lang=lang)
    return text if text.endswith("\n") else text + "\n"


def diff_view(data: dict[str, object], lang: str) -> dict[str, object]:
    titles = data.get("instruments", {})

    def cites(cs: object) -> list[str]:
        return [cite_text(c, lang, titles) for c in cs]  # type: ignore[arg-type, attr-defined]

    def show(o: dict[str, object]) -> str:
        if not o:
            return "—"
        payable = {True: "✓", False: "✗", None: "?"}[o.get("payable")]  # type: ignore[index]
        parts = [payable]
        if o.get("amount") is not None:
            parts.append(str(o["amount"]))
        if o.get("payer"):
            parts.append(str(o["payer"]))
        if o.get("advance_payer"):
            parts.append(f"→ {o['advance_payer']}")
        return " ".join(parts)

    groups: dict[str, list[dict[str, object]]] = {}
    for r in data["rules"]:  # type: ignore[attr-defined]
        entry = {"kind": r["kind"], "id": r["id"], "old": r["old"], "new": r["new"],
                 "cites_old": cites(r["citations_old"]), "cites_new": cites(r["citations_new"])}
        for item in r["items"] or ["—"]:
            groups.setdefault(item, []).append(entry)
    outcomes = [{"case": o["case"], "item": o["item"], "old": show(o["old"]), "new": show(o["new"]),
                 "because": [{"id": b["id"], "old": _value(b["old"]), "new": _value(b["new"]), "cites": cites(b["citations"])}
                             for b in o["because"]]}
                for o in data["outcomes"]]  # type: ignore[attr-defined]
    summary = data.get("summary")
    chart = None
    if summary:
        total = max(1, int(summary["cases"]))  # type: ignore[index, call-overload]
        bars = [("gain", int(summary["gain"]), "#2e7d32"), ("lose", int(summary["lose"]), "#c62828"),  # type: ignore[index]
                ("mixed", int(summary["mixed"]), "#f9a825"), ("payer_changed", int(summary["payer_changed"]), "#1565c0")]  # type: ignore[index]
        chart = [{"key": k, "count": n, "width": round(300 * n / total), "color": c, "y": 10 + 28 * i}
                 for i, (k, n, c) in enumerate(bars)]
    return {"a": data["a"], "b": data["b"], "groups": sorted(groups.items()), "outcomes": outcomes,
            "summary": summary, "chart": chart}


def _value(v: object) -> str:
    if v is None:
        return "?"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v).lower() if isinstance(v, bool) else str(v)
