"""Compiled programs kept between runs, so that a command runs a regime without parsing or compiling it again.

An entry is the `ir.Program` of one regime (with its overlays), stored under a key that is a hash of everything the
program is made from: the compiler's own source (the grammar, `dsl`, `engine.model`, `engine.build`,
`engine.law_time`), every statute file (its name as shown and its bytes), the overlay files, the regime's name,
the entry format and the Python version. Any edit changes the key, so a stale entry is never found; a file that
is not exactly what this user's lawtrace wrote is refused and the program compiled again.

Why loading runs no code from the cache (the README's "Compiled statutes cached" says it for users):
- every entry is signed with HMAC-SHA256 under a secret of 32 random bytes kept beside the entries in a file
  only its owner may read or write (the file must belong to the current user and have no group or other
  permissions, else the cache is not used); an entry that another user or a damaged disk could have written
  fails the check and is never unpickled;
- even a signed entry is read by an unpickler that resolves only the engine's own frozen records (msgspec
  Structs of the IR, types, spans, citations, diagnostics, the formulas' texts and term shapes, which unpickle by
  calling their class with the field values, and run no `__post_init__`) and `Decimal` and `date`: no other class
  or function can be named, so unpickling can only build inert data, and the result must be a `Program` of the
  regime asked for.
The same signed entries hold the bytecode of the report templates (`explain.render`): jinja2's own cache would
be code read from a directory; signed, it is code only this user's lawtrace wrote. So do the parser's tables
(`dsl.parser`, ~1 s to build from the grammar, most of a cold compile), which Lark saves and loads with pickle:
Lark's own `cache=True` would unpickle a file from the shared temporary directory; signed, it is an entry only
this user's lawtrace wrote, and tables that fail to load are built again.
Writes go to a temporary file in the same directory, renamed over the entry: concurrent writers each write a
complete file, and a reader sees the old entry, the new one or none, never half of one.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import io
import os
import pickle
import re
import sys
from pathlib import Path

import msgspec

from dsl import parser_store
from engine.build import file_digests
from engine.model import ir

# Raise when the layout of an entry changes (2: msgspec Structs; 3: keys of file digests; 4: period_free;
# 5: event_facts and the formulas' texts and term shapes, `engine.model.term_shapes`; 6: an instrument's level).
FORMAT = 6
SUFFIX = ".program"
_MAGIC = b"lawtrace-program %d\n" % FORMAT
_SECRET = "secret"
_SIGNATURE = 32  # bytes of HMAC-SHA256

ROOT = Path(__file__).resolve().parent.parent.parent
# The code a compiled program is made by: a change to any of it makes every entry stale.
COMPILER = ("dsl/*.py", "dsl/*.lark", "engine/model/*.py", "engine/build/*.py", "engine/build/layering/*.py",
            "engine/law_time/*.py", "statutes/__init__.py")

_disabled = False


def disable() -> None:
    """No cache for this process (the CLI's `--no-cache`)."""
    global _disabled
    _disabled = True


def directory() -> Path | None:
    """Where entries are kept: `LAWTRACE_CACHE_DIR`, else the user's cache directory; None when the cache is off."""
    if _disabled or os.environ.get("LAWTRACE_NO_CACHE", "") not in ("", "0"):
        return None
    given = os.environ.get("LAWTRACE_CACHE_DIR")
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_cache_dir("lawtrace", appauthor=False))


# ---------------------------------------------------------------- keys


def compiler_files() -> list[tuple[str, Path]]:
    out = []
    for pattern in COMPILER:
        for path in sorted(ROOT.glob(pattern)):
            out.append((path.relative_to(ROOT).as_posix(), path))
    return out


def key(regime: str, statutes: list[tuple[str, Path]], overlays: list[tuple[str, Path]]) -> str:
    """The key of a regime's program: a hash of the compiler, the statute files, the overlays and the regime."""
    h = hashlib.sha256(b"lawtrace %d python %d.%d\0" % (FORMAT, *sys.version_info[:2]))
    file_digests.update(h, compiler_files())
    h.update(b"statutes\0")
    file_digests.update(h, statutes)
    h.update(b"overlays\0")
    file_digests.update(h, overlays)
    h.update(b"regime\0" + regime.encode())
    return h.hexdigest()


def slot(regime: str, overlays: list[tuple[str, Path]]) -> str:
    """What an entry is for, whatever the sources' content: a newer entry of the same slot replaces the older."""
    names = "\0".join([regime] + [name for name, _ in overlays])
    readable = re.sub(r"[^A-Za-z0-9_]+", "_", regime).strip("_") or "regime"
    return f"{readable}+{len(overlays)}-{hashlib.sha256(names.encode()).hexdigest()[:12]}"


class Place(msgspec.Struct, frozen=True):
    """Where a program is (or will be) kept: its slot and its key."""

    slot: str
    key: str


def place(regime: str, overlays: tuple[Path, ...] = ()) -> Place | None:
    """The place of a regime's program with these overlay files; None when the cache is off or an overlay is not a
    file (compiling reports that)."""
    if directory() is None or any(not p.is_file() for p in overlays):
        return None
    from engine.build.catalog import display_name, statute_files

    try:
        statutes = [(display_name(p), p) for p in statute_files()]
        extra = [(display_name(p), p) for p in overlays]
        return Place(slot(regime, extra), key(regime, statutes, extra))
    except OSError:
        return None


# ---------------------------------------------------------------- the secret


