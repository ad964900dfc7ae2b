"""SHA-256 digests of source files, remembered by what `stat` says of them, so that a file not changed since it was
last read is not read again (a warm command reads ~70 files of statutes and code to know its cache key).

A digest is reused only when the file's size, modification time, status-change time, inode and device are all
what they were when it was hashed. The status-change time (ctime) cannot be set back by a user, so an edit that
restores the modification time is still seen. A file hashed within `RACY_NS` of its last change is not remembered:
on a file system with coarse timestamps an edit in the same tick would keep both times (git's "racily clean"
entries). The memo is kept by the store the program cache registers (`engine.build.cache`, a signed entry);
without one, or without a cache directory, every process reads every file once.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

RACY_NS = 2_000_000_000  # coarser than any file system's timestamps (FAT: 2 s)
_KEY = "v1"


class Store(Protocol):
    def load(self, key: str) -> bytes | None: ...

    def save(self, key: str, data: bytes) -> None: ...


_store: Store | None = None
_memo: dict[str, list[object]] | None = None  # path -> [size, mtime_ns, ctime_ns, ino, dev, hex digest]


def use_store(store: Store | None) -> None:
    """Where the memo is kept between processes (the program cache registers its signed entries)."""
    global _store
    _store = store
    forget()


def digests(paths: Sequence[Path]) -> list[bytes]:
    """The SHA-256 of each file's bytes, in order; OSError as reading would raise it."""
    memo = _load()
    now = time.time_ns()
    out, changed = [], False
    for path in paths:
        st = os.stat(path)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
        key = os.fspath(path)
        known = memo.get(key)
        if isinstance(known, list) and len(known) == 6 and known[:5] == stamp:
            out.append(bytes.fromhex(str(known[5])))
            continue
        digest = hashlib.sha256(Path(path).read_bytes()).digest()
        out.append(digest)
        if now - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
            memo[key] = [*stamp, digest.hex()]
            changed = True
        elif known is not None:
            del memo[key]
            changed = True
    if changed:
        _save(memo)
    return out


def update(h: hashlib._Hash, files: Sequence[tuple[str, Path]]) -> None:
    """Feed `h` each file's name (as shown) and digest: what the cache key and the receipt's engine hash are made of."""
    for (name, _), digest in zip(files, digests([path for _, path in files])):
        h.update(b"%d:%s\0" % (len(name.encode()), name.encode()))
        h.update(digest)


def _load() -> dict[str, list[object]]:
    global _memo
    if _memo is None:
        data = _store.load(_KEY) if _store is not None else None
        try:
            loaded = json.loads(bytes(data)) if data is not None else {}
        except ValueError:
            loaded = {}
        _memo = loaded if isinstance(loaded, dict) else {}
    return _memo


def _save(memo: dict[str, list[object]]) -> None:
    if _store is not None:
        _store.save(_KEY, json.dumps(memo, separators=(",", ":")).encode())


def forget() -> None:
    """Drop what this process remembers (the next call reads the memo from the store again)."""
    global _memo
    _memo = None
