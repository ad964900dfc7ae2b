"""The digests of source files remembered by their stat (engine/build/file_digests.py): a file is read again whenever
anything `stat` says of it changed, or when it changed too recently to trust its timestamps."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from engine.build import cache, file_digests

OLD = 1_600_000_000_000_000_000  # 2020-09-13, long before any test runs


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("LAWTRACE_CACHE_DIR", str(where))
    monkeypatch.delenv("LAWTRACE_NO_CACHE", raising=False)
    monkeypatch.setattr(file_digests, "RACY_NS", 0)
    file_digests.forget()
    yield where
    file_digests.forget()


def _old_file(path: Path, text: str) -> Path:
    """A file whose modification time is long past; its status-change time is now, so the tests that remember it
    shrink the racy window (the test of that window keeps it)."""
    path.write_text(text)
    os.utime(path, ns=(OLD, OLD))
    return path


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        seen.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return seen


def test_an_unchanged_file_is_not_read_again_even_in_a_new_process(cache_dir: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    f = _old_file(tmp_path / "a.lt", "rule x = 1")
    assert file_digests.digests([f]) == [hashlib.sha256(b"rule x = 1").digest()]
    file_digests.forget()  # as a new process: the memo comes from the cache directory
    reads = _reads(monkeypatch)
    assert file_digests.digests([f]) == [hashlib.sha256(b"rule x = 1").digest()]
    assert f not in reads


def test_an_edit_that_keeps_size_and_modification_time_is_seen(cache_dir: Path, tmp_path: Path) -> None:
    f = _old_file(tmp_path / "a.lt", "rule x = 1")
    file_digests.digests([f])
    f.write_text("rule x = 2")  # same size
    os.utime(f, ns=(OLD, OLD))  # and the old modification time put back: the status-change time still moves
    assert file_digests.digests([f]) == [hashlib.sha256(b"rule x = 2").digest()]


def test_a_file_changed_within_the_racy_window_is_not_remembered(cache_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_digests, "RACY_NS", 2_000_000_000)
    f = tmp_path / "a.lt"
    f.write_text("rule x = 1")  # modified just now: an edit in the same timestamp tick could go unseen
    file_digests.digests([f])
    reads = _reads(monkeypatch)
    file_digests.digests([f])
    assert reads == [f]


def test_a_memo_not_signed_by_this_user_is_ignored(cache_dir: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    f = _old_file(tmp_path / "a.lt", "rule x = 1")
    file_digests.digests([f])
    memo = next(cache_dir.glob("file-digests-*" + cache.SUFFIX))
    data = bytearray(memo.read_bytes())
    data[-3] ^= 1  # one bit of the remembered digests changed: the signature fails
    memo.write_bytes(bytes(data))
    file_digests.forget()
    reads = _reads(monkeypatch)
    assert file_digests.digests([f]) == [hashlib.sha256(b"rule x = 1").digest()]
    assert f in reads


def test_without_a_cache_every_new_process_reads_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWTRACE_NO_CACHE", "1")
    file_digests.forget()
    f = _old_file(tmp_path / "a.lt", "rule x = 1")
    file_digests.digests([f])
    file_digests.forget()  # a new process: nothing was kept on disk
    reads = _reads(monkeypatch)
    assert file_digests.digests([f]) == [hashlib.sha256(b"rule x = 1").digest()]
    assert reads == [f]
    assert not list(tmp_path.rglob("*" + cache.SUFFIX))
    file_digests.forget()
