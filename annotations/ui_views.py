"""The browser UI: the login page and the single-page app shell.

The app is built by Vite into frontend/dist with fixed names (assets/app.js,
assets/app.css) so the shell references them with {% static %}; every SPA
route renders the same shell and the client router picks the screen.
"""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from annotations.language import SUPPORTED
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


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The header's switcher on server-rendered pages: Django's `set_language` (a cookie and
    a redirect back), also saved on a logged-in user's preferences."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in SUPPORTED:
        preferences_update(user=request.user, language=language)  # type: ignore[arg-type]
    return set_language(request)
