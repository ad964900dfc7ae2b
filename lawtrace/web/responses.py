"""JSON answers serialized with orjson: the result JSON with its trace is large, and the stdlib encoder was most of its cost."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class FastJSON(JSONResponse):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
