"""Per-row results of a simulation written as Parquet or CSV, chunk by chunk, and only kept when complete.

Guarantees: the file appears under its name only after the last chunk is
written (it is written beside it under a temporary name and renamed); on any
error the partial file is removed. Columns: `row` (1-based), `id` when the
population has one, then per item `ITEM.payable` (null: undetermined),
`ITEM.amount` (yuan, two places; only where payable is true, as in result
JSON), `ITEM.payer` (null: nobody or undetermined), and `total` (the row's
payable amounts, all periods together; null when the row is undetermined);
with a baseline the same columns prefixed `baseline.`, and `delta`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa

from engine.columns.arrays import Codes, Known
from engine.columns.costing import RowOutcome
from engine.columns.population import PopulationError
from engine.columns.vector import ItemColumns

MONEY = pa.decimal128(20, 2)


def _known(k: Known, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if k is None else np.broadcast_to(k, (n,))


def _values(v: object, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(v), (n,))


def money_array(fen: np.ndarray, valid: np.ndarray) -> pa.Array:
    """int64 fen as a decimal128(20, 2) column, zero-copy into Arrow's 128-bit layout."""
    fen = np.ascontiguousarray(fen, dtype=np.int64)
    words = np.empty(2 * fen.shape[0], dtype=np.int64)
    words[0::2] = fen
    words[1::2] = fen >> 63  # the sign, extended into the high word
    validity = pa.array(valid, pa.bool_()).buffers()[1] if not valid.all() else None
    return pa.Array.from_buffers(MONEY, fen.shape[0], [validity, pa.py_buffer(words)])


def party_array(payer: Codes, valid: np.ndarray, n: int) -> pa.Array:
    codes = _values(payer.v, n).astype(np.int32)
    vocab = list(payer.vocab)
    none = vocab.index("none") if "none" in vocab else -1
    mask = ~(valid & _known(payer.known, n) & (codes != none))
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask), pa.array(vocab)).cast(pa.string())


def item_columns(prefix: str, items: tuple[ItemColumns, ...], outcome: RowOutcome) -> dict[str, pa.Array]:
    n = outcome.n
    out: dict[str, pa.Array] = {}
    for item in items:
        pk = _known(item.payable.known, n)
        pv = _values(item.payable.v, n).astype(bool)
        payable = pk & pv
        out[f"{prefix}{item.benefit.id}.payable"] = pa.array(pv, mask=~pk)
        amount_known = payable & _known(item.amount.known, n)
        out[f"{prefix}{item.benefit.id}.amount"] = money_array(_values(item.amount.v, n), amount_known)
        out[f"{prefix}{item.benefit.id}.payer"] = party_array(item.payer, ~pk | pv, n)
    out[f"{prefix}total"] = money_array(outcome.total, outcome.determined)
    return out


class RowWriter:
    """Writes record batches to a .parquet or .csv file, renamed into place by `close()`."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(f".{path.name}.partial")
        suffix = path.suffix.lower()
        if suffix not in (".parquet", ".pq", ".csv"):
            raise PopulationError(str(path), "per-row results are written as .parquet or .csv")
        self.format = "csv" if suffix == ".csv" else "parquet"
        self.writer: object | None = None

    def write(self, columns: dict[str, pa.Array]) -> None:
        batch = pa.RecordBatch.from_pydict(columns)
        if self.writer is None:
            try:
                if self.format == "parquet":
                    import pyarrow.parquet as pq

                    self.writer = pq.ParquetWriter(self.partial, batch.schema)
                else:
                    import pyarrow.csv as pacsv

                    self.writer = pacsv.CSVWriter(self.partial, batch.schema)
            except OSError as e:
                raise PopulationError(str(self.path), f"cannot write: {e.strerror or e}") from None
        self.writer.write_batch(batch)  # type: ignore[attr-defined]

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()  # type: ignore[attr-defined]
            os.replace(self.partial, self.path)
            self.writer = None

    def abort(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()  # type: ignore[attr-defined]
            finally:
                self.writer = None
        if self.partial.exists():
            self.partial.unlink()


def row_numbers(first_row: int, n: int) -> pa.Array:
    return pa.array(np.arange(first_row + 1, first_row + n + 1, dtype=np.int64))
