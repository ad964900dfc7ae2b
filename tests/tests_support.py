"""Helpers for tests that compile DSL snippets and expect them to fail."""

from __future__ import annotations

import pytest

from conftest import compile_snippet
from dsl.errors import LawtraceError


def compile_error(body: str, name: str) -> LawtraceError:
    with pytest.raises(LawtraceError) as caught:
        compile_snippet(body, name)
    return caught.value
