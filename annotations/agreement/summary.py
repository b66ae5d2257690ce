"""Project summary: every figure over a project's documents, gathered in one pass."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from statistics import fmean
from typing import Any, TypedDict

from annotations.agreement.attribution import AttributionPair
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
    _relation_prf,
    exact_matches,
    overlap_matches,
    parse_spans,
)
from annotations.agreement.unitizing import UnitizingTally


class _Document(TypedDict):
    """One document's submitted annotations: annotator name -> annotation dict."""

    id: str | int
    length: int
    annotations: Mapping[str, Mapping[str, Any]]


class DocumentAnnotations(_Document, total=False):
    # The document's text, for the speaker figures (resolved speakers are names read from
    # it); without it, speaker agreement leaves the document out.
    text: str


def _label_items(
    annotations: Mapping[str, Mapping[str, Any]], options: Mapping[str, Iterable[str]]
) -> Iterable[tuple[str, dict[str, Hashable]]]:
    """(group, {annotator: value}) items of one document's document labels.

    A multi-choice group (any list value) becomes one yes/no item per option,
    options from the project's schema or else those anyone chose here.
    """
    answers: dict[str, dict[str, Any]] = defaultdict(dict)
    for name, annotation in annotations.items():
        for group, value in (annotation.get("document_labels") or {}).items():
            if value is not None:
                answers[group][name] = value
    for group, by_name in sorted(answers.items()):
        if not any(isinstance(v, list | tuple) for v in by_name.values()):
            yield group, by_name
            continue
        chosen = {n: set(v) if isinstance(v, list | tuple) else {v} for n, v in by_name.items()}
        for option in sorted(set(options.get(group, ())).union(*chosen.values())):
            yield group, {n: option in values for n, values in chosen.items()}


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return fmean(defined) if defined else None


def document_span_f1(annotations: Iterable[Mapping[str, Any]]) -> float | None:
    """One document's `span_f1_overlap` as `agreement_summary` gives it per document: the
    mean over annotator pairs of 2 * overlap-matched spans / (spans of both); None with
    fewer than two annotations, or when no pair has a span. The documents table keeps it
    per document, where the full summary would cost a hundred times more."""
    spans = [parse_spans(annotation) for annotation in annotations]
    figures = []
    for a, b in combinations(spans, 2):
        total = len(a) + len(b)
        figures.append(2 * len(overlap_matches(a, b)) / total if total else None)
    return _mean(figures)


@dataclass
class _PairTally:
    documents: int = 0
    # Per label: true positives by exact and by overlap match, and each side's span count.
    exact: Counter[str] = field(default_factory=Counter)
    overlap: Counter[str] = field(default_factory=Counter)
    reference: Counter[str] = field(default_factory=Counter)
    candidate: Counter[str] = field(default_factory=Counter)
    relations: PRF = field(default_factory=PRF)
    attribution: AttributionPair = field(default_factory=AttributionPair)

    def span_prf(self, mode: MatchMode) -> LabelledPRF:
        hits = self.exact if mode == "exact" else self.overlap
        labels = sorted(self.reference.keys() | self.candidate.keys())
        return LabelledPRF(
            {
                label: PRF(hits[label], self.reference[label], self.candidate[label])
                for label in labels
            }
        )


# Per-document figures, each the mean over the document's annotator pairs.
_DOCUMENT_FIGURES = ("span_f1_exact", "span_f1_overlap", "relation_f1", "speaker_f1")


