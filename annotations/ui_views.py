"""The browser UI: the login page and the single-page app shell.

The app is built by Vite into frontend/dist with fixed names (assets/app.js,
assets/app.css) so the shell references them with {% static %}; every SPA
route renders the same shell and the client router picks the screen.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from annotations import sso
from annotations.errors import Invalid
from annotations.language import SUPPORTED
from annotations.models import Document
from annotations.permissions import project_for
from annotations.selectors.people import invitation_open
from annotations.services.people import invitation_accept as accept
from annotations.services.preferences import preferences_update
from annotations.throttling import login_throttled


@method_decorator(login_throttled, name="dispatch")
class WorkbenchLoginView(LoginView):
    """The password form and, with single sign-on, the provider's button; with
    PASSWORD_LOGIN off, the button alone (and a posted password is refused)."""

    template_name = "annotations/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_LOGIN:
            context = self.get_context_data(sso_failure=sso.password_login_off())
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["password_login"] = settings.PASSWORD_LOGIN
        context["sso_enabled"] = sso.sso_enabled()
        context["sso_provider"] = settings.OIDC_PROVIDER_NAME
        if "sso_failure" not in context and self.request.GET.get("sso") == "failed":
            context["sso_failure"] = self.request.session.pop(sso.FAILURE_KEY, None) or (
                _("Signing in with %(provider)s did not succeed. Try again.")
                % {"provider": settings.OIDC_PROVIDER_NAME}
            )
        return context


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation; only a POST (with CSRF) logs out, and someone who signed
    in with the provider goes on to its end-session page, which comes back to the login."""
    if request.method == "POST":
        provider_logout = sso.provider_logout_url(request)
        logout(request)
        return redirect(provider_logout or "ui-login")
    return sso.allow_provider_logout(render(request, "annotations/logout.html"))


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own login form (throttled with ours), or, with PASSWORD_LOGIN off, our
    login page, whose provider button brings the admin back."""
    if not settings.PASSWORD_LOGIN:
        next_url = request.GET.get("next", "/admin/")
        return redirect(f"{reverse('ui-login')}?{urlencode({'next': next_url})}")
    return login_throttled(admin.site.login)(request)


@login_required
@ensure_csrf_cookie
def app_shell(request: HttpRequest, **_route: object) -> HttpResponse:
    # The header's logout form may lead on to the provider's end-session page.
    return sso.allow_provider_logout(render(request, "annotations/app.html"))


@login_required
def document_by_external_id(request: HttpRequest, pk: int) -> HttpResponse:
    """A document's review page by its external id (`?id=`), as an export's diff names
    documents: a redirect to the page, or the app's not-found page for a non-member or a
    document that no longer exists."""
    try:
        project, _role = project_for(request.user, pk)
    except Http404:
        return app_shell(request)
    found = (
        Document.objects.filter(project=project, external_id=request.GET.get("id", ""))
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        return app_shell(request)
    return redirect(f"/projects/{pk}/documents/{found}/review/")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The header's switcher on server-rendered pages: Django's `set_language` (a cookie and
    a redirect back), also saved on a logged-in user's preferences."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in SUPPORTED:
        preferences_update(user=request.user, language=language)  # type: ignore[arg-type]
    return set_language(request)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: its holder sets a password (once, before it expires), is logged
    in and lands on the project. A used, expired or unknown link gets the same answer."""
    invitation = invitation_open(token)
    errors: dict[str, list[str]] = {}
    if invitation is not None and request.method == "POST":
        password = request.POST.get("password", "")
        if password != request.POST.get("password2", ""):
            errors["password2"] = [_("The two passwords differ.")]
        else:
            try:
                if not settings.PASSWORD_LOGIN:
                    raise Invalid({"password": [sso.password_login_off()]})
                invitation = accept(token=token, password=password)
            except Invalid as error:
                errors = error.errors
            else:
                login(request, invitation.user, backend=sso.PASSWORD_BACKEND)
                return redirect(f"/projects/{invitation.project_id}/")
    if "non_field_errors" in errors:
        invitation = None  # spent by a simultaneous submission
    status = 200 if invitation is not None else 404
    context = {"invitation": invitation, "errors": errors}
    return render(request, "annotations/invitation.html", context, status=status)
