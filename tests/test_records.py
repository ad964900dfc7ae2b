"""The engine's frozen records are msgspec Structs, made without `exec` at import (issue 18), and keep the meaning
they had as dataclasses: equality, hashing, ordering, copies, pickling through the cache's allow-list."""

from __future__ import annotations

import dataclasses
import importlib
import os
import pickle
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from dsl import ast, records
from dsl import types as T
from dsl.source import Span
from engine.build import cache
from engine.model import ir
from engine.model.citations import Citation

# The modules of the records a compiled program is made of, and of the others a warm eval, explain or ask imports.
RECORD_MODULES = ("engine.model.term_shapes", "engine.run.trace_terms", "engine.run.result", "engine.run.periods", "engine.run.case", "engine.run.evaluate", "dsl.types", "dsl.source", "dsl.errors", "engine.model.ir", "engine.model.citations",
                  "engine.model.diagnostics", "engine.model.events", "engine.model.safe_load", "engine.model.values",
                  "engine.model.printer", "engine.law_time.dates", "engine.law_time.workdays", "engine.build.cache",
                  "engine.build.catalog", "explain.articles", "engine.analysis.questions", "lawtrace.receipt")
SPAN = Span("t.lt", 1, 1, 1, 2)


def test_no_record_module_defines_a_dataclass():
    for name in RECORD_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == name:
                assert not dataclasses.is_dataclass(value), f"{name}.{value.__name__} is a dataclass"


def test_the_ir_and_the_types_are_frozen_structs():
    for module in (ir, T):
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and value.__name__ != "Type" \
                    and not value.__name__.startswith("_"):
                assert issubclass(value, msgspec.Struct) and value.__struct_config__.frozen, value


@pytest.mark.parametrize("args", [["eval", "examples/grade7.yaml"],
                                  ["explain", "examples/grade7.yaml", "one_time_disability_subsidy"],
                                  ["ask", "examples/grade7.yaml", "--next"]])
def test_a_warm_command_execs_no_dataclass(args, tmp_path):
    """A warm run (its program cached) with `dataclasses._process_class` spied on: no class of ours calls it."""
    code = textwrap.dedent("""
        import contextlib, dataclasses, io, sys
        made = []
        real = dataclasses._process_class
        def spy(cls, *args, **kwargs):
            made.append(cls.__module__ + "." + cls.__qualname__)
            return real(cls, *args, **kwargs)
        dataclasses._process_class = spy
        sys.argv = ["lawtrace"] + sys.argv[1:]
        from lawtrace.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main()
            except SystemExit as e:
                assert not e.code, e.code
        print(" ".join(made))
    """)
    env = {**os.environ, "LAWTRACE_CACHE_DIR": str(tmp_path)}
    root = Path(__file__).resolve().parent.parent
    for _ in range(2):  # the first run compiles and stores the program; the second is warm
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env,
                             cwd=root).stdout
    assert out.split() == []


def test_equality_and_hash_are_by_value():
    a = ir.Binary(T.MONEY, SPAN, "+", ir.Ref(T.MONEY, SPAN, "x"), ir.Const(T.MONEY, SPAN, Decimal("1")))
    b = ir.Binary(T.MONEY, SPAN, "+", ir.Ref(T.MONEY, SPAN, "x"), ir.Const(T.MONEY, SPAN, Decimal("1")))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert ir.Ref(T.MONEY, SPAN, "x") != ir.Local(T.MONEY, SPAN, "x")  # same fields, another class
    assert T.IntType() != T.RateType() and T.INT == T.IntType() and T.IntType(1, 10) != T.INT


def test_an_enums_words_do_not_make_another_type():
    plain = T.EnumType(("a", "b"))
    worded = T.EnumType(("a", "b"), (("a", ("甲", "A")),))
    assert plain == worded and not plain != worded and hash(plain) == hash(worded)
    assert plain != T.EnumType(("a", "c")) and worded.label("a", "zh") == "甲"


def test_citations_sort_as_tuples():
    cites = [Citation("WIIR", None, 37, 1), Citation("SIL", "2010", 38), Citation("WIIR", None, 35)]
    assert sorted(cites) == [Citation("SIL", "2010", 38), Citation("WIIR", None, 35), Citation("WIIR", None, 37, 1)]


def test_records_replace_and_field_names_read_both_kinds():
    node = ir.ParamVersion(date(2020, 1, 1), Decimal("1"), (), None, SPAN)
    changed = records.replace(node, value=Decimal("2"))
    assert changed.value == Decimal("2") and node.value == Decimal("1") and changed.start == node.start
    name = ast.Name(SPAN, "a")
    assert records.replace(name, name="b") == ast.Name(SPAN, "b")
    assert records.field_names(node) == ("start", "value", "cites", "source", "span", "cite_when")
    assert records.field_names(name) == ("span", "name") and records.field_names("text") == ()


@pytest.fixture(scope="module")
def national() -> ir.Program:
    from engine.build.catalog import load_catalog
    from engine.build.compile import compile_regime

    return compile_regime(load_catalog(), "national")


def test_a_program_equals_another_whatever_its_graph(national):
    program = national
    other = msgspec.structs.replace(program, graph=ir.DepGraph((), (), ()))
    assert other == program and not other != program
    assert msgspec.structs.replace(program, regime="x") != program


def test_the_graphs_cached_adjacency_is_not_pickled():
    g = ir.DepGraph((ir.GraphNode("a"), ir.GraphNode("b")), (("a", "b", "value"),), ("a", "b"))
    assert g.readers("a") == ("b",) and g.descendants("a") == {"b"}
    back = pickle.loads(pickle.dumps(g, protocol=5))
    assert back == g and "_readers" not in back.__dict__ and back.ancestors("b") == {"a"}


def test_a_program_round_trips_through_the_cache(national, tmp_path, monkeypatch):
    monkeypatch.setenv("LAWTRACE_CACHE_DIR", str(tmp_path))
    program = national
    cache.store("slot", "key", program)
    back = cache.load("slot", "key")
    assert isinstance(back, ir.Program) and back == program and back.graph == program.graph
    assert back.nodes["wage_base"] == program.nodes["wage_base"]


def test_an_entry_naming_a_class_off_the_list_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWTRACE_CACHE_DIR", str(tmp_path))
    cache.store_bytes("slot", "key", pickle.dumps(records.replace, protocol=5))  # signed, but names a function
    assert cache.load("slot", "key") is None


@pytest.mark.parametrize("cls", [ir.Program, ir.Const, T.EnumType, Span, Citation])
def test_the_allow_list_holds_the_records(cls):
    assert cache._allowed()[(cls.__module__, cls.__name__)] is cls


def test_loading_leaves_the_collector_as_it_found_it(national, tmp_path, monkeypatch):
    import gc

    monkeypatch.setenv("LAWTRACE_CACHE_DIR", str(tmp_path))
    cache.store("slot", "key", national)
    assert gc.isenabled()
    assert cache.load("slot", "key") == national and gc.isenabled()
    cache.store_bytes("other", "bad", b"not a pickle")  # signed, but damaged: a miss
    assert cache.load("other", "bad") is None and gc.isenabled()
    gc.disable()
    try:
        assert cache.load("slot", "key") == national and not gc.isenabled()
    finally:
        gc.enable()


def test_the_expression_classes_are_final():
    """`engine.model.term_shapes.structured` tells a condition, choice or call by its class's identity."""
    for cls in (ir.Binary, ir.Unary, ir.Cond, ir.Call, ir.Ref, ir.Const):
        assert cls.__subclasses__() == [], cls
