"""The Django admin: every model is registered and its pages open for a superuser."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from annotations import models
from tests.factories import UserFactory

MODELS = [
    models.Project,
    models.Membership,
    models.Label,
    models.Document,
    models.Annotation,
    models.AnnotationEvent,
    models.Assignment,
    models.ExportJob,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_lists_and_searches_every_model(cast, document, model):
    """Each model's changelist opens, with its search and filters, for a superuser."""
    assert admin.site.is_registered(model)
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse(f"admin:annotations_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "x"}).status_code == 200


def test_history_is_read_only_in_the_admin(cast):
    """Audit events cannot be added, changed or deleted through the admin."""
    request = type("Request", (), {"user": cast.admin})()
    event_admin = admin.site._registry[models.AnnotationEvent]
    assert not event_admin.has_add_permission(request)
    assert not event_admin.has_change_permission(request)
    assert not event_admin.has_delete_permission(request)


def test_non_staff_cannot_open_the_admin(cast):
    """Project admins are not Django staff: the admin redirects them to log in."""
    client = Client()
    client.force_login(cast.admin)
    response = client.get(reverse("admin:annotations_project_changelist"))
    assert response.status_code == 302
