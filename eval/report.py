"""The report's content: every section as render blocks (see ``eval.render``) from ``run_eval``'s results.

All scores are printed as percentages with one decimal (``pct``); the
numbers in ``metrics.json`` are the same values as fractions.
"""

from __future__ import annotations

from typing import Any

from canbo.eval.crossval_report import per_label_summary
from canbo.eval.errors import relation_error_counts
from canbo.eval.report_text import DEFINITIONS, REGENERATE
from canbo.eval.underthesea_ner import LABELS as UD_LABELS
from canbo.model.labels import ENTITY_LABELS
from canbo.model.scoring import GOLD_KINDS, PRED_KINDS

SYSTEM_NAMES = {"model": "canbo model", "rule": "rule/gazetteer baseline", "underthesea": "underthesea NER (PER/LOC/ORG)"}
COLUMNS = (("ents_f", "entity F1"), ("ents_macro_f", "macro F1"), ("shared_f", "PER/LOC/ORG F1"),
           ("seqeval_f", "seqeval F1"), ("rel_f", "HAS_POSITION F1"), ("rel_given_gold_f", "HAS_POSITION F1, gold entities"))
ALL_LABEL_KEYS = {"ents_f", "ents_macro_f", "seqeval_f", "rel_f", "rel_given_gold_f"}


def pct(x: float | None) -> str:
    """A score as a percentage with one decimal ("—" for no value)."""
    return "—" if x is None else f"{100 * x:.1f}"


def mean_std(s: dict[str, float] | None, folds: int | None = None) -> str:
    """``mean ± std`` of a fold summary record, in percent; names the folds used when not all count."""
    if not s:
        return "—"
    out = f"{pct(s['mean'])} ± {pct(s['std'])}"
    return out + (f" ({s['n']} of {folds} folds)" if folds and s["n"] < folds else "")


def _val(m: dict[str, Any], key: str) -> str:
    """A metric of one record in percent; relation scores are "n/a" when gold has no relation."""
    if key.startswith("rel_") and m.get("rel_support") == 0:
        return "n/a"
    return pct(m.get(key))


def _cell(system: str, key: str, value: str) -> str:
    """A headline cell; underthesea only counts in the shared-label column."""
    return "—" if system == "underthesea" and key in ALL_LABEL_KEYS else value


def _systems(res: dict[str, Any]) -> list[str]:
    return ["model"] + [n for n in ("rule", "underthesea") if res["systems"][n]["available"]]


# ---------------------------------------------------------------- front matter


def _summary(res: dict[str, Any]) -> list:
    m, data, cv = res["metrics"], res["data"], res["crossval"]
    items = []
    if cv:
        s, r, k = cv["systems"]["model"]["summary"], cv["systems"]["rule"]["summary"], len(cv["folds"])
        items.append(f"**Headline — leave-one-article-out cross-validation** ({k} folds, "
                     f"{sum(cv['sentences'].values())} held-out sentences): entity micro-F1 **{mean_std(s.get('ents_f'))}** "
                     f"(rule baseline {mean_std(r.get('ents_f'))}); HAS_POSITION F1 **{mean_std(s.get('rel_f'), k)}**, "
                     f"given gold entities {mean_std(s.get('rel_given_gold_f'), k)}.")
    lo, hi = m["ents_f_ci95"]
    items.append(f"This checkpoint on {', '.join(f'`{f}`' for f in data['files'])} ({data['sentences']} sentences, "
                 f"{data['entities_total']} entities, {data['relations']} relations): entity micro-F1 "
                 f"**{pct(m['ents_f'])}** (95% bootstrap CI {pct(lo)}–{pct(hi)}), macro-F1 {pct(m['ents_macro_f'])}, "
                 f"HAS_POSITION F1 **{_val(m, 'rel_f')}**, given gold entities {_val(m, 'rel_given_gold_f')}.")
    seen = res["model"]["trained_on_eval_sentences"]
    if seen:
        items.append(f"**Warning: {seen} of the {data['sentences']} evaluated sentences are in this checkpoint's "
                     "training data.** Its scores on them measure fit, not generalisation"
                     + ("; quote the cross-validation numbers." if cv else "; run with `--crossval` for held-out numbers."))
    elif seen is None:
        items.append("The training data of this checkpoint is unknown (no readable `train_config.json`), so overlap "
                     "with the evaluated sentences cannot be ruled out.")
    else:
        items.append("None of the evaluated sentences is in the checkpoint's training files.")
    if not res["systems"]["underthesea"]["available"]:
        items.append(f"underthesea baseline not run: {res['systems']['underthesea']['note']}.")
    n = data["entities_total"]
    if n:
        items.append(f"Small data: with {n} gold entities one entity moves recall by {100 / n:.1f} points; "
                     "differences inside the confidence interval or the fold spread are not evidence.")
    return [("h", 2, "Summary"), ("list", items)]