def _secret(where: Path, create: bool) -> bytes | None:
    """This user's signing key, made on first use; None when it is missing (and not to be made) or not private."""
    path = where / _SECRET
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
    except FileNotFoundError:
        if not create:
            return None
        return _new_secret(where)
    except OSError:
        return None
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
        return None  # readable or writable by others, or not ours: entries signed with it prove nothing
    return data if len(data) == 32 else None


def _new_secret(where: Path) -> bytes | None:
    import tempfile

    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=where, prefix=".secret-")  # mode 0600
    try:
        os.write(fd, os.urandom(32))
        os.close(fd)
        try:
            os.link(tmp, where / _SECRET)  # atomic and exclusive: two processes never get two secrets
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
    return _secret(where, create=False)


def _sign(secret: bytes, entry_key: str, payload: bytes) -> bytes:
    return hmac.new(secret, entry_key.encode() + b"\0" + payload, hashlib.sha256).digest()


# ---------------------------------------------------------------- entries


def _allowed() -> dict[tuple[str, str], type]:
    """The classes an entry may name: the engine's own data, bilingual statute strings, and two value types of the
    standard library."""
    import datetime
    import decimal

    from dsl import source, texts, types
    from engine.model import citations, diagnostics, term_shapes

    out: dict[tuple[str, str], type] = {("decimal", "Decimal"): decimal.Decimal, ("datetime", "date"): datetime.date,
                                        ("dsl.texts", "Text"): texts.Text}  # a statute's string in both languages
    for module in (ir, types, citations, diagnostics, source, term_shapes):
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, msgspec.Struct) and value.__module__ == module.__name__:
                out[(module.__name__, name)] = value
    return out


class _DataOnly(pickle.Unpickler):
    allowed: dict[tuple[str, str], type] = {}

    def find_class(self, module: str, name: str) -> type:
        cls = self.allowed.get((module, name))
        if cls is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a compiled program")
        return cls


class Entry(msgspec.Struct, frozen=True):
    path: Path
    size: int
    mtime: float


def _entry_path(where: Path, entry_slot: str, entry_key: str) -> Path:
    return where / f"{entry_slot}-{entry_key}{SUFFIX}"


def load_program(at: Place, regime: str) -> ir.Program | None:
    """The program stored at `at`, or None: absent, unsigned, damaged or not this regime's program are all a miss."""
    program = load(at.slot, at.key)
    return program if isinstance(program, ir.Program) and program.regime == regime else None


def load(entry_slot: str, entry_key: str) -> object | None:
    """The data stored under the key, or None when it is absent or fails the checks."""
    payload = load_bytes(entry_slot, entry_key)
    if payload is None:
        return None
    if not _DataOnly.allowed:
        _DataOnly.allowed = _allowed()
    collecting = gc.isenabled()
    gc.disable()  # some 18,000 new objects and no cycle among them: the collector's passes would find nothing (~1.5 ms)
    try:
        return _DataOnly(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is a miss and is compiled again
        return None
    finally:
        if collecting:
            gc.enable()


def load_bytes(entry_slot: str, entry_key: str) -> bytes | memoryview | None:
    """The bytes stored under the key if this user's lawtrace signed them for this key; else None."""
    where = directory()
    if where is None:
        return None
    try:
        data = _entry_path(where, entry_slot, entry_key).read_bytes()
    except OSError:
        return None
    secret = _secret(where, create=False)
    head = len(_MAGIC)
    if secret is None or not data.startswith(_MAGIC) or len(data) < head + _SIGNATURE:
        return None
    payload = memoryview(data)[head + _SIGNATURE:]
    if not hmac.compare_digest(data[head:head + _SIGNATURE], _sign(secret, entry_key, payload)):
        return None
    return payload


def store(entry_slot: str, entry_key: str, program: object) -> Path | None:
    """Write the entry (atomically) and remove the older entries of its slot; None when the cache is off or unwritable."""
    if directory() is None:
        return None
    return store_bytes(entry_slot, entry_key, pickle.dumps(program, protocol=5))


def store_bytes(entry_slot: str, entry_key: str, payload: bytes) -> Path | None:
    """Sign and write bytes under the key (atomically), removing the older entries of the slot."""
    import tempfile

    where = directory()
    if where is None:
        return None
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret = _secret(where, create=True)
        if secret is None:
            return None
        fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{entry_slot}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC + _sign(secret, entry_key, payload))
                f.write(payload)
            target = _entry_path(where, entry_slot, entry_key)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
        for old in where.glob(f"{entry_slot}-*{SUFFIX}"):
            if old != target:
                old.unlink(missing_ok=True)
        return target
    except OSError:
        return None  # a cache that cannot be written only costs the next run a compile


def entries() -> list[Entry]:
    where = directory()
    if where is None or not where.is_dir():
        return []
    out = []
    for path in sorted(where.glob(f"*{SUFFIX}")):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append(Entry(path, st.st_size, st.st_mtime))
    return out


def clear() -> int:
    """Remove every entry (and any temporary file a killed writer left); the number of files removed."""
    where = directory()
    if where is None or not where.is_dir():
        return 0
    removed = 0
    for path in list(where.glob(f"*{SUFFIX}")) + list(where.glob(".*.tmp")):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


class _Signed:
    """Bytes kept as signed entries of one slot: the store of the parser's tables (`dsl.parser_store`) and of the
    source files' digests (`engine.build.file_digests`)."""

    def __init__(self, slot: str) -> None:
        self.slot = slot

    def load(self, key: str) -> bytes | None:
        data = load_bytes(self.slot, key)
        return bytes(data) if data is not None else None

    def save(self, key: str, data: bytes) -> None:
        store_bytes(self.slot, key, data)


parser_store.register(_Signed("parser-tables"))
file_digests.use_store(_Signed("file-digests"))
