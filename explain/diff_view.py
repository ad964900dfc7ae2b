"""Diff JSON → text, Markdown or a self-contained HTML page (with a small inline SVG chart of gains and losses).

Each changed rule is said once, in the reader's language, with its article and the items it bears on
("一次性伤残补助金的月数（7）由13改为15（《工伤保险条例》第三十七条第一款第（一）项）"); the rule's expression as written
in the DSL appears only with `detail` (and always in the JSON). An outcome reads "由「…」改为「…」" / "from … to …";
who advances and recovers is said in words, never with the arrow of old → new.
"""

from __future__ import annotations

import json

from explain.i18n import WORDS, cite_text
from explain.render import FORMATS, environment
from explain.values import money, party

DIFF_WORDS = {
    "zh": {"title": "规则比较", "rules": "规则变化", "outcomes": "案件结果变化", "added": "新增", "removed": "删除",
           "changed": "修改", "items": "涉及待遇", "old": "原", "new": "新", "because": "原因（取值不同的规则）",
           "summary": "汇总", "cases": "案件数", "gain": "获益", "lose": "受损", "mixed": "有增有减",
           "payer_changed": "支付方变化", "to_undetermined": "金额变为尚不能确定",
           "undetermined_payer": "尚不能确定的支付方", "totals": "按支付方合计（已确定的应付金额）", "no_changes": "无变化",
           "case": "案件", "item": "待遇", "detail": "规则原文（DSL）", "all_items": "不涉及具体待遇",
           "from_to": "由「{old}」改为「{new}」", "entry_changed": "{key}由{old}改为{new}", "entries_of": "{label}：{entries}", "entry_sep": "，",
           "value_changed": "{label}由{old}改为{new}", "entry_added": "{key}新增为{new}",
           "entry_removed": "{key}删除（原为{old}）", "since": "自{date}起，",
           "rule_changed": "{label}的规则已修改", "rule_added": "{label}", "rule_removed": "{label}",
           "version_added": "{label}新增自{date}起施行的规定：{new}", "version_removed": "{label}删除自{date}起施行的规定（原为{old}）",
           "advance_words": "，{adv}先行支付", "recover_words": "并向{rec}追偿"},
    "en": {"title": "Regime comparison", "rules": "Rule changes", "outcomes": "Changed outcomes", "added": "added",
           "removed": "removed", "changed": "changed", "items": "items", "old": "old", "new": "new",
           "because": "because (rules whose values differ)", "summary": "Summary", "cases": "cases",
           "gain": "gain", "lose": "lose", "mixed": "gain on some items, lose on others",
           "payer_changed": "payer changed",
           "to_undetermined": "amount became undetermined", "undetermined_payer": "undetermined payer", "totals": "Totals by payer (determined payable amounts)",
           "no_changes": "no changes", "case": "case", "item": "item", "detail": "the rule as written (DSL)",
           "all_items": "no particular item",
           "from_to": "from \"{old}\" to \"{new}\"", "entry_changed": "{key} from {old} to {new}", "entries_of": "{label}: {entries}", "entry_sep": ", ",
           "value_changed": "{label} changed from {old} to {new}", "entry_added": "{key} added: {new}",
           "entry_removed": "{key} removed (was {old})", "since": "from {date}: ",
           "rule_changed": "the rule for {label} changed", "rule_added": "{label}",
           "rule_removed": "{label}", "version_added": "{label}: a version in force from {date} added: {new}",
           "version_removed": "{label}: the version in force from {date} removed (was {old})",
           "advance_words": ", advanced by {adv}", "recover_words": " and recovered from {rec}"},
}


def render_diff(data: dict[str, object], lang: str = "zh", fmt: str = "text", detail: bool = False) -> str:
    template = environment(fmt == "html").get_template(f"diff.{FORMATS[fmt]}.j2")
    words = {**WORDS[lang], **DIFF_WORDS[lang]}
    text = template.render(view=diff_view(data, lang, detail), w=words, lang=lang)
    return text if text.endswith("\n") else text + "\n"


