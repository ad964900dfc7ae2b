"""Populations in and out of the vectorized evaluator: CSV or Parquet files read in chunks, numpy arrays, case lists.

Guarantees: a population is read in chunks of bounded size (never whole), each
chunk converted into the columns of `engine.columns.arrays` with one array operation
per column; an empty cell (null) is unknown, never false or zero; a cell that
does not fit its fact's type, a column that is no fact, or a file that cannot
be read is a `PopulationError` naming the file, the row (1-based, header not
counted) and the column. Money is converted to int fen exactly from decimal
text or decimal columns (rounded half up to the fen, as a case file's money
is), and from binary floats to the nearest fen.

The encoding (see README, "Populations"):

- one row per case; a column per fact, named as the fact; `date` is the
  accident date (or `--date` for all rows); an optional `id` column is carried
  to the per-row output;
- bool: true/false (any case) or 1/0; int: whole numbers; money: yuan as
  decimal text (`6000`, `6000.50`) or a decimal/float/int column; date:
  YYYY-MM-DD or a date column; enum: the member's name;
- a list fact (dependents): in Parquet a list of structs whose fields are
  named as the record's fields; in CSV (or a Parquet text column) a JSON
  array of objects, e.g. `[{"relation": "spouse"}, {"relation": "child",
  "orphan_or_lone_elder": true}]`; `[]` is a known empty list, an empty cell unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dsl import types as T
from dsl.errors import LawtraceError, did_you_mean
from engine.model import ir
from engine.columns.arrays import ORDINAL_EPOCH, Bool, Codes, Col, Date, Num, Records, narrowest
from engine.columns.vector import FEN, Chunk

RATE_DEN = 10**6  # a rate given in a population keeps up to six decimal places
MONEY_MAX_FEN = 10**15  # ten trillion yuan: every money cell must be below (exact in float64 and int64 products)
DATE_COLUMN, ID_COLUMN = "date", "id"
DEFAULT_CHUNK_ROWS = 262_144


class PopulationError(LawtraceError):
    """A population file that cannot be used, with the place: file, row, column."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None,
                 hint: str | None = None):
        where = file
        if row is not None:
            where += f": row {row}"
        if column is not None:
            where += f", column '{column}'" if row is not None else f": column '{column}'"
        text = f"{where}: {message}" + (f"\n  hint: {hint}" if hint else "")
        super().__init__(text)
        self.file, self.row, self.column = file, row, column


@dataclass(frozen=True)
class Schema:
    """The facts a population may give: the union over the programs it is evaluated under."""

    facts: dict[str, T.Type]
    regimes: tuple[str, ...]
    ignored: frozenset[str] = frozenset()  # columns read past: facts of other regimes

    @staticmethod
    def of(*programs: ir.Program, ignored: frozenset[str] = frozenset()) -> Schema:
        facts: dict[str, T.Type] = {}
        for p in programs:
            for node in p.facts():
                seen = facts.get(node.id)
                if seen is not None and seen != node.type:
                    raise LawtraceError(f"fact {node.id} is {seen} in one regime and {node.type} in {p.regime}: "
                                        "one population cannot give both")
                facts[node.id] = node.type
        return Schema(facts, tuple(p.regime for p in programs), frozenset(ignored) - set(facts))

    def check_columns(self, file: str, names: list[str]) -> None:
        for name in names:
            if name in (DATE_COLUMN, ID_COLUMN) or name in self.facts or name in self.ignored:
                continue
            raise PopulationError(file, f"'{name}' is not a fact of {' or '.join(self.regimes)}", column=name,
                                  hint=did_you_mean(name, list(self.facts) + [DATE_COLUMN, ID_COLUMN]))


@dataclass(frozen=True)
class _Where:
    file: str
    column: str
    first_row: int  # population index of the chunk's row 0
    row_of: np.ndarray | None = None  # for the elements of a list: the row of each element

    def fail(self, message: str, index: int | None = None) -> PopulationError:
        if index is not None and self.row_of is not None:
            message = f"element {index - int(np.searchsorted(self.row_of, self.row_of[index]))}: {message}"
            index = int(self.row_of[index])
        return PopulationError(self.file, message, None if index is None else self.first_row + index + 1, self.column)


