"""The cache of compiled programs (issue 18): a hit runs without compiling; any change to what a program is made
from (a statute file, an overlay, the grammar) is a miss; a damaged or foreign entry is never used; writers racing
each other leave a valid entry.

The end-to-end tests run `python -m lawtrace` in a copy of the source tree, so that they can edit its statutes and
grammar; whether a run compiled is read from the cache directory (a new entry) and from the answers.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.build import cache

ROOT = Path(__file__).resolve().parent.parent
CASE = "examples/grade7.yaml"
SUBSIDY = "one_time_disability_subsidy"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the sources (statutes, grammar, engine) to edit, with a cache of its own."""
    root = tmp_path / "src"
    for name in ("dsl", "engine", "explain", "lawtrace", "statutes", "examples"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _lawtrace(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LAWTRACE_CACHE_DIR": str(root.parent / "cache"), "PYTHONPATH": str(root)}
    env.pop("LAWTRACE_NO_CACHE", None)
    return subprocess.run([sys.executable, "-m", "lawtrace", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=600)


def _subsidy(root: Path, *extra: str) -> dict:
    run = _lawtrace(root, "eval", CASE, "--format", "json", *extra)
    assert run.returncode == 0, run.stderr[-3000:]
    return next(i for i in json.loads(run.stdout)["items"] if i["id"] == SUBSIDY)


def _entries(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root.parent / "cache").glob("national*" + cache.SUFFIX))}


def test_a_hit_is_used_and_an_edited_statute_is_compiled_again(tree: Path) -> None:
    assert _subsidy(tree)["amount"] == "78000.00"  # WIIR 37(1)(1): 13 months of 6,000
    first = _entries(tree)
    assert len(first) == 1
    assert _subsidy(tree)["amount"] == "78000.00"
    assert _entries(tree) == first  # a hit: nothing written
    wiir = tree / "statutes" / "national" / "wiir.lt"
    text = wiir.read_text(encoding="utf-8")
    assert "6: 16, 7: 13, 8: 11" in text
    wiir.write_text(text.replace("6: 16, 7: 13, 8: 11", "6: 16, 7: 14, 8: 11"), encoding="utf-8")
    assert _subsidy(tree)["amount"] == "84000.00"  # the edit is seen: the old entry was not used
    second = _entries(tree)
    assert len(second) == 1 and second.keys() != first.keys()  # the stale entry was replaced, not kept beside


def test_an_edited_overlay_is_compiled_again(tree: Path) -> None:
    overlay = tree / "examples" / "overlays" / "fund_advances_employment_subsidy.lt"
    case = "examples/overlays/uninsured_grade7_resigned.yaml"

    def recover_from() -> str:
        run = _lawtrace(tree, "eval", case, "--rules", str(overlay.relative_to(tree)), "--format", "json")
        assert run.returncode == 0, run.stderr[-3000:]
        item = next(i for i in json.loads(run.stdout)["items"] if i["id"] == "one_time_employment_subsidy")
        return item["recover_from"]

    assert recover_from() == "employer"
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(text.replace("then employer else overridden", "then state else overridden"), encoding="utf-8")
    assert recover_from() == "state"


def test_an_edited_grammar_makes_every_entry_stale(tree: Path) -> None:
    _subsidy(tree)
    first = _entries(tree)
    grammar = tree / "dsl" / "grammar.lark"
    grammar.write_text(grammar.read_text(encoding="utf-8") + "\n// an edit\n", encoding="utf-8")
    assert _subsidy(tree)["amount"] == "78000.00"
    assert _entries(tree).keys() != first.keys()


DAMAGES = ["flip a byte", "truncate", "empty", "foreign pickle", "other secret"]


def test_a_damaged_entry_is_never_used(tree: Path) -> None:
    _subsidy(tree)
    (path,) = (tree.parent / "cache").glob("national*" + cache.SUFFIX)
    for damage in DAMAGES:
        data = path.read_bytes()
        if damage == "flip a byte":
            middle = len(data) // 2
            path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
        elif damage == "truncate":
            path.write_bytes(data[: len(data) // 3])
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "foreign pickle":
            path.write_bytes(pickle.dumps({"not": "a program"}))
        else:  # entries signed by someone else
            (tree.parent / "cache" / "secret").write_bytes(os.urandom(32))
        damaged = path.read_bytes()
        assert _subsidy(tree)["amount"] == "78000.00", damage
        rewritten = path.read_bytes()
        assert rewritten != damaged, damage  # compiled again and stored anew
    assert _subsidy(tree)["amount"] == "78000.00"
    assert path.read_bytes() == rewritten  # and the last entry stored is a hit


def test_two_processes_writing_at_once_leave_one_valid_entry(tree: Path) -> None:
    env = {**os.environ, "LAWTRACE_CACHE_DIR": str(tree.parent / "cache"), "PYTHONPATH": str(tree)}
    env.pop("LAWTRACE_NO_CACHE", None)
    procs = [subprocess.Popen([sys.executable, "-m", "lawtrace", "eval", CASE, "--format", "json"], cwd=tree, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e[-2000:] for _, e in outs]
    assert all(next(i for i in json.loads(o)["items"] if i["id"] == SUBSIDY)["amount"] == "78000.00" for o, _ in outs)
    entries = _entries(tree)
    assert len(entries) == 1
    assert not list((tree.parent / "cache").glob(".*.tmp"))  # no temporary file left behind
    assert _subsidy(tree)["amount"] == "78000.00"
    assert _entries(tree) == entries  # the entry the race left is valid: a hit


def test_the_cache_can_be_turned_off_and_cleared(tree: Path) -> None:
    _lawtrace(tree, "--no-cache", "eval", CASE)
    assert _entries(tree) == {}
    _subsidy(tree)
    info = json.loads(_lawtrace(tree, "cache", "info", "--format", "json").stdout)
    assert info["enabled"] and info["directory"] == str(tree.parent / "cache")
    kinds = sorted(e["file"].split("-")[0] if not e["file"].startswith("national+") else "national"
                   for e in info["entries"])
    assert kinds == ["file", "national", "parser"]  # digests of source files, the program, the parser's tables
    cleared = _lawtrace(tree, "cache", "clear")
    assert cleared.returncode == 0 and "removed 3 files" in cleared.stdout
    assert _entries(tree) == {} and not list((tree.parent / "cache").glob("*" + cache.SUFFIX))


# ---------------------------------------------------------------- in process: the checks of an entry


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LAWTRACE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("LAWTRACE_NO_CACHE", raising=False)
    return tmp_path


def test_an_entry_naming_any_other_class_is_refused(cache_dir: Path) -> None:
    class Boom:
        def __reduce__(self):  # what a malicious entry would do: call a function while loading
            return (os.system, ("echo pwned > " + str(cache_dir / "pwned"),))

    cache.store("x", "k", Boom())  # signed with this user's own secret, still refused by the unpickler
    assert cache.load("x", "k") is None
    assert not (cache_dir / "pwned").exists()


def test_a_secret_others_can_read_or_write_disables_the_cache(cache_dir: Path) -> None:
    cache.store("x", "k", ("a", "b"))
    assert cache.load("x", "k") == ("a", "b")
    os.chmod(cache_dir / "secret", 0o644)
    assert cache.load("x", "k") is None
    os.chmod(cache_dir / "secret", 0o600)
    assert cache.load("x", "k") == ("a", "b")


def test_an_entry_is_bound_to_its_key(cache_dir: Path) -> None:
    path = cache.store("x", "k1", ("a",))
    assert path is not None
    os.replace(path, cache_dir / f"x-k2{cache.SUFFIX}")  # a valid entry under another key is not that key's
    assert cache.load("x", "k2") is None


def test_the_key_covers_statutes_overlays_regime_and_compiler(tmp_path: Path) -> None:
    statute, overlay = tmp_path / "a.lt", tmp_path / "b.lt"
    statute.write_text("one", encoding="utf-8")
    overlay.write_text("two", encoding="utf-8")
    base = cache.key("national", [("a.lt", statute)], [("b.lt", overlay)])
    assert base == cache.key("national", [("a.lt", statute)], [("b.lt", overlay)])
    assert base != cache.key("jiangsu", [("a.lt", statute)], [("b.lt", overlay)])
    assert base != cache.key("national", [("a.lt", statute)], [])
    assert base != cache.key("national", [("c.lt", statute)], [("b.lt", overlay)])  # a file's name is part of it
    statute.write_text("one!", encoding="utf-8")
    assert base != cache.key("national", [("a.lt", statute)], [("b.lt", overlay)])
    compiler = {name for name, _ in cache.compiler_files()}
    assert {"dsl/grammar.lark", "dsl/parser.py", "engine/model/ir.py", "engine/build/compile.py",
            "engine/build/layering/stack.py"} <= compiler
