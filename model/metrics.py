"""Metrics of one system's predictions against gold sentences, as the trainer, ``canbo crossval``
and ``canbo eval`` all compute them (built on ``model.scoring``), so that the training log and
every report agree on what ``ents_f`` means. Below ``train/`` so that training needs no ``eval/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from canbo.model.conll import sentence_word_tags
from canbo.model.labels import ENTITY_LABELS
from canbo.model.schema import Document, Entity, Relation
from canbo.model.scoring import flat_metrics, score_entities, score_relations, seqeval_scores

# Labels every compared system can produce: the common ground of the headline table.
SHARED_LABELS: tuple[str, ...] = ("PERSON", "LOCATION", "ORG")


def restrict(docs: Sequence[Document], labels: Sequence[str]) -> list[Document]:
    """Copies of ``docs`` keeping only entities with ``labels`` (and relations between kept ones)."""
    out = []
    for d in docs:
        keep = [i for i, e in enumerate(d.entities) if e.label in labels]
        index = {old: new for new, old in enumerate(keep)}
        ents = [d.entities[i] for i in keep]
        rels = [Relation(index[r.head], index[r.tail], r.label, r.score)
                for r in d.relations if r.head in index and r.tail in index]
        out.append(Document(d.text, ents, rels, d.id, dict(d.meta)))
    return out


def word_tags(
    gold: Sequence[Document], pred: Sequence[Document], segmenter: Callable[[str], list[str]] | None = None
) -> tuple[list[list[str]], list[list[str]]]:
    """Word-level IOB2 tags of gold and pred on the same words (split at every span boundary of both)."""
    g_tags, p_tags = [], []
    for g, p in zip(gold, pred, strict=True):
        words, (gt, pt) = sentence_word_tags(g.text, 0, len(g.text), [g.entities, _non_overlapping(p.entities)],
                                             segmenter)
        if words:
            g_tags.append(gt)
            p_tags.append(pt)
    return g_tags, p_tags


def _non_overlapping(ents: Sequence[Entity]) -> list[Entity]:
    """Entities with any span overlapping an earlier (by start, then longer) one dropped; BIO cannot nest."""
    kept: list[Entity] = []
    for e in sorted(ents, key=lambda e: (e.start, e.start - e.end)):
        if not kept or e.start >= kept[-1].end:
            kept.append(e)
    return kept


def system_metrics(
    gold: Sequence[Document],
    pred: Sequence[Document],
    labels: Sequence[str] = ENTITY_LABELS,
    given_gold: Sequence[Document] | None = None,
    segmenter: Callable[[str], list[str]] | None = None,
) -> dict[str, Any]:
    """Flat metrics of ``pred`` against ``gold``, scored on ``labels`` only.

    Keys: those of ``flat_metrics`` (``ents_*``, ``rel_*``), ``ents_support`` and
    ``rel_support`` (gold counts), ``seqeval_*``,
    ``shared_f`` (micro F on ``SHARED_LABELS``), ``rel_given_gold_*`` when
    ``given_gold`` (gold entities with predicted relations) is given, and
    ``labels`` (the labels scored).
    """
    gold, pred = restrict(gold, labels), restrict(pred, labels)
    ents, rels = score_entities(gold, pred), score_relations(gold, pred)
    out: dict[str, Any] = {"labels": list(labels), **flat_metrics(ents, rels)}
    out["ents_support"], out["rel_support"] = ents["micro"]["support"], rels["support"]
    out["ents_per_type"] = {k: v for k, v in out["ents_per_type"].items() if k in labels}
    shared = score_entities(restrict(gold, SHARED_LABELS), restrict(pred, SHARED_LABELS))
    out["shared_f"] = shared["micro"]["f1"]
    seq = seqeval_scores(*word_tags(gold, pred, segmenter))
    out.update({"seqeval_p": seq["micro"]["precision"], "seqeval_r": seq["micro"]["recall"],
                "seqeval_f": seq["micro"]["f1"], "seqeval_macro_f": seq["macro_f1"],
                "seqeval_per_type": {k: {"p": v["precision"], "r": v["recall"], "f": v["f1"], "support": v["support"]}
                                     for k, v in seq["per_type"].items()}})
    if given_gold is not None:
        gg = score_relations(gold, restrict(given_gold, labels))
        out.update({"rel_given_gold_p": gg["precision"], "rel_given_gold_r": gg["recall"],
                    "rel_given_gold_f": gg["f1"]})
    return out
