"""The parser's tables kept between runs (dsl/parser_store.py, engine/build/cache.py's signed store): a parser
loaded from them parses every statute exactly as one built from the grammar, and tables that do not load, or that
were not signed by this user's lawtrace, are built again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dsl import parser, parser_store
from engine.build import cache
from engine.build.catalog import statute_files


class _Memory:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.loads = 0

    def load(self, key: str) -> bytes | None:
        self.loads += 1
        return self.data.get(key)

    def save(self, key: str, data: bytes) -> None:
        self.data[key] = data


@pytest.fixture
def store() -> Iterator[_Memory]:
    before = parser_store.current()
    memory = _Memory()
    parser_store.register(memory)
    parser._parser.cache_clear()
    yield memory
    parser_store.register(before)
    parser._parser.cache_clear()


class _NotBuilt(parser.Lark):
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("the parser was built from the grammar, not loaded from its tables")


def test_tables_from_the_store_parse_every_statute_as_the_grammar_does(store: _Memory,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    built = parser._parser()
    assert len(store.data) == 1
    files = statute_files()
    from_grammar = [parser.parse_file(f) for f in files]
    parser._parser.cache_clear()
    monkeypatch.setattr(parser, "Lark", _NotBuilt)
    loaded = parser._parser()
    assert loaded is not built
    assert [parser.parse_file(f) for f in files] == from_grammar
    assert len(files) >= 10


def test_a_syntax_error_reads_the_same_with_loaded_tables(store: _Memory, tmp_path: Path) -> None:
    good = statute_files()[0].read_text(encoding="utf-8")
    bad = tmp_path / "bad.lt"
    bad.write_text(good + "\n\nrule + 1\n", encoding="utf-8")
    lines = good.count("\n") + 3
    messages = []
    for _ in range(2):  # built, then loaded
        parser._parser.cache_clear()
        with pytest.raises(parser.SourceError) as e:
            parser.parse_file(bad)
        messages.append(str(e.value))
    assert messages[0] == messages[1] and f":{lines}:" in messages[0]


def test_tables_that_do_not_load_are_built_again(store: _Memory) -> None:
    parser._parser()
    key = next(iter(store.data))
    store.data[key] = b"not the tables"
    parser._parser.cache_clear()
    assert parser._parser().parse(statute_files()[0].read_text(encoding="utf-8"))
    assert store.data[key] != b"not the tables"  # and stored anew


def test_the_signed_store_refuses_tables_it_did_not_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWTRACE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("LAWTRACE_NO_CACHE", raising=False)
    signed = cache._Signed("parser-tables")
    signed.save("k", b"tables")
    assert signed.load("k") == b"tables"
    entry = next(tmp_path.glob("parser-tables-k" + cache.SUFFIX))
    entry.write_bytes(entry.read_bytes()[:-1] + b"T")
    assert signed.load("k") is None
    assert isinstance(parser_store.current(), cache._Signed)  # the engine registered it
