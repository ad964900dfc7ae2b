"""A pytest plugin (entry point `pytest11`): `python -m pytest` collects YAML statute tests as well.

A YAML file in a folder named `tests` whose top level has `tests:` is a test file; each of its tests is an item,
run and judged by `lawtrace.testing.runner` exactly as `lawtrace test` runs it, and reported with the same diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lawtrace.testing.spec import YamlTest, is_test_file


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_test_file(file_path):
        return YamlTestFile.from_parent(parent, path=file_path)
    return None


class YamlTestFile(pytest.File):
    def collect(self):
        from dsl.errors import LawtraceError
        from lawtrace.testing.spec import read_tests

        try:
            tests = read_tests(self.path)
        except LawtraceError as e:
            raise self.CollectError(e.render()) from None
        for test in tests:
            yield YamlTestItem.from_parent(self, name=test.name, test=test)


class YamlTestFailed(Exception):
    """A YAML test whose outcomes differ from those expected (or that could not run)."""


class YamlTestItem(pytest.Item):
    def __init__(self, *, test: YamlTest, **kwargs):
        super().__init__(**kwargs)
        self.test = test

    def runtest(self) -> None:
        from lawtrace.testing.runner import failure_text, run_test

        outcome = run_test(self.test)
        if outcome.status != "passed":
            raise YamlTestFailed(failure_text(outcome))

    def repr_failure(self, excinfo, style=None):  # type: ignore[override]
        if isinstance(excinfo.value, YamlTestFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.test.line - 1, f"{self.path.name}::{self.test.name}"
