"""Raw text -> sentences -> words, every piece as (start, end) into the input.

Nothing here rewrites the input: underthesea normalises characters and tone
placement ("Thuỵ" -> "Thụy", NFD -> NFC), so its words are mapped back onto
the original string by a diacritic-insensitive skeleton match, and a word we
cannot place raises ``AlignmentError`` instead of being shifted silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache


class AlignmentError(ValueError):
    """A word or span cannot be placed exactly on the original text."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


# ---------------------------------------------------------------- boilerplate

_FURNITURE = re.compile(
    r"""^(
        image(\s+\w+)?                                   # "image advertisement", "image banner"
      | tin\s+(mới|liên\s+quan)|xem\s+thêm|tìm\s+kiếm|bình\s+chọn
      | văn\s+bản\s+(mới|điện\s+tử)|một\s+cửa\s+điện\s+tử
      | trang\s+thông\s+tin\s+điện\s+tử.*|chào\s+mừng\s+bạn.*
      | (lượt\s+(xem|truy\s+cập)|thống\s+kê\s+truy\s+cập|trực\s+tuyến|đang\s+online|hôm\s+nay
         |trong\s+tuần|tất\s+cả|tổng\s+số\s+điểm.*|đánh\s+giá\s+cho\s+bài\s+viết)\s*:?\s*[\d.,]*
      | click\s+để.*|bạn\s+quan\s+tâm.*\?|a-\s*a\s*a\+.*
      | (thứ\s+\w+|chủ\s+nhật),?\s*\d{1,2}/\d{1,2}/\d{4}.*     # page-header dates
      | \d+\s+điểm\s*\(.*\)
      | .*https?://\S+.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_BULLET = re.compile(r"^[•·●▪\-–*]\s*")


def is_boilerplate(line: str) -> bool:
    """True for site furniture: ads, menus, counters, share widgets, header dates."""
    s = _BULLET.sub("", unicodedata.normalize("NFC", line.strip()))
    if not s:
        return True
    if not any(ch.isalpha() for ch in s):
        return True
    return bool(_FURNITURE.match(s))


def lines(text: str) -> list[Span]:
    """Non-empty lines as spans trimmed of surrounding whitespace."""
    out = []
    for m in re.finditer(r"[^\n\r]+", text):
        seg = m.group()
        left = len(seg) - len(seg.lstrip())
        right = len(seg.rstrip())
        if right > left:
            out.append(Span(m.start() + left, m.start() + right))
    return out


# ---------------------------------------------------------------- sentences

_TERMINAL = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_OPENERS = "\"“‘«([-–"


def _ends_sentence(text: str, stop: int, end: int, punct_start: int) -> bool:
    """Does the terminal punctuation ending at ``stop`` close a sentence?

    Yes when whitespace follows and then a capital, a digit or an opening
    quote; also when a capital follows with no space after a lowercase word
    ("năm 2023.Trong" - a missing space in scraped text), but not inside
    abbreviations or numbers ("TP.HCM", "1.528").
    """
    if stop >= end:
        return False
    nxt = text[stop]
    if nxt.isspace():
        rest = text[stop:end].lstrip()
        return bool(rest) and (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS)
    before = text[max(0, punct_start - 2) : punct_start]
    return nxt.isupper() and len(before) == 2 and (before[-1].islower() or before[-1].isdigit())


def split_paragraph(text: str, start: int, end: int) -> list[Span]:
    """Split ``text[start:end]`` into sentence spans (trimmed, never empty)."""
    cuts = [m.end() for m in _TERMINAL.finditer(text, start, end) if _ends_sentence(text, m.end(), end, m.start())]
    out = []
    for s, e in zip([start, *cuts], [*cuts, end]):
        seg = text[s:e]
        left = len(seg) - len(seg.lstrip())
        right = len(seg.rstrip())
        if right > left:
            out.append(Span(s + left, s + right))
    return out


def split_sentences(text: str, skip_boilerplate: bool = True) -> list[Span]:
    """Sentences of a raw page or paragraph, as spans into ``text``."""
    out = []
    for line in lines(text):
        if skip_boilerplate and is_boilerplate(text[line.start : line.end]):
            continue
        out.extend(split_paragraph(text, line.start, line.end))
    return out


# ---------------------------------------------------------------- words

_NO_MARK = {"đ": "d", "Đ": "d"}


@lru_cache(maxsize=4096)
def _skeleton_char(ch: str) -> str:
    """Base letter of a character, lowercased, diacritics and combining marks dropped."""
    if ch in _NO_MARK:
        return _NO_MARK[ch]
    base = unicodedata.normalize("NFD", ch)
    return base[0].lower() if base and not unicodedata.combining(base[0]) else ""


def skeleton(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Diacritic-free, lowercase, whitespace-free form of ``text`` with, for each
    of its characters, the (start, end) of the original characters it covers
    (combining marks after a base letter belong to that letter)."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        sk = _skeleton_char(ch)
        if sk:
            chars.append(sk)
            spans.append((i, i + 1))
        elif spans and spans[-1][1] == i:  # a combining mark: extend the previous letter
            spans[-1] = (spans[-1][0], i + 1)
    return "".join(chars), spans


def align_tokens(text: str, tokens: Iterable[str], offset: int = 0) -> list[Span]:
    """Place each token (in order) on ``text``; spans are shifted by ``offset``.

    Tokens may differ from the text in diacritics, tone placement,
    normalisation form and internal spacing, but not in letters.
    """
    sk, spans = skeleton(text)
    out, pos = [], 0
    for tok in tokens:
        tsk, _ = skeleton(tok)
        if not tsk:
            continue
        found = sk.find(tsk, pos)
        if found < 0 or any(c.isalnum() for c in sk[pos:found]):
            where = spans[pos][0] if pos < len(spans) else len(text)
            raise AlignmentError(f"cannot place word {tok!r} at {text[where:where + 40]!r}")
        s, e = spans[found][0], spans[found + len(tsk) - 1][1]
        out.append(Span(s + offset, e + offset))
        pos = found + len(tsk)
    return out


def _underthesea_words(sentence: str) -> list[str]:
    from underthesea import word_tokenize

    return word_tokenize(sentence)


def segment_words(
    text: str, start: int = 0, end: int | None = None, tokenizer: Callable[[str], list[str]] | None = None
) -> list[Span]:
    """Word spans (underthesea segmentation) of ``text[start:end]``, as offsets into ``text``."""
    end = len(text) if end is None else end
    piece = text[start:end]
    if not piece.strip():
        return []
    words = (tokenizer or _underthesea_words)(piece)
    return align_tokens(piece, words, offset=start)


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
        for s, e in zip(bounds, bounds[1:]):
            seg = text[s:e]
            left = len(seg) - len(seg.lstrip())
            right = len(seg.rstrip())
            if right > left:
                out.append(Span(s + left, s + right))
    return out, n_split


def segment_at_spans(
    text: str, cuts: Iterable[int], start: int = 0, end: int | None = None, tokenizer: Callable[[str], list[str]] | None = None
) -> tuple[list[Span], int]:
    """Segmenter words of ``text[start:end]`` split at every offset in ``cuts`` (span boundaries),
    so that every given span falls on words; also returns how many words had to be split."""
    return refine_at_boundaries(segment_words(text, start, end, tokenizer=tokenizer), text, cuts)


def syllables(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Syllable and punctuation pre-tokens; numbers like 1.528 and 17,2% stay whole."""
    end = len(text) if end is None else end
    return [
        Span(m.start() + start, m.end() + start)
        for m in re.finditer(r"\w+(?:[.,/]\w+)*%?|[^\w\s]", text[start:end])
    ]
