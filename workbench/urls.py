from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotations.ui_views import admin_login

urlpatterns = [
    # The admin's login form counts attempts with the workbench's (and gives way to the
    # single sign-on button when PASSWORD_LOGIN is off).
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script as a file of its own (the Content-Security-Policy
    # allows no inline script) and without drf-spectacular's inline style.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="annotations/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("api/", include("annotations.urls")),
    # The browser UI: the login page and the single-page app.
    path("", include("annotations.ui_urls")),
]

# Unknown paths and server errors under /api/ answer the API's error body too.
handler404 = "annotations.views.errors.not_found"
handler500 = "annotations.views.errors.server_error"
