"""Read a YAML test file into tests: each a case (inline or a case file), the regime and overlays, and expectations.

Guarantees: every test has a name, a case and an `expect` mapping; paths (`case`, `rules`) are resolved against the
test file's folder; a malformed file is a located error (file, line, column, what was expected), never a traceback.

    regime: national                # defaults for every test of the file (each test may say its own)
    rules: [../grade7_15months.lt]  # overlay files, relative to this file
    date: 2020-06-15
    facts: {employer_insured: true}  # facts every test starts from (a test's own facts add to them or replace them)
    tests:
      - name: grade 7 in 2020, 13 months of 6,000
        facts: {disability_grade: 7, ...}       # or `case: ../examples/grade7.yaml` (and `facts:` to change some)
        expect:
          one_time_disability_subsidy: {payable: true, amount: 78000.00, payer: fund, basis: [WIIR 37(1)(1)]}
          assumed: {work_injury_recognized: true}
          diagnostics: ["no rule for"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dsl.errors import LawtraceError, SourceError, did_you_mean, raise_collected
from dsl.source import SourceFile, Span
from engine.run.case import Case, parse_case, read_case

FILE_KEYS = ("regime", "rules", "date", "as_of", "kind", "facts", "tests")
TEST_KEYS = ("name", "regime", "rules", "date", "as_of", "kind", "case", "facts", "expect", "id", "notes")
CASE_KEYS = ("regime", "date", "as_of", "kind")  # what a test passes on into the case


@dataclass(frozen=True)
class YamlTest:
    file: str  # as shown (the path given)
    index: int
    name: str
    span: Span  # where the test starts
    case: Case
    regime: str | None
    rules: tuple[Path, ...]
    expect: dict[str, object]
    marks: dict[str, Span] = field(default_factory=dict)  # "expect.ITEM.amount" → where it is written
    source: SourceFile | None = None  # the test file

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def test_id(self) -> str:
        return f"{self.file}::{self.name}"


def is_test_file(path: Path) -> bool:
    """A YAML file in a folder named `tests` whose top level has `tests:` (what `lawtrace test` and pytest collect)."""
    if path.suffix not in (".yaml", ".yml") or path.parent.name != "tests":
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.startswith("tests:") for line in text.splitlines())


def find_test_files(paths: tuple[Path, ...]) -> list[Path]:
    """The test files given, and those found in the folders given (in folders named `tests`)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*.y*ml")) if is_test_file(f))
        elif not p.exists():
            raise LawtraceError(f"{p}: no such test file or folder")
        else:
            out.append(p)
    return out


def read_tests(path: Path) -> list[YamlTest]:
    """Every test of one file; all the file's errors reported together."""
    try:
        source = SourceFile.read(path, str(path))
    except (OSError, UnicodeDecodeError) as e:
        raise LawtraceError(f"{path}: cannot read the test file: {e}") from None
    try:
        top = yaml.safe_load(source.text)
    except yaml.YAMLError:
        top = {}  # the case reader below reports where the YAML is broken
    if not isinstance(top, dict):
        raise SourceError("a test file is a mapping with `tests:` (and optionally regime, rules, date)",
                          Span(source.name, 1, 1, 1, 2), source)
    doc = parse_case(source)  # a YAML mapping with the place of every key (the case reader's)
    where = _Where(doc)
    errors: list[LawtraceError] = []
    for key in doc.data:
        if key not in FILE_KEYS:
            errors.append(where.error(str(key), f"unknown field '{key}'", did_you_mean(str(key), FILE_KEYS)))
    tests = doc.data.get("tests")
    if not isinstance(tests, list) or not tests:
        errors.append(where.error("tests", "expected `tests:`, a list of tests (each with name, a case, expect)"))
        raise_collected(errors)
    out: list[YamlTest] = []
    for i, raw in enumerate(tests):
        try:
            out.append(_read_test(path, where, doc.data, i, raw))
        except LawtraceError as e:
            errors.append(e)
    raise_collected(errors)
    return out


@dataclass(frozen=True)
class _Where:
    doc: Case

    def span(self, key: str) -> Span:
        return self.doc.span(key)

    def error(self, key: str, message: str, hint: str | None = None) -> SourceError:
        span = self.doc.marks.get(key) or Span(self.doc.source.name, 1, 1, 1, 2)
        return SourceError(f"{key}: {message}", span, self.doc.source, hint)


