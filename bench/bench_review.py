"""Review and agreement speed, through the full Django stack on the database DATABASE_URL names.

    .venv/bin/python bench/bench_review.py [--documents 2000] [--annotators 3] [--spans 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_review.py

Targets (issue 4): the review of a document with 5 annotators opens in < 200 ms
server time, in a constant number of queries; project agreement over 2,000
documents x 3 annotators x 30 spans in < 5 s including the database read.
Data is made with bulk_create in a project of its own, deleted at the end.
"""

import argparse
import random
import time

from _setup import client_for, percentile, setup_django

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from annotations import agreement  # noqa: E402
from annotations.formats.base import label_groups  # noqa: E402
from annotations.models import (  # noqa: E402
    Annotation,
    AnnotationStatus,
    Document,
    Membership,
    Project,
    Relation,
    Role,
    Span,
)
from annotations.selectors import agreement as agreement_reads  # noqa: E402
from annotations.services.projects import project_create  # noqa: E402

SPAN_LABELS = ("PER", "ORG", "LOC", "QUOTE")
SENTIMENTS = ("positive", "neutral", "negative")
SLOT = 60  # code points of text per true span


def noisy_spans(rng: random.Random, truth: list[tuple[int, int, str]], length: int):
    """One annotator's copy of the truth: some edges moved, some labels or places wrong."""
    for start, end, label in truth:
        roll = rng.random()
        if roll < 0.08:
            start = rng.randrange(0, length - 20)
            end = start + rng.randrange(3, 20)
        elif roll < 0.25:
            start = max(0, start + rng.randint(-2, 2))
            end = max(start + 1, min(length, end + rng.randint(-2, 2)))
        if rng.random() < 0.05:
            label = rng.choice(SPAN_LABELS)
        yield start, end, label


def populate(project: Project, users: list, documents: int, spans: int, seed: int = 7) -> list:
    """Documents, each submitted by every user, written with bulk_create."""
    rng = random.Random(seed)
    labels = {label.name: label for label in project.labels.all()}
    length = spans * SLOT
    text = ("Jens Stoltenberg berkata di Brussel bahwa aliansi siap. " * (length // 50 + 1))[
        :length
    ]
    docs = Document.objects.bulk_create(
        Document(project=project, text=text, external_id=f"b{i}", title=f"B{i}", length=length)
        for i in range(documents)
    )
    truths = {}
    for doc in docs:
        truths[doc.pk] = [
            (k * SLOT + (s := rng.randrange(0, SLOT // 2)), k * SLOT + s + rng.randrange(3, 25),
             rng.choice(SPAN_LABELS))
            for k in range(spans)
        ]  # fmt: skip
    annotations = Annotation.objects.bulk_create(
        Annotation(
            document=doc,
            annotator=user,
            status=AnnotationStatus.SUBMITTED,
            version=1,
            document_labels={"sentiment": rng.choice(SENTIMENTS)},
        )
        for doc in docs
        for user in users
    )
    rows, ends = [], []
    for annotation in annotations:
        placed = list(noisy_spans(rng, truths[annotation.document_id], length))
        for k, (start, end, label) in enumerate(placed):
            rows.append(
                Span(
                    annotation=annotation,
                    client_id=f"s{k}",
                    start=start,
                    end=end,
                    label=labels[label],
                )
            )
        ends.append([label for _, _, label in placed])
    created = Span.objects.bulk_create(rows, batch_size=5000)
    relations, at = [], 0
    for annotation, kinds in zip(annotations, ends, strict=True):
        mine = created[at : at + len(kinds)]
        at += len(kinds)
        people = [s for s in mine if s.label.name == "PER"]
        for k, span in enumerate(s for s in mine if s.label.name == "QUOTE"):
            if people:
                relations.append(
                    Relation(
                        annotation=annotation,
                        client_id=f"r{k}",
                        source=span,
                        target=rng.choice(people),
                        label=labels["SPEAKER"],
                    )
                )
    Relation.objects.bulk_create(relations, batch_size=5000)
    return docs


def bench_review(admin: object, repeat: int) -> None:
    """One document, 5 annotators x 150 spans: GET review/ through the API."""
    project = project_create(creator=admin, preset="news", name="bench review")
    users = [get_user_model().objects.get_or_create(username=f"rev-ann{i}")[0] for i in range(5)]
    Membership.objects.bulk_create(Membership(project=project, user=u) for u in users)
    [document] = populate(project, users, documents=1, spans=150)
    client, reviewer = client_for("bench-reviewer")
    Membership.objects.create(project=project, user=reviewer, role=Role.REVIEWER)
    url = f"/api/projects/{project.pk}/documents/{document.pk}/review/"
    assert client.get(url).status_code == 200  # warm up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).json()
    spans = sum(len(a["spans"]) for a in body["annotations"])
    print(
        f"review, 5 annotators x 150 spans ({spans} spans):  "
        f"p50 {percentile(samples, 0.5):6.1f} ms  p95 {percentile(samples, 0.95):6.1f} ms  "
        f"queries {len(queries)}  (target < 200 ms)"
    )
    project.delete()


def bench_agreement(admin: object, documents: int, annotators: int, spans: int) -> None:
    project = project_create(creator=admin, preset="news", name="bench agreement")
    users = [
        get_user_model().objects.get_or_create(username=f"agr-ann{i}")[0] for i in range(annotators)
    ]
    Membership.objects.bulk_create(Membership(project=project, user=u) for u in users)
    started = time.perf_counter()
    populate(project, users, documents=documents, spans=spans)
    print(
        f"data: {documents} documents x {annotators} annotators x {spans} spans "
        f"made in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    labels = list(project.labels.values("pk", "kind", "name", "group", "multiple"))
    names = {label["pk"]: label["name"] for label in labels}
    docs, _ = agreement_reads.agreement_input(project, names)
    label_arguments = label_groups(labels).agreement_arguments()
    read = time.perf_counter() - started
    started = time.perf_counter()
    agreement.agreement_summary(docs, **label_arguments)
    computed = time.perf_counter() - started
    print(f"agreement, database read:     {read:6.2f} s")
    print(f"agreement, computation:       {computed:6.2f} s")

    client, reviewer = client_for("bench-reviewer")
    Membership.objects.create(project=project, user=reviewer, role=Role.REVIEWER)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(f"/api/projects/{project.pk}/agreement/?order=agreement")
        total = time.perf_counter() - started
    assert response.status_code == 200
    summary = response.json()
    print(
        f"agreement, GET endpoint:      {total:6.2f} s  queries {len(queries)}  "
        f"(target < 5 s)  span F1 overlap {summary['spans']['overall']['f1_overlap_micro']:.3f}"
    )
    project.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--spans", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin")
    bench_review(admin, args.repeat)
    bench_agreement(admin, args.documents, args.annotators, args.spans)


if __name__ == "__main__":
    main()
