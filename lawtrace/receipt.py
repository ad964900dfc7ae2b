"""Decision receipts: what a result was computed from, so that it can be checked again years later.

Every result lawtrace writes (`eval --format json` and html, the API) carries a
`receipt`: the engine's version and a hash of its code, the regime and the
overlays, a content hash of every statute file used, the case's input as it was
evaluated (regime, date, as_of, kind, facts) with its hash, and a hash of the
result itself (everything but the receipt). `verify` re-evaluates the input and
says whether the result still stands, and if not, why: the result was edited, a
fact was edited, a statute file changed (naming it), or the engine changed.

The hashes are SHA-256 over canonical JSON (sorted keys, no spaces, UTF-8) or
over the file's bytes. They detect change, not forgery: anyone who edits a
result can recompute them; a receipt kept apart (printed, filed) is the check.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from datetime import date, datetime
from pathlib import Path

import msgspec

import lawtrace
from engine.build.catalog import STATUTES_DIR, Catalog
from engine.model import ir

SCHEMA = "lawtrace.receipt/1"
_CODE = ("dsl", "engine")  # the packages whose code decides an answer (explain and lawtrace only present it)


def canonical(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain).encode("utf-8")


# The parts of a result that `engine.run.result.result_json` and `engine.run.owed` make: money and rates as strings,
# whole numbers as ints, dates as text; no float anywhere (a float is the one value orjson writes otherwise than
# `json.dumps`: 1e-05 as 0.00001, NaN as null). Their canonical bytes are orjson's, sorted, which are `canonical`'s
# exactly (tests/test_speed_same_answers.py compares them on every example) in a tenth of the time; anything else
# in a result (the case's own words, given by the user) goes through `canonical`.
_ENGINE_MADE = frozenset(("regime", "regime_label", "instruments", "date", "kind", "as_of", "items", "deadlines",
                          "missing_facts", "assumed", "diagnostics", "trace", "owed"))


def result_canonical(data: dict[str, object]) -> bytes:
    """`canonical(data)` of a result as lawtrace made it, the bulk (the engine's own parts) written by orjson."""
    import orjson

    if not all(isinstance(key, str) for key in data):
        return canonical(data)
    option = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
    parts = []
    for key in sorted(data):
        value = data[key]
        written = None
        if key in _ENGINE_MADE:
            try:
                written = orjson.dumps(value, default=_plain, option=option)
            except (TypeError, orjson.JSONEncodeError):  # e.g. a whole number beyond 64 bits: the standard library's
                written = None
        parts.append(canonical(key) + b":" + (written if written is not None else canonical(value)))
    return b"{" + b",".join(parts) + b"}"


def _plain(x: object) -> object:
    if isinstance(x, (date, datetime)):
        return x.isoformat()
    return str(x)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def engine_hash() -> str:
    """A hash of the engine's code: the name and the SHA-256 of every Python file and the grammar of the packages
    that decide an answer. The files' digests are those the cache key uses (`engine.build.file_digests`): read
    again whenever `stat` says a file changed, else remembered, so a receipt costs no reading of the code."""
    from engine.build.cache import file_digests  # through the cache, which lends it the store of its digests

    files = _code_files(Path(__file__).resolve().parent.parent)
    h = hashlib.sha256(b"lawtrace engine code 3\0")
    file_digests.update(h, files)
    return h.hexdigest()


def _code_files(root: Path) -> list[tuple[str, Path]]:
    """The files `engine_hash` reads, in the order of `sorted(Path.rglob("*"))` (by their parts) without walking
    into `__pycache__`."""
    out = []
    for package in _CODE:
        found = []
        for folder, dirs, names in os.walk(root / package):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in names:
                if os.path.splitext(name)[1] in (".py", ".lark"):
                    path = Path(folder, name)
                    found.append((path.relative_to(root).parts, path))
        found.sort(key=lambda x: x[0])
        out.extend((os.path.join(*parts), path) for parts, path in found)
    return out


@functools.cache
def calendar_hash() -> str:
    """A hash of the official holiday calendars shipped (`statutes/calendar/`): working days decide deadlines."""
    h = hashlib.sha256()
    for path in sorted((STATUTES_DIR / "calendar").glob("*.yaml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _file_hash(cat: Catalog, name: str) -> str:
    source = cat.sources.get(name)
    return sha256(source.text.encode("utf-8")) if source is not None else ""


def case_input(result_data: dict[str, object], facts: dict[str, object]) -> dict[str, object]:
    """The case as evaluated: what `verify` evaluates again."""
    return {"regime": result_data["regime"], "date": result_data.get("date"), "as_of": result_data.get("as_of"),
            "kind": result_data.get("kind", "worker"), "facts": json.loads(canonical(facts))}


def without_receipt(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != "receipt"}


def attach(data: dict[str, object], facts: dict[str, object], program: ir.Program,
           rules: tuple[Path, ...] = ()) -> dict[str, object]:
    """`data` with its receipt (the result's hash is taken over everything else in `data`); the statute files and
    their hashes are those the program was compiled from (`Program.files`), so no statute is parsed again."""
    regime = str(data["regime"])
    given = case_input(data, facts)
    overlays = [{"file": str(p), "sha256": sha256(p.read_bytes())} for p in rules]
    receipt = {
        "schema": SCHEMA,
        "engine": {"version": lawtrace.__version__, "sha256": engine_hash()},
        "regime": regime,
        "overlays": overlays,
        "statutes": [{"file": f, "sha256": digest} for f, digest in program.files],
        "calendar_sha256": calendar_hash(),
        "input": given,
        "input_sha256": sha256(canonical(given)),
        "date": given["date"],
        "as_of": given["as_of"],
        "result_sha256": sha256(result_canonical(without_receipt(data))),
    }
    data["receipt"] = receipt
    return data


# ---------------------------------------------------------------- verify


class Verdict(msgspec.Struct):
    confirmed: bool
    causes: list[str] = msgspec.field(default_factory=list)  # why not, each a sentence naming what changed
    differences: list[str] = msgspec.field(default_factory=list)  # the answers that differ on re-evaluation

    def as_json(self) -> dict[str, object]:
        return {"confirmed": self.confirmed, "causes": self.causes, "differences": self.differences}


def verify(data: dict[str, object]) -> Verdict:
    """Check a saved result against its receipt and a fresh evaluation of its input."""
    from dsl.errors import LawtraceError
    from engine.run.result import result_json
    from lawtrace.api import evaluate_case, with_overlays

    receipt = data.get("receipt")
    if not isinstance(receipt, dict) or receipt.get("schema") != SCHEMA:
        raise LawtraceError(f"the result has no receipt ({SCHEMA}): it was not written by a lawtrace that keeps one")
    v = Verdict(True)
    if sha256(canonical(without_receipt(data))) != receipt.get("result_sha256"):
        v.causes.append("result edited: the result differs from the one the receipt was written for")
    given = receipt.get("input")
    if not isinstance(given, dict) or sha256(canonical(given)) != receipt.get("input_sha256"):
        v.causes.append("fact edited: the case's input in the receipt differs from the one it was evaluated with")
    engine = receipt.get("engine") if isinstance(receipt.get("engine"), dict) else {}
    if engine.get("version") != lawtrace.__version__ or engine.get("sha256") != engine_hash():
        v.causes.append(f"engine changed: the result was computed by lawtrace {engine.get('version')} "
                        f"(code {str(engine.get('sha256'))[:12]}), this is {lawtrace.__version__} (code {engine_hash()[:12]})")
    rules: list[Path] = []
    for o in receipt.get("overlays") or []:
        path = Path(str(o.get("file")))
        if not path.is_file():
            v.causes.append(f"statute changed: the overlay {path} is no longer there")
            continue
        rules.append(path)
        if sha256(path.read_bytes()) != o.get("sha256"):
            v.causes.append(f"statute changed: the overlay {path} differs from the one used")
    cat = with_overlays(tuple(rules)) if all(Path(str(o.get("file"))).is_file() for o in receipt.get("overlays") or []) else None
    for s in receipt.get("statutes") or []:
        name = str(s.get("file"))
        now = _file_hash(cat, name) if cat is not None else ""
        if not now and not (STATUTES_DIR.parent / name).is_file():
            v.causes.append(f"statute changed: {name} is no longer shipped")
        elif now != s.get("sha256"):
            v.causes.append(f"statute changed: {name} differs from the text the result was computed with")
    if receipt.get("calendar_sha256") != calendar_hash():
        v.causes.append("statute changed: the official holiday calendars (statutes/calendar) differ from those used")
    if isinstance(given, dict):
        try:
            fresh = evaluate_case({k: given[k] for k in ("regime", "date", "as_of", "kind", "facts") if given.get(k) is not None},
                                  rules=tuple(rules))
        except LawtraceError as e:
            v.causes.append(f"the input no longer evaluates: {e}")
            fresh = None
        if fresh is not None:
            again = result_json(fresh, include_trace="trace" in data)
            if "case" in data:
                again["case"] = data["case"]
            v.differences = _differences(data, again)
            if sha256(canonical(again)) != receipt.get("result_sha256"):
                if not v.causes:
                    v.causes.append("the re-evaluation differs from the result, with the same statutes and engine")
    v.confirmed = not v.causes
    return v


def _differences(old: dict[str, object], new: dict[str, object]) -> list[str]:
    out = []
    before = {i.get("id"): i for i in old.get("items", []) if isinstance(i, dict)}  # type: ignore[union-attr]
    for item in new.get("items", []):  # type: ignore[union-attr]
        was = before.pop(item["id"], None)
        if was is None:
            out.append(f"{item['id']}: not in the saved result")
            continue
        for k in ("payable", "amount", "payer", "advance_payer", "recover_from"):
            if was.get(k) != item.get(k):
                out.append(f"{item['id']}.{k}: saved {was.get(k)!r}, now {item.get(k)!r}")
    out.extend(f"{gone}: no longer an item" for gone in before)
    return out
