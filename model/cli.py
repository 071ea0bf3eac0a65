"""``canbo``: one command line with subcommands.

``model`` owns ``predict``, ``officials`` and ``data validate``; ``train`` and
``eval`` add their subcommands through the ``canbo.commands`` entry-point
group, so this library never imports them.  Errors are one sentence on
stderr and a non-zero exit (``CANBO_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib.metadata import PackageNotFoundError, entry_points, version

from model.inputs import InputError, read_inputs


def _version() -> str:
    try:
        return version("canbo")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="canbo", description="Officials, positions and figures from Vietnamese news.")
    parser.add_argument("--version", action="version", version=f"canbo {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add_predict(sub)
    _add_officials(sub)
    _add_data(sub)
    for ep in sorted(entry_points(group="canbo.commands"), key=lambda e: e.name):
        ep.load()(sub)
    return parser


def _add_model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", help="Texts, files, folders (their *.txt files) or '-' for stdin.")
    p.add_argument("--model", default=None, help="Model folder or hub id (default: the shipped model).")
    p.add_argument("--batch-size", type=int, default=32, help="Sentences per forward pass (default 32).")
    p.add_argument("--output", "-o", default=None, help="Write to this file instead of stdout.")


def _add_predict(sub) -> None:
    from model.formats import FORMATS

    p = sub.add_parser("predict", help="Extract entities and relations.", description="Extract entities and relations.")
    _add_model_args(p)
    p.add_argument("--format", "-f", choices=FORMATS, default="table", help="Output format (default: table).")
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
    from model.validation import validate_file

    total, bad = 0, 0
    for path in args.paths:
        count, errors = validate_file(path)
        total += count
        bad += len(errors)
        for e in errors:
            print(e, file=sys.stderr)
    print(f"{total} records in {len(args.paths)} files: {'all valid' if not bad else f'{bad} invalid'}")
    return 0 if bad == 0 else 1


def _run_model(args):
    from model.pipeline import load

    inputs, failures = read_inputs(args.inputs)
    if not inputs and not failures:
        raise InputError("nothing to read: give a text, a file, a folder or '-' for stdin")
    for f in failures:
        print(f"canbo: error: {f}", file=sys.stderr)
    docs = []
    if inputs:
        pipe = load(args.model)
        docs = _predict_all(pipe, [t for _, t in inputs], args.batch_size)
    return [s for s, _ in inputs], docs, failures


def _predict_all(pipe, texts: list[str], batch_size: int, chunk: int = 16):
    """Predict in chunks of files so that a progress bar can follow many files."""
    if len(texts) <= chunk:
        return pipe.predict_batch(texts, batch_size=batch_size)
    from tqdm.auto import tqdm

    out = []
    with tqdm(total=len(texts), desc="files", unit="file", file=sys.stderr) as bar:
        for i in range(0, len(texts), chunk):
            out.extend(pipe.predict_batch(texts[i : i + chunk], batch_size=batch_size))
            bar.update(len(texts[i : i + chunk]))
    return out


def _emit(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def _predict(args) -> int:
    from model.formats import render

    sources, docs, failures = _run_model(args)
    if docs:
        _emit(render(docs, sources, args.format), args.output)
    return 1 if failures else 0


def _officials(args) -> int:
    from model.officials import officials, render_officials

    sources, docs, failures = _run_model(args)
    if docs:
        _emit(render_officials([officials(d) for d in docs], sources, args.format), args.output)
    return 1 if failures else 0


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
