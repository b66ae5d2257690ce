"""Routes of the browser UI. The SPA owns everything under /projects/."""

from django.urls import path, re_path

from annotations import sso, ui_views

urlpatterns = [
    path("login/", ui_views.WorkbenchLoginView.as_view(), name="ui-login"),
    path("logout/", ui_views.logout_view, name="ui-logout"),
    # Single sign-on (annotations/sso.py): off to the provider, and back with a code.
    path("sso/start/", sso.SsoStart.as_view(), name="sso-start"),
    path("sso/callback/", sso.SsoCallback.as_view(), name="sso-callback"),
    path("language/", ui_views.language_set, name="ui-language"),
    path("invitation/<str:token>/", ui_views.invitation_accept, name="ui-invitation"),
    path("", ui_views.app_shell, name="ui-home"),
    path("account/", ui_views.app_shell, name="ui-account"),
    path("trash/", ui_views.app_shell, name="ui-trash"),
    path("projects/<int:pk>/", ui_views.app_shell, name="ui-project"),
    path(
        "projects/<int:pk>/documents/<int:doc_id>/",
        ui_views.app_shell,
        name="ui-document",
    ),
    path(
        "projects/<int:pk>/documents/by-external-id/",
        ui_views.document_by_external_id,
        name="ui-document-by-external-id",
    ),
    # Review, exports and later screens: the client router decides.
    re_path(r"^projects/(?P<pk>\d+)/.+$", ui_views.app_shell, name="ui-project-any"),
]
