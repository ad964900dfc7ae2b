"""Run the vectorized evaluator over many rows in cache-sized blocks, optionally on several threads.

Guarantees: the result is the same whatever the block size or thread count
(each block is evaluated independently, rows never interact); outputs are
written into preallocated arrays, so memory is the inputs plus the outputs
plus one block of intermediates per thread.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np

from engine.columns.arrays import Num
from engine.columns.population import Schema, chunk_from_arrays
from engine.columns.vector import FEN, VectorProgram

BLOCK_ROWS = 98_304  # int32 intermediates of 384 KiB: a few at a time stay in a core's 2 MiB L2 cache (measured best of 48-128 K)

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc mallopt parameters
_allocator_tuned = False


def keep_freed_blocks() -> None:
    """Ask glibc malloc to keep freed blocks for reuse (Linux only; process-wide, once).

    Every array operation allocates its result; blocks of 64K rows are 256 KiB
    arrays, above glibc's default mmap threshold, so each would be mapped fresh
    and page-faulted in, and freed memory trimmed back to the OS: about 40 % of
    the evaluation time. Keeping allocations under 32 MiB on the heap and not
    trimming below 256 MiB makes them reuse warm memory. It affects the whole
    process (anything else in it allocates the same way afterwards).
    """
    global _allocator_tuned
    if _allocator_tuned:
        return
    _allocator_tuned = True
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


@dataclass(frozen=True)
class Output:
    """One node over all rows: exact numerators over `den` (fen for money), and the known mask."""

    v: np.ndarray
    known: np.ndarray
    den: int

    def yuan(self) -> np.ndarray:
        """As float64 yuan (NaN where unknown), for comparison with float engines."""
        out = self.v / self.den
        if not self.known.all():
            out[~self.known] = np.nan
        return out


def evaluate_arrays(vp: VectorProgram, schema: Schema, arrays: dict[str, np.ndarray], on: date | None,
                    outputs: tuple[str, ...], threads: int = 1, block_rows: int = BLOCK_ROWS) -> dict[str, Output]:
    """Named numeric nodes of the program over every row of `arrays` (numpy, one per fact), exact."""
    return _run(vp, schema, arrays, on, outputs, threads, block_rows, as_yuan=False)  # type: ignore[return-value]


def evaluate_arrays_yuan(vp: VectorProgram, schema: Schema, arrays: dict[str, np.ndarray], on: date | None,
                         outputs: tuple[str, ...], threads: int = 1,
                         block_rows: int = BLOCK_ROWS) -> dict[str, np.ndarray]:
    """The same as float64 yuan (NaN where unknown), converted block by block while the block is in cache."""
    return _run(vp, schema, arrays, on, outputs, threads, block_rows, as_yuan=True)  # type: ignore[return-value]


def _run(vp: VectorProgram, schema: Schema, arrays: dict[str, np.ndarray], on: date | None,
         outputs: tuple[str, ...], threads: int, block_rows: int, as_yuan: bool) -> dict[str, object]:
    keep_freed_blocks()
    n = len(next(iter(arrays.values())))
    values = {name: np.empty(n, dtype=np.float64 if as_yuan else np.int64) for name in outputs}
    known = {name: np.ones(n, dtype=bool) for name in outputs}
    dens: dict[str, int] = {}

    def block(start: int) -> None:
        stop = min(n, start + block_rows)
        chunk = chunk_from_arrays(schema, {k: a[start:stop] for k, a in arrays.items()}, on)
        chunk.first_row = start
        cols = vp.nodes(chunk, list(outputs))
        for name, col in cols.items():
            if not isinstance(col, Num):
                raise TypeError(f"{name} is not a number")
            out = values[name][start:stop]
            if as_yuan:
                out[:] = col.v  # then divide in place: a mixed int/float division is several times slower
                out /= col.den
                if col.known is not None:
                    out[~col.known] = np.nan
                continue
            den = dens.setdefault(name, FEN if col.den <= FEN and FEN % col.den == 0 else col.den)
            out[:] = col.v * (den // col.den) if col.den != den else col.v
            if col.known is not None:
                known[name][start:stop] = col.known

    starts = range(0, n, block_rows)
    if threads > 1 and n > block_rows:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(block, starts))
    else:
        for s in starts:
            block(s)
    if as_yuan:
        return values  # type: ignore[return-value]
    return {name: Output(values[name], known[name], dens.get(name, FEN)) for name in outputs}
