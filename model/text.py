"""Raw text -> sentences -> words, every piece as (start, end) into the input.

Nothing here rewrites the input: underthesea normalises characters and tone
placement ("Thuỵ" -> "Thụy", NFD -> NFC), so its words are mapped back onto
the original string by a diacritic-insensitive skeleton match, and a word we
cannot place raises ``AlignmentError`` instead of being shifted silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from canbo.model.furniture import is_boilerplate, page_lines  # noqa: F401 - is_boilerplate is part of this API


class AlignmentError(ValueError):
    """A word or span cannot be placed exactly on the original text."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __reduce__(self):  # pickled as a pair: words travel back from preparation workers by the thousand
        return Span, (self.start, self.end)


# ---------------------------------------------------------------- boilerplate

def trimmed(text: str, start: int, end: int) -> Span:
    """``text[start:end]`` without surrounding whitespace (empty when it is all whitespace)."""
    seg = text[start:end]
    left = len(seg) - len(seg.lstrip())
    return Span(start + left, start + max(left, len(seg.rstrip())))


def lines(text: str) -> list[Span]:
    """Non-empty lines as spans trimmed of surrounding whitespace."""
    spans = (trimmed(text, m.start(), m.end()) for m in re.finditer(r"[^\n\r]+", text))
    return [sp for sp in spans if sp.end > sp.start]


# ---------------------------------------------------------------- sentences

_TERMINAL = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_OPENERS = "\"“‘«([-–"
# Abbreviations written with a dot before a name ("TP. Hồ Chí Minh", "Q. 1", "PGS. Nguyễn Văn A"): the
# dot does not end the sentence
DOTTED_ABBREVIATIONS = frozenset("TP Tp TX Tx TT Q P H X ThS TS PGS GS BS KS CN NSND NSƯT Th.S".split())
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _ends_sentence(text: str, stop: int, end: int, punct_start: int) -> bool:
    """Does the terminal punctuation ending at ``stop`` close a sentence?

    Yes when whitespace follows and then a capital, a digit or an opening
    quote; also when a capital follows with no space after a lowercase word
    ("năm 2023.Trong" - a missing space in scraped text), but not inside
    abbreviations or numbers ("TP.HCM", "1.528") nor after a dotted abbreviation ("TP. Hồ Chí Minh").
    """
    if stop >= end:
        return False
    nxt = text[stop]
    if nxt.isspace():
        word = _WORD_BEFORE.search(text, max(0, punct_start - 8), punct_start)
        if text[punct_start:stop] == "." and word and word.group(1) in DOTTED_ABBREVIATIONS:
            return False
        rest = text[stop:end].lstrip()
        return bool(rest) and (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS)
    before = text[max(0, punct_start - 2) : punct_start]
    return nxt.isupper() and len(before) == 2 and (before[-1].islower() or before[-1].isdigit())


def split_paragraph(text: str, start: int, end: int) -> list[Span]:
    """Split ``text[start:end]`` into sentence spans (trimmed, never empty)."""
    cuts = [m.end() for m in _TERMINAL.finditer(text, start, end) if _ends_sentence(text, m.end(), end, m.start())]
    spans = (trimmed(text, s, e) for s, e in zip([start, *cuts], [*cuts, end]))
    return [sp for sp in spans if sp.end > sp.start]


MAX_SENTENCE_CHARS = 2000  # longer "sentences" (lists, unpunctuated pages) are cut into pieces this long


