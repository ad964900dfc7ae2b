"""AST expressions → typed IR expressions: resolve every name and check every type.

Guarantees on success: each name refers to a node, a bound variable, an enum
member or a party; operators get operands of compatible types (money is never
added to a rate; a condition is a bool). Errors are collected, not raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.build.typecheck_calls import Calls
from engine.build.typecheck_data import Data
from engine.build.typecheck_logic import Logic
from engine.build.typecheck_rules import BUILTIN_NAMES, FUNCTIONS, arithmetic, assignable, comparable, unify
from engine.build.typecheck_terms import Terms

__all__ = ["BUILTIN_NAMES", "FUNCTIONS", "Checker", "arithmetic", "assignable", "comparable", "unify"]


@dataclass
class Checker(Terms, Logic, Data, Calls):
    """Type-checks expressions against the nodes of one program, each expression family in its own room."""
