"""Small overrides: one entry of a table, or one dated version of a parameter, changed; the rest of the rule kept.

`overrides NAME[KEY] = VALUE ... from DATE` becomes the overridden parameter's versions with KEY set to VALUE in the
version in force on DATE (a new version starting then) and in every later one; earlier versions stay as they were,
still citing the instrument that wrote them. Without `from`, every version's entry changes. `overrides NAME = VALUE
... from DATE` adds (or, on the same date, replaces) one version and keeps the others.

The composer sees only the written-out form (`expand_stack`, called by `layering.compose` before anything else), so
authority, conflicts and records work on small overrides as on any other. Also here: the days an override leaves
with no version in force where the rule it replaces had one (`uncovered`, for `lawtrace check` to warn about).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from dsl import ast
from dsl import types as T
from dsl.errors import SourceError
from dsl.source import SourceFile


class ValueOverrideError(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


def expand(patch: ast.Override, old: ast.Parameter, holder: str, holder_version: str, holder_article: int,
           article: int) -> tuple[ast.ParamVersion, ...]:
    """The versions of the parameter after the change. `holder` is the code of the instrument whose rule it changes
    (its version and article give the old versions their citations); `article` is the overriding article."""
    [new] = patch.versions
    assert isinstance(new, ast.ParamVersion)
    old_versions = sorted(old.versions, key=lambda v: v.start)
    if not old_versions:
        raise ValueOverrideError(f"'{old.name}' has no version to change")
    mine = patch.cites or (ast.Citation(None, None, article, None, None, patch.span),)

    def theirs(v: ast.ParamVersion) -> tuple[ast.Citation, ...]:
        cites = v.cites or old.cites or (ast.Citation(None, None, holder_article, None, None, v.span),)
        return tuple(replace(c, instrument=holder, version=c.version or holder_version) if c.instrument is None else c
                     for c in cites)

    kept = [replace(v, cites=theirs(v)) for v in old_versions]
    start = new.start
    if patch.key is None:
        if start is None:
            return (replace(new, start=old_versions[0].start, cites=mine),)
        return tuple(sorted([v for v in kept if v.start != start] + [replace(new, cites=mine)], key=lambda v: v.start))
    if not isinstance(old.type, T.TableType):
        raise ValueOverrideError(f"'{old.name}' is not a table: `overrides {old.name} = VALUE` changes its value",
                                 hint=f"write `overrides {old.name} = ... from DATE`")
    known = {_plain(k) for v in old_versions for k, _ in (v.value if isinstance(v.value, tuple) else ())}
    if _plain(patch.key) not in known:
        raise ValueOverrideError(f"'{old.name}' has no entry {_plain(patch.key)}",
                                 hint="its entries: " + ", ".join(str(k) for k in sorted(known, key=str)))
    if start is None:
        return tuple(_with_entry(v, patch.key, new.value, mine + v.cites, new.span) for v in kept)
    in_force = [v for v in kept if v.start <= start]
    if not in_force:
        raise ValueOverrideError(f"'{old.name}' has no version in force on {start} whose entry could change",
                                 hint=f"its first version starts on {old_versions[0].start}")
    out = [v for v in kept if v.start < start]
    out.append(_with_entry(replace(in_force[-1], start=start), patch.key, new.value, mine + in_force[-1].cites, new.span))
    out.extend(_with_entry(v, patch.key, new.value, mine + v.cites, new.span) for v in kept if v.start > start)
    return tuple(out)


def _with_entry(v: ast.ParamVersion, key: object, value: object, cites: tuple[ast.Citation, ...],
                span: object) -> ast.ParamVersion:
    entries = tuple((k, value if _plain(k) == _plain(key) else val) for k, val in v.value)  # type: ignore[union-attr]
    return replace(v, value=entries, cites=cites, span=span, source=None)


def _plain(x: object) -> object:
    return int(x) if isinstance(x, Decimal) and x == x.to_integral_value() else x


def uncovered(old: ast.Decl, new_versions: tuple[object, ...]) -> tuple[date | None, date] | None:
    """The days the old rule had a version in force and the new one has none: (first day or None for every day
    before, last day), or None. Only the start of coverage can differ: versions run until the next one."""
    old_starts = [getattr(v, "start", None) for v in getattr(old, "versions", ())]
    new_starts = [getattr(v, "start", None) for v in new_versions]
    if not old_starts or not new_starts or None in new_starts:
        return None
    first_new = min(new_starts)  # type: ignore[type-var]
    first_old = None if None in old_starts else min(old_starts)  # type: ignore[type-var]
    if first_old is not None and first_old >= first_new:
        return None
    return first_old, first_new - timedelta(days=1)


def expand_stack(modules: list[ast.Module], sources: dict[str, SourceFile]) -> tuple[list[ast.Module], list[SourceError]]:
    """The stack (highest first) with every small override written out as the parameter's full versions, ready for
    the composer: each is expanded against the parameter as the instruments above it leave it. Several small
    overrides of one parameter in one instrument (entries 7 and 8, say) become one override of it, at the first."""
    current: dict[str, tuple[ast.Parameter, str, str, int]] = {}  # name → (versions in force, code, version, article)
    others: set[str] = set()  # names declared as something other than a parameter
    errors: list[SourceError] = []
    out: list[ast.Module] = []
    for m in modules:
        inst = m.instrument
        if inst is None:
            out.append(m)
            continue
        latest = max(inst.versions, key=lambda v: v.in_force).version
        articles: list[list[ast.Decl]] = []
        small: dict[str, tuple[int, int]] = {}  # target → where this instrument's first small override of it stands
        for a in m.articles:
            version = a.version or latest
            decls: list[ast.Decl] = []
            articles.append(decls)
            for d in a.decls:
                if isinstance(d, ast.Parameter):
                    current[d.name] = (d, inst.code, version, a.number)
                elif isinstance(d, (ast.Fact, ast.Value, ast.Benefit, ast.Deadline)):
                    others.add(d.name)
                elif isinstance(d, ast.Override) and d.keeps_others:
                    expanded = _expanded(d, current, others, inst.code, version, a.number, errors, sources)
                    if expanded is None:  # its error is reported; the composer does not see it
                        continue
                    d = expanded
                    if d.target in small and d.keeps_others:
                        i, j = small[d.target]
                        first = articles[i][j]
                        assert isinstance(first, ast.Override)
                        articles[i][j] = replace(first, versions=d.versions, reason=f"{first.reason}; {d.reason}",
                                                 amends=first.amends + tuple(c for c in d.amends if c not in first.amends))
                        continue
                    small.setdefault(d.target, (len(articles) - 1, len(decls)))
                elif isinstance(d, ast.Override) and d.target in current and d.versions \
                        and all(isinstance(v, ast.ParamVersion) for v in d.versions):
                    old = current[d.target][0]
                    current[d.target] = (replace(old, versions=d.versions, cites=d.cites), inst.code, version, a.number)
                decls.append(d)
        out.append(replace(m, articles=tuple(replace(a, decls=tuple(ds)) for a, ds in zip(m.articles, articles))))
    return out, errors


def _expanded(patch: ast.Override, current: dict, others: set[str], code: str, version: str, article: int,
              errors: list[SourceError], sources: dict[str, SourceFile]) -> ast.Override | None:
    def fail(message: str, hint: str | None = None) -> None:
        errors.append(SourceError(message, patch.span, sources.get(patch.span.file), hint))

    if patch.target not in current:
        if patch.target in others:
            return fail(f"'{patch.target}' is not a parameter: only a parameter's entry or dated value is changed with "
                        f"`overrides {patch.target}[KEY] = VALUE` or `= VALUE ... from DATE`",
                        hint=f"replace the rule: `overrides {patch.target} ... because \"...\" = EXPR`")
        return patch  # an unknown name: the composer says so, with the closest names
    old, holder, holder_version, holder_article = current[patch.target]
    try:
        versions = expand(patch, old, holder, holder_version, holder_article, article)
    except ValueOverrideError as e:
        return fail(e.message, e.hint)
    current[patch.target] = (replace(old, versions=versions, cites=patch.cites), code, version, article)
    return replace(patch, versions=versions)
