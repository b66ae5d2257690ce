"""Reads: querysets and plain dicts shaped for their callers, each in a fixed number of queries.

One module per area, imported by name (`from annotations.selectors import review`):

- `annotations`: one annotation as the API shows it, everyone's annotations of a document,
  the rows a PATCH touches, and the one spans-and-relations reader (`ContentReader`) that
  every other module uses, with the lessons learnt about reading those tables;
- `projects`: projects with the caller's role and own progress;
- `documents`: the documents table (derived state, filters, search, who worked on a page);
- `review`: a document's review, its history and the pseudonyms both show;
- `agreement`: the project's agreement over every submitted annotation;
- `workflow`: annotators' progress and assignments;
- `conversation`: comments each viewer may read, flags, notices;
- `exports`: what an export holds (records by scope, in keyset batches), the schema the
  formats take, and the card's agreement sample.
"""
