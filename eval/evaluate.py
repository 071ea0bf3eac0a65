"""Scoring one system's predictions on gold sentences: all the numbers a report row needs.

The metrics themselves are ``model.metrics.system_metrics`` (the trainer's too);
this module adds bootstrap intervals and the data summary of a report.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from canbo.model.labels import ENTITY_LABELS
from canbo.model.schema import Document
from canbo.model.scoring import entity_keys, prf


def bootstrap_ci(
    gold: Sequence[Document], pred: Sequence[Document], n: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of entity micro-F1, resampling sentences (paired gold/pred)."""
    counts = []
    for g, p in zip(gold, pred, strict=True):
        gk, pk = entity_keys(g), entity_keys(p)
        counts.append((len(gk & pk), len(pk - gk), len(gk - pk)))
    if not counts:
        return 0.0, 0.0
    rng = random.Random(seed)
    scores = []
    for _ in range(n):
        sample = [counts[rng.randrange(len(counts))] for _ in counts]
        scores.append(prf(*(sum(c[i] for c in sample) for i in range(3)))[2])
    scores.sort()
    lo = scores[int((1 - level) / 2 * (n - 1))]
    hi = scores[int((1 + level) / 2 * (n - 1))]
    return lo, hi


def data_summary(paths: Sequence[str], docs: Sequence[Document]) -> dict[str, Any]:
    """Files, sentence and article counts, entities per label and relations of a gold set."""
    per_label = {lab: 0 for lab in ENTITY_LABELS}
    for d in docs:
        for e in d.entities:
            per_label[e.label] = per_label.get(e.label, 0) + 1
    articles = sorted({str(d.meta.get("doc", d.id or "?")) for d in docs})
    return {
        "files": [str(p) for p in paths],
        "sentences": len(docs),
        "articles": articles,
        "entities": per_label,
        "entities_total": sum(per_label.values()),
        "relations": sum(len(d.relations) for d in docs),
    }
