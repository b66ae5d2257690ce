# ruff: noqa: RUF001 -- this file is about quotation marks and dashes
"""Quality and speed of the built-in suggesters (annotations/suggesting/).

Quality: the hand-annotated quote corpus in tests/data/quotes/ (dev: used while building;
test: held out, never tuned on), per set and language. Metric definitions are in
annotations/suggesting/evaluation.py. Speed: quotes on a 100,000-character article per
language and on 100,000 characters of stray quotation marks, and entities from gold with
10,000 strings on a 100,000-character article. Timings are the best of several runs and
depend on the machine's load.

Run: .venv/bin/python bench/bench_suggestions.py [--set dev|test|all] [--errors]
Targets (issue 10): direct-quote F1 >= 0.95, speaker-link F1 >= 0.85; under 1 s per article.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.suggesting import (  # noqa: E402
    GoldEntities,
    quotes_as_suggestions,
    suggest_quotes,
)
from annotations.suggesting.evaluation import Counts, gold_quotes, score_document  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "quotes"
ARTICLE_LENGTH = 100_000
ROWS = (
    "direct exact",
    "direct lenient",
    "indirect exact",
    "indirect lenient",
    "indirect overlap",
    "speaker links",
    "speaker links, direct",
)
SHARES = ("accept only: spans", "accept only: cues", "accept only: links")


def load(split: str) -> list[dict[str, Any]]:
    path = CORPUS / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(records: list[dict[str, Any]], show_errors: bool) -> dict[str, dict[str, Counts]]:
    totals: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    for record in records:
        language = record["meta"]["language"]
        quotes = suggest_quotes(record["text"], language=language, include_marks=True)
        suggestions = quotes_as_suggestions(quotes, with_cues=True)
        for name, counts in score_document(record, quotes, suggestions).items():
            totals[language][name] += counts
            totals["all"][name] += counts
        if show_errors:
            _print_errors(record, quotes)
    return totals


def _print_errors(record: dict[str, Any], quotes: list[Any]) -> None:
    text = record["text"]
    gold = {q.fragment: q for q in gold_quotes(record)}
    predicted = {f: q for q in quotes for f in q.fragments}
    lines = []
    for fragment in sorted(set(gold) ^ set(predicted)):
        side = "missed" if fragment in gold else "extra "
        lines.append(f"  {side} {text[fragment[0] : fragment[1]][:90]!r}")
    for fragment in sorted(set(gold) & set(predicted)):
        quote = predicted[fragment]
        who = quote.resolved_speaker
        g = gold[fragment].resolved
        said = text[who.start : who.end] if who else None
        expected = text[g[0] : g[1]] if g else None
        if said != expected:
            quoted = text[slice(*fragment)][:50]
            lines.append(f"  speaker {said!r} (gold {expected!r}) for {quoted!r}")
    if lines:
        print(f"{record['external_id']}:")
        print("\n".join(lines))


def print_table(title: str, totals: dict[str, dict[str, Counts]]) -> None:
    groups = [g for g in ("id", "en", "all") if g in totals]
    print(f"\n{title}")
    header = f"{'':24}" + "".join(f"{g + '  P     R     F1':>22}" for g in groups)
    print(header)
    for row in ROWS:
        cells = []
        for group in groups:
            c = totals[group][row]
            cells.append(f"{c.precision:8.3f}{c.recall:6.3f}{c.f1:6.3f} ")
        counts = totals["all"][row]
        print(f"{row:24}" + "".join(f"{cell:>22}" for cell in cells) + f"  (gold {counts.gold})")
    for row in SHARES:
        cells = [f"{totals[g][row].recall:8.3f}" for g in groups]
        counts = totals["all"][row]
        print(f"{row:24}" + "".join(f"{cell:>22}" for cell in cells) + f"  (gold {counts.gold})")


def best_of(runs: int, action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def long_article(records: list[dict[str, Any]], language: str) -> str:
    texts = [r["text"] for r in records if r["meta"]["language"] == language]
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < ARTICLE_LENGTH:
        parts.extend(texts)
    return "\n".join(parts)[:ARTICLE_LENGTH]


def stray_marks() -> str:
    rng = random.Random(7)
    alphabet = ['"', "“", "”", "'", "‘", "’", "«", "»", "„", " ", " ", "\n", "kata", "said", "Budi"]
    out: list[str] = []
    length = 0
    while length < ARTICLE_LENGTH:
        out.append(rng.choice(alphabet))
        length += len(out[-1])
    return "".join(out)[:ARTICLE_LENGTH]


def gold_strings(count: int) -> list[tuple[str, str]]:
    rng = random.Random(11)
    syllables = ["ba", "di", "ko", "ra", "su", "ti", "na", "wan", "jo", "ha", "me", "lu"]
    pairs = []
    for i in range(count):
        words = [
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title()
            for _ in range(rng.randint(1, 3))
        ]
        pairs.append((" ".join(words), "PER" if i % 2 else "ORG"))
    return pairs


def timings(records: list[dict[str, Any]]) -> None:
    print("\nTimings (best of 5; shared machine, figures under load)")
    for language in ("id", "en"):
        article = long_article(records, language)
        quotes = suggest_quotes(article, language=language)

        def run(a: str = article, lang: str = language) -> object:
            return quotes_as_suggestions(suggest_quotes(a, language=lang))

        seconds = best_of(5, run)
        print(
            f"  quotes, {language}, {len(article):,} chars, {len(quotes)} quotes: {seconds:.3f} s"
        )
    noise = stray_marks()
    seconds = best_of(5, lambda: suggest_quotes(noise, language="id"))
    print(f"  quotes, {len(noise):,} chars of stray quotation marks: {seconds:.3f} s")
    article = long_article(records, "id")
    pairs = [*gold_strings(10_000), ("Stoltenberg", "PER"), ("BMKG", "ORG"), ("Jakarta", "LOC")]
    built = best_of(3, lambda: GoldEntities(pairs))
    lexicon = GoldEntities(pairs)
    found = lexicon.find(article)
    seconds = best_of(5, lambda: lexicon.find(article))
    print(
        f"  entities from gold, {len(pairs):,} strings: build {built:.3f} s; "
        f"{len(article):,} chars, {len(found)} matches: {seconds:.3f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list each document's errors")
    parser.add_argument("--no-timings", action="store_true")
    args = parser.parse_args()
    splits = ("dev", "test") if args.set == "all" else (args.set,)
    everything = []
    for split in splits:
        records = load(split)
        everything += records
        articles = len(records)
        quotes = sum(len(gold_quotes(r)) for r in records)
        totals = evaluate(records, args.errors)
        name = "held-out test set" if split == "test" else "dev set"
        title = f"Quote suggestions, {name}: {articles} articles, {quotes} gold quote spans"
        print_table(title, totals)
    if not args.no_timings:
        timings(everything)
    return 0


if __name__ == "__main__":
    sys.exit(main())