@dataclass
class _ProjectTally:
    """Everything the summary needs, gathered in one pass over the documents."""

    document_groups: Mapping[str, Iterable[str]]
    pairs: dict[tuple[str, str], _PairTally] = field(default_factory=dict)
    relations: dict[str, PRF] = field(default_factory=dict)
    items: dict[str, list[dict[str, Hashable]]] = field(default_factory=lambda: defaultdict(list))
    unitizing: UnitizingTally = field(default_factory=UnitizingTally)
    per_document: list[dict[str, Any]] = field(default_factory=list)
    annotators: set[str] = field(default_factory=set)

    def add(self, document: DocumentAnnotations) -> None:
        annotations = document["annotations"]
        names = sorted(annotations)
        self.annotators.update(names)
        spans = {name: parse_spans(annotations[name]) for name in names}
        self.unitizing.add_document(
            document["length"],
            [[(*piece, s.label) for s in spans[n] for piece in s.pieces()] for n in names],
        )
        for group, item in _label_items(annotations, self.document_groups):
            self.items[group].append(item)
        row: dict[str, list[float | None]] = {key: [] for key in _DOCUMENT_FIGURES}
        for a, b in combinations(names, 2):
            pair = self.pairs.setdefault((a, b), _PairTally())
            spans_and_links = self._add_pair(
                pair, annotations[a], annotations[b], spans[a], spans[b]
            )
            speakers = pair.attribution.add(annotations[a], annotations[b], document)
            figures = (*spans_and_links, speakers.f1 if speakers else None)
            for key, value in zip(_DOCUMENT_FIGURES, figures, strict=True):
                row[key].append(value)
        means = {key: _mean(values) for key, values in row.items()}
        self.per_document.append({"id": document["id"], "annotators": names, **means})

    def _add_pair(
        self,
        pair: _PairTally,
        reference: Mapping[str, Any],
        candidate: Mapping[str, Any],
        a: list[Span],
        b: list[Span],
    ) -> tuple[float | None, float | None, float | None]:
        """Fold one document's comparison of two annotators in; return its F1 figures."""
        exact, overlap = exact_matches(a, b), overlap_matches(a, b)
        pair.documents += 1
        pair.reference.update(s.label for s in a)
        pair.candidate.update(s.label for s in b)
        pair.exact.update(a[i].label for i, _ in exact)
        pair.overlap.update(a[i].label for i, _ in overlap)
        relations = _relation_prf(reference, candidate, a, b, overlap)
        for label, prf in relations.items():
            self.relations[label] = self.relations.get(label, PRF()) + prf
        links = sum(relations.values(), PRF())
        pair.relations += links
        total = len(a) + len(b)
        return (
            2 * len(exact) / total if total else None,
            2 * len(overlap) / total if total else None,
            links.f1,
        )

    def label_kappas(self, a: str, b: str) -> dict[str, float | None]:
        """Cohen's kappa per document-label group on the items both annotators answered."""
        kappas = {}
        for group, items in sorted(self.items.items()):
            both = [(item[a], item[b]) for item in items if a in item and b in item]
            kappas[group] = cohen_kappa([x for x, _ in both], [y for _, y in both])
        return kappas

    def pairwise(self) -> list[dict[str, Any]]:
        return [
            {
                "a": a,
                "b": b,
                "documents": pair.documents,
                "span_f1_exact": pair.span_prf("exact").micro.f1,
                "span_f1_overlap": pair.span_prf("overlap").micro.f1,
                "relation_f1": pair.relations.f1,
                "speaker_f1": pair.attribution.speakers.f1,
                "chains": pair.attribution.chains(),
                "document_label_kappa": self.label_kappas(a, b),
            }
            for (a, b), pair in sorted(self.pairs.items())
        ]


def _document_label_figures(tally: _ProjectTally) -> dict[str, Any]:
    names = sorted(tally.annotators)
    # Cohen's kappa is a two-annotator coefficient; with more, see `pairwise`.
    cohen = tally.label_kappas(*names) if len(names) == 2 else {}
    per_group = {}
    for group, items in sorted(tally.items.items()):
        units = [list(item.values()) for item in items]
        per_group[group] = {
            "items": sum(len(unit) >= 2 for unit in units),
            "cohen_kappa": cohen.get(group),
            "fleiss_kappa": fleiss_kappa(fleiss_table(units)[0]),
            "krippendorff_alpha": krippendorff_alpha_nominal(units),
        }
    measures = ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha")
    overall = {m: _mean(g[m] for g in per_group.values()) for m in measures}
    return {"overall": overall, "per_group": per_group}


