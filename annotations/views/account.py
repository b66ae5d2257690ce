"""The caller's own account: API tokens (list, make, revoke) and the password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.models import ApiToken
from annotations.selectors.tokens import tokens_of
from annotations.services import tokens
from annotations.sso import password_login_off
from annotations.throttling import LoginThrottled, login_wait
from annotations.views.errors import ErrorSerializer


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(
        help_text="True for the token this request was authenticated with."
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "current"]
        read_only_fields = fields
        extra_kwargs = {"prefix": {"help_text": "The key's first 8 characters."}}

    def get_current(self, token: ApiToken) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, ApiToken) and auth.pk == token.pk


class TokenNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True, default="")


class NewTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="The key: shown this once, never again.")

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]


class TokenList(APIView):
    """My API tokens (never their keys); POST makes one and shows its key once."""

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        found = tokens_of(request.user)  # type: ignore[arg-type]
        return Response(ApiTokenSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(request=TokenNameSerializer, responses={201: NewTokenSerializer})
    def post(self, request: Request) -> Response:
        data = TokenNameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = tokens.token_create(user=request.user, name=data.validated_data["name"])  # type: ignore[arg-type]
        token.token = key  # type: ignore[attr-defined]
        body = NewTokenSerializer(token, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetail(APIView):
    """Revoke one of my tokens (another user's is 404, as one that does not exist)."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        token = get_object_or_404(tokens_of(request.user), pk=token_id)  # type: ignore[arg-type]
        tokens.token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    new_password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class PasswordView(APIView):
    """Change my password: every API token is revoked and my other sessions end; this
    session (if the request came with one) stays logged in."""

    @extend_schema(request=PasswordChangeSerializer, responses={204: None, 429: ErrorSerializer})
    def post(self, request: Request) -> Response:
        if not settings.PASSWORD_LOGIN:
            raise exceptions.PermissionDenied(password_login_off())
        wait = login_wait(request)  # the current password is a guess like a login's
        if wait is not None:
            raise LoginThrottled(wait)
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        tokens.password_change(user=user, **data.validated_data)
        if request.auth is None:  # a session: keep it
            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("auth/tokens/", TokenList.as_view(), name="token-list"),
    path("auth/tokens/<int:token_id>/", TokenDetail.as_view(), name="token-detail"),
    path("me/password/", PasswordView.as_view(), name="password-change"),
]
