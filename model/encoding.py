"""Words -> PhoBERT subwords, windows of at most ``max_length`` tokens, and gold alignment.

The model sees one vector per word: the first subword's.  Each word is
tokenized on its own (syllables joined by "_", as PhoBERT was pre-trained),
with a per-word cache because the same words recur constantly in news text.
Sentences longer than the backbone's limit are cut into overlapping windows;
every word is *owned* by exactly one window (the one where it sits furthest
from an edge), so merging window outputs is a simple gather.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from canbo.model.decode import WordSpan
from canbo.model.schema import Document
from canbo.model.text import AlignmentError, Span

_SPACES = re.compile(r"\s+")


def phobert_word(text: str, modern_tone: bool = False) -> str:
    """The PhoBERT input form of one word: NFC, inner whitespace as "_"; with ``modern_tone`` the
    tone of a final oa/oe/uy on its first vowel, as the rules read words ("Thuỵ" -> "Thụy",
    "hoà" -> "hòa"), so both spellings are one word to the model."""
    word = unicodedata.normalize("NFC", text.strip())
    if modern_tone:
        from canbo.model.rules import normalise

        word = normalise(word)[0]
    return _SPACES.sub("_", word)


@dataclass(frozen=True)
class Window:
    """One encoder input: token ids and the position of each of its words' first subword."""

    input_ids: list[int]
    word_starts: list[int]
    first_word: int  # sentence index of the window's first word
    own_start: int  # sentence word indices [own_start, own_end) take their output from here
    own_end: int
    rule_tags: list[int] | None = None  # per word of the window, when the model uses rule features
    shape_ids: list[int] | None = None  # per word of the window, when the model uses word shapes

    def __reduce__(self):  # compact pickles for model.parallel's workers
        return Window, (self.input_ids, self.word_starts, self.first_word, self.own_start, self.own_end, self.rule_tags,
                        self.shape_ids)


class WordEncoder:
    """Tokenizes words with a PhoBERT tokenizer, caching the pieces of each word."""

    def __init__(
        self, tokenizer, max_length: int = 256, overlap: int = 32, cache_size: int = 200_000, modern_tone: bool = False
    ):
        if max_length < 8:
            raise ValueError("max_length must be at least 8 tokens")
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.overlap = overlap
        self.modern_tone = modern_tone  # phobert_word's tone placement, as the model was trained with
        self._cache: dict[str, list[int]] = {}
        self._cache_size = cache_size
        self.bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.cls_token_id
        self.eos = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else tokenizer.sep_token_id
        self.pad = tokenizer.pad_token_id
        self.unk = tokenizer.unk_token_id

    def pieces(self, word: str) -> list[int]:
        ids = self._cache.get(word)
        if ids is None:
            ids = self.tokenizer.convert_tokens_to_ids(self.tokenizer.tokenize(phobert_word(word, self.modern_tone))) or [self.unk]
            if len(self._cache) < self._cache_size:
                self._cache[word] = ids
        return ids

    def encode(
        self, text: str, words: Sequence[Span], rule_tags: Sequence[int] | None = None,
        shape_ids: Sequence[int] | None = None,
    ) -> list[Window]:
        """Windows covering all ``words`` (spans into ``text``); never truncates silently."""
        pieces = [self.pieces(text[w.start : w.end]) for w in words]
        body = self.max_length - 2
        pieces = [p[:body] for p in pieces]  # a single word longer than a window keeps its head
        bounds = plan_windows([len(p) for p in pieces], body, self.overlap)
        windows = []
        for a, b, own_a, own_b in bounds:
            ids, starts = [self.bos], []
            for p in pieces[a:b]:
                starts.append(len(ids))
                ids.extend(p)
            ids.append(self.eos)
            tags = list(rule_tags[a:b]) if rule_tags is not None else None
            shapes = list(shape_ids[a:b]) if shape_ids is not None else None
            windows.append(Window(ids, starts, a, own_a, own_b, tags, shapes))
        return windows


def plan_windows(counts: Sequence[int], budget: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """Cut words with ``counts`` subwords into windows of at most ``budget`` subwords.

    Returns ``(start, end, own_start, own_end)`` word ranges; consecutive windows
    overlap by up to ``overlap`` words and the owned ranges tile ``0..len(counts)``.
    """
    n = len(counts)
    if n == 0:
        return [(0, 0, 0, 0)]
    ranges, a = [], 0
    while True:
        b, used = a, 0
        while b < n and used + counts[b] <= budget:
            used += counts[b]
            b += 1
        b = max(b, a + 1)
        ranges.append((a, b))
        if b >= n:
            break
        a = max(a + 1, b - overlap)
    out, own_a = [], 0
    for k, (a, b) in enumerate(ranges):
        own_b = n if k == len(ranges) - 1 else (ranges[k + 1][0] + b) // 2
        own_b = max(own_b, own_a)
        out.append((a, b, own_a, own_b))
        own_a = own_b
    return out


def word_index(words: Sequence[Span]) -> tuple[dict[int, int], dict[int, int]]:
    """Maps from char offset to word index, for word starts and word ends."""
    return {w.start: i for i, w in enumerate(words)}, {w.end: i for i, w in enumerate(words)}


def gold_word_spans(doc: Document, words: Sequence[Span], offset: int = 0) -> list[WordSpan]:
    """Gold entities of ``doc`` as word spans; raise AlignmentError when a span
    does not start and end on word boundaries (``offset`` shifts doc offsets
    into the coordinates of ``words``)."""
    starts, ends = word_index(words)
    out = []
    for e in doc.entities:
        s, t = starts.get(e.start + offset), ends.get(e.end + offset)
        if s is None or t is None:
            raise AlignmentError(
                f"{doc.id or 'document'}: {e.label} span {e.text!r} [{e.start}, {e.end}) does not fall on word boundaries"
            )
        out.append(WordSpan(s, t, e.label))
    return out


def char_span(words: Sequence[Span], span: WordSpan) -> tuple[int, int]:
    """Character offsets of a word span."""
    return words[span.start].start, words[span.end].end
