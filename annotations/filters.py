"""Query-string filters (django-filter): the parse half of list views.

Each filter turns its parameter into a condition from the selectors; bad values are a 400
naming the parameter (`errors.state`, `errors.label`), never a 500 or an empty page.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend

from annotations.errors import Invalid
from annotations.models import DocumentState, Project, Role
from annotations.permissions import RANK
from annotations.selectors import conversation as conversation_reads
from annotations.selectors import documents as document_reads

STATES = DocumentState.values


class ProjectFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that also hands the filter set the view's project."""

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        return {**super().get_filterset_kwargs(request, queryset, view), "view": view}


class CommaList(django_filters.BaseCSVFilter, django_filters.CharFilter):
    """`a,b,c` (or the parameter repeated)."""


class YesNo(django_filters.TypedChoiceFilter):
    """`true` or `false`, and nothing else (a junk value is a 400, not "no filter")."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class SortFilter(django_filters.OrderingFilter):
    """`ordering=title` or `-agreement`; ties (and every page's order) by id, in the same
    direction, so the sort reads its (project, column, id) index either way."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        qs = super().filter(qs, value)
        if not value:
            return qs
        first = str(qs.query.order_by[0]) if qs.query.order_by else ""
        return qs.order_by(*qs.query.order_by, "-pk" if first.startswith("-") else "pk")


class DocumentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(s, s) for s in document_reads.LEGACY_STATUSES],
        method="by_status",
        help_text="new, in_progress, annotated (k ≥ n submitted), reviewed (has gold)",
    )
    my_status = django_filters.ChoiceFilter(
        choices=[(s, s) for s in ("none", "draft", "submitted", "skipped")],
        method="by_my_status",
        help_text="The caller's own annotation (none: not started)",
    )
    state = CommaList(
        method="by_state",
        help_text=f"One or more of {', '.join(STATES)}, comma-separated",
    )
    annotator = django_filters.CharFilter(
        method="by_annotator", help_text="Username: documents they were given or worked on"
    )
    annotator_status = django_filters.ChoiceFilter(
        choices=[(s, s) for s in document_reads.ANNOTATOR_STATUSES],
        method="no_op",
        help_text="With `annotator`: where they stand on it",
    )
    label = CommaList(
        method="by_label",
        help_text="Span label names, comma-separated: a submitted annotation has one",
    )
    disagreement = YesNo(
        field_name="disputed", help_text="Two or more submitted versions that differ"
    )
    compared = YesNo(
        method="by_compared", help_text="Has an agreement figure (two or more submitted versions)"
    )
    submitted_after = django_filters.DateFilter(
        method="no_op", help_text="A submission (the annotator's, if named) on or after"
    )
    submitted_before = django_filters.DateFilter(method="no_op", help_text="… on or before")
    last_submitted_after = django_filters.DateFilter(
        method="no_op", help_text="The latest submission on or after (agreement over time)"
    )
    last_submitted_before = django_filters.DateFilter(method="no_op", help_text="… on or before")
    flagged = YesNo(method="by_flagged", help_text="Flagged (true) or not (false)")
    q = django_filters.CharFilter(method="by_text", help_text="Words in the title or text")
    ordering = SortFilter(fields=[(name, name) for name in document_reads.SORTS])

    def __init__(self, *args: Any, view: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.project: Project | None = getattr(view, "project", None)
        self.viewer = getattr(getattr(view, "request", None), "user", None)
        # Annotators filter hidden gold checks by what they would be without their gold.
        role = getattr(view, "role", None)
        self.masks_checks = role is not None and RANK[Role(role)] < RANK[Role.REVIEWER]

    # The parameters that only mean something together are applied in `filter_queryset`.
    def no_op(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        assert self.project is not None
        return queryset.filter(
            document_reads.legacy_status(self.project, value, masks_checks=self.masks_checks)
        )

    def by_my_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "none":
            return queryset.filter(my_status__isnull=True)
        return queryset.filter(my_status=value)

    def by_state(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        unknown = sorted(set(value) - set(STATES))
        if unknown:
            raise Invalid(
                {
                    "state": [
                        _("unknown state %(states)s; use %(allowed)s")
                        % {"states": ", ".join(unknown), "allowed": ", ".join(STATES)}
                    ]
                }
            )
        return queryset.filter(document_reads.state_in(value, masks_checks=self.masks_checks))

    def by_annotator(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # with its status, in filter_queryset

    def by_label(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        assert self.project is not None
        wanted = {v.strip() for v in value if v.strip()}
        ids = dict(
            self.project.labels.filter(kind="span", name__in=wanted).values_list("name", "pk")
        )
        unknown = sorted(wanted - ids.keys())
        if unknown:
            raise Invalid(
                {"label": [_("no span label %(names)s here") % {"names": ", ".join(unknown)}]}
            )
        return queryset.filter(document_reads.with_labels(ids.values()))

    def by_compared(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(agreement__isnull=not value)

    def by_flagged(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(conversation_reads.flagged(value))

    def by_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return document_reads.text_search(queryset, value)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        annotator = self._annotator(data.get("annotator"))
        if data.get("annotator_status") and annotator is None:
            raise Invalid({"annotator_status": [_("needs an annotator")]})
        if annotator is not None:
            queryset = queryset.filter(
                document_reads.annotator_status(
                    self.project, annotator, data.get("annotator_status") or None
                )
            )
        after, before = data.get("submitted_after"), data.get("submitted_before")
        if after or before:
            queryset = queryset.filter(
                document_reads.submitted_between(self.project, after, before, annotator)
            )
        after, before = data.get("last_submitted_after"), data.get("last_submitted_before")
        if after or before:
            queryset = queryset.filter(document_reads.last_submitted_between(after, before))
        return queryset

    def _annotator(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise Invalid({"annotator": [_("nobody is called “%(name)s”") % {"name": username}]})
        return user
