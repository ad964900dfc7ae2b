"""Text → AST: parse a statute file with the Lark grammar and build frozen AST nodes with spans.

Guarantees: the result has the grammar's shape, literals are typed (Decimal,
date, bool) and every node knows its span. Syntax errors become a
`SourceError` with line, column, caret and a plain message.
"""

from __future__ import annotations

import functools
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from dsl import ast, bounds, parser_store, texts
from dsl import types as T
from dsl.errors import SourceError, did_you_mean
from dsl.source import SourceFile, Span

GRAMMAR = Path(__file__).with_name("grammar.lark")


_OPTIONS = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": True}


@functools.cache
def _parser() -> Lark:
    """The LALR parser of the grammar: its tables from the registered store (`dsl.parser_store`) when it has them for
    this grammar, Lark and Python, else built (~1 s) and given to the store."""
    grammar = GRAMMAR.read_text(encoding="utf-8")
    store = parser_store.current()
    if store is None:
        return Lark(grammar, **_OPTIONS)
    key = _tables_key(grammar)
    data = store.load(key)
    if data is not None:
        try:
            return Lark.load(io.BytesIO(data))
        except Exception:  # noqa: BLE001 - tables that do not load are built again
            pass
    parser = Lark(grammar, **_OPTIONS)
    out = io.BytesIO()
    parser.save(out)
    store.save(key, out.getvalue())
    return parser


def _tables_key(grammar: str) -> str:
    import hashlib
    import sys

    import lark

    made_of = "\0".join([grammar, repr(sorted(_OPTIONS.items())), lark.__version__, sys.version])
    return hashlib.sha256(made_of.encode("utf-8")).hexdigest()


def parse_file(path: Path, display: str | None = None) -> ast.Module:
    return parse_text(read_source(path, display))


def read_source(path: Path, display: str | None = None) -> SourceFile:
    """A statute file's text; a file that cannot be read or is not UTF-8 is an error naming it."""
    try:
        return SourceFile.read(path, display)
    except OSError as e:
        raise SourceError(f"cannot read {path}: {e.strerror}", None) from None
    except UnicodeDecodeError as e:
        raise SourceError(f"{display or path}: not UTF-8 text (byte {e.start + 1} is 0x{e.object[e.start]:02x}); "
                          "lawtrace reads files written in UTF-8", None) from None


def parse_text(source: SourceFile) -> ast.Module:
    try:
        tree = _parser().parse(source.text)
    except UnexpectedInput as e:
        raise _syntax_error(source, e) from None
    _check_shape(tree, source)
    try:
        items = _Builder(source.name).transform(tree)
    except VisitError as e:
        if isinstance(e.orig_exc, SourceError):
            err = e.orig_exc
            raise SourceError(err.message, err.span, source, err.hint) from None
        raise
    return _module(source, items)