def _definitions(res: dict[str, Any]) -> list:
    thr = res["model"]["config"].get("relation_threshold", "the configured threshold")
    return [("h", 2, "Metric definitions"), ("list", [d.format(threshold=thr) for d in DEFINITIONS])]


def _data_section(res: dict[str, Any]) -> list:
    d = res["data"]
    rows = [[lab, n] for lab, n in d["entities"].items()] + [["all entities", d["entities_total"]],
                                                              ["HAS_POSITION relations", d["relations"]]]
    return [("h", 2, "Data"),
            ("list", [f"files: {', '.join(f'`{f}`' for f in d['files'])}", f"sentences: {d['sentences']}",
                      f"articles: {', '.join(f'`{a}`' for a in d['articles'])}"]),
            ("table", ["gold", "count"], rows)]


def _model_section(res: dict[str, Any]) -> list:
    info = res["model"]
    rows = [[f"config.{k}", v] for k, v in info["config"].items()]
    rows += [[f"backbone.{k}", v] for k, v in info["backbone"].items()]
    rows += [[f"train.{k}", v] for k, v in info["train_config"].items()]
    rows += [["training sentences", info["train_sentences"]], ["data fingerprint", info["data_fingerprint"]]]
    return [("h", 2, "Model"), ("p", f"Checkpoint: `{info['path']}`"),
            ("table", ["setting", "value"], [[k, "—" if v is None else v] for k, v in rows])]


# ---------------------------------------------------------------- scores


def _crossval_section(res: dict[str, Any]) -> list:
    cv = res["crossval"]
    systems = [n for n in _systems(res) if n in cv["systems"]]
    k = len(cv["folds"])
    head = ["system"] + [c for _, c in COLUMNS]
    rows = [[SYSTEM_NAMES[n]] + [_cell(n, key, mean_std(cv["systems"][n]["summary"].get(key), k)) for key, _ in COLUMNS]
            for n in systems]
    pooled = [[SYSTEM_NAMES[n]] + [_cell(n, key, _val(cv["systems"][n]["pooled"], key)) for key, _ in COLUMNS]
              for n in systems]
    fold_cols = [(n, key, f"{n}: {name}") for n in systems for key, name in COLUMNS if key in _FOLD_KEYS[n]]
    model = cv["systems"]["model"]["per_fold"]
    fold_rows = [[a, cv["sentences"][a], model[a]["ents_support"], model[a]["rel_support"]]
                 + [_val(cv["systems"][n]["per_fold"][a], key) for n, key, _ in fold_cols] for a in cv["folds"]]
    per_label = {n: per_label_summary(cv["systems"][n]["per_fold"]) for n in systems}
    label_rows = [[lab] + [_fmt_pair(per_label[n].get(lab)) for n in systems] for lab in ENTITY_LABELS]
    check = {True: "Model scores per fold equal those `canbo crossval` logged while training (same scorer).",
             False: "**Model scores per fold differ from those `canbo crossval` logged** — investigate before quoting.",
             None: "No `crossval.json` training summary to cross-check against."}[cv["consistent_with_training"]]
    return [("h", 2, "Cross-validation (headline)"),
            ("p", f"Run: `{cv['run_dir']}`. Mean ± sample standard deviation over {k} held-out articles; every "
                  "system is scored on the same held-out sentences of each fold. Relation scores average only the "
                  "folds whose held-out article has gold relations (recall is undefined elsewhere)."),
            ("table", head, rows),
            ("p", "Pooled: all held-out predictions scored together (micro over folds; each fold by its own model):"),
            ("table", head, pooled), ("p", "Per fold:"),
            ("table", ["held-out article", "sentences", "gold entities", "gold relations"] + [c for *_, c in fold_cols],
             fold_rows),
            ("p", "Per-label F1, mean ± std over the folds whose gold has the label:"),
            ("table", ["label"] + [SYSTEM_NAMES[n] for n in systems], label_rows), ("p", check)]


