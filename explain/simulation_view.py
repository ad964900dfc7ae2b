"""Simulation JSON → text, Markdown or a self-contained HTML report (inline SVG charts), in zh or en.

Every table is built from the JSON alone and is reconciled: each period
(once, monthly, yearly) has its own table; against a baseline the change by
item, by final payer and the winners' gains less the losers' losses are three
lines of the same sum, and the rows set apart (undetermined under either
regime) with their determined amounts close each regime's total over all rows.
"""

from __future__ import annotations

import html
from decimal import Decimal

from explain.i18n import WORDS

SIM_WORDS = {
    "zh": {"title": "人群测算", "rows": "行", "regime": "适用规则", "baseline": "基准规则", "reform": "改革方案",
           "undetermined_rows": "有尚不能确定项目的行", "date_all": "所有行的事故日期", "read_past": "忽略的列（其他规则的事实）",
           "period_once": "一次性待遇（元）", "period_monthly": "按月待遇（元/月）", "period_yearly": "按年待遇（元/年）",
           "item": "项目", "amount": "已确定金额", "payable_rows": "应支付行数", "und_rows": "尚不能确定行数",
           "payer_und_rows": "支付方尚不能确定行数", "total": "合计", "by_payer": "按最终支付方",
           "undetermined": "尚不能确定的支付方", "none": "无人", "advanced_by": "先行支付（先付后追偿）",
           "recovered_from": "追偿对象", "sum_items": "各项目之和", "sum_payers": "各支付方之和",
           "change": "变化", "both_rows": "两种规则下均已确定的行", "winners": "获益", "losers": "受损",
           "gains": "获益合计", "losses": "受损合计", "unchanged": "不变", "gains_less_losses": "获益减受损",
           "apart": "另列：尚不能确定的行", "reform_only": "仅改革方案下尚不能确定（金额 → 尚不能确定）",
           "baseline_only": "仅基准规则下尚不能确定", "both_und": "两种规则下均尚不能确定",
           "amount_apart": "这些行上已确定的金额", "all_rows": "全部行（已确定金额）", "checks": "核对",
           "by_group": "分组", "group": "组", "variables": "中间值", "variable": "名称", "sum": "合计",
           "mean": "平均", "known_rows": "已知行数", "flows": "先行支付与追偿（已确定金额）",
           "reconciles": "相符", "not_reconciled": "不相符", "chart_items": "按项目", "chart_payers": "按最终支付方",
           "chart_groups": "按组", "delta_title": "与基准规则比较"},
    "en": {"title": "Population costing", "rows": "rows", "regime": "regime", "baseline": "baseline",
           "reform": "reform", "undetermined_rows": "rows with an undetermined item", "date_all": "accident date of every row",
           "read_past": "columns read past (facts of other regimes)",
           "period_once": "Once items (yuan)", "period_monthly": "Monthly items (yuan a month)",
           "period_yearly": "Yearly items (yuan a year)", "item": "item", "amount": "determined amount",
           "payable_rows": "payable rows", "und_rows": "undetermined rows", "payer_und_rows": "rows, payer undetermined",
           "total": "total", "by_payer": "by final payer", "undetermined": "undetermined payer", "none": "nobody",
           "advanced_by": "advanced by (paid first, then recovered)", "recovered_from": "recovered from",
           "sum_items": "sum of the items", "sum_payers": "sum of the payers", "change": "change",
           "both_rows": "rows determined under both", "winners": "winners", "losers": "losers", "gains": "gains",
           "losses": "losses", "unchanged": "unchanged", "gains_less_losses": "gains less losses",
           "apart": "set apart: rows undetermined", "reform_only": "under the reform only (amount → undetermined)",
           "baseline_only": "under the baseline only", "both_und": "under both",
           "amount_apart": "determined amounts on those rows", "all_rows": "all rows (determined amounts)",
           "checks": "checks", "by_group": "By group", "group": "group", "variables": "Values of the regime",
           "variable": "name", "sum": "sum", "mean": "mean", "known_rows": "known rows",
           "flows": "Advances and recoveries (determined amounts)", "reconciles": "reconciles",
           "not_reconciled": "does NOT reconcile", "chart_items": "by item", "chart_payers": "by final payer",
           "chart_groups": "by group", "delta_title": "Against the baseline"},
}


