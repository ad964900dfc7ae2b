"""The encoded law: one DSL file per instrument, and the regimes."""
