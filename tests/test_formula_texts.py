"""What a trace prints of each formula is made when a regime is compiled and kept in the program (issue 18):
its text, its term shape, the names it writes (`ir.Program.formulas`), and the facts the events' dates are read
from (`ir.Program.event_facts`). A shape holds its sub-expression itself, so after the cache the evaluator's
values (recorded by `id()` of the sub-expression) are still found: the result JSON of a program loaded from the
cache is the compiled program's, byte for byte, and both are what the evaluator makes without the records."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from engine.build import cache
from engine.model import ir
from engine.model.events import event_facts
from engine.model.printer import show
from engine.model.subexpressions import children, formulas_of
from engine.model.term_shapes import FormulaText, Shape
from engine.run.case import read_case
from engine.run.evaluate import Evaluator
from engine.run.result import evaluate, result_json
from lawtrace.law import (DEFAULT_REGIME, case_as_of, case_date, case_kind, check_requirements, compile_program,
                          validate_facts)

ROOT = Path(__file__).resolve().parent.parent
# Every case file of examples/ that `lawtrace eval` takes, with the overlays their comments run them with.
CASES = [(p, ()) for p in sorted((ROOT / "examples").glob("*.yaml"))]
CASES += [(p, ()) for p in sorted((ROOT / "examples" / "overlays").glob("*.yaml"))]
CASES += [(ROOT / "examples" / "grade7.yaml", (ROOT / "examples" / "overlays" / "grade7_15months.lt",))]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("formula-texts-cache")


_programs: dict[tuple[str, tuple[Path, ...]], tuple[ir.Program, ir.Program]] = {}


def _compiled_and_loaded(regime: str, rules: tuple[Path, ...], cache_dir: Path,
                         monkeypatch: pytest.MonkeyPatch) -> tuple[ir.Program, ir.Program]:
    """The program compiled now, and the same program stored in and loaded from a cache of this module's own."""
    monkeypatch.setenv("LAWTRACE_CACHE_DIR", str(cache_dir))
    got = _programs.get((regime, rules))
    if got is None:
        compiled = compile_program(regime, rules)
        at = cache.place(regime, rules)
        assert at is not None
        assert cache.store(at.slot, at.key, compiled) is not None
        loaded = cache.load_program(at, regime)
        assert loaded is not None and loaded is not compiled
        got = _programs[(regime, rules)] = (compiled, loaded)
    return got


def _result_text(program: ir.Program, path: Path, made_at_run_time: bool | None = None) -> str:
    """The result JSON (trace included) of a case file, evaluated as `lawtrace eval` does, by a fresh evaluator;
    `made_at_run_time`: whether the evaluator must have made a formula's record itself."""
    case = read_case(str(path))
    evaluator = Evaluator(program)
    facts = validate_facts(program, case)
    on, kind, as_of = case_date(case, None), case_kind(case), case_as_of(case, None)
    check_requirements(evaluator, case, facts, on, as_of)
    text = json.dumps(result_json(evaluate(evaluator, facts, on, kind, as_of)), ensure_ascii=False, indent=1)
    if made_at_run_time is not None:
        assert (evaluator._maker is not None) is made_at_run_time
    return text