def _check_shape(tree: Tree, source: SourceFile) -> None:
    """Before anything is built: every string's escapes known, and no formula nested deeper than the limit (the
    builder, the checker and the evaluator all recurse on it). Walked with a stack, not by recursion."""
    stack: list[tuple[Tree | Token, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Token):
            if node.type == "STRING":
                _check_string(node, source.name)
            continue
        if depth > bounds.MAX_FORMULA_DEPTH:
            meta = node.meta
            span = Span(source.name, meta.line, meta.column, meta.end_line, meta.end_column) if not meta.empty else None
            raise SourceError(f"a formula nested or chained deeper than the limit of {bounds.MAX_FORMULA_DEPTH} levels",
                              span, source, hint="split it into named values")
        stack.extend((child, depth + 1) for child in node.children if child is not None)


def _module(source: SourceFile, items: list[object]) -> ast.Module:
    instrument: ast.Instrument | None = None
    regimes: list[ast.Regime] = []
    articles: list[ast.Article] = []
    for item in items:
        if isinstance(item, ast.Instrument):
            if instrument is not None or articles:
                raise SourceError(
                    "a file declares one instrument, before its articles", item.span, source,
                    hint="put each instrument in a file of its own",
                )
            instrument = item
        elif isinstance(item, ast.Regime):
            regimes.append(item)
        elif isinstance(item, ast.Article):
            if instrument is None:
                raise SourceError(
                    "an article must follow the `instrument` it belongs to", item.span, source,
                    hint='start the file with: instrument CODE "中文名称" en "English title" version 2010 in_force 2011-01-01',
                )
            articles.append(item)
    return ast.Module(source.name, instrument, tuple(regimes), tuple(articles))


# ---------------------------------------------------------------- syntax errors

_FRIENDLY: dict[str, list[str]] = {
    "a value needs `=` and a formula after its type and labels": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: money "v" clamp',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: money "v" 3',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: money article',
    ],
    "a declaration needs a type after `:` (bool, int, money, rate, date, party, enum {...}, list {...})": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 fact f: "f"',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: = 1',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 fact f: string',
    ],
    "a benefit's condition is written `payable when <condition>`": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 benefit b "b" once payable if',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 benefit b "b" once payable true',
    ],
    "a parameter needs at least one `from YYYY-MM-DD <value>` version": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 parameter p: int 3',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 parameter p: int article',
    ],
    "a `from` needs a date written YYYY-MM-DD": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 parameter p: int from 2011 3',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 parameter p: int from x',
    ],
    "a parenthesis `(` is not closed": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: int = (1',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: int = (1 article',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: int = min(1, 2 article',
    ],
    "the formula ends too early: an operator needs something on its right": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: int = 1 +',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: int = 1 * article',
    ],
    "`if` needs `then` and `else`": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: int = if a then 1 article',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 value v: int = if a 1',
    ],
    "a citation is an article number, optionally with paragraph and item: `cite 37(1)(2)` or `cite SIL 38(6)`": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 fact f: bool "f" cite',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 fact f: bool "f" cite article',
    ],
    "a fact needs a label in quotes after its type: `fact name: type \"中文\" en \"English\"`": [
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 fact f: bool article',
        'instrument X "x" version 2010 in_force 2011-01-01 article 1 fact f: bool cite 1',
    ],
}


@functools.cache
def _friendly_examples() -> dict[str, list[str]]:
    return _FRIENDLY


def _syntax_error(source: SourceFile, e: UnexpectedInput) -> SourceError:
    line = getattr(e, "line", 0) or 0
    column = getattr(e, "column", 0) or 0
    if isinstance(e, UnexpectedEOF) or line <= 0:
        lines = source.text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    span = Span(source.name, line, column, line, column + 1)
    label = None
    if isinstance(e, (UnexpectedToken, UnexpectedEOF)):
        try:
            label = e.match_examples(_parser().parse, _friendly_examples(), use_accepts=True)
        except Exception:  # noqa: BLE001 - a failed example match only loses the friendly text
            label = None
    if isinstance(e, UnexpectedCharacters):
        char = source.text[e.pos_in_stream] if e.pos_in_stream < len(source.text) else ""
        message = f"unexpected character {char!r}"
        hint = _char_hint(char)
        return SourceError(message, span, source, hint)
    found = _describe_token(e)
    expected = _describe_expected(e)
    message = label or f"unexpected {found}"
    hint = f"expected {expected}" if expected else None
    if label:
        hint = f"found {found}" + (f"; expected {expected}" if expected else "")
    return SourceError(message, span, source, hint)


def _char_hint(char: str) -> str | None:
    return {
        "&": "write `and`, not `&&`",
        "|": "write `or`, not `||`",
        "!": "write `not`, or `!=` for 'not equal'",
        "'": 'strings are written in double quotes: "…"',
        "=": "compare with `==`",
    }.get(char, "names are ASCII letters, digits and underscores; text goes in double quotes")


def _describe_token(e: UnexpectedInput) -> str:
    token = getattr(e, "token", None)
    if token is None or getattr(token, "type", "") == "$END":
        return "end of file"
    return f"{token.value!r}"


