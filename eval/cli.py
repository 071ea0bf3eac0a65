"""Subcommands added to ``canbo`` by the evaluation package: ``canbo eval``.

    canbo eval --model PATH --data FILES... --out eval/reports/NAME [--crossval RUN_DIR] [--name NAME]

scores the checkpoint on the gold files beside the rule and underthesea
baselines and writes ``report.md``, ``report.html``, ``metrics.json``,
``predictions.jsonl`` and PNG figures into ``--out``; with ``--crossval`` the
report leads with the leave-one-article-out table of that ``canbo crossval``
run.
"""

from __future__ import annotations

import shlex


def register(sub) -> None:
    """Add ``eval`` to the ``canbo`` subcommands."""
    p = sub.add_parser(
        "eval",
        help="Evaluation report: scores, baselines, cross-validation, errors.",
        description="Score a checkpoint on gold files (beside the baselines) and write a report folder.",
    )
    p.add_argument("--model", default=None, help="Checkpoint folder or hub id (default: the shipped model).")
    p.add_argument("--data", nargs="+", default=["data/annotated"],
                   help="Gold JSONL files or folders (default: data/annotated).")
    p.add_argument("--out", required=True, help="Report folder, e.g. eval/reports/<name>/.")
    p.add_argument("--crossval", default=None, metavar="RUN_DIR",
                   help="A 'canbo crossval' output folder: adds the per-fold headline table and learning curves.")
    p.add_argument("--name", default=None, help="Report title (default: the --out folder name).")
    p.add_argument("--batch-size", type=int, default=32, help="Sentences per forward pass (default 32).")
    p.add_argument("--no-underthesea", dest="underthesea", action="store_false",
                   help="Skip the underthesea NER baseline.")
    p.add_argument("--progress", choices=("true", "false"), default="true", help="Show progress bars (default true).")
    p.set_defaults(func=_eval)


def _eval(args) -> int:
    from canbo.eval.run import run_eval

    report = run_eval(
        args.model, args.data, args.out, crossval=args.crossval, name=args.name, underthesea=args.underthesea,
        progress=args.progress == "true", batch_size=args.batch_size,
        command=_command(args),
    )
    print(f"report: {report}")
    return 0


def _command(args) -> str:
    """The command line that reproduces this report (for its Reproduce section)."""
    parts = ["canbo", "eval"]
    if args.model:
        parts += ["--model", args.model]
    parts += ["--data", *args.data, "--out", args.out]
    for flag, value in (("--crossval", args.crossval), ("--name", args.name)):
        if value:
            parts += [flag, value]
    if not args.underthesea:
        parts.append("--no-underthesea")
    return " ".join(shlex.quote(str(p)) for p in parts)
