"""Who may do what. Checked before any service runs ("may this happen?").

A non-member gets 404 for a project's objects (its existence is not leaked);
a member whose role is too low gets 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Subquery
from django.http import Http404
from rest_framework.exceptions import PermissionDenied

from annotations.models import Membership, Project, Role

RANK = {Role.ANNOTATOR: 1, Role.REVIEWER: 2, Role.ADMIN: 3}


def project_for(user: AbstractBaseUser | AnonymousUser, project_id: int) -> tuple[Project, str]:
    """The project and the caller's role in one query, or 404 for non-members."""
    project = None
    if user.is_authenticated:
        role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
        project = Project.objects.annotate(role=Subquery(role)).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    if getattr(user, "is_superuser", False):
        return project, Role.ADMIN
    if project.role is None:  # type: ignore[attr-defined]
        raise Http404("No such project.")
    return project, project.role  # type: ignore[attr-defined]


def require_role(role: str, needed: str, action: str) -> None:
    if RANK[Role(role)] < RANK[Role(needed)]:
        raise PermissionDenied(f"Only a project {needed} (or higher) may {action}.")


def sees_all_annotations(project: Project, role: str) -> bool:
    """Reviewers and admins see everyone's work; annotators only if the project allows it."""
    return RANK[Role(role)] >= RANK[Role.REVIEWER] or project.annotators_see_each_other