_TOKEN_WORDS = {
    "NAME": "a name", "STRING": "a quoted string", "INT": "a whole number", "NUMBER": "a number",
    "DATE": "a date (YYYY-MM-DD)", "PERCENT": "a percentage", "VERSION": "a version year",
    "EQUAL": "'='", "COLON": "':'", "LPAR": "'('", "RPAR": "')'", "LBRACE": "'{'", "RBRACE": "'}'",
    "AGGREGATE": "sum(...)", "COUNT": "count(...)", "TEXT_STATUS": "verbatim, gist or unavailable",
    "COMMA": "','", "LSQB": "'['", "RSQB": "']'",
}


def _describe_expected(e: UnexpectedInput) -> str:
    expected = getattr(e, "expected", None) or getattr(e, "accepts", None) or set()
    words = []
    for name in sorted(expected):
        if name.startswith("_") or name == "$END":
            continue
        words.append(_TOKEN_WORDS.get(name, name.lower().strip('"')))
    words = sorted(set(words))
    if len(words) > 8:
        words = words[:8] + ["…"]
    return ", ".join(words)


# ---------------------------------------------------------------- tree → AST


def _span(file: str, meta: object) -> Span:
    return Span(
        file,
        getattr(meta, "line", 0) or 0,
        getattr(meta, "column", 0) or 0,
        getattr(meta, "end_line", 0) or 0,
        getattr(meta, "end_column", 0) or 0,
    )


def _text(token: Token) -> str:
    raw = str(token)
    if raw.startswith('"""'):
        lines = [line.strip() for line in raw[3:-3].splitlines()]
        return "\n".join(lines).strip("\n")
    return _ESCAPE.sub(_unescape, raw[1:-1]) if "\\" in raw else raw[1:-1]


# The escapes a string may hold; any other backslash is refused by `_check_escapes`, at its place, before building.
_ESCAPE = re.compile(r'\\(["\\nt]|u[0-9a-fA-F]{4})')
_ANY_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|.)', re.S)
_SIMPLE = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def _unescape(m: re.Match[str]) -> str:
    e = m.group(1)
    if e.startswith("u") and len(e) == 5:
        ch = chr(int(e[1:], 16))
        return ch
    return _SIMPLE[e]


def _check_string(token: Token, file: str) -> None:
    raw = str(token)
    if raw.startswith('"""'):
        return
    for m in _ANY_ESCAPE.finditer(raw[1:-1]):
        e = m.group(1)
        ok = e in _SIMPLE or (e.startswith("u") and len(e) == 5 and not 0xD800 <= int(e[1:], 16) <= 0xDFFF)
        if not ok:
            span = Span(file, token.line, token.column + 1 + m.start(), token.line, token.column + 1 + m.end() + 1)
            raise SourceError(f"unknown escape {m.group(0)!r} in a string", span,
                              hint='the escapes are \\" \\\\ \\n \\t and \\uXXXX (not a surrogate); '
                                   "or write the character itself")


def _int(token: object, file: str) -> int:
    """A whole number written in a statute (an article, a paragraph, a range's end), within the limit of its digits."""
    text = str(token)
    if len(text.lstrip("0")) > bounds.LITERAL_INT_DIGITS:
        raise SourceError(f"a number of {len(text):,} digits: at most {bounds.LITERAL_INT_DIGITS} digits are accepted here",
                          _token_span(file, token) if isinstance(token, Token) else None)
    return int(text)


def _literal(token: Token, file: str) -> str:
    """A number written in a formula or a parameter, within the digits the engine holds exactly."""
    text = str(token)
    whole, _, fraction = text.rstrip("%").partition(".")
    if len(whole.lstrip("0")) > bounds.LITERAL_INT_DIGITS or len(fraction) > bounds.LITERAL_FRACTION_DIGITS:
        raise SourceError(f"the number {text[:20]}{'...' if len(text) > 20 else ''} has more digits than lawtrace holds "
                          f"exactly (at most {bounds.LITERAL_INT_DIGITS} before the point and "
                          f"{bounds.LITERAL_FRACTION_DIGITS} after it)", _token_span(file, token))
    return text


def _date(token: Token, file: str) -> date:
    try:
        return date.fromisoformat(str(token))
    except ValueError:
        raise SourceError(f"{token} is not a valid date", _token_span(file, token)) from None


def _token_span(file: str, token: Token) -> Span:
    return Span(file, token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)


