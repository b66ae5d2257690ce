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
    models.UserPreferences,
    models.ApiToken,
    models.AnnotatorTally,
    models.LabelTally,
    models.DocumentLabelCount,
    models.SubmissionTally,
    models.AgreementTally,
    models.Comment,
    models.DocumentFlag,
    models.Notice,
    models.Invitation,
    models.AccountOrigin,
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


def _staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_annotated_text_is_read_only_in_the_admin(cast, document):
    """Once a span refers to a document's offsets, the admin shows its text but cannot
    change it; before that, it can."""
    client = _staff_client()
    url = reverse("admin:annotations_document_change", args=[document.pk])
    form = {"project": cast.project.pk, "title": "t", "external_id": document.external_id}
    form["meta"] = "{}"
    response = client.post(url, {**form, "text": "Fresh text."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.text, document.length) == ("Fresh text.", 11)
    annotate_one_span(cast, document)
    assert 'name="text"' not in client.get(url).content.decode()
    assert client.post(url, {**form, "text": "Other."}).status_code == 302
    document.refresh_from_db()
    assert document.text == "Fresh text."


def annotate_one_span(cast, document) -> None:
    from annotations.services.annotating import annotation_replace

    annotation_replace(
        document=document,
        annotator=cast.teammate,
        actor=cast.teammate,
        data={"spans": [{"id": "s1", "start": 0, "end": 5, "label": "PER"}]},
        expected_version=0,
    )


def test_an_annotation_edited_in_the_admin_gets_a_version_and_a_history_event(cast, document):
    """Changing status or document labels in the admin goes through the service: version
    + 1, an `admin` event with before and after; invalid labels are refused on the form."""
    annotate_one_span(cast, document)
    annotation = models.Annotation.objects.get(document=document, annotator=cast.teammate)
    client = _staff_client()
    url = reverse("admin:annotations_annotation_change", args=[annotation.pk])
    bad = client.post(url, {"status": "submitted", "document_labels": '{"sentiment": "furious"}'})
    assert bad.status_code == 200 and "not one of" in bad.content.decode()
    good = {"status": "submitted", "document_labels": '{"sentiment": "negative"}'}
    assert client.post(url, good).status_code == 302
    annotation.refresh_from_db()
    assert (annotation.version, annotation.status) == (2, "submitted")
    assert annotation.document_labels == {"sentiment": "negative"}
    event = annotation.events.get(version=2)
    assert event.action == "admin" and event.actor.username == "root"
    assert event.changes["status"] == {"before": "draft", "after": "submitted"}
    assert event.changes["document_labels"] == {"before": {}, "after": {"sentiment": "negative"}}
    assert not admin.site._registry[models.Annotation].has_add_permission(None)


def test_tokens_are_seen_and_revoked_but_never_shown_in_the_admin(cast):
    """A token's page shows its owner, name and prefix, never the digest; delete revokes."""
    from annotations.services.tokens import token_create

    token, key = token_create(user=cast.annotator, name="laptop")
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:annotations_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert key[:8] in html and token.digest not in html and key not in html
    delete = reverse("admin:annotations_apitoken_delete", args=[token.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not models.ApiToken.objects.exists()
