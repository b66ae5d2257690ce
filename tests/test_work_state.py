"""The derived state (documents' state columns, label counts, member and label tallies) that
every writer keeps as it goes equals a recount from the rows, after any mix of writes."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.models import (
    AgreementTally,
    Annotation,
    AnnotatorTally,
    Assignment,
    Document,
    DocumentLabelCount,
    LabelTally,
    SubmissionTally,
)
from annotations.services import annotating, documents, work_state, workflow
from tests.factories import DocumentFactory

TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di Brussel."
SPANS = [
    {"id": "p", "start": 0, "end": 16, "label": "PER"},
    {"id": "l", "start": 51, "end": 58, "label": "LOC"},
    {"id": "q", "start": 26, "end": 37, "label": "QUOTE"},
]
WHO = ("annotator", "teammate", "reviewer")


def snapshot(project) -> dict[str, Any]:
    """Every derived figure of the project, in a comparable shape."""
    return {
        "documents": sorted(
            project.documents.values_list(*work_state.STATE_COLUMNS, "pk").order_by("pk")
        ),
        "label_counts": sorted(
            DocumentLabelCount.objects.filter(document__project=project).values_list(
                "document_id", "label_id", "spans"
            )
        ),
        "label_tallies": sorted(
            (label, spans, docs)
            for label, spans, docs in LabelTally.objects.filter(label__project=project).values_list(
                "label_id", "spans", "documents"
            )
            if spans or docs
        ),
        "members": sorted(
            row
            for row in AnnotatorTally.objects.filter(project=project).values_list(
                "annotator_id", "assigned", "in_progress", "submitted", "skipped"
            )
            if any(row[1:])
        ),
        "submissions": sorted(
            row
            for row in SubmissionTally.objects.filter(project=project).values_list(
                "annotator_id", "day", "submitted"
            )
            if row[2]
        ),
        "agreement": sorted(
            row
            for row in AgreementTally.objects.filter(project=project).values_list(
                "day", "documents", "agreement_micros"
            )
            if row[1] or row[2]
        ),
        "annotations": sorted(
            Annotation.objects.filter(project=project).values_list("pk", "span_count")
        ),
    }


def write(cast, document, who: str, status: str, spans: list[int], gold: bool = False) -> None:
    user = getattr(cast, who)
    annotator = None if gold else user
    current = Annotation.objects.filter(
        document=document, **({"is_gold": True} if gold else {"annotator": user})
    ).first()
    annotating.annotation_replace(
        document=document,
        annotator=annotator,
        actor=user,
        data={"spans": [SPANS[i] for i in sorted(set(spans))], "status": status},
        expected_version=current.version if current else 0,
    )


def patch(cast, document, who: str, span: int, add: bool) -> None:
    user = getattr(cast, who)
    current = Annotation.objects.filter(document=document, annotator=user).first()
    ids = set(current.spans.values_list("client_id", flat=True)) if current else set()
    chosen = SPANS[span]
    if add == (chosen["id"] in ids):
        return
    op = {"op": "add_span", "span": chosen} if add else {"op": "delete_span", "id": chosen["id"]}
    annotating.annotation_patch(
        document=document,
        annotator=user,
        actor=user,
        ops=[op],
        expected_version=current.version if current else 0,
    )


operation = st.one_of(
    st.tuples(st.just("queue"), st.sampled_from(WHO)),
    st.tuples(
        st.just("put"),
        st.integers(0, 2),
        st.sampled_from(WHO),
        st.sampled_from(["draft", "submitted", "skipped"]),
        st.lists(st.integers(0, 2), max_size=3),
    ),
    st.tuples(
        st.just("patch"), st.integers(0, 2), st.sampled_from(WHO), st.integers(0, 2), st.booleans()
    ),
    st.tuples(
        st.just("gold"),
        st.integers(0, 2),
        st.sampled_from(["draft", "submitted"]),
        st.lists(st.integers(0, 2), max_size=3),
    ),
    st.tuples(st.just("assign"), st.integers(0, 2), st.sampled_from(WHO)),
    st.tuples(st.just("reassign"), st.integers(0, 5), st.sampled_from(WHO)),
    st.tuples(st.just("unassign"), st.integers(0, 5)),
    st.tuples(
        st.just("bulk_assign"),
        st.lists(st.integers(0, 2), min_size=1, max_size=3),
        st.lists(st.sampled_from(WHO), min_size=1, max_size=2),
    ),
    st.tuples(st.just("bulk_reset"), st.lists(st.integers(0, 2), min_size=1, max_size=3)),
    st.tuples(st.just("delete"), st.integers(0, 2)),
    st.tuples(
        st.just("review"),
        st.integers(0, 2),
        st.sampled_from(WHO),
        st.sampled_from(["returned", "accepted"]),
    ),
    st.tuples(st.just("import"), st.sampled_from(["draft", "submitted"]), st.booleans()),
)


def run(cast, docs: list[Document], op: tuple) -> None:
    kind, *args = op
    project = cast.project
    if kind == "queue":
        workflow.queue_next(project=project, annotator=getattr(cast, args[0]))
    elif kind == "put":
        write(cast, docs[args[0]], args[1], args[2], args[3])
    elif kind == "patch":
        patch(cast, docs[args[0]], *args[1:])
    elif kind == "gold":
        write(cast, docs[args[0]], "reviewer", args[1], args[2], gold=True)
    elif kind == "assign":
        workflow.assignment_create(
            project=project,
            document_id=docs[args[0]].pk,
            username=getattr(cast, args[1]).username,
            assigned_by=cast.admin,
        )
    elif kind in ("reassign", "unassign"):
        assignments = list(Assignment.objects.filter(document__project=project).order_by("pk"))
        if not assignments:
            return
        assignment = assignments[args[0] % len(assignments)]
        if kind == "unassign":
            workflow.assignment_delete(assignment=assignment)
            return
        taken = Assignment.objects.filter(
            document=assignment.document, annotator=getattr(cast, args[1])
        ).exclude(pk=assignment.pk)
        if not taken.exists():
            workflow.assignment_reassign(
                assignment=assignment,
                username=getattr(cast, args[1]).username,
                assigned_by=cast.admin,
            )
    elif kind == "bulk_assign":
        workflow.assignments_bulk_create(
            project=project,
            document_ids=[docs[i].pk for i in args[0]],
            usernames=sorted({getattr(cast, who).username for who in args[1]}),
            assigned_by=cast.admin,
        )
    elif kind == "bulk_reset":
        workflow.assignments_reset(project=project, document_ids=[docs[i].pk for i in args[0]])
    elif kind == "import":
        status, with_gold = args
        record = {
            "text": TEXT,
            "annotations": [{"annotator": "alice", "status": status, "spans": SPANS[:2]}],
            **({"spans": SPANS[:1]} if with_gold else {}),
        }
        documents.documents_import(project=project, records=[record], actor=cast.admin)
    elif kind == "review":
        annotation = Annotation.objects.filter(
            document=docs[args[0]], annotator=getattr(cast, args[1]), status="submitted"
        ).first()
        if annotation is not None:
            annotating.annotation_review(annotation=annotation, actor=cast.reviewer, state=args[2])
    elif kind == "delete":
        documents.document_delete(document=docs[args[0]])
        docs[args[0]] = DocumentFactory(project=project, text=TEXT, length=len(TEXT))


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_every_write_keeps_the_derived_state_equal_to_a_recount(cast, operations):
    """Whatever the writes, what they kept up to date is what a recount from scratch finds."""
    project = cast.project
    project.annotators_per_document = 2
    project.save()
    docs = list(project.documents.order_by("pk"))
    while len(docs) < 3:
        docs.append(DocumentFactory(project=project, text=TEXT, length=len(TEXT)))
    for op in operations:
        run(cast, docs, op)
    kept = snapshot(project)
    work_state.recount(project.pk)
    assert snapshot(project) == kept


def test_recount_command_rebuilds_drifted_tallies(cast):
    """A tally changed behind the services' back is put right by `recount_work_state`."""
    from django.core.management import CommandError, call_command

    document = DocumentFactory(project=cast.project)
    write(cast, document, "annotator", "submitted", [0, 1])
    AnnotatorTally.objects.filter(project=cast.project).update(submitted=7)
    Document.objects.filter(pk=document.pk).update(state="new")
    call_command("recount_work_state", str(cast.project.pk))
    assert AnnotatorTally.objects.get(project=cast.project, annotator=cast.annotator).submitted == 1
    assert Document.objects.get(pk=document.pk).state == "annotated"
    with pytest.raises(CommandError):
        call_command("recount_work_state", "999999")
