"""Pure scoring functions shared by training and evaluation.

Entities match strictly on ``(start, end, label)`` (character offsets);
a relation matches when its head span, tail span (each with its label) and
relation label all agree with a gold relation.  Documents are paired by
position.  Every precision, recall and F is 0.0 when its denominator is 0.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from canbo.model.labels import ENTITY_LABELS, RELATION_LABELS
from canbo.model.schema import Document

SpanKey = tuple[int, int, str]
RelKey = tuple[SpanKey, SpanKey, str]

GOLD_KINDS: tuple[str, ...] = ("correct", "type", "boundary", "boundary+type", "missed")
PRED_KINDS: tuple[str, ...] = ("correct", "type", "boundary", "boundary+type", "spurious")
OUTSIDE = "O"


# ---------------------------------------------------------------- helpers


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; 0.0 wherever a denominator is 0."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _counts(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """The standard score record: counts, P/R/F and support (= gold count)."""
    p, r, f = prf(tp, fp, fn)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f, "support": tp + fn}


def _paired(gold: list[Document], pred: list[Document]) -> Iterator[tuple[Document, Document]]:
    """Pair documents by position; the two lists must have the same length."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} documents but pred has {len(pred)}")
    return zip(gold, pred, strict=True)


def entity_keys(doc: Document) -> set[SpanKey]:
    """The document's entity spans as a set of (start, end, label); duplicates collapse."""
    return {(e.start, e.end, e.label) for e in doc.entities}


def relation_keys(doc: Document) -> set[RelKey]:
    """Relations as (head span, tail span, label); raise ValueError on a dangling index."""
    out = set()
    n = len(doc.entities)
    for r in doc.relations:
        if not (0 <= r.head < n and 0 <= r.tail < n):
            raise ValueError(f"relation {r.head}->{r.tail} points outside the {n} entities of {doc.id!r}")
        h, t = doc.entities[r.head], doc.entities[r.tail]
        out.add(((h.start, h.end, h.label), (t.start, t.end, t.label), r.label))
    return out


def _tally(pairs: Iterable[tuple[set, set]], label_of) -> tuple[Counter, Counter, Counter]:
    """Per-label tp/fp/fn counters over (gold set, pred set) pairs."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in pairs:
        tp.update(label_of(k) for k in g & p)
        fp.update(label_of(k) for k in p - g)
        fn.update(label_of(k) for k in g - p)
    return tp, fp, fn


def _ordered_labels(known: tuple[str, ...], seen: set[str]) -> list[str]:
    """Known labels in inventory order, then any unknown label seen in the data."""
    return list(known) + sorted(seen - set(known))


# ---------------------------------------------------------------- span scores


def score_entities(gold: list[Document], pred: list[Document]) -> dict[str, Any]:
    """Strict span scores: ``per_label`` records, ``micro`` record and ``macro_f1``.

    ``macro_f1`` averages F1 over the labels of ``ENTITY_LABELS`` that occur in
    gold or pred (0.0 when none occurs).
    """
    pairs = [(entity_keys(g), entity_keys(p)) for g, p in _paired(gold, pred)]
    tp, fp, fn = _tally(pairs, lambda k: k[2])
    seen = {lab for c in (tp, fp, fn) for lab in c}
    per_label = {lab: _counts(tp[lab], fp[lab], fn[lab]) for lab in _ordered_labels(ENTITY_LABELS, seen)}
    micro = _counts(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    present = [lab for lab in ENTITY_LABELS if lab in seen]
    macro = sum(per_label[lab]["f1"] for lab in present) / len(present) if present else 0.0
    return {"per_label": per_label, "micro": micro, "macro_f1": macro}


def score_relations(gold: list[Document], pred: list[Document]) -> dict[str, Any]:
    """Strict relation scores: top-level tp/fp/fn/P/R/F (micro) plus ``per_label``."""
    pairs = [(relation_keys(g), relation_keys(p)) for g, p in _paired(gold, pred)]
    tp, fp, fn = _tally(pairs, lambda k: k[2])
    seen = {lab for c in (tp, fp, fn) for lab in c}
    out = _counts(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    out["per_label"] = {lab: _counts(tp[lab], fp[lab], fn[lab]) for lab in _ordered_labels(RELATION_LABELS, seen)}
    return out


# ---------------------------------------------------------------- error analysis


def _overlaps(a: SpanKey, b: SpanKey) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _classify(span: SpanKey, others: set[SpanKey], no_overlap: str) -> str:
    """Kind of ``span`` against the other side's spans (see ``error_breakdown``)."""
    if span in others:
        return "correct"
    hits = [o for o in others if _overlaps(span, o)]
    if not hits:
        return no_overlap
    if any(o[:2] == span[:2] for o in hits):
        return "type"
    if any(o[2] == span[2] for o in hits):
        return "boundary"
    return "boundary+type"


