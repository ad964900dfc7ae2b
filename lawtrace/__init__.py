"""lawtrace: work-injury insurance law as checked rules, with answers traced to their articles."""

from lawtrace.api import evaluate_case, load_program, regimes

__all__ = ["evaluate_case", "load_program", "regimes"]
__version__ = "0.1.0"
