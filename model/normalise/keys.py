"""Comparison keys for Vietnamese names: one key whatever the Unicode form, case or tone placement.

``fold("Huyện Uỷ")``, ``fold("huyện ủy")`` and their NFD forms are all ``"huyện uỷ"``: NFC,
"Ð" (U+00D0, Icelandic eth) read as "Đ", case folded, single spaces, and each syllable's tone
mark placed by one rule (``place_tone``) so that "thủy"/"thuỷ", "hòa"/"hoà" and "khỏe"/"khoẻ"
agree. Keys stay readable Vietnamese, so they can be shown and typed in SQL.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_VOWELS = set("aăâeêioôơuưy")
_MARKED = set("ăâêôơư")  # vowels with a quality mark: the tone goes on them
_SECOND_IN_OPEN = {"oa", "oe", "uy"}  # open syllables whose tone sits on the second vowel


def fold(text: str) -> str:
    """The comparison key of a name or phrase (see the module docstring)."""
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    return " ".join(place_tone(w) for w in text.casefold().split())


@lru_cache(maxsize=65536)
def place_tone(word: str) -> str:
    """``word`` (lower case) with its tone mark on the vowel the modern rule picks: on a vowel with
    a quality mark ("người", "thuyền"), else on the last vowel before a final consonant ("hoàn"),
    else on the second vowel of "oa", "oe", "uy" ("hoà", "khoẻ", "thuỷ"), the middle one of three
    ("ngoài") and the first of other pairs ("mái", "của"). "qu" and "gi" + vowel count as consonants.
    Words that are not one syllable of Vietnamese letters come back NFC and otherwise unchanged."""
    letters, tone = _split_tone(word)
    if letters is None or tone is None:
        return unicodedata.normalize("NFC", word)
    target = _tone_index(letters)
    if target is None:
        return unicodedata.normalize("NFC", word)
    out = "".join(ch + (tone if k == target else "") for k, ch in enumerate(letters))
    return unicodedata.normalize("NFC", out)


def _split_tone(word: str) -> tuple[list[str] | None, str | None]:
    """The word's letters (NFC, tone removed) and its one tone mark; (None, None) for anything else."""
    base, tones = [], []
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONES:
            tones.append(ch)
        elif unicodedata.combining(ch):
            if not base:
                return None, None
            base[-1] = unicodedata.normalize("NFC", base[-1] + ch)
        else:
            base.append(ch)
    if len(tones) != 1 or not all(re.fullmatch(r"[a-zăâêôơưđ]", c) for c in base):
        return None, None
    return base, tones[0]


def _tone_index(letters: list[str]) -> int | None:
    """Index of the letter that carries the tone, or None when there is no vowel."""
    start = 0
    word = "".join(letters)
    if word.startswith("qu") and len(word) > 2 and word[2] in _VOWELS:
        start = 2
    elif word.startswith("gi") and len(word) > 2 and word[2] in _VOWELS:
        start = 2
    vowels = [k for k in range(start, len(letters)) if letters[k] in _VOWELS]
    if not vowels:
        vowels = [k for k in range(len(letters)) if letters[k] in _VOWELS]  # "gì", "quỳ"? keep u/i then
        if not vowels:
            return None
    run = [vowels[0]]
    for k in vowels[1:]:
        if k == run[-1] + 1:
            run.append(k)
        else:
            break
    marked = [k for k in run if letters[k] in _MARKED]
    if marked:
        return marked[-1]
    if len(run) == 1:
        return run[0]
    if run[-1] + 1 < len(letters):  # a final consonant follows
        return run[-1]
    if len(run) >= 3:
        return run[1]
    return run[1] if letters[run[0]] + letters[run[1]] in _SECOND_IN_OPEN else run[0]
