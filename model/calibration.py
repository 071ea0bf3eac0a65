"""Scores users can filter on: calibrated entity and relation probabilities, and ``--min-score``.

A raw span score is the mean probability of its words' tags, which says little about whether
the span is exactly right (wrong spans came out at 0.98 to 1.00). ``Calibration`` maps it,
per label, through Platt scaling (a logistic curve on the logit of the raw score) fitted on
predictions for text the model did not train on (the cross-validation folds), so that a score
of 0.8 means "right about 8 times in 10" on such text. It is saved with the weights as
``calibration.json`` and applied by the pipeline; a model without it keeps raw scores.
``expected_calibration_error`` and ``reliability`` measure how well that holds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canbo.model.schema import Document, Entity, Relation

FILE = "calibration.json"
_EPS = 1e-4


def _logit(p: float) -> float:
    p = min(max(p, _EPS), 1 - _EPS)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Platt:
    """``sigmoid(a * logit(p) + b)``: monotone, so the ranking of scores never changes."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, p: float) -> float:
        return _sigmoid(self.a * _logit(p) + self.b)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def fit_platt(scores: Sequence[float], correct: Sequence[bool], l2: float = 1.0, steps: int = 100) -> Platt:
    """Platt parameters by damped Newton steps on the log-loss. An L2 pull towards the identity map
    (a=1, b=0), worth about one example, keeps it sane on few or one-sided examples, and ``a`` is kept
    at 0 or above so that a higher raw score never gets a lower calibrated one."""
    if len(scores) != len(correct):
        raise ValueError("scores and outcomes differ in length")
    xs = [_logit(s) for s in scores]
    ys = [1.0 if c else 0.0 for c in correct]

    def loss(a: float, b: float) -> float:
        total = 0.5 * l2 * ((a - 1) ** 2 + b * b)
        for x, y in zip(xs, ys):
            z = a * x + b  # log(1 + e^z) - y z, computed stably
            total += (z if z > 0 else 0.0) + math.log1p(math.exp(-abs(z))) - y * z
        return total

    a, b = 1.0, 0.0
    current = loss(a, b)
    for _ in range(steps):
        ga, gb = l2 * (a - 1), l2 * b
        haa, hab, hbb = l2, 0.0, l2
        for x, y in zip(xs, ys):
            p = _sigmoid(a * x + b)
            w = p * (1 - p)
            ga, gb = ga + (p - y) * x, gb + (p - y)
            haa, hab, hbb = haa + w * x * x, hab + w * x, hbb + w
        det = haa * hbb - hab * hab
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        step = 1.0
        while step > 1e-6 and loss(max(0.0, a - step * da), b - step * db) > current:
            step /= 2  # Newton overshoots where the curve is flat (scores near 0 or 1)
        if step <= 1e-6:
            break
        a, b = max(0.0, a - step * da), b - step * db
        new = loss(a, b)
        if current - new < 1e-10:
            break
        current = new
    return Platt(a, b)


@dataclass
class Calibration:
    """Per entity label and for the relation: the map from raw to calibrated score."""

    entity: dict[str, Platt] = field(default_factory=dict)
    relation: Platt | None = None
    fitted_on: str = ""  # what the fit saw, for the model card

    def entity_score(self, label: str, raw: float) -> float:
        f = self.entity.get(label)
        return f(raw) if f is not None else raw

    def relation_score(self, raw: float) -> float:
        return self.relation(raw) if self.relation is not None else raw

    def apply(self, doc: Document) -> Document:
        """``doc`` with calibrated scores (in place; unscored spans stay unscored)."""
        for e in doc.entities:
            if e.score is not None:
                e.score = self.entity_score(e.label, e.score)
        for r in doc.relations:
            if r.score is not None:
                r.score = self.relation_score(r.score)
        return doc

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "platt",
            "fitted_on": self.fitted_on,
            "entity": {k: {"a": v.a, "b": v.b} for k, v in sorted(self.entity.items())},
            "relation": None if self.relation is None else {"a": self.relation.a, "b": self.relation.b},
        }

    def save(self, folder: str | Path) -> Path:
        path = Path(folder) / FILE
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, folder: str | Path) -> Calibration | None:
        """The calibration saved in a model folder, or None when it has none."""
        path = Path(folder) / FILE
        if not path.is_file():
            return None
        d = json.loads(path.read_text(encoding="utf-8"))
        if d.get("method") != "platt":
            raise ValueError(f"{path}: unknown calibration method {d.get('method')!r}")
        rel = d.get("relation")
        return cls({k: Platt(v["a"], v["b"]) for k, v in d.get("entity", {}).items()},
                   None if rel is None else Platt(rel["a"], rel["b"]), d.get("fitted_on", ""))


