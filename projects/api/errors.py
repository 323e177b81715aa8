"""One error format for every failure the API answers.

    {"status": 404, "code": "not_found", "message": "There is no such technical need.",
     "fields": {}}

``message`` is written for a person (the workflow's own message for a refused transition, in
the request's language); ``fields`` maps a request field to its messages when the request
itself was wrong (status 400); ``retry_after`` (seconds) comes with status 429.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from projects.indicators.errors import IndicatorError
from projects.workflows.errors import RuleViolation, WorkflowError

logger = logging.getLogger(__name__)

# The API's own addresses: a failure outside a view (an unknown address, an error in a
# middleware) answers in the one error format there too.
API_PREFIX = "/api/"
# Seconds a client is asked to wait when the database cannot be reached.
UNAVAILABLE_RETRY_AFTER = 30

# A code for each kind of failure, stable for clients to branch on.
_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "invalid_transition",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


def error_body(
    *, status_code: int, message: str, code: str | None = None, fields: Any = None, **extra: Any
) -> dict[str, Any]:
    return {
        "status": status_code,
        "code": code or _CODES.get(status_code, "error"),
        "message": message,
        "fields": fields or {},
        **extra,
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RuleViolation):
        return _answer(status.HTTP_409_CONFLICT, str(exc), code="rule_violation")
    if isinstance(exc, IndicatorError):
        return _answer(status.HTTP_409_CONFLICT, str(exc), code="indicator_error")
    if isinstance(exc, DjangoValidationError):
        return _answer(
            status.HTTP_400_BAD_REQUEST,
            " ".join(exc.messages),
            fields=exc.message_dict if hasattr(exc, "error_dict") else None,
        )
    if isinstance(exc, Http404):
        return _answer(status.HTTP_404_NOT_FOUND, str(exc) or _("There is no such record."))
    if isinstance(exc, DjangoPermissionDenied):
        # A workflow's refusal (TransitionNotPermitted) or the indicator engine's.
        message = str(exc) or _("You are not allowed to do this.")
        return _answer(status.HTTP_403_FORBIDDEN, message)
    if isinstance(exc, WorkflowError):
        return _answer(status.HTTP_409_CONFLICT, str(exc))
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is down or out of reach: a client should retry, not report a bug.
        logger.error("API request failed: the database cannot be reached", exc_info=exc)
        return _answer(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            _("The service cannot reach its database for the moment: try again in a minute."),
            headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
            retry_after=UNAVAILABLE_RETRY_AFTER,
        )
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django logs it and answers 500 (``server_error``)
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 0) if exc.wait is not None else None
        if wait is not None:
            headers["Retry-After"] = str(wait)
        return _answer(
            exc.status_code,
            _("Too many requests: try again in %(seconds)s seconds.") % {"seconds": wait or 1},
            headers=headers,
            retry_after=wait,
        )
    if isinstance(exc, exceptions.ValidationError):
        fields, message = _validation(exc.detail)
        return _answer(exc.status_code, message, fields=fields)
    return _answer(exc.status_code, _text(exc.detail), headers=headers)


def _answer(
    status_code: int,
    message: str,
    *,
    code: str | None = None,
    fields: Any = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    set_rollback()
    body = error_body(status_code=status_code, message=message, code=code, fields=fields, **extra)
    return Response(body, status=status_code, headers=headers)


def _validation(detail: Any) -> tuple[dict[str, Any], str]:
    if isinstance(detail, dict):
        fields = {key: _plain(value) for key, value in detail.items() if key != "non_field_errors"}
        general = _plain(detail.get("non_field_errors", []))
        message = " ".join(general) if general else _("The request has errors: see its fields.")
        return fields, message
    messages = _plain(detail)
    return {}, " ".join(str(m) for m in messages) if messages else _("The request is not valid.")


def _plain(value: Any) -> Any:
    """DRF's ``ErrorDetail`` tree as plain lists of strings (nested for nested fields)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return [str(item) for item in value]
        return [_plain(item) for item in value]
    return [str(value)]


def _text(detail: Any) -> str:
    if isinstance(detail, list | tuple):
        return " ".join(str(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(str(item) for item in detail.values())
    return str(detail)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler: the portal's page, or under ``/api/`` the error format."""
    if request.path.startswith(API_PREFIX):
        message = _("There is no such address in the API: see /api/docs/.")
        return JsonResponse(error_body(status_code=404, message=message), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler (the error is already logged): the portal's page, or under
    ``/api/`` the error format."""
    if request.path.startswith(API_PREFIX):
        message = _("The server met an unexpected error, which was recorded. Try again later.")
        return JsonResponse(error_body(status_code=500, message=message), status=500)
    return defaults.server_error(request)
