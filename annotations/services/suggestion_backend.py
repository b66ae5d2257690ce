"""A project's HTTP model backend: saving its URL, asking it about one document, and keeping
how its calls went for the admin (DECISIONS.md 28).

`backend_suggest` runs inside the suggestion task, never in a request: it raises
`BackendFailure` with a reason for the admin, which the caller stores with the document's
suggestions (as failed) and here (`suggestion_backend_record`); annotation goes on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotations.errors import Invalid
from annotations.models import BackendStatus, Document, Project, SuggestionBackend
from annotations.suggesting.backend import (
    BackendFailure,
    BackendSuggestions,
    DocumentToSuggest,
    backend_request,
    read_answer,
)
from annotations.suggesting.backend_http import AddressPolicy, post_json, url_problem
from annotations.validation import LabelSet


def address_policy() -> AddressPolicy:
    return AddressPolicy.from_setting(settings.SUGGESTION_BACKEND_ALLOWED_NETWORKS)


@transaction.atomic
def suggestion_backend_save(
    *, project: Project, url: str, enabled: bool, by: AbstractBaseUser | None
) -> SuggestionBackend:
    """Set the project's backend; a new URL starts a fresh record of calls."""
    url = url.strip()
    if problem := url_problem(url, address_policy()):
        raise Invalid({"url": [problem]})
    backend = SuggestionBackend.objects.select_for_update().filter(project=project).first()
    if backend is None or backend.url != url:
        backend = SuggestionBackend(project=project)
    backend.url = url
    backend.enabled = enabled
    backend.updated_by = by  # type: ignore[assignment]
    backend.save()
    return backend


def suggestion_backend_delete(*, project: Project) -> None:
    SuggestionBackend.objects.filter(project=project).delete()


def suggestion_backend_record(*, project_id: int, failure: BackendFailure | None) -> None:
    """Count one call and keep its outcome (one UPDATE: concurrent tasks add up)."""
    now = timezone.now()
    changes: dict[str, object] = {"calls": F("calls") + 1, "checked_at": now}
    if failure is None:
        changes["status"] = BackendStatus.OK
    else:
        changes.update(
            status=BackendStatus.FAILED,
            error=failure.reason,
            failed_at=now,
            failures=F("failures") + 1,
        )
    SuggestionBackend.objects.filter(project_id=project_id).update(**changes)


def backend_suggest(
    *, backend: SuggestionBackend, document: Document, labels: LabelSet
) -> BackendSuggestions:
    """Ask the backend about one document; its checked answer, or BackendFailure."""
    project = backend.project
    body = backend_request(
        DocumentToSuggest(
            id=document.pk,
            external_id=document.external_id,
            title=document.title,
            text=document.text,
            language=project.language,
        ),
        labels,
    )
    answer = post_json(
        backend.url,
        body,
        policy=address_policy(),
        timeout=settings.SUGGESTION_BACKEND_TIMEOUT_SECONDS,
        max_bytes=settings.SUGGESTION_BACKEND_MAX_BYTES,
    )
    return read_answer(answer, labels, len(document.text))