@v_args(meta=True)
class _Builder(Transformer):
    def __init__(self, file: str):
        super().__init__()
        self.file = file

    def _s(self, meta: object) -> Span:
        return _span(self.file, meta)

    # top level
    def start(self, meta, children):
        return list(children)

    def instrument(self, meta, c):
        code, title = str(c[0]), _text(c[1])
        rest = c[2:]
        title_en = rest.pop(0) if rest and isinstance(rest[0], _En) else None
        under = next((x for x in rest if isinstance(x, _Under)), None)
        level = next((x for x in rest if isinstance(x, _Level)), None)
        versions = tuple(v for v in rest if isinstance(v, ast.InstrumentVersion))
        return ast.Instrument(code, title, title_en.text if title_en else None,
                              under.code if under else None, versions, self._s(meta),
                              level.name if level else None)

    def level(self, meta, c):
        name = str(c[0])
        if name not in ast.LEVELS:
            hint = did_you_mean(name, ast.LEVELS) or "levels: " + ", ".join(ast.LEVELS)
            raise SourceError(f"unknown level '{name}'", self._s(meta), hint=hint)
        return _Level(name)

    def labels_en(self, meta, c):
        return _En(_text(c[0]))

    def under(self, meta, c):
        return _Under(str(c[0]))

    def version_decl(self, meta, c):
        return ast.InstrumentVersion(str(c[0]), _date(c[1], self.file), self._s(meta))

    def regime(self, meta, c):
        name, zh = str(c[0]), _text(c[1])
        rest = list(c[2:])
        en = rest.pop(0).text if rest and isinstance(rest[0], _En) else None
        return ast.Regime(name, ast.Labels(zh, en), tuple(str(t) for t in rest), self._s(meta))

    def article(self, meta, c):
        number = _int(c[0], self.file)
        version = status = text = gloss = omitted = None
        decls = []
        paragraphs: list[tuple[int, str]] = []
        for x in c[1:]:
            if isinstance(x, _AtVersion):
                version = x.version
            elif isinstance(x, _Status):
                status = x.status
            elif isinstance(x, Token) and x.type == "STRING":
                text = _text(x)
            elif isinstance(x, _Gloss):
                gloss = x.text
            elif isinstance(x, _Omitted):
                omitted = x.reason
            elif isinstance(x, _ParagraphOmitted):
                paragraphs.append((x.number, x.reason))
            elif x is not None:
                decls.append(x)
        return ast.Article(number, version, status, text, gloss, tuple(decls), self._s(meta), omitted, tuple(paragraphs))

    def paragraph_omitted(self, meta, c):
        return _ParagraphOmitted(int(c[0]), _text(c[1]))

    def at_version(self, meta, c):
        return _AtVersion(str(c[0]))

    def text_status(self, meta, c):
        return _Status(str(c[0]))

    def gloss(self, meta, c):
        return _Gloss(_text(c[0]))

    def omitted(self, meta, c):
        return _Omitted(_text(c[0]))

    # declarations
    def labels(self, meta, c):
        return ast.Labels(_text(c[0]), c[1].text if len(c) > 1 else None)

    def note(self, meta, c):
        return _Note(texts.text(_text(c[0]), c[1].text if len(c) > 1 else None))

    def delegated(self, meta, c):
        return _Delegated(str(c[0]))

    def cites(self, meta, c):
        return _Cites(tuple(c))

    def citation(self, meta, c):
        instrument = version = when = None
        numbers: list[int] = []
        for x in c:
            if isinstance(x, _When):
                when = x.expr
            elif isinstance(x, Token) and x.type == "NAME":
                instrument = str(x)
            elif isinstance(x, _AtVersion):
                version = x.version
            elif x is not None:
                numbers.append(_int(x, self.file))
        if len(numbers) > 3:
            raise SourceError("a citation has at most a paragraph and an item: 37(1)(2)", self._s(meta))
        article, paragraph, item = (numbers + [None, None])[:3]
        return ast.Citation(instrument, version, article, paragraph, item, self._s(meta), when)

    def cite_when(self, meta, c):
        return _When(c[0])

    def paragraph(self, meta, c):
        return _int(c[0], self.file)

    def fact(self, meta, c):
        name, typ, labels = str(c[0]), c[1], c[2]
        cites, note, delegated = _opts(c[3:])
        return ast.Fact(name, typ, labels, cites, note, delegated, self._s(meta))

    def parameter(self, meta, c):
        name, typ = str(c[0]), c[1]
        rest = list(c[2:])
        labels = rest.pop(0) if rest and (rest[0] is None or isinstance(rest[0], ast.Labels)) else None
        versions = tuple(x for x in rest if isinstance(x, ast.ParamVersion))
        cites, note, _ = _opts([x for x in rest if not isinstance(x, ast.ParamVersion)])
        return ast.Parameter(name, typ, labels or ast.Labels(None, None), cites, note, versions, self._s(meta))

    def pversion(self, meta, c):
        start = _date(c[0], self.file)
        value = _literal_value(c[1])
        cites, _, _ = _opts(c[2:])
        source = next((_text(x.children[0]) for x in c[2:] if isinstance(x, Tree)), None)
        return ast.ParamVersion(start, value, cites, source, self._s(meta))

    def until(self, meta, c):
        from datetime import timedelta
        end = _date(c[0], self.file)
        source = next((_text(x.children[0]) for x in c[1:] if isinstance(x, Tree)), None)
        return ast.ParamVersion(end + timedelta(days=1), ast.NOT_SHIPPED, (), source or f"no figure after {end}", self._s(meta))

    def source(self, meta, c):
        return Tree("source", c)

    def table_literal(self, meta, c):
        return tuple(c)

    def entry(self, meta, c):
        return (_literal_value(c[0]), _literal_value(c[1]))

    def value(self, meta, c):
        name, typ = str(c[0]), c[1]
        rest = list(c[2:])
        labels = rest.pop(0) if rest and (rest[0] is None or isinstance(rest[0], ast.Labels)) else None
        versions = tuple(x for x in rest if isinstance(x, ast.ValueVersion))
        cites, note, _ = _opts([x for x in rest if not isinstance(x, ast.ValueVersion)])
        return ast.Value(name, typ, labels or ast.Labels(None, None), cites, note, versions, self._s(meta))

    def single_body(self, meta, c):
        cites, note, _ = _opts(c[1:])
        return ast.ValueVersion(None, c[0], cites, note, self._s(meta))

    def vversion(self, meta, c):
        start = _date(c[0], self.file)
        cites, note, _ = _opts(c[2:])
        return ast.ValueVersion(start, c[1], cites, note, self._s(meta))

    def presume(self, meta, c):
        cites, _, _ = _opts(c[3:])
        en = c[-1].text if isinstance(c[-1], _En) else None
        ground = c[-2] if en is not None else c[-1]
        return ast.Presume(str(c[0]), c[1], str(c[2]), cites, texts.text(_text(ground), en), self._s(meta))

    def benefit(self, meta, c):
        name, labels, period = str(c[0]), c[1], str(c[2])
        cites, _, _ = _opts(c[3:])
        clauses = tuple(x for x in c[3:] if isinstance(x, ast.Clause))
        parts = tuple(x for x in c[3:] if isinstance(x, ast.Part))
        kind = next((x.kind for x in c[3:] if isinstance(x, _Kind)), "worker")
        set_by = [x for x in c[3:] if isinstance(x, _SetBy)]
        if len(set_by) > 1:
            raise SourceError(f"benefit {name} says twice who sets the figure", self._s(meta))
        return ast.Benefit(name, labels, period, cites, clauses, parts, self._s(meta), kind,
                           set_by[0].labels if set_by else None, set_by[0].cites if set_by else ())

    def case_kind(self, meta, c):
        kind = str(c[0])
        if kind not in ast.CASE_KINDS:
            hint = did_you_mean(kind, ast.CASE_KINDS) or "kinds of case: " + ", ".join(ast.CASE_KINDS)
            raise SourceError(f"unknown kind of case '{kind}'", self._s(meta), hint=hint)
        return _Kind(kind)

    def set_by_clause(self, meta, c):
        cites, _, _ = _opts(c[1:])
        return _SetBy(c[0], cites)

    def deadline(self, meta, c):
        name, labels = str(c[0]), c[1]
        rest = c[2:]
        cites, _, _ = _opts(rest)
        kind = next((x.kind for x in rest if isinstance(x, _Kind)), "worker")
        clauses = tuple(x for x in rest if isinstance(x, ast.Clause))
        consequences = [x for x in rest if isinstance(x, _Consequence)]
        if len(consequences) > 1:
            raise SourceError(f"deadline {name} states its consequence twice", self._s(meta))
        consequence = consequences[0] if consequences else None
        return ast.Deadline(name, labels, cites, clauses, consequence.labels if consequence else None,
                            consequence.cites if consequence else (), self._s(meta), kind)

    def applies_clause(self, meta, c):
        cites, note, _ = _opts(c[1:])
        return ast.Clause("applies", c[0], cites, note, self._s(meta))

    def deadline_field(self, meta, c):
        cites, note, _ = _opts(c[2:])
        return ast.Clause(str(c[0]), c[1], cites, note, self._s(meta))

    def consequence_clause(self, meta, c):
        cites, _, _ = _opts(c[1:])
        return _Consequence(c[0], cites)

    def event(self, meta, c):
        over = next((x for x in c[2:] if isinstance(x, tuple)), None)
        expr = next(x for x in c[2:] if isinstance(x, ast.Expr))
        cites, note, _ = _opts(c[2:])
        return ast.Event(str(c[0]), c[1], over[0] if over else None, over[1] if over else None, expr, cites, note,
                         self._s(meta))

    def event_over(self, meta, c):
        return (str(c[0]), str(c[1]))

    def require(self, meta, c):
        cites, _, _ = _opts(c[2:])
        return ast.Require(c[0], str(c[1]), cites, c[-1], self._s(meta))

    def assertion(self, meta, c):
        cites, _, _ = _opts(c[3:])
        return ast.Assert(str(c[0]), c[1], c[2], cites, self._s(meta))

    def claim(self, meta, c):
        cites, _, _ = _opts(c[2:])
        names = [str(x) for x in c[2:] if not isinstance(x, _Cites)]
        return ast.Claim(str(c[0]), c[1], tuple(names[:-1]), names[-1], cites, self._s(meta))

    def payable_clause(self, meta, c):
        cites, note, _ = _opts(c[1:])
        return ast.Clause("payable", c[0], cites, note, self._s(meta))

    def field_clause(self, meta, c):
        cites, note, _ = _opts(c[2:])
        return ast.Clause(str(c[0]), c[1], cites, note, self._s(meta))

    def part_clause(self, meta, c):
        cites, note, _ = _opts(c[3:])
        return ast.Part(str(c[0]), c[1], c[2], cites, note, self._s(meta))

    # layering
    def target(self, meta, c):
        return _Target(".".join(str(t) for t in c if t is not None), self._s(meta))

    def authority(self, meta, c):
        return _Authority(tuple(c))

    def amends(self, meta, c):
        return _Amends(tuple(c))

    def fills(self, meta, c):
        target = c[0]
        cites, note, _ = _opts(c[1:])
        versions = tuple(x for x in c[1:] if isinstance(x, ast.ValueVersion))
        return ast.Fill(target.name, cites, note, versions, self._s(meta))

    def overrides(self, meta, c):
        target = c[0]
        authority = next((x.cites for x in c if isinstance(x, _Authority)), ())
        amends = next((x.cites for x in c if isinstance(x, _Amends)), ())
        reason = next(_text(x) for x in c if isinstance(x, Token) and x.type == "STRING")
        reason_en = next((x.text for x in c if isinstance(x, _En)), None)
        reason = texts.text(reason, reason_en)
        cites, note, _ = _opts(c[1:])
        versions = tuple(x for x in c[1:] if isinstance(x, (ast.ValueVersion, ast.ParamVersion)))
        return ast.Override(target.name, authority, amends, reason, cites, note, versions, self._s(meta))

    def overrides_value(self, meta, c):
        name = str(c[0])
        rest = [x for x in c[1:] if x is not None]
        key = next((x.key for x in rest if isinstance(x, _EntryKey)), None)
        has_key = any(isinstance(x, _EntryKey) for x in rest)
        value = _literal_value(next(x for x in rest if not isinstance(x, (_EntryKey, Token))))
        authority = next((x.cites for x in rest if isinstance(x, _Authority)), ())
        amends = next((x.cites for x in rest if isinstance(x, _Amends)), ())
        reason = next(_text(x) for x in rest if isinstance(x, Token) and x.type == "STRING")
        start = next((x.start for x in rest if isinstance(x, _From)), None)
        cites, note, _ = _opts(rest)
        version = ast.ParamVersion(start, value, (), None, self._s(meta))  # type: ignore[arg-type]
        return ast.Override(name, authority, amends, reason, cites, note, (version,), self._s(meta),
                            keeps_others=True, key=key if has_key else None)

    def entry_key(self, meta, c):
        return _EntryKey(_literal_value(c[0]))

    def value_from(self, meta, c):
        return _From(_date(c[0], self.file))

    def adds_part(self, meta, c):
        name, benefit = str(c[0]), str(c[1])
        cites, note, _ = _opts(c[4:])
        part = ast.Part(name, c[2], c[3], cites, note, self._s(meta))
        return ast.AddPart(benefit, part, self._s(meta))

    def undetermined(self, meta, c):
        return ast.Undetermined(self._s(meta), texts.text(_text(c[0]), c[1].text if len(c) > 1 else None))

    # types
    def bool_type(self, meta, c):
        return T.BOOL

    def int_type(self, meta, c):
        if c and c[0] is not None:
            return T.IntType(*c[0])
        return T.INT

    def int_range(self, meta, c):
        low = _int(c[0], self.file)
        high = _int(c[1], self.file) if len(c) > 1 and c[1] is not None else bounds.INT_MAX
        if low > high:
            raise SourceError(f"empty range {low}..{high}", self._s(meta))
        return (low, high)

    def money_type(self, meta, c):
        return T.MONEY

    def rate_type(self, meta, c):
        if c and c[0] is not None:
            return T.RateType(*c[0])
        return T.RATE

    def rate_range(self, meta, c):
        low, high = Decimal(_literal(c[0], self.file)), Decimal(_literal(c[1], self.file))
        if low > high:
            raise SourceError(f"empty range {low}..{high}", self._s(meta))
        return (low, high)

    def date_type(self, meta, c):
        return T.DATE

    def party_type(self, meta, c):
        return T.PARTY

    def enum_type(self, meta, c):
        return T.EnumType(tuple(name for name, _ in c), tuple((name, labels) for name, labels in c if labels is not None))

    def enum_member(self, meta, c):
        return str(c[0]), (c[1].zh, c[1].en) if len(c) > 1 else None

    def list_type(self, meta, c):
        return T.ListType(tuple(c))

    def field_decl(self, meta, c):
        labels = c[2] if len(c) > 2 else None
        return T.RecordField(str(c[0]), c[1], labels.zh if labels else None, labels.en if labels else None)

    def table_type(self, meta, c):
        return T.TableType(c[0], c[1])

    # expressions
    def if_expr(self, meta, c):
        return ast.If(self._s(meta), c[0], c[1], c[2])

    def or_(self, meta, c):
        return ast.Or(self._s(meta), c[0], c[1])

    def and_(self, meta, c):
        return ast.And(self._s(meta), c[0], c[1])

    def not_(self, meta, c):
        return ast.Not(self._s(meta), c[0])

    def compare(self, meta, c):
        return ast.Compare(self._s(meta), str(c[1]), c[0], c[2])

    def in_range(self, meta, c):
        return ast.InRange(self._s(meta), c[0], _int(c[1], self.file), _int(c[2], self.file))

    def in_set(self, meta, c):
        return ast.InSet(self._s(meta), c[0], tuple(str(t) for t in c[1:]))

    def is_known(self, meta, c):
        return ast.IsKnown(self._s(meta), c[0])

    def otherwise(self, meta, c):
        return ast.Otherwise(self._s(meta), c[0], c[1])

    def binop(self, meta, c):
        return ast.BinOp(self._s(meta), str(c[1]), c[0], c[2])

    def neg(self, meta, c):
        return ast.Neg(self._s(meta), c[0])

    def lookup(self, meta, c):
        return ast.Lookup(self._s(meta), c[0], c[1])

    def field(self, meta, c):
        return ast.Field(self._s(meta), c[0], str(c[1]))

    def name(self, meta, c):
        return ast.Name(self._s(meta), str(c[0]))

    def call(self, meta, c):
        args = tuple(a for a in c[1:] if a is not None)
        return ast.Call(self._s(meta), str(c[0]), args)

    def aggregate(self, meta, c):
        where = c[3].children[0] if len(c) == 5 else None
        return ast.Aggregate(self._s(meta), str(c[0]), str(c[1]), c[2], where, c[-1])

    def count(self, meta, c):
        where = c[2].children[0] if len(c) == 3 else None
        return ast.Aggregate(self._s(meta), "count", str(c[0]), c[1], where, None)

    def where(self, meta, c):
        return Tree("where", c)

    def number(self, meta, c):
        text = _literal(c[0], self.file)
        return ast.Number(self._s(meta), Decimal(text), "." not in text)

    def percent(self, meta, c):
        return ast.Percent(self._s(meta), Decimal(_literal(c[0], self.file)[:-1]) / 100)

    def date(self, meta, c):
        return ast.DateLit(self._s(meta), _date(c[0], self.file))

    def true(self, meta, c):
        return ast.BoolLit(self._s(meta), True)

    def false(self, meta, c):
        return ast.BoolLit(self._s(meta), False)