# ---------------------------------------------------------------- reading files


def population_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise PopulationError(str(path), "a population is a .csv or .parquet file")


def count_rows(path: Path) -> int | None:
    """The number of rows when the file says it without being read (Parquet), else None."""
    if population_format(path) == "parquet":
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(path).metadata.num_rows
        except (OSError, pa.ArrowException) as e:
            raise PopulationError(str(path), f"cannot read this Parquet file: {e}") from None
    return None


def column_names(path: Path) -> list[str]:
    """The columns of a population file, without reading its rows."""
    name = str(path)
    if not path.exists():
        raise PopulationError(name, "no such population file")
    try:
        if population_format(path) == "parquet":
            import pyarrow.parquet as pq

            return list(pq.ParquetFile(path).schema_arrow.names)
        with path.open("rb") as fh:
            header = fh.readline().decode("utf-8-sig").strip()
    except (OSError, UnicodeDecodeError, pa.ArrowException) as e:
        raise PopulationError(name, f"cannot read this file: {e}") from None
    return [h.strip().strip('"') for h in header.split(",")] if header else []


def read_batches(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                 columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    """The file's rows in record batches of at most about chunk_rows rows (only `columns`, when given)."""
    name = str(path)
    if not path.exists():
        raise PopulationError(name, "no such population file")
    fmt = population_format(path)
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            yield from pq.ParquetFile(path).iter_batches(batch_size=chunk_rows, columns=columns)
            return
        yield from _csv_batches(path, chunk_rows, columns)
    except pa.ArrowException as e:
        raise PopulationError(name, f"cannot read this {fmt.upper()} file: {_arrow_message(e)}") from None


def _csv_batches(path: Path, chunk_rows: int, columns: list[str] | None) -> Iterator[pa.RecordBatch]:
    import pyarrow.csv as pacsv

    with path.open("rb") as fh:
        header = fh.readline().decode("utf-8-sig").strip()
    names = [h.strip().strip('"') for h in header.split(",")] if header else []
    if not names or names == [""]:
        raise PopulationError(str(path), "the file is empty: the first line must name the columns")
    # every column as text: the fact's type decides the conversion, with messages that name the cell
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=True,
                                   null_values=[""], quoted_strings_can_be_null=True,
                                   include_columns=columns if columns is not None else None)
    read = pacsv.ReadOptions(block_size=max(1 << 20, chunk_rows * 64), use_threads=True)
    reader = pacsv.open_csv(path, read_options=read, convert_options=convert)
    pending: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= chunk_rows:
            yield from _rebatch(pending, chunk_rows)
            pending, rows = [], 0
    if pending:
        yield from _rebatch(pending, chunk_rows)


def _rebatch(batches: list[pa.RecordBatch], chunk_rows: int) -> Iterator[pa.RecordBatch]:
    table = pa.Table.from_batches(batches)
    yield from table.combine_chunks().to_batches(max_chunksize=chunk_rows)


