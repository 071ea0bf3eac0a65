"""Decode-only settings of trained models, changed without retraining.

``merge_policy``, ``rule_labels``, ``relation_one_holder`` and ``relation_merge`` decide how a model's outputs are
merged and linked, not what it learns: training never reads them. ``python -m
canbo.train.decoding --crossval runs/cv --run runs/default --merge_policy model-first
--rule_labels METRIC`` writes them into the config of every fold model and of the full model,
and rewrites each fold's ``heldout_predictions.jsonl`` and ``crossval.json`` with them, so that
``canbo calibrate`` fits the scores the released model will give, and its card states its scores.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from canbo.model.merge import POLICIES, RELATION_MERGES

DECODE_KEYS = ("merge_policy", "rule_labels", "relation_one_holder", "relation_merge")


def set_decoding(folder: str | Path, **settings: Any) -> dict[str, Any]:
    """Write ``settings`` (keys of ``DECODE_KEYS``) into ``folder``'s config.json and train_config.json,
    after checking them the way training does; returns the new values."""
    from canbo.train.config import ModelConfig

    unknown = sorted(set(settings) - set(DECODE_KEYS))
    if unknown:
        raise ValueError(f"not decode-only settings: {', '.join(unknown)} (these are: {', '.join(DECODE_KEYS)})")
    folder = Path(folder)
    ModelConfig(**settings)  # validation: policy, labels
    for name in ("config.json", "train_config.json"):
        path = folder / name
        if path.is_file():
            cfg = json.loads(path.read_text(encoding="utf-8"))
            cfg.update(settings)
            path.write_text(json.dumps(cfg, ensure_ascii=False, indent=2), encoding="utf-8")
    info_file = folder / "run_info.json"
    if info_file.is_file():  # provenance: these were not the settings the run was started with
        info = json.loads(info_file.read_text(encoding="utf-8"))
        info["decoding_set_after_training"] = {**info.get("decoding_set_after_training", {}), **settings}
        info_file.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return settings


def write_fold_predictions(fold_dir: str | Path, held: list) -> list:
    """``heldout_predictions.jsonl`` of one cross-validation fold: its model on its held-out sentences
    (returned)."""
    from canbo.model.pipeline import load
    from canbo.model.schema import write_jsonl

    preds = load(fold_dir).predict_batch([d.text for d in held], split=False)
    for g, p in zip(held, preds):
        p.id, p.meta = g.id, dict(g.meta)
    write_jsonl(preds, Path(fold_dir) / "heldout_predictions.jsonl", gold=False)
    return preds


def redecode(crossval: str | Path, data: list[str], run: str | Path | None = None, **settings: Any) -> dict[str, Any]:
    """``set_decoding`` on every ``fold-*`` of ``crossval`` (and on ``run``), then each fold's
    predictions and ``crossval.json`` anew (its per-fold scores from those predictions); returns it."""
    from canbo.model.metrics import system_metrics
    from canbo.model.schema import article_id, read_corpus
    from canbo.train.crossval import summarize

    gold = read_corpus(data)
    folds = sorted(Path(crossval).glob("fold-*"))
    if not folds:
        raise ValueError(f"{crossval} has no fold-* folders: run canbo crossval first")
    per_fold = {}
    for fold in folds:
        set_decoding(fold, **settings)
        art = fold.name.removeprefix("fold-")
        held = [d for d in gold if article_id(d) == art]
        metrics = system_metrics(held, write_fold_predictions(fold, held))
        per_fold[art] = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
    if run is not None:
        set_decoding(run, **settings)
    summary = {**summarize(per_fold), "decoding": settings}
    (Path(crossval) / "crossval.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m canbo.train.decoding", description=__doc__.split("\n")[0])
    ap.add_argument("--crossval", required=True, help="A canbo crossval folder (fold-*/).")
    ap.add_argument("--run", default=None, help="The full model trained with the same recipe.")
    ap.add_argument("--data", nargs="+", default=["data/annotated"], help="The gold data the folds held out.")
    ap.add_argument("--merge_policy", default=None, choices=POLICIES, help="Who decides the spans (model.merge).")
    ap.add_argument("--rule_labels", nargs="*", default=None, help="Labels the rules own (none: clear).")
    ap.add_argument("--relation_one_holder", choices=("true", "false"), default=None,
                    help="Each POSITION keeps its best-scoring holder only.")
    ap.add_argument("--relation_merge", default=None, choices=RELATION_MERGES,
                    help="Whose HAS_POSITION links are output (model.merge).")
    args = ap.parse_args(argv)
    settings = {k: getattr(args, k) for k in DECODE_KEYS if getattr(args, k) is not None}
    if "relation_one_holder" in settings:
        settings["relation_one_holder"] = settings["relation_one_holder"] == "true"
    if not settings:
        ap.error("give at least one of --merge_policy, --rule_labels, --relation_one_holder, --relation_merge")
    from canbo.train.crossval import format_summary

    summary = redecode(args.crossval, args.data, args.run, **settings)
    print(f"set {json.dumps(settings, ensure_ascii=False)}; fold predictions and crossval.json rewritten")
    print(format_summary(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
