"""A project with a bit of every kind of work, and a snapshot of it that holds no database
id: what the archive and trash tests compare before and after."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from annotations.models import (
    Annotation,
    AnnotationEvent,
    Comment,
    CommentTarget,
    Document,
    ExportEntry,
    ExportJob,
    ExportStatus,
    Project,
    Role,
)
from annotations.services.conversation import Target, comment_create
from tests.conftest import api
from tests.factories import DocumentFactory

PER = {"id": "p1", "start": 0, "end": 16, "label": "PER"}
QUOTE = {
    "id": "q1",
    "start": 27,
    "end": 36,
    "label": "QUOTE",
    "attributes": {"quote_type": "direct", "sentiment": "neutral"},
}
SPEAKER = {"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"}


def _put(client, project, document, body, who="mine"):
    path = api(project.pk, f"documents/{document.pk}/annotations/{who}/")
    response = client.put(path, body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def busy_project(cast) -> list[Document]:
    """Two annotators, three versions of one annotation, gold, an assignment, a comment
    thread with a reply, a finished and a running export, an astral-plane character before
    the spans (offsets are code points)."""
    text = "Jens Stoltenberg berkata: “Kami siap,” kata dia 🇮🇩 di Brussel."
    docs = [DocumentFactory(project=cast.project, text=text, external_id=f"a{i}") for i in range(3)]
    alice, bob = cast.client("annotator"), cast.client("teammate")
    first = _put(alice, cast.project, docs[0], {"version": 0, "spans": [PER], "relations": []})
    second = _put(
        alice,
        cast.project,
        docs[0],
        {"version": first["version"], "spans": [PER, QUOTE], "relations": [SPEAKER]},
    )
    _put(
        alice,
        cast.project,
        docs[0],
        {
            "version": second["version"],
            "spans": [PER, QUOTE],
            "relations": [SPEAKER],
            "document_labels": {"sentiment": "negative"},
            "status": "submitted",
        },
    )
    _put(bob, cast.project, docs[0], {"version": 0, "spans": [PER], "status": "submitted"})
    gold = api(cast.project.pk, f"documents/{docs[0].pk}/gold/")
    response = cast.client("reviewer").put(
        gold, {"version": 0, "spans": [PER, QUOTE], "relations": [SPEAKER]}, format="json"
    )
    assert response.status_code == 200, response.content
    root = comment_create(
        document=docs[0],
        author=cast.annotator,
        role=Role.ANNOTATOR,
        text="Apakah ini kutipan?",
        target=Target(CommentTarget.DOCUMENT),
    )
    comment_create(
        document=docs[0],
        author=cast.reviewer,
        role=Role.REVIEWER,
        text="Ya, kutipan langsung.",
        target=Target(CommentTarget.DOCUMENT),
        reply_to=root,
    )
    done = ExportJob.objects.create(
        project=cast.project, format="jsonl", status=ExportStatus.SUCCEEDED, documents=[docs[0].pk]
    )
    running = ExportJob.objects.create(
        project=cast.project, format="conll", status=ExportStatus.RUNNING
    )
    # Each export's manifest rows: the running one's must not follow it into an archive.
    for job in (done, running):
        ExportEntry.objects.create(
            export=job, attempt=1, external_id="a0", digest="0" * 40, content={"spans": []}
        )
    return docs


def snapshot(project: Project) -> dict:
    """What a person could tell apart in the project, with no database id in it."""
    labels = {label.pk: label.name for label in project.labels.all()}
    users = {u.pk: u.username for u in get_user_model().objects.all()}
    documents = {}
    for doc in Document.objects.filter(project=project).order_by("external_id"):
        annotations = []
        for a in Annotation.objects.filter(document=doc).order_by("is_gold", "annotator__username"):
            spans = {s.pk: s.client_id for s in a.spans.all()}
            annotations.append(
                {
                    "annotator": users.get(a.annotator_id),
                    "gold": a.is_gold,
                    "status": a.status,
                    "version": a.version,
                    "labels": a.document_labels,
                    "created_at": a.created_at,
                    "updated_at": a.updated_at,
                    "spans": sorted(
                        (s.client_id, s.start, s.end, labels[s.label_id], s.attributes)
                        for s in a.spans.all()
                    ),
                    "relations": sorted(
                        (r.client_id, spans[r.source_id], spans[r.target_id], labels[r.label_id])
                        for r in a.relations.all()
                    ),
                    "history": [
                        (e.version, e.action, e.changes, users.get(e.actor_id), e.created_at)
                        for e in AnnotationEvent.objects.filter(annotation=a).order_by("pk")
                    ],
                }
            )
        comments = [
            (c.text, users.get(c.author_id), c.thread.text if c.thread else None, c.created_at)
            for c in Comment.objects.filter(document=doc).order_by("pk")
        ]
        documents[doc.external_id] = {
            "text": doc.text,
            "title": doc.title,
            "state": doc.state,
            "submitted": doc.submitted_count,
            "annotations": annotations,
            "comments": comments,
            "assigned": sorted(users[a.annotator_id] for a in doc.assignments.all()),
        }
    return {
        "project": {f: getattr(project, f) for f in ("name", "language", "guidelines")},
        "members": sorted((users[m.user_id], m.role) for m in project.memberships.all()),
        "labels": sorted(
            (la.kind, la.name, la.color, la.hotkey, la.attributes, la.position)
            for la in project.labels.all()
        ),
        "documents": documents,
        "exports": sorted(
            (j.format, j.status, len(j.documents or [])) for j in project.export_jobs.all()
        ),
    }
