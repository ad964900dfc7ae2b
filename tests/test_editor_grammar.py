"""The VS Code extension's TextMate grammar: every regex compiles in Oniguruma (the engine VS Code runs), and a
scanner that follows TextMate's rule (at each point the earliest match wins, the first pattern on a tie; a begin/end
rule holds until its end) gives the expected scope to each token of sample statute lines."""

from __future__ import annotations

import json
from pathlib import Path

import onigurumacffi
import pytest

from dsl import vocabulary

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR = json.loads((EXTENSION / "syntaxes" / "lawtrace.tmLanguage.json").read_text(encoding="utf-8"))


def _rules() -> list[dict]:
    return [GRAMMAR["repository"][p["include"][1:]] for p in GRAMMAR["patterns"]]


def tokenize(text: str) -> list[tuple[str, str]]:
    """(scope, text) for every scoped token of `text`, line by line, as a TextMate engine scans a flat grammar."""
    rules = _rules()
    starts = onigurumacffi.compile_regset(*[r.get("match") or r["begin"] for r in rules])
    out: list[tuple[str, str]] = []
    inside: dict | None = None  # an open begin/end rule (the article text, over several lines)
    for line in text.splitlines():
        pos = 0
        while pos <= len(line):
            if inside is not None:
                end = onigurumacffi.compile(inside["end"]).search(line, pos)
                stop = end.end() if end else len(line)
                out.append((inside["name"], line[pos:stop]))
                pos = stop
                if end is None:
                    break
                inside = None
                continue
            index, m = starts.search(line, pos)
            if m is None:
                break
            rule = rules[index]
            if "begin" in rule:
                end = onigurumacffi.compile(rule["end"]).search(line, m.end())
                out.append((rule["name"], line[m.start():end.end() if end else len(line)]))
                if end is None:
                    inside = rule
                    break
                pos = end.end()
                continue
            if "captures" in rule:
                for group, capture in sorted(rule["captures"].items()):
                    out.append((capture["name"], m.group(int(group))))
            else:
                out.append((rule["name"], m.group()))
            pos = m.end() if m.end() > pos else pos + 1
    return out


def test_every_regex_compiles_in_oniguruma_and_the_manifest_points_at_the_grammar():
    for rule in GRAMMAR["repository"].values():
        for key in ("match", "begin", "end"):
            if key in rule:
                onigurumacffi.compile(rule[key])  # raises on a pattern Oniguruma refuses
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    [grammar] = manifest["contributes"]["grammars"]
    assert grammar["scopeName"] == GRAMMAR["scopeName"] == "source.lawtrace"
    assert (EXTENSION / grammar["path"]).is_file()
    [language] = manifest["contributes"]["languages"]
    assert language["extensions"] == [".lt"] and (EXTENSION / language["configuration"]).is_file()
    json.loads((EXTENSION / "language-configuration.json").read_text(encoding="utf-8"))


SAMPLE = '''\
instrument G7UP "七级伤残补助金提高到15个月" en "grade 7 at 15 months" level reform   # a proposal
article 37 """职工因工致残被鉴定为七级至十级伤残的，
  享受以下待遇"""
  overrides disability_subsidy_months amends WIIR@2003 35(1)(1) because "why" from 2026-01-01 {7: 15}
  value share: rate = if disability_grade in 7..10 then 60% else clamp(x, 1, 2)
'''


@pytest.mark.parametrize("scope, text", [
    ("keyword.control.declaration.lawtrace", "instrument"),
    ("entity.name.namespace.instrument.lawtrace", "G7UP"),
    ("string.quoted.double.lawtrace", '"七级伤残补助金提高到15个月"'),
    ("keyword.control.declaration.lawtrace", "level"),
    ("comment.line.number-sign.lawtrace", "# a proposal"),
    ("constant.numeric.lawtrace", "37"),
    ("string.quoted.triple.lawtrace", '"""职工因工致残被鉴定为七级至十级伤残的，'),
    ("string.quoted.triple.lawtrace", '  享受以下待遇"""'),
    ("keyword.control.declaration.lawtrace", "overrides"),
    ("variable.other.lawtrace", "disability_subsidy_months"),
    ("keyword.control.declaration.lawtrace", "amends"),
    ("entity.name.namespace.instrument.lawtrace", "WIIR"),
    ("constant.numeric.version.lawtrace", "2003"),
    ("constant.numeric.date.lawtrace", "2026-01-01"),
    ("storage.type.lawtrace", "rate"),
    ("keyword.operator.word.lawtrace", "if"),
    ("keyword.operator.lawtrace", ".."),
    ("constant.numeric.percent.lawtrace", "60%"),
    ("support.function.lawtrace", "clamp"),
])
def test_sample_tokens_get_their_scopes(scope, text):
    assert (scope, text) in tokenize(SAMPLE)


def test_words_inside_strings_and_comments_are_not_keywords():
    tokens = tokenize('  note "if the fact is known" # cite 37 when\n')
    assert tokens == [("keyword.control.declaration.lawtrace", "note"),
                      ("string.quoted.double.lawtrace", '"if the fact is known"'),
                      ("comment.line.number-sign.lawtrace", "# cite 37 when")]


def test_every_word_of_the_language_is_highlighted_as_the_parser_knows_it():
    """A keyword added to dsl/grammar.lark must be added to the TextMate grammar too (and this says which)."""
    w = vocabulary.words()
    expected = ({word: "keyword" for word in w["keyword"] - vocabulary.LITERALS}
                | {word: "constant" for word in w["constant"] | vocabulary.LITERALS})
    wrong = {}
    for word, kind in sorted(expected.items()):
        [(scope, text)] = tokenize(word)
        ok = scope.startswith(("keyword.", "storage.type")) if kind == "keyword" else scope.startswith("constant.language")
        if text != word or not ok:
            wrong[word] = scope
    assert not wrong, f"add to editors/vscode/syntaxes/lawtrace.tmLanguage.json: {wrong}"


def test_every_shipped_statute_is_delimited_as_the_parser_reads_it():
    """Strings and comments end where the parser ends them: as many `article` keywords as the parser finds articles."""
    from dsl.parser import parse_file

    for path in sorted((ROOT / "statutes").rglob("*.lt")):
        tokens = tokenize(path.read_text(encoding="utf-8"))
        articles = [t for scope, t in tokens if scope.startswith("keyword.control") and t == "article"]
        assert len(articles) == len(parse_file(path).articles), path
        texts = "".join(t for scope, t in tokens if scope == "string.quoted.triple.lawtrace")
        assert texts.count('"""') % 2 == 0, path
