"""Conflicts between layers at run time: where a lower rule refused for want of authority would have answered otherwise.

The higher rule's answer stands (上位法优于下位法). For each refused rule on a
node just evaluated, the refused rule is evaluated too, apart from the trace of
the node (it is not an input of the answer), and a warning citing both rules is
added to the result wherever the two differ, or where only the lower one
would decide. Nothing is reported where the two agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.citations import Citation
from engine.diagnostics import Diagnostic
from engine.values import UNKNOWN, V, to_json

if TYPE_CHECKING:
    from engine.evaluate import Evaluation


def check_conflicts(ev: Evaluation, node_id: str, value: V) -> None:
    from engine.evaluate import TraceNode

    node = ev.program.nodes[node_id]
    for conflict in ev.program.conflicts.get(node_id, ()):
        ev._frames.append(TraceNode("~conflict", "value", V(UNKNOWN), (), []))  # detached: not an input of the answer
        try:
            refused = ev.get(conflict.shadow)
        finally:
            ev._frames.pop()
        if not refused.known or (value.known and value.value == refused.value):
            continue
        change = conflict.change
        lower = _applied_cites(ev, conflict.shadow) or change.cites
        higher_id = f"{node_id}~{change.replaced_instrument}" if conflict.gap_fill else node_id
        higher = _applied_cites(ev, higher_id) or change.replaced_cites
        lower_text = ", ".join(c.en() for c in lower) or change.instrument
        higher_text = ", ".join(c.en() for c in higher) or str(change.replaced_instrument)
        would = f"{lower_text} would give {node_id} = {to_json(refused.value, node.type)}"
        if value.known:
            message = (f"{would}; {higher_text} gives {to_json(value.value, node.type)} "
                       "and prevails as the higher rule (上位法优于下位法)")
        else:
            message = (f"{would}; {higher_text} decides it and prevails as the higher rule (上位法优于下位法), "
                       "but the facts it needs are missing")
        d = Diagnostic("warning", message, tuple(lower) + tuple(higher), change.span)
        if d not in ev.diagnostics:
            ev.diagnostics.append(d)


def _applied_cites(ev: Evaluation, node_id: str) -> tuple[Citation, ...]:
    """The citations that held for a node in this case (its conditional citations resolved)."""
    t = ev.trace.get(node_id)
    return tuple(t.citations) if t is not None else ()
