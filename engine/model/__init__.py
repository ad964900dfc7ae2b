"""The compiled form of the law and its vocabulary.

In: nothing from the engine (only `dsl` types and spans). Out: the IR (`ir`: nodes, benefits, the Program),
citations, three-valued values and money rounding, diagnostics, and the IR's stable printer.
May import: `dsl`. Everything else in the engine imports this room.
"""
