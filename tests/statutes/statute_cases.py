"""Helpers for the statute tests: evaluate a case, pick an item, and read its basis as citation text."""

from __future__ import annotations

from conftest import item, run


def cite_text(c: dict) -> str:
    """`WIIR 37(1)(1)`, `WIIR@2003 35(1)(1)`, `APM 5(1)(4)`: the version only where it is not the latest."""
    name = c["instrument"] + ("@2003" if c["instrument"] == "WIIR" and c["version"] == "2003" else "")
    text = f"{name} {c['article']}"
    if "paragraph" in c:
        text += f"({c['paragraph']})"
        if "item" in c:
            text += f"({c['item']})"
    return text


def basis(entry: dict) -> set[str]:
    return {cite_text(c) for c in entry["basis"]}


def get(facts: dict, item_id: str, date: str = "2020-06-15") -> dict:
    return item(run(facts, date), item_id)


def assumed(result: dict) -> dict[str, object]:
    return {a["fact"]: a["value"] for a in result["assumed"]}


def assumed_kinds(result: dict) -> dict[str, str]:
    return {a["fact"]: a["kind"] for a in result["assumed"]}


RECOGNIZED = {"work_injury_recognized": True, "employer_insured": True}
# area average 8,000: the wage is held between 60 % = 4,800 and 300 % = 24,000 (WIIR 64(2))
GRADE7 = {**RECOGNIZED, "disability_grade": 7, "monthly_wage": 6000, "regional_avg_monthly_wage": 8000}
