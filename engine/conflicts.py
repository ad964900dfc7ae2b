"""Conflicts between layers at run time: where a lower rule refused for want of authority would have answered otherwise.

The higher rule's answer stands (上位法优于下位法). For each refused rule on a
node just evaluated, the refused rule is evaluated too, apart from the trace of
the node (it is not an input of the answer), and a warning citing both rules is
added to the result wherever the two differ, or where only the lower one
would decide. Nothing is reported where the two agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
            lower = ev.get(conflict.shadow)
        finally:
            ev._frames.pop()
        if not lower.known or (value.known and value.value == lower.value):
            continue
        change = conflict.change
        lower_cites = ", ".join(c.en() for c in change.cites) or change.instrument
        higher_cites = ", ".join(c.en() for c in change.replaced_cites) or str(change.replaced_instrument)
        shown = to_json(lower.value, node.type)
        if value.known:
            message = (f"{lower_cites} would give {node_id} = {shown}; {higher_cites} gives "
                       f"{to_json(value.value, node.type)} and prevails as the higher rule (上位法优于下位法)")
        else:
            message = (f"{lower_cites} would give {node_id} = {shown}; {higher_cites} decides it and prevails "
                       f"as the higher rule (上位法优于下位法), but the facts it needs are missing")
        d = Diagnostic("warning", message, change.cites + change.replaced_cites, change.span)
        if d not in ev.diagnostics:
            ev.diagnostics.append(d)
