"""The encoded law: one DSL file per instrument, and the regimes."""

from pathlib import Path

STATUTES_DIR = Path(__file__).resolve().parent
