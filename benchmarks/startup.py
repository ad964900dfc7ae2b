"""Start-up: what a caseworker waits for, side by side with Python's own start (issue 18).

Runs, round after round in one process so that every command sees the same load: `python -c pass`,
`lawtrace --version`, `lawtrace eval examples/grade7.yaml` cold (the cache cleared: parse and compile), with an
overlay edited just before (the reform's program compiled again, the parser's tables from the cache) and warm,
`lawtrace explain examples/grade7.yaml one_time_disability_subsidy` and `lawtrace ask examples/grade7.yaml --next`
(both warm), and the single traced case of the national regime in-process. Beside them, `python -c "import ..."` of
the third-party libraries a warm eval imports, in a process whose collector is set as a lawtrace process sets it
(`lawtrace.__main__`): the floor that no change to lawtrace's own code can go below. Each is timed in CPU time (user +
system of the child), and the minimum of the rounds (the least disturbed by other work on the machine; the median
beside it) is printed in ms and as a ratio to the minimum of `python -c pass`.

    python benchmarks/startup.py [--rounds 7] [--baseline REV]

`--baseline REV` adds `lawtrace eval` of the code at git revision REV (extracted with `git archive`, run from
PYTHONPATH), e.g. 44f7cfa, the code as issue 18 found it: "cold no slower than today" is read beside it.

The commands run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed), as an installed lawtrace runs, in a
cache directory of their own, found as the user's default one is (on Linux, through XDG_CACHE_HOME).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = "examples/grade7.yaml"
GOALS = {"eval (warm)": 5.0, "explain (warm)": 8.0, "ask --next (warm)": 8.0}


EDITED = ROOT / "examples" / "overlays" / "grade7_15months.lt"
# Where the commands keep their cache: on Linux the base of the user's default cache directory, so that they find it
# as a user's lawtrace does (platformdirs imported and asked); elsewhere lawtrace's own variable, so that the runs
# stay out of the user's real cache.
CACHE_VARIABLE = "XDG_CACHE_HOME" if sys.platform.startswith("linux") else "LAWTRACE_CACHE_DIR"


def _commands(baseline: str | None, overlay: Path) -> list[tuple[str, list[str], str | None]]:
    """(label, argv, what to do before each run: "clear" a cache of the row's own, "edit" the overlay, or nothing)."""
    py = sys.executable
    lawtrace = [py, "-m", "lawtrace"]
    before = [(f"eval at {baseline}, cold", [py, "-m", "lawtrace", "eval", str(ROOT / CASE)], "clear")] if baseline else []
    return before + [
        ("python -c pass", [py, "-c", "pass"], None),
        ("lawtrace --version", lawtrace + ["--version"], None),
        ("eval (cold)", lawtrace + ["eval", CASE], "clear"),
        ("eval --rules, overlay just edited", lawtrace + ["eval", CASE, "--rules", str(overlay), "--regime", "g7up"], "edit"),
        ("eval (warm)", lawtrace + ["eval", CASE], None),
        ("eval --format json (warm)", lawtrace + ["eval", CASE, "--format", "json"], None),
        ("explain (warm)", lawtrace + ["explain", CASE, "one_time_disability_subsidy"], None),
        ("ask --next (warm)", lawtrace + ["ask", CASE, "--next"], None),
    ]


OURS = {"dsl", "engine", "explain", "lawtrace", "statutes"}
_LIBRARIES = """
import sys
from lawtrace.cli import main
sys.argv = ["lawtrace", "eval", %r]
try:
    main()
except SystemExit:
    pass
ours = %r
found = {m.split(".")[0] for m in sys.modules}
sys.stderr.write(" ".join(sorted(m for m in found if m not in sys.stdlib_module_names and m not in ours
                                 and not m.startswith("_") and m != "sitecustomize"
                                 and getattr(sys.modules[m], "__spec__", None) is not None)))
"""


def libraries(env: dict[str, str]) -> list[str]:
    """The third-party packages a warm `lawtrace eval` imports (with the standard library they pull in, their
    import is the part of its time no change to lawtrace's own code can remove)."""
    code = _LIBRARIES % (CASE, OURS)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return run.stderr.split()


def _cpu_ms(argv: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run(argv, cwd=env.get("PYTHONPATH", ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{run.stderr.decode()[-2000:]}")
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000


def single_case_ms(rounds: int, per_round: int = 300) -> tuple[float, float]:
    """The national regime, examples/grade7.yaml, every item and deadline with the complete trace: the least ms
    per case over `rounds` rounds, and with the result JSON (trace included) made too."""
    sys.path.insert(0, str(ROOT))
    from engine.run.case import case_as_of, case_date, case_kind, read_case, validate_facts
    from engine.run.result import evaluate, result_json
    from lawtrace.api import evaluator

    ev = evaluator("national")
    case = read_case(str(ROOT / CASE))
    facts = validate_facts(ev.program, case)
    on, kind, as_of = case_date(case, None), case_kind(case), case_as_of(case, None)
    out = []
    for make_json in (False, True):
        times = []
        for _ in range(rounds):
            start = time.process_time()
            for _ in range(per_round):
                r = evaluate(ev, facts, on, kind, as_of)
                if make_json:
                    result_json(r)
            times.append((time.process_time() - start) / per_round * 1000)
        out.append(min(times))
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--baseline", help="a git revision whose `lawtrace eval` is timed beside (e.g. 44f7cfa)")
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="lawtrace-startup-"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "LAWTRACE_NO_CACHE", "LAWTRACE_CACHE_DIR")}
    env[CACHE_VARIABLE] = str(cache)
    overlay = cache / "overlay" / EDITED.name
    overlay.parent.mkdir(parents=True)
    overlay.write_text(EDITED.read_text(encoding="utf-8"), encoding="utf-8")
    edits = iter(range(1_000_000))
    commands = _commands(args.baseline, overlay)
    subprocess.run([sys.executable, "-m", "lawtrace", "eval", CASE], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    libs = libraries(env)  # those of a warm run: the cache was just filled
    after_version = [label for label, _, _ in commands].index("lawtrace --version") + 1
    # imported as a lawtrace process imports them (lawtrace.__main__: its collector's settings), so that the floor
    # is one that lawtrace's own code could reach
    floor = ("import gc; from lawtrace.__main__ import COMMAND_YOUNG_SWEEP as sweep;"
             f" gc.set_threshold(sweep, *gc.get_threshold()[1:]); import {', '.join(libs)}; gc.freeze()")
    commands.insert(after_version, (f"import {', '.join(libs)}", [sys.executable, "-c", floor], None))
    # A cold row clears a cache of its own, so that the warm rows keep theirs (the report templates' bytecode too).
    envs = {label: env if before != "clear" else {**env, CACHE_VARIABLE: str(cache / f"cold-{n}")}
            for n, (label, _, before) in enumerate(commands)}
    if args.baseline:
        old = Path(tempfile.mkdtemp(prefix="lawtrace-baseline-"))
        archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        envs[commands[0][0]] = {**envs[commands[0][0]], "PYTHONPATH": str(old)}  # run from there: the old code
    times: dict[str, list[float]] = {label: [] for label, _, _ in commands}
    load_before = os.getloadavg()
    try:
        for label, argv, _ in commands:  # one round unmeasured: bytecode written, the cache filled
            subprocess.run(argv, cwd=envs[label].get("PYTHONPATH", ROOT), env=envs[label], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        for _ in range(args.rounds):
            for label, argv, before in commands:
                if before == "clear":
                    shutil.rmtree(envs[label][CACHE_VARIABLE], ignore_errors=True)
                elif before == "edit":  # a researcher's edit: the overlay's program is compiled again, nothing else
                    overlay.write_text(overlay.read_text(encoding="utf-8") + f"# edit {next(edits)}\n", encoding="utf-8")
                times[label].append(_cpu_ms(argv, envs[label]))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    load_after = os.getloadavg()
    base, base_median = min(times["python -c pass"]), statistics.median(times["python -c pass"])
    print(f"CPU time (user + system), least of {args.rounds} rounds (median beside it); Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    width = max(len(label) for label, _, _ in commands)
    print(f"{'command':<{width}} {'ms':>8} {'× pass':>8} {'median':>8} {'× pass':>8}  goal")
    for label, _, _ in commands:
        ms, median = min(times[label]), statistics.median(times[label])
        goal = GOALS.get(label)
        verdict = "" if goal is None else f"≤ {goal:g}× {'met' if ms / base <= goal else 'NOT met'}"
        print(f"{label:<{width}} {ms:8.1f} {ms / base:8.1f} {median:8.1f} {median / base_median:8.1f}  {verdict}")
    traced, with_json = single_case_ms(args.rounds)
    print(f"single traced case, national (in process, least of {args.rounds} rounds): {traced:.3f} ms; "
          f"with its result JSON: {with_json:.3f} ms")


if __name__ == "__main__":
    main()
