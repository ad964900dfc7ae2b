"""`lawtrace check`: parse, resolve, type-check and compile statute files, collecting every diagnostic."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dsl.errors import ErrorList, LawtraceError
from dsl.source import SourceFile
from dsl.texts import missing_zh
from engine.build.catalog import Catalog, display_name, index, statute_files
from engine.model import ir
from engine.model.diagnostics import Diagnostic

if TYPE_CHECKING:
    from dsl import ast


def check_shipped(regime: str | None) -> list[Diagnostic] | None:
    """The warnings of every shipped regime (or of `regime`), each program from the cache or compiled into it; None
    when one fails to compile (`check_paths` then collects every error, located).

    A program is cached only when its regime compiled without error, from sources that have not changed since:
    checking it again would find what it found then.
    """
    from lawtrace import api

    warnings: list[Diagnostic] = []
    try:
        names = [regime] if regime is not None else list(api.regime_names())
        programs = [api.load_program(name) for name in names]
    except LawtraceError:
        return None
    for program in programs:
        warnings.extend(w for w in program.warnings if w not in warnings)  # type: ignore[misc]
        warnings.extend(w for w in layer_warnings(program) if w not in warnings)
    return warnings


def check_paths(paths: tuple[Path, ...], regime: str | None,
                texts: dict[Path, str] | None = None) -> tuple[list[LawtraceError], list[Diagnostic]]:
    """Errors and warnings for the given files (default: every shipped statute, every regime).

    `texts` gives the text of files as an editor holds them (unsaved), by resolved path; others are read from disk.
    """
    from dsl.parser import parse_text, read_source
    from engine.build.compile import compile_regime

    texts = texts or {}

    def read(p: Path, name: str) -> SourceFile:
        text = texts.get(p.resolve())
        return SourceFile(name, text) if text is not None else read_source(p, name)

    errors: list[LawtraceError] = []
    given: list[ast.Module] = []
    sources: dict[str, SourceFile] = {}
    files = list(paths) if paths else statute_files()
    expanded: list[Path] = []
    for p in files:
        if p.is_dir():
            found = sorted(p.rglob("*.lt"))
            if not found:
                errors.append(LawtraceError(f"{p}: no statute files (*.lt) in this directory"))
            expanded.extend(found)
        elif not p.exists() and p.resolve() not in texts:
            errors.append(LawtraceError(f"{p}: no such file"))
        else:
            expanded.append(p)
    for p in expanded:
        name = display_name(p)
        try:
            sources[name] = read(p, name)
            given.append(parse_text(sources[name]))
        except LawtraceError as e:
            errors.append(e)
    if errors:
        return _flatten(errors), []
    untranslated = [Diagnostic("warning", f"no Chinese form for the {what}: write it \"中文\" en \"English\"",
                               span=span, zh=f"缺少中文：{what}")  # type: ignore[arg-type]
                    for m in given for span, what in missing_zh(m)]
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
                source = read(p, name)
                m = parse_text(source)
            except LawtraceError as e:
                errors.append(e)
                continue
            if m.instrument and m.instrument.code in given_codes:
                continue
            if m.regimes and {r.name for r in m.regimes} & given_regimes:
                continue
            shipped.append(m)
            sources[name] = source
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
            warnings.extend(w for w in coverage_warnings(program, catalog) if w not in warnings)
        except LawtraceError as e:
            for err in _flatten([e]):
                if err.render() not in {x.render() for x in errors}:
                    errors.append(err)
    return errors, untranslated + warnings


def layer_warnings(program: ir.Program) -> list[Diagnostic]:
    """A warning for every lower rule refused for want of authority, citing it and the higher rule that prevails."""
    out: list[Diagnostic] = []
    by_change = {id(c.change): c for cs in program.conflicts.values() for c in cs}  # a refused split sits on the item
    for change in program.changes:
        conflict = by_change.get(id(change))
        if conflict is not None:
            out.append(conflict.warning)  # type: ignore[arg-type]
    return out


def coverage_warnings(program: ir.Program, catalog: Catalog) -> list[Diagnostic]:
    """A warning for every override that leaves days with no version in force where the rule it replaces had one:
    a case on those days gets no value (the trial's whole-table restatement that dropped the 2004 version)."""
    from dsl import ast
    from engine.build import override_values

    out: list[Diagnostic] = []
    for change in program.changes:
        if change.kind != "override" or change.replaced_instrument is None:
            continue
        span, target = change.span, change.target
        patch = _written(catalog, change.instrument, lambda d, s=span: isinstance(d, ast.Override) and d.span == s)
        old = _written(catalog, change.replaced_instrument,
                       lambda d, t=target: getattr(d, "name", None) == t or (isinstance(d, ast.Override) and d.target == t))
        if not isinstance(patch, ast.Override) or patch.keeps_others or old is None:
            continue
        gap = override_values.uncovered(old, patch.versions)
        if gap is None:
            continue
        first, last = gap
        since = f"from {first} " if first else ""
        out.append(Diagnostic(
            "warning",
            f"{change.instrument}'s override of {change.target} has no version in force {since}to {last}, where "
            f"{change.replaced_instrument}'s rule had one: a case of those days gets no value. Restate the earlier "
            f"version(s), or change one entry or version and keep the others: "
            f"`overrides {change.target}[KEY] = VALUE ... from DATE` or `overrides {change.target} = VALUE ... from DATE`",
            change.cites + change.replaced_cites, change.span))
    return out


def _written(catalog: Catalog, code: str, match) -> ast.Decl | None:
    """The last declaration of an instrument that matches (its rule for a name, or an override)."""
    module = catalog.instruments.get(code)
    found = [d for a in module.articles for d in a.decls if match(d)] if module is not None else []
    return found[-1] if found else None


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
