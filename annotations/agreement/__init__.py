"""Inter-annotator agreement over plain annotation dicts (no ORM, no database).

Document labels: Cohen's kappa, Fleiss' kappa, Krippendorff's nominal alpha.
Spans: exact and overlap precision/recall/F1, Krippendorff's unitizing alpha.
Relations: F1 over overlap-matched span pairs.

Every figure that is undefined (no variance, fewer than two annotators, nothing
to compare) is None, never NaN: the summary goes straight into a JSON response.
"""

from annotations.agreement.coefficients import (
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    krippendorff_alpha_nominal,
)
from annotations.agreement.matching import (
    PRF,
    LabelledPRF,
    MatchMode,
    Span,
    exact_matches,
    overlap_matches,
    parse_spans,
    relation_agreement,
    span_agreement,
)
from annotations.agreement.summary import (
    DocumentAnnotations,
    agreement_summary,
    document_span_f1,
    pairwise_matrix,
)
from annotations.agreement.unitizing import Unit, UnitizingTally, unitizing_alpha

__all__ = [
    "PRF",
    "DocumentAnnotations",
    "LabelledPRF",
    "MatchMode",
    "Span",
    "Unit",
    "UnitizingTally",
    "agreement_summary",
    "cohen_kappa",
    "document_span_f1",
    "exact_matches",
    "fleiss_kappa",
    "fleiss_table",
    "krippendorff_alpha_nominal",
    "overlap_matches",
    "pairwise_matrix",
    "parse_spans",
    "relation_agreement",
    "span_agreement",
    "unitizing_alpha",
]
