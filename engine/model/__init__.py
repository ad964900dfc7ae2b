"""The compiled form of the law and its vocabulary.

In: nothing from the engine (only `dsl` types and spans). Out: the IR (`ir`: nodes, benefits, the Program),
citations, three-valued values and money rounding, diagnostics, the IR's stable printer, and the records of what a
trace prints of a formula (`term_shapes`).
May import: `dsl`. Everything else in the engine imports this room.
"""
