"""The browser UI: the login page and the single-page app shell.

The app is built by Vite into frontend/dist with fixed names (assets/app.js,
assets/app.css) so the shell references them with {% static %}; every SPA
route renders the same shell and the client router picks the screen.
"""

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

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
    template_name = "annotations/login.html"
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation; only a POST (with CSRF) logs out."""
    if request.method == "POST":
        logout(request)
        return redirect("ui-login")
    return render(request, "annotations/logout.html")


@login_required
@ensure_csrf_cookie
def app_shell(request: HttpRequest, **_route: object) -> HttpResponse:
    return render(request, "annotations/app.html")


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
                invitation = accept(token=token, password=password)
            except Invalid as error:
                errors = error.errors
            else:
                login(request, invitation.user)
                return redirect(f"/projects/{invitation.project_id}/")
    if "non_field_errors" in errors:
        invitation = None  # spent by a simultaneous submission
    status = 200 if invitation is not None else 404
    context = {"invitation": invitation, "errors": errors}
    return render(request, "annotations/invitation.html", context, status=status)
