"""The OpenAPI document's schemas: the case, the result, errors, regimes, facts, diffs and questions.

The endpoints are listed by FastAPI from the routes; their bodies are read
by the engine (not by pydantic), so their schemas are written here, as the
contract (../shared/CONTRACT.md) fixes them, and added to the document's
components. Fact names are not listed: they are the regime's, served by
`GET /v1/facts`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


LABELS: Schema = {"type": "object", "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
                  "required": ["zh", "en"]}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
PARTY: Schema = {"type": ["string", "null"], "description": "fund | employer | third_party | state; null: none, or undetermined"}
AMOUNT: Schema = {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{2}$", "description": "yuan, two places"}

SCHEMAS: dict[str, Schema] = {
    "Case": {
        "type": "object",
        "description": "A case file (CONTRACT.md). An absent fact is unknown, never false or zero.",
        "properties": {
            "id": {"type": ["string", "integer"]}, "name": {"type": "string"}, "notes": {"type": "string"},
            "regime": {"type": "string", "description": "a regime name from GET /v1/regimes"},
            "date": {"type": "string", "format": "date", "description": "the day of the accident or diagnosis"},
            "facts": {"type": "object", "additionalProperties": True,
                      "description": "fact name → value; the names, types and ranges are the regime's: GET /v1/facts"},
            "kind": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "Citation": {
        "type": "object",
        "properties": {"instrument": {"type": "string"}, "version": NULLABLE_STRING, "article": {"type": "integer"},
                       "paragraph": {"type": "integer"}, "item": {"type": "integer"}},
        "required": ["instrument", "article"],
    },
    "Part": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "amount": AMOUNT, "payer": PARTY,
                       "basis": {"type": "array", "items": ref("Citation")}},
    },
    "Item": {
        "type": "object",
        "properties": {
            "id": {"type": "string"}, "label": LABELS,
            "payable": {"type": ["boolean", "null"], "description": "null: undetermined"},
            "amount": AMOUNT, "amount_if_payable": AMOUNT,
            "period": {"type": "string", "enum": ["once", "monthly", "yearly"]},
            "payer": PARTY, "advance_payer": PARTY, "recover_from": PARTY,
            "parts": {"type": "array", "items": ref("Part")},
            "basis": {"type": "array", "items": ref("Citation")},
            "undetermined": {"type": "array", "items": {"type": "string"}},
            "missing": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["id", "label", "payable", "amount", "period", "payer", "advance_payer", "recover_from",
                     "parts", "basis", "undetermined", "missing"],
    },
    "Result": {
        "type": "object",
        "description": "The result JSON of CONTRACT.md; `trace` is documented in explain/TRACE_SCHEMA.md.",
        "properties": {
            "regime": {"type": "string"}, "regime_label": LABELS,
            "instruments": {"type": "object", "additionalProperties": True},
            "date": {"type": ["string", "null"], "format": "date"},
            "items": {"type": "array", "items": ref("Item")},
            "missing_facts": {"type": "array", "items": {"type": "string"}},
            "assumed": {"type": "array", "items": {"type": "object"}},
            "diagnostics": {"type": "array", "items": {"type": "object"}},
            "trace": {"type": "object"},
        },
        "required": ["regime", "date", "items", "missing_facts", "assumed", "diagnostics"],
    },
    "FieldError": {
        "type": "object",
        "properties": {
            "field": {"type": ["string", "null"], "description": "a dotted path into the body (facts.FACT, "
                                                                  "cases[2].date), a query parameter, or null"},
            "in": {"type": "string", "enum": ["body", "query", "path"]},
            "message": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer"},
            "hint": {"type": "string"},
        },
        "required": ["field", "in", "message"],
    },
    "Error": {
        "type": "object",
        "properties": {"status": {"type": "integer"}, "title": {"type": "string"},
                       "errors": {"type": "array", "items": ref("FieldError")}},
        "required": ["status", "title", "errors"],
    },
    "Regime": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "label": LABELS,
                       "instruments": {"type": "array", "items": {"type": "object"}},
                       "overrides": {"type": "array", "items": {"type": "object"}}},
        "required": ["name", "label", "instruments"],
    },
    "Fact": {
        "type": "object",
        "properties": {
            "name": {"type": "string"}, "label": LABELS, "declared": {"type": "string"},
            "type": {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]},
            "basis": {"type": "array", "items": ref("Citation")}, "note": {"type": "string"},
            "delegated_to": {"type": "string"}, "presumed": {"type": "object"},
        },
        "required": ["name", "label", "type"],
    },
    "DiffRequest": {
        "type": "object",
        "properties": {
            "a": {"type": "string", "description": "regime[@YYYY-MM-DD]"},
            "b": {"type": "string", "description": "regime[@YYYY-MM-DD]"},
            "cases": {"type": "array", "items": ref("Case")},
        },
        "required": ["a", "b"],
        "additionalProperties": False,
    },
    "DiffReport": {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"},
                       "instruments": {"type": "object"},
                       "rules": {"type": "array", "items": {"type": "object"}},
                       "outcomes": {"type": "array", "items": {"type": "object"}},
                       "summary": {"type": "object"}},
        "required": ["a", "b", "rules", "outcomes"],
    },
    "Explanation": {"type": "object", "description": "why (or why not) one item is payable, step by step, as data"},
    "Questions": {"type": "object", "description": "the facts still worth asking, ranked"},
}


def body(schema: str) -> dict[str, Any]:
    """`openapi_extra` for an endpoint whose body the engine reads (JSON, or YAML as in a case file)."""
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": ref(schema)},
        "application/yaml": {"schema": ref(schema)},
    }}}


def answers(content: dict[str, Schema], *errors: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of an endpoint: its answer (media type → schema), and its error statuses as `Error`."""
    out: dict[int | str, dict[str, Any]] = {
        200: {"description": "OK", "content": {media: {"schema": schema} for media, schema in content.items()}},
    }
    for status in errors:
        out[status] = {"description": _ERRORS[status], "content": {"application/json": {"schema": ref("Error")}}}
    return out


_ERRORS = {
    400: "malformed request: not JSON or YAML, not UTF-8, or empty; `errors[].field` is `body`, with line and column",
    404: "no such item or route",
    413: "the request body is larger than the server's limit",
    422: "invalid input: each error names its field",
}


def install(app: FastAPI) -> None:
    """Make `app.openapi()` return the generated document with the schemas above."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            doc.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]
