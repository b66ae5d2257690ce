"""A project's HTTP model backend: saving its URL, asking it about one document, and keeping
how its calls went for the admin (DECISIONS.md 34).

The backend is one source of the suggester registry (`BACKEND`, registered when the app
loads): it applies to projects with an enabled backend and runs inside the suggestion task,
never in a request. A failure raises `BackendFailure` with a reason for the admin, which
the task stores on the document's suggestion row (failed) and `suggestion_backend_record`
on the project's backend record; the other sources' suggestions and annotation go on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotations.errors import Invalid
from annotations.models import BackendStatus, Document, Project, SuggestionBackend
from annotations.selectors.suggestion_backend import BACKEND_LABELS, BACKEND_PROJECT, BACKEND_URL
from annotations.suggesting.backend import (
    SOURCE,
    BackendFailure,
    BackendSuggestions,
    DocumentToSuggest,
    backend_request,
    read_answer,
)
from annotations.suggesting.backend_http import AddressPolicy, post_json, url_problem
from annotations.suggesting.registry import (
    Payload,
    SuggesterProject,
    SuggesterSpec,
    SuggestionInput,
    register,
)
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
    *, url: str, document: DocumentToSuggest, labels: LabelSet
) -> BackendSuggestions:
    """Ask the backend about one document; its checked answer, or BackendFailure."""
    answer = post_json(
        url,
        backend_request(document, labels),
        policy=address_policy(),
        timeout=settings.SUGGESTION_BACKEND_TIMEOUT_SECONDS,
        max_bytes=settings.SUGGESTION_BACKEND_MAX_BYTES,
    )
    return read_answer(answer, labels, len(document.text))


# --- The backend as one source of the suggester registry ------------------------------------


def _applies(project: SuggesterProject) -> bool:
    return bool(project.options.get(BACKEND_URL))


def _compute(given: SuggestionInput) -> Payload:
    """One document through the backend, the call counted for the admin; a failure is
    raised on (the task stores its reason on the document's row, as failed)."""
    options = given.project.options
    external_id, title = Document.objects.values_list("external_id", "title").get(
        pk=given.document_id
    )
    document = DocumentToSuggest(
        given.document_id, external_id, title, given.text, given.project.language
    )
    try:
        found = backend_suggest(
            url=options[BACKEND_URL], document=document, labels=options[BACKEND_LABELS]
        )
    except BackendFailure as failure:
        suggestion_backend_record(project_id=options[BACKEND_PROJECT], failure=failure)
        raise
    suggestion_backend_record(project_id=options[BACKEND_PROJECT], failure=None)
    return {
        "spans": found.spans,
        "relations": found.relations,
        "document_labels": found.labels_by_group(),
    }


BACKEND = register(
    SuggesterSpec(
        name=SOURCE,
        title="The project's model backend (HTTP)",
        applies=_applies,
        compute=_compute,
    )
)
