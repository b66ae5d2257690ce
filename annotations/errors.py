"""Domain errors and the API's exception handler.

Services raise these; the handler turns them (and Django's own) into 4xx
answers whose body says what is wrong and where. Nothing reaches a 500.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotations.validation import ContentError


class VersionConflict(Exception):
    """The client wrote against a version that is no longer current."""

    def __init__(self, current_version: int):
        super().__init__(current_version)
        self.current_version = current_version


class ImportFailed(Exception):
    """An import had bad records; nothing was stored. `errors` name line and field."""

    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__(errors)
        self.errors = errors


class Conflict(Exception):
    """A write that breaks a rule about the current state (e.g. editing annotated text)."""


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large."
    default_code = "payload_too_large"


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ContentError):
        return Response(exc.detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, VersionConflict):
        return Response(
            {
                "detail": "This annotation was changed since you read it. "
                "Reload it (or resend against the current version).",
                "current_version": exc.current_version,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ImportFailed):
        first = exc.errors[0]
        where = f"line {first['line']}" if first.get("line") else "input"
        field = f", field {first['field']!r}" if first.get("field") else ""
        return Response(
            {
                "detail": f"Nothing was imported: {where}{field}: {first['message']}",
                "errors": exc.errors,
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(str(exc))
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
