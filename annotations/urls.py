"""The public API paths. Scripts rely on these exact paths: change none."""

from django.urls import path

from annotations.views import (
    account,
    conversation,
    exports,
    formats,
    people,
    quality,
    suggestion_backend,
    suggestion_quality,
    suggestions,
    team,
    trash,
    uploads,
    workflow,
)
from annotations.views import core as views

P = "projects/<int:project_id>/"
D = P + "documents/<int:doc_id>/"

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("projects/", views.ProjectList.as_view(), name="project-list"),
    path(P, views.ProjectDetail.as_view(), name="project-detail"),
    path(P + "labels/", views.LabelList.as_view(), name="label-list"),
    path(P + "labels/<int:pk>/", views.LabelDetail.as_view(), name="label-detail"),
    path(P + "labels/order/", views.LabelOrder.as_view(), name="label-order"),
    path(P + "members/", views.MemberList.as_view(), name="member-list"),
    path(P + "members/<int:pk>/", views.MemberDetail.as_view(), name="member-detail"),
    path(P + "documents/", views.DocumentList.as_view(), name="document-list"),
    path(P + "documents/upload/", views.DocumentUpload.as_view(), name="document-upload"),
    path(D, views.DocumentDetail.as_view(), name="document-detail"),
    path(D + "annotations/", views.DocumentAnnotations.as_view(), name="document-annotations"),
    path(D + "annotations/mine/", views.MyAnnotation.as_view(), name="my-annotation"),
]

# Feature areas keep their routes beside their views.
urlpatterns += (
    account.urlpatterns
    + workflow.urlpatterns
    + exports.urlpatterns
    + formats.urlpatterns
    + team.urlpatterns
    + suggestions.urlpatterns
    + conversation.urlpatterns
    + suggestion_backend.urlpatterns
    + suggestion_quality.urlpatterns
    + people.urlpatterns
    + trash.urlpatterns
    + quality.urlpatterns
    + uploads.urlpatterns
)
