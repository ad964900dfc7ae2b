"""A pytest plugin that records, per passing test, the articles its evaluations passed through.

Active only with `--lawtrace-coverage FILE`. While a test runs, every
`engine.run.evaluate.Evaluation` created is kept; when the test has passed, the
citations of every node in those evaluations' traces (rules, parameters, and
facts only where a presumption supplied them) are reduced to articles and
written, at the end of the session, as the recording `lawtrace coverage` reads
(schema `lawtrace.coverage-recording/1`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.analysis.coverage import RECORDING_SCHEMA
from engine.run.evaluate import Evaluation

OPTION = "--lawtrace-coverage"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(OPTION, metavar="FILE", default=None,
                     help="record the articles each passing test's evaluations pass through (for `lawtrace coverage`)")


class _Recorder:
    KEEP = 64  # evaluations kept whole; older ones (done by then) are reduced to their articles

    def __init__(self, out: Path):
        self.out = out
        self.current: list[Evaluation] = []
        self.found: set[tuple[str, str, int]] = set()
        self.tests: dict[str, list[list[object]]] = {}
        self._init = Evaluation.__init__

    def install(self) -> None:
        original, recorder = self._init, self

        def init(evaluation: Evaluation, *args: object, **kwargs: object) -> None:
            original(evaluation, *args, **kwargs)  # type: ignore[arg-type]
            recorder.current.append(evaluation)
            if len(recorder.current) > 2 * recorder.KEEP:  # a test that evaluates thousands of cases
                old, recorder.current[:] = recorder.current[:-recorder.KEEP], recorder.current[-recorder.KEEP:]
                recorder.found |= _articles(old)

        Evaluation.__init__ = init  # type: ignore[method-assign]

    def uninstall(self) -> None:
        Evaluation.__init__ = self._init  # type: ignore[method-assign]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: object):
        self.current.clear()
        self.found = set()
        yield
        self.current.clear()
        self.found = set()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" and report.passed and (self.current or self.found):
            self.tests[item.nodeid] = sorted(self.found | _articles(self.current))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.uninstall()
        data = {"schema": RECORDING_SCHEMA, "tests": {t: [list(k) for k in keys] for t, keys in sorted(self.tests.items())}}
        self.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _articles(evaluations: list[Evaluation]) -> set[tuple[str, str, int]]:
    """The articles cited by the rules (and presumptions) these evaluations passed through."""
    found: set[tuple[str, str, int]] = set()
    for evaluation in evaluations:
        for node in evaluation.trace.values():
            if node.kind == "fact" and not node.assumed:
                continue
            for c in node.citations:
                found.add((c.instrument, c.version or "", c.article))
    return found


def pytest_configure(config: pytest.Config) -> None:
    out = config.getoption(OPTION)
    if out:
        recorder = _Recorder(Path(out))
        recorder.install()
        config.pluginmanager.register(recorder, "lawtrace-coverage-recorder")
