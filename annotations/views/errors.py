"""The API's one error body, made in one place (DECISIONS.md 12)::

    {"detail": "one sentence: what is wrong and where", "code": "invalid",
     "errors": {"spans.3.end": ["past the end of the text (812 code points)"]},
     "current_version": 7}

`detail`, `code` and `errors` are always present; `current_version` only with
`version_conflict`. Our own errors (`annotations.errors`), DRF's and Django's all come out in
this shape, so a client needs one parser. Nothing a client sends reaches a 500.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from annotations.errors import NON_FIELD, DomainError, Invalid, first_problem, flat_errors
from annotations.parsers import FieldParseError

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait when the database is out (a restart takes a few).
OUTAGE_RETRY_AFTER = 5

# Our errors' codes and the HTTP status each is answered with.
STATUS = {
    "invalid": status.HTTP_400_BAD_REQUEST,
    "import_failed": status.HTTP_400_BAD_REQUEST,
    "version_conflict": status.HTTP_409_CONFLICT,
    "conflict": status.HTTP_409_CONFLICT,
    "confirm_required": status.HTTP_409_CONFLICT,
    "archive_refused": status.HTTP_400_BAD_REQUEST,
    "not_found": status.HTTP_404_NOT_FOUND,
    "payload_too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    "unavailable": status.HTTP_503_SERVICE_UNAVAILABLE,
}

# DRF's exceptions by code; anything else is named by its status.
DRF_CODES: tuple[tuple[type[exceptions.APIException], str], ...] = (
    (exceptions.ParseError, "parse_error"),
    (exceptions.ValidationError, "invalid"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
)
BY_STATUS = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    503: "unavailable",
}


CODES = sorted({*STATUS, *(name for _, name in DRF_CODES), *BY_STATUS.values(), "server_error"})


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx and 5xx answer (the OpenAPI component `Error`)."""

    detail = serializers.CharField(help_text="What is wrong and where: the first problem.")
    code = serializers.ChoiceField(choices=CODES, help_text="What kind of error, for programs.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by dotted path into the request body (`spans.3.end`, `ops.0`, "
        "`lines.3.text` for a file's line 3, `non_field_errors` for the body as a whole); "
        "may be empty.",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="Only with `version_conflict`: the version now stored."
    )
    would_delete = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Only with `confirm_required` (a DELETE without `?confirm=true`): what the "
        "delete would take away (`documents`, `annotations`, `spans`). Send it again with "
        "`?confirm=true` to delete; the work stays restorable from the trash for "
        "`TRASH_RETENTION_DAYS`.",
    )


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents its error answers with the one `Error` body: 400, 403, 404
    and 503 (the database out) everywhere; 409 (a conflict with the current state) on
    writes; 413 and 415 where there is a body; and any the view declares (429)."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses  # a callback: what the other side answers, not our errors
        codes = {"400", "403", "404", "503"} | {code for code in responses if code >= "400"}
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.add("409")
        if self.method in ("POST", "PUT", "PATCH"):
            codes |= {"413", "415"}
        for code in sorted(codes):
            responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses

    def _get_serializer_name(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        if direction == "request" and getattr(serializer, "one_schema_name", False):
            # Shapes of calls the server makes (a callback) read one way: no "…Request" twin.
            return name.removesuffix("Request")
        return name


def error_body(
    detail: str, code: str, errors: dict[str, list[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"detail": detail, "code": code, "errors": errors or {}, **extra}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error a view raises, as the one body."""
    if is_outage(exc):
        set_rollback()
        logger.error("Database unavailable: %s", exc, exc_info=exc)
        body = error_body(_outage_detail(), "unavailable")
        return Response(body, status=503, headers={"Retry-After": str(OUTAGE_RETRY_AFTER)})
    if isinstance(exc, DomainError):
        set_rollback()
        body = error_body(exc.detail, exc.code, exc.errors, **exc.body())
        return Response(body, status=STATUS[exc.code])
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)  # status, headers (Retry-After, …), rollback
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    response.data = _drf_body(exc, response.status_code)
    return response


def _as_drf(exc: Exception) -> Exception:
    """Django's own exceptions as the DRF ones with the same meaning."""
    if isinstance(exc, RequestDataTooBig):
        too_large = exceptions.APIException(str(exc))
        too_large.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        return too_large
    if isinstance(exc, DjangoValidationError):
        problems = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return serializers.ValidationError(problems)
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def _drf_body(exc: exceptions.APIException, status_code: int) -> dict[str, Any]:
    code = next((name for kind, name in DRF_CODES if isinstance(exc, kind)), None)
    code = code or BY_STATUS.get(status_code, "invalid" if status_code < 500 else "unavailable")
    if isinstance(exc, exceptions.ValidationError):
        invalid = Invalid(exc.detail)
        return error_body(invalid.detail, code, invalid.errors)
    if isinstance(exc, FieldParseError):
        return error_body(str(exc.detail), code, {exc.path: [exc.message]})
    detail = exc.detail
    if isinstance(detail, dict | list):
        errors = flat_errors(detail)
        return error_body(first_problem(errors), code, errors)
    return error_body(str(detail), code)


def not_found(request: HttpRequest, exception: Exception | None = None) -> Any:
    """`handler404`: an unknown path under /api/ answers the error body, not an HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(f"No API endpoint at {request.path}.", "not_found"), status=404
        )
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)  # type: ignore[arg-type]


def is_outage(exc: BaseException | None) -> bool:
    """The database refused or lost the connection (or gave up on a lock, or is locked, on
    SQLite): the request may succeed when retried, so it is a 503, not a bug's 500."""
    return isinstance(exc, OperationalError | InterfaceError)


def _outage_detail() -> str:
    return _("The database is unavailable for a moment. Nothing was saved; try again shortly.")


def server_error(request: HttpRequest) -> Any:
    """`handler500`: a bug under /api/ still answers the one shape (and is logged). A
    database outage met outside a DRF view (the session or user lookup in a middleware, a
    page's login check) answers a 503 with Retry-After instead, JSON under /api/."""
    if is_outage(sys.exc_info()[1]):
        return _outage_response(request)
    if request.path.startswith("/api/"):
        body = error_body("Something went wrong on the server; it has been logged.", "server_error")
        return JsonResponse(body, status=500)
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request)


def _outage_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body(_outage_detail(), "unavailable"), status=503)
    else:
        # Like Django's server_error: no request context, since making one could need the
        # database (the session, the user) that is out.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
    return response
