"""Headlines in capitals, read as the sentence they would be in ordinary case.

A shouted headline ("HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ XÃ LŨNG CÚ") makes every word look
like a name. ``recase`` writes it in ordinary case from the lexicon (abbreviations stay in
capitals; office titles, organ names, place names and the names after a unit word,
honorific or title are capitalised; everything else is lower case). The result has the
same length as the input, character for character, so offsets found on it are offsets
into the original.
"""

from __future__ import annotations

import re

from canbo.model.lexicon import words
from canbo.model.rules_lexicon import ABBREVIATIONS, ADMIN, HONORIFICS, PLACES, SUBS, SURNAMES, TITLES, TOPS

_WORD = re.compile(r"\w+", re.UNICODE)


def _phrases(*tables) -> set[tuple[str, ...]]:
    return {p for table in tables for phrases in table.values() for p in phrases}


_TITLES = _phrases(TITLES)
_ORGANS = _phrases(TOPS, SUBS)
_UNITS = _phrases(ADMIN)
_HONORIFICS = _phrases(HONORIFICS)
_PLACES = {tuple(w.lower() for w in p) for p in _phrases(PLACES)} | {
    tuple(name.lower().split()) for f in ("provinces", "districts", "communes") for name in words(f)
}
_TITLE_STARTS = {p[0] for p in _TITLES}
_SURNAMES = {s.lower() for s in SURNAMES} | {s.lower() for s in words("surnames")}
_BREAKS = _TITLES | _ORGANS | _UNITS | _HONORIFICS  # a name ends where one of these begins
_STOP = set(  # nor does a name go on over these (function words and headline verbs)
    "lần thứ năm và của với tại về cho các những đã đang sẽ được bị là có trong trên dưới ở làm thăm họp tổ chức"
    " kiểm tra triển khai phát động chỉ đạo tiếp xúc trao tặng khai mạc bế mạc tổng kết sơ kết đón nhận ra mắt".split()
)


def is_shouted(text: str, min_letters: int = 12) -> bool:
    """Mostly capitals over several words: a headline or banner in capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= min_letters and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def recase(text: str) -> str:
    """``text`` in ordinary case, same length; unchanged when casing would change its length."""
    words = list(_WORD.finditer(text))
    low = [m.group().lower() for m in words]
    cap = [False] * len(words)
    keep = [m.group() in ABBREVIATIONS or any(ch.isdigit() for ch in m.group()) for m in words]
    if words:
        cap[0] = True
    k = 0
    while k < len(words):
        if n := _longest(low, k, _PLACES):
            cap[k : k + n] = [True] * n
        elif n := _longest(low, k, _TITLES):  # "Phó Bí thư": each syllable that starts a title
            for j in range(k, k + n):
                cap[j] = cap[j] or j == k or low[j] in _TITLE_STARTS
        elif n := _longest(low, k, _ORGANS):
            cap[k] = True
        elif n := _longest(low, k, _UNITS):  # "xã Lũng Cú": the name after a unit word
            if place := _longest(low, k + n, _PLACES):
                cap[k + n : k + n + place] = [True] * place
            n += place or _mark_name(low, cap, k + n, 2)
        elif n := _longest(low, k, _HONORIFICS):  # "đồng chí Lê Văn An": the name after it
            n += _mark_name(low, cap, k + n, 4)
        elif low[k] in _SURNAMES and k + 1 < len(words) and not _ends_name(low, k + 1):
            n = _mark_name(low, cap, k, 4)
        k += max(n, 1)
    out = []
    prev = 0
    for m, c, kp in zip(words, cap, keep):
        out.append(text[prev : m.start()])
        w = m.group()
        out.append(w if kp else (w[:1].upper() + w[1:].lower() if c else w.lower()))
        prev = m.end()
    out.append(text[prev:])
    result = "".join(out)
    return result if len(result) == len(text) else text


def _longest(low: list[str], k: int, phrases: set[tuple[str, ...]]) -> int:
    for n in (4, 3, 2, 1):
        if k + n <= len(low) and tuple(low[k : k + n]) in phrases:
            return n
    return 0


def _mark_name(low: list[str], cap: list[bool], k: int, limit: int) -> int:
    """Capitalise up to ``limit`` words from ``k`` that can be part of a name; how many."""
    n = 0
    while k + n < len(low) and n < limit and not _ends_name(low, k + n):
        cap[k + n] = True
        n += 1
    return n


def _ends_name(low: list[str], k: int) -> bool:
    return low[k] in _STOP or _longest(low, k, _BREAKS) > 0
