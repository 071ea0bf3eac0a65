"""Leave-one-article-out results from a ``canbo crossval`` run directory, with baselines on the same folds.

For every ``fold-<article>/`` with a ``heldout_predictions.jsonl`` the model's
held-out predictions are scored against gold (our scorer and seqeval), the
fold's saved model scores relations given gold entities, and the rule and
underthesea baselines are run on exactly the same held-out sentences.  Each
metric is then summarised over folds as mean, sample standard deviation
(n - 1), min and max.  Dev-set curves per epoch come from each fold's newest
``trainer_state.json``.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from canbo.eval.systems import Systems
from canbo.model.labels import ENTITY_LABELS
from canbo.model.metrics import system_metrics
from canbo.model.schema import Document, read_corpus, read_predictions

SUMMARY_KEYS = ("ents_f", "ents_macro_f", "shared_f", "seqeval_f", "rel_f", "rel_given_gold_f")


def fold_dirs(run_dir: str | Path) -> list[Path]:
    """Fold folders of a crossval run that hold held-out predictions, in article order."""
    found = sorted(p for p in Path(run_dir).glob("fold-*") if (p / "heldout_predictions.jsonl").is_file())
    if not found:
        raise FileNotFoundError(f"{run_dir}: no fold-*/heldout_predictions.jsonl (is this a 'canbo crossval' run?)")
    return found


def gold_pool(folds: Sequence[Path], extra: Sequence[Document]) -> list[Document]:
    """Gold sentences to match predictions against: the folds' training files (from
    ``train_config.json``, when they exist from here) and then ``extra``."""
    paths: list[str] = []
    for f in folds:
        cfg = f / "train_config.json"
        if cfg.is_file():
            paths += [p for p in json.loads(cfg.read_text(encoding="utf-8")).get("train", []) if p not in paths]
    existing = [p for p in paths if Path(p).exists()]
    return (read_corpus(existing) if existing else []) + list(extra)


def match_gold(preds: Sequence[Document], pool: Sequence[Document]) -> list[Document]:
    """The gold Document of each prediction, by id (then by identical text); raise if one is missing."""
    by_id = {d.id: d for d in reversed(pool) if d.id is not None}
    by_text = {d.text: d for d in reversed(pool)}
    out = []
    for p in preds:
        g = by_id.get(p.id) if p.id is not None else None
        g = g if g is not None and g.text == p.text else by_text.get(p.text)
        if g is None:
            raise ValueError(f"no gold sentence for held-out prediction {p.id or p.text[:40]!r}; pass its file with --data")
        out.append(g)
    return out


def learning_curve(fold: Path) -> dict[str, Any] | None:
    """Per-epoch dev metrics of a fold from its newest ``trainer_state.json``: ``points`` (``epoch``,
    ``ents_f``, ``rel_f``, ...), ``best_epoch`` (the selected checkpoint) and ``configured_epochs``."""
    states = sorted(fold.rglob("trainer_state.json"), key=lambda p: p.stat().st_mtime)
    if not states:
        return None
    state = json.loads(states[-1].read_text(encoding="utf-8"))
    history = state.get("log_history", [])
    points = [{k.removeprefix("eval_"): v for k, v in h.items() if k.startswith("eval_") or k in ("epoch", "step")}
              for h in history if "eval_ents_f" in h]
    if not points:
        return None
    best = next((p["epoch"] for p in points if p.get("step") == state.get("best_global_step")), None)
    return {"points": points, "best_epoch": best, "configured_epochs": state.get("num_train_epochs")}


def summarize(per_fold: dict[str, dict[str, Any]], keys: Sequence[str] = SUMMARY_KEYS) -> dict[str, Any]:
    """Mean, sample std (0 for one fold), min, max and n over folds for each key present.

    Relation keys skip folds without gold relations: recall is undefined there and the
    0.0 our scorer returns would drag the mean down for no error of the system.
    """
    out: dict[str, Any] = {}
    for k in keys:
        vals = [m[k] for m in per_fold.values()
                if isinstance(m.get(k), float) and (not k.startswith("rel_") or m.get("rel_support", 1) > 0)]
        if vals:
            out[k] = {"mean": statistics.fmean(vals), "std": statistics.stdev(vals) if len(vals) > 1 else 0.0,
                      "min": min(vals), "max": max(vals), "n": len(vals)}
    return out


def per_label_summary(folds: dict[str, dict[str, Any]]) -> dict[str, tuple[float, float | None]]:
    """``{label: (mean F1, sample std or None)}`` over folds (or one record), for the labels a
    system was scored on; only folds whose gold has the label count (no recall to measure otherwise)."""
    out = {}
    for lab in ENTITY_LABELS:
        vals = [m["ents_per_type"][lab]["f"] for m in folds.values()
                if lab in m["ents_per_type"] and m["ents_per_type"][lab]["support"] > 0]
        if vals:
            out[lab] = (statistics.fmean(vals), statistics.stdev(vals) if len(vals) > 1 else None)
    return out


def _training_summary(run_dir: Path) -> dict[str, Any]:
    path = run_dir / "crossval.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def crossval_results(run_dir: str | Path, systems: Systems, extra_gold: Sequence[Document] = ()) -> dict[str, Any]:
    """Per-fold metrics, their summary and pooled scores for the model and every available baseline.

    Returns ``{"run_dir", "folds": [article, ...], "sentences": {article: n}, "systems": {name:
    {"per_fold": {article: metrics}, "summary": {...}, "pooled": metrics}}, "learning_curves":
    {article: curve}, "consistent_with_training": bool | None}``.  ``pooled`` scores all held-out
    sentences of all folds at once (micro over folds).
    """
    run_dir = Path(run_dir)
    folds = fold_dirs(run_dir)
    pool = gold_pool(folds, extra_gold)
    per_fold: dict[str, dict[str, Any]] = {"model": {}}
    sentences, curves = {}, {}
    all_gold, all_pred, all_given = [], [], []
    for fold in systems.progress(folds, "crossval folds"):
        art = fold.name.removeprefix("fold-")
        preds = read_predictions(fold / "heldout_predictions.jsonl")
        gold = match_gold(preds, pool)
        sentences[art] = len(gold)
        given = systems.model_given_gold(fold, gold)
        per_fold["model"][art] = system_metrics(gold, preds, given_gold=given)
        for name, m in systems.baseline_metrics(gold).items():
            per_fold.setdefault(name, {})[art] = m
        curves[art] = learning_curve(fold)
        all_gold += gold
        all_pred += preds
        all_given = all_given + given if given is not None and all_given is not None else None
    pooled = {"model": system_metrics(all_gold, all_pred, given_gold=all_given), **systems.baseline_metrics(all_gold)}
    return {
        "run_dir": str(run_dir),
        "folds": list(sentences),
        "sentences": sentences,
        "systems": {name: {"per_fold": pf, "summary": summarize(pf), "pooled": pooled[name]}
                    for name, pf in per_fold.items()},
        "learning_curves": {a: c for a, c in curves.items() if c},
        "consistent_with_training": _consistent(per_fold["model"], _training_summary(run_dir)),
    }


def _consistent(model_folds: dict[str, dict[str, Any]], training: dict[str, Any]) -> bool | None:
    """Do our per-fold ents_f/rel_f equal the ones ``canbo crossval`` logged (same scorer)? None if not logged."""
    logged = training.get("folds", {})
    common = [a for a in model_folds if a in logged]
    if not common:
        return None
    return all(abs(model_folds[a][k] - logged[a][k]) < 1e-9
               for a in common for k in ("ents_f", "rel_f") if k in logged[a])
