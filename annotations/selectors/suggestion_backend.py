"""What the model backend source needs to know of a project (`SuggesterProject.options`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from annotations.models import Label, Project, SuggestionBackend
from annotations.validation import LabelSet

BACKEND_URL = "backend_url"
BACKEND_PROJECT = "backend_project"
BACKEND_LABELS = "backend_labels"


def backend_options(project: Project, labels: Iterable[Label]) -> dict[str, Any]:
    """The project's enabled backend and its label schema, or nothing. One query."""
    url = (
        SuggestionBackend.objects.filter(project=project, enabled=True)
        .values_list("url", flat=True)
        .first()
    )
    if not url:
        return {}
    return {
        BACKEND_URL: url,
        BACKEND_PROJECT: project.pk,
        BACKEND_LABELS: LabelSet.from_rows(labels),
    }
