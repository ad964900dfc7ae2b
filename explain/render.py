"""Result JSON → a human-readable report or the explanation of one item, through the templates in explain/templates/.

Renders from the result JSON alone (no access to the engine), so that any
stored result can be shown again. The jinja environment is strict: an
undefined name is an error, and HTML output is autoescaped (case text included).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import functools
from pathlib import Path

import jinja2
import markupsafe

from explain.articles import excerpt_of
from explain.i18n import WORDS, cite_text
from explain.values import money, money_or_none, open_party, party, show_value, undetermined_by
from explain.why import _range, explain_all, explain_item, fact_labels, header, message_in, reason_in

TEMPLATES = Path(__file__).with_name("templates")
FORMATS = {"text": "txt", "md": "md", "html": "html"}


class _SignedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in lawtrace's cache, signed like compiled programs (engine/build/cache.py): a
    template is compiled once, not at every run, and no bytecode is loaded that this user's lawtrace did not write."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from engine.build import cache

        data = cache.load_bytes(*self._place(bucket))
        if data is not None:
            bucket.bytecode_from_string(bytes(data))  # checks jinja's magic and the template's checksum too

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from engine.build import cache

        cache.store_bytes(*self._place(bucket), bucket.bytecode_to_string())

    @staticmethod
    def _place(bucket: jinja2.bccache.Bucket) -> tuple[str, str]:
        import hashlib
        import sys

        key = f"{bucket.key}\0{bucket.checksum}\0{jinja2.__version__}\0{sys.version}"
        return f"template-{bucket.key[:16]}", hashlib.sha256(key.encode()).hexdigest()


@functools.cache
def environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=_SignedBytecode(),
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    env.filters["dsl"] = dsl_html
    return env


def dsl_html(source: object) -> markupsafe.Markup:
    """Statute-language source (a rule's formula) as HTML, highlighted by the lexer of `dsl.highlight` where Pygments
    is installed (extra `highlight`), else escaped plain text. Token classes carry the prefix `lt-` (see _style.css)."""
    text = str(source)
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter

        from dsl.highlight import LawtraceLexer
    except ImportError:
        return markupsafe.Markup('<code class="dsl">{}</code>').format(text)
    body = highlight(text, LawtraceLexer(), HtmlFormatter(nowrap=True, classprefix="lt-")).rstrip("\n")
    return markupsafe.Markup('<code class="dsl">') + markupsafe.Markup(body) + markupsafe.Markup("</code>")


_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]#|~"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?(?:~[A-Z0-9]+)?")


def markdown_escape(text: object) -> str:
    """Text from a case or a statute, safe inside Markdown (and inside a table cell): no markup, no HTML."""
    return " ".join(str(text).splitlines()).translate(_MARKDOWN_SPECIAL)


def render_result(result: dict[str, object], lang: str = "zh", fmt: str = "text",
                  case: dict[str, object] | None = None, detail: bool = False) -> str:
    """The whole case: every item; in Markdown and HTML with the reasoning for each item and the articles quoted."""
    template = environment(fmt == "html").get_template(f"result.{FORMATS[fmt]}.j2")
    view = result_view(result, lang, case or {}, detail)
    if fmt != "text":
        view["head"] = header(result, lang, case)
        view["explanations"] = explain_all(result, lang, detail)
        view["articles"] = articles_view(result, lang)
    return template.render(view=view, w=WORDS[lang], lang=lang)


def render_explanation(result: dict[str, object], item_id: str, lang: str = "zh", fmt: str = "text",
                       case: dict[str, object] | None = None, detail: bool = False) -> str:
    """Why (or why not) one item is payable, article by article."""
    template = environment(fmt == "html").get_template(f"explain.{FORMATS[fmt]}.j2")
    return template.render(e=explain_item(result, item_id, lang, detail), head=header(result, lang, case),
                           w=WORDS[lang], lang=lang)


def render_summary(result: dict[str, object], lang: str = "zh") -> str:
    """A short summary: one line per item (its answer, amount and payer), then the facts still missing."""
    view = result_view(result, lang, {})
    w = WORDS[lang]
    head = header(result, lang, None)
    lines = [f"{w['summary']} — {w['regime']}: {head['regime']}    {head['date_label']}: {head['date']}"]
    for item in view["items"]:  # type: ignore[union-attr]
        if item["payable"] is True:
            amount = item["range"]["text"] if item["range"] else item["amount_text"]
            lines.append(f"■ {item['label']} — {w['payable']}: {amount} ({item['period']}), {w['payer']}: {item['payer']}")
        elif item["payable"] is False:
            lines.append(f"□ {item['label']} — {w['not_payable']}")
        else:
            lines.append(f"? {item['label']} — {w['undetermined']}")
    if view["missing_facts"]:
        lines.append(f"{w['missing_facts']}: {w['list_sep'].join(view['missing_facts'])}")  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def render_questions(data: dict[str, object], lang: str = "zh") -> str:
    """`lawtrace ask --next` as text: the facts worth asking, ranked, each with the items it decides."""
    titles = data.get("instruments", {})
    items = data.get("items", {})

    def item_label(i: str) -> str:
        return str(items.get(i, {}).get(lang, i))  # type: ignore[union-attr]

    questions = [{
        "fact": q["fact"], "label": q["label"][lang], "decides": [item_label(i) for i in q["decides"]],
        "others": [item_label(i) for i in q["needed_for"] if i not in q["decides"]],
        "at_stake": q["at_stake"], "cites": [cite_text(c, lang, titles) for c in q.get("citations", [])],  # type: ignore[arg-type]
        "presumed": show_value(q["presumed"], str(q["type"]), lang) if "presumed" in q else None,
    } for q in data["questions"]]  # type: ignore[union-attr]
    return environment(False).get_template("questions.txt.j2").render(questions=questions, w=WORDS[lang], lang=lang)


def articles_view(result: dict[str, object], lang: str) -> list[dict[str, object]]:
    """Every article the result cites, whole, with its status said in words."""
    titles = result.get("instruments", {})
    words = WORDS[lang]
    out = []
    for a in result.get("trace", {}).get("articles", []):  # type: ignore[union-attr]
        cite = cite_text({"instrument": a["instrument"], "version": a["version"], "article": a["article"]}, lang, titles)  # type: ignore[arg-type]
        status = a["status"]
        text = excerpt_of(a["text"], None, None) if a.get("text") and status != "unavailable" else None
        marker = words["gist_marker"] if status == "gist" else words["text_unavailable"] if text is None else None
        gloss = a.get("gloss") if lang == "en" and status == "verbatim" else None
        out.append({"cite": cite, "status": status, "text": text, "marker": marker, "gloss": gloss})
    return out


def named_in_words(result: dict[str, object], lang: str) -> Callable[[str], str]:
    """A message with the rules it names by their internal names given their labels instead (E6)."""
    trace = result.get("trace") if isinstance(result.get("trace"), dict) else {}
    labels: dict[str, object] = {}
    for n in trace.get("nodes", []):  # type: ignore[union-attr]
        labels.setdefault(str(n["id"]).split("@")[0], n.get("label"))
    labels.update(trace.get("labels", {}))  # type: ignore[union-attr]
    for i in result.get("items", []):  # type: ignore[union-attr]
        labels[str(i["id"])] = i["label"]
    words = WORDS[lang]

    def label(name: str) -> str | None:
        x = labels.get(name)
        return str(x[lang]) if isinstance(x, dict) and x.get(lang) else None

    def one(m: re.Match[str]) -> str:
        token = m.group(0)
        base, _, code = token.partition("~")
        head, _, field = base.partition(".")
        text = label(base) or label(head)
        if text is None:
            return token
        if field and not label(base):
            text += "·" + words.get(f"field_{field}", field)
        return f"「{text}」" + (f"({words['as_written_by'].format(code=code)})" if code else "")

    return lambda message: _IDENT.sub(one, message)


def result_view(result: dict[str, object], lang: str, case: dict[str, object], detail: bool = False) -> dict[str, object]:
    """Plain data for the templates: every citation and party already in words."""
    titles = result.get("instruments", {})
    words = WORDS[lang]
    plain = (lambda m: m) if detail else named_in_words(result, lang)

    def cites(cs: object) -> list[str]:
        return [cite_text(c, lang, titles) for c in cs]  # type: ignore[arg-type, attr-defined]

    labels = fact_labels(result, lang)
    types = {n["id"]: n for n in result.get("trace", {}).get("nodes", [])} if isinstance(result.get("trace"), dict) else {}

    def named(ids: object) -> list[str]:
        return [labels.get(str(f), str(f)) for f in ids]  # type: ignore[attr-defined]

    items = []
    for item in result["items"]:  # type: ignore[attr-defined]
        deciding = named(item["missing"])
        open_ = set(item["undetermined"])
        items.append({
            "id": item["id"], "label": item["label"][lang], "payable": item["payable"],
            "amount": money_or_none(item["amount"]), "amount_if_payable": money_or_none(item.get("amount_if_payable")),
            "amount_text": (f"{money(item['amount'])} {words['yuan']}" if item["amount"] is not None
                            else words["amount_open_by"].format(facts=words["list_sep"].join(deciding)) if deciding
                            else words["amount_open"]),
            "period": words[item["period"]], "payer": open_party(item["payer"], "payer", item, lang, deciding),
            "advance_payer": (words["undetermined"] if "advance_payer" in open_
                              else party(item["advance_payer"], lang) if item["advance_payer"] else None),
            "recover_from": (words["undetermined"] if "recover_from" in open_
                             else party(item["recover_from"], lang) if item["recover_from"] else None),
            "parts": [{"amount": money_or_none(p["amount"]), "payer": party(p["payer"], lang), "basis": cites(p["basis"])}
                      for p in item["parts"]],
            "basis": cites(item["basis"]), "missing": deciding,
            "range": _range(item, lang),
        })
    return {
        "case_id": case.get("id"), "regime": result["regime"], "date": result["date"] or "?",
        "items": items,
        "assumed": [{"fact": labels.get(a["fact"], a["fact"]), "id": a["fact"],
                     "value": show_value(a["value"], str(types.get(a["fact"], {}).get("type", "")), lang,
                                         labels=types.get(a["fact"], {}).get("members")),
                     "reason": reason_in(a, lang), "basis": cites(a["basis"])}
                    for a in result["assumed"]],  # type: ignore[attr-defined]
        "diagnostics": [{"severity": words[f"severity_{d['severity']}"], "message": plain(message_in(d, lang)),
                         "basis": cites(d.get("citations", []))}
                        for d in result["diagnostics"]],  # type: ignore[attr-defined]
        "missing_facts": named(result["missing_facts"]),
        "date_label": words["date_employer" if result.get("kind") == "employer" else "date"],
        "as_of": result.get("as_of"),
        "deadlines": [deadline_view(d, lang, titles, labels) for d in result.get("deadlines", [])],  # type: ignore[union-attr]
        "receipt": result.get("receipt"),
    }


def deadline_view(d: dict[str, object], lang: str, titles: object,
                  labels: dict[str, str] | None = None) -> dict[str, object]:
    """A time limit in words: its last day, where it stands on the evaluation date, and what follows if missed."""
    words = WORDS[lang]
    c = d.get("consequence") or None
    return {
        "label": d["label"][lang], "status": words[f"status_{d['status']}"], "status_code": d["status"],  # type: ignore[index]
        "due": d.get("due"), "latest": d.get("latest") if d.get("latest") != d.get("due") else None,
        "done_on": d.get("done_on"),
        "consequence": c[lang] if c and c.get("applies") is not False else None,  # type: ignore[union-attr]
        "basis": [cite_text(x, lang, titles) for x in d.get("basis", [])],  # type: ignore[arg-type, attr-defined]
        "missing": [(labels or {}).get(str(f), str(f)) for f in d.get("missing", [])],  # type: ignore[union-attr]
    }