def test_the_values_a_case_records_are_found_under_a_loaded_program_s_shapes(cache_dir: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The first operand of every traced formula's tree is always evaluated (a condition's left side, a choice's
    condition, a call's arguments, the parts of a sum): its value must be found by id of the shape's `sub`."""
    _, loaded = _compiled_and_loaded(DEFAULT_REGIME, (), cache_dir, monkeypatch)
    evaluator = Evaluator(loaded)
    case = read_case(str(ROOT / "examples" / "grade7.yaml"))
    r = evaluate(evaluator, validate_facts(loaded, case), case_date(case, None), "worker", case_as_of(case, None))
    checked = 0
    for t in r.evaluation.trace.values():
        shape = evaluator.formula(t.expr).shape if t.expr is not None else None
        if shape is not None and shape.args:
            assert id(shape.args[0].sub) in t.terms, (t.id, shape.args[0].expr)
            checked += 1
    assert checked > 50


def _formulas(program: ir.Program) -> list[ir.Expr]:
    return [e for n in program.nodes.values() for e, _ in formulas_of(n) if e is not None]


def _shapes(shape: Shape | None) -> list[Shape]:
    out, stack = [], [shape]
    while stack:
        s = stack.pop()
        if s is not None:
            out.append(s)
            stack.extend(s.args)
    return out


def test_a_loaded_program_s_records_hold_its_own_expressions(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled, loaded = _compiled_and_loaded(DEFAULT_REGIME, (), cache_dir, monkeypatch)
    for program in (compiled, loaded):
        formulas = {id(e): e for e in _formulas(program)}
        assert {id(f.expr) for f in program.formulas} == set(formulas)  # every formula once, the node's own object
        below: set[int] = set()
        stack = list(formulas.values())
        while stack:
            e = stack.pop()
            below.add(id(e))
            stack.extend(children(e))
        shapes = [s for f in program.formulas for s in _shapes(f.shape)]
        assert len(shapes) > 500
        assert all(id(s.sub) in below for s in shapes)  # the very sub-expression the evaluator records a value for
        for f in program.formulas:
            assert isinstance(f, FormulaText) and f.text == show(f.expr)
            assert f.shape is None or f.shape.sub is f.expr
    # the loaded records are the compiled ones' equals, but made of the loaded program's own objects
    assert [msgspec.structs.astuple(f)[1:] for f in loaded.formulas] == \
        [msgspec.structs.astuple(f)[1:] for f in compiled.formulas]


def test_the_events_facts_are_kept_in_the_program(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled, loaded = _compiled_and_loaded(DEFAULT_REGIME, (), cache_dir, monkeypatch)
    worked_out = event_facts(msgspec.structs.replace(compiled, event_facts=None))
    assert "suspension_end_date" in worked_out
    assert compiled.event_facts == loaded.event_facts == worked_out
    assert Evaluator(loaded).event_facts is loaded.event_facts


@pytest.mark.parametrize("path, rules", CASES, ids=lambda x: x.name if isinstance(x, Path) else "+".join(p.name for p in x))
def test_result_json_is_the_same_compiled_loaded_and_without_records(path: Path, rules: tuple[Path, ...], cache_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    regime = read_case(str(path)).regime or DEFAULT_REGIME
    compiled, loaded = _compiled_and_loaded(regime, rules, cache_dir, monkeypatch)
    fresh = _result_text(compiled, path, made_at_run_time=False)  # every formula traced has its record
    assert '"terms"' in fresh
    assert _result_text(loaded, path, made_at_run_time=False) == fresh
    # the evaluator's own making of texts and shapes (a program the compiler did not finish) gives the same bytes
    bare = msgspec.structs.replace(loaded, formulas=(), event_facts=None)
    assert _result_text(bare, path, made_at_run_time=True) == fresh


def test_a_formula_the_compiler_did_not_see_is_printed_and_shaped_when_traced(cache_dir: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A node replaced after compiling (as the prover's tests do): its new formula has no record; the evaluator
    makes one, and the trace shows the new formula, not the record of the one it replaced."""
    compiled, _ = _compiled_and_loaded(DEFAULT_REGIME, (), cache_dir, monkeypatch)
    node = compiled.nodes["wage_base"]
    assert isinstance(node, ir.ValueNode)
    version = node.versions[0]
    ten = ir.Const(node.type, version.span, Decimal(10))
    odd = ir.Call(node.type, version.span, "max", (version.expr, ten))
    altered = msgspec.structs.replace(compiled, nodes={**compiled.nodes, "wage_base": msgspec.structs.replace(
        node, versions=(msgspec.structs.replace(version, expr=odd),) + node.versions[1:])})
    data = json.loads(_result_text(altered, ROOT / "examples" / "grade7.yaml", made_at_run_time=True))
    traced = next(n for n in data["trace"]["nodes"] if n["id"] == "wage_base")
    assert traced["formula"] == show(odd) and traced["formula"].startswith("max(")
    assert traced["terms"]["func"] == "max" and traced["terms"]["args"][1]["expr"] == "10"
    assert traced["terms"]["args"][1]["known"] is True
