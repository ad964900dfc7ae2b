"""The parser: good inputs become the expected AST; bad ones give located, friendly errors (golden)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from dsl import ast
from dsl.errors import SourceError
from dsl.parser import parse_file, parse_text
from dsl.source import SourceFile
from engine.build.catalog import statute_files

HEADER = 'instrument T "测试" en "test" version 2010 in_force 2011-01-01\n'


def parse(body: str, name: str = "t.lt") -> ast.Module:
    return parse_text(SourceFile(name, HEADER + body))


@pytest.mark.parametrize("path", statute_files(), ids=lambda p: p.name)
def test_every_shipped_statute_parses(path: Path):
    module = parse_file(path)
    assert module.instrument is not None or module.regimes


def test_article_with_text_gloss_and_declarations():
    m = parse('article 64 """第一款。\n  第二款。""" gloss "two paragraphs"\n'
              '  fact w: money "本人工资" en "wage" cite 64(2)\n'
              '  value b: money = clamp(w, 60% * w, 300% * w)\n')
    a = m.articles[0]
    assert (a.number, a.text, a.gloss) == (64, "第一款。\n第二款。", "two paragraphs")
    fact, value = a.decls
    assert isinstance(fact, ast.Fact) and fact.labels == ast.Labels("本人工资", "wage")
    assert (fact.cites[0].article, fact.cites[0].paragraph, fact.cites[0].item) == (64, 2, None)
    assert isinstance(value, ast.Value) and isinstance(value.versions[0].expr, ast.Call)
    assert value.versions[0].expr.args[1].left == ast.Percent(value.versions[0].expr.args[1].left.span, Decimal("0.6"))


def test_spans_point_at_the_source():
    m = parse("article 1\n  value v: int = 1 + 2\n")
    v = m.articles[0].decls[0]
    assert (v.span.line, v.span.column) == (3, 3)
    expr = v.versions[0].expr
    assert (expr.span.line, expr.span.column, expr.span.end_column) == (3, 18, 23)


def test_dated_parameter_versions_and_table():
    m = parse("article 1\n  parameter p: table[int -> int]\n    from 2011-01-01 {1: 27, 2: 25}\n"
              '    from 2004-01-01 {1: 24, 2: 22} cite T@2010 9(1)(1) source "old"\n')
    p = m.articles[0].decls[0]
    assert isinstance(p, ast.Parameter)
    assert [str(v.start) for v in p.versions] == ["2011-01-01", "2004-01-01"]
    assert p.versions[1].value == ((Decimal(1), Decimal(24)), (Decimal(2), Decimal(22)))
    assert p.versions[1].source == "old"
    assert (p.versions[1].cites[0].instrument, p.versions[1].cites[0].version) == ("T", "2010")


def test_benefit_clauses_and_conditional_citation():
    m = parse('article 1\n  benefit b "补助" en "subsidy" once cite 1(1) when g in 1..4, 2\n'
              "    payable when g in 1..10 and not x\n    amount = 1\n    payer = if g > 4 then employer else fund\n"
              "    part late = 1 paid_by employer cite 17(4)\n")
    b = m.articles[0].decls[0]
    assert isinstance(b, ast.Benefit)
    assert [c.field for c in b.clauses] == ["payable", "amount", "payer"]
    assert isinstance(b.cites[0].when, ast.InRange) and b.cites[1].when is None
    assert b.parts[0].name == "late"


def test_operator_precedence():
    m = parse("article 1\n  value v: bool = a or b and not c == 1 + 2 * 3\n")
    e = m.articles[0].decls[0].versions[0].expr
    assert isinstance(e, ast.Or) and isinstance(e.right, ast.And)
    assert isinstance(e.right.right, ast.Not) and isinstance(e.right.right.operand, ast.Compare)
    rhs = e.right.right.operand.right
    assert isinstance(rhs, ast.BinOp) and rhs.op == "+" and rhs.right.op == "*"


BAD = {
    "missing_equals": "article 1\n  value v: money \"v\" clamp(a, b, c)\n",
    "missing_type": "article 1\n  fact f: \"标签\"\n",
    "payable_if": "article 1\n  benefit b \"b\" once\n    payable if x\n",
    "double_ampersand": "article 1\n  value v: bool = a && b\n",
    "parameter_without_from": "article 1\n  parameter p: int 3\n",
    "from_without_date": "article 1\n  parameter p: int from 2011 3\n",
    "dangling_operator": "article 1\n  value v: int = 1 +\n",
    "unclosed_paren": "article 1\n  value v: int = (1 + 2\narticle 2\n",
    "if_without_else": "article 1\n  value v: int = if a then 1\narticle 2\n",
    "bad_date": "article 1\n  parameter p: int from 2011-02-30 3\n",
    "article_before_instrument": None,
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_syntax_errors_are_located_and_friendly(name: str, golden):
    text = BAD[name]
    source = SourceFile(f"{name}.lt", 'article 1 "x"\n' if text is None else HEADER + text)
    with pytest.raises(SourceError) as caught:
        parse_text(source)
    rendered = caught.value.render()
    assert rendered.startswith(f"{name}.lt:")
    assert "Traceback" not in rendered
    golden(f"errors/syntax_{name}.txt", rendered + "\n")
