"""Time `agreement_summary` on seeded synthetic data.

Run: .venv/bin/python bench/bench_agreement.py [--documents N] [--annotators M] [--spans S]
Budget: 2,000 documents x 3 annotators x 30 spans well under 5 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.agreement import DocumentAnnotations, agreement_summary

LABELS = ("PER", "ORG", "LOC", "QUOTE")
SENTIMENTS = ("negative", "neutral", "positive")
TOPICS = ("economy", "politics", "sport", "culture")


def _truth(rng: random.Random, spans: int, slot: int) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, one per slot of `slot` code points."""
    truth = []
    for k in range(spans):
        start = k * slot + rng.randrange(0, slot // 2)
        truth.append((start, start + rng.randrange(3, slot // 2), rng.choice(LABELS)))
    return truth


def _annotator(
    rng: random.Random, truth: list[tuple[int, int, str]], length: int, sentiment: str
) -> dict[str, Any]:
    """One annotator's noisy copy: jittered edges, some relabelled or misplaced spans."""
    spans = []
    for k, (start, end, label) in enumerate(truth):
        roll = rng.random()
        if roll < 0.08:  # a span somewhere else entirely
            start = rng.randrange(0, length - 20)
            end = start + rng.randrange(3, 20)
        elif roll < 0.25:  # boundary disagreement
            start = max(0, start + rng.randint(-2, 2))
            end = max(start + 1, end + rng.randint(-2, 2))
        if rng.random() < 0.05:
            label = rng.choice(LABELS)
        spans.append({"id": f"s{k}", "start": start, "end": end, "label": label})
    people = [s["id"] for s in spans if s["label"] == "PER"]
    relations = [
        {"id": f"r{k}", "from": s["id"], "to": rng.choice(people), "label": "SPEAKER"}
        for k, s in enumerate(spans)
        if s["label"] == "QUOTE" and people
    ]
    if rng.random() < 0.2:
        sentiment = rng.choice(SENTIMENTS)
    topics = sorted(rng.sample(TOPICS, rng.randint(1, 2)))
    labels = {"sentiment": sentiment, "topics": topics}
    return {"spans": spans, "relations": relations, "document_labels": labels}


def synthetic_documents(
    documents: int, annotators: int, spans: int, seed: int = 20261125
) -> list[DocumentAnnotations]:
    rng = random.Random(seed)
    slot = 100
    result: list[DocumentAnnotations] = []
    for doc_id in range(documents):
        length = spans * slot
        truth = _truth(rng, spans, slot)
        sentiment = rng.choice(SENTIMENTS)
        names = [f"annotator{k}" for k in range(annotators)]
        by_name = {name: _annotator(rng, truth, length, sentiment) for name in names}
        result.append({"id": doc_id, "length": length, "annotations": by_name})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--spans", type=int, default=30)
    args = parser.parse_args()
    documents = synthetic_documents(args.documents, args.annotators, args.spans)
    started = time.perf_counter()
    summary = agreement_summary(documents, span_labels=LABELS, document_groups={"topics": TOPICS})
    seconds = time.perf_counter() - started
    json.dumps(summary, allow_nan=False)  # the summary must be strict JSON
    spans = sum(len(a["spans"]) for d in documents for a in d["annotations"].values())
    print(f"documents   {args.documents}")
    print(f"annotators  {args.annotators}")
    print(f"spans       {spans}")
    print(f"seconds     {seconds:.3f}")
    overall = summary["spans"]["overall"]
    print(f"span F1 overlap (pairwise mean) {overall['f1_overlap_pairwise_mean']:.3f}")
    print(f"span F1 exact (pairwise mean)   {overall['f1_exact_pairwise_mean']:.3f}")
    print(f"unitizing alpha                 {overall['unitizing_alpha']:.3f}")


if __name__ == "__main__":
    main()