def _span_figures(tally: _ProjectTally, labels: Iterable[str]) -> dict[str, Any]:
    exact = [p.span_prf("exact") for p in tally.pairs.values()]
    overlap = [p.span_prf("overlap") for p in tally.pairs.values()]
    labels = sorted({*labels, *tally.unitizing.labels, *(k for p in exact for k in p.per_label)})
    per_label = {
        label: {
            "f1_exact": sum((p.per_label.get(label, PRF()) for p in exact), PRF()).f1,
            "f1_overlap": sum((p.per_label.get(label, PRF()) for p in overlap), PRF()).f1,
            "unitizing_alpha": tally.unitizing.alpha(label),
        }
        for label in labels
    }
    overall = {
        "f1_exact_pairwise_mean": _mean(p.micro.f1 for p in exact),
        "f1_overlap_pairwise_mean": _mean(p.micro.f1 for p in overlap),
        "f1_exact_micro": sum((p.micro for p in exact), PRF()).f1,
        "f1_overlap_micro": sum((p.micro for p in overlap), PRF()).f1,
        "unitizing_alpha": tally.unitizing.alpha_overall(labels),
    }
    return {"overall": overall, "per_label": per_label}


def _relation_figures(tally: _ProjectTally, labels: Iterable[str]) -> dict[str, Any]:
    labels = sorted({*labels, *tally.relations})
    return {
        "overall": {
            "f1_pairwise_mean": _mean(p.relations.f1 for p in tally.pairs.values()),
            "f1_micro": sum(tally.relations.values(), PRF()).f1,
        },
        "per_label": {label: {"f1": tally.relations.get(label, PRF()).f1} for label in labels},
    }


_CHAIN_FIGURES = ("muc", "b_cubed", "ceaf_e")


def _attribution_figures(tally: _ProjectTally) -> dict[str, Any]:
    """Whole quotes (QUOTE spans, every fragment), the speakers they resolve to, and the
    speaker chains, over annotator pairs (DECISIONS 46)."""
    exact = sum(
        (p.span_prf("exact").per_label.get("QUOTE", PRF()) for p in tally.pairs.values()), PRF()
    )
    overlap = sum(
        (p.span_prf("overlap").per_label.get("QUOTE", PRF()) for p in tally.pairs.values()), PRF()
    )
    pairs = [p.attribution for p in tally.pairs.values()]
    chains = [c for c in (p.chains() for p in pairs) if c is not None]
    chain_means: dict[str, float | None] = {
        f"{name}_f1_pairwise_mean": _mean(c[name]["f1"] for c in chains) for name in _CHAIN_FIGURES
    }
    chain_means["conll_f1_pairwise_mean"] = _mean(c["conll_f1"] for c in chains)
    return {
        "quotes": {"f1_exact_micro": exact.f1, "f1_overlap_micro": overlap.f1},
        "speakers": {
            "f1_micro": sum((p.speakers for p in pairs), PRF()).f1,
            "f1_pairwise_mean": _mean(p.speakers.f1 for p in pairs),
        },
        "chains": chain_means,
    }


def _tally(
    documents: Iterable[DocumentAnnotations], document_groups: Mapping[str, Iterable[str]]
) -> _ProjectTally:
    tally = _ProjectTally(document_groups)
    for document in documents:
        tally.add(document)
    return tally


def pairwise_matrix(documents: Iterable[DocumentAnnotations]) -> list[dict[str, Any]]:
    """Per annotator pair: documents shared, span F1 (exact, overlap), relation F1,
    and Cohen's kappa per document-label group."""
    return _tally(documents, {}).pairwise()


def agreement_summary(
    documents: Iterable[DocumentAnnotations],
    *,
    span_labels: Iterable[str] = (),
    relation_labels: Iterable[str] = (),
    document_groups: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, Any]:
    """Project agreement as a JSON-serialisable dict; undefined figures are None.

    `documents` hold only submitted annotations. The label arguments name the
    project's labels so that labels nobody used still get a (None) row, and give
    the options of multi-choice document-label groups.
    """
    tally = _tally(documents, document_groups or {})
    return {
        "documents": len(tally.per_document),
        "annotators": sorted(tally.annotators),
        "document_labels": _document_label_figures(tally),
        "spans": _span_figures(tally, span_labels),
        "relations": _relation_figures(tally, relation_labels),
        "attribution": _attribution_figures(tally),
        "pairwise": tally.pairwise(),
        "per_document": tally.per_document,
    }
