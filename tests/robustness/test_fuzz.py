"""Fuzzing in the suite: statute files mutated token by token, case files built from hostile values, and the HTTP
API by schemathesis. Each input must give a located error or a result: never another exception, never a 500,
never more than `SECONDS`.

A short run by default (CI, about a minute); `LAWTRACE_FUZZ_LONG=1` runs the statute and case fuzzers for
`LAWTRACE_FUZZ_MINUTES` minutes each (default 10) and each API operation for `LAWTRACE_FUZZ_API_EXAMPLES` requests
(default 3000); `pytest -s` prints how many inputs each fuzzer tried.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dsl import bounds
from dsl.errors import LawtraceError
from dsl.parser import parse_text
from dsl.source import SourceFile
from engine.run.result import result_json
from lawtrace import api

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("LAWTRACE_FUZZ_LONG") == "1"
MINUTES = float(os.environ.get("LAWTRACE_FUZZ_MINUTES", "10"))
SECONDS = 10.0  # the most CPU time any one input may take (CPU, not wall clock: the machine is shared)


def budget(examples: int, long_examples: int = 10**9):  # type: ignore[no-untyped-def]
    """Settings: `examples` in CI. In the long run, inputs until the clock stops it (no shrinking: a failure is
    reported with the input as generated, and the run ends there)."""
    if LONG:
        return settings(max_examples=long_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck),
                        phases=(Phase.explicit, Phase.generate))
    return settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))


class _Done(Exception):
    """The long run's minutes are over."""


class _Clock:
    """Counts the inputs of a fuzzer and ends a long run after its minutes (hypothesis has no time budget)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.start = time.monotonic()
        self.count = 0

    def tick(self) -> None:
        if LONG and time.monotonic() - self.start > MINUTES * 60:
            raise _Done
        self.count += 1

    def run(self, fuzz) -> None:  # type: ignore[no-untyped-def]
        self.start = time.monotonic()
        try:
            fuzz()
        except _Done:
            pass
        print(f"\nfuzz {self.name}: {self.count} inputs in {time.monotonic() - self.start:.0f} s, no failure")


# ---------------------------------------------------------------- statute files, token by token

SEEDS = [ROOT / "examples" / "overlays" / "fund_advances_employment_subsidy.lt",
         *sorted((ROOT / "statutes" / "reforms").glob("*.lt"))]
TOKEN = re.compile(r'(?P<string>"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*")|(?P<date>\d{4}-\d{2}-\d{2})|(?P<number>\d+(?:\.\d+)?%?)'
                   r'|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<operator>==|!=|<=|>=|[-+*/<>=])|(?P<nest>[()\[\]{}])'
                   r'|(?P<comment>#[^\n]*)')
KEYWORDS = ["instrument", "regime", "article", "fact", "parameter", "value", "benefit", "overrides", "fills", "require",
            "if", "then", "else", "and", "or", "not", "in", "from", "cite", "amends", "by", "because", "sum", "count",
            "undetermined", "overridden", "case_date", "add_days", "add_years", "national", "jiangsu", "guiyang"]


def _seed(path: Path, n: int) -> str:
    """A shipped overlay or reform renamed so that it can be stacked on the shipped regimes as a user's overlay."""
    text = path.read_text(encoding="utf-8")
    code = re.search(r"instrument (\w+)", text).group(1)  # type: ignore[union-attr]
    text = re.sub(rf"\b{code}\b", f"FUZZ{n}", text)
    return re.sub(r"^regime (\w+)", rf"regime \1_fuzz{n}", text, flags=re.M)


def _replacement(kind: str) -> st.SearchStrategy[str]:
    if kind == "string":
        return st.one_of(st.text(max_size=12).map(lambda s: json.dumps(s, ensure_ascii=False)),
                         st.sampled_from(['"\\x"', '"\\u12"', '"\\ud800"', '"工伤\\t保险"', '"\\N{NOPE}"', '""', '"\\"',
                                          '"""多行\n文本"""', '"<script>"']))
    if kind == "date":
        return st.one_of(st.dates().map(date.isoformat),
                         st.sampled_from(["2023-02-30", "0000-01-01", "9999-12-31", "2004-13-01", "1899-12-31"]))
    if kind == "number":
        return st.one_of(st.integers(0, 10**40).map(str), st.sampled_from(["0", "0.0", "9" * 4301, "1" + "0" * 60,
                                                                             "100%", "0.000000000000001", "12.5%"]))
    if kind == "name":
        return st.one_of(st.sampled_from(KEYWORDS), st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True))
    if kind == "operator":
        return st.sampled_from(["+", "-", "*", "/", "==", "!=", "<", ">", "<=", ">=", "=", "and", "or", "not"])
    if kind == "nest":
        return st.sampled_from(["(", ")", "[", "]", "{", "}", "(" * 300, ")" * 300])
    return st.just("")


