"""Turn command-line inputs (texts, files, folders, '-') into (source, text) pairs.

A bad input becomes one message in ``failures`` and never stops the others.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md")
_PATHLIKE = re.compile(r"^\S+(\.\w{1,5}|/)$|^\S*/\S*$")


class InputError(ValueError):
    """The inputs as a whole cannot be used."""


def decode_bytes(raw: bytes, name: str) -> str:
    """UTF-8 text of a file's bytes (BOM dropped); ValueError with one sentence otherwise."""
    if b"\x00" in raw:
        raise ValueError(f"{name} is a binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name} is not UTF-8 text (bad byte at position {exc.start})") from exc
    return text[1:] if text.startswith("\ufeff") else text


def read_inputs(args: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    inputs: list[tuple[str, str]] = []
    failures: list[str] = []
    for arg in args:
        if arg == "-":
            try:
                inputs.append(("<stdin>", decode_bytes(sys.stdin.buffer.read(), "standard input")))
            except ValueError as exc:
                failures.append(str(exc))
            continue
        path = Path(arg)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            if not files:
                failures.append(f"folder {arg} has no text files ({', '.join(TEXT_SUFFIXES)})")
            for f in files:
                _read_file(f, inputs, failures)
        elif path.is_file():
            _read_file(path, inputs, failures)
        elif _PATHLIKE.match(arg) and "\n" not in arg:
            failures.append(f"file {arg} does not exist")
        else:
            inputs.append(("<text>", arg))
    return inputs, failures


def _read_file(path: Path, inputs: list, failures: list) -> None:
    try:
        inputs.append((str(path), decode_bytes(path.read_bytes(), str(path))))
    except OSError as exc:
        failures.append(f"{path} cannot be read ({exc.strerror or exc})")
    except ValueError as exc:
        failures.append(str(exc))
