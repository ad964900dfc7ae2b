"""Compare a result JSON with a test's expectations: the list of differences, each with its path, expected and actual.

Rules of comparison (the same for `lawtrace test` and the pytest plugin):
- an item (or deadline) is named by its id; only the fields a test gives are compared;
- amounts compare as numbers (`78000`, `78000.0` and `"78000.00"` are equal); dates as `YYYY-MM-DD`; `null` is
  undetermined (`payable: null`) or nothing (`advance_payer: null`);
- `basis` is a list of citations written as in statutes (`WIIR 37(1)(1)`, `WIIR@2003 35(1)(1)`; without `@` the
  instrument's latest version) that the answer must rest on, and `missing` a list of facts it must name: the
  result may give more;
- `periods` and `parts` compare element by element, each on the keys given, and must have as many elements;
- `assumed` is a mapping of facts to the values presumed (or a list of facts); `not_assumed` a list of facts that
  must not be presumed; `diagnostics` a list of texts each found in some diagnostic's message; `missing_facts` a
  list of facts that must be missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dsl.errors import did_you_mean

RESULT_KEYS = ("assumed", "not_assumed", "diagnostics", "missing_facts")
CONTAINS = ("basis", "missing")
ELEMENTS = ("periods", "parts")


@dataclass(frozen=True)
class Mismatch:
    path: str  # "one_time_disability_subsidy.amount"
    expected: object
    actual: object
    note: str = ""

    def as_json(self) -> dict[str, object]:
        out = {"path": self.path, "expected": _plain(self.expected), "actual": _plain(self.actual)}
        if self.note:
            out["note"] = self.note
        return out


class BadExpectation(Exception):
    """An expectation that names nothing in the result (an item or a field that does not exist)."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def compare(expect: dict[str, object], result: dict[str, object]) -> list[Mismatch]:
    entries = {str(i["id"]): i for i in result["items"]}  # type: ignore[index, union-attr]
    entries.update({str(d["id"]): d for d in result.get("deadlines", [])})  # type: ignore[union-attr]
    latest = {code: str(i.get("latest")) for code, i in (result.get("instruments") or {}).items()}  # type: ignore[union-attr]
    out: list[Mismatch] = []
    for key, want in expect.items():
        key = str(key)
        if key in RESULT_KEYS:
            out.extend(_result_level(key, want, result))
            continue
        got = entries.get(key)
        if got is None:
            hint = did_you_mean(key, list(entries) + list(RESULT_KEYS))
            raise BadExpectation(key, f"no item or deadline '{key}' in the result" + (f"; {hint}" if hint else ""))
        if not isinstance(want, dict):
            raise BadExpectation(key, f"expected a mapping of {key}'s fields (payable, amount, payer, ...) to values")
        for name, value in want.items():
            path = f"{key}.{name}"
            if name not in got:
                hint = did_you_mean(str(name), got)
                raise BadExpectation(path, f"{key} has no field '{name}'" + (f"; {hint}" if hint else ""))
            out.extend(_field(path, str(name), value, got[name], latest))
    return out


def _field(path: str, name: str, want: object, got: object, latest: dict[str, str]) -> list[Mismatch]:
    if name == "basis":
        cited = [cite_text(c, latest) for c in got]  # type: ignore[union-attr]
        absent = [w for w in _as_list(want) if _norm_cite(str(w), latest) not in cited]
        return [Mismatch(path, absent, cited, "not in the basis: " + ", ".join(map(str, absent)))] if absent else []
    if name in CONTAINS:
        absent = [w for w in _as_list(want) if w not in (got or [])]  # type: ignore[operator]
        return [Mismatch(path, absent, got, "not listed: " + ", ".join(map(str, absent)))] if absent else []
    if name in ELEMENTS and isinstance(want, list):
        rows = got or []
        if len(want) != len(rows):  # type: ignore[arg-type]
            return [Mismatch(path, want, rows, f"{len(want)} expected, {len(rows)} in the result")]  # type: ignore[arg-type]
        out: list[Mismatch] = []
        for j, (w, g) in enumerate(zip(want, rows)):  # type: ignore[arg-type]
            if isinstance(w, dict) and isinstance(g, dict):
                for k, v in w.items():
                    out.extend(_field(f"{path}[{j}].{k}", str(k), v, g.get(k), latest))
            elif not same(w, g):
                out.append(Mismatch(f"{path}[{j}]", w, g))
        return out
    return [] if same(want, got) else [Mismatch(path, want, got)]


def _result_level(key: str, want: object, result: dict[str, object]) -> list[Mismatch]:
    assumed = {a["fact"]: a["value"] for a in result.get("assumed", [])}  # type: ignore[union-attr, index]
    if key == "assumed":
        if isinstance(want, dict):
            return [Mismatch(f"assumed.{f}", v, assumed.get(f, "(not assumed)"))
                    for f, v in want.items() if f not in assumed or not same(v, assumed[f])]
        absent = [f for f in _as_list(want) if f not in assumed]
        return [Mismatch("assumed", absent, sorted(assumed), "not assumed: " + ", ".join(absent))] if absent else []
    if key == "not_assumed":
        present = [f for f in _as_list(want) if f in assumed]
        return [Mismatch("not_assumed", [], present, "assumed: " + ", ".join(present))] if present else []
    if key == "missing_facts":
        missing = result.get("missing_facts") or []
        absent = [f for f in _as_list(want) if f not in missing]  # type: ignore[operator]
        return [Mismatch("missing_facts", absent, missing, "not missing: " + ", ".join(absent))] if absent else []
    messages = [str(d["message"]) for d in result.get("diagnostics", [])]  # type: ignore[union-attr, index]
    if want == [] or want is None:
        return [Mismatch("diagnostics", [], messages)] if messages else []
    absent = [w for w in _as_list(want) if not any(str(w) in m for m in messages)]
    return [Mismatch("diagnostics", absent, messages, "no diagnostic says: " + "; ".join(map(str, absent)))] if absent else []


def same(want: object, got: object) -> bool:
    """Equal as a test means it: numbers by value, dates by their text, everything else exactly."""
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got
    if isinstance(want, (dt.date, dt.datetime)):
        want = want.isoformat()[:10]
    if isinstance(want, (int, float, Decimal)) or (isinstance(got, str) and _number(got) is not None
                                                     and isinstance(want, str) and _number(want) is not None):
        a, b = _number(want), _number(got)
        return a is not None and b is not None and a == b
    return want == got


def _number(x: object) -> Decimal | None:
    if isinstance(x, bool):
        return None
    try:
        return Decimal(str(x))
    except InvalidOperation:
        return None


def cite_text(c: dict, latest: dict[str, str]) -> str:
    """`WIIR 37(1)(1)`; `WIIR@2003 35(1)(1)` for a version other than the instrument's latest."""
    name = str(c["instrument"])
    if c.get("version") and latest.get(name) not in (None, "None", str(c["version"])):
        name += f"@{c['version']}"
    text = f"{name} {c['article']}"
    if c.get("paragraph") is not None:
        text += f"({c['paragraph']})"
        if c.get("item") is not None:
            text += f"({c['item']})"
    return text


def _norm_cite(text: str, latest: dict[str, str]) -> str:
    """`WIIR@2010 37(1)` is written `WIIR 37(1)` when 2010 is the latest version."""
    head, _, rest = text.strip().partition(" ")
    code, _, version = head.partition("@")
    if version and latest.get(code) == version:
        head = code
    return f"{head} {rest.replace(' ', '')}"


def _as_list(x: object) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _plain(x: object) -> object:
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()[:10]
    if isinstance(x, Decimal):
        return str(x)
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    return x
