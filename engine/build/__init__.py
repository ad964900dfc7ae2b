"""From statute files to a compiled Program.

In: `.lt` files (found by `catalog`), a regime name and overlays. Out: a composed regime (`layering`: fills,
overrides with authority, added parts, shadows of refused rules), a type-checked IR (`typecheck`), a
`Program` whose dependency graph is checked for cycles (`graph`), all assembled by `compile`, with what runs would
otherwise work out from the nodes every time (`period_free`, `formula_texts`: what a trace prints of each formula).
May import: `dsl`, `engine.model`, `engine.law_time`. Errors are collected and located (file:line:col).
"""
