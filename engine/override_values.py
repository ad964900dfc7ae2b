"""Small overrides: one entry of a table, or one dated version of a parameter, changed; the rest of the rule kept.

`overrides NAME[KEY] = VALUE ... from DATE` becomes the overridden parameter's versions with KEY set to VALUE in the
version in force on DATE (a new version starting then) and in every later one; earlier versions stay as they were,
still citing the instrument that wrote them. Without `from`, every version's entry changes. `overrides NAME = VALUE
... from DATE` adds (or, on the same date, replaces) one version and keeps the others.

Also here: the date range an override leaves with no version in force where the rule it replaces had one (for
`lawtrace check` to warn about).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from dsl import ast
from dsl import types as T


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