def _read_test(path: Path, where: _Where, defaults: dict, i: int, raw: object) -> YamlTest:
    at = f"tests[{i}]"
    if not isinstance(raw, dict):
        raise where.error(at, "expected a test: a mapping with name, facts (or case) and expect")
    errors: list[LawtraceError] = []
    for key in raw:
        if key not in TEST_KEYS:
            errors.append(where.error(f"{at}.{key}", f"unknown field '{key}'", did_you_mean(str(key), TEST_KEYS)))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(where.error(at, "a test needs a `name:` (what it shows, in words)"))
    expect = raw.get("expect")
    if not isinstance(expect, dict) or not expect:
        errors.append(where.error(f"{at}.expect" if "expect" in raw else at,
                                  "expected `expect:`, a mapping of items (or assumed, diagnostics, missing_facts) "
                                  "to the outcomes the law should give"))
    if "case" not in raw and "facts" not in raw and "facts" not in defaults:
        errors.append(where.error(at, "a test needs its case: `facts:` inline or `case: FILE`"))
    if "facts" in raw and raw["facts"] is not None and not isinstance(raw["facts"], dict):
        errors.append(where.error(f"{at}.facts", "`facts` must be a mapping of fact names to values"))
    raise_collected(errors)
    settings = {k: raw.get(k, defaults.get(k)) for k in ("regime", "rules", "date", "as_of", "kind")}
    rules = _rules(path, where, at if "rules" in raw else "rules", settings["rules"])
    case = _case(path, where, at, raw, settings)
    prefix = f"{at}."
    marks = {k[len(prefix):]: s for k, s in where.doc.marks.items() if k.startswith(prefix)}
    return YamlTest(str(path), i, str(name), where.span(at), case, settings["regime"], rules, expect,  # type: ignore[arg-type]
                    marks, where.doc.source)


def _common(where: _Where) -> dict:
    common = where.doc.data.get("facts")
    if common is not None and not isinstance(common, dict):
        raise where.error("facts", "`facts` must be a mapping of fact names to values (the facts every test starts from)")
    return dict(common or {})


def _rules(path: Path, where: _Where, key: str, raw: object) -> tuple[Path, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for j, r in enumerate(items):
        if not isinstance(r, str):
            raise where.error(key, "expected `rules:`, an overlay file (or a list of them), relative to the test file")
        p = (path.parent / r).resolve()
        if not p.is_file():
            raise where.error(f"{key}[{j}]" if isinstance(raw, list) else key, f"no such rules file: {r} (looked for {p})")
        out.append(p)
    return tuple(out)


def _case(path: Path, where: _Where, at: str, raw: dict, settings: dict) -> Case:
    """The test's case: inline facts (errors then point into the test file), or a case file with facts changed."""
    prefix = f"{at}."
    if "case" in raw:
        ref = raw["case"]
        if not isinstance(ref, str):
            raise where.error(f"{at}.case", "expected `case:`, a case file relative to the test file")
        p = path.parent / ref
        if not p.is_file():
            raise where.error(f"{at}.case", f"no such case file: {ref} (looked for {p})")
        base = read_case(str(p))
        data = dict(base.data)
        facts = dict(base.raw_facts)
        facts.update(_common(where))
        facts.update(raw.get("facts") or {})
        data["facts"] = facts
        for k in CASE_KEYS:
            if k in raw or (k not in data and settings.get(k) is not None):
                data[k] = settings[k]
        return Case(base.source, data, base.marks)
    data: dict[str, object] = {"facts": {**_common(where), **(raw.get("facts") or {})}}
    for k in CASE_KEYS:
        if settings.get(k) is not None:
            data[k] = settings[k]
    for k in ("id", "notes"):
        if k in raw:
            data[k] = raw[k]
    marks = {k[len(prefix):]: s for k, s in where.doc.marks.items() if k.startswith(prefix)}
    for k, span in where.doc.marks.items():  # a file-wide default is written at the top of the file
        if k.split(".")[0] in CASE_KEYS + ("facts",) and k not in marks:
            marks[k] = span
    return Case(where.doc.source, data, marks)
