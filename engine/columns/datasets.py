"""Partitioned populations: a file, a directory of Parquet files or a glob in; a directory of Parquet files out.

Guarantees: the files of a population are listed in one order (sorted paths),
the same for every run, so row numbers and results do not depend on the file
system; files whose name starts with `.` or `_` (Spark's `_SUCCESS`, our own
partial outputs) are not rows. An output dataset is written under a hidden
temporary directory beside its name and renamed into place when every part is
written: it exists complete or not at all.
"""

from __future__ import annotations

import glob
import os
import shutil
import uuid
from pathlib import Path

from engine.columns.population import PopulationError, population_format

PARQUET = (".parquet", ".pq")


def population_files(population: Path | str) -> list[Path]:
    """The files of a population: the file itself, the Parquet files under a directory, or those a glob matches."""
    text = str(population)
    path = Path(text)
    if any(c in text for c in "*?[") and not path.exists():
        files = [Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file()]
        if not files:
            raise PopulationError(text, "no file matches this pattern")
    elif path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET
                 and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)]
        if not files:
            raise PopulationError(text, "no Parquet file (.parquet) in this directory")
    elif path.is_file():
        return [path]
    else:
        raise PopulationError(text, "no such population file")
    for f in files:
        if population_format(f) != "parquet":
            raise PopulationError(str(f), "a partitioned population is made of Parquet files")
    return sorted(files)


def is_dataset_path(out: Path) -> bool:
    """An output named without a file suffix (or an existing directory) is a dataset directory."""
    return out.is_dir() or out.suffix == ""


class DatasetWriter:
    """Parts `part-NNNNN.parquet` written into a hidden directory, renamed to `out` by `commit()`."""

    def __init__(self, out: Path):
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise PopulationError(str(out), "the output directory exists and is not empty")
        self.out = out
        self.partial = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:12]}"
        try:
            self.partial.mkdir(parents=True)
        except OSError as e:
            raise PopulationError(str(out), f"cannot write: {e.strerror or e}") from None

    def part(self, index: int) -> Path:
        return self.partial / f"part-{index:05d}.parquet"

    def commit(self) -> None:
        if self.out.is_dir():
            self.out.rmdir()  # empty, checked when the writer was made
        os.replace(self.partial, self.out)

    def abort(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)