def outcomes(gold: Sequence[Document], pred: Sequence[Document]) -> tuple[dict[str, list[tuple[float, bool]]], list[tuple[float, bool]]]:
    """(score, exactly right?) of every scored predicted entity, per label, and of every predicted
    relation (right when both spans, their labels and the relation label match gold)."""
    ents: dict[str, list[tuple[float, bool]]] = {}
    rels: list[tuple[float, bool]] = []
    for g, p in zip(gold, pred, strict=True):
        gold_spans = {(e.start, e.end, e.label) for e in g.entities}
        key = lambda d, i: (d.entities[i].start, d.entities[i].end, d.entities[i].label)  # noqa: E731
        gold_rels = {(key(g, r.head), key(g, r.tail), r.label) for r in g.relations}
        for e in p.entities:
            if e.score is not None:
                ents.setdefault(e.label, []).append((e.score, (e.start, e.end, e.label) in gold_spans))
        for r in p.relations:
            if r.score is not None:
                rels.append((r.score, (key(p, r.head), key(p, r.tail), r.label) in gold_rels))
    return ents, rels


MIN_FIT = 30  # fewer predictions than this of a label (or relations) keep raw scores: a fit on a handful overfits


def fit(gold: Sequence[Document], pred: Sequence[Document], fitted_on: str = "", min_count: int = MIN_FIT) -> Calibration:
    """A calibration from predictions on text the model did not train on (e.g. CV folds); a label
    with fewer than ``min_count`` predictions, and relations likewise, keep raw scores."""
    ents, rels = outcomes(gold, pred)
    return Calibration(
        {lab: fit_platt([s for s, _ in xs], [c for _, c in xs]) for lab, xs in ents.items() if len(xs) >= min_count},
        fit_platt([s for s, _ in rels], [c for _, c in rels]) if len(rels) >= min_count else None,
        fitted_on,
    )


def reliability(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> list[dict[str, float]]:
    """Equal-width score bins: count, mean score and share right in each non-empty bin."""
    acc: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for s, c in pairs:
        acc[min(int(s * bins), bins - 1)].append((s, c))
    return [
        {"lo": k / bins, "hi": (k + 1) / bins, "count": len(xs), "mean_score": sum(s for s, _ in xs) / len(xs),
         "accuracy": sum(c for _, c in xs) / len(xs)}
        for k, xs in enumerate(acc) if xs
    ]


def expected_calibration_error(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> float:
    """Count-weighted mean gap between mean score and share right over equal-width bins (0 is perfect)."""
    rows = reliability(pairs, bins)
    n = sum(r["count"] for r in rows)
    return sum(r["count"] * abs(r["mean_score"] - r["accuracy"]) for r in rows) / n if n else 0.0


def at_least(doc: Document, min_score: float) -> Document:
    """A copy of ``doc`` without entities and relations scored below ``min_score``; a relation
    whose head or tail is dropped goes too, and the others are re-indexed. Unscored items stay."""
    if not 0.0 <= min_score <= 1.0:
        raise ValueError(f"min score must be between 0 and 1, not {min_score}")
    keep = [i for i, e in enumerate(doc.entities) if e.score is None or e.score >= min_score]
    index = {old: new for new, old in enumerate(keep)}
    ents = [Entity(e.start, e.end, e.label, e.text, e.score, e.id, e.source) for e in (doc.entities[i] for i in keep)]
    rels = [
        Relation(index[r.head], index[r.tail], r.label, r.score)
        for r in doc.relations
        if r.head in index and r.tail in index and (r.score is None or r.score >= min_score)
    ]
    return Document(doc.text, ents, rels, doc.id, dict(doc.meta))
