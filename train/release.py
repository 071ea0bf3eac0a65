"""Ship a trained run as the package's default model, with its model card.

``python -m canbo.train.release --run runs/default --crossval runs/cv-default``
copies the run's top-level files (weights, config, tokenizer, resolved
training config, run info) into ``model/default_model/`` and writes
``MODEL_CARD.md`` from the run and cross-validation results, so the card
always states the numbers of exactly the recipe that was shipped.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from canbo.model.merge import rules_decide_all
from canbo.model.pipeline import DEFAULT_MODEL_DIR

SHIPPED = (
    "config.json",
    "model.safetensors",
    "vocab.txt",
    "bpe.codes",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "train_config.json",
    "run_info.json",
    "calibration.json",  # written into the run by `canbo calibrate`
)


def release(run: Path, crossval: Path | None, target: Path = DEFAULT_MODEL_DIR, heldout: Path | None = None) -> Path:
    if not (run / "config.json").is_file():
        raise FileNotFoundError(f"{run} has no config.json: train it first")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in SHIPPED:
        if (run / name).is_file():
            shutil.copy2(run / name, target / name)
    cfg_file = target / "train_config.json"
    if cfg_file.is_file():  # data paths as seen from the repository, not the machine that trained
        cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
        for key in ("train", "extra_train", "dev"):
            if cfg.get(key):
                cfg[key] = _repo_paths(cfg[key])
        if cfg.get("backbone", "").startswith("/"):
            cfg["backbone"] = _repo_paths([cfg["backbone"]])[0]
        cfg_file.write_text(json.dumps(cfg, ensure_ascii=False, indent=2), encoding="utf-8")
    cv = json.loads((crossval / "crossval.json").read_text()) if crossval else None
    held = json.loads((heldout / "metrics.json").read_text()) if heldout else None
    (target / "MODEL_CARD.md").write_text(model_card(target, cv, held), encoding="utf-8")
    return target


def _fmt(stat: dict | None) -> str:
    if not stat:
        return "n/a"
    return (
        f"{stat['mean']:.3f} ± {stat['std']:.3f} (min {stat['min']:.3f}, max {stat['max']:.3f}, "
        f"over {stat.get('folds', '?')} folds)"
    )


def _repo_paths(paths: list[str]) -> list[str]:
    """Paths as seen from the repository root where they lie inside it."""
    root = Path(__file__).resolve().parents[1]
    out = []
    for p in paths:
        try:
            out.append(str(Path(p).resolve().relative_to(root)))
        except ValueError:
            out.append(p)
    return out


_LINKS = {"model": "the relation head's", "rules": "the rules' links between the merged spans", "union": "both"}


WRITTEN_STATS = Path(__file__).resolve().parents[1] / "data" / "written" / "annotation" / "stats.json"


def written_size(stats: Path = WRITTEN_STATS) -> str:
    """"N articles, M sentences": the written corpus's size as `canbo corpus rebuild` counted it."""
    gold = json.loads(stats.read_text(encoding="utf-8"))["gold"]["all"]
    return f"{gold['articles']} articles, {gold['sentences']:,} sentences"


def _calibration_line(target: Path) -> str:
    cal = target / "calibration.json"
    if not cal.is_file():
        return "- Scores: raw (no calibration.json)."
    d = json.loads(cal.read_text(encoding="utf-8"))
    done = sorted(d.get("entity", {})) + (["HAS_POSITION"] if d.get("relation") else [])
    return (f"- Scores: calibrated by Platt scaling (`canbo calibrate`) on {d.get('fitted_on', '')} for "
            f"{', '.join(done) or 'nothing'}; the others keep raw scores (too few predictions there to fit: "
            "`model.calibration.MIN_FIT`). `--min-score P` keeps what scores at least P.")