_FOLD_KEYS = {"model": ("ents_f", "rel_f", "rel_given_gold_f"), "rule": ("ents_f", "rel_f"), "underthesea": ("shared_f",)}


def _fmt_pair(v: tuple[float, float | None] | None) -> str:
    if v is None:
        return "—"
    return pct(v[0]) if v[1] is None else f"{pct(v[0])} ± {pct(v[1])}"


def _checkpoint_section(res: dict[str, Any]) -> list:
    m, base = res["metrics"], res["baselines"]
    systems = _systems(res)
    scores = {"model": m, **base}
    rows = [[SYSTEM_NAMES[n]] + [_cell(n, k, _val(scores[n], k)) for k, _ in COLUMNS] for n in systems]
    ud = base.get("underthesea", {}).get("ents_per_type", {})
    label_rows = []
    for lab in ENTITY_LABELS:
        s = m["ents_per_type"][lab]
        label_rows.append([lab, s["support"], pct(s["p"]), pct(s["r"]), pct(s["f"]),
                           pct(m["seqeval_per_type"].get(lab, {}).get("f")),
                           pct(base["rule"]["ents_per_type"][lab]["f"]),
                           pct(ud[lab]["f"]) if lab in ud and lab in UD_LABELS else "—"])
    label_rows.append(["micro", res["data"]["entities_total"], pct(m["ents_p"]), pct(m["ents_r"]), pct(m["ents_f"]),
                       pct(m["seqeval_f"]), pct(base["rule"]["ents_f"]), "—"])
    plot = res["plots"]["per_label"]
    return [("h", 2, "This checkpoint on the evaluated data"), ("table", ["system"] + [c for _, c in COLUMNS], rows),
            ("p", "Per label (strict character spans unless marked seqeval):"),
            ("table", ["label", "gold", "P", "R", "F1", "seqeval F1", "rule F1", "underthesea F1"], label_rows),
            ("img", plot, "per-label F1")]


# ---------------------------------------------------------------- errors


def _ordered(by_label: dict[str, Any]) -> list[str]:
    """Labels of ``by_label`` in inventory order, unknown ones last."""
    return [lab for lab in ENTITY_LABELS if lab in by_label] + sorted(set(by_label) - set(ENTITY_LABELS))


def _errors_section(res: dict[str, Any]) -> list:
    br = res["breakdown"]
    gold_rows = [[lab] + [br["gold_by_label"][lab][k] for k in GOLD_KINDS] for lab in _ordered(br["gold_by_label"])]
    gold_rows.append(["all"] + [br["gold"][k] for k in GOLD_KINDS])
    pred_rows = [[lab] + [br["pred_by_label"][lab][k] for k in PRED_KINDS] for lab in _ordered(br["pred_by_label"])]
    pred_rows.append(["all"] + [br["pred"][k] for k in PRED_KINDS])
    axes = list(ENTITY_LABELS) + ["O"]
    conf = [[g] + [br["confusion"].get(g, {}).get(p, 0) if (g, p) != ("O", "O") else "" for p in axes] for g in axes]
    return [("h", 2, "Error analysis (model, evaluated data)"),
            ("p", "Every gold span, by what the model predicted for it:"),
            ("table", ["gold label"] + list(GOLD_KINDS), gold_rows),
            ("p", "Every predicted span, by what gold has there:"),
            ("table", ["predicted label"] + list(PRED_KINDS), pred_rows),
            ("p", "Confusion of overlapping gold/predicted spans (rows gold, columns predicted; O = nothing overlaps):"),
            ("table", ["gold \\ pred"] + axes, conf), ("img", res["plots"]["confusion"], "confusion matrix")]