def error_breakdown(gold: list[Document], pred: list[Document]) -> dict[str, Any]:
    """Classify every gold and predicted span and build a label confusion matrix.

    Kinds: ``correct``; ``type`` (same offsets, other label); ``boundary``
    (overlap, same label, other offsets); ``boundary+type``; ``missed`` (gold
    overlapping no prediction); ``spurious`` (prediction overlapping no gold).
    ``confusion[gold_label][pred_label]`` counts overlapping pairs, with "O"
    standing for the missing side of missed and spurious spans.  ``examples``
    lists every non-correct span with its document index and text.
    """
    gold_kinds, pred_kinds = Counter(), Counter()
    gold_by_label: dict[str, Counter] = {}
    pred_by_label: dict[str, Counter] = {}
    confusion: dict[str, Counter] = {}
    examples: list[dict[str, Any]] = []
    for i, (gd, pd) in enumerate(_paired(gold, pred)):
        g_set, p_set = entity_keys(gd), entity_keys(pd)
        for side, spans, others, none_kind, doc, kinds, by_label in (
            ("gold", g_set, p_set, "missed", gd, gold_kinds, gold_by_label),
            ("pred", p_set, g_set, "spurious", pd, pred_kinds, pred_by_label),
        ):
            for span in sorted(spans):
                kind = _classify(span, others, none_kind)
                kinds[kind] += 1
                by_label.setdefault(span[2], Counter())[kind] += 1
                if kind != "correct":
                    examples.append({"doc": i, "side": side, "kind": kind, "span": list(span),
                                     "text": doc.text[span[0]:span[1]]})
        for g in g_set:
            hits = [p for p in p_set if _overlaps(g, p)]
            for p in hits:
                confusion.setdefault(g[2], Counter())[p[2]] += 1
            if not hits:
                confusion.setdefault(g[2], Counter())[OUTSIDE] += 1
        for p in p_set:
            if not any(_overlaps(g, p) for g in g_set):
                confusion.setdefault(OUTSIDE, Counter())[p[2]] += 1
    return {
        "gold": {k: gold_kinds[k] for k in GOLD_KINDS},
        "pred": {k: pred_kinds[k] for k in PRED_KINDS},
        "gold_by_label": {lab: {k: c[k] for k in GOLD_KINDS} for lab, c in sorted(gold_by_label.items())},
        "pred_by_label": {lab: {k: c[k] for k in PRED_KINDS} for lab, c in sorted(pred_by_label.items())},
        "confusion": {g: dict(sorted(row.items())) for g, row in sorted(confusion.items())},
        "examples": examples,
    }


# ---------------------------------------------------------------- flat view


def flat_metrics(ent_scores: dict[str, Any], rel_scores: dict[str, Any]) -> dict[str, Any]:
    """Stable flat keys for logs and reports (from ``score_entities``/``score_relations``)."""
    micro = ent_scores["micro"]
    return {
        "ents_p": micro["precision"],
        "ents_r": micro["recall"],
        "ents_f": micro["f1"],
        "ents_macro_f": ent_scores["macro_f1"],
        "ents_per_type": {
            lab: {"p": s["precision"], "r": s["recall"], "f": s["f1"], "support": s["support"]}
            for lab, s in ent_scores["per_label"].items()
        },
        "rel_p": rel_scores["precision"],
        "rel_r": rel_scores["recall"],
        "rel_f": rel_scores["f1"],
        "rel_support": rel_scores["support"],
    }


# ---------------------------------------------------------------- seqeval


def _num(x: Any) -> float:
    """A plain float from a numpy scalar; NaN becomes 0.0."""
    x = float(x)
    return 0.0 if math.isnan(x) else x


def seqeval_scores(gold_tags: list[list[str]], pred_tags: list[list[str]]) -> dict[str, Any]:
    """Token-sequence scores with seqeval in strict IOB2 mode.

    Returns ``per_type`` ({type: {precision, recall, f1, support}}), ``micro``
    ({precision, recall, f1, support}) and ``macro_f1``.  Malformed chunks
    (an ``I-`` without its ``B-``) never count in strict mode.
    """
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    if len(gold_tags) != len(pred_tags) or any(len(g) != len(p) for g, p in zip(gold_tags, pred_tags, strict=True)):
        raise ValueError("gold and pred tag sequences differ in number or length")
    zero = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    if not any(t != OUTSIDE for seq in (*gold_tags, *pred_tags) for t in seq):
        return {"per_type": {}, "micro": dict(zero), "macro_f1": 0.0}
    report = classification_report(
        gold_tags, pred_tags, mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )

    def record(r: dict[str, Any]) -> dict[str, Any]:
        return {"precision": _num(r["precision"]), "recall": _num(r["recall"]),
                "f1": _num(r["f1-score"]), "support": int(r["support"])}

    per_type = {k: record(v) for k, v in report.items() if not k.endswith(" avg")}
    micro = record(report["micro avg"]) if "micro avg" in report else dict(zero)
    macro = _num(report["macro avg"]["f1-score"]) if "macro avg" in report else 0.0
    return {"per_type": per_type, "micro": micro, "macro_f1": macro}
