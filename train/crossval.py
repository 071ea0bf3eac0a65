"""Leave-one-article-out cross-validation: one training run per article held out.

Each fold writes its model and its predictions on the held-out article to
``<output_dir>/fold-<article>/``; the summary (mean and spread of entity and
relation F1) goes to ``<output_dir>/crossval.json``.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
from pathlib import Path
from typing import Any

from canbo.model.schema import article_id, read_corpus
from canbo.train.config import DataConfig, ModelConfig, TrainConfig


def articles(data: DataConfig) -> list[str]:
    """Article ids of the training corpus, in order."""
    seen: list[str] = []
    for d in read_corpus(data.train):
        a = article_id(d)
        if a not in seen:
            seen.append(a)
    return seen


def summarize(per_fold: dict[str, dict[str, float]], keys=("ents_f", "ents_macro_f", "rel_f")) -> dict[str, Any]:
    """Mean, sample standard deviation (n - 1), min and max over folds for each key.

    Relation scores are averaged only over folds whose held-out article has gold
    relations: on an article without any, F1 is 0 whatever the model does.
    """
    out: dict[str, Any] = {"folds": per_fold}
    for k in keys:
        folds = [m for m in per_fold.values() if not (k.startswith("rel_") and m.get("rel_support", 1) == 0)]
        vals = [m[k] for m in folds if k in m]
        if vals:
            out[k] = {
                "folds": len(vals),
                "mean": statistics.fmean(vals),
                "std": statistics.stdev(vals) if len(vals) > 1 else 0.0,  # sample std (n - 1), as in the report
                "min": min(vals),
                "max": max(vals),
            }
    return out


def run_crossval(data: DataConfig, model_cfg: ModelConfig, train_cfg: TrainConfig) -> dict[str, Any]:
    from canbo.train.decoding import write_fold_predictions
    from canbo.train.trainer import run_training

    root = Path(train_cfg.output_dir)
    per_fold = {}
    for art in articles(data):
        fold_dir = root / f"fold-{art}"
        metrics = run_training(
            dataclasses.replace(data, holdout_doc=art),
            model_cfg,
            # the held-out article is the test set: scored every epoch for the learning curve,
            # never used to pick a checkpoint or to stop early
            dataclasses.replace(train_cfg, output_dir=str(fold_dir), select_best=False, early_stopping_patience=0),
        )
        per_fold[art] = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
        held = [d for d in read_corpus(data.train) if d.meta.get("doc", "").startswith(art)]
        write_fold_predictions(fold_dir, held)
    summary = summarize(per_fold)
    (root / "crossval.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def format_summary(summary: dict[str, Any]) -> str:
    lines = [f"{'fold':<8} {'ents_f':>7} {'macro_f':>7} {'rel_f':>7}"]
    for art, m in summary["folds"].items():
        lines.append(f"{art:<8} {m.get('ents_f', 0):>7.3f} {m.get('ents_macro_f', 0):>7.3f} {m.get('rel_f', 0):>7.3f}")
    for k in ("ents_f", "ents_macro_f", "rel_f"):
        if k in summary:
            s = summary[k]
            lines.append(
                f"{k}: {s['mean']:.3f} ± {s['std']:.3f} (min {s['min']:.3f}, max {s['max']:.3f}; {s['folds']} folds)"
            )
    return "\n".join(lines)
