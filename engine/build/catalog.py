"""Find and parse statute files: the instruments and regimes that can be compiled.

Guarantees: every shipped `.lt` file parses, each instrument code is declared
once, and each regime names only instruments or regimes that exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dsl import ast
from dsl.errors import LawtraceError, SourceError, did_you_mean, raise_collected
from dsl.parser import parse_file
from dsl.source import SourceFile
from statutes import STATUTES_DIR


@dataclass(frozen=True)
class Catalog:
    modules: tuple[ast.Module, ...]
    instruments: dict[str, ast.Module]
    regimes: dict[str, ast.Regime]
    sources: dict[str, SourceFile]

    def expand(self, regime: str) -> list[str]:
        """The instrument codes of a regime, highest first."""
        out: list[str] = []
        for part in self.regimes[regime].parts:
            for code in self.expand(part) if part in self.regimes else [part]:
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
    files = paths if paths is not None else statute_files()
    errors: list[LawtraceError] = []
    modules: list[ast.Module] = []
    sources: dict[str, SourceFile] = {}
    for path in files:
        name = display_name(path)
        try:
            sources[name] = SourceFile.read(path, name)
            modules.append(parse_file(path, name))
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
    raise_collected(errors)
    return Catalog(tuple(modules), instruments, regimes, sources)
