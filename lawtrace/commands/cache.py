"""`lawtrace cache info|clear`: the compiled programs kept between runs (see engine/build/cache.py)."""

from __future__ import annotations

import click

from lawtrace.cli_support import emit_json


@click.group("cache")
def cache_group() -> None:
    """The cache of compiled statutes: where it is, what it holds; clear it.

    Each regime (with its overlays) is compiled once and kept until a statute file, an overlay, the grammar or the
    engine changes. LAWTRACE_CACHE_DIR moves it; LAWTRACE_NO_CACHE=1 or `lawtrace --no-cache` turns it off.
    """


@cache_group.command("info")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info(fmt: str) -> None:
    """Where the cache is and the programs it holds."""
    from engine.build import cache

    where = cache.directory()
    entries = cache.entries()
    data = {
        "directory": str(where) if where is not None else None,
        "enabled": where is not None,
        "format": cache.FORMAT,
        "entries": [{"file": e.path.name, "bytes": e.size, "modified": _when(e.mtime)} for e in entries],
        "bytes": sum(e.size for e in entries),
    }
    if fmt == "json":
        emit_json(data)
        return
    if where is None:
        click.echo("cache: off (LAWTRACE_NO_CACHE or --no-cache)")
        return
    click.echo(f"cache: {where}")
    count = f"{len(entries)} entr{'ies' if len(entries) != 1 else 'y'}"
    kinds = "compiled programs, report templates, the parser's tables, digests of source files"
    click.echo(f"{count} ({kinds}), {data['bytes']:,} bytes")
    for e in data["entries"]:
        click.echo(f"  {e['file']}  {e['bytes']:,} bytes  {e['modified']}")


@cache_group.command("clear")
def clear() -> None:
    """Remove every compiled program (the next run of each regime compiles it again)."""
    from engine.build import cache

    removed = cache.clear()
    where = cache.directory()
    click.echo(f"removed {removed} file{'s' if removed != 1 else ''}" + (f" from {where}" if where is not None else ""))


def _when(mtime: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(mtime, timezone.utc).isoformat(timespec="seconds")


command = cache_group
