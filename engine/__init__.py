"""The engine: statute ASTs in, answers out.

Its rooms follow the data, each importing only the rooms below it:

    model      the IR and its vocabulary (citations, values, diagnostics, the printer)
    law_time   calendar law: date arithmetic, working days, deadlines
    build      statute files → a composed regime → a checked, compiled Program and its graph
    run        one case: facts in, a traced evaluation, the result JSON out
    columns    a population: the same Program compiled to column operations, totals and costing
    analysis   over programs and results: diff, the next question, coverage

`run` and `columns` are two evaluators of the same Program and do not import each other.
The layering is a contract in pyproject.toml (import-linter), checked by the test suite.
"""
