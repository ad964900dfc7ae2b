"""The law loaded: the catalog of statutes (with a user's overlays), regimes from the cache of compiled programs
(`engine.build.cache`) or compiled and stored, a case evaluated.

Running a case never imports the parser, the compiler or networkx unless it has to compile.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dsl.errors import LawtraceError
from dsl.source import SourceFile
from engine.build import cache
from engine.build.catalog import Catalog, display_name, index, load_catalog
from engine.model import ir
from engine.run.case import Case, case_as_of, case_date, case_kind, check_requirements, parse_case, read_case, validate_facts
from engine.run.evaluate import Evaluator
from engine.run.result import Result, evaluate

if TYPE_CHECKING:
    from dsl import ast

DEFAULT_REGIME = "national"


@functools.cache
def catalog() -> Catalog:
    return load_catalog()


def with_overlays(rules: tuple[Path, ...]) -> Catalog:
    """The shipped catalog plus a user's overlay files: each declares an instrument (with its `level`), and may
    declare regimes of its own (`regime my_reform "..." = national + MINE`)."""
    if not rules:
        return catalog()
    from dsl.parser import parse_file

    base = catalog()
    extra = []
    sources = dict(base.sources)
    for path in rules:
        if not path.exists():
            raise LawtraceError(f"{path}: no such rules file")
        if not path.is_file():
            raise LawtraceError(f"{path}: not a regular file: give a statute file (*.lt)")
        name = display_name(path)
        extra.append(parse_file(path, name))
        sources[name] = SourceFile.read(path, name)
    return index(list(base.modules) + extra, sources)


def overlay_modules(cat: Catalog, regime: str, rules: tuple[Path, ...]) -> tuple[ast.Module, ...]:
    """The user's modules to stack on `regime`: those whose instrument the regime does not already include."""
    files = {display_name(p) for p in rules}
    included = set(cat.expand(regime)) if regime in cat.regimes else set()
    return tuple(m for m in cat.modules
                 if m.file in files and m.instrument is not None and m.instrument.code not in included)


def _compiled(regime: str, rules: tuple[Path, ...]) -> tuple[ir.Program, Evaluator]:
    """The compiled regime with its overlays, cached by the overlays' contents: a file edited since is compiled anew."""
    return _compiled_stamped(regime, tuple((p, _content(p)) for p in rules))


def _content(path: Path) -> bytes | None:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None  # with_overlays says what is wrong with it


@functools.lru_cache(maxsize=32)
def _compiled_stamped(regime: str, stamped: tuple[tuple[Path, bytes | None], ...]) -> tuple[ir.Program, Evaluator]:
    rules = tuple(p for p, _ in stamped)
    at = cache.place(regime, rules)
    program = cache.load_program(at, regime) if at is not None else None
    if program is None:
        program = compile_program(regime, rules)
        if at is not None and cache.place(regime, rules) == at:  # the sources did not change while compiling
            cache.store(at.slot, at.key, program)
    return program, Evaluator(program)


def cached_program(regime: str, rules: tuple[Path, ...] = ()) -> ir.Program | None:
    """The regime's program if the cache holds it for the current sources; never compiles."""
    at = cache.place(regime, rules)
    return cache.load_program(at, regime) if at is not None else None


def compile_program(regime: str, rules: tuple[Path, ...] = ()) -> ir.Program:
    """Parse and compile a regime with its overlays, without the cache."""
    from engine.build.compile import compile_regime

    cat = with_overlays(rules)
    return compile_regime(cat, regime, overlay_modules(cat, regime, rules))


@functools.cache
def regime_names() -> tuple[str, ...]:
    """The names of the shipped regimes (from the cache when the statutes have not changed), once per process."""
    at = cache.place("\0regimes")
    names = cache.load(at.slot, at.key) if at is not None else None
    if isinstance(names, tuple) and all(isinstance(n, str) for n in names):
        return names
    names = tuple(sorted(catalog().regimes))
    if at is not None:
        cache.store(at.slot, at.key, names)
    return names


def load_program(regime: str = DEFAULT_REGIME, rules: tuple[Path, ...] = ()) -> ir.Program:
    return _compiled(regime, tuple(rules))[0]


def evaluator(regime: str = DEFAULT_REGIME, rules: tuple[Path, ...] = ()) -> Evaluator:
    return _compiled(regime, tuple(rules))[1]


def evaluate_case(case: str | Case | dict, regime: str | None = None, on: str | None = None,
                  rules: tuple[Path, ...] = (), as_of: str | None = None) -> Result:
    """Evaluate a case (a path, `-`, a parsed Case, or a dict as in a case file); `as_of` overrides the case's."""
    if isinstance(case, dict):
        import json

        from dsl.source import SourceFile

        case = parse_case(SourceFile("<case>", json.dumps(case, default=str, ensure_ascii=False)))
    elif isinstance(case, str):
        case = read_case(case)
    name = regime or case.regime or DEFAULT_REGIME
    program, ev = _compiled(name, tuple(rules))
    facts = validate_facts(program, case)
    when: date | None = case_date(case, on)
    kind, evaluated_on = case_kind(case), case_as_of(case, as_of)
    check_requirements(ev, case, facts, when, evaluated_on)
    return evaluate(ev, facts, when, kind, evaluated_on)


def regimes() -> list[dict[str, object]]:
    """Each shipped regime: its instruments (highest first, with level and dates in force) and every change a lower
    instrument or a reform makes in it (fills, overrides, added parts; `applied: false` where the higher rule prevails)."""
    out = []
    for name in regime_names():  # from the cached programs: no statute parsed
        program = load_program(name)
        instruments = [{"code": i.code, "title": {"zh": i.title_zh, "en": i.title_en}, "level": i.level,
                        "under": i.under, "versions": [{"version": v, "in_force": d.isoformat()} for v, d in i.versions],
                        "file": i.file} for i in program.instruments]
        out.append({"name": name, "label": {"zh": program.labels.zh, "en": program.labels.en},
                    "instruments": instruments, "overrides": [c.as_json() for c in program.changes]})
    return out


def baseline_rules(baseline: str, rules: tuple[Path, ...]) -> tuple[Path, ...]:
    """The overlays a baseline is compiled with: none for a shipped regime, the user's for a regime they declare."""
    return () if baseline in regime_names() else tuple(rules)


def other_facts() -> frozenset[str]:
    """Every fact of every shipped regime: a population column naming one is read past by a regime that lacks it."""
    out: set[str] = set()
    for name in regime_names():
        try:
            out.update(f.id for f in load_program(name).facts())
        except LawtraceError:
            continue
    return frozenset(out)
