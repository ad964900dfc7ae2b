"""A saved result JSON checked before it is explained: every field an explanation reads has the shape lawtrace writes.

A result file may have been edited or corrupted since it was written. Rather than
fail somewhere inside the explanation, the fields the explanation reads are
checked here first, and the first one that is not as `lawtrace eval --format json`
writes it is named by its path (`items[4].basis[0].article`). Whether the figures
themselves are still the engine's is a separate question: `lawtrace verify`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from dsl.errors import LawtraceError

TRACE_SCHEMA = "lawtrace.trace/1"
PAYABLE = (True, False, None)


class _Bad(Exception):
    def __init__(self, path: str, expected: str, found: object):
        shown = repr(found)
        super().__init__(f"{path}: expected {expected}, found {shown if len(shown) < 60 else shown[:57] + '...'}")


def check_saved_result(data: dict[str, object]) -> None:
    """Raise a LawtraceError naming the first field that is not as lawtrace writes it."""
    try:
        _check(data)
    except _Bad as e:
        raise LawtraceError(f"the saved result is not as lawtrace writes it: {e}; evaluate the case again") from None


def _check(data: dict[str, object]) -> None:
    trace = _dict(data.get("trace"), "trace")
    if trace.get("schema") != TRACE_SCHEMA:
        raise _Bad("trace.schema", f"'{TRACE_SCHEMA}' (the trace this lawtrace reads)", trace.get("schema"))
    for i, node in enumerate(_list(trace.get("nodes"), "trace.nodes")):
        where = f"trace.nodes[{i}]"
        node = _dict(node, where)
        _str(node.get("id"), f"{where}.id")
        for j, c in enumerate(_list(node.get("citations", []), f"{where}.citations")):
            _citation(c, f"{where}.citations[{j}]")
        _list(node.get("inputs", []), f"{where}.inputs")
    for i, meta in enumerate(_list(trace.get("items"), "trace.items")):
        where = f"trace.items[{i}]"
        meta = _dict(meta, where)
        _str(meta.get("id"), f"{where}.id")
        for f, node_id in _dict(meta.get("fields"), f"{where}.fields").items():
            _str(node_id, f"{where}.fields.{f}")
        for j, p in enumerate(_list(meta.get("parts", []), f"{where}.parts")):
            p = _dict(p, f"{where}.parts[{j}]")
            for k in ("name", "amount", "payer"):
                _str(p.get(k), f"{where}.parts[{j}].{k}")
    for i, a in enumerate(_list(trace.get("articles", []), "trace.articles")):
        _citation(a, f"trace.articles[{i}]")
    for i, item in enumerate(_list(data.get("items"), "items")):
        where = f"items[{i}]"
        item = _dict(item, where)
        _str(item.get("id"), f"{where}.id")
        if item.get("payable") not in PAYABLE or not isinstance(item.get("payable"), (bool, type(None))):
            raise _Bad(f"{where}.payable", "true, false or null", item.get("payable"))
        for k in ("amount", "amount_if_payable"):
            _money(item.get(k), f"{where}.{k}")
        for j, c in enumerate(_list(item.get("basis", []), f"{where}.basis")):
            _citation(c, f"{where}.basis[{j}]")
        for j, p in enumerate(_list(item.get("parts", []), f"{where}.parts")):
            _money(_dict(p, f"{where}.parts[{j}]").get("amount"), f"{where}.parts[{j}].amount")
        _list(item.get("missing", []), f"{where}.missing")
        _list(item.get("undetermined", []), f"{where}.undetermined")


def _dict(x: object, path: str) -> dict[str, object]:
    if not isinstance(x, dict):
        raise _Bad(path, "an object", x)
    return x


def _list(x: object, path: str) -> list[object]:
    if not isinstance(x, list):
        raise _Bad(path, "a list", x)
    return x


def _str(x: object, path: str) -> None:
    if not isinstance(x, str):
        raise _Bad(path, "a text", x)


def _int(x: object, path: str) -> None:
    if isinstance(x, bool) or not isinstance(x, int) or not 0 < x < 10_000:
        raise _Bad(path, "a whole number (an article, paragraph or item)", x)


def _citation(c: object, path: str) -> None:
    c = _dict(c, path)
    _str(c.get("instrument"), f"{path}.instrument")
    _int(c.get("article"), f"{path}.article")
    for k in ("paragraph", "item"):
        if c.get(k) is not None:
            _int(c[k], f"{path}.{k}")


def _money(x: object, path: str) -> None:
    if x is None:
        return
    if not isinstance(x, str) or len(x) > 40:
        raise _Bad(path, "an amount written as a decimal string (\"1234.50\") or null", x)
    try:
        ok = Decimal(x).is_finite()
    except InvalidOperation:
        ok = False
    if not ok:
        raise _Bad(path, "an amount written as a decimal string (\"1234.50\") or null", x)
