"""The population's schema: each fact a regime declares, as the column `simulate` reads, and an empty template file.

Guarantees: the Arrow type given for a fact is one `engine.columns.population`
reads back as that fact (a template written from it and filled runs through
`simulate`); a fact declared by several regimes is listed once with the
regimes that declare it; the encoding in CSV text is stated for every type.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dsl import types as T
from engine.columns.population import DATE_COLUMN, ID_COLUMN, PopulationError
from engine.model import ir


def arrow_type(t: T.Type) -> pa.DataType:
    if isinstance(t, T.BoolType):
        return pa.bool_()
    if isinstance(t, T.IntType):
        return pa.int64()
    if isinstance(t, T.MoneyType):
        return pa.decimal128(18, 2)
    if isinstance(t, T.RateType):
        return pa.decimal128(18, 6)
    if isinstance(t, T.DateType):
        return pa.date32()
    if isinstance(t, T.EnumType):
        return pa.string()
    if isinstance(t, T.ListType):
        return pa.list_(pa.struct([(f.name, arrow_type(f.type)) for f in t.fields]))
    return pa.string()


def csv_encoding(t: T.Type) -> str:
    if isinstance(t, T.BoolType):
        return "true/false (or 1/0)"
    if isinstance(t, T.IntType):
        return "a whole number" + (f" {t.low}..{t.high}" if t.low is not None and t.high is not None else "")
    if isinstance(t, T.MoneyType):
        return "yuan as decimal text, e.g. 6000.50"
    if isinstance(t, T.RateType):
        return "a decimal fraction, e.g. 0.6 for 60 %"
    if isinstance(t, T.DateType):
        return "YYYY-MM-DD"
    if isinstance(t, T.EnumType):
        return "one of: " + ", ".join(t.values)
    if isinstance(t, T.ListType):
        return "a JSON array of objects with " + ", ".join(f"{f.name} ({f.type})" for f in t.fields)
    return str(t)


def unit(t: T.Type) -> str | None:
    return {T.MoneyType: "yuan", T.RateType: "fraction", T.DateType: "date"}.get(type(t))


def allowed(t: T.Type) -> object:
    if isinstance(t, T.EnumType):
        return list(t.values)
    if isinstance(t, T.IntType) and t.low is not None:
        return {"min": t.low, "max": t.high}
    if isinstance(t, T.BoolType):
        return [True, False]
    return None


def fact_entries(programs: list[ir.Program]) -> list[dict[str, object]]:
    """Every fact of the programs, in declaration order, with the regimes that declare it."""
    out: dict[str, dict[str, object]] = {}
    for program in programs:
        for node in program.facts():
            entry = out.get(node.id)
            if entry is None:
                entry = out[node.id] = _entry(node)
            entry["regimes"].append(program.regime)  # type: ignore[attr-defined]
    return list(out.values())


def _entry(node: ir.FactNode) -> dict[str, object]:
    t = node.type
    entry: dict[str, object] = {
        "id": node.id,
        "type": str(t),
        "unit": unit(t),
        "allowed": allowed(t),
        "label": {"zh": node.labels.zh, "en": node.labels.en},
        "citations": [c.as_json() for c in node.cites],
        "presumed": node.presumption is not None,
        "column": {"parquet": str(arrow_type(t)), "csv": csv_encoding(t)},
        "regimes": [],
    }
    if isinstance(t, T.ListType):
        entry["fields"] = [{"name": f.name, "type": str(f.type), "allowed": allowed(f.type),
                            "label": {"zh": f.label_zh, "en": f.label_en}} for f in t.fields]
    return entry


def template_schema(programs: list[ir.Program]) -> pa.Schema:
    """`id`, `date`, then a column per fact, typed as `simulate` reads them."""
    fields = [pa.field(ID_COLUMN, pa.string()), pa.field(DATE_COLUMN, pa.date32())]
    seen: dict[str, T.Type] = {}
    for program in programs:
        for node in program.facts():
            if node.id not in seen:
                seen[node.id] = node.type
                fields.append(pa.field(node.id, arrow_type(node.type)))
    return pa.schema(fields)


def write_template(path: Path, schema: pa.Schema) -> None:
    """An empty population file (Parquet, or CSV: the header line) with the schema's columns, written whole or not."""
    suffix = path.suffix.lower()
    partial = path.with_name(f".{path.name}.partial")
    try:
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            pq.write_table(schema.empty_table(), partial)
        elif suffix == ".csv":
            partial.write_text(",".join(schema.names) + "\n", encoding="utf-8")
        else:
            raise PopulationError(str(path), "a population template is a .parquet or .csv file")
        partial.replace(path)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise PopulationError(str(path), f"cannot write: {e.strerror or e}") from None
