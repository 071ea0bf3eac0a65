"""``canbo``: one command line with subcommands.

``model`` owns ``predict``, ``officials`` and ``data validate``; ``train`` and
``eval`` add their subcommands through the ``canbo.commands`` entry-point
group, so this library never imports them.  Errors are one sentence on
stderr and a non-zero exit (``CANBO_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from importlib.metadata import PackageNotFoundError, entry_points, version

from canbo.model.formats import StreamWriter
from canbo.model.inputs import TEXT_SUFFIXES, InputError, is_folder, is_single, iter_inputs
from canbo.model.merge import POLICIES, RELATION_MERGES


def _version() -> str:
    try:
        return version("canbo")
    except PackageNotFoundError:
        return "0+unknown"


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (reading package metadata costs every start)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"canbo {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="canbo", description="Officials, positions and figures from Vietnamese news.")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="Show canbo's version and exit.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add_predict(sub)
    _add_officials(sub)
    _add_data(sub)
    from canbo.model.directory.cli import register as add_directory_commands
    from canbo.model.serve.cli import register as add_serve_command

    add_directory_commands(sub)
    add_serve_command(sub)
    for ep in sorted(entry_points(group="canbo.commands"), key=lambda e: e.name):
        ep.load()(sub)
    return parser


def _add_model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs", nargs="*",
        help="Texts, files, folders or '-' for stdin. An argument is a file or folder only if that path exists "
        "(otherwise it is a text); folders are read recursively, files ending in "
        f"{', '.join(TEXT_SUFFIXES)}. An empty argument is an empty text.",
    )
    p.add_argument("--text", action="store_true", help="Read every argument as a text, even where a file of that name exists.")
    p.add_argument("--model", default=None, help="Model folder or hub id (default: the shipped model).")
    p.add_argument("--batch-size", type=_positive_int, default=32, help="Sentences per forward pass (int >= 1, default 32).")
    p.add_argument("--output", "-o", default=None, help="Write to this file instead of stdout (checked before any work).")
    p.add_argument(
        "--min-score", type=_score, default=0.0, metavar="P",
        help="Leave out entities and relations scored below P (0 to 1, default 0: keep all), and relations "
        "whose person or office is left out. Scores of the shipped model are calibrated on held-out folds: "
        "0.8 means about 8 in 10 such spans were exactly right.",
    )
    p.add_argument("--merge-policy", default=None, choices=POLICIES, dest="merge_policy",
                   help="Who decides the spans (model.merge; default: as saved with the model, for the shipped "
                   "model 'rules'): 'model-first' uses the learned tagger with the rules filling its gaps.")
    p.add_argument("--rule-labels", type=_labels, default=None, metavar="L1,L2", dest="rule_labels",
                   help="Comma-separated labels only the rules decide, under any merge policy (model.merge; default: "
                   "as saved, none for the shipped model; '' for none). '--merge-policy rules-first --rule-labels "
                   "METRIC,PERSON,ORG,POSITION' lets the tagger add only the place names the rules miss.")
    p.add_argument("--relation-merge", default=None, choices=RELATION_MERGES, dest="relation_merge",
                   help="Whose HAS_POSITION links are output (default: as saved; 'model': the relation head's).")
    p.add_argument("--workers", type=_count, default=None,
                   help="Processes that prepare sentences (segmentation, rules) while the model runs "
                   "(default: one per core for inputs of 20,000+ characters; 0: none; env CANBO_WORKERS).")  # fmt: skip


def _whole(minimum: int):
    """An argparse type: a whole number of at least ``minimum``, or one clear sentence."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            n = None
        if n is None or n < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {minimum}, not {value!r}")
        return n

    return parse


_count, _positive_int = _whole(0), _whole(1)


def _labels(value: str) -> list[str]:
    """An argparse type: comma-separated entity labels ("METRIC,PERSON"; "" for none), each a known one
    (``model.merge.check_rule_labels``, the check every loaded model applies)."""
    from canbo.model.labels import ENTITY_LABELS
    from canbo.model.merge import check_rule_labels

    try:
        return check_rule_labels([lab.strip() for lab in value.split(",") if lab.strip()], ENTITY_LABELS)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _score(value: str) -> float:
    try:
        p = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1, not {value!r}") from None
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1, not {value!r}")
    return p


def _add_predict(sub) -> None:
    from canbo.model.formats import FORMATS

    p = sub.add_parser("predict", help="Extract entities and relations.", description="Extract entities and relations.")
    _add_model_args(p)
    p.add_argument("--format", "-f", choices=FORMATS, default="table", help="Output format (default: table).")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="'ray': predict files, folders or JSONL of {url, text} on Ray Data (model.scale; RAY_ADDRESS "
                   "for a cluster, --workers actors) and write JSONL shards into the --output folder.")  # fmt: skip
    p.add_argument("--input", action="append", default=[], metavar="PATH",
                   help="An input file or folder (repeatable; the same as a positional path).")
    p.set_defaults(func=_predict)


def _add_officials(sub) -> None:
    p = sub.add_parser("officials", help="Person -> positions table.", description="Person -> positions table.")
    _add_model_args(p)
    p.add_argument("--format", "-f", choices=("text", "csv", "json"), default="text", help="Output format.")
    p.set_defaults(func=_officials)


