"""``canbo eval``: score a checkpoint (and optionally a crossval run) and write the report folder.

Outputs in ``out``: ``report.md``, ``report.html``, ``metrics.json`` (flat
keys, see ``flat_output``), ``predictions.jsonl`` (the model's predictions
on the gold sentences, in ``canbo predict`` format with sentence ids) and
the PNG figures the report references.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from canbo.eval.crossval_report import crossval_results, per_label_summary
from canbo.eval.errors import relation_error_counts, relation_errors, worst_sentences
from canbo.eval.evaluate import bootstrap_ci, data_summary
from canbo.eval.gold_relations import relations_given_gold
from canbo.eval.provenance import model_info
from canbo.eval.systems import Systems
from canbo.model.labels import ENTITY_LABELS
from canbo.model.metrics import system_metrics
from canbo.model.schema import read_corpus, write_jsonl
from canbo.model.scoring import error_breakdown

PLOTS = {"per_label": "per_label_f1.png", "confusion": "confusion.png", "learning_curve": "learning_curve.png",
         "reliability": "reliability.png"}


def score_checkpoint(model: str | None, data: Sequence[str], systems: Systems, batch_size: int = 32) -> dict[str, Any]:
    """Gold, predictions and every score of one checkpoint (and the baselines) on ``data``."""
    from canbo.model.hub import resolve_model_path
    from canbo.model.pipeline import DEFAULT_MODEL_DIR, load

    gold = read_corpus(data)
    if not gold:
        raise ValueError(f"no gold sentences in {', '.join(map(str, data))}")
    folder = resolve_model_path(model if model is not None else DEFAULT_MODEL_DIR)
    pipe = load(folder)
    preds = pipe.predict_batch([d.text for d in gold], batch_size=batch_size, progress=systems.show_progress,
                               split=False)
    for g, p in zip(gold, preds):
        p.id, p.meta = g.id, dict(g.meta)
    calibration = calibration_check(pipe, gold, preds, batch_size)
    given = relations_given_gold(pipe, gold, batch_size)
    metrics = system_metrics(gold, preds, given_gold=given, segmenter=pipe.segmenter)
    metrics["ents_f_ci95"] = list(bootstrap_ci(gold, preds))
    return {
        "gold": gold, "pred": preds, "model": model_info(folder, gold), "data": data_summary(data, gold),
        "metrics": metrics, "baselines": systems.baseline_metrics(gold),
        "breakdown": error_breakdown(gold, preds), "relation_errors": relation_errors(gold, preds),
        "worst": worst_sentences(gold, preds, k=10), "calibration": calibration,
    }


def calibration_check(pipe, gold, preds, batch_size: int) -> dict[str, Any]:
    """Expected calibration error and reliability bins of the scores as shipped on this data, and of
    the raw scores when the model has a calibration (``model.calibration``), for the report."""
    import copy

    from canbo.model.calibration import Calibration, expected_calibration_error, outcomes, reliability

    def summary(docs) -> dict[str, Any]:
        ents, rels = outcomes(gold, docs)
        pairs = [x for xs in ents.values() for x in xs]
        return {"entity_ece": expected_calibration_error(pairs), "relation_ece": expected_calibration_error(rels),
                "entities": len(pairs), "relations": len(rels),
                "entity_bins": reliability(pairs), "relation_bins": reliability(rels)}

    out = {"fitted_on": pipe.calibration.fitted_on or None, "shipped": summary(preds), "raw": None}
    if pipe.calibration.entity or pipe.calibration.relation:
        fitted, pipe.calibration = pipe.calibration, Calibration()
        try:
            raw = pipe.predict_batch([d.text for d in gold], batch_size=batch_size, split=False)
        finally:
            pipe.calibration = fitted
        out["raw"] = summary(copy.deepcopy(raw))
    return out


def flat_output(res: dict[str, Any], systems: Systems) -> dict[str, Any]:
    """The ``metrics.json`` content: model metrics at the top level, then baselines, crossval, errors.

    A baseline's ``ents_*``/``seqeval_*`` keys are scored on its own ``labels`` only (underthesea:
    PERSON/LOCATION/ORG); ``shared_f`` is the one entity score comparable across all systems.
    """
    out = {k: v for k, v in res["metrics"].items() if k != "labels"}
    status = systems.status()
    out["baselines"] = {name: {"available": st["available"], "note": st["note"],
                               **res["baselines"].get(name, {})}
                        for name, st in status.items()}
    cv = res.get("crossval")
    out["crossval"] = None if cv is None else {
        "run_dir": cv["run_dir"], "folds": cv["folds"], "sentences": cv["sentences"],
        "consistent_with_training": cv["consistent_with_training"],
        "systems": {name: {"summary": s["summary"], "pooled": _scalars(s["pooled"]),
                           "per_fold": {a: _scalars(m) for a, m in s["per_fold"].items()}}
                    for name, s in cv["systems"].items()},
    }
    br = res["breakdown"]
    out["errors"] = {"gold": br["gold"], "pred": br["pred"], "confusion": br["confusion"],
                     "relations": relation_error_counts(res["relation_errors"])}
    out["data"] = res["data"]
    out["model"] = dict(res["model"])
    out["plots"] = res["plots"]
    cal = res["calibration"]
    out["calibration"] = {"fitted_on": cal["fitted_on"], **{
        f"{kind}_{key}": cal[kind][key] if cal[kind] else None
        for kind in ("shipped", "raw") for key in ("entity_ece", "relation_ece")}}
    return out


def _scalars(m: dict[str, Any]) -> dict[str, Any]:
    """The numeric keys of a metrics record (per-fold entries stay small)."""
    return {k: v for k, v in m.items() if isinstance(v, (int, float))}


def make_plots(res: dict[str, Any], out: Path) -> dict[str, str | None]:
    """Write the figures; returns ``{plot: file name or None}`` (None: no data for it)."""
    from canbo.eval import plots

    cv = res.get("crossval")
    names = {}
    if cv:
        source = {name: s["per_fold"] for name, s in cv["systems"].items()}
        title = f"Per-label F1, mean ± sample std over {len(cv['folds'])} held-out articles"
    else:
        source = {"model": {"all": res["metrics"]}, **{n: {"all": m} for n, m in res["baselines"].items()}}
        title = "Per-label F1 on the evaluated data"
    scores = {name: per_label_summary(folds) for name, folds in source.items()}
    support = res["data"]["entities"]
    if cv:
        support = {lab: sum(m["ents_per_type"][lab]["support"] for m in source["model"].values())
                   for lab in ENTITY_LABELS}
    plots.per_label_f1(scores, ENTITY_LABELS, support, out / PLOTS["per_label"], title)
    names["per_label"] = PLOTS["per_label"]
    plots.confusion(res["breakdown"]["confusion"], ENTITY_LABELS, out / PLOTS["confusion"],
                    "Label confusion of overlapping spans (model, evaluated data)")
    names["confusion"] = PLOTS["confusion"]
    cal = res["calibration"]
    plots.reliability({name: cal[key] for name, key in (("as shipped", "shipped"), ("raw", "raw")) if cal[key]},
                      out / PLOTS["reliability"])
    names["reliability"] = PLOTS["reliability"]
    curves = (cv or {}).get("learning_curves") or {}
    names["learning_curve"] = None
    if curves:
        empty = {a for a, m in cv["systems"]["model"]["per_fold"].items() if m["rel_support"] == 0}
        plots.learning_curves(curves, out / PLOTS["learning_curve"], no_relations=empty)
        names["learning_curve"] = PLOTS["learning_curve"]
    return names


def run_eval(
    model: str | None,
    data: Sequence[str],
    out: str | Path,
    crossval: str | None = None,
    name: str | None = None,
    underthesea: bool = True,
    progress: bool = True,
    batch_size: int = 32,
    command: str = "",
) -> Path:
    """Compute everything and write the report folder; returns the path of ``report.md``."""
    from transformers.utils import logging as hf_logging

    from canbo.eval.render import to_html, to_markdown
    from canbo.eval.report import build_blocks

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    systems = Systems(underthesea=underthesea, progress=progress, batch_size=batch_size)
    bars = hf_logging.is_progress_bar_enabled()
    if not progress:
        hf_logging.disable_progress_bar()  # no weight-loading bars for each fold model
    try:
        res = score_checkpoint(model, data, systems, batch_size)
        res["crossval"] = crossval_results(crossval, systems, res["gold"]) if crossval else None
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    res["plots"] = make_plots(res, out)
    res["systems"] = systems.status()
    res["name"] = name or out.name
    res["command"] = command
    metrics = flat_output(res, systems)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    write_jsonl(res["pred"], out / "predictions.jsonl", gold=False)
    blocks = build_blocks(res)
    (out / "report.md").write_text(to_markdown(blocks), encoding="utf-8")
    (out / "report.html").write_text(to_html(blocks, f"canbo evaluation: {res['name']}"), encoding="utf-8")
    return out / "report.md"

