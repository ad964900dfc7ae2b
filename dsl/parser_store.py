"""Where the parser's tables may be kept between runs: building them from the grammar is most of a cold compile.

`dsl` knows nothing of lawtrace's cache (it is the lowest layer); the engine registers a store here
(`engine.build.cache` does, with its signed entries) and `dsl.parser` asks it for the tables of the grammar it
holds. Without a store the tables are built every time, as before.
"""

from __future__ import annotations

from typing import Protocol


class Store(Protocol):
    def load(self, key: str) -> bytes | None: ...

    def save(self, key: str, data: bytes) -> None: ...


_store: Store | None = None


def register(store: Store | None) -> None:
    global _store
    _store = store


def current() -> Store | None:
    return _store
