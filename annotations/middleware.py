"""Request guards that apply before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from annotations.parsers import NUL_MESSAGE, nul_field
from annotations.views.errors import error_body


class RefuseNulInQuery:
    """A query parameter holding NUL gets a 400 naming it: PostgreSQL cannot compare text
    with NUL, so a filter on it (`?annotator=a%00b`) would otherwise end in a 500. Bodies
    are checked where they are parsed (`annotations.parsers`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = nul_field((name, value) for name, values in request.GET.lists() for value in values)
        if field is None:
            return self.get_response(request)
        message = f"query parameter {field} {NUL_MESSAGE}"
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(message, "invalid", {field: [NUL_MESSAGE]}), status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