def _calibration_section(res: dict[str, Any]) -> list:
    cal = res["calibration"]
    rows = []
    for name, key in (("as shipped", "shipped"), ("raw (no calibration)", "raw")):
        if cal[key]:
            c = cal[key]
            rows.append([name, f"{c['entity_ece']:.3f}", c["entities"], f"{c['relation_ece']:.3f}", c["relations"]])
    how = (f"Scores are calibrated (Platt scaling per label, `canbo calibrate`) on {cal['fitted_on']}."
           if cal["fitted_on"] else "This model has no calibration.json: its scores are raw.")
    return [("h", 2, "Calibration of scores"),
            ("p", f"{how} Expected calibration error (ECE, 10 equal-width bins; 0 is perfect) of every predicted "
                  "entity's score against whether it is exactly right, and of every predicted relation's score, on "
                  "the evaluated data. `--min-score P` keeps what scores at least P."),
            ("table", ["scores", "entity ECE", "entities", "relation ECE", "relations"], rows),
            ("img", res["plots"]["reliability"], "reliability diagrams")]


def _learning_section(res: dict[str, Any]) -> list:
    plot = res["plots"]["learning_curve"]
    if not plot:
        return [("h", 2, "Learning curves"),
                ("p", "Not available: no `--crossval` run directory with per-epoch dev metrics "
                      "(trainer_state.json) was given.")]
    rows = []
    for art, c in res["crossval"]["learning_curves"].items():
        last = c["points"][-1]["epoch"]
        rows.append([art, c["configured_epochs"], last, c["best_epoch"] if c["best_epoch"] is not None else "—"])
    return [("h", 2, "Learning curves"),
            ("p", "Strict F1 on the held-out article after each epoch of each fold (recorded for this plot only: "
                  "no early stopping or checkpoint selection uses it; the fold's score is its last epoch). "
                  "Folds without gold relations have no relation curve."),
            ("table", ["fold", "configured epochs", "last epoch on disk", "selected epoch"], rows),
            ("img", plot, "learning curves")]


def _worst_section(res: dict[str, Any]) -> list:
    worst = res["worst"]
    if not worst:
        return [("h", 2, "Worst sentences"), ("p", "No sentence has an error.")]
    return [("h", 2, f"The {len(worst)} worst sentences"),
            ("p", "Ranked by entity errors (gold spans not predicted exactly plus predicted spans not in gold), then "
                  "relation errors. ✗ (Markdown) or a dashed red outline (HTML): no exact match on the other side.")
            ] + [("example", ex) for ex in worst]


def _relation_errors_section(res: dict[str, Any], limit: int = 50) -> list:
    errs = res["relation_errors"]
    counts = relation_error_counts(errs)
    rows = [[e["id"] or e["doc"], e["kind"], e["cause"], f"{e['head']} → {e['tail']}", e["text"]] for e in errs[:limit]]
    blocks = [("h", 2, "Relation errors (model, end to end)"),
              ("p", "Cause `entity error`: a span of the pair is not matched exactly on the other side; `link`: both "
                    "spans are right and the relation head missed or invented the pair."),
              ("table", ["kind/cause", "count"], [[k, v] for k, v in counts.items()])]
    if rows:
        more = f" (first {limit} of {len(errs)})" if len(errs) > limit else ""
        blocks += [("p", f"Every relation error{more}:"),
                   ("table", ["sentence", "kind", "cause", "PERSON → POSITION", "text"], rows)]
    return blocks


def _reproduce(res: dict[str, Any]) -> list:
    return [("h", 2, "Reproduce"), ("pre", res["command"] or "canbo eval ..."), ("p", REGENERATE)]


def build_blocks(res: dict[str, Any]) -> list:
    """Every section of the report, in order."""
    blocks = [("h", 1, f"canbo evaluation report: {res['name']}")]
    blocks += _summary(res) + _definitions(res) + _data_section(res) + _model_section(res)
    if res["crossval"]:
        blocks += _crossval_section(res)
    blocks += _checkpoint_section(res) + _calibration_section(res) + _errors_section(res) + _learning_section(res)
    return blocks + _worst_section(res) + _relation_errors_section(res) + _reproduce(res)
