"""``canbo serve``: the API and the web page on one port (127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    from canbo.model.cli import _positive_int

    p = sub.add_parser(
        "serve",
        help="HTTP API and web page over the model and the directory.",
        description="Serve the HTTP API (docs at /docs) and the web page (/) over the model and, with --db, "
        "the directory of officials built by canbo index.",
    )
    p.add_argument("--db", default=None, help="Directory file (directory.sqlite) for the directory search.")
    p.add_argument("--model", default=None, help="Model folder or hub id (default: the shipped model).")
    p.add_argument(
        "--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1: this machine only)."
    )
    p.add_argument("--port", type=_port, default=8000, help="Port (default 8000; 0 picks a free one).")
    p.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=None,
        help="Largest request body in bytes (default 2 MiB).",
    )
    p.set_defaults(func=_serve)


def _port(value: str) -> int:
    import argparse

    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, not {value!r}")
    return int(value)


def _serve(args) -> int:
    from canbo.model.pipeline import load
    from canbo.model.serve.app import create_app
    from canbo.model.serve.body import MAX_BODY_BYTES
    from canbo.model.serve.server import bind, serve_forever, url_of

    directory = None
    if args.db is not None:
        from canbo.model.directory import Directory

        directory = Directory(
            args.db
        )  # a missing or foreign file: DirectoryError, one sentence, before any work
    sock = None
    try:
        sock = bind(args.host, args.port)  # a busy port: one sentence, before the model loads
        pipeline = load(args.model)
    except BaseException:
        for opened in (directory, sock):
            if opened is not None:
                opened.close()
        raise
    app = create_app(pipeline, directory, args.model or "default", max_body=args.max_bytes or MAX_BODY_BYTES)
    print(
        f"canbo: serving on {url_of(sock)}/ (API docs at {url_of(sock)}/docs); Ctrl+C stops", file=sys.stderr
    )
    serve_forever(app, sock)
    return 0
