"""lawtrace: work-injury insurance law as checked rules, with answers traced to their articles."""

from __future__ import annotations

from typing import Any

__all__ = ["evaluate_case", "load_program", "regimes"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The API is imported when used, not by `import lawtrace`: a CLI command imports only what it runs.
    if name in __all__:
        from lawtrace import api

        return getattr(api, name)
    raise AttributeError(f"module 'lawtrace' has no attribute {name!r}")
