"""Hidden gold checks (issue 12): an admin makes a gold document a check; the queue serves
checks to annotators who have not done them (`services.workflow.queue_next`).

An annotator's work on a check is measured against its gold (`selectors.quality`) and
enters nothing else: not the documents' agreement or disputes, nor the label counts, the
project's agreement, the suggestions' agreed strings or the exports.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.errors import Invalid
from annotations.models import Annotation, Document
from annotations.services import work_state


@transaction.atomic
def document_check_set(*, document: Document, is_check: bool) -> Document:
    """Make a document a hidden gold check, or no longer one; a document without gold
    cannot be a check (there would be nothing to measure against). Marking twice keeps
    the first time: checks done since then stay counted."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if is_check == (locked.check_since is not None):
        document.check_since = locked.check_since
        return document
    if is_check and not Annotation.objects.filter(document=locked, is_gold=True).exists():
        raise Invalid(
            {"is_check": [_("this document has no gold yet: a check needs gold to compare with")]}
        )
    locked.check_since = timezone.now() if is_check else None
    Document.objects.filter(pk=locked.pk).update(check_since=locked.check_since)
    document.check_since = locked.check_since
    # Its annotators' work leaves (or rejoins) the agreement and the label counts.
    work_state.documents_refresh(locked.project_id, [locked.pk])
    return document