def split_sentences(text: str, skip_boilerplate: bool = True, max_chars: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """Sentences of a raw page or paragraph, as spans into ``text``; none longer than ``max_chars``."""
    return list(iter_sentences(text, skip_boilerplate, max_chars))


def iter_sentences(text: str, skip_boilerplate: bool = True, max_chars: int = MAX_SENTENCE_CHARS) -> Iterator[Span]:
    """``split_sentences`` lazily, line by line, so a huge page is never split all at once;
    furniture lines (``model.furniture``) are skipped unless ``skip_boilerplate`` is False."""
    for line in page_lines(text) if skip_boilerplate else lines(text):
        if skip_boilerplate and line.reason is not None:
            continue
        for sent in split_paragraph(text, line.start, line.end):
            yield from cut_long(text, sent, max_chars)


def sentence_spans(text: str, split: bool = True) -> Iterable[Span]:
    """The sentences of ``text`` (``iter_sentences``), or with ``split=False`` the whole text as one
    sentence (gold sentences, which get no boilerplate filter)."""
    return iter_sentences(text) if split else [Span(0, len(text))]


def cut_long(text: str, span: Span, max_chars: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """``span`` cut into pieces of at most ``max_chars``: after the last ";" (else ",") in the second
    half of the piece, else at the last space, else hard."""
    out, start = [], span.start
    while span.end - start > max_chars:
        window = text[start : start + max_chars + 1]
        cut = next((k + 1 for k in (window.rfind(sep) for sep in ("; ", ", ")) if k >= max_chars // 2), 0)
        cut = cut or window.rfind(" ")
        if cut <= 0:
            cut = max_chars
        piece_end = start + cut
        out.append(trimmed(text, start, piece_end))
        start = piece_end
    out.append(trimmed(text, start, span.end))
    return [p for p in out if p.end > p.start]


# ---------------------------------------------------------------- words

# Letters whose NFD form keeps no base letter to compare on: "đ" and the look-alike "ð"/"Ð"
# (U+00F0/U+00D0, typed for "đ"/"Đ" by some input methods; the segmenter rewrites them to "đ").
_NO_MARK = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"}
_RESYNC_WINDOW = 8  # how many following words may be tried to re-find our place after a rewrite
_MIN_SHARED = 0.5  # a rewritten word shares at least half its letters with the text it is placed on


@lru_cache(maxsize=4096)
def _skeleton_char(ch: str) -> str:
    """Base letter of a character, lowercased, diacritics and combining marks dropped."""
    if ch in _NO_MARK:
        return _NO_MARK[ch]
    base = unicodedata.normalize("NFD", ch)
    return base[0].lower() if base and not unicodedata.combining(base[0]) else ""


_SPACE = "  "  # what _SKELETONS holds for whitespace (no character's skeleton is two characters)
_SKELETONS: dict[str, str] = {}  # character -> its skeleton letter, "" (a mark) or _SPACE: built as met


def _skeleton_of(ch: str) -> str:
    sk = _SKELETONS[ch] = _SPACE if ch.isspace() else _skeleton_char(ch)
    return sk


def skeleton(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Diacritic-free, lowercase, whitespace-free form of ``text`` with, for each
    of its characters, the (start, end) of the original characters it covers
    (combining marks after a base letter belong to that letter)."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    table = _SKELETONS
    for i, ch in enumerate(text):
        sk = table.get(ch)
        if sk is None:
            sk = _skeleton_of(ch)
        if sk == _SPACE:
            continue
        if sk:
            chars.append(sk)
            spans.append((i, i + 1))
        elif spans and spans[-1][1] == i:  # a combining mark: extend the previous letter
            spans[-1] = (spans[-1][0], i + 1)
    return "".join(chars), spans


def skeleton_text(text: str) -> str:
    """``skeleton(text)[0]`` alone (no offsets): for the segmenter's words."""
    table = _SKELETONS
    out = [table.get(ch) or (_skeleton_of(ch) if ch not in table else "") for ch in text]
    return "".join(sk for sk in out if sk != _SPACE)


def align_tokens(text: str, tokens: Iterable[str], offset: int = 0) -> list[Span]:
    """Place each token (in order) on ``text``; spans are shifted by ``offset``.

    Tokens may differ from the text in diacritics, tone placement, normalisation
    form, internal spacing and the segmenter's letter rewrites; a token that cannot
    be placed at all raises ``AlignmentError`` (training data must never lose a word).
    """
    return align_words(text, tokens, offset, exact=True)[0]


def align_words(text: str, tokens: Iterable[str], offset: int = 0, exact: bool = False) -> tuple[list[Span], list[str]]:
    """Place tokens on ``text`` like ``align_tokens``, surviving letter rewrites.

    The segmenter rewrites some words it returns ("qui" -> "quy", "nghành" -> "ngành").
    Where a token is not found exactly, the next tokens that are found exactly fix
    where the rewritten run ends, and the run is placed inside that gap by a
    character alignment; a token with no letter in common with its gap is skipped.
    Returns the spans and the skipped tokens; ``exact=True`` raises instead of skipping.
    """
    sk, spans = skeleton(text)
    pairs = [(t, sk_t) for t in tokens if (sk_t := skeleton_text(t))]  # each token's skeleton, once
    toks, tsks = [t for t, _ in pairs], [k for _, k in pairs]
    placed: list[tuple[int, int]] = []
    skipped: list[str] = []
    pos, i = 0, 0
    while i < len(tsks):
        found = sk.find(tsks[i], pos)
        if found >= 0 and not any(c.isalnum() for c in sk[pos:found]):
            placed.append((found, found + len(tsks[i])))
            pos, i = found + len(tsks[i]), i + 1
            continue
        j, gap_end = _resync(text, sk, spans, tsks, i, pos)
        for k, place in zip(range(i, j), _place_in_gap(tsks[i:j], sk[pos:gap_end])):
            if place is None and exact:
                where = spans[pos][0] if pos < len(spans) else len(text)
                raise AlignmentError(f"cannot place word {toks[k]!r} at {text[where:where + 40]!r}")
            if place is None:
                skipped.append(toks[k])
            else:
                placed.append((pos + place[0], pos + place[1]))
        pos, i = gap_end, j
    out = [Span(spans[a][0] + offset, spans[b - 1][1] + offset) for a, b in placed]
    return out, skipped


def _resync(text: str, sk: str, spans: list[tuple[int, int]], tsks: list[str], i: int, pos: int) -> tuple[int, int]:
    """First j > i whose token is found exactly after ``pos``, starting a word of the text, with a
    gap plausible for tokens i..j-1; returns (j, where the gap ends). With none, the rest is the gap."""
    need = 0
    for j in range(i + 1, min(len(tsks), i + 1 + _RESYNC_WINDOW)):
        need += len(tsks[j - 1])
        found = sk.find(tsks[j], pos)
        while found >= 0 and found - pos <= 2 * need + 2:
            start = spans[found][0]
            if need // 2 <= found - pos and (start == 0 or not text[start - 1].isalnum()):
                return j, found
            found = sk.find(tsks[j], found + 1)
    return len(tsks), len(sk)


def _place_in_gap(tsks: list[str], gap: str) -> list[tuple[int, int] | None]:
    """Spans inside ``gap`` for consecutive token skeletons, by a character alignment."""
    from difflib import SequenceMatcher

    joined = "".join(tsks)
    where = [-1] * len(joined)
    for a, b, n in SequenceMatcher(None, joined, gap, autojunk=False).get_matching_blocks():
        for k in range(n):
            where[a + k] = b + k
    out: list[tuple[int, int] | None] = []
    cursor, start = 0, 0
    for n, t in enumerate(tsks):
        hits = [where[k] for k in range(start, start + len(t)) if where[k] >= 0]
        start += len(t)
        if not hits:
            out.append(None)
            continue
        lo = max(cursor, min(hits))
        hi = len(gap) if n == len(tsks) - 1 else max(hits) + 1
        if n > 0 and out[-1] is not None and out[-1][1] < lo:  # letters between two words go to the earlier one
            out[-1] = (out[-1][0], lo)
        if hi <= lo or len(hits) < _MIN_SHARED * max(len(t), hi - lo):  # too little in common: another word
            out.append(None)
            continue
        out.append((lo, hi))
        cursor = hi
    return out


def _underthesea_words(sentence: str) -> list[str]:
    return underthesea_segmenter()(sentence)


@lru_cache(maxsize=1)
def underthesea_segmenter() -> Callable[[str], list[str]]:
    """underthesea's ``word_tokenize``, imported without running ``underthesea/__init__.py``.

    That file imports every pipeline of the toolkit, its translator too, and with it transformers:
    two seconds of a cold start for a function that needs a regex tokenizer and a CRF. While the
    segmenter's modules load, ``underthesea`` is an empty package of the same folder; then it is
    taken out of ``sys.modules``, so a later ``import underthesea`` runs the real one (sharing
    these modules). Where that fails, or underthesea is already imported, the ordinary import."""
    import importlib
    import importlib.util
    import sys
    import types

    if "underthesea" not in sys.modules:
        spec = importlib.util.find_spec("underthesea")
        shell = types.ModuleType("underthesea")
        shell.__path__ = list(spec.submodule_search_locations or []) if spec else []
        sys.modules["underthesea"] = shell
        try:
            importlib.import_module("underthesea.pipeline.text_normalize")  # first, as the package's own order
            importlib.import_module("underthesea.models.fast_crf_sequence_tagger")  # word_tokenize imports it late
            return importlib.import_module("underthesea.pipeline.word_tokenize").word_tokenize
        except Exception:  # noqa: BLE001 - another layout of the package: import it as its authors meant
            for name in [m for m in sys.modules if m.startswith("underthesea.")]:
                del sys.modules[name]
        finally:
            if sys.modules.get("underthesea") is shell:
                del sys.modules["underthesea"]
    from underthesea import word_tokenize

    return word_tokenize


def segment_words(
    text: str,
    start: int = 0,
    end: int | None = None,
    tokenizer: Callable[[str], list[str]] | None = None,
    exact: bool = False,
    skipped: list[str] | None = None,
) -> list[Span]:
    """Word spans (underthesea segmentation) of ``text[start:end]``, as offsets into ``text``.

    Words the segmenter rewrote are still placed (``align_words``); a word that
    cannot be placed at all is left out and appended to ``skipped``, or, with
    ``exact=True`` (training data), raises ``AlignmentError``.
    """
    end = len(text) if end is None else end
    piece = text[start:end]
    if not piece.strip():
        return []
    words = (tokenizer or _underthesea_words)(piece)
    spans, lost = align_words(piece, words, offset=start, exact=exact)
    if skipped is not None:
        skipped.extend(lost)
    return spans


def refine_at_boundaries(words: list[Span], text: str, cuts: Iterable[int]) -> tuple[list[Span], int]:
    """Split words that straddle any of ``cuts`` (gold span boundaries).

    Returns the new word list and how many words had to be split, so callers
    can report the mismatch between segmentation and gold instead of hiding it.
    """
    cuts = sorted(set(cuts))
    out, n_split = [], 0
    for w in words:
        inner = [c for c in cuts if w.start < c < w.end]
        if not inner:
            out.append(w)
            continue
        n_split += 1
        bounds = [w.start, *inner, w.end]
        pieces = (trimmed(text, s, e) for s, e in zip(bounds, bounds[1:]))
        out.extend(sp for sp in pieces if sp.end > sp.start)
    return out, n_split


def segment_at_spans(
    text: str,
    cuts: Iterable[int],
    start: int = 0,
    end: int | None = None,
    tokenizer: Callable[[str], list[str]] | None = None,
    exact: bool = False,
) -> tuple[list[Span], int]:
    """Segmenter words of ``text[start:end]`` split at every offset in ``cuts`` (span boundaries),
    so that every given span falls on words; also returns how many words had to be split."""
    return refine_at_boundaries(segment_words(text, start, end, tokenizer=tokenizer, exact=exact), text, cuts)


def syllables(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Syllable and punctuation pre-tokens; numbers like 1.528 and 17,2% stay whole."""
    end = len(text) if end is None else end
    return [
        Span(m.start() + start, m.end() + start)
        for m in re.finditer(r"\w+(?:[.,/]\w+)*%?|[^\w\s]", text[start:end])
    ]
