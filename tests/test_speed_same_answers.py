"""The shortcuts of the single-case evaluator change no answer (issue 18).

Periods take over what the whole case settled (`engine.run.periods`), and an item's basis is gathered from what
its inputs already gathered (`engine.run.result._cited_below`): the whole result JSON, trace included, must be the
same as without the first and as the plain walk of the trace for the second, on every example case and on every
case of the statutes' own tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.model.citations import Citation
from engine.run import periods
from engine.run.case import case_as_of, case_date, case_kind, read_case, validate_facts
from engine.run.evaluate import Evaluation
from engine.run.result import _basis, evaluate, result_json
from lawtrace.api import evaluator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _result(path: Path) -> tuple[dict[str, object], object]:
    case = read_case(str(path))
    ev = evaluator(case.regime or "national")
    facts = validate_facts(ev.program, case)
    result = evaluate(ev, facts, case_date(case, None), case_kind(case), case_as_of(case, None))
    return result_json(result), result


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_periods_taking_over_the_whole_case_change_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, _ = _result(path)
    monkeypatch.setattr(periods, "TAKE_OVER", False)
    slow, _ = _result(path)
    assert json.dumps(fast, ensure_ascii=False, indent=1) == json.dumps(slow, ensure_ascii=False, indent=1)


# cases of several periods (tests/test_streams.py): grading, death, a dependant turning 18, retirement, recurrence
_BASE = {"work_injury_recognized": True, "employer_insured": True, "monthly_wage": 7000,
         "regional_avg_monthly_wage": 8000, "minimum_wage": 2000}
_GRADE3 = {**_BASE, "off_work_for_treatment": True, "original_monthly_pay": 7000, "disability_grade": 3,
           "appraisal_conclusion_date": "2022-09-10", "care_level": "partial"}
STREAMS = {
    "grading": ({**_GRADE3}, "2022-01-10"),
    "death_after_suspension": ({**_GRADE3, "died": False, "died_after_suspension": True, "death_date": "2023-03-15",
                                "regional_avg_wages": [{"year": 2022, "monthly_wage": 8500}],
                                "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False}]}, "2022-01-10"),
    "child_turns_18": ({**_BASE, "monthly_wage": 6000, "died": True, "death_date": "2020-07-01",
                        "dependents": [{"relation": "spouse", "orphan_or_lone_elder": False},
                                       {"relation": "child", "orphan_or_lone_elder": False, "birth_date": "2004-09-01",
                                        "fully_incapacitated": False},
                                       {"relation": "parent", "orphan_or_lone_elder": True}]}, "2020-06-15"),
    "retirement": ({**_BASE, "monthly_wage": 6000, "disability_grade": 4, "appraisal_conclusion_date": "2021-03-01",
                    "retirement_date": "2025-05-01", "basic_pension": 3000}, "2020-11-01"),
    "no_dates": ({**_GRADE3, "appraisal_conclusion_date": None, "died": True}, "2022-01-10"),
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_periods_of_several_spans_are_the_same_taken_over_or_not(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from lawtrace.api import evaluate_case

    facts, on = STREAMS[name]
    case = {"regime": "national", "date": on, "facts": {k: v for k, v in facts.items() if v is not None}}
    fast = result_json(evaluate_case(case))
    monkeypatch.setattr(periods, "TAKE_OVER", False)
    slow = result_json(evaluate_case(case))
    assert json.dumps(fast, ensure_ascii=False, indent=1) == json.dumps(slow, ensure_ascii=False, indent=1)
    starts = {p["from"] for i in fast["items"] for p in i.get("periods") or ()}  # type: ignore[union-attr]
    assert len(starts) > 1 or name == "no_dates"  # judged in more than one span


def _walked_basis(ev: Evaluation, roots: list[str]) -> tuple[Citation, ...]:
    """The basis as the trace is walked: depth first, inputs before the rule that reads them, each citation once
    (#14's E2: not through an input read only to choose a citation, nor an event taken as not having happened)."""
    seen: set[str] = set()
    out: dict[Citation, None] = {}

    def visit(node_id: str) -> None:
        if node_id in seen:
            return
        seen.add(node_id)
        t = ev.trace.get(node_id)
        if t is None:
            return
        a = ev.assumed.get(node_id)
        if t.kind == "fact" and t.assumed and a is not None and a.kind == "later_events":
            return  # an event taken as not having happened is no ground (E2)
        for i in t.inputs:
            if i not in t.cite_inputs:  # read only to choose a citation (E2)
                visit(i)
        if t.kind == "fact" and not t.assumed:
            return
        for c in t.citations:
            out.setdefault(c, None)

    for r in roots:
        visit(r)
    return tuple(out)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_kept_basis_is_the_walked_one(path: Path) -> None:
    _, result = _result(path)
    ev = result.evaluation  # type: ignore[attr-defined]
    checked = 0
    for item in result.items:  # type: ignore[attr-defined]
        f = item.benefit.fields
        roots = [f[k] for k in ("payable", "amount", "payer", "advance_payer", "recover_from") if k in f]
        roots += [x for p in item.benefit.parts for x in (p.amount, p.payer)]
        fresh = Evaluation(ev.evaluator, ev.facts, ev.date, ev.evaluated_on)
        fresh.trace, fresh.assumed = ev.trace, ev.assumed
        for r in [roots, roots[:1], list(reversed(roots))]:
            assert _basis(fresh, r) == _walked_basis(ev, r)
            checked += 1
    assert checked


# ---------------------------------------------------------------- the result JSON and its receipt, made faster (#18)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?")


def _walked_labels(out_nodes: list[dict], nodes: dict) -> dict[str, dict[str, object]]:
    """The trace's `labels` as they were first found: every name written in a node's formula and terms, searched in
    the text of the trace as written (`result._unread_labels` now finds them once per formula)."""
    from dsl import types as T

    read = {str(n["id"]) for n in out_nodes}
    texts: list[str] = []

    def walk(term: object) -> None:
        if isinstance(term, dict):
            texts.append(str(term.get("expr", "")))
            for a in term.get("args", []) or []:
                walk(a)

    for n in out_nodes:
        texts.append(str(n.get("formula") or ""))
        walk(n.get("terms"))
    fields = {f.name: f for n in nodes.values() if isinstance(getattr(n, "type", None), T.ListType)
              for f in n.type.fields if f.label_zh or f.label_en}
    labels: dict[str, dict[str, object]] = {}
    for name in {m.group(0) for t in texts for m in _NAME.finditer(t)}:
        node = nodes.get(name)
        if node is not None and name not in read and getattr(node, "labels", None) is not None:
            labels[name] = {"zh": node.labels.zh, "en": node.labels.en}
        elif node is None and "." in name and name.split(".", 1)[1] in fields:
            f = fields[name.split(".", 1)[1]]
            labels[name] = {"zh": f.label_zh or f.label_en, "en": f.label_en or f.label_zh}
    return dict(sorted(labels.items()))


_CASES = [(p.stem, str(p)) for p in EXAMPLES] + [
    (name, {"regime": "national", "date": on, "facts": facts}) for name, (facts, on) in sorted(STREAMS.items())]


@pytest.mark.parametrize("name,case", _CASES, ids=[n for n, _ in _CASES])
def test_the_trace_labels_are_those_the_written_trace_names(name: str, case: object) -> None:
    from lawtrace.api import evaluate_case

    if isinstance(case, dict):
        case = {**case, "facts": {k: v for k, v in case["facts"].items() if v is not None}}  # type: ignore[index]
    result = evaluate_case(case)
    trace = result_json(result)["trace"]
    assert trace["labels"] == _walked_labels(trace["nodes"], result.program.nodes)  # type: ignore[index]
    assert trace["labels"] or name == "no_dates"  # type: ignore[index]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_receipt_hashes_the_bytes_of_canonical_json(path: Path) -> None:
    """`receipt.result_canonical` writes the engine's parts with orjson: the bytes of `canonical` exactly, with
    the window of what is owed and the case's own words beside them, on every example and every as-of date."""
    from datetime import date

    from lawtrace import receipt
    from lawtrace.api import evaluate_case, owed_json

    for as_of in (None, "2021-06-30", "2026-12-01"):
        case = read_case(str(path))
        if as_of:
            case.data["as_of"] = as_of
        result = evaluate_case(case)
        data = result_json(result)
        data["owed"] = owed_json(result, date(2020, 1, 1), date(2023, 12, 31))
        data["case"] = {"id": path.stem, "name": "名字 \u2028\x1f", "notes": None}
        assert receipt.result_canonical(data) == receipt.canonical(data)
        attached = receipt.attach(dict(data), case.raw_facts, result.program)
        assert attached["receipt"]["result_sha256"] == receipt.sha256(receipt.canonical(data))


def test_what_orjson_would_write_otherwise_goes_through_the_standard_library() -> None:
    """The case's own words may hold what orjson writes otherwise (a float, NaN) or refuses (a whole number beyond
    64 bits): those parts are written by `canonical`, and the whole is still its bytes."""
    from lawtrace import receipt
    from lawtrace.api import evaluate_case

    data = result_json(evaluate_case(str(EXAMPLES[0])))
    for odd in (1e-05, float("nan"), float("inf"), 1e16, 2**70, {"x": [0.1, 2**64]}):
        data["case"] = {"id": odd}
        assert receipt.result_canonical(data) == receipt.canonical(data)
    data["trace"] = {"odd": [2**70, "x"]}  # even in a part the engine makes (it never does): the same bytes
    assert receipt.result_canonical(data) == receipt.canonical(data)


def _fresh_engine_hash(root: Path) -> str:
    """`engine_hash` worked out from the files alone: every .py and .lark file of dsl/ and engine/, by its name and
    the SHA-256 of its bytes."""
    import hashlib

    h = hashlib.sha256(b"lawtrace engine code 3\0")
    for package in ("dsl", "engine"):
        for p in sorted((root / package).rglob("*")):
            if p.suffix in (".py", ".lark") and "__pycache__" not in p.parts:
                name = str(p.relative_to(root)).encode()
                h.update(b"%d:%s\0" % (len(name), name))
                h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def test_the_engine_hash_is_the_hash_of_the_code_whatever_is_remembered(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the files' digests remembered (engine/build/file_digests.py), the engine's hash is still the one read
    from the files: a file edited, even to the same size and modification time, changes it."""
    import os
    import shutil

    from engine.build import file_digests
    from lawtrace import receipt

    monkeypatch.setenv("LAWTRACE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LAWTRACE_NO_CACHE", raising=False)
    monkeypatch.setattr(file_digests, "RACY_NS", 0)  # the copy was just written: remembered all the same
    file_digests.forget()
    code = tmp_path / "code"
    for package in ("dsl", "engine"):
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    files = receipt._code_files(code)
    assert [n for n, _ in files] == [str(p.relative_to(code)) for pkg in ("dsl", "engine")
                                     for p in sorted((code / pkg).rglob("*")) if p.suffix in (".py", ".lark")]

    def engine_hash() -> str:
        monkeypatch.setattr(receipt, "Path", _Rooted.at(code))
        receipt.engine_hash.cache_clear()
        try:
            return receipt.engine_hash()
        finally:
            monkeypatch.setattr(receipt, "Path", Path)
            receipt.engine_hash.cache_clear()

    truth = _fresh_engine_hash(code)
    assert engine_hash() == truth
    file_digests.forget()  # as a new process: the digests come from the cache
    assert engine_hash() == truth

    grammar = code / "dsl" / "grammar.lark"
    grammar.write_text(grammar.read_text(encoding="utf-8") + "\n// edited\n", encoding="utf-8")
    edited = _fresh_engine_hash(code)
    assert edited != truth and engine_hash() == edited  # another size: read again

    st = grammar.stat()
    grammar.write_bytes(grammar.read_bytes().replace(b"// edited", b"// EDITED"))
    os.utime(grammar, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same size and modification time as `edited`
    same_size = _fresh_engine_hash(code)
    assert same_size != edited and engine_hash() == same_size  # the change time tells
    file_digests.forget()


class _Rooted(type(Path())):  # type: ignore[misc]
    """`Path` whose `__file__` resolves inside a copy of the code: `engine_hash` hashes the copy."""

    code: Path

    @classmethod
    def at(cls, code: Path) -> type:
        return type("Rooted", (cls,), {"code": code})

    def resolve(self, strict: bool = False):  # type: ignore[no-untyped-def]
        resolved = Path(self).resolve(strict)
        return self.code / "lawtrace" / resolved.name if resolved.name == "receipt.py" else resolved
