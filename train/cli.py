"""Subcommands added to ``canbo`` by the training package: train, crossval, corpus."""

from __future__ import annotations

import json
import logging


def register(sub) -> None:
    for name, helptext, func in (
        ("train", "Train a model (see train/configs/*.yaml).", _train),
        ("crossval", "Leave-one-article-out cross-validation.", _crossval),
        ("pretrain", "Masked-language-model pretraining of the encoder on raw text (no annotation).", _pretrain),
    ):
        # options go to the typed config parser (train.typed_args), which prints their --help
        p = sub.add_parser(name, help=helptext, description=helptext, add_help=False)
        p.set_defaults(func=func, passthrough=True)
    k = sub.add_parser(
        "calibrate", help="Fit a model's score calibration on cross-validation fold predictions.",
        description="Fit Platt scaling of entity and relation scores on the fold models' predictions for their "
        "held-out articles, save it as calibration.json in the model folder, and print expected calibration "
        "error before and after (each fold measured with a fit on the other folds).",
    )
    k.add_argument("--crossval", required=True, help="A canbo crossval output folder (with fold-*/heldout_predictions.jsonl).")
    k.add_argument("--model", default=None, help="Model folder to save calibration.json into (default: only print).")
    k.add_argument("--data", nargs="+", default=["data/annotated"], help="The gold data the folds were cut from.")
    k.set_defaults(func=_calibrate)
    st = sub.add_parser(
        "selftrain", help="Self-training labels: confident model spans that agree with the rules, on raw text.",
        description="Label the sentences of raw text with a model and the rules, and write the sentences where "
        "every model entity scores at least --min-score and every rule span is also a model span, as gold-format "
        "JSONL marked pseudo (train on it with --extra_train; never put it in data/ as gold).",
    )
    st.add_argument("--model", required=True, help="The labelling model (for CV: each fold's own model).")
    st.add_argument("--corpus", nargs="+", default=["data/unlabeled"], help="Raw text files or folders.")
    st.add_argument("--out", required=True, help="JSONL file to write.")
    st.add_argument("--min-score", type=float, default=0.9, help="Lowest raw entity/relation score kept (default 0.9).")
    st.add_argument("--progress", choices=("true", "false"), default="true", help="Show a progress bar.")
    st.set_defaults(func=_selftrain)
    c = sub.add_parser("corpus", help="Build the gold corpus and measure agreement.", description="Corpus building.")
    csub = c.add_subparsers(dest="corpus_command", metavar="ACTION")
    csub.required = True
    b = csub.add_parser("build", help="Adjudicated simple files -> data/annotated/*.jsonl.")
    b.add_argument("--raw", default="data/raw")
    b.add_argument("--simple", default="data/annotation/adjudicated")
    b.add_argument("--out", default="data/annotated")
    b.set_defaults(func=_build)
    w = csub.add_parser("rebuild", help="Rebuild every derived corpus file (real gold, held-out gold, written corpus).")
    w.add_argument("--data", default="data", help="The data folder (default: data).")
    w.set_defaults(func=_rebuild)
    a = csub.add_parser("agreement", help="Entity and relation F1 between two annotation passes.")
    a.add_argument("pass_a")
    a.add_argument("pass_b")
    a.add_argument("--raw", default="data/raw")
    a.set_defaults(func=_agreement)


def _setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")


def _train(args) -> int:
    from canbo.train.config import parse_config

    configs = parse_config(args.extra)  # first: --help and bad options answer before the heavy imports
    from canbo.train.trainer import run_training

    _setup_logging()
    metrics = run_training(*configs)
    print(json.dumps(metrics, indent=2, ensure_ascii=False))
    return 0


def _crossval(args) -> int:
    from canbo.train.config import parse_config

    configs = parse_config(args.extra, prog="canbo crossval")
    from canbo.train.crossval import format_summary, run_crossval

    _setup_logging()
    print(format_summary(run_crossval(*configs)))
    return 0


def _pretrain(args) -> int:
    from canbo.train.pretrain import PretrainConfig
    from canbo.train.typed_args import DataclassArgumentParser

    parser = DataclassArgumentParser([PretrainConfig], prog="canbo pretrain", description="canbo pretrain: typed options.")
    (cfg,) = parser.parse_args_into_dataclasses(args=args.extra)
    from canbo.train.pretrain import run_pretraining

    _setup_logging()
    print(json.dumps(run_pretraining(cfg), indent=2))
    return 0


def _calibrate(args) -> int:
    from canbo.train.calibrate import calibrate

    res = calibrate(args.crossval, args.data, args.model)
    print(f"{res['folds']} folds, {res['entities']} predicted entities, {res['relations']} predicted relations")
    print(f"entity ECE   raw {res['entity_ece_raw']:.4f} -> calibrated {res['entity_ece_calibrated']:.4f} (leave-one-fold-out fits)")
    print(f"relation ECE raw {res['relation_ece_raw']:.4f} -> calibrated {res['relation_ece_calibrated']:.4f}")
    print(f"saved {res['saved']}" if "saved" in res else "not saved (no --model)")
    return 0


def _selftrain(args) -> int:
    from canbo.train.selftrain import run_selftrain

    res = run_selftrain(args.model, args.corpus, args.out, args.min_score, progress=args.progress == "true")
    print(f"kept {res['kept']} of {res['sentences']} sentences ({res['entities']} entities, "
          f"{res['relations']} relations) -> {res['out']}")
    return 0


def _build(args) -> int:
    from canbo.train.corpus import build_gold

    counts = build_gold(args.raw, args.simple, args.out)
    print(f"wrote {sum(counts.values())} sentences: " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


def _rebuild(args) -> int:
    from pathlib import Path

    from canbo.train.corpus import build_gold
    from canbo.train.written import build_written

    data = Path(args.data)
    real = build_gold(data / "raw", data / "annotation" / "adjudicated", data / "annotated")
    held = build_gold(data / "heldout" / "raw", data / "heldout" / "annotation" / "adjudicated", data / "heldout" / "annotated")
    stats = build_written(data / "written")
    agree = stats["agreement_before_adjudication"]
    print(f"real gold: {sum(real.values())} sentences; held-out gold: {sum(held.values())} sentences")
    print(f"written: {stats['gold']['all']['sentences']} sentences, {stats['gold']['all']['articles']} articles; "
          f"agreement before adjudication: entity micro-F1 {agree['entity_micro_f1']}, relation F1 {agree['relation_f1']}")
    return 0


def _agreement(args) -> int:
    from canbo.model.scoring import score_entities, score_relations
    from canbo.train.corpus import load_pass

    a, b = load_pass(args.raw, args.pass_a), load_pass(args.raw, args.pass_b)
    ents, rels = score_entities(a, b), score_relations(a, b)
    print(f"entity micro-F1 {ents['micro']['f1']:.4f}  relation F1 {rels['f1']:.4f}")
    return 0
