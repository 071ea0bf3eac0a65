"""Self-training labels: the model and the rules read unannotated prose; sentences where they agree
and the model is confident become extra training sentences, kept apart from the gold.

A sentence is kept when the model finds at least one entity, every model entity scores at least
``min_score`` (raw, uncalibrated: the labelling model is a fold model), and every span the rule
component finds is also a model span with the same label (the model may add spans the rules
miss, when confident), and every relation the model outputs scores at least ``min_score`` (pairs
it does not output are negatives, so an unsure one leaves the sentence out). The records
are marked ``"pseudo": true`` and their ids start with ``st-``; they are written to a run folder,
never to data/, and are never scored on. For cross-validation, label with each fold's own model
(trained without that article) and train the fold on its file (``--extra_train`` with '{fold}').
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from canbo.model.calibration import Calibration
from canbo.model.features import rule_spans
from canbo.model.schema import Document, Entity, Relation


def agreeing(doc: Document, rules: list[Entity], min_score: float) -> Document | None:
    """``doc`` (one sentence, model output) as a training sentence, or None when it must not be one."""
    if not doc.entities or any((e.score or 0.0) < min_score for e in doc.entities):
        return None
    model = {(e.start, e.end, e.label) for e in doc.entities}
    if any((e.start, e.end, e.label) not in model for e in rules):
        return None
    if any((r.score or 0.0) < min_score for r in doc.relations):
        return None  # an unsure relation would become a negative example: leave the sentence out
    rels = [Relation(r.head, r.tail, r.label) for r in doc.relations]
    ents = [Entity(e.start, e.end, e.label, e.text) for e in doc.entities]
    return Document(doc.text, ents, rels, doc.id, dict(doc.meta))


def pseudo_label(model_dir: str, sentences: list[str], min_score: float = 0.9, batch_size: int = 32,
                 progress: bool = False) -> tuple[list[Document], dict[str, Any]]:
    """Kept sentences and counts (read, kept, entities, relations)."""
    from canbo.model.pipeline import load

    pipe = load(model_dir)
    pipe.calibration = Calibration()  # decide on raw scores, as documented
    docs = pipe.predict_batch(sentences, batch_size=batch_size, progress=progress, split=False)
    kept = []
    for k, d in enumerate(docs):
        out = agreeing(d, rule_spans(d.text), min_score)
        if out is not None:
            out.id, out.meta = f"st-{k:06d}", {"doc": "selftrain", "pseudo": True}
            kept.append(out)
    stats = {"sentences": len(sentences), "kept": len(kept), "entities": sum(len(d.entities) for d in kept),
             "relations": sum(len(d.relations) for d in kept), "min_score": min_score, "model": str(model_dir)}
    return kept, stats


def run_selftrain(model_dir: str, corpus: list[str], out: str | Path, min_score: float = 0.9,
                  batch_size: int = 32, progress: bool = False) -> dict[str, Any]:
    """Label the sentences of ``corpus`` (files or folders of raw text) and write the kept ones to
    ``out`` as gold-format JSONL (``--extra_train`` reads it); returns the counts."""
    from canbo.model.schema import write_jsonl
    from canbo.train.pretrain import corpus_sentences

    if not 0.0 < min_score <= 1.0:
        raise ValueError(f"min score must be in (0, 1], not {min_score}")
    kept, stats = pseudo_label(model_dir, corpus_sentences(corpus), min_score, batch_size, progress)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(kept, out)
    return {**stats, "out": str(out)}