class _En:
    def __init__(self, text: str):
        self.text = text


class _Kind:
    def __init__(self, kind: str):
        self.kind = kind


class _SetBy:
    def __init__(self, labels: ast.Labels, cites: tuple[ast.Citation, ...]):
        self.labels = labels
        self.cites = cites


class _Consequence:
    def __init__(self, labels: ast.Labels, cites: tuple[ast.Citation, ...]):
        self.labels = labels
        self.cites = cites


class _Under:
    def __init__(self, code: str):
        self.code = code


class _Level:
    def __init__(self, name: str):
        self.name = name


class _Target:
    def __init__(self, name: str, span: Span):
        self.name = name
        self.span = span


class _Authority:
    def __init__(self, cites: tuple[ast.Citation, ...]):
        self.cites = cites


class _Amends:
    def __init__(self, cites: tuple[ast.Citation, ...]):
        self.cites = cites


class _AtVersion:
    def __init__(self, version: str):
        self.version = version


class _Status:
    def __init__(self, status: str):
        self.status = status


class _Gloss:
    def __init__(self, text: str):
        self.text = text


class _Omitted:
    def __init__(self, reason: str):
        self.reason = reason


class _ParagraphOmitted:
    def __init__(self, number: int, reason: str):
        self.number, self.reason = number, reason


class _When:
    def __init__(self, expr: ast.Expr):
        self.expr = expr


class _Cites:
    def __init__(self, cites: tuple[ast.Citation, ...]):
        self.cites = cites


class _Note:
    def __init__(self, text: str):
        self.text = text


class _Delegated:
    def __init__(self, to: str):
        self.to = to


class _EntryKey:
    def __init__(self, key: object):
        self.key = key


class _From:
    def __init__(self, start: date):
        self.start = start


def _opts(items: list[object]) -> tuple[tuple[ast.Citation, ...], str | None, str | None]:
    cites: tuple[ast.Citation, ...] = ()
    note = delegated = None
    for x in items:
        if isinstance(x, _Cites):
            cites = x.cites
        elif isinstance(x, _Note):
            note = x.text
        elif isinstance(x, _Delegated):
            delegated = x.to
    return cites, note, delegated


def _literal_value(node: object) -> object:
    if isinstance(node, ast.Number):
        return node.value
    if isinstance(node, ast.Percent):
        return node.value
    if isinstance(node, (ast.DateLit, ast.BoolLit)):
        return node.value
    return node