def _w(lang: str) -> dict[str, str]:
    return {**WORDS[lang], **SIM_WORDS[lang]}


def _party(p: str, w: dict[str, str]) -> str:
    return w.get(p, p)


def _label(data: dict, item: str, lang: str) -> str:
    labels = data.get("labels") or {}
    return labels.get(item, {}).get(lang) or item


def _num(s: object) -> str:
    return f"{Decimal(str(s)):,.2f}"


def _dec(s: object) -> Decimal:
    return Decimal(str(s))


class Sections:
    """The report as a list of (heading, table) where a table is a header row and body rows of strings."""

    def __init__(self, data: dict, lang: str):
        self.data, self.lang, self.w = data, lang, _w(lang)
        self.out: list[tuple[str, list[str], list[list[str]]]] = []
        self.notes: list[str] = []

    def build(self) -> Sections:
        d, w = self.data, self.w
        head = f"{w['regime']} {d['regime']}: {d['n']:,} {w['rows']}, {w['undetermined_rows']} {d['undetermined_rows']:,}"
        if d.get("date"):
            head += f" ({w['date_all']} {d['date']})"
        self.notes.append(head)
        if d.get("ignored_columns"):
            self.notes.append(f"{w['read_past']}: {', '.join(d['ignored_columns'])}")
        for period, t in d["totals"].items():
            self._period(period, t)
        if "delta" in d:
            for period, p in d["delta"]["periods"].items():
                self._delta(period, p)
        if d.get("variables"):
            self._variables(d["variables"])
        if d.get("by"):
            self._groups(d["by"])
        return self

    def _period(self, period: str, t: dict) -> None:
        w, d = self.w, self.data
        rows = []
        for item, it in d["items"].items():
            if it["period"] != period:
                continue
            rows.append([_label(d, item, self.lang), _num(it["amount"]), f"{it['payable_rows']:,}",
                         f"{it['undetermined_rows']:,}", f"{it['payer_undetermined_rows']:,}"])
        rows.append([w["total"], _num(t["amount"]), "", f"{t['undetermined_rows']:,}", ""])
        for p, a in t["by_payer"].items():
            rows.append([f"  {w['by_payer']}: {_party(p, w)}", _num(a), "", "", ""])
        check = sum(_dec(a) for a in t["by_payer"].values()) == _dec(t["amount"])
        rows.append([f"  {w['sum_payers']}", _num(sum(_dec(a) for a in t["by_payer"].values())), "", "",
                     w["reconciles"] if check else w["not_reconciled"]])
        for key in ("advanced_by", "recovered_from"):
            for p, a in t[key].items():
                rows.append([f"  {w[key]}: {_party(p, w)}", _num(a), "", "", ""])
        self.out.append((f"{self.data['regime']} — {w['period_' + period] if 'period_' + period in w else period}",
                         [w["item"], w["amount"], w["payable_rows"], w["und_rows"], w["payer_und_rows"]], rows))

    def _delta(self, period: str, p: dict) -> None:
        w, d = self.w, self.data
        rows: list[list[str]] = [[f"{w['both_rows']}: {p['rows_determined_under_both']:,}", "", "", ""]]
        for item, v in p["by_item"].items():
            rows.append([f"  {_label(d, item, self.lang)}", _num(v["reform"]), _num(v["baseline"]), _num(v["change"])])
        rows.append([f"  {w['sum_items']}", _num(p["reform"]), _num(p["baseline"]), _num(p["change"])])
        for payer, v in p["by_payer"].items():
            rows.append([f"  {w['by_payer']}: {_party(payer, w)}", _num(v["reform"]), _num(v["baseline"]),
                         _num(v["change"])])
        payer_change = sum(_dec(v["change"]) for v in p["by_payer"].values())
        rows.append([f"  {w['sum_payers']}", "", "", _num(payer_change)])
        rows.append([f"  {w['winners']} {p['winners']:,}: {w['gains']}", "", "", _num(p["gains"])])
        rows.append([f"  {w['losers']} {p['losers']:,}: {w['losses']}", "", "", _num(-_dec(p["losses"]))])
        net = _dec(p["gains"]) - _dec(p["losses"])
        rows.append([f"  {w['gains_less_losses']} ({w['unchanged']} {p['unchanged']:,})", "", "", _num(net)])
        item_change = sum(_dec(v["change"]) for v in p["by_item"].values())
        ok = item_change == payer_change == net == _dec(p["change"])
        rows.append([f"  {w['checks']}: {w['sum_items']} = {w['sum_payers']} = {w['gains_less_losses']}", "", "",
                     w["reconciles"] if ok else w["not_reconciled"]])
        for key in ("advanced_by", "recovered_from"):
            for payer, v in p[key].items():
                rows.append([f"  {w[key]}: {_party(payer, w)}", _num(v["reform"]), _num(v["baseline"]),
                             _num(v["change"])])
        a = p["set_apart"]
        rows.append([w["apart"], "", "", ""])
        rows.append([f"  {w['reform_only']}: {a['undetermined_under_reform_only']:,}", "", "", ""])
        rows.append([f"  {w['baseline_only']}: {a['undetermined_under_baseline_only']:,}", "", "", ""])
        rows.append([f"  {w['both_und']}: {a['undetermined_under_both']:,}", "", "", ""])
        rows.append([f"  {w['amount_apart']}", _num(a["reform_amount"]), _num(a["baseline_amount"]), ""])
        rows.append([w["all_rows"], _num(p["all_rows"]["reform"]), _num(p["all_rows"]["baseline"]), ""])
        name = w['period_' + period] if 'period_' + period in w else period
        self.out.append((f"{w['delta_title']} — {name}",
                         ["", f"{w['reform']} {d['regime']}", f"{w['baseline']} {d['baseline_regime']}", w["change"]],
                         rows))

    def _variables(self, variables: dict) -> None:
        w = self.w
        rows = [[name, _num(v["sum"]) if v.get("sum") is not None else "—",
                 _num(v["mean"]) if v.get("mean") is not None else w["undetermined"] if "sum" in v else "—",
                 f"{v['known_rows']:,}", f"{v['undetermined_rows']:,}"] for name, v in variables.items()]
        self.out.append((w["variables"], [w["variable"], w["sum"], w["mean"], w["known_rows"], w["und_rows"]], rows))

    def _groups(self, by: dict) -> None:
        w = self.w
        periods = sorted({p for g in by["groups"] for p in g["periods"]}, key=lambda p: ("once", "monthly", "yearly").index(p)
                         if p in ("once", "monthly", "yearly") else 9)
        header = [", ".join(by["by"]), w["rows"]]
        for p in periods:
            header += [f"{w.get(p, p)}: {w['amount']}", f"{w.get(p, p)}: {w['und_rows']}"]
            if "delta" in self.data:
                header += [f"{w.get(p, p)}: {w['change']}"]
        names = list(by["groups"][0].get("variables", {})) if by["groups"] else []
        header += [f"{n}: {w['mean']}" for n in names]
        rows = []
        for g in by["groups"]:
            key = ", ".join(WORDS[self.lang]["undetermined"] if v is None else str(v) for v in g["group"].values())
            row = [key, f"{g['rows']:,}"]
            for p in periods:
                e = g["periods"].get(p, {})
                row += [_num(e.get("amount", "0")), f"{e.get('undetermined_rows', 0):,}"]
                if "delta" in self.data:
                    row += [_num(e.get("change", "0"))]
            for n in names:
                v = g["variables"][n]
                row.append(_num(v["mean"]) if v.get("mean") is not None else WORDS[self.lang]["undetermined"])
            rows.append(row)
        self.out.append((f"{w['by_group']}: {', '.join(by['by'])}", header, rows))


