"""Why (or why not) an item is payable, rebuilt from the result JSON alone, as plain data for the templates.

Guarantees: every step of an explanation is a node of the trace, in the order
of the reasoning (what a rule reads before the rule), with its value in words,
where it comes from (given, presumed, a rule, the version in force), the
parts of its formula with their values, its citations, and the words of each
article the first time it decides; a condition that failed is named with the
article that sets it and what would have had to hold instead; an open item
names the conditions still open and the facts that would decide them. Nothing
here knows a fact or item by name: all of it follows the trace.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from dsl.errors import LawtraceError
from explain.articles import article_index, quote
from explain.i18n import WORDS, cite_text
from explain.values import _table_value_type, money, money_or_none, open_party, party, show_value

FIELDS = ("payable", "amount", "amount_min", "amount_max", "payer", "advance_payer", "recover_from")
MARKS = {True: "✓", False: "✗", None: "?"}
NOT_EVALUATED = "–"
Json = dict[str, Any]
_QUOTED = re.compile(r'("(?:[^"\\]|\\.)*")')
_BILINGUAL = re.compile(r'("(?:[^"\\]|\\.)*") en ("(?:[^"\\]|\\.)*")')  # a statute text: "中文" en "English"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?(?:~[A-Z0-9]+)?")


def item_ids(result: Json) -> list[str]:
    return [str(i["id"]) for i in result.get("items", [])]


def explain_item(result: Json, item_id: str, lang: str, detail: bool = False) -> Json:
    """The explanation of one item, every word in `lang`; `detail` adds the rules' names and formulas (DSL text)."""
    return _Explainer(result, lang, detail).item(item_id)


def explain_all(result: Json, lang: str, detail: bool = False) -> list[Json]:
    explainer = _Explainer(result, lang, detail)
    return [explainer.item(i) for i in item_ids(result)]


def header(result: Json, lang: str, case: Json | None) -> Json:
    """The case (given, or kept in the result as `case`), the regime and the date, in words."""
    case = case or result.get("case") or {}
    label = result.get("regime_label") or {}
    regime = str(result.get("regime"))
    return {
        "case_id": _text_or_none(case.get("id")), "case_name": _text_or_none(case.get("name")),
        "case_notes": _text_or_none(case.get("notes")),
        "regime": f"{label[lang]} ({regime})" if isinstance(label, dict) and label.get(lang, regime) != regime else regime,
        "date": result.get("date") or WORDS[lang]["unknown"],
        "date_label": WORDS[lang]["date_employer" if result.get("kind") == "employer" else "date"],
        "as_of": result.get("as_of"),
    }


def _range(item: Json, lang: str) -> Json | None:
    """An item the law gives only as a range: its bounds and who sets the figure, in words (None otherwise)."""
    bounds, by = item.get("amount_range"), item.get("amount_set_by")
    if not bounds or not by:
        return None
    unknown = WORDS[lang]["unknown"]
    low = money(bounds["min"]) if bounds.get("min") is not None else unknown
    high = money(bounds["max"]) if bounds.get("max") is not None else unknown
    return {"min": low, "max": high, "who": by[lang], "text": WORDS[lang]["range_text"].format(min=low, max=high)}


def _text_or_none(x: object) -> str | None:
    return None if x is None else str(x)


