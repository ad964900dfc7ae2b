"""A Pygments lexer for statute files (`.lt`), registered as the entry point `pygments.lexers: lawtrace`.

Its keywords are read from the grammar (`dsl.vocabulary`); Pygments is an optional dependency (extra `highlight`).
"""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

from dsl import vocabulary as V

_W = V.words()


class LawtraceLexer(RegexLexer):
    """The lawtrace statute language: instruments, articles with their text, and the rules that encode them."""

    name = "lawtrace"
    aliases: ClassVar[list[str]] = ["lawtrace", "lt"]
    filenames: ClassVar[list[str]] = ["*.lt"]
    mimetypes: ClassVar[list[str]] = ["text/x-lawtrace"]
    url = "https://github.com/lawtrace/lawtrace"

    tokens: ClassVar[dict] = {
        "root": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"""', String.Doc, "article_text"),
            (r'"([^"\\\n]|\\.)*"', String.Double),
            (r"\d{4}-\d{2}-\d{2}", Number.Other),  # dates
            (r"\d+(\.\d+)?%", Number.Float),
            (r"(@)(\d{4})", bygroups(Operator, Number.Integer)),  # a version: WIIR@2003
            (r"\d+(\.\d+)?", Number),
            (r"(==|!=|<=|>=|->|\.\.|[<>+\-*/=])", Operator),
            (r"[()\[\]{},:.]", Punctuation),
            (words(sorted(V.TYPES & _W["keyword"]), suffix=r"\b"), Keyword.Type),
            (words(sorted(V.LITERALS), suffix=r"\b"), Keyword.Constant),
            (words(sorted(V.OPERATORS), suffix=r"\b"), Operator.Word),
            (words(sorted(V.declaration_keywords()), suffix=r"\b"), Keyword),
            (words(sorted(_W["constant"]), suffix=r"\b"), Name.Constant),
            (r"[A-Z][A-Z0-9_]*\b", Name.Namespace),  # an instrument's code: WIIR, SIL, JS
            (r"[a-z_][a-z0-9_]*(?=\s*\()", Name.Function),
            (r"[A-Za-z_][A-Za-z0-9_]*~[A-Za-z0-9_]+", Name.Variable),  # an overridden rule as compiled: NAME~CODE
            (r"[A-Za-z_][A-Za-z0-9_]*", Name),
            (r".", Text),
        ],
        "article_text": [
            (r'"""', String.Doc, "#pop"),
            (r'[^"]+', String.Doc),
            (r'"', String.Doc),
        ],
    }
