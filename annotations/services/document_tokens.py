"""Stored tokens for the token formats: read a batch's tables, make the missing ones once.

A CoNLL export used to run spaCy's tokenizer over every document on every export (~3 ms
an article) after loading spaCy (seconds) in the worker. A document's text cannot change
once it is annotated, so its tokens are made once, by the first export that needs them, and
stored (`DocumentTokens`); every later export maps spans onto them and never imports spaCy.
A table is used only for the text it was made from and the tokenizer that made it.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotations.formats.tokens import (
    TOKENS,
    TokenTable,
    text_digest,
    tokenize,
    tokenizer_key,
)
from annotations.models import DocumentTokens
from annotations.selectors.exports import Batch


def tokens_attached(batches: Iterator[Batch], lang: str) -> Iterator[Batch]:
    """Each batch with every record's `TokenTable` under `formats.tokens.TOKENS`: one query
    reads the batch's stored tables; the missing or stale ones are made with spaCy and
    written back in one more (an upsert: two exports making the same table agree)."""
    key = tokenizer_key(lang)
    for batch in batches:
        stored = dict(
            (pk, (bytes(digest), bytes(data)))
            for pk, digest, data in DocumentTokens.objects.filter(
                document_id__in=batch.ids, tokenizer=key
            ).values_list("document_id", "digest", "data")
        )
        missing: list[tuple[int, dict, bytes]] = []
        for pk, record in zip(batch.ids, batch.records, strict=True):
            digest = text_digest(record["text"])
            found = stored.get(pk)
            if found is not None and found[0] == digest:
                record[TOKENS] = TokenTable.from_bytes(found[1])
            else:
                missing.append((pk, record, digest))
        if missing:
            tables = tokenize((record["text"] for _, record, _ in missing), lang)
            rows = []
            for (pk, record, digest), table in zip(missing, tables, strict=True):
                record[TOKENS] = table
                rows.append(
                    DocumentTokens(
                        document_id=pk, tokenizer=key, digest=digest, data=table.to_bytes()
                    )
                )
            DocumentTokens.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["document"],
                update_fields=["tokenizer", "digest", "data"],
            )
        yield batch