class _Explainer:
    def __init__(self, result: Json, lang: str, detail: bool = False):
        trace = result.get("trace")
        if not isinstance(trace, dict) or "nodes" not in trace or "items" not in trace:
            raise LawtraceError("the result has no trace (or one written before lawtrace.trace/1 listed its items): "
                                "evaluate the case again with the trace")
        self.result = result
        self.lang = lang
        self.detail = detail
        self.w = WORDS[lang]
        self.titles = result.get("instruments", {})
        self.nodes: dict[str, Json] = {n["id"]: n for n in trace["nodes"]}
        self.unread: dict[str, Json] = trace.get("labels", {})
        self.meta: dict[str, Json] = {i["id"]: i for i in trace["items"]}
        self.articles = article_index(result)
        self.roles: dict[str, tuple[str, str]] = {}
        for m in trace["items"]:
            for f, node_id in m["fields"].items():
                self.roles[node_id] = (m["id"], self.w[f"field_{f}"])
            for p in m["parts"]:
                self.roles[p["amount"]] = (m["id"], self.w["field_part_amount"].format(name=p["name"]))
                self.roles[p["payer"]] = (m["id"], self.w["field_part_payer"].format(name=p["name"]))

    # ------------------------------------------------------------ one item

    def item(self, item_id: str) -> Json:
        item = next((i for i in self.result["items"] if i["id"] == item_id), None)
        if item is None:
            raise LawtraceError(f"no item '{item_id}' in this result")
        self.quoted: set[str] = set()
        self.glossed: set[tuple[object, ...]] = set()
        meta = self.meta[item_id]
        roots = [meta["fields"][f] for f in FIELDS if f in meta["fields"]]
        roots += [x for p in meta["parts"] for x in (p["amount"], p["payer"])]
        payable_id = meta["fields"].get("payable")
        if item["payable"] is False and payable_id:
            roots = [payable_id]
        chain = self._chain(roots)
        self.lookups = {x["table"]: x for n in chain for x in self.nodes[n].get("lookups", [])}
        status = {True: "payable", False: "not_payable", None: "undetermined"}[item["payable"]]
        deciding = [self._fact(f)["label"] for f in item["missing"]]
        open_ = set(item["undetermined"])
        view: Json = {
            "id": item_id, "label": item["label"][self.lang], "status": status, "detail": self.detail,
            "amount": item["amount"], "amount_if_payable": item.get("amount_if_payable"),
            "amount_shown": money_or_none(item["amount"]),
            "amount_if_payable_shown": money_or_none(item.get("amount_if_payable")),
            "amount_text": self._amount_text(item, deciding),
            "period": self.w[item["period"]], "payer": open_party(item["payer"], "payer", item, self.lang, deciding),
            "advance_payer": (self.w["undetermined"] if "advance_payer" in open_
                              else party(item["advance_payer"], self.lang) if item["advance_payer"] else None),
            "recover_from": (self.w["undetermined"] if "recover_from" in open_
                             else party(item["recover_from"], self.lang) if item["recover_from"] else None),
            "parts": [{"name": p["name"], "amount": p["amount"], "amount_shown": money_or_none(p["amount"]),
                       "payer": self._party(p["payer"]),
                       "basis": self._cites(p["basis"])} for p in item["parts"]],
            "basis": self._cites(item["basis"]),
            "undetermined": [self.w[f"field_{f}"] for f in item["undetermined"] if f"field_{f}" in self.w],
            "range": _range(item, self.lang),
            "why_not": [], "open": [], "deciding": [],
            "assumed": self._assumed(chain),
        }
        if item["payable"] is False and payable_id in self.nodes:
            view["why_not"] = self._failures(self._root_term(self.nodes[payable_id]), self.nodes[payable_id], 0)
        if item["undetermined"]:
            for f in item["undetermined"]:
                node = self.nodes.get(meta["fields"].get(f, ""))
                if node is not None:
                    view["open"] += self._open(self._root_term(node), node, 0, self.w[f"field_{f}"])
            view["deciding"] = [self._fact(f) for f in item["missing"]]
        view["periods"] = [self._period(p) for p in item.get("periods") or []]  # quoted first: why a stream stops
        view["steps"] = [self._step(n, node_id) for n, node_id in enumerate(chain, start=1)]
        return view

    def _amount_text(self, item: Json, deciding: list[str]) -> str:
        if item["amount"] is not None:
            return f"{money(item['amount'])} {self.w['yuan']}"
        if not deciding:
            return self.w["amount_open"]
        return self.w["amount_open_by"].format(facts=self.w["list_sep"].join(deciding))

    def _period(self, p: Json) -> Json:
        """One period of a stream in words: its days, its monthly amount, and the events (articles quoted) at its ends."""
        def edge(e: Json | None) -> Json | None:
            if e is None:
                return None
            label = e["label"][self.lang] if e.get("label") else self.w["event_accident"]
            return {"label": label, "cites": self._cites(e["basis"]), "quotes": self._quotes(e["basis"])}
        end = p["to"] or (self.w["period_open"] if p.get("missing") else self.w["period_running"])
        return {
            "line": self.w["period_line"].format(start=p["from"] or self.w["period_open"], end=end,
                                                 amount=p["monthly_amount"] or self.w["unknown"],
                                                 payer=self._party(p["payer"]) if p["payer"] else self.w["unknown"]),
            "starts": edge(p.get("starts")), "ends": edge(p.get("ends")),
            "undetermined": p.get("payable", True) is None,
            "deciding": [self._fact(f) for f in p.get("missing") or []],
        }

    def _chain(self, roots: list[str]) -> list[str]:
        """The nodes the answer went through, each after the nodes it read."""
        seen: set[str] = set()
        out: list[str] = []

        def visit(node_id: str) -> None:
            if node_id in seen or node_id not in self.nodes:
                return
            seen.add(node_id)
            for i in self.nodes[node_id]["inputs"]:
                visit(i)
            out.append(node_id)

        for r in roots:
            visit(r)
        return out

    # ------------------------------------------------------------ steps

    def _step(self, n: int, node_id: str) -> Json:
        node = self.nodes[node_id]
        role = self.roles.get(node_id)
        is_rule = node["kind"] != "fact" or node.get("assumed")
        step: Json = {
            "n": n, "id": node_id, "kind": node["kind"],
            "label": role[1] if role else self._label(node_id),
            "value": self._value(node), "known": node["known"],
            "origin": self._origin(node),
            "formula": node.get("formula") if self.detail and self._has_rule(node) else None,
            "lines": self._term_lines(node["terms"], 0) if "terms" in node else [],
            "lookups": [self.w["lookup_row"].format(table=self._label(x["table"]), key=x["key"],
                                                    value=self._lookup_value(x))
                        for x in node.get("lookups", [])],
            "cites": self._cites(node["citations"]),
            "quotes": self._quotes(node["citations"]) if is_rule else [],
            "note": node.get("note_zh") or node.get("note") if self.lang == "zh" else node.get("note"),
            "source": node.get("source"),
        }
        return step

    def _lookup_value(self, x: Json) -> str:
        table = self.nodes.get(x["table"]) or next(
            (n for i, n in self.nodes.items() if i.split("@")[0] == x["table"]), None)  # a table read as of a date
        if table is None:
            return str(x["value"])
        return show_value(x["value"], _table_value_type(str(table["type"])), self.lang)

    @staticmethod
    def _has_rule(node: Json) -> bool:
        """A formula worth showing: one that reads something (a bare constant says no more than its value)."""
        if node["kind"] not in ("value", "item_field") and not node.get("assumed"):
            return False
        return bool(node["inputs"] or "terms" in node)

    def _origin(self, node: Json) -> str:
        if node.get("given"):
            return self.w["given"]
        if node.get("assumed"):
            return self.w["presumed"]
        if node["kind"] == "fact":
            return self.w["not_given"]
        if "from" in node:
            return self.w["version_from"].format(date=node["from"])
        return ""

    def _term_lines(self, term: Json, depth: int) -> list[Json]:
        """The parts of a formula, one line each, nested conditions indented."""
        lines: list[Json] = []
        op = term.get("op")
        if op == "call" and f"func_{term.get('func')}" in self.w:
            lines.append({"depth": depth, "mark": "ƒ", "text": self.w[f"func_{term['func']}"]})
        roles = {"if": ("if_cond", "if_then", "if_else"), "otherwise": ("first_known", "else_known")}.get(str(op), ())
        for k, arg in enumerate(term.get("args", [])):
            prefix = self.w[roles[k]] + " " if k < len(roles) else ""
            code, rest = self._describe_parts(arg)
            lines.append({"depth": depth, "mark": self._mark(arg), "text": prefix + self._describe(arg),
                          "prefix": prefix, "code": code, "rest": rest})
            if arg.get("args") and arg.get("evaluated", True):
                lines += self._term_lines(arg, depth + 1)
        return lines

    def _mark(self, term: Json) -> str:
        if term.get("evaluated") is False:
            return NOT_EVALUATED
        if term["type"] == "bool":
            return MARKS[term["value"] if term["known"] else None]
        return "•" if term["known"] else "?"

    def _describe(self, term: Json) -> str:
        """A part of a formula in words: `label: value`, or `expression: value (label = value, ...)`."""
        code, rest = self._describe_parts(term)
        expr = term["expr"]
        if code is None and expr in self.nodes and (self.detail or self.nodes[expr]["kind"] == "fact"):
            return rest.replace(": ", f" ({expr}): ", 1)  # a fact keeps its case-file name; a rule's only with detail
        return (code or "") + rest

    def _describe_parts(self, term: Json) -> tuple[str | None, str]:
        """The expression as written (None where the part is a node, named by its label) and the words after it."""
        refs = [r for r in term.get("refs", []) if r in self.nodes]
        if term.get("evaluated") is False:
            value = self.w["not_evaluated"]
        else:
            members = self.nodes[term["expr"]].get("members") if term["expr"] in self.nodes else None
            value = show_value(term["value"], term["type"], self.lang, term["known"], labels=members)
        if term["expr"] in refs:  # the part is just a node
            label = self._label(term["expr"])
            return (None, f"{label}: {value}") if label != term["expr"] else (term["expr"], f": {value}")
        # the expression as written only with detail; by default in words, every rule named by its label (E6)
        code, rest = (term["expr"], f": {value}") if self.detail else (None, f"{self._words(term['expr'])}: {value}")
        if refs:
            rest += " (" + "; ".join(f"{self._label(r)} = {self._value(self.nodes[r])}" for r in refs) + ")"
        return code, rest

    # ------------------------------------------------------------ why not

    def _root_term(self, node: Json) -> Json:
        """The node's formula as a term: its `terms`, or a leaf reading the node's inputs."""
        if "terms" in node:
            return node["terms"]
        return {"expr": node.get("formula") or node["id"], "type": node["type"], "value": node["value"],
                "known": node["known"], "refs": list(node["inputs"]), "missing": node["missing"]}

    def _failures(self, term: Json, rule: Json, depth: int, want: bool = False) -> list[Json]:
        """Why `term` came out `want`: the conditions that did, down to facts, each with the article that sets it.

        For a condition that failed (want False) each row also says what would have had to hold instead; for one
        that held where it should not have (under a `not`), what would have had not to hold.
        """
        if term.get("value") is not want or term.get("evaluated") is False:
            return []
        op = term.get("op")
        args = term.get("args", [])
        if op in ("and", "or"):
            if (op == "and") == want:  # every part counts: all of an `and` that held, all of an `or` that failed
                head = [] if want else [self._row(depth, "any", term, rule, [], self.w["any_of"], want)]
                return head + [f for a in args for f in self._failures(a, rule, depth + (0 if want else 1), want)]
            return [f for a in args if a.get("value") is want for f in self._failures(a, rule, depth, want)]
        if op == "not":
            return self._failures(args[0], rule, depth, not want)
        refs = [r for r in term.get("refs", []) if r in self.nodes]
        if term["expr"] in refs:
            refs = [term["expr"]]
            node = self.nodes[refs[0]]
            if (node["kind"] != "fact" or node.get("assumed")) and node.get("formula"):
                row = self._row(depth, "node", term, node, [], None, want)
                row["origin"] = self._origin(node) if node["kind"] == "fact" else ""
                return [row] + self._failures(self._root_term(node), node, depth + 1, want)
            needed = self.w["yes"] if not want else self.w["no"]
            return [self._row(depth, "leaf", term, rule, refs,
                              self.w["must_be"].format(what=self._label(refs[0]), value=needed), want)]
        instead = self.w["must_hold" if not want else "must_not_hold"].format(expr=self._words(term["expr"]))
        row = self._row(depth, "leaf", term, rule, refs, instead, want)
        if self.detail:
            row["instead_code"] = (self.w["must_hold" if not want else "must_not_hold"].format(expr="").rstrip(),
                                   term["expr"])
        return [row]

    def _row(self, depth: int, kind: str, term: Json, rule: Json, refs: list[str], instead: str | None,
             value: bool = False) -> Json:
        code, rest = self._describe_parts(term)
        text = self._describe(term)
        citations = list(rule["citations"])
        for r in refs:
            node = self.nodes[r]
            if node["kind"] == "fact":
                citations += [c for c in node["citations"] if c not in citations]
        origin = ""
        if len(refs) == 1 and self.nodes[refs[0]]["kind"] == "fact":
            origin = self._origin(self.nodes[refs[0]])
        return {"depth": depth, "kind": kind, "mark": MARKS[value], "text": text, "origin": origin, "instead": instead,
                "instead_code": None, "code": code, "rest": rest,
                "rule": rule["id"], "cites": self._cites(citations), "quotes": self._quotes(citations)}

    # ------------------------------------------------------------ still open

    def _open(self, term: Json, rule: Json, depth: int, field: str) -> list[Json]:
        """The parts of an undecided field that are still unknown, down to the facts that would decide them."""
        if term.get("known") or term.get("evaluated") is False:
            return []
        code, rest = self._describe_parts(term)
        rows = [{"depth": depth, "field": field if depth == 0 else "", "text": self._describe(term),
                 "code": code, "rest": rest,
                 "missing": [self._fact(m)["label"] for m in term.get("missing", [])],
                 "cites": self._cites(rule["citations"])}]
        if term.get("args"):
            for a in term["args"]:
                rows += self._open(a, rule, depth + 1, field)
            return rows
        for r in term.get("refs", []):
            node = self.nodes.get(r)
            if node is None or node["known"] or term["expr"] == r:  # a leaf for r itself: nothing below it to open
                continue
            leaf = {"expr": r, "type": node["type"], "value": None, "known": False, "refs": [r], "missing": node["missing"]}
            if node["kind"] == "fact" or not node.get("formula"):
                rows += self._open(leaf, node, depth + 1, field)
                continue
            root = self._root_term(node)
            if term["expr"] != r:
                rows += self._open(leaf, node, depth + 1, field)[:1]
            for part in root.get("args") or [root]:
                rows += self._open(part, node, depth + (2 if term["expr"] != r else 1), field)
        return rows

    def _fact(self, fact_id: str) -> Json:
        node = self.nodes.get(fact_id)
        if node is None:
            label = self.w["date"] if fact_id == "date" else fact_id
            return {"id": fact_id, "label": label, "cites": []}
        return {"id": fact_id, "label": self._label(fact_id), "cites": self._cites(node["citations"])}

    # ------------------------------------------------------------ words

    def _assumed(self, chain: list[str]) -> list[Json]:
        facts = {n for n in chain if self.nodes[n].get("assumed")}
        return [{"fact": a["fact"], "label": self._label(a["fact"]),
                 "value": show_value(a["value"], self.nodes[a["fact"]]["type"], self.lang,
                                     labels=self.nodes[a["fact"]].get("members")),
                 "reason": reason_in(a, self.lang), "basis": self._cites(a["basis"])}
                for a in self.result.get("assumed", []) if a["fact"] in facts]

    def _words(self, expr: str) -> str:
        """A formula in the caseworker's words: every rule named by its label, the operators in `lang`.

        With `detail` (or for a developer's trace) the DSL text is shown as written instead.
        """
        if self.detail:
            return expr
        expr = _BILINGUAL.sub(lambda m: m.group(1) if self.lang == "zh" else m.group(2), expr)
        out = []
        for k, chunk in enumerate(_QUOTED.split(expr)):
            if k % 2:  # a quoted reason: shown as it is
                out.append(chunk)
                continue
            out.append(_NAME.sub(self._word, chunk))
        return "".join(out)

    def _word(self, m: re.Match[str]) -> str:
        token = m.group(0)
        base, _, code = token.partition("~")
        if base in self.nodes or token in self.nodes or base in self.unread:
            label = self._label(token if token in self.nodes else base)
            return f"「{label}」" if not code else f"「{label}」({self.w['as_written_by'].format(code=code)})"
        word = self.w.get(f"op_{token}")
        return word if word is not None else token

    def _label(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        label = node.get("label") if node else self.unread.get(node_id)
        if isinstance(label, dict) and label.get(self.lang):
            return str(label[self.lang])
        return node_id

    def _value(self, node: Json) -> str:
        if str(node["type"]).startswith("table"):
            used = getattr(self, "lookups", {}).get(str(node["id"]).split("@")[0])
            if used is None:
                return self.w["a_table"]
            shown = show_value(used["value"], _table_value_type(str(node["type"])), self.lang)
            return self.w["table_entry"].format(key=used["key"], value=shown)
        return show_value(node["value"], node["type"], self.lang, node["known"], labels=node.get("members"))

    def _party(self, p: object) -> str:
        return party(p, self.lang) if p is not None else self.w["undetermined"]

    def _cites(self, citations: list[Json]) -> list[str]:
        return [cite_text(c, self.lang, self.titles) for c in citations]

    def _quotes(self, citations: list[Json]) -> list[Json]:
        """The words of each article cited here, unless this explanation has quoted them already."""
        out = []
        for c in citations:
            text = cite_text(c, self.lang, self.titles)
            if text in self.quoted:
                continue
            self.quoted.add(text)
            q = msgspec.structs.asdict(quote(c, text, self.articles, self.w, self.lang))
            article = (c["instrument"], c.get("version"), c["article"])
            if article in self.glossed:
                q["gloss"] = None
            self.glossed.add(article)
            out.append(q)
        return out


def reason_in(assumption: Json, lang: str) -> str:
    """A presumption's ground in `lang` (the English where the statute gives no Chinese)."""
    return str(assumption.get("reason_zh") or assumption.get("reason", "")) if lang == "zh" else str(assumption.get("reason", ""))


def message_in(diagnostic: Json, lang: str) -> str:
    """A diagnostic's message in `lang` (the English where no Chinese is given)."""
    return str(diagnostic.get("message_zh") or diagnostic["message"]) if lang == "zh" else str(diagnostic["message"])


def fact_labels(result: Json, lang: str) -> dict[str, str]:
    """The words of every fact, value and item the trace names (ids map to themselves where it names none)."""
    out: dict[str, str] = {"date": WORDS[lang]["date"], "as_of": WORDS[lang]["as_of"]}
    trace = result.get("trace")
    for n in (trace.get("nodes", []) if isinstance(trace, dict) else []):
        label = n.get("label")
        if isinstance(label, dict) and label.get(lang):
            out[n["id"]] = str(label[lang])
    for i in result.get("items", []):
        out[i["id"]] = str(i["label"][lang])
    return out


def resolve_item(result: Json, name: str) -> str:
    """The id of the item `name` names: its id, or its Chinese or English label (case and spaces ignored).

    Raises a LawtraceError naming the closest ids and labels ("did you mean") and listing the items.
    """
    from dsl.errors import did_you_mean

    def norm(s: str) -> str:
        return "".join(s.split()).casefold()

    names: dict[str, str] = {}
    for i in result.get("items", []):
        names[str(i["id"])] = str(i["id"])
        for lang in ("zh", "en"):
            label = (i.get("label") or {}).get(lang)
            if label:
                names.setdefault(str(label), str(i["id"]))
    wanted = norm(name)
    for key, item_id in names.items():
        if norm(key) == wanted:
            return item_id
    hint = did_you_mean(name, names)
    listing = ", ".join(f"{i['id']} ({i['label']['zh']})" for i in result.get("items", []))
    raise LawtraceError(f"no item '{name}' in regime {result.get('regime')}" + (f"; {hint}" if hint else "")
                        + f"\n  the items are: {listing}")
