"""People: an admin looks accounts up while typing, creates accounts (a temporary password
or an invitation link, each shown once) and renews a lapsed link.

Who: the project's admins only; non-members get 404 (`ProjectScoped`). The page that
accepts an invitation is server-rendered (`ui_views.invitation_accept`).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.models import Role
from annotations.selectors import people as people_reads
from annotations.serializers import MembershipSerializer
from annotations.services import people
from annotations.views.core import ProjectScoped


class UserSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True, help_text="Role in this project; null: none")


class UserQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text="Part of a username, or an email's start; empty: no suggestions",
    )


class UserSearch(ProjectScoped, APIView):
    """Admins: up to ten accounts to add, among those the admin may know of (people who share
    a project with them, accounts they created) and exact username or email matches."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str)],
        responses=UserSuggestionSerializer(many=True),
    )
    def get(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "look up accounts")
        query = UserQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not query.validated_data["q"].strip():
            return Response([])
        found = people_reads.users_for_admin(
            viewer=request.user, project=self.project, q=query.validated_data["q"]
        )
        return Response(UserSuggestionSerializer(found, many=True).data)


class AccountRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.ANNOTATOR)
    method = serializers.ChoiceField(
        choices=people.METHODS,
        default="invitation",
        help_text="password: a temporary password; invitation: a link that sets one",
    )


class InvitationSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Shown once: only a hash of it is kept")
    expires_at = serializers.DateTimeField()


class AccountSerializer(serializers.Serializer):
    member = MembershipSerializer()
    temporary_password = serializers.CharField(allow_null=True, help_text="Shown once")
    invitation = InvitationSerializer(allow_null=True)


def _invitation(request: Request, token: str, expires_at) -> dict:
    return {
        "url": request.build_absolute_uri(reverse("ui-invitation", args=[token])),
        "expires_at": expires_at,
    }


class AccountCreate(ProjectScoped, APIView):
    """Admins: create an account and make it a member, with a temporary password or an
    invitation link (each in this answer only)."""

    @extend_schema(request=AccountRequestSerializer, responses={201: AccountSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "create accounts")
        data = AccountRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = people.account_create(
            project=self.project, creator=request.user, **data.validated_data
        )
        context = {"pending": people_reads.pending_invitations(self.project)}
        invitation = None
        if made.invitation_token:
            invitation = _invitation(request, made.invitation_token, made.expires_at)
        body = {
            "member": MembershipSerializer(made.membership, context=context).data,
            "temporary_password": made.password,
            "invitation": invitation,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class InvitationRenew(ProjectScoped, APIView):
    """Admins: a new invitation link for a member who has not set a password yet."""

    @extend_schema(request=None, responses={201: InvitationSerializer})
    def post(self, request: Request, project_id: int, pk: int) -> Response:
        self.require(Role.ADMIN, "send invitations")
        request.data  # noqa: B018 - no body is needed, but one is parsed (and junk refused)
        membership = get_object_or_404(self.project.memberships.select_related("user"), pk=pk)
        token, expires_at = people.invitation_renew(membership=membership, creator=request.user)
        return Response(_invitation(request, token, expires_at), status=status.HTTP_201_CREATED)


P = "projects/<int:project_id>/"

urlpatterns = [
    path(P + "users/", UserSearch.as_view(), name="user-search"),
    path(P + "accounts/", AccountCreate.as_view(), name="account-create"),
    path(P + "members/<int:pk>/invitation/", InvitationRenew.as_view(), name="member-invitation"),
]
