"""The page's form: query parameters → a case for the engine, and fact declarations → form fields.

The form is a GET form, so the URL of an answer is its permalink. Fields are
named `regime`, `date`, `id`, `name`, `notes`, and `f.FACT` for a fact
(`f.FACT.N.FIELD` for a field of the N-th entry of a list, `f.FACT.none` to
say a list is empty). An empty field is an absent fact: unknown. A value is
passed to the engine as typed as the declaration lets a text box say
(`true`/`false`, a whole number); anything else goes as written, for the
engine to accept or to refuse with its own message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dsl import types as T
from engine.model import ir
from lawtrace.web.facts import type_json

PREFIX = "f."
CASE_KEYS = ("id", "name", "notes")
NONE = "none"
_WHOLE = re.compile(r"[+-]?\d+")


@dataclass
class Control:
    """One input of the form: a fact, or one field of one entry of a list fact."""

    name: str  # the form parameter
    kind: str  # bool | int | money | rate | date | enum | text
    value: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, words) for bool and enum
    low: int | None = None
    high: int | None = None
    label: str = ""
    error: str | None = None


@dataclass
class Question:
    """A fact on the form: its control (or, for a list, its rows of controls), words and errors."""

    fact: str
    label: str
    anchor: str
    control: Control | None
    rows: list[list[Control]] = field(default_factory=list)
    empty_list: bool = False
    kind: str = "text"
    hint: str = ""
    note: str | None = None
    cites: list[str] = field(default_factory=list)
    presumed: bool = False
    presumed_value: str | None = None  # the value the engine presumes while the fact is not given
    delegated_to: str | None = None
    decides: list[str] = field(default_factory=list)
    at_stake: str | None = None
    error: str | None = None
    declared: bool = True


def canonical(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The parameters that say something: empty fields are absent facts and are left out of the permalink."""
    return [(k, v) for k, v in params if v.strip() != ""]


def case_from(params: list[tuple[str, str]], declared: dict[str, ir.FactNode], regime: str) -> dict[str, object]:
    """The case the form describes, as a case file would hold it."""
    case: dict[str, object] = {}
    facts: dict[str, object] = {}
    lists: dict[str, dict[int, dict[str, str]]] = {}
    empty: set[str] = set()
    for key, raw in params:
        value = raw.strip()
        if key in CASE_KEYS and value:
            case[key] = raw.strip("\r\n") if key == "notes" else value
        elif key == "date" and value:
            case["date"] = value
        elif key.startswith(PREFIX) and value:
            name, _, rest = key[len(PREFIX):].partition(".")
            if not rest:
                facts[name] = typed(value, declared[name].type if name in declared else None)
            elif rest == NONE:
                empty.add(name)
            else:
                index, _, sub = rest.partition(".")
                if index.isdigit() and sub:
                    lists.setdefault(name, {}).setdefault(int(index), {})[sub] = value
    for name, rows in lists.items():
        t = declared[name].type if name in declared else None
        entries = []
        for _, row in sorted(rows.items()):
            entry = {}
            for sub, value in row.items():
                f = t.field(sub) if isinstance(t, T.ListType) else None
                entry[sub] = typed(value, f.type if f else None)
            entries.append(entry)
        facts[name] = entries
    for name in empty - set(lists):
        facts[name] = []
    case["regime"] = regime
    case["facts"] = facts
    return case


def typed(value: str, t: T.Type | None) -> object:
    """A text box's words as the value a case file would hold, where the declared type says what they are."""
    if isinstance(t, T.BoolType):
        return {"true": True, "false": False}.get(value, value)
    if isinstance(t, (T.IntType, T.MoneyType, T.RateType)) and _WHOLE.fullmatch(value):
        return int(value)
    return value


def question(node: ir.FactNode, params: dict[str, str], lang: str, ui: dict[str, str], cites: list[str]) -> Question:
    """The form's question for a declared fact, filled with what the form sent."""
    t = node.type
    q = Question(node.id, node.labels.zh if lang == "zh" else node.labels.en, f"fact-{node.id}", None,
                 kind=str(type_json(t)["kind"]), note=node.note, cites=cites, presumed=node.presumption is not None,
                 delegated_to=node.delegated_to)
    name = PREFIX + node.id
    if isinstance(t, T.ListType):
        filled = sorted({int(k.split(".")[2]) for k in params if k.startswith(name + ".") and k.split(".")[2].isdigit()})
        for n, index in enumerate(filled + [max(filled, default=-1) + 1]):
            row = []
            for f in t.fields:
                label = (f.label_zh if lang == "zh" else f.label_en) or f.name
                row.append(control(f"{name}.{n}.{f.name}", f.type, params.get(f"{name}.{index}.{f.name}", ""), ui, label))
            q.rows.append(row)
        q.empty_list = (name + "." + NONE) in params
        q.hint = ui["add_row_help"]
    else:
        q.control = control(name, t, params.get(name, ""), ui, q.label)
        q.hint = hint(t, ui)
    return q


def undeclared(name: str, value: str) -> Question:
    """A fact the form sent that this regime does not declare: shown so that it can be cleared."""
    q = Question(name, name, f"fact-{name}", Control(PREFIX + name, "text", value, label=name), declared=False)
    return q


def control(name: str, t: T.Type, value: str, ui: dict[str, str], label: str) -> Control:
    if isinstance(t, T.BoolType):
        return Control(name, "bool", value, [("", ui["unknown"]), ("true", ui["yes"]), ("false", ui["no"])], label=label)
    if isinstance(t, T.EnumType):
        return Control(name, "enum", value, [("", ui["unknown"])] + [(m, m) for m in t.values], label=label)
    if isinstance(t, T.IntType):
        return Control(name, "int", value, low=t.low, high=t.high, label=label)
    kind = {T.MoneyType: "money", T.RateType: "rate", T.DateType: "date"}.get(type(t), "text")
    return Control(name, kind, value, label=label)


def hint(t: T.Type, ui: dict[str, str]) -> str:
    if isinstance(t, T.IntType):
        return ui["range"].format(low=t.low, high=t.high) if t.low is not None else ui["int_hint"]
    if isinstance(t, T.MoneyType):
        return ui["money_hint"]
    if isinstance(t, T.RateType):
        return ui["rate_hint"]
    if isinstance(t, T.DateType):
        return ui["date_hint"]
    return ""


def place_errors(questions: dict[str, Question], errors: list[tuple[str | None, str]]) -> list[str]:
    """Put each error next to its field (`facts.X`, `facts.X[N].F`); the errors that have no field are returned."""
    rest = []
    for path, message in errors:
        m = re.fullmatch(r"facts\.([^.\[]+)(?:\[(\d+)\](?:\.(\w+))?)?", path or "")
        q = questions.get(m.group(1)) if m else None
        if q is None:
            rest.append(message if path is None else f"{path}: {message}")
            continue
        if m and m.group(2) is not None and q.rows:
            row = q.rows[int(m.group(2))] if int(m.group(2)) < len(q.rows) else None
            target = next((c for c in row or [] if c.name.endswith("." + (m.group(3) or ""))), None)
            if target is not None:
                target.error = message
                continue
        q.error = message if q.error is None else f"{q.error}; {message}"
    return rest
