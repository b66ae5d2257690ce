"""Projects, labels, members, documents, tokens and the schema, through the HTTP API."""

import pytest
from rest_framework.test import APIClient

from annotations.models import Membership, Project, Role
from tests.conftest import api, error_body
from tests.factories import DocumentFactory, UserFactory


def test_token_then_token_auth_lists_my_projects(cast):
    """A username and password buy a token; the token lists the caller's projects only."""
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"username": "alice", "password": "pw-for-tests"}, format="json"
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    projects = client.get("/api/projects/").json()
    assert [p["name"] for p in projects["results"]] == ["Tribun"]
    assert projects["results"][0]["my_role"] == "annotator"


def test_wrong_password_gets_no_token(cast):
    """A wrong password is a 400 that says so, not a token."""
    response = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": "nope"}, format="json"
    )
    body = error_body(response, 400, "invalid")
    assert "Wrong username or password" in body["detail"]


def test_anonymous_gets_401_or_403_everywhere(cast):
    """Nothing but the token endpoint answers an anonymous caller."""
    client = cast.client(None)
    for path in ("/api/projects/", api(cast.project.pk), api(cast.project.pk, "documents/")):
        assert client.get(path).status_code in (401, 403)


def test_creating_a_project_with_the_news_preset(cast):
    """The creator becomes admin; the preset brings entities, QUOTE, CUE, SPEAKER and its CUE
    link, and sentiment."""
    client = cast.client("annotator")
    response = client.post(
        "/api/projects/", {"name": "Mine", "language": "en", "preset": "news"}, format="json"
    )
    assert response.status_code == 201, response.json()
    project_id = response.json()["id"]
    assert response.json()["my_role"] == "admin"
    labels = client.get(api(project_id, "labels/?page_size=100")).json()["results"]
    by_kind = {}
    for label in labels:
        by_kind.setdefault(label["kind"], []).append(label["name"])
    assert by_kind == {
        "span": ["PER", "ORG", "LOC", "EVENT", "MISC", "QUOTE", "CUE"],
        "relation": ["SPEAKER", "CUE"],
        "document": ["positive", "neutral", "negative"],
    }
    speaker = next(x for x in labels if x["name"] == "SPEAKER")
    assert (speaker["source_labels"], speaker["target_labels"]) == (["QUOTE"], ["PER", "ORG"])
    quote = next(x for x in labels if x["name"] == "QUOTE")
    assert quote["attributes"]["sentiment"] == ["positive", "neutral", "negative"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "language": "not a tag!"}, "language"),
        ({"name": "x", "preset": "medical"}, "preset"),
        ({"name": "x", "annotators_per_document": 0}, "annotators_per_document"),
        ({"name": "x", "merge_threshold": 1.5}, "merge_threshold"),
        ({"language": "en"}, "name"),
    ],
)
def test_bad_project_fields_are_refused(cast, body, field):
    """Each bad project field is named in the 400."""
    response = cast.client("annotator").post("/api/projects/", body, format="json")
    assert list(error_body(response, 400, "invalid")["errors"]) == [field]


def test_outsider_gets_404_for_another_projects_things(cast, document):
    """A non-member cannot tell the project exists."""
    client = cast.client("outsider")
    for suffix in ("", "labels/", "members/", "documents/", f"documents/{document.pk}/"):
        assert client.get(api(cast.project.pk, suffix)).status_code == 404


