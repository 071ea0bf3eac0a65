"""``canbo index`` and ``canbo query``: build the officials directory and ask it questions."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

DEFAULT_DB = "directory.sqlite"
QUERY_FORMATS = ("table", "csv", "json")


def register(sub) -> None:
    """Add ``index`` and ``query`` to the ``canbo`` subcommands."""
    from canbo.model.cli import _positive_int

    p = sub.add_parser(
        "index",
        help="Index pages into an officials directory (SQLite).",
        description="Run the pipeline over pages (files, folders, JSONL of {url, text}) and store documents, "
        "sentences, mentions, relations, people, offices and figures in a SQLite file (schema: "
        "model/directory/schema.sql). Unchanged pages are skipped; each batch is one transaction.",
    )
    p.add_argument(
        "pages",
        nargs="*",
        help="Text files, folders (read recursively) or .jsonl files of {url, text[, date]}.",
    )
    p.add_argument(
        "--from",
        dest="predicted",
        action="append",
        default=None,
        metavar="DIR",
        help="A folder (or .jsonl file) of predictions made elsewhere, e.g. the shards of "
        "'canbo predict --engine ray --output DIR' or 'canbo predict -f jsonl': stored as they are, "
        "with no model run (their errors.jsonl lines count as failed pages). Repeat for more.",
    )
    p.add_argument(
        "--db", default=DEFAULT_DB, help=f"The directory file (default: {DEFAULT_DB}; created when absent)."
    )
    p.add_argument("--model", default=None, help="Model folder or hub id (default: the shipped model).")
    p.add_argument(
        "--batch-size", type=_positive_int, default=32, help="Sentences per forward pass (default 32)."
    )
    p.add_argument(
        "--pages-per-batch", type=_positive_int, default=16, help="Pages per transaction (default 16)."
    )
    p.set_defaults(func=_index)

    q = sub.add_parser(
        "query", help="Query an officials directory.", description="Query a directory built by canbo index."
    )
    qsub = q.add_subparsers(dest="query_command", metavar="WHAT")
    qsub.required = True
    office = qsub.add_parser(
        "office", help="Holders of an office.", description="Holders of an office, with dates and sentences."
    )
    office.add_argument(
        "office",
        help='The office as written, e.g. "Bí thư Huyện ủy" (abbreviations, tones and case do not matter).',
    )
    office.add_argument(
        "--locality", default=None, help='Only offices in this unit or below it, e.g. "Thủy Nguyên".'
    )
    person = qsub.add_parser(
        "person", help="Offices of a person over time.", description="A person's offices over time."
    )
    person.add_argument("name", help="The person's name (or a person id).")
    figures = qsub.add_parser(
        "figures", help="Reported figures.", description="Reported figures with value and unit."
    )
    figures.add_argument("--locality", default=None, help="Only figures about this unit or below it.")
    for sp in (office, person, figures):
        sp.add_argument("--db", default=DEFAULT_DB, help=f"The directory file (default: {DEFAULT_DB}).")
        sp.add_argument(
            "--format", "-f", choices=QUERY_FORMATS, default="table", help="Output format (default: table)."
        )
        sp.add_argument(
            "--limit", type=_positive_int, default=100, help="At most this many rows (default 100)."
        )
        sp.set_defaults(func=_query)


def _index(args) -> int:
    from itertools import chain

    from canbo.model.directory.shards import iter_predicted
    from canbo.model.directory.store import connect, index_pages, iter_pages, model_version

    args.predicted = args.predicted or []
    if not args.pages and not args.predicted:
        print("canbo index: give pages to index, or --from DIR with predictions", file=sys.stderr)
        return 2
    connect(args.db, create=True).close()  # a bad --db fails before the model is loaded
    pipe = version = None
    if args.pages:  # predictions alone (--from) need no model
        from canbo.model.pipeline import load

        pipe, version = load(args.model), model_version(args.model)
    summary = index_pages(
        args.db,
        chain(iter_predicted(args.predicted), iter_pages(args.pages)),
        pipe,
        version,
        batch_size=args.batch_size,
        pages_per_batch=args.pages_per_batch,
        progress=True,
    )
    print(f"{args.db}: {summary}", file=sys.stderr)
    return 1 if summary.failed else 0


_OFFICE_COLUMNS = (
    "person_id",
    "person",
    "office",
    "level",
    "locality",
    "inferred",
    "as_of",
    "source",
    "sentence",
)
_FIGURE_COLUMNS = (
    "value",
    "unit",
    "per",
    "low",
    "high",
    "of",
    "text",
    "place",
    "as_of",
    "source",
    "sentence",
)


def _query(args) -> int:
    from canbo.model.directory import Directory

    with Directory(args.db) as d:
        if args.query_command == "office":
            rows, columns = (
                d.officials(office=args.office, locality=args.locality, limit=args.limit),
                _OFFICE_COLUMNS,
            )
        elif args.query_command == "person":
            people = [d.person(int(args.name))] if args.name.isdigit() else d.people(args.name)
            people = [p for p in people if p is not None]
            if args.format == "json":
                sys.stdout.write(json.dumps(people, ensure_ascii=False, indent=2) + "\n")
                return 0
            rows = [r for p in people for r in p["offices"][: args.limit]]
            columns = _OFFICE_COLUMNS
        else:
            rows, columns = d.figures(locality=args.locality, limit=args.limit), _FIGURE_COLUMNS
    sys.stdout.write(render_rows(rows, columns, args.format))
    return 0


def render_rows(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str) -> str:
    """Query rows as JSON (every field), CSV or a fixed-width table (``columns``)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r[c] for c in columns])
        return buf.getvalue()
    if not rows:
        return "(no rows)\n"
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [min(60, max(len(c), *(len(row[k]) for row in cells))) for k, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    for row in cells:
        lines.append(
            "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(row, widths)).rstrip()
        )
    return "\n".join(lines) + "\n"


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    return " ".join(str(v).split())
