"""One case: facts in, a traced answer out.

In: a compiled `Program` and a case (`case`: validated facts, dates). Out: the lazy three-valued evaluation
(`evaluate`) with its trace, run-time layer conflicts (`conflicts`), structured trace terms, and the result
JSON of the contract (`result`).
May import: `dsl`, `engine.model`, `engine.law_time`, `engine.build`. Never `engine.columns` (the other evaluator).
"""