def test_only_admins_change_the_project_labels_and_members(cast):
    """Annotators and reviewers read the schema but cannot change it."""
    for who in ("annotator", "reviewer"):
        client = cast.client(who)
        assert client.patch(api(cast.project.pk), {"name": "x"}, format="json").status_code == 403
        label = {"kind": "span", "name": "DATE", "color": "#123456"}
        assert client.post(api(cast.project.pk, "labels/"), label, format="json").status_code == 403
        member = {"username": "oscar", "role": "annotator"}
        members = api(cast.project.pk, "members/")
        assert client.post(members, member, format="json").status_code == 403
    admin = cast.client("admin")
    assert admin.patch(api(cast.project.pk), {"name": "New"}, format="json").status_code == 200
    member = {"username": "oscar", "role": "reviewer"}
    assert admin.post(api(cast.project.pk, "members/"), member, format="json").status_code == 201
    assert Membership.objects.get(project=cast.project, user=cast.outsider).role == "reviewer"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ({"kind": "span", "name": "PER", "color": "#123456"}, "name"),
        ({"kind": "span", "name": "DATE", "color": "#123456", "hotkey": "p"}, "hotkey"),
        ({"kind": "span", "name": "DATE", "color": "red"}, "color"),
        ({"kind": "span", "name": "DATE", "attributes": {"tense": "past"}}, "attributes"),
        ({"kind": "relation", "name": "SAID", "source_labels": ["NOPE"]}, "source_labels"),
        ({"kind": "document", "name": "sport"}, "group"),
        ({"kind": "shape", "name": "x"}, "kind"),
    ],
)
def test_bad_labels_are_refused_with_the_field(cast, label, field):
    """Taken names and hotkeys, bad colours, attributes and restrictions are 400s."""
    response = cast.client("admin").post(api(cast.project.pk, "labels/"), label, format="json")
    assert list(error_body(response, 400, "invalid")["errors"]) == [field]


def test_a_label_in_use_cannot_be_deleted(cast, document):
    """Deleting a label that spans use would lose work: refused."""
    client = cast.client("admin")
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    span = {"id": "s1", "start": 0, "end": 4, "label": "PER"}
    client.put(mine, {"version": 0, "spans": [span]}, format="json")
    per = cast.project.labels.get(name="PER")
    response = client.delete(api(cast.project.pk, f"labels/{per.pk}/"))
    assert "in use" in error_body(response, 400, "invalid")["detail"]


def test_the_last_admin_cannot_be_removed(cast):
    """A project always keeps an admin."""
    membership = Membership.objects.get(project=cast.project, user=cast.admin)
    response = cast.client("admin").delete(api(cast.project.pk, f"members/{membership.pk}/"))
    assert response.status_code == 400


def test_document_list_is_paginated_without_text_and_filters_by_status(cast):
    """The list carries length and derived status, not the text; page_size is honoured."""
    for i in range(5):
        DocumentFactory(project=cast.project, text="ab" * (i + 1), length=2 * (i + 1))
    client = cast.client("annotator")
    page = client.get(api(cast.project.pk, "documents/?page_size=2")).json()
    assert page["count"] == 5
    assert len(page["results"]) == 2
    assert "text" not in page["results"][0]
    assert page["results"][0]["length"] == 2
    assert page["results"][0]["status"] == "new"
    first = page["results"][0]["id"]
    mine = api(cast.project.pk, f"documents/{first}/annotations/mine/")
    client.put(mine, {"version": 0, "status": "submitted"}, format="json")
    statuses = client.get(api(cast.project.pk, "documents/?status=annotated")).json()
    assert [d["id"] for d in statuses["results"]] == [first]
    assert statuses["results"][0]["my_status"] == "submitted"
    bad = client.get(api(cast.project.pk, "documents/?status=finished"))
    assert bad.status_code == 400


def test_list_endpoints_use_constant_queries(cast, django_assert_max_num_queries):
    """Projects and documents lists cost the same queries for 2 rows or 60."""
    client = cast.client("admin")
    for n in (2, 60):
        Project.objects.filter(name__startswith="extra").delete()
        cast.project.documents.all().delete()
        DocumentFactory.create_batch(n, project=cast.project)
        for i in range(n):
            Project.objects.create(name=f"extra{i}").memberships.create(
                user=cast.admin, role="admin"
            )
        # projects: count + page; documents: the project with the caller's role, count, the
        # page's ids, its rows (a page is picked by ids first, DECISIONS 41), and who worked on
        # the page (assignments, annotations)
        with django_assert_max_num_queries(2):
            assert client.get("/api/projects/?page_size=100").status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(api(cast.project.pk, "documents/?page_size=100")).status_code == 200


def test_text_is_immutable_once_annotated(cast, document):
    """Editing an annotated document's text would shift offsets: 409."""
    admin = cast.client("admin")
    path = api(cast.project.pk, f"documents/{document.pk}/")
    assert admin.patch(path, {"text": "Fresh text."}, format="json").status_code == 200
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    span = {"id": "s1", "start": 0, "end": 5, "label": "MISC"}
    admin.put(mine, {"version": 0, "spans": [span]}, format="json")
    response = admin.patch(path, {"text": "Other."}, format="json")
    assert "annotated" in error_body(response, 409, "conflict")["detail"]
    assert admin.patch(path, {"title": "Renamed"}, format="json").status_code == 200


