"""Compile the hand-written quote corpus from its markup (src/*.txt) into native JSONL.

Run `python tests/data/quotes/markup.py` after editing a source file; a test checks that the
committed JSONL is what this script writes, so the two never drift. The markup is described
in README.md next to this file.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SETS = ("dev", "test")
LANGUAGES = ("id", "en")
OPEN, SEP, CLOSE = "⟦", "|", "⟧"
LABELS = {"q": "QUOTE", "i": "QUOTE", "c": "CUE", "p": "PER", "o": "ORG"}
TAG_ID = re.compile(r"[qicpo]\d+")


class MarkupError(ValueError):
    """A source article that cannot be compiled; the message names the article and why."""


def _strip_tags(marked: str, article: str) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and its spans, from text with ⟦id|…⟧ tags (which may nest)."""
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    stack: list[tuple[str, int]] = []
    length = 0
    i = 0
    while i < len(marked):
        char = marked[i]
        if char == OPEN:
            bar = marked.find(SEP, i)
            span_id = marked[i + 1 : bar]
            if bar < 0 or not TAG_ID.fullmatch(span_id):
                raise MarkupError(f"{article}: bad tag at {marked[i : i + 12]!r}")
            stack.append((span_id, length))
            i = bar + 1
            continue
        if char == CLOSE:
            if not stack:
                raise MarkupError(f"{article}: {CLOSE} without a tag")
            span_id, start = stack.pop()
            spans.append(_span(span_id, start, length))
        else:
            out.append(char)
            length += 1
        i += 1
    if stack:
        raise MarkupError(f"{article}: unclosed tag {stack[-1][0]}")
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    return "".join(out), spans


def _span(span_id: str, start: int, end: int) -> dict[str, Any]:
    attributes: dict[str, str] = {}
    if span_id[0] in "qi":
        attributes["quote_type"] = "direct" if span_id[0] == "q" else "indirect"
    return {
        "id": span_id,
        "start": start,
        "end": end,
        "label": LABELS[span_id[0]],
        "attributes": attributes,
    }


def _directives(lines: list[str], ids: set[str], article: str) -> dict[str, Any]:
    """Relations and meta from `@@` lines: `q1 > p1 c1`, `utterance q2 q3`, `coref p6 p4`."""
    relations: list[dict[str, str]] = []
    utterances: dict[str, list[str]] = {}
    coref: dict[str, str] = {}
    for line in lines:
        words = line.split()
        for word in words:
            if TAG_ID.fullmatch(word) and word not in ids:
                raise MarkupError(f"{article}: {line!r} names unknown span {word}")
        if words[0] == "utterance":
            utterances[f"u{len(utterances) + 1}"] = words[1:]
        elif words[0] == "coref":
            coref[words[1]] = words[2]
        elif len(words) in (3, 4) and words[1] == ">":
            relations.append({"from": words[0], "to": words[2], "label": "SPEAKER"})
            if len(words) == 4:
                relations.append({"from": words[0], "to": words[3], "label": "CUE"})
        else:
            raise MarkupError(f"{article}: cannot read directive {line!r}")
    for number, relation in enumerate(relations, start=1):
        relation["id"] = f"r{number}"
    return {"relations": relations, "utterances": utterances, "coref": coref}


def _article(block: str, language: str, split: str) -> dict[str, Any]:
    header, *rest = block.split("\n")
    external_id = header.strip()
    fields: dict[str, str] = {}
    body: list[str] = []
    directives: list[str] = []
    for line in rest:
        key, _, value = line.partition(": ")
        if not body and key in ("title", "newline") and value:
            fields[key] = value
        elif line.startswith("@@ "):
            directives.append(line[3:])
        elif not directives:
            body.append(line)
    while body and not body[-1].strip():
        body.pop()
    newline = {"lf": "\n", "crlf": "\r\n"}[fields.get("newline", "lf")]
    text, spans = _strip_tags(newline.join(body), external_id)
    extra = _directives(directives, {s["id"] for s in spans}, external_id)
    meta: dict[str, Any] = {"language": language, "set": split}
    for key in ("utterances", "coref"):
        if extra[key]:
            meta[key] = extra[key]
    return {
        "external_id": external_id,
        "title": fields.get("title", ""),
        "text": text,
        "meta": meta,
        "spans": spans,
        "relations": extra["relations"],
    }


def parse(source: str, language: str, split: str) -> list[dict[str, Any]]:
    """Every article in one source file, in order."""
    blocks = source.split("### ")[1:]
    return [_article(block, language, split) for block in blocks]


def compile_set(split: str) -> str:
    """The JSONL text of one set (dev or test), Indonesian articles first."""
    lines = []
    for language in LANGUAGES:
        source = (HERE / "src" / f"{split}.{language}.txt").read_text(encoding="utf-8")
        for record in parse(source, language, split):
            lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + "\n"


def main() -> int:
    for split in SETS:
        if (HERE / "src" / f"{split}.id.txt").exists():
            (HERE / f"{split}.jsonl").write_text(compile_set(split), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
