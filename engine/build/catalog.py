"""Find and parse statute files: the instruments and regimes that can be compiled.

Guarantees: every shipped `.lt` file parses, each instrument code is declared
once, and each regime names only instruments or regimes that exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from dsl.errors import LawtraceError, SourceError, did_you_mean, raise_collected
from dsl.source import SourceFile
from statutes import STATUTES_DIR

if TYPE_CHECKING:
    from dsl import ast


class Catalog(msgspec.Struct, frozen=True):
    modules: tuple[ast.Module, ...]
    instruments: dict[str, ast.Module]
    regimes: dict[str, ast.Regime]
    sources: dict[str, SourceFile]

    def expand(self, regime: str, _within: tuple[str, ...] = ()) -> list[str]:
        """The instrument codes of a regime, highest first (`index` has refused regimes that include themselves)."""
        out: list[str] = []
        for part in self.regimes[regime].parts:
            if part in _within or part == regime:
                continue
            for code in self.expand(part, _within + (regime,)) if part in self.regimes else [part]:
                if code not in out:
                    out.append(code)
        return out


def statute_files(root: Path = STATUTES_DIR) -> list[Path]:
    return sorted(root.rglob("*.lt"))


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        try:
            return str(path.resolve().relative_to(STATUTES_DIR.parent))
        except ValueError:
            return str(path)


def load_catalog(paths: list[Path] | None = None) -> Catalog:
    """Parse the given files (default: every shipped statute) and index them."""
    from dsl.parser import parse_file  # Lark: only where statutes are parsed, never to run a cached program

    files = paths if paths is not None else statute_files()
    errors: list[LawtraceError] = []
    modules: list[ast.Module] = []
    sources: dict[str, SourceFile] = {}
    for path in files:
        name = display_name(path)
        try:
            modules.append(parse_file(path, name))  # first: it refuses a file that is not UTF-8, with its name
            sources[name] = SourceFile.read(path, name)
        except LawtraceError as e:
            errors.append(e)
        except OSError as e:
            errors.append(SourceError(f"cannot read {path}: {e.strerror}", None))
    raise_collected(errors)
    return index(modules, sources)


def index(modules: list[ast.Module], sources: dict[str, SourceFile]) -> Catalog:
    errors: list[LawtraceError] = []
    instruments: dict[str, ast.Module] = {}
    regimes: dict[str, ast.Regime] = {}
    for m in modules:
        if m.instrument is not None:
            code = m.instrument.code
            if code in instruments:
                first = instruments[code].instrument
                errors.append(SourceError(
                    f"instrument {code} is declared twice", m.instrument.span, sources.get(m.file),
                    related=(("first declared here", first.span),) if first else (),
                ))
            else:
                instruments[code] = m
        for r in m.regimes:
            if r.name in regimes:
                errors.append(SourceError(f"regime {r.name} is declared twice", r.span, sources.get(m.file),
                                          related=(("first declared here", regimes[r.name].span),)))
            regimes[r.name] = r
    for r in regimes.values():
        for part in r.parts:
            if part not in instruments and part not in regimes:
                errors.append(SourceError(
                    f"regime {r.name} names {part}, which is neither an instrument nor a regime",
                    r.span, sources.get(r.span.file),
                    hint=did_you_mean(part, list(instruments) + list(regimes)),
                ))
    errors.extend(_cycles(regimes, sources))
    raise_collected(errors)
    return Catalog(tuple(modules), instruments, regimes, sources)


def _cycles(regimes: dict[str, ast.Regime], sources: dict[str, SourceFile]) -> list[LawtraceError]:
    """A regime that includes itself, directly or through others: one error for each, naming the path."""
    errors: list[LawtraceError] = []
    for name, r in regimes.items():
        stack = [(name, (name,))]
        seen: set[str] = set()
        while stack:
            current, path = stack.pop()
            for part in regimes[current].parts:
                if part == name:
                    errors.append(SourceError(f"regime {name} includes itself: {' = '.join(path + (name,))}",
                                              r.span, sources.get(r.span.file),
                                              hint="a regime is built from instruments and other regimes, never from itself"))
                    stack.clear()
                    break
                if part in regimes and part not in seen:
                    seen.add(part)
                    stack.append((part, path + (part,)))
    return errors