def test_openapi_schema_documents_the_contract(cast):
    """The schema is served and names the annotation endpoints and their methods."""
    client = cast.client("annotator")
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    mine = paths["/api/projects/{project_id}/documents/{doc_id}/annotations/mine/"]
    assert {"get", "put", "patch"} <= set(mine)
    assert "/api/projects/{project_id}/documents/upload/" in paths
    assert "/api/auth/token/" in paths


def test_superuser_sees_every_project(cast):
    """Superusers administer everything."""
    root = UserFactory(username="root", is_superuser=True)
    client = APIClient()
    client.force_authenticate(root)
    names = {p["name"] for p in client.get("/api/projects/").json()["results"]}
    assert names == {"Tribun", "Elsewhere"}


def test_admin_deletes_a_project_with_its_work(cast, document, settings, tmp_path):
    """Deleting a project takes its documents, annotations and labels, once confirmed (the
    trash keeps it: tests/test_trash.py); others may not."""
    settings.MEDIA_ROOT = tmp_path
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    span = {"id": "s1", "start": 0, "end": 4, "label": "PER"}
    cast.client("annotator").put(mine, {"version": 0, "spans": [span]}, format="json")
    assert cast.client("reviewer").delete(api(cast.project.pk)).status_code == 403
    assert cast.client("outsider").delete(api(cast.project.pk)).status_code == 404
    assert cast.client("admin").delete(api(cast.project.pk)).status_code == 409
    assert cast.client("admin").delete(api(cast.project.pk) + "?confirm=true").status_code == 204
    assert not Project.objects.filter(pk=cast.project.pk).exists()


def test_the_last_admin_cannot_be_demoted_and_users_cannot_be_swapped(cast):
    """A role change keeps one admin; a membership's user never changes under it."""
    admin = cast.client("admin")
    membership = Membership.objects.get(project=cast.project, user=cast.admin)
    path = api(cast.project.pk, f"members/{membership.pk}/")
    response = admin.patch(path, {"role": "annotator"}, format="json")
    errors = error_body(response, 400, "invalid")["errors"]
    assert errors == {"role": ["a project keeps at least one admin"]}
    again = {"username": "adam", "role": "reviewer"}
    assert admin.post(api(cast.project.pk, "members/"), again, format="json").status_code == 400
    assert admin.patch(path, {"username": "alice"}, format="json").status_code == 400
    assert Membership.objects.get(pk=membership.pk).role == "admin"
    member = {"username": "rita", "role": "admin"}
    assert admin.post(api(cast.project.pk, "members/"), member, format="json").status_code == 201
    assert admin.patch(path, {"role": "annotator"}, format="json").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin():
    """Adam demotes Eve while Eve demotes Adam, ten times over, each pair at once: exactly
    one of each pair succeeds and the project always keeps an admin.

    Each thread has its own connection; a barrier starts the pair together. PostgreSQL
    only: SQLite's in-memory test database answers "table is locked" to concurrent writers.
    """
    import threading

    from django.db import connection, connections

    from annotations.errors import Invalid
    from annotations.services.projects import membership_update
    from tests.factories import add_member, make_project

    if connection.vendor != "postgresql":
        pytest.skip("needs a server database (DATABASE_URL=postgres://...)")
    adam, eve = UserFactory(username="adam"), UserFactory(username="eve")
    project = make_project(admin=adam)
    add_member(project, eve, Role.ADMIN)
    for _ in range(10):
        Membership.objects.filter(project=project).update(role=Role.ADMIN)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def demote(user, barrier=barrier, outcomes=outcomes) -> None:
            try:
                membership = Membership.objects.get(project=project, user=user)
                barrier.wait(timeout=10)
                membership_update(membership=membership, role=Role.REVIEWER)
                outcomes.append("demoted")
            except Invalid:
                outcomes.append("refused")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=demote, args=(user,)) for user in (adam, eve)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes) == ["demoted", "refused"]
        assert project.memberships.filter(role=Role.ADMIN).count() == 1
