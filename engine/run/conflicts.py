"""Conflicts between layers at run time: where a lower rule refused for want of authority would have answered otherwise.

The higher rule's answer stands (上位法优于下位法). For each refused rule on a
node just evaluated, the refused rule is evaluated too, apart from the trace of
the node (it is not an input of the answer), and a warning citing both rules is
added to the result wherever both answer and the answers differ. Nothing is
reported where they agree, or where the facts do not yet decide one of them.
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol

from dsl import types as T
from engine.model import ir
from engine.model.citations import Citation, zh_list
from engine.model.diagnostics import Diagnostic
from engine.model.values import V, to_json


class Evaluating(Protocol):
    """What this module needs of an evaluation in progress (the evaluator passes itself)."""

    program: ir.Program
    trace: Mapping[str, Any]
    diagnostics: list[Diagnostic]

    def get_detached(self, node_id: str) -> V:
        """A node's value, evaluated apart from the trace of the node being computed."""
        ...


def check_conflicts(ev: Evaluating, node_id: str, value: V) -> None:
    node = ev.program.nodes[node_id]
    for conflict in ev.program.conflicts.get(node_id, ()):
        refused = ev.get_detached(conflict.shadow)  # not an input of the answer
        change = conflict.change
        if conflict.part:
            _part_conflict(ev, conflict, refused)
            continue
        if not (refused.known and value.known) or value.value == refused.value:
            continue  # only where both rules answer, and differently: elsewhere the lower rule changes nothing yet
        lower = _applied_cites(ev, conflict.shadow) or change.cites
        higher_id = f"{node_id}~{change.replaced_instrument}" if conflict.gap_fill else node_id
        higher = _applied_cites(ev, higher_id) or change.replaced_cites
        lower_text = ", ".join(c.en() for c in lower) or change.instrument
        higher_text = ", ".join(c.en() for c in higher) or str(change.replaced_instrument)
        message = (f"{lower_text} would give {node_id} = {_shown(refused.value, node.type)}; {higher_text} gives "
                   f"{_shown(value.value, node.type)} and prevails as the higher rule (上位法优于下位法)")
        titles = {i.code: i.title_zh for i in ev.program.instruments}
        label = f"「{node.labels.zh}」" if getattr(node, "labels", None) is not None and node.labels.zh else node_id
        zh = (f"依{zh_list(lower, titles) or change.instrument}，{label}应为 {_shown_zh(refused.value, node.type)}；"
              f"依{zh_list(higher, titles) or change.replaced_instrument}，为 {_shown_zh(value.value, node.type)}，"
              f"适用上位法（上位法优于下位法）")
        d = Diagnostic("warning", message, tuple(lower) + tuple(higher), change.span, zh=zh)
        if d not in ev.diagnostics:
            ev.diagnostics.append(d)


def _part_conflict(ev: Evaluating, conflict: object, moved: V) -> None:
    """A refused split warns where it would have put part of the item on another payer."""
    if not moved.known or not moved.value:
        return
    change = conflict.change  # type: ignore[attr-defined]
    item = change.target.split(".part.")[0]
    lower = ", ".join(c.en() for c in change.cites) or change.instrument
    higher_cites = _applied_cites(ev, f"{item}.payer") or change.replaced_cites
    higher = ", ".join(c.en() for c in higher_cites) or str(change.replaced_instrument)
    message = (f"{lower} would have {_shown(moved.value, T.MONEY)} of {item} paid by another party "
               f"({change.target.split('.part.')[1]}); {higher} name the payer of the whole item and prevail as the "
               f"higher rule (上位法优于下位法)")
    d = Diagnostic("warning", message, tuple(change.cites) + tuple(higher_cites), change.span)
    if d not in ev.diagnostics:
        ev.diagnostics.append(d)


def _applied_cites(ev: Evaluating, node_id: str) -> tuple[Citation, ...]:
    """The citations that held for a node in this case (its conditional citations resolved)."""
    t = ev.trace.get(node_id)
    return tuple(t.citations) if t is not None else ()


def _shown(value: object, t: object) -> str:
    out = to_json(value, t)  # type: ignore[arg-type]
    return ("true" if out else "false") if isinstance(out, bool) else str(out)


_PARTIES_ZH = {"fund": "工伤保险基金", "employer": "用人单位", "third_party": "第三人", "state": "国家财政", "none": "无"}


def _shown_zh(value: object, t: object) -> str:
    out = to_json(value, t)  # type: ignore[arg-type]
    if isinstance(out, bool):
        return "是" if out else "否"
    return _PARTIES_ZH.get(str(out), str(out)) if str(t) == "party" else str(out)
