"""Records of either kind: the frozen data the engine runs on (`msgspec.Struct`) and the syntax tree (dataclasses).

The records a compiled program is made of (types, spans, citations, the IR) are msgspec Structs: their classes are
made in C, where a dataclass writes and `exec`s the source of half a dozen methods for each class, which was most of
the import time of `lawtrace eval` (issue 18). The syntax tree, needed only to compile, stays dataclasses. These
few functions read or copy a record whichever kind it is, for the code that walks both.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import msgspec

R = TypeVar("R")


def field_names(x: object) -> tuple[str, ...]:
    """The names of a record's fields, in declaration order (a record class or instance of either kind); none for
    anything else."""
    names = getattr(x, "__struct_fields__", None)
    if names is not None:
        return names  # type: ignore[no-any-return]
    if dataclasses.is_dataclass(x):
        return tuple(f.name for f in dataclasses.fields(x))
    return ()


def replace(x: R, **changes: Any) -> R:
    """A copy of the record with some fields changed."""
    if isinstance(x, msgspec.Struct):
        return msgspec.structs.replace(x, **changes)
    return dataclasses.replace(x, **changes)  # type: ignore[type-var]
