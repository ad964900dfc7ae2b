"""`lawtrace check`: parse, resolve, type-check and compile statute files, collecting every diagnostic."""

from __future__ import annotations

from pathlib import Path

from dsl import ast
from dsl.errors import ErrorList, LawtraceError
from dsl.parser import parse_file
from dsl.source import SourceFile
from engine.model import ir
from engine.build.catalog import Catalog, display_name, index, statute_files
from engine.build.compile import compile_regime
from engine.model.diagnostics import Diagnostic


def check_paths(paths: tuple[Path, ...], regime: str | None) -> tuple[list[LawtraceError], list[Diagnostic]]:
    """Errors and warnings for the given files (default: every shipped statute, every regime)."""
    errors: list[LawtraceError] = []
    given: list[ast.Module] = []
    sources: dict[str, SourceFile] = {}
    files = list(paths) if paths else statute_files()
    expanded: list[Path] = []
    for p in files:
        if p.is_dir():
            expanded.extend(sorted(p.rglob("*.lt")))
        elif not p.exists():
            errors.append(LawtraceError(f"{p}: no such file"))
        else:
            expanded.append(p)
    for p in expanded:
        name = display_name(p)
        try:
            sources[name] = SourceFile.read(p, name)
            given.append(parse_file(p, name))
        except LawtraceError as e:
            errors.append(e)
    if errors:
        return _flatten(errors), []
    shipped: list[ast.Module] = []
    if paths:
        given_files = {m.file for m in given}
        given_codes = {m.instrument.code for m in given if m.instrument}
        given_regimes = {r.name for m in given for r in m.regimes}
        for p in statute_files():
            name = display_name(p)
            if name in given_files:
                continue
            try:
                m = parse_file(p, name)
            except LawtraceError as e:
                errors.append(e)
                continue
            if m.instrument and m.instrument.code in given_codes:
                continue
            if m.regimes and set(r.name for r in m.regimes) & given_regimes:
                continue
            shipped.append(m)
            sources[name] = SourceFile.read(p, name)
    try:
        catalog = index(shipped + given, sources)
    except LawtraceError as e:
        return _flatten([e]), []
    warnings: list[Diagnostic] = []
    for name, overlays in _targets(catalog, given if paths else [], regime):
        try:
            program = compile_regime(catalog, name, overlays)
            warnings.extend(w for w in program.warnings if w not in warnings)
            warnings.extend(w for w in layer_warnings(program) if w not in warnings)
        except LawtraceError as e:
            for err in _flatten([e]):
                if err.render() not in {x.render() for x in errors}:
                    errors.append(err)
    return errors, warnings


def layer_warnings(program: ir.Program) -> list[Diagnostic]:
    """A warning for every lower rule refused for want of authority, citing it and the higher rule that prevails."""
    out: list[Diagnostic] = []
    by_change = {id(c.change): c for cs in program.conflicts.values() for c in cs}  # a refused split sits on the item
    for change in program.changes:
        conflict = by_change.get(id(change))
        if conflict is not None:
            out.append(conflict.warning)  # type: ignore[arg-type]
    return out


def _targets(catalog: Catalog, given: list[ast.Module], regime: str | None) -> list[tuple[str, tuple[ast.Module, ...]]]:
    if regime is not None:
        in_regime = set(catalog.expand(regime)) if regime in catalog.regimes else set()
        overlays = tuple(m for m in given if m.instrument and m.instrument.code not in in_regime)
        return [(regime, overlays)]
    names = sorted(catalog.regimes)
    if not given:
        return [(n, ()) for n in names]
    codes = {m.instrument.code for m in given if m.instrument}
    hit = [n for n in names if codes & set(catalog.expand(n))]
    loose = tuple(m for m in given if m.instrument and not any(m.instrument.code in catalog.expand(n) for n in names))
    targets = [(n, ()) for n in hit]
    if loose:
        targets.append(("national", loose))
    if not targets:
        targets = [(n, ()) for n in names]
    return targets


def _flatten(errors: list[LawtraceError]) -> list[LawtraceError]:
    out: list[LawtraceError] = []
    for e in errors:
        out.extend(e.errors if isinstance(e, ErrorList) else [e])
    return out
