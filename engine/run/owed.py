"""What a case owes over a window of dates, month by month, from its items' periods and the days items arise.

Guarantees (CONTRACT "Benefits over time"): totals count whole months only; a month in which a stream starts
or stops (or that the window cuts) is listed in `partial` with its days and both the pro-rata and the full-month
figure, and is in no total, since our sources do not say how a part month is paid; a once item counts in the
month it arises; an item owed whose dates the case does not give is listed in `undated`, never placed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from engine.law_time.dates import days_in_month
from engine.model.values import UNKNOWN
from engine.run.periods import Period

FEN = Decimal("0.01")


def _months(start: date, end: date) -> list[tuple[date, date]]:
    out = []
    d = date(start.year, start.month, 1)
    while d <= end:
        last = date(d.year, d.month, days_in_month(d.year, d.month))
        out.append((d, last))
        d = last + timedelta(days=1)
    return out


def owed(items: tuple[object, ...], start: date, end: date) -> dict[str, object]:
    """The amounts due in [start, end] (both days included), by item, by payer and by month."""
    months = {m.strftime("%Y-%m"): {"by_item": {}, "by_payer": {}} for m, _ in _months(start, end)}
    partial: list[dict[str, object]] = []
    undated: list[dict[str, object]] = []

    def add(month: str, item_id: str, payer: object, amount: Decimal) -> None:
        m = months[month]
        m["by_item"][item_id] = m["by_item"].get(item_id, Decimal(0)) + amount
        key = "undetermined" if payer is UNKNOWN else str(payer) if payer not in (None, "none") else "none"
        m["by_payer"][key] = m["by_payer"].get(key, Decimal(0)) + amount

    for i in items:
        b = i.benefit  # type: ignore[attr-defined]
        if i.periods is not None:  # type: ignore[attr-defined]
            for p in i.periods:  # type: ignore[attr-defined]
                _stream(b.id, p, start, end, add, partial, undated)
            continue
        if i.payable.value is not True or not i.amount.known:  # type: ignore[attr-defined]
            continue
        arises = i.arises  # type: ignore[attr-defined]
        if arises is None or not arises.known:
            undated.append({"item": b.id, "missing": sorted(arises.missing) if arises is not None else []})
        elif start <= arises.value <= end:
            add(arises.value.strftime("%Y-%m"), b.id, i.payer.value, i.amount.value)  # type: ignore[attr-defined]
    by_item: dict[str, Decimal] = {}
    by_payer: dict[str, Decimal] = {}
    for m in months.values():
        for k, v in m["by_item"].items():
            by_item[k] = by_item.get(k, Decimal(0)) + v
        for k, v in m["by_payer"].items():
            by_payer[k] = by_payer.get(k, Decimal(0)) + v
    money = lambda d: {k: f"{v.quantize(FEN)}" for k, v in d.items()}  # noqa: E731
    return {
        "from": start.isoformat(), "to": end.isoformat(),
        "by_item": money(by_item), "by_payer": money(by_payer),
        "months": [{"month": k, "by_item": money(v["by_item"]), "by_payer": money(v["by_payer"])}
                   for k, v in months.items()],
        "partial": partial, "undated": undated,
    }


def _stream(item_id: str, p: Period, start: date, end: date, add, partial: list, undated: list) -> None:  # type: ignore[no-untyped-def]
    amount = p.item.amount  # type: ignore[attr-defined]
    if not p.payable:
        if p.start is None or p.start <= end:
            undated.append({"item": item_id, "from": p.start.isoformat() if p.start else None,
                            "missing": list(p.missing), "payable": None})
        return
    if p.start is None or not amount.known:
        undated.append({"item": item_id, "from": None, "missing": list(p.missing)})
        return
    last = p.end if p.end is not None else end
    if p.end is None and p.missing:  # owed to a day the case does not give: only what is surely owed is counted
        undated.append({"item": item_id, "from": p.start.isoformat(), "to": None, "missing": list(p.missing)})
        return
    lo, hi = max(p.start, start), min(last, end)
    if lo > hi:
        return
    payer = p.item.payer.value  # type: ignore[attr-defined]
    for m_start, m_end in _months(lo, hi):
        a, z = max(lo, m_start), min(hi, m_end)
        days, of_days = (z - a).days + 1, (m_end - m_start).days + 1
        month = m_start.strftime("%Y-%m")
        if days == of_days:
            add(month, item_id, payer, amount.value)
        else:
            pro_rata = (amount.value * days / of_days).quantize(FEN, rounding=ROUND_HALF_UP)
            partial.append({"item": item_id, "month": month, "days": days, "of_days": of_days,
                            "pro_rata": f"{pro_rata}", "full_month": f"{amount.value.quantize(FEN)}",
                            "payer": payer if payer != "none" else None})