def diff_view(data: dict[str, object], lang: str, detail: bool = False) -> dict[str, object]:
    titles = data.get("instruments", {})
    w = {**WORDS[lang], **DIFF_WORDS[lang]}
    items = data.get("items") or {}

    def cites(cs: object) -> list[str]:
        return [cite_text(c, lang, titles) for c in cs]  # type: ignore[arg-type, attr-defined]

    def item_label(i: str) -> str:
        return str((items.get(i) or {}).get(lang) or i)  # type: ignore[union-attr]

    labels = {str(r["id"]): _label(r, lang) for r in data["rules"]}  # type: ignore[attr-defined, index]
    rules = []
    for r in data["rules"]:  # type: ignore[attr-defined]
        rules.append({
            "kind": r["kind"], "id": r["id"], "text": describe(r, lang),
            "cites": cites(r["citations_new"] or r["citations_old"]),
            "items": [item_label(i) for i in r["items"]],
            "old": r["old"] if detail else None, "new": r["new"] if detail else None,
        })

    def show(o: dict[str, object]) -> str:
        if not o:
            return w["not_payable"]
        if o.get("payable") is False:
            return w["not_payable"]
        if o.get("payable") is None:
            return w["undetermined"]
        amount = f"{money(o['amount'])} {w['yuan']}" if o.get("amount") is not None else w["amount_open"]
        payer = party(o["payer"], lang) if o.get("payer") is not None else w["undetermined"]
        text = f"{w['payable']} {amount}，{w['payer']}：{payer}" if lang == "zh" else f"{w['payable']} {amount}, {w['payer']} {payer}"
        if o.get("advance_payer"):
            text += w["advance_words"].format(adv=party(o["advance_payer"], lang))
            if o.get("recover_from"):
                text += w["recover_words"].format(rec=party(o["recover_from"], lang))
        return text

    outcomes = [{"case": o["case"], "item": item_label(str(o["item"])), "old": show(o["old"]), "new": show(o["new"]),
                 "change": w["from_to"].format(old=show(o["old"]), new=show(o["new"])),
                 "because": [{"id": b["id"], "label": labels.get(str(b["id"])) or _node_label(data, str(b["id"]), lang),
                              "change": w["from_to"].format(old=_value(b["old"], lang), new=_value(b["new"], lang)),
                              "cites": cites(b["citations"])}
                             for b in o["because"]]}
                for o in data["outcomes"]]  # type: ignore[attr-defined]
    summary = data.get("summary")
    chart = None
    totals = None
    if summary:
        total = max(1, int(summary["cases"]))  # type: ignore[index, call-overload]
        bars = [("gain", int(summary["gain"]), "#2e7d32"), ("lose", int(summary["lose"]), "#c62828"),  # type: ignore[index]
                ("mixed", int(summary["mixed"]), "#f9a825"), ("payer_changed", int(summary["payer_changed"]), "#1565c0")]  # type: ignore[index]
        chart = [{"key": k, "count": n, "width": round(300 * n / total), "color": c, "y": 10 + 28 * i}
                 for i, (k, n, c) in enumerate(bars)]
        totals = {side: [{"period": w[period], "payer": party(p, lang) if p != "undetermined" else w["undetermined"],
                          "amount": money(amount)}
                         for period, payers in summary["totals"][side].items() for p, amount in payers.items()]  # type: ignore[index]
                  for side in ("old", "new")}
    regimes = data.get("regimes") or {}
    return {"a": data["a"], "b": data["b"], "a_label": _regime(regimes, str(data["a"]), lang),
            "b_label": _regime(regimes, str(data["b"]), lang), "rules": rules, "outcomes": outcomes,
            "summary": summary, "chart": chart, "totals": totals, "detail": detail}


def describe(rule: dict[str, object], lang: str) -> str:
    """One changed rule in words: what it is, and what changed (values of a parameter, else that its rule changed)."""
    w = DIFF_WORDS[lang]
    label = _label(rule, lang)
    if rule["kind"] == "added":
        return w["rule_added"].format(label=label)
    if rule["kind"] == "removed":
        return w["rule_removed"].format(label=label)
    entries = rule.get("entries") or []
    if not entries:
        return w["rule_changed"].format(label=label)
    sep = "；" if lang == "zh" else "; "
    parts = []
    dated = len({x.get("from") for x in entries}) > 1  # type: ignore[attr-defined]
    table: dict[object, list[str]] = {}  # a table's entries, by the version they belong to
    for e in entries:  # type: ignore[attr-defined]
        if e["key"] is None:
            continue
        key = w["entry_changed" if e["old"] is not None and e["new"] is not None
                else "entry_added" if e["old"] is None else "entry_removed"]
        table.setdefault(e.get("from"), []).append(key.format(key=e["key"], old=e["old"], new=e["new"]))
    for start, said in table.items():
        since = w["since"].format(date=start) if start and dated else ""
        parts.append(since + w["entries_of"].format(label=label, entries=w["entry_sep"].join(said)))
    for e in entries:  # type: ignore[attr-defined]
        since = w["since"].format(date=e["from"]) if e.get("from") and dated else ""
        if e["key"] is not None:
            continue
        if e["key"] is None and e["old"] is None:
            parts.append(w["version_added"].format(label=label, date=e["from"], new=e["new"]))
        elif e["key"] is None and e["new"] is None:
            parts.append(w["version_removed"].format(label=label, date=e["from"], old=e["old"]))
        else:
            parts.append(since + w["value_changed"].format(label=label, old=e["old"], new=e["new"]))
    return sep.join(parts)


def _label(rule: dict[str, object], lang: str) -> str:
    words = rule.get("label") or {}
    label = str(words.get(lang) or words.get("zh" if lang == "en" else "en") or rule["id"])  # type: ignore[union-attr]
    field = str(rule["id"]).split(".")[-1] if "." in str(rule["id"]) else None
    if field and f"field_{field}" in WORDS[lang]:  # an item's field: the item's words and the field's
        return f"{label}：{WORDS[lang]['field_' + field]}" if lang == "zh" else f"{label}: {WORDS[lang]['field_' + field]}"
    return label


def _node_label(data: dict[str, object], node_id: str, lang: str) -> str:
    words = (data.get("labels") or {}).get(node_id)  # type: ignore[union-attr]
    if isinstance(words, dict) and words.get(lang):
        return str(words[lang])
    item, _, field = node_id.partition(".")
    items = data.get("items") or {}
    if item in items and field:  # type: ignore[operator]
        return f"{items[item][lang]}：{WORDS[lang].get('field_' + field, field)}" if lang == "zh" else \
            f"{items[item][lang]}: {WORDS[lang].get('field_' + field, field)}"  # type: ignore[index]
    return node_id


def _regime(regimes: object, side: str, lang: str) -> str:
    words = (regimes or {}).get(side) if isinstance(regimes, dict) else None
    name, _, when = side.partition("@")
    label = str(words.get(lang) or name) if isinstance(words, dict) else name
    return f"{label}（{when}）" if when and lang == "zh" else f"{label} ({when})" if when else label


def _value(v: object, lang: str) -> str:
    if v is None:
        return WORDS[lang]["undetermined"]
    if isinstance(v, bool):
        return WORDS[lang]["yes" if v else "no"]
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return party(v, lang) if str(v) in ("fund", "employer", "third_party", "state", "none") else str(v)