def model_card(target: Path, cv: dict | None, heldout: dict | None = None) -> str:
    cfg = json.loads((target / "train_config.json").read_text())
    cfg["train"], cfg["extra_train"] = _repo_paths(cfg["train"]), _repo_paths(cfg.get("extra_train", []))
    info = json.loads((target / "run_info.json").read_text())
    pseudo = [p for p in cfg["extra_train"] if "selftrain" in p or "{fold}" in p]
    written = [p for p in cfg["extra_train"] if p not in pseudo]
    mcfg = json.loads((target / "config.json").read_text())
    bb = mcfg["backbone_config"]
    size = sum(p.stat().st_size for p in target.iterdir()) / 1e6
    lines = [
        "# canbo default model",
        "",
        "The model `canbo predict` and `model.load()` use when no model is given.",
        "",
        "## What it is",
        f"- Encoder: PhoBERT-architecture RoBERTa, {bb['num_hidden_layers']} layers × {bb['hidden_size']} hidden, "
        f"{bb['num_attention_heads']} heads, vocabulary {bb['vocab_size']} (PhoBERT-format BPE learned from the "
        "training sentences), "
        + ("**randomly initialised and trained only on our data**" if cfg.get("backbone") == "tiny" else
           f"**pretrained as a masked language model on our own text** (`canbo pretrain`, backbone `{cfg.get('backbone')}`: "
           "data/unlabeled and data/written/raw, never the real or held-out pages), then fine-tuned")
        + " (the Hugging Face Hub, and so `vinai/phobert-base`, is out of reach where it was built).",
        "- Heads: BIO tagger with constrained Viterbi decoding; HAS_POSITION pair scorer over span vectors, "
        "the words between them and their distance.",
        *(
            ["- Extra input: the tag the rule/gazetteer extractor (`model/rules.py`) gives each word, as a learned "
             f"embedding added to the word vector (hidden during training with p={mcfg.get('rule_feature_dropout')})."]
            if mcfg.get("rule_features")
            else []
        ),
        *(
            ["- Extra input: each word's shape (casing, syllables, digits, separators; `model.features.word_shape`)"
             + (", marked where the word starts or continues the name of an administrative unit "
                "(`model/lexicon/units.tsv`)" if mcfg.get("gazetteer_features") else "")
             + ", as a hashed embedding added to the word vector."]
            if mcfg.get("char_features")
            else []
        ),
        *(
            [f"- The relation head also trained on boundary-perturbed and false spans (rate {cfg['relation_span_noise']})."]
            if cfg.get("relation_span_noise")
            else []
        ),
        _calibration_line(target),
        f"- Merge policy (`model/merge.py`): `{mcfg.get('merge_policy', 'model')}`; labels the rules own: "
        f"{', '.join(mcfg.get('rule_labels') or []) or 'none'}; one holder per POSITION: "
        f"{'yes' if mcfg.get('relation_one_holder') else 'no'}; HAS_POSITION links output: "
        f"{_LINKS[mcfg.get('relation_merge', 'model')]}"
        + (f" (set after training with `python -m canbo.train.decoding`: "
           f"{json.dumps(info['decoding_set_after_training'], ensure_ascii=False)}; training does not read them)"
           if info.get("decoding_set_after_training") else "")
        + (". The rules decide every span and link: the encoder is not run, and the trained tagger and relation head "
           "are used only when asked for (`canbo predict --merge-policy rules-first --rule-labels "
           "METRIC,PERSON,ORG,POSITION --relation-merge rules`: the tagger adds the place names the rules miss, "
           "see eval/ablation/ablation.md; `--merge-policy model-first --relation-merge model`; "
           "`load(path, merge_policy=..., rule_labels=...)`)"
           if rules_decide_all(mcfg.get("merge_policy", "model"), mcfg.get("relation_merge", "model")) else "")
        + ". Every output entity records whether the rules, the model or both decided it (`source`). Rules version "
        f"`{info.get('rules_version', 'not recorded')}` (a warning is given when the rules change after training).",
        f"- Files: {size:.1f} MB, safetensors.",
        "",
        "## Data",
        f"- Gold: {', '.join(cfg['train'])} (4 articles, 154 sentences, 250 entities, 18 relations; see data/README.md).",
        *(
            [f"- Written corpus, always in training and never a test fold: {', '.join(written)} "
             f"({written_size()} written for this corpus, annotated twice and adjudicated; "
             "see data/written/README.md)."]
            if written
            else []
        ),
        *(
            [f"- Self-training labels (`canbo selftrain`, marked pseudo, never gold): {', '.join(pseudo)}: sentences of "
             "data/unlabeled where the labelling model was confident and agreed with the rules; each CV fold used "
             "labels made by its own fold model."]
            if pseudo
            else []
        ),
        *([f"- Mention-replacement copies per sentence: {cfg['augment']}."] if cfg.get("augment") else []),
        f"- Synthetic: {cfg['synthetic']} template sentences from `train/synth.py` (gazetteer names, titles, places "
        "and figures; place names of the four gold articles excluded).",
        f"- Training sentences in total: {info['train_sentences']}; data fingerprint `{info['data_fingerprint'][:16]}…`.",
        "",
        "## Recipe",
        "`canbo train --config train/configs/default.yaml` with:",
        "",
        "```json",
        json.dumps({k: cfg[k] for k in sorted(cfg) if k not in ("train", "dev", "extra_train")}, indent=1, ensure_ascii=False),
        "```",
        "",
        "## Cross-validated scores (leave one article out, strict spans)",
    ]
    if cv:
        lines += [
            "",
            "The same recipe trained four times, each time without one article, and scored on that article "
            "(no checkpoint selection on it).",
            "",
            f"- entity micro-F1: {_fmt(cv.get('ents_f'))}",
            f"- entity macro-F1: {_fmt(cv.get('ents_macro_f'))}",
            f"- relation F1 (only folds whose article has gold relations): {_fmt(cv.get('rel_f'))}",
            "",
            "| held-out article | entity F1 | macro F1 | relation F1 |",
            "|---|---|---|---|",
        ]
        for art, m in cv["folds"].items():
            rel = f"{m.get('rel_f', 0):.3f}" if m.get("rel_support", 1) else "n/a (no gold relations)"
            lines.append(f"| {art} | {m.get('ents_f', 0):.3f} | {m.get('ents_macro_f', 0):.3f} | {rel} |")
        lines += ["", "The full report with baselines and errors: `eval/reports/default/report.md`."]
    else:
        lines.append("\nNot measured for this build.")
    if heldout:
        rule = heldout.get("baselines", {}).get("rule", {})
        lines += [
            "",
            "## Held-out pages (`data/heldout/`: three regions and layouts nobody tuned on)",
            "",
            "| system | entity F1 | macro F1 | HAS_POSITION F1 |",
            "|---|---|---|---|",
            f"| this model | {heldout['ents_f']:.3f} | {heldout['ents_macro_f']:.3f} | {heldout['rel_f']:.3f} |",
        ]
        if rule:
            lines.append(
                f"| rule/gazetteer baseline | {rule.get('ents_f', 0):.3f} | {rule.get('ents_macro_f', 0):.3f} | "
                f"{rule.get('rel_f', 0):.3f} |"
            )
        lines += ["", "Report: `eval/reports/default-heldout/report.md`."]
    lines += [
        "",
        "## Limits",
        "- Four real gold articles from four districts of the north, plus written text: expect lower scores on other "
        "regions, genres and layouts; the rule baseline in `model/rules.py` is beside it in every report.",
        "- No pre-trained language knowledge: names and organs unlike those in the gold and template data are "
        "missed more often. Fine-tune `vinai/phobert-base` (train/configs/phobert-base.yaml) where you have it.",
        "- Relations only inside a sentence, and only PERSON → POSITION.",
        "",
        "## Rebuild",
        "```bash",
        "bash eval/reports/make_default.sh   # all of it: crossval, train, release, both reports",
        "```",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m canbo.train.release", description=__doc__.splitlines()[0])
    p.add_argument("--run", type=Path, required=True, help="A finished training run folder.")
    p.add_argument("--crossval", type=Path, default=None, help="The crossval run folder of the same recipe.")
    p.add_argument("--heldout", type=Path, default=None, help="A `canbo eval` report folder on data/heldout.")
    p.add_argument("--target", type=Path, default=DEFAULT_MODEL_DIR, help="Where to install (default: the package).")
    args = p.parse_args(argv)
    print(f"released to {release(args.run, args.crossval, args.target, args.heldout)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
