"""The `lawtrace` command: a thin layer that turns user errors into messages and exit codes.

Each subcommand lives in its own module under `lawtrace/commands/`, named like the command, and exports one click
command as `command`. The group lists the modules without importing them and imports only the one that runs.

Lazy imports (a caseworker runs `eval` dozens of times a day; start-up is most of its time): a command module
imports at its top only the standard library, `click` and `lawtrace.cli_support`; everything else (the engine,
`explain`, yaml, jinja2, numpy, pyarrow, networkx, FastAPI, the parser) is imported inside the function that needs
it. `eval`, `explain`, `ask` and `check` of a cached regime must import none of numpy, pyarrow, networkx, FastAPI
or Lark: `tests/test_startup_imports.py` runs every command module and these commands in a fresh interpreter and
checks `sys.modules`.
"""

from __future__ import annotations

import importlib

import click

import lawtrace
import lawtrace.commands


class _LazyGroup(click.Group):
    """Subcommands found by module name, imported when invoked (or when `--help` lists them)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        import pkgutil

        found = {m.name for m in pkgutil.iter_modules(lawtrace.commands.__path__) if not m.name.startswith("_")}
        return sorted(found | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if not cmd_name.isidentifier() or cmd_name.startswith("_"):
            return None
        module = f"lawtrace.commands.{cmd_name}"
        try:  # the command's own module, found without listing the package on every start-up
            command = getattr(importlib.import_module(module), "command", None)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            return None
        return command if isinstance(command, click.Command) else None


def _no_cache(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        from engine.build import cache

        cache.disable()


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(lawtrace.__version__, prog_name="lawtrace")  # not from the package metadata: slow to find
@click.option("--no-cache", is_flag=True, expose_value=False, is_eager=True, callback=_no_cache,
              help="Compile the statutes without reading or writing the cache of compiled programs "
                   "(also: LAWTRACE_NO_CACHE=1).")
def main() -> None:
    """Work-injury insurance law (工伤保险) as checked rules: what is owed, by whom, and why."""
