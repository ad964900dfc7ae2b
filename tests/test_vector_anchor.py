"""The OpenFisca-anchor adapter: the compiled synthetic rule set reproduces the harness's reference."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT.parent / "shared" / "bench" / "openfisca_anchor"
if not (HARNESS / "numpy_ref.py").exists():  # pragma: no cover - the shared folder sits beside the repository
    pytest.skip(f"the anchor harness is not at {HARNESS}", allow_module_level=True)
sys.path.insert(0, str(HARNESS))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy_ref  # noqa: E402
import openfisca_anchor  # noqa: E402
import population  # noqa: E402


@pytest.fixture(scope="module")
def engines():
    out = [openfisca_anchor.LawtraceEngine(1), openfisca_anchor.LawtraceEngine(2)]
    for e in out:
        e.setup()
    return out


def test_vectorized_run_matches_the_reference(engines) -> None:
    pop = population.make_population(150_000)  # three blocks: the threaded engine really splits
    ref = numpy_ref.compute(pop)
    results = [e.run(pop, population.PERIOD) for e in engines]
    for fund, employer in results:
        for want, got in ((ref[0], fund), (ref[1], employer)):
            scale = np.maximum(np.abs(want.astype(np.float64)), 1.0)
            assert np.max(np.abs(got - want) / scale) < 1e-5
    assert np.array_equal(results[0][0], results[1][0]) and np.array_equal(results[0][1], results[1][1])
    assert abs(results[0][0].sum() - float(ref[0].sum(dtype=np.float64))) / float(ref[0].sum(dtype=np.float64)) < 1e-6


def test_traced_single_case_equals_the_vectorized_row(engines) -> None:
    pop = population.make_population(2_000)
    fund, employer = engines[0].run(pop, population.PERIOD)
    for i in (0, 7, 123, 1999):
        f1, e1, trace = engines[0].run_traced(population.single_case(pop, i), population.PERIOD)
        assert (f1[0], e1[0]) == (fund[i], employer[i])
        flat = trace.get_serialized_flat_trace()
        assert "total_fund_liability" in flat and "wage_base" in flat
        assert flat["wage_base"]["citations"] and flat["total_fund_liability"]["inputs"]
