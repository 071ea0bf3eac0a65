"""The lexicon: word lists kept as data (one name a line, sources in README.md), read by the
rules, the casing of headlines and the sentence generator alike."""

from __future__ import annotations

from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of ``model/lexicon/<name>.txt``, in file order."""
    text = (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#"))
