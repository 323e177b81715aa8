"""The OpenAPI schema's additions: the one error format on every operation, and examples
of each transition's body built from its inputs."""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import OpenApiExample

from projects.workflows._core import InputKind, Transition
from projects.workflows.registry import Machine

# The failures every operation may answer, with an example body each.
ERRORS: dict[str, tuple[str, dict[str, Any]]] = {
    "400": (
        "The request is not valid: see `fields`.",
        {
            "status": 400,
            "code": "invalid",
            "message": "The request has errors: see its fields.",
            "fields": {"title": ["This field is required."]},
        },
    ),
    "401": (
        "No credentials, or a token that is not valid.",
        {
            "status": 401,
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "fields": {},
        },
    ),
    "403": (
        "You may not do this (a workflow's refusal carries its message).",
        {
            "status": 403,
            "code": "permission_denied",
            "message": "You are not allowed to publish this technical need.",
            "fields": {},
        },
    ),
    "404": (
        "There is no such record, or you may not see it (the two are not told apart).",
        {
            "status": 404,
            "code": "not_found",
            "message": "There is no such technical need.",
            "fields": {},
        },
    ),
    "409": (
        "The record's state or a rule of the domain forbids it: the workflow's message.",
        {
            "status": 409,
            "code": "rule_violation",
            "message": (
                "A technical need is published with at least 5 technical indicators; "
                "“电池热管理” has 3."
            ),
            "fields": {},
        },
    ),
    "429": (
        "Too many requests: wait `retry_after` seconds.",
        {
            "status": 429,
            "code": "throttled",
            "message": "Too many requests: try again in 12 seconds.",
            "fields": {},
            "retry_after": 12,
        },
    ),
    "503": (
        "The database cannot be reached for the moment: wait `retry_after` seconds.",
        {
            "status": 503,
            "code": "unavailable",
            "message": "The service cannot reach its database for the moment: try again in a "
            "minute.",
            "fields": {},
            "retry_after": 30,
        },
    ),
}


def add_error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Add the error component and, to every operation, the error responses it may answer."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = {
        "type": "object",
        "description": "The body of every failure.",
        "properties": {
            "status": {"type": "integer"},
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {
                "type": "object",
                "additionalProperties": True,
                "description": "Request field → its messages (400 only).",
            },
            "retry_after": {"type": "integer", "nullable": True},
        },
        "required": ["status", "code", "message", "fields"],
    }
    shared = result["components"].setdefault("responses", {})
    for code, (description, example) in ERRORS.items():
        shared[f"Error{code}"] = {
            "description": description,
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"},
                    "examples": {"error": {"value": example}},
                }
            },
        }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            # 404 everywhere: a record not there (or hidden), a page past the last.
            wanted = ["401", "403", "404", "429", "503"]
            if method in ("post", "put", "patch") or operation.get("parameters"):
                wanted.append("400")
            if method in ("post", "put", "delete"):
                wanted.append("409")
            for code in wanted:
                responses.setdefault(code, {"$ref": f"#/components/responses/Error{code}"})
    return result


_SAMPLES = {
    InputKind.TEXT: "示例",
    InputKind.LONG_TEXT: "说明文字。",
    InputKind.DATE: datetime.date(2025, 6, 30).isoformat(),
    InputKind.AMOUNT: "2000000.00",
    InputKind.RECORD: 1,
    InputKind.RECORDS: [1, 2],
}


def transition_examples(machine: Machine, transition: Transition) -> list[OpenApiExample]:
    """A body for ``transition``: every required input with a plausible value, and a comment."""
    body: dict[str, Any] = {"comment": "材料齐全。"}
    for one in transition.inputs:
        if not one.required and one.kind is not InputKind.CHOICE:
            continue
        if one.kind is InputKind.CHOICE and one.choices is not None:
            body[one.name] = one.choices.values[0]
        else:
            body[one.name] = _SAMPLES[one.kind]
    return [
        OpenApiExample(
            f"{transition.name}",
            value=body,
            request_only=True,
            summary=transition.button_label,
        )
    ]
