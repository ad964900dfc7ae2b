"""The `lawtrace` program's process: `python -m lawtrace` and the console script (`lawtrace.__main__:run`).

A command runs in a process of its own, which ends when it does; the cyclic garbage collector is set for that:
- its youngest generation is swept every 100,000 objects made rather than every 700: importing click, jinja2 and
  the engine and evaluating a case make a few hundred thousand objects, nearly none of them garbage, and the
  sweeps that found nothing were ~9 ms of the ~110 ms of a warm `eval` (a long command still sweeps, less often;
  `lawtrace serve` sets the collector for a server itself);
- the objects left are frozen out of the collector as the process ends: the collections of the interpreter's
  shutdown walked every one of them (the compiled program, the trace, the modules) to free what the end of the
  process frees anyway, ~21 ms. Objects are still released, files flushed and closed, `atexit` handlers run.
In-process callers (`lawtrace.cli.main`, click's test runner, the Python API) keep the collector as they set it.
"""

import gc

# objects made (less those freed) between sweeps of the youngest generation in a command's process; Python's is 700
COMMAND_YOUNG_SWEEP = 100_000


def run() -> None:
    gc.set_threshold(COMMAND_YOUNG_SWEEP, *gc.get_threshold()[1:])
    from lawtrace.cli import main  # after the collector is set: importing is most of what a command makes

    try:
        main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    run()