def render_simulation(data: dict, lang: str = "zh", fmt: str = "text") -> str:
    s = Sections(data, lang).build()
    if fmt == "md":
        return _markdown(s)
    if fmt == "html":
        return _html(s)
    return _text(s)


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _text(s: Sections) -> str:
    lines = list(s.notes)
    for title, header, rows in s.out:
        lines += ["", title]
        widths = [max(_width(r[i]) for r in [header] + rows) for i in range(len(header))]
        for r in [header] + rows:
            lines.append("  ".join(_pad(c, widths[i], i > 0) for i, c in enumerate(r)).rstrip())
    return "\n".join(lines) + "\n"


def _markdown(s: Sections) -> str:
    lines = [f"# {s.w['title']}", ""] + [f"- {n}" for n in s.notes]
    for title, header, rows in s.out:
        lines += ["", f"## {title}", "", "| " + " | ".join(header) + " |",
                  "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
        for r in rows:
            lines.append("| " + " | ".join(c.replace("|", "\\|").strip() or " " for c in r) + " |")
    return "\n".join(lines) + "\n"


def _bars(title: str, bars: list[tuple[str, Decimal, Decimal | None]], w: dict[str, str]) -> str:
    """A horizontal bar chart: one bar per label (two when a baseline is given: reform dark, baseline light)."""
    if not bars:
        return ""
    top = max([abs(a) for _, a, _ in bars] + [abs(b) for _, _, b in bars if b is not None] + [Decimal(1)])
    row_h = 34 if any(b is not None for _, _, b in bars) else 22
    legend = ""
    if any(b is not None for _, _, b in bars):
        legend = (f' <small><span style="color:#1565c0">■</span> {html.escape(w["reform"])} '
                  f'<span style="color:#90caf9">■</span> {html.escape(w["baseline"])}</small>')
    out = [f'<figure><figcaption>{html.escape(title)}{legend}</figcaption>'
           f'<svg width="760" height="{row_h * len(bars) + 10}" role="img" aria-label="{html.escape(title)}">']
    for i, (label, a, b) in enumerate(bars):
        y = 5 + i * row_h
        out.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(label[:28])}</text>')
        for j, (v, color) in enumerate(((a, "#1565c0" if a >= 0 else "#c62828"), (b, "#90caf9"))):
            if v is None:
                continue
            width = int(360 * abs(v) / top)
            out.append(f'<rect x="230" y="{y + j * 14}" width="{width}" height="12" fill="{color}"></rect>'
                       f'<text x="{236 + width}" y="{y + 10 + j * 14}" font-size="11">{_num(v)}</text>')
    out.append("</svg></figure>")
    return "".join(out)