def _arrow_message(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


# ---------------------------------------------------------------- batches → chunks


def chunk_from_batch(schema: Schema, batch: pa.RecordBatch, file: str, first_row: int,
                     on: date | None) -> tuple[Chunk, pa.Array | None]:
    """One record batch as a chunk of the evaluator (and its id column, if any)."""
    n = batch.num_rows
    facts: dict[str, Col] = {}
    ids = None
    day: Date | None = None
    for name, column in zip(batch.schema.names, batch.columns):
        where = _Where(file, name, first_row)
        if name == ID_COLUMN:
            ids = column
        elif name == DATE_COLUMN:
            day = _date_arrow(column, where)
        else:
            t = schema.facts.get(name)
            if t is None:
                schema.check_columns(file, [name])
                continue
            facts[name] = convert_arrow(column, t, where)
    if on is not None:
        o = on.toordinal()
        day = Date(o, None, o, o)
    elif day is None:
        day = Date(ORDINAL_EPOCH, np.zeros(n, dtype=bool), ORDINAL_EPOCH, ORDINAL_EPOCH)
    return Chunk(n, facts, day, first_row), ids


def chunk_from_arrays(schema: Schema, arrays: dict[str, np.ndarray], on: date | None,
                      dates: np.ndarray | None = None, file: str = "<arrays>") -> Chunk:
    """A chunk from numpy arrays, one per fact (NaN in a float array is unknown)."""
    n = len(next(iter(arrays.values()))) if arrays else 0
    facts: dict[str, Col] = {}
    for name, values in arrays.items():
        t = schema.facts.get(name)
        if t is None:
            schema.check_columns(file, [name])
            continue
        facts[name] = convert_numpy(values, None, t, _Where(file, name, 0))
    if on is not None:
        o = on.toordinal()
        day = Date(o, None, o, o)
    elif dates is not None:
        day = _date_arrow(pa.array(dates), _Where(file, DATE_COLUMN, 0))
    else:
        day = Date(ORDINAL_EPOCH, np.zeros(n, dtype=bool), ORDINAL_EPOCH, ORDINAL_EPOCH)
    return Chunk(n, facts, day)


def convert_arrow(column: pa.Array, t: T.Type, where: _Where) -> Col:
    """One column of a record batch as the evaluator's column of type t."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if isinstance(t, T.ListType):
        return _records(column, t, where)
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _from_text(column, t, where)
    if pa.types.is_null(kind):
        from engine.columns.vector import unknown_column

        return unknown_column(t, len(column))
    known = None
    if column.null_count:
        known = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if isinstance(t, T.DateType):
        return _date_arrow(column, where)
    if isinstance(t, (T.MoneyType, T.RateType)) and pa.types.is_decimal(kind):
        return _decimal_num(column, t, where)
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind):
        fill = False if pa.types.is_boolean(kind) else 0
        values = column.fill_null(fill).to_numpy(zero_copy_only=False) if known is not None else column.to_numpy(zero_copy_only=False)
        return convert_numpy(values, known, t, where)
    raise where.fail(f"a column of {kind} cannot give a fact of type {t}")


# ---------------------------------------------------------------- numpy arrays


def convert_numpy(values: np.ndarray, known: np.ndarray | None, t: T.Type, where: _Where) -> Col:
    """A numpy array (bool, int or float; NaN unknown) as a column of type t."""
    values = np.asarray(values)
    kind = values.dtype.kind
    if kind == "f":
        low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
        if np.isnan(low) or np.isnan(high):  # min and max propagate NaN: no extra pass when there is none
            nan = np.isnan(values)
            known = ~nan if known is None else known & ~nan
            values = np.where(nan, 0, values)
            low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if isinstance(t, T.BoolType):
        if kind == "b":
            return Bool(values, known)
        if kind in "iuf":
            bad = _first(known, (values != 0) & (values != 1))
            if bad is not None:
                raise where.fail(f"expected true or false (1 or 0), found {values[bad]!r}", bad)
            return Bool(values != 0, known)
    elif isinstance(t, T.IntType):
        if kind == "f":
            bad = _first(known, values != np.rint(values))
            if bad is not None:
                raise where.fail(f"expected a whole number, found {values[bad]!r}", bad)
            values = values.astype(np.int64)
            kind = "i"
        if kind in "iu":
            return _int_num(values, known, t, where)
    elif isinstance(t, (T.MoneyType, T.RateType)):
        den = FEN if isinstance(t, T.MoneyType) else RATE_DEN
        if kind == "f":
            if not (np.isfinite(low) and np.isfinite(high)):
                bad = _first(known, ~np.isfinite(values))
                raise where.fail(f"expected an amount, found {values[bad]!r}", bad)
            # rounding is monotone: the bounds of the fen are the rounded bounds of the floats
            lo, hi = int(np.rint(low * den)), int(np.rint(high * den))
            if low >= 0:
                lo, hi = int(np.floor(low * den + 0.5)), int(np.floor(high * den + 0.5))
            if lo == hi and known is None:  # one amount in every row (row 1 stands for all in a message)
                return _checked_num(np.array([lo], dtype=np.int64), None, t, den, where, (lo, hi))
            scaled = values.astype(np.float64)  # then in place: a mixed-type multiply is slower than the cast
            scaled *= den
            if low >= 0:  # half up, as a case file's amount is rounded (0.125 → 0.13); truncation is floor here
                scaled += 0.5
                lo, hi = int(np.floor(low * den + 0.5)), int(np.floor(high * den + 0.5))
            else:
                np.rint(scaled, out=scaled)
            return _checked_num(scaled.astype(narrowest(lo, hi)), known, t, den, where, (lo, hi))
        if kind in "iu":
            return _checked_num(np.multiply(values, den, dtype=np.int64), known, t, den, where)
    elif isinstance(t, T.EnumType) and kind in "iu":
        bad = _first(known, (values < 0) | (values >= len(t.values)))
        if bad is not None:
            raise where.fail(f"expected a code 0..{len(t.values) - 1} of {', '.join(t.values)}", bad)
        return Codes(values, t.values, known)
    raise where.fail(f"an array of {values.dtype} cannot give a fact of type {t}")


def _first(known: np.ndarray | None, bad: np.ndarray) -> int | None:
    """The first row that is known and bad, or None."""
    if known is not None:
        bad = bad & known
    if not bad.any():
        return None
    return int(np.flatnonzero(bad)[0])


def _int_num(values: np.ndarray, known: np.ndarray | None, t: T.IntType, where: _Where) -> Num:
    if values.dtype.itemsize > 4 or values.dtype.kind == "u":
        values = values.astype(np.int64)
    lo, hi = (int(values.min()), int(values.max())) if values.size else (0, 0)
    if t.low is not None and t.high is not None and (lo < t.low or hi > t.high):
        bad = _first(known, (values < t.low) | (values > t.high))
        if bad is not None:
            raise where.fail(f"{values[bad]} is out of range: expected {t.low} to {t.high}", bad)
    return _num(values, 1, lo, hi, known)


def _num(v: np.ndarray, den: int, lo: int, hi: int, known: np.ndarray | None) -> Num:
    """A column whose known values are all one number is held as that number (cheaper in every operation)."""
    if lo == hi and known is None:
        return Num(lo, den, lo, hi, None)
    return Num(v, den, lo, hi, known)


def _checked_num(v: np.ndarray, known: np.ndarray | None, t: T.Type, den: int, where: _Where,
                 bounds: tuple[int, int] | None = None) -> Num:
    if abs(bounds[0] if bounds else 0) >= MONEY_MAX_FEN * 100 or abs(bounds[1] if bounds else 0) >= MONEY_MAX_FEN * 100:
        bounds = None  # beyond what float64 holds exactly: look at the integers
    lo, hi = bounds if bounds is not None else ((int(v.min()), int(v.max())) if v.size else (0, 0))
    if isinstance(t, T.MoneyType) and lo < 0:
        bad = _first(known, v < 0)
        if bad is not None:
            raise where.fail(f"an amount cannot be negative: {Decimal(int(v[bad])) / den}", bad)
    if hi >= MONEY_MAX_FEN * (den // FEN or 1) or lo <= -MONEY_MAX_FEN * (den // FEN or 1):
        bad = _first(known, np.abs(v) >= MONEY_MAX_FEN)
        if bad is not None:
            raise where.fail("the amount is too large (at most 10^13 yuan)", bad)
    return _num(v, den, lo, hi, known)


# ---------------------------------------------------------------- text and decimal columns


def _from_text(column: pa.Array, t: T.Type, where: _Where) -> Col:
    text = pc.utf8_trim_whitespace(column)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    known = None
    if text.null_count:
        known = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if isinstance(t, T.BoolType):
        lower = pc.utf8_lower(text)
        is_true = pc.is_in(lower, value_set=pa.array(["true", "1"]))
        is_false = pc.is_in(lower, value_set=pa.array(["false", "0"]))
        bad = pc.and_(pc.invert(pc.or_(is_true, is_false)), text.is_valid())
        _raise_first(bad, text, where, "expected true or false")
        return Bool(is_true.fill_null(False).to_numpy(zero_copy_only=False), known)
    if isinstance(t, T.IntType):
        values = _cast_or_fail(text, pa.int64(), where, "expected a whole number")
        return _int_num(values.fill_null(0).to_numpy(zero_copy_only=False), known, t, where)
    if isinstance(t, (T.MoneyType, T.RateType)):
        kind = "an amount in yuan" if isinstance(t, T.MoneyType) else "a rate (a decimal number)"
        values = _cast_or_fail(text, pa.decimal128(38, 10), where, f"expected {kind}")
        return _decimal_num(values, t, where)
    if isinstance(t, T.DateType):
        return _date_arrow(text, where)
    if isinstance(t, T.EnumType):
        codes = pc.index_in(text, value_set=pa.array(list(t.values)))
        bad = pc.and_(codes.is_null(), text.is_valid())
        if pc.any(bad).as_py():
            i = _first_true(bad)
            found = text[i].as_py()
            hint = did_you_mean(str(found), t.values)
            raise where.fail(f"expected one of {', '.join(t.values)}, found {found!r}" + (f"; {hint}" if hint else ""), i)
        return Codes(codes.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int8), t.values, known)
    raise where.fail(f"text cannot give a fact of type {t}")


def _first_true(mask: pa.Array) -> int:
    return int(np.flatnonzero(mask.fill_null(False).to_numpy(zero_copy_only=False))[0])


def _raise_first(bad: pa.Array, text: pa.Array, where: _Where, message: str) -> None:
    if pc.any(bad).as_py():
        i = _first_true(bad)
        raise where.fail(f"{message}, found {text[i].as_py()!r}", i)


def _cast_or_fail(text: pa.Array, to: pa.DataType, where: _Where, message: str) -> pa.Array:
    try:
        return pc.cast(text, to)
    except pa.ArrowException:
        pass
    for i, cell in enumerate(text.to_pylist()):  # only on the error path: find the cell that is wrong
        if cell is None:
            continue
        try:
            pc.cast(pa.array([cell]), to)
        except pa.ArrowException:
            raise where.fail(f"{message}, found {cell!r}", i) from None
    raise where.fail(message)  # pragma: no cover - the cast failed but no single cell does


def _decimal_num(column: pa.Array, t: T.Type, where: _Where) -> Num:
    """A decimal column as exact integers: money rounded half up to the fen, a rate to six places."""
    known = None
    if column.null_count:
        known = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    money = isinstance(t, T.MoneyType)
    places, den = (2, FEN) if money else (6, RATE_DEN)
    if money:
        negative = pc.less(column, pa.scalar(0, column.type))
        if pc.any(negative).as_py():
            i = _first_true(negative)
            raise where.fail(f"an amount cannot be negative: {column[i].as_py()}", i)
    scale = column.type.scale
    if scale > places:
        if not money:
            exact = pc.equal(pc.round(column, ndigits=places), column)
            if not pc.all(exact.fill_null(True)).as_py():
                i = _first_true(pc.invert(exact))
                raise where.fail(f"a rate has at most {places} decimal places, found {column[i].as_py()}", i)
        column = pc.round(column, ndigits=places, round_mode="half_up")
    fixed = pc.cast(column, pa.decimal128(38, places))
    words = np.frombuffer(fixed.buffers()[1], dtype=np.int64)  # little-endian 128-bit: the low word is the value
    words = words[2 * fixed.offset:2 * (fixed.offset + len(fixed))]
    v, high = words[0::2].copy(), words[1::2]
    limit = MONEY_MAX_FEN * (den // FEN)
    too_big = (high != (v >> 63)) | (np.abs(v) >= limit)
    if known is not None:
        too_big &= known
        v[~known] = 0
    if too_big.any():
        raise where.fail("the amount is too large (at most 10^13 yuan)", int(np.flatnonzero(too_big)[0]))
    lo, hi = (int(v.min()), int(v.max())) if v.size else (0, 0)
    return _num(v, den, lo, hi, known)


def _date_arrow(column: pa.Array, where: _Where) -> Date:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = pc.utf8_trim_whitespace(column)
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        column = _cast_or_fail(text, pa.date32(), where, "expected a date written YYYY-MM-DD")
    elif pa.types.is_timestamp(kind) or pa.types.is_date64(kind):
        column = pc.cast(column, pa.date32())
    elif not pa.types.is_date32(kind):
        raise where.fail(f"a column of {kind} cannot give a date")
    known = None
    if column.null_count:
        known = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        column = column.fill_null(pa.scalar(0, pa.date32()))
    days = column.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    v = days + ORDINAL_EPOCH
    if known is not None and known.any():
        lo, hi = int(v[known].min()), int(v[known].max())
    elif known is None and v.size:
        lo, hi = int(v.min()), int(v.max())
    else:
        lo = hi = ORDINAL_EPOCH
    if v.size and (v.min() < 1 or v.max() > date.max.toordinal()):
        raise where.fail("a date outside the years 1 to 9999")
    return Date(v, known, lo, hi)


# ---------------------------------------------------------------- lists


def _records(column: pa.Array, t: T.ListType, where: _Where) -> Records:
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        column = _json_lists(column, t, where)
        kind = column.type
    if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)) or not pa.types.is_struct(kind.value_type):
        raise where.fail(f"a list fact is a list of records (or JSON text), not {kind}")
    n = len(column)
    known = None
    if column.null_count:
        known = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    lengths = pc.list_value_length(column).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    row_of = pc.list_parent_indices(column).to_numpy(zero_copy_only=False).astype(np.int64)
    elements = pc.list_flatten(column)
    struct_names = [kind.value_type.field(i).name for i in range(kind.value_type.num_fields)]
    for name in struct_names:
        if t.field(name) is None:
            hint = did_you_mean(name, [f.name for f in t.fields])
            raise where.fail(f"the records have a field '{name}' that the fact does not" + (f"; {hint}" if hint else ""))
    fields: dict[str, Col] = {}
    for f in t.fields:
        sub = _Where(where.file, f"{where.column}.{f.name}", where.first_row, row_of)
        if f.name in struct_names:
            values = pc.struct_field(elements, f.name)
            col = convert_arrow(values, f.type, sub)
            fields[f.name] = col
        else:
            from engine.columns.vector import unknown_column

            fields[f.name] = unknown_column(f.type, len(elements))
    return Records(offsets, row_of, fields, known, int(lengths.max()) if n else 0)


def _json_lists(column: pa.Array, t: T.ListType, where: _Where) -> pa.Array:
    """JSON text cells → a list<struct> column (fields as text, bools as bools), checked cell by cell."""
    struct = pa.struct([(f.name, pa.bool_() if isinstance(f.type, T.BoolType) else pa.string()) for f in t.fields])
    out: list[object] = []
    for i, cell in enumerate(column.to_pylist()):
        if cell is None or not cell.strip():
            out.append(None)
            continue
        try:
            parsed = json.loads(cell)
        except json.JSONDecodeError as e:
            raise where.fail(f"not valid JSON: {e.msg}", i) from None
        if not isinstance(parsed, list):
            raise where.fail("expected a JSON array of records, e.g. [{\"relation\": \"spouse\"}]", i)
        records = []
        for j, entry in enumerate(parsed):
            if not isinstance(entry, dict):
                raise where.fail(f"element {j}: expected an object with fields {', '.join(f.name for f in t.fields)}", i)
            record: dict[str, object] = {}
            for key, value in entry.items():
                f = t.field(str(key))
                if f is None:
                    hint = did_you_mean(str(key), [x.name for x in t.fields])
                    raise where.fail(f"element {j}: unknown field '{key}'" + (f"; {hint}" if hint else ""), i)
                if value is None:
                    continue
                if isinstance(f.type, T.BoolType):
                    if not isinstance(value, bool):
                        raise where.fail(f"element {j}, field {key}: expected true or false, found {value!r}", i)
                    record[str(key)] = value
                else:
                    record[str(key)] = _json_text(value, f.type, where, i, j, str(key))
            records.append(record)
        out.append(records)
    return pa.array(out, type=pa.list_(struct))


def _json_text(value: object, t: T.Type, where: _Where, i: int, j: int, key: str) -> str:
    if isinstance(value, (bool, list, dict)):
        raise where.fail(f"element {j}, field {key}: expected {t}, found {value!r}", i)
    if isinstance(value, float):
        try:
            return str(Decimal(repr(value)))
        except InvalidOperation:  # pragma: no cover
            raise where.fail(f"element {j}, field {key}: expected {t}, found {value!r}", i) from None
    return str(value)