def _add_data(sub) -> None:
    p = sub.add_parser("data", help="Corpus tools.", description="Corpus tools.")
    dsub = p.add_subparsers(dest="data_command", metavar="ACTION")
    dsub.required = True
    v = dsub.add_parser("validate", help="Check gold JSONL files.", description="Check gold JSONL files.")
    v.add_argument("paths", nargs="+", help="JSONL files.")
    v.set_defaults(func=_validate)


def _validate(args) -> int:
    from canbo.model.validation import validate_file

    total, bad = 0, 0
    for path in args.paths:
        count, errors = validate_file(path)
        total += count
        bad += len(errors)
        for e in errors:
            print(e, file=sys.stderr)
    print(f"{total} records in {len(args.paths)} files: {'all valid' if not bad else f'{bad} invalid'}")
    return 0 if bad == 0 else 1


FILES_PER_BATCH = 16  # files predicted together; a failing batch is retried file by file
CHARS_PER_BATCH = 200_000  # and at most this much text in one batch
PROGRESS_CHARS = 200_000  # a single input longer than this shows its own progress bar


def _say(message: str) -> None:
    """One line on stderr that does not break a progress bar."""
    from tqdm.auto import tqdm

    tqdm.write(message, file=sys.stderr)


def _open_output(path: str | None):
    """The output stream, opened before any work so a bad destination fails at once."""
    if not path:
        return contextlib.nullcontext(sys.stdout)
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the output file {path} ({exc.strerror or exc})") from exc


def _batches(inputs, failures: list[str]):
    """(source, text) batches of readable inputs; unreadable ones go to ``failures`` at once."""
    batch, size = [], 0
    for item in inputs:
        if item.note:
            _say(f"canbo: note: {item.note}")
        if item.error is not None:
            failures.append(item.error)
            _say(f"canbo: error: {item.error}")
            continue
        batch.append((item.source, item.text))
        size += len(item.text)
        if len(batch) >= FILES_PER_BATCH or size >= CHARS_PER_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _predicted(pipe, inputs, batch_size: int, failures: list[str]):
    """(source, Document) for every input that could be read and predicted, in input order."""
    for batch in _batches(inputs, failures):
        progress = len(batch) == 1 and len(batch[0][1]) > PROGRESS_CHARS
        try:
            docs = pipe.predict_batch([t for _, t in batch], batch_size=batch_size, progress=progress)
            yield from zip((s for s, _ in batch), docs)
            continue
        except Exception:  # noqa: BLE001 - find which input failed, and keep the others
            if os.environ.get("CANBO_DEBUG"):
                raise
        for source, text in batch:
            try:
                yield source, pipe.predict(text)
            except Exception as exc:  # noqa: BLE001 - one failing input never loses the others
                failures.append(f"{source}: {exc}")
                _say(f"canbo: error: {source}: prediction failed ({exc})")


def _run_model(args, layout_for, transform) -> int:
    """Read, predict and write input by input; exit 1 if any input failed, else 0."""
    from canbo.model.calibration import at_least
    from canbo.model.pipeline import load

    if not args.inputs:
        raise InputError("nothing to read: give a text, a file, a folder or '-' for stdin")
    layout = layout_for()
    failures: list[str] = []
    with _open_output(args.output) as fh:
        pipe = load(args.model, merge_policy=args.merge_policy, relation_merge=args.relation_merge,
                    rule_labels=args.rule_labels)
        pipe.workers = args.workers
        inputs = iter_inputs(args.inputs, as_text=args.text)
        writer = StreamWriter(fh, layout)
        for source, doc in _tracked(_predicted(pipe, inputs, args.batch_size, failures), args.inputs):
            writer.write(source, transform(at_least(doc, args.min_score) if args.min_score > 0 else doc))
        writer.close()
    return 1 if failures else 0


def _tracked(items, args: list[str]):
    """A files progress bar when a folder is among the inputs (many files)."""
    if not any(is_folder(a) for a in args):
        yield from items
        return
    from tqdm.auto import tqdm

    with tqdm(desc="files", unit="file", file=sys.stderr) as bar:
        for item in items:
            yield item
            bar.update(1)


def _predict(args) -> int:
    from canbo.model.formats import document_layout

    args.inputs = [*args.inputs, *args.input]
    if args.engine == "ray":
        return _predict_ray(args)

    return _run_model(args, lambda: document_layout(args.format, single=is_single(args.inputs)), lambda d: d)


def _predict_ray(args) -> int:
    """``--engine ray``: shards in the --output folder, one error line per failed document, exit 1 if any."""
    from canbo.model.scale import check_output_dir, predict_corpus

    if not args.inputs:
        raise InputError("nothing to read: give files or folders (--input PATH)")
    if not args.output:
        raise InputError("--engine ray writes JSONL shards into a folder: give it with --output DIR")
    check_output_dir(args.output)  # before Ray starts
    result = predict_corpus(args.inputs, args.output, model=args.model, workers=args.workers or None,
                            batch_size=args.batch_size)  # fmt: skip
    for e in result["errors"]:
        _say(f"canbo: error: {e['source']}: {e['error']}")
    _say(f"canbo: {result['documents']} documents in {len(result['shards'])} shards in {args.output}")
    return 1 if result["errors"] else 0


def _officials(args) -> int:
    from canbo.model.officials import officials, officials_layout

    return _run_model(args, lambda: officials_layout(args.format), officials)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "passthrough", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("canbo: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure is one sentence unless debugging
        if os.environ.get("CANBO_DEBUG"):
            raise
        print(f"canbo: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
