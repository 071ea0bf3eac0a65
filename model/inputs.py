"""Turn command-line inputs (texts, files, folders, '-') into (source, text) pairs, lazily.

An argument is a file or a folder only when that path exists; anything else is a
text (so "TP.HCM", "1.528" or "data" are texts unless such a file is there).
Folders are read recursively, files ending in ``TEXT_SUFFIXES``. A bad input
becomes one failure naming it and never stops the others.
"""

from __future__ import annotations

import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md")
_LOOKS_LIKE_FILE = re.compile(r"^[^\s]+\.(txt|text|md|jsonl?|html?)$|^[^\s]*/[^\s]*$", re.IGNORECASE)


class InputError(ValueError):
    """The inputs as a whole cannot be used."""


@dataclass
class Input:
    """One input: its ``source`` name and either its ``text`` or the ``error`` that stopped it."""

    source: str
    text: str | None = None
    error: str | None = None
    note: str | None = None


def decode_bytes(raw: bytes, name: str) -> str:
    """Text of a file's bytes: UTF-8 (BOM dropped) or UTF-16 with a BOM; ValueError with one sentence otherwise."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{name} starts like UTF-16 text but cannot be decoded (bad byte at {exc.start})") from exc
    if b"\x00" in raw:
        raise ValueError(f"{name} is a binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name} is not UTF-8 text (bad byte at position {exc.start})") from exc
    return text[1:] if text.startswith("\ufeff") else text


def jsonl_records(path: Path) -> Iterator[tuple[str, object, str | None]]:
    """``(where, object, None)`` for each non-blank line of a JSONL file (``where`` is ``path:line``),
    ``(where, None, error)`` for a line that is not JSON, or once for a file that cannot be read."""
    import json

    from canbo.model.schema import jsonl_lines

    try:
        content = decode_bytes(path.read_bytes(), str(path))
    except (OSError, ValueError) as exc:
        yield str(path), None, str(exc)
        return
    for lineno, line in enumerate(jsonl_lines(content), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            yield where, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield where, None, f"{where}: not JSON ({exc.msg})"


def is_folder(arg: str) -> bool:
    """Is this argument read as a folder (an existing directory; "" and "-" never are)?"""
    return arg not in ("", "-") and Path(arg).is_dir()


def is_single(args: list[str]) -> bool:
    """One input that is not a folder: its JSON output is one object, not a list."""
    return len(args) == 1 and not is_folder(args[0])


def iter_inputs(args: list[str], as_text: bool = False) -> Iterator[Input]:
    """Inputs in argument order, each file read only when it is reached."""
    for k, arg in enumerate(args, start=1):
        if any("\udc80" <= ch <= "\udcff" for ch in arg):  # undecodable bytes in argv (surrogateescape)
            yield Input(f"argument {k}", error=f"argument {k} is not valid UTF-8 text")
        elif as_text or arg == "":
            yield Input("<text>", text=arg)
        elif arg == "-":
            yield _read_stdin()
        elif is_folder(arg):
            yield from _read_folder(Path(arg))
        elif Path(arg).exists():
            yield _read_file(Path(arg))
        else:
            note = f"no file {arg} exists, so it was read as text" if _LOOKS_LIKE_FILE.match(arg) else None
            yield Input("<text>", text=arg, note=note)


def _read_stdin() -> Input:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return Input("<stdin>", error="standard input is closed")
    try:
        return Input("<stdin>", text=decode_bytes(stream.read(), "standard input"))
    except (OSError, ValueError) as exc:
        return Input("<stdin>", error=str(exc))


def _read_folder(folder: Path) -> Iterator[Input]:
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES and not p.is_dir())
    if not files:
        yield Input(str(folder), error=f"folder {folder} has no text files ({', '.join(TEXT_SUFFIXES)}, read recursively)")
    for f in files:
        yield _read_file(f)


def _read_file(path: Path) -> Input:
    try:
        mode = path.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            return Input(str(path), error=f"{path} is not a regular file")
        with open(path, "rb") as fh:
            return Input(str(path), text=decode_bytes(fh.read(), str(path)))
    except OSError as exc:
        return Input(str(path), error=f"{path} cannot be read ({exc.strerror or exc})")
    except ValueError as exc:
        return Input(str(path), error=str(exc))
