"""A population: the same Program as column operations, exact to the fen.

In: a compiled `Program` and a population (Arrow, Parquet, CSV, read in chunks by `population`). Out: per-row
items (`vector`, over the value+known arrays of `arrays`), totals and comparisons (`costing`), per-row output
(`rows_out`), the fund's accounts of employer populations (`fund_accounts`), driven by `simulation`.
May import: `dsl`, `engine.model`, `engine.law_time`, `engine.build`. Never `engine.run`: the two evaluators
agree by construction over the IR, and the differential tests check it.
"""