@st.composite
def mutated_statute(draw: st.DrawFn) -> str:
    n = draw(st.integers(0, 10**6))
    text = _seed(draw(st.sampled_from(SEEDS)), n)
    tokens = [m for m in TOKEN.finditer(text) if m.lastgroup != "comment"]
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "nest", "chain", "regime"]))
        m = tokens[draw(st.integers(0, len(tokens) - 1))]
        a, b = m.span()
        if how == "replace":
            text = text[:a] + draw(_replacement(m.lastgroup or "")) + text[b:]
        elif how == "delete":
            text = text[:a] + text[b:]
        elif how == "duplicate":
            text = text[:b] + " " + m.group() + text[b:]
        elif how == "nest":  # deep nesting of one operand
            depth = draw(st.sampled_from([10, bounds.MAX_FORMULA_DEPTH - 8, bounds.MAX_FORMULA_DEPTH + 1, 2000]))
            text = text[:a] + "(" * depth + m.group() + ")" * depth + text[b:]
        elif how == "chain":  # a long sum, a tower of `not` or unary minus
            depth = draw(st.sampled_from([50, bounds.MAX_FORMULA_DEPTH - 12, bounds.MAX_FORMULA_DEPTH - 4, 1500]))
            piece = draw(st.sampled_from(["1 + ", "not ", "- ", "if true then 1 else "]))
            text = text[:a] + piece * depth + m.group() + text[b:]
        else:  # regime lines: cycles, self-reference, unknown parts
            line = draw(st.sampled_from([f"regime r{n} \"r\" = national + r{n}\n",
                                         f"regime a{n} \"a\" = b{n}\nregime b{n} \"b\" = a{n}\n",
                                         f"regime c{n} \"c\" = nowhere\n", f"regime d{n} \"d\" = national + FUZZ{n}\n"]))
            cut = text.find("\narticle")
            text = text[:cut + 1] + line + text[cut + 1:] if cut >= 0 else text + "\n" + line
        tokens = [m for m in TOKEN.finditer(text) if m.lastgroup != "comment"] or tokens
    return text


STATUTE_CLOCK = _Clock("statute files")
COUNTER = itertools.count()
WORK = Path(tempfile.mkdtemp(prefix="lawtrace-fuzz-"))


@budget(40)
@given(text=mutated_statute())
def _fuzz_statute(text: str) -> None:
    STATUTE_CLOCK.tick()
    path = WORK / f"fuzz_{next(COUNTER)}.lt"  # a new name each time: compiled regimes are cached by path
    path.write_text(text, encoding="utf-8")
    started = time.thread_time()
    try:
        parse_text(SourceFile(str(path), text))
        result = api.evaluate_case(str(ROOT / "examples" / "grade7.yaml"), rules=(path,))
        json.dumps(result_json(result), ensure_ascii=False).encode("utf-8")
    except LawtraceError as e:
        assert e.render()  # a located error renders without failing
    finally:
        path.unlink()
    assert time.thread_time() - started < SECONDS


def test_fuzz_statute_files() -> None:
    STATUTE_CLOCK.run(_fuzz_statute)


# ---------------------------------------------------------------- case files

FACTS = sorted(n.id for n in api.load_program("national").facts())
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.integers(10**30, 10**50),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20), st.dates(),
    st.sampled_from(["1e26", "9" * 50, "2023-02-30", "9999-12-31", "0000-01-01", "\ud800", "-0.5", "NaN", "1:40:00"]),
)
VALUE = st.recursive(HOSTILE, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.sampled_from(["relation", "wage", "x", "orphan_or_lone_elder"]), inner, max_size=3)),
                     max_leaves=12)
RAW = ["a: &a [1, 2]\nb: *a\n", "facts: !!binary aGVsbG8=\n", "facts:\n  age: 1\n  age: 2\n",
       "notes: " + "[" * 200 + "]" * 200 + "\n", "facts: {monthly_wage: " + "9" * 5000 + "}\n", "\ufeff{}", "- 1\n- 2\n",
       "date: 2023-02-30\n", '{"facts": {"age": 1, "age": 2}}', "facts: {age: !!python/object:os.system x}\n"]


@st.composite
def hostile_case(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(RAW))
    data: dict[str, object] = {"facts": draw(st.dictionaries(st.sampled_from(FACTS + ["unknown_x"]), VALUE, max_size=8))}
    for key in ("date", "as_of", "regime", "kind", "name"):
        if draw(st.booleans()):
            data[key] = draw(st.one_of(VALUE, st.sampled_from(["2020-06-15", "national", "jiangsu", "guiyang", "employer"])))
    if draw(st.booleans()):
        return json.dumps(data, default=str, ensure_ascii=draw(st.booleans()))
    return yaml.safe_dump(data, allow_unicode=True)


CASE_CLOCK = _Clock("case files")


@budget(150)
@given(text=hostile_case())
def _fuzz_case(text: str) -> None:
    from engine.run.case import parse_case

    CASE_CLOCK.tick()
    started = time.thread_time()
    try:
        case = parse_case(SourceFile("fuzz.yaml", text))
        result = api.evaluate_case(case)
        json.dumps(result_json(result), ensure_ascii=False).encode("utf-8")
    except LawtraceError as e:
        assert e.render()
    assert time.thread_time() - started < SECONDS


def test_fuzz_case_files() -> None:
    CASE_CLOCK.run(_fuzz_case)


# ---------------------------------------------------------------- the HTTP API (schemathesis against /openapi.json)

schemathesis = pytest.importorskip("schemathesis")


def _schema():  # type: ignore[no-untyped-def]
    from lawtrace.web import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app())


schema = _schema()
API_CLOCK = _Clock("API")


@schema.parametrize()
@budget(25, long_examples=int(os.environ.get("LAWTRACE_FUZZ_API_EXAMPLES", "3000")))
def test_fuzz_api(case) -> None:  # type: ignore[no-untyped-def]
    """Every operation of /openapi.json: no 500, responses as the document says, within `SECONDS`."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

    API_CLOCK.count += 1  # by requests, not minutes: LAWTRACE_FUZZ_API_EXAMPLES per operation
    started = time.monotonic()
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance])
    assert time.monotonic() - started < 3 * SECONDS  # wall clock: the app answers in threads of its own
