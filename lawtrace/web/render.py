"""The page's jinja environment: its own templates first, then explain/'s (whose macros render explanations).

Strict (an undefined name is an error) and autoescaped: every text from a
case or a statute is escaped. Templates receive plain data.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation
from pathlib import Path

import jinja2

from explain.render import TEMPLATES as EXPLAIN_TEMPLATES
from explain.render import dsl_html

TEMPLATES = Path(__file__).with_name("templates")


def grouped(amount: object) -> str:
    """An amount in yuan as a decimal string, with thousands grouped: 78000.00 → 78,000.00."""
    try:
        return f"{Decimal(str(amount)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(amount)


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES), jinja2.FileSystemLoader(EXPLAIN_TEMPLATES)]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yuan"] = grouped
    env.filters["dsl"] = dsl_html  # rule formulas in the explanations, highlighted as statute source
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
