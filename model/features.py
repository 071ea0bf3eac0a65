"""Rule tags as model input: what the rule/gazetteer extractor says about each word.

The tags are the model's own BIO tag set, so the embedding that carries them
has one row per tag plus one for "no information" (padding, or dropped out
during training so that the model does not lean on the rules blindly).
Words are cut at rule span edges first, so that no rule tag is lost on a word
that straddles an edge. Word shapes (casing, syllables, digits, separators)
are the character-level input that carries over to names never seen.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Sequence
from functools import lru_cache

from canbo.model.schema import Entity
from canbo.model.text import Span


@lru_cache(maxsize=1)
def rule_extractor():
    """The rule component, built once (it reads one sentence at a time: no furniture filter)."""
    from canbo.model.rules import RuleBaseline

    return RuleBaseline(skip_boilerplate=False)


def rule_spans(text: str, start: int = 0, end: int | None = None) -> list[Entity]:
    """The rule component's entities of ``text[start:end]``, with offsets into ``text``."""
    end = len(text) if end is None else end
    found = rule_extractor().predict(text[start:end]).entities
    return [Entity(e.start + start, e.end + start, e.label, e.text, e.score, source="rules") for e in found]


def rule_links(text: str, entities: Sequence[Entity]) -> set[tuple[int, int]]:
    """The rule component's HAS_POSITION (person, position) links between ``entities`` of one
    sentence ``text``, as index pairs into ``entities`` (``RuleBaseline.link``)."""
    from canbo.model.schema import Document

    return {(r.head, r.tail) for r in rule_extractor().link(Document(text, list(entities)))}


def rule_edges(spans: Sequence[Entity]) -> list[int]:
    """Where words must be cut so that every rule span falls on whole words (no tag lost at an edge)."""
    return [x for e in spans for x in (e.start, e.end)]


def rule_word_tags(words: Sequence[Span], spans: Sequence[Entity], tag_ids: dict[str, int]) -> list[int]:
    """Tag id per word: B-/I- of the rule span a word lies inside, else O. Cut the words at
    ``rule_edges(spans)`` first, or a word that straddles a span edge keeps no tag."""
    out = [tag_ids["O"]] * len(words)
    k = 0
    for e in sorted(spans, key=lambda e: e.start):
        while k < len(words) and words[k].end <= e.start:
            k += 1
        first = True
        j = k
        while j < len(words) and words[j].start < e.end:
            if words[j].start >= e.start and words[j].end <= e.end:
                out[j] = tag_ids[f"{'B' if first else 'I'}-{e.label}"]
                first = False
            j += 1
    return out


# ---------------------------------------------------------------- word shapes

SHAPE_BUCKETS = 1024  # hashed shape ids 1..SHAPE_BUCKETS; 0 is "no word" (padding)


def word_shape(word: str, first: bool = False) -> str:
    """Character classes of a word, runs capped at two: "Nguyễn Văn Thép" -> "Xxx_Xxx_Xxx", "UBND" ->
    "XX", "2.962,29" -> "d.dd,dd", "17,2%" -> "dd,d%"; a leading "^" marks a sentence's first word
    (where a capital says nothing about names). Syllable breaks (spaces, "_") become "_"."""
    out: list[str] = ["^"] if first else []
    run = 0
    for ch in unicodedata.normalize("NFC", word):
        c = "_" if ch.isspace() or ch == "_" else "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        run = run + 1 if out and out[-1] == c else 1
        if run <= 2:
            out.append(c)
    return "".join(out)


def shape_ids(text: str, words: Sequence[Span], gazetteer: bool = False) -> list[int]:
    """Stable hashed id (1..SHAPE_BUCKETS) of each word's shape, the first word marked; with
    ``gazetteer``, the shape also says whether the word starts (":B") or continues (":I") the name
    of an administrative unit (``unit_name_tags``)."""
    marks = unit_name_tags(text, words) if gazetteer else [""] * len(words)
    return [
        zlib.crc32((word_shape(text[w.start : w.end], first=k == 0) + marks[k]).encode()) % SHAPE_BUCKETS + 1
        for k, w in enumerate(words)
    ]


MAX_UNIT_WORDS = 3


def _capitalised(word: str) -> bool:
    return all(s[:1].isupper() for s in word.replace("_", " ").split())


def unit_name_tags(text: str, words: Sequence[Span]) -> list[str]:
    """":B"/":I" on each run of at most ``MAX_UNIT_WORDS`` capitalised words that names one of
    Vietnam's administrative units (``model.normalise.places.units_named``: any level, tone
    placement and case ignored), longest run first; "" elsewhere. A gazetteer fact, not a decision:
    "Kim Sơn" is a district and also a person's name, and the model reads the context."""
    from canbo.model.normalise.places import units_named

    out = [""] * len(words)
    k = 0
    while k < len(words):
        found = 0
        for n in range(min(MAX_UNIT_WORDS, len(words) - k), 0, -1):
            run = words[k : k + n]
            if all(_capitalised(text[w.start : w.end]) for w in run) and units_named(text[run[0].start : run[-1].end]):
                found = n
                break
        if found:
            out[k : k + found] = [":B"] + [":I"] * (found - 1)
            k += found
        else:
            k += 1
    return out
