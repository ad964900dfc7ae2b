"""The `lawtrace` command: a thin layer that turns user errors into messages and exit codes.

Each subcommand lives in its own module under `lawtrace/commands/` and exports
one click command named like the module; this group finds and registers them.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import lawtrace.commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lawtrace")
def main() -> None:
    """Work-injury insurance law (工伤保险) as checked rules: what is owed, by whom, and why."""


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(lawtrace.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"lawtrace.commands.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            main.add_command(command)


_register()
