"""``canbo calibrate``: fit a model's score calibration on cross-validation fold predictions.

Each fold model's predictions on its held-out article (``<crossval>/fold-*/heldout_predictions.jsonl``,
written by ``canbo crossval``) are text that model never trained on; their scores against the
gold say how often a span scored ``p`` is exactly right. The fit is saved as ``calibration.json``
in the model folder (``model.calibration``), and the printed table gives expected calibration
error before and after, each fold scored by a fit on the other folds only.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from canbo.model.calibration import Calibration, expected_calibration_error, fit, outcomes
from canbo.model.schema import Document, read_corpus, read_predictions


def fold_predictions(crossval: str | Path, gold: list[Document]) -> dict[str, tuple[list[Document], list[Document]]]:
    """``{fold: (gold, predictions)}`` paired by sentence id, from a ``canbo crossval`` folder."""
    by_id = {d.id: d for d in gold}
    out = {}
    for path in sorted(Path(crossval).glob("fold-*/heldout_predictions.jsonl")):
        preds = read_predictions(path)
        missing = [p.id for p in preds if p.id not in by_id]
        if missing:
            raise ValueError(f"{path}: sentence ids not in the gold data, e.g. {missing[0]!r}")
        out[path.parent.name] = ([by_id[p.id] for p in preds], preds)
    if not out:
        raise ValueError(f"{crossval} has no fold-*/heldout_predictions.jsonl: run canbo crossval first")
    return out


def _pairs(gold: list[Document], pred: list[Document], cal: Calibration | None) -> tuple[list, list]:
    """(score, right?) of every entity and relation, after ``cal`` when given (on copies)."""
    if cal is not None:
        pred = [cal.apply(copy.deepcopy(p)) for p in pred]
    ents, rels = outcomes(gold, pred)
    return [x for xs in ents.values() for x in xs], rels


def calibrate(crossval: str | Path, data: list[str], model_dir: str | Path | None = None) -> dict[str, Any]:
    """Fit on all folds (saved into ``model_dir`` when given) and measure ECE on each fold with a fit
    on the other folds; returns the numbers printed by the command."""
    folds = fold_predictions(crossval, read_corpus(data))
    raw_e, raw_r, cal_e, cal_r = [], [], [], []
    for name, (g, p) in folds.items():
        others_g = [d for k, (gg, _) in folds.items() if k != name for d in gg]
        others_p = [d for k, (_, pp) in folds.items() if k != name for d in pp]
        held_out_fit = fit(others_g, others_p)
        e, r = _pairs(g, p, None)
        raw_e += e
        raw_r += r
        e, r = _pairs(g, p, held_out_fit)
        cal_e += e
        cal_r += r
    every_g = [d for g, _ in folds.values() for d in g]
    every_p = [d for _, p in folds.values() for d in p]
    cal = fit(every_g, every_p, fitted_on=f"{len(folds)} cross-validation folds of {', '.join(map(str, data))} "
                                           f"({sum(len(g) for g, _ in folds.values())} sentences)")
    out = {
        "folds": len(folds),
        "entities": len(raw_e), "relations": len(raw_r),
        "entity_ece_raw": expected_calibration_error(raw_e), "entity_ece_calibrated": expected_calibration_error(cal_e),
        "relation_ece_raw": expected_calibration_error(raw_r),
        "relation_ece_calibrated": expected_calibration_error(cal_r),
        "calibration": cal.to_dict(),
    }
    if model_dir is not None:
        out["saved"] = str(cal.save(model_dir))
    return out