def _html(s: Sections) -> str:
    w, d = s.w, s.data
    lang = "zh-CN" if s.lang == "zh" else "en"
    parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
             f'<title>{html.escape(w["title"])}: {html.escape(d["regime"])}</title><style>'
             'body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#222;max-width:80rem}'
             'table{border-collapse:collapse;margin-bottom:1.5rem}th,td{border:1px solid #ccc;padding:.3rem .5rem}'
             'td:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}'
             'figure{margin:1rem 0}figcaption{font-weight:600}</style></head><body>',
             f"<h1>{html.escape(w['title'])}</h1>"]
    parts += [f"<p>{html.escape(n)}</p>" for n in s.notes]
    for period, t in d["totals"].items():
        delta = d.get("delta", {}).get("periods", {}).get(period)
        name = w.get("period_" + period, period)
        items = [(i, it) for i, it in d["items"].items() if it["period"] == period]
        if delta is not None:
            bars = [(_label(d, i, s.lang), _dec(v["reform"]), _dec(v["baseline"])) for i, v in delta["by_item"].items()]
            payers = [(_party(p, w), _dec(v["reform"]), _dec(v["baseline"])) for p, v in delta["by_payer"].items()]
        else:
            bars = [(_label(d, i, s.lang), _dec(it["amount"]), None) for i, it in items]
            payers = [(_party(p, w), _dec(a), None) for p, a in t["by_payer"].items()]
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(_bars(f"{name} — {w['chart_items']}", [b for b in bars if b[1] or b[2]], w))
        parts.append(_bars(f"{name} — {w['chart_payers']}", payers, w))
        if delta is not None:
            changes = [(_label(d, i, s.lang), _dec(v["change"]), None) for i, v in delta["by_item"].items()
                       if _dec(v["change"])]
            parts.append(_bars(f"{name} — {w['change']} ({w['both_rows']})", changes, w))
    if d.get("by"):
        for period in d["totals"]:
            bars = [(", ".join(WORDS[s.lang]["undetermined"] if v is None else str(v) for v in g["group"].values()),
                     _dec(g["periods"].get(period, {}).get("amount", "0")),
                     _dec(g["periods"][period]["baseline"]) if "delta" in d and period in g["periods"] else None)
                    for g in d["by"]["groups"][:40]]
            parts.append(_bars(f"{w.get('period_' + period, period)} — {w['chart_groups']}: "
                               f"{', '.join(d['by']['by'])}", bars, w))
    for title, header, rows in s.out:
        parts.append(f"<h2>{html.escape(title)}</h2><table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header)
                     + "</tr>")
        for r in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)
