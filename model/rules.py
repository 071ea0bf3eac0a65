"""Rules and gazetteers for the five entity types and HAS_POSITION.

Used twice: as the baseline beside every model score (eval reports), and as
input features of the model (``model.features``), which learns when to trust them.

Rules run per sentence on a normalised copy of the input (NFC, modern tone
placement "ủy"/"hòa", one character per input cluster) and spans are mapped
back onto the original string.  Titles + organ words give POSITION (ranks
too), organ words ORG, names after unit or facility words, numbered roads,
capitalised facility names and gazetteer names LOCATION, surname-, prefix- or
honorific-led capitalised runs, "X Văn/Thị Y" names and photo credits PERSON,
regexes METRIC; overlaps go to label priority, then length.  HAS_POSITION
follows apposition and holding-verb patterns within a sentence.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from canbo.model.labels import ENTITY_LABELS, RELATION_SIGNATURES
from canbo.model.rules_lexicon import (
    ADMIN,
    DEPARTMENTS,
    ELLIPTIC,
    EPONYMS,
    FACILITY,
    GENERIC_BODIES,
    HAMLETS,
    HEADS,
    HONORIFICS,
    LOCAL_PLACES,
    MIDDLE_MARKS,
    NAME_PREFIXES,
    NAMED_FACILITY,
    NOT_UNIT_AFTER,
    NUMBERED_UNITS,
    PEOPLES,
    PLACES,
    RANKS,
    REGION_TABLE,
    REGIONS,
    ROADS,
    SUBS,
    SURNAMES,
    TITLE_MODS,
    TITLES,
    TOPS,
)
from canbo.model.rules_lexicon import FRACTION as _FRACTION
from canbo.model.rules_lexicon import NOT_QUANTITY_AFTER as _NOT_QUANTITY_AFTER
from canbo.model.rules_lexicon import QUANTITY as _QUANTITY
from canbo.model.rules_lexicon import TOKEN as _TOKEN
from canbo.model.rules_lexicon import YEAR as _YEAR
from canbo.model.schema import Document, Entity, Relation
from canbo.model.text import split_sentences

REL_LABEL = "HAS_POSITION"  # its (head, tail) labels come from model.labels
PERSON, POSITION = RELATION_SIGNATURES[REL_LABEL]
ORG, LOCATION, METRIC = "ORG", "LOCATION", "METRIC"
if not {PERSON, POSITION, ORG, LOCATION, METRIC} <= set(ENTITY_LABELS):
    raise ImportError("model.labels lacks a label the rule baseline produces")
# Lower number wins an overlap; within a priority the longer span wins.
PRIORITY = {METRIC: 0, POSITION: 1, ORG: 2, LOCATION: 3, PERSON: 4}

# ---------------------------------------------------------------- normalisation

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OLD_TONE = re.compile(r"(?<![qQ])([oOuU])([^\W\d_])(?!\w)")


def _modern_tone(m: re.Match) -> str:
    """Move a tone from the second to the first vowel of a final oa/oe/uy ("uỷ" -> "ủy")."""
    first, (base, *marks) = m.group(1), unicodedata.normalize("NFD", m.group(2))
    if (first.lower() + base.lower()) not in ("oa", "oe", "uy") or len(marks) != 1 or marks[0] not in _TONES:
        return m.group()
    return unicodedata.normalize("NFC", first + marks[0]) + base


@lru_cache(maxsize=1)
def _cluster_marks() -> re.Pattern:
    """Characters that join the one before them into a cluster: combining marks of the BMP, and
    (not looked up, so always the careful path) any astral character."""
    marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
    return re.compile("[" + re.escape(marks) + "\U00010000-\U0010FFFF]")


# the look-alike eth some input methods type for "đ"/"Đ" (one character for one: offsets stay)
_LOOK_ALIKES = str.maketrans({"ð": "đ", "Ð": "Đ"})


def normalise(text: str) -> tuple[str, list[int], list[int]]:
    """NFC text with modern tone placement and "Đ" for its look-alike "Ð", and for each of its
    characters the (start, end) offsets in ``text`` of the character cluster it came from."""
    if unicodedata.is_normalized("NFC", text) and not _cluster_marks().search(text):
        # the common case, and the same answer: every character is its own cluster
        norm = _OLD_TONE.sub(_modern_tone, text.translate(_LOOK_ALIKES))
        return norm, list(range(len(text))), list(range(1, len(text) + 1))
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        out += [(ch, i, j) for ch in unicodedata.normalize("NFC", text[i:j])]
        i = j
    norm = _OLD_TONE.sub(_modern_tone, "".join(c for c, _, _ in out).translate(_LOOK_ALIKES))
    return norm, [a for _, a, _ in out], [b for _, _, b in out]


# ---------------------------------------------------------------- tokens


class _Sentence:
    """The word and punctuation tokens of one sentence of the normalised text."""

    def __init__(self, text: str, start: int, end: int) -> None:
        found = list(_TOKEN.finditer(text, start, end))
        self.text = text
        self.spans = [(m.start(), m.end()) for m in found]
        self.words = [m.group() for m in found]
        self.low = [w.lower() for w in self.words]
        self.n = len(found)

    def cap(self, k: int) -> bool:
        """Is token ``k`` a capitalised word (or an abbreviation such as HĐND)?"""
        return k < self.n and self.words[k][0].isupper()

    def match(self, k: int, table: dict[str, list[tuple[str, ...]]]) -> int:
        """End token index of the longest phrase of ``table`` at ``k``, or -1."""
        phrases = table.get(self.low[k]) if k < self.n else None
        if phrases:
            low = self.low
            for phrase in phrases:
                n = len(phrase)
                if n == 1 or tuple(low[k : k + n]) == phrase:  # a table is keyed by its phrases' first word
                    return k + n
        return -1


_NOT_IN_NAME = {"và", "của", "tại", "ở", "thuộc", "trên", "với", "cho", "là", "có", "được", "đã", "đang", "sẽ"}


def _before_middle_name(s: _Sentence, k: int) -> bool:
    """Is ``k`` followed by "Văn"/"Thị" and a capitalised word ("X Văn Y": a person's name)?"""
    return k + 2 < s.n and s.low[k + 1] in MIDDLE_MARKS and s.cap(k + 1) and s.cap(k + 2)


def _starts_unit(s: _Sentence, k: int) -> bool:
    """Does a title, organ or unit word (not just a name syllable) start at ``k``? Not before
    "Văn"/"Thị" and a name: "Đoàn Văn Khuê" is a person."""
    if _before_middle_name(s, k):
        return False
    for table in (TITLES, SUBS, TOPS, HEADS, ADMIN):
        e = s.match(k, table)
        if e > 0 and (e - k > 1 or s.words[k].isupper() or s.cap(e) or table is ADMIN and e < s.n and s.words[e].isdigit()):
            return True
    return False


def _surname(word: str) -> bool:
    """A surname, or a name prefix of the Central Highlands' peoples that leads a name like one
    ("Y Khuê Mlô", "H'Yim Êban", "K'Bình"; guidelines (y))."""
    return word in SURNAMES or word in NAME_PREFIXES or word[:2] in ("H'", "K'") and len(word) > 2


def _person_start(s: _Sentence, k: int) -> bool:
    """A surname followed by another capitalised name syllable."""
    return _surname(s.words[k]) and s.cap(k + 1) and not _starts_unit(s, k + 1)


def _name_end(s: _Sentence, k: int, lower_ok: bool = False, split_person: bool = True, limit: int = 4) -> int:
    """End of a capitalised name at ``k``; with ``lower_ok`` each capitalised
    syllable may carry one lowercase one and parts may be joined by "-"/"và"
    ("Tài chính - Kế hoạch").  Stops before a unit word and, with
    ``split_person``, before a person's name."""
    j, parts = k, 0
    while s.cap(j) and parts < limit:
        if j > k and (_starts_unit(s, j) or (split_person and _person_start(s, j))):
            break
        j, parts = j + 1, parts + 1
        # a capitalised syllable opening a word carries its lowercase one ("Tài chính", "Chế biến
        # Nông sản", "TNHH Lâm sản"); the last syllable of a proper name does not carry the verb after it ("Công ty
        # May Hùng Lâm đã ...")
        opens = j - 1 == k or not s.cap(j - 2) or s.words[j - 2].isupper()  # after "TNHH", "THCS" too
        if lower_ok and opens and j < s.n and s.words[j].isalpha() and s.words[j].islower() and s.low[j] not in _NOT_IN_NAME:
            j += 1
        if lower_ok and j + 1 < s.n and s.low[j] in ("-", "–", "và") and s.cap(j + 1):
            if not _starts_unit(s, j + 1):
                j += 1
    return j


def _body_name_end(s: _Sentence, k: int) -> int:
    """End of a body's name at ``k``: a department's standard name ("Giao thông vận tải") or a
    capitalised run with its lowercase syllables."""
    d = s.match(k, DEPARTMENTS)
    if d > 0 and s.cap(d) and not _starts_unit(s, d) and not _person_start(s, d):
        d = _name_end(s, d)  # the place it serves, named after it ("Ban Quản lý rừng phòng hộ Đăk Ang")
    headline = k > 0 and s.words[k - 1].isupper()  # "CÔNG TY ... ĐÓN NHẬN": every word capitalised
    return max(d, _name_end(s, k, lower_ok=True, limit=4 if headline else 8))  # companies' names are long


def _gazetteer(s: _Sentence, k: int) -> int:
    """End of a gazetteer place name at ``k``, or -1: a province in any case, a district or
    commune only when each of its words is capitalised."""
    e = s.match(k, PLACES)
    if e > 0:
        return e
    e = s.match(k, REGION_TABLE)
    if e > 0 and tuple(s.words[k:e]) == REGIONS[tuple(s.low[k:e])]:
        return e  # a region, in its own casing ("miền Bắc", "Tây Nguyên")
    e = s.match(k, LOCAL_PLACES)
    return e if e > 0 and all(s.cap(j) for j in range(k, e)) else -1


def _road_end(s: _Sentence, k: int) -> int:
    """End of a numbered road at ``k`` ("Quốc lộ 6", "Vành đai 4", "Đường 359"), or -1."""
    e = s.match(k, ROADS) if s.cap(k) else -1
    return e + 1 if 0 < e < s.n and s.words[e][0].isdigit() else -1


def _place_end(s: _Sentence, k: int) -> int:
    """End of a place name at ``k`` (``k`` itself when a person's name stands there): a numbered
    road, else the longer of a gazetteer name and the capitalised run (the commune "Đông" is only
    the start of "xã Đông Phương")."""
    if (r := _road_end(s, k)) > 0:
        return r
    e = _gazetteer(s, k)
    if _name_end(s, k, split_person=False) - k >= 3 and (
        _surname(s.words[k]) or _before_middle_name(s, k) and e < k + 2  # not "huyện Đồng Văn"
    ):
        # a person's name: no more than the gazetteer's part before it ("huyện Lâm Hà Nguyễn Văn A");
        # none when a one-word commune is only its start ("huyện Phan Văn Hiếu": the commune "Phan")
        if e == k + 1 and not (_person_start(s, e) or _before_middle_name(s, e)):
            return k
        return max(e, k)
    run = _name_end(s, k)
    if e > 0 and any(s.words[j].isupper() and len(s.words[j]) > 1 for j in range(e, run)):
        return e  # a headline in capitals: the run goes on into the next words
    return max(e, run)


def _admin_end(s: _Sentence, j: int) -> int:
    """End of a unit word at ``j`` (``s.match(j, ADMIN)``), past a dot glued to a name ("TP.HCM")."""
    e = s.match(j, ADMIN)
    if 0 < e < s.n - 1 and s.words[e] == "." and s.spans[e - 1][1] == s.spans[e][0] == s.spans[e + 1][0] - 1 and s.cap(e + 1):
        return e + 1
    return e


def _numbered(s: _Sentence, e: int) -> int:
    """Past a hamlet's number after its name ("thôn Nậm Mòn 1"), unless a quantity starts there."""
    if e < s.n and s.words[e].isdigit() and len(s.words[e]) <= 2 and not _QUANTITY.match(s.text, s.spans[e][0]):
        return e + 1
    return e


def _joined(s: _Sentence, e: int) -> int:
    """Past a second name joined by a dash ("cao tốc Hạ Long - Hải Phòng")."""
    if e + 1 < s.n and s.low[e] in ("-", "–") and s.cap(e + 1) and not _starts_unit(s, e + 1):
        return _place_end(s, e + 1)
    return e


_ROMAN = re.compile(r"[IVX]+")


def _named_facility(s: _Sentence, k: int) -> int:
    """End of a place named with its capitalised facility word at ``k`` ("Khu công nghiệp Quang
    Châu", "Khu di tích quốc gia đặc biệt Pác Bó", "KCN Vân Trung"), or -1."""
    h = s.match(k, NAMED_FACILITY) if s.cap(k) else -1
    if h < 0:
        return -1
    j = h
    while j < min(s.n, h + 6) and s.words[j].isalpha() and s.words[j].islower() and s.low[j] not in _NOT_IN_NAME:
        j += 1
    if not s.cap(j) or _starts_unit(s, j) or s.match(j, NAMED_FACILITY) > 0:
        return -1
    return _joined(s, _name_end(s, j))


def _locality_end(s: _Sentence, j: int, bare_name: bool) -> int:
    """Skip unit words with optional names after an organ ("huyện Kiến Thụy", "xã X huyện Y")."""
    if bare_name and s.cap(j) and not _starts_unit(s, j) and (not _surname(s.words[j]) or _gazetteer(s, j) > 0):
        j = _place_end(s, j)
    while (e := _admin_end(s, j)) > 0:
        if e < s.n and s.words[e].isdigit():
            j = e + 1  # "Phường 13"
        else:
            j = _place_end(s, e) if s.cap(e) and not _starts_unit(s, e) else e
    return j


def _numbered_unit(s: _Sentence, k: int) -> int:
    """End of a military unit named by its number at ``k`` ("Sư đoàn 5", "Trung đoàn bộ binh 270",
    "Hải đội Biên phòng 2"), or -1."""
    e = s.match(k, NUMBERED_UNITS)
    for j in range(e, min(s.n, e + 3)) if e > 0 else ():
        if s.words[j].isdigit():
            return j + 1
        if not s.words[j].isalpha():
            break
    return -1


def _organ_end(s: _Sentence, k: int) -> tuple[int, bool]:
    """End of an organ chain (sub-bodies, a body, localities) at ``k``; and whether
    it names a body on its own (not only "Thường trực")."""
    j, named = k, False
    while True:
        e = s.match(j, SUBS)
        if e < 0 and (h := s.match(j, HEADS)) > 0 and s.cap(h) and not _before_middle_name(s, j):
            if not _starts_unit(s, h):
                e, named = _body_name_end(s, h), True
            elif 0 < (a := s.match(h, ADMIN)) < s.n and s.words[a].isdigit():
                e, named = a + 1, True  # a body named by a numbered unit: "Bệnh viện Quận 11"
        if e < 0 and s.cap(j) and (u := _numbered_unit(s, j)) > 0:
            e, named = u, True
        if e < 0:
            break
        named = named or s.low[j] != "thường"
        j = e
    e = s.match(j, TOPS)
    if e > 0:
        if j > 0 and s.low[j - 1] == "phòng" and s.low[e - 1] == "hđnd" and e + 2 < s.n and s.low[e] == "và" and s.low[e + 1] == "ubnd":
            e += 2  # the joint office: "Văn phòng HĐND và UBND huyện"
        return _locality_end(s, e, bare_name=True), True
    return (_locality_end(s, j, bare_name=False) if j > k else j), named


# ---------------------------------------------------------------- candidates


def _positions(s: _Sentence, k: int) -> int:
    """End of a POSITION at ``k`` (title, modifier, organ chain), or -1."""
    e = s.match(k, TITLES)
    if e < 0 or k > 0 and s.low[k - 1] in ("tổ", "đoàn") and s.low[k] == "đại":
        return -1  # "Tổ đại biểu huyện X", "Đoàn đại biểu Quốc hội tỉnh": a body, not a seat
    e = max(e, s.match(e, TITLE_MODS))
    if (s.match(e - 1, ADMIN) > 0 or s.match(e - 1, HAMLETS) > 0) and s.cap(e) and not _starts_unit(s, e):
        return _numbered(s, _place_end(s, e))  # a hamlet's head with its hamlet: "Trưởng bản Nà Hẩu"
    if s.low[e - 1] in ("ban", "phòng") and s.cap(e) and not _starts_unit(s, e):
        e = _body_name_end(s, e)
    end, _ = _organ_end(s, e)
    if end == e and (g := s.match(e, GENERIC_BODIES)) > 0:
        # "Hiệu trưởng nhà trường", "Trụ trì chùa Sà Keo" (not a person named after it)
        return g if not s.cap(g) or _starts_unit(s, g) or _person_start(s, g) or _before_middle_name(s, g) else _name_end(s, g)
    return _locality_end(s, e, bare_name=False) if end == e else end


def _orgs(s: _Sentence, k: int) -> int:
    """End of a capitalised ORG at ``k``, or -1."""
    if not s.cap(k) or (s.match(k, HEADS) > 0 and not _starts_unit(s, k)):
        return -1  # "Đoàn Văn Khuê": a person, not a body named "Văn Khuê"
    if s.match(k, HEADS) > 0 and any(s.match(j, HONORIFICS) == k or s.match(j, ADMIN) == k for j in range(max(0, k - 2), k)):
        return -1  # a person or a place: "đồng chí Đoàn Minh Khoa", "TP Hội An"
    end, named = _organ_end(s, k)
    return end if end > k and named else -1


def _locations(s: _Sentence, k: int) -> list[tuple[int, int]]:
    """LOCATION token spans introduced at ``k``: names after unit words (lists too), gazetteer."""
    if (f := _named_facility(s, k)) > 0:
        return [(k, f)]
    if (r := _road_end(s, k)) > 0:
        return [(k, r)]
    g = _gazetteer(s, k)
    e = _admin_end(s, k) if g < 0 or not s.cap(k) else -1
    if e < 0 and s.words[k].islower():
        e = s.match(k, HAMLETS)
    admin = e > 0
    if e < 0 and s.words[k].islower():
        e = s.match(k, FACILITY)
    if e > 0 and k > 0 and s.low[k - 1] in NOT_UNIT_AFTER.get(s.low[e - 1], ()):
        return []
    if e < 0:
        # a capitalised word before the name makes it part of a longer name, except a sentence's
        # first word unless it is a surname ("Quàng Thị Hoa")
        after_name = k > 0 and s.cap(k - 1) and (k > 1 or _surname(s.words[0]))
        alone = g > 0 and not after_name and not s.cap(g)
        return [(k, g)] if alone and tuple(s.low[k:g]) not in EPONYMS else []
    # a list of names: after ":", "(", "như", "gồm", or a unit word counted or in the plural ("các xã",
    # "từng bản", "6 xã gồm ...")
    opener = e < s.n and s.low[e] in (":", "(", "như", "gồm")
    listing = opener or (k > 0 and (s.low[k - 1] in ("các", "những", "từng") or s.words[k - 1].isdigit()))
    j = e + 1 if opener else e
    out = []
    while s.cap(j) and not _starts_unit(s, j):
        if listing and _ROMAN.fullmatch(s.words[j]) and j + 1 < s.n and s.low[j + 1] in (",", "và"):
            j += 2  # "Đồng Văn I, II, III và Hòa Mạc": the numerals go with the first name
            continue
        end = _place_end(s, j)
        if end == j:
            break
        if " ".join(s.low[j:end]) in PEOPLES:
            break
        if admin:
            end = _numbered(s, end)
        elif _road_end(s, j) < 0:  # a dash after a road does not join it to a name ("Vành đai 4 - Vùng ...")
            end = _joined(s, end)
        out.append((j, end))
        if not (listing and end + 1 < s.n and s.low[end] in (",", "và")):
            break
        j = end + 1
    return out


def _persons(s: _Sentence, k: int) -> list[tuple[int, int]]:
    """PERSON token spans at ``k``: a surname-led name of 2-4 syllables, or a name of
    1-4 syllables after "đồng chí"/"ông"/"bà"."""
    if (h := s.match(k, HONORIFICS)) > 0 and s.cap(h) and (
        not _starts_unit(s, h) or _surname(s.words[h]) and s.match(h, HEADS) > 0  # "đồng chí Đoàn Minh Khoa"
    ):
        return [(h, _name_end(s, h, split_person=False))]
    if (h := s.match(k, RANKS)) > 0 and s.cap(h) and not _starts_unit(s, h):
        e = _name_end(s, h, split_person=False)
        return [(h, e)] if e - h <= 4 else []
    marked = s.cap(k) and _before_middle_name(s, k)
    if (_surname(s.words[k]) or marked) and not _starts_unit(s, k):
        e = _name_end(s, k, split_person=False, limit=5)
        return [(k, e)] if 2 <= e - k <= 4 else []
    return []


def _department_list(s: _Sentence, k: int) -> list[tuple[int, int]]:
    """The departments listed after "các sở:", "các phòng:", "các ban:" at ``k`` (each an ORG of its
    standard name: "các sở: Xây dựng, Tài nguyên và Môi trường"), or none."""
    if not (0 < k < s.n - 2 and s.low[k - 1] == "các" and s.low[k] in ("sở", "phòng", "ban") and s.words[k + 1] == ":"):
        return []
    out, j = [], k + 2
    while (e := s.match(j, DEPARTMENTS)) > 0 and s.cap(j):
        out.append((j, e))
        if e + 1 >= s.n or s.low[e] not in (",", "và"):
            break
        j = e + 1
    return out


def _credits(s: _Sentence) -> list[tuple[int, int]]:
    """PERSON token spans of a photo credit ("Ảnh: Minh Tâm - Hồng Nhung") or of a byline line
    made only of names ("Thanh Hương - Trung Kiên", "Minh Đức (Trung tâm ...)"); they win over a
    place of the same name (guidelines (cc))."""
    def names(j: int, end_ok) -> list[tuple[int, int]]:
        out = []
        while j < s.n and s.cap(j) and not _starts_unit(s, j):
            e = _name_end(s, j, split_person=False)
            if not 2 <= e - j <= 4 or any(w.isupper() and len(w) > 1 for w in s.words[j:e]):
                return []
            out.append((j, e))
            if e < s.n and s.low[e] in ("-", "–", ","):
                j = e + 1
                continue
            return out if end_ok(e) else []
        return []

    if s.n > 2 and s.low[0] == "ảnh" and s.low[1] == ":":
        return names(2, lambda e: True)
    if s.n <= 12:
        return names(0, lambda e: e == s.n or s.words[e] in ("(", "."))
    return []


def _metrics(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """METRIC character spans in ``text[start:end]``: quantities with a unit or a
    counted noun (not years, not after "năm"/"thứ"/"số"...), and fractions of
    achieved targets ("18/18 chỉ tiêu"; "15/25" before a capitalised entity)."""
    out = []
    for m in _QUANTITY.finditer(text, start, end):
        before = text[max(start, m.start() - 12) : m.start()].lower().split()
        if _YEAR.fullmatch(m["num"]) or (before and before[-1] in _NOT_QUANTITY_AFTER):
            continue
        out.append((m.start(), m.end()))
    for m in _FRACTION.finditer(text, start, end):
        a, b, after = int(m["a"]), int(m["b"]), text[m.end() : end]
        not_date = (b > 12 or a > 31) and re.match(r"\s+[^\W\d_]", after) and after.lstrip()[0].isupper()
        if a <= b and (m["noun"] or not_date):
            out.append((m.start(), m.end()))
    return out


# ---------------------------------------------------------------- assembling

Span3 = tuple[int, int, str]
_BARE_TITLES = {" ".join(p) for phrases in TITLES.values() for p in phrases}
_DIRECT_GAP = re.compile(r"\s*(?:[,:]?\s*(?:đồng chí|ông|bà)\s+)?", re.IGNORECASE)
_APPOSITION_GAP = re.compile(r"[\s,(\-–—]*(?:(?:hiện là|nguyên|là|kiêm|đồng thời là|và)[\s,(\-–—]+)*")
# a verb of holding between a person and an office later in the same clause: "X được bầu giữ chức Y",
# "X tái đắc cử Y", "X từng giữ các chức vụ Y, Z", "do anh X làm Y"
_HOLDS_GAP = re.compile(
    r"[^;.]{0,120}?(?<!\w)(?:giữ(?:\s+các)?\s+(?:chức(?:\s+vụ|\s+danh)?|cương\s+vị)|(?:tái\s+)?đắc\s+cử(?:\s+chức(?:\s+vụ)?)?"
    r"|được\s+bầu(?:\s+làm)?|làm|cương\s+vị(?:\s+như)?)(?:\s+(?:nguyên|là))?\s*:?\s*",
    re.IGNORECASE,
)
# the holder named after the office: "miễn nhiệm chức danh Y đối với ông X"
_HOLDER_AFTER = re.compile(r"[^;.]{0,40}?(?<!\w)đối\s+với\s+(?:(?:ông|bà|đồng\s+chí)\s+)?", re.IGNORECASE)


def _resolve(cands: list[Span3]) -> list[Span3]:
    """Non-overlapping spans: label priority first, then the longer, then the earlier; sorted."""
    kept: list[Span3] = []
    for s, e, lab in sorted(set(cands), key=lambda c: (PRIORITY[c[2]], c[0] - c[1], c[0])):
        if all(e <= a or s >= b for a, b, _ in kept):
            kept.append((s, e, lab))
    return sorted(kept)


def _elliptic(text: str, spans: list[Span3]) -> set[int]:
    """Indices of bare titles sharing the organ of the next title ("Bí thư, Phó Bí thư Đảng ủy")."""
    return {
        i
        for i, ((s, e, lab), (a, b, nxt)) in enumerate(pairwise(spans))
        if lab == nxt == POSITION
        and text[s:e].lower() in ELLIPTIC
        and text[a:b].lower() not in _BARE_TITLES
        and re.fullmatch(r"\s*(?:,|và)\s*", text[e:a])
    }


# every candidate starts at a capitalised word or at the first word of one of these tables' phrases
_STARTERS = frozenset().union(TITLES, PLACES, REGION_TABLE, ADMIN, HAMLETS, FACILITY, HONORIFICS, RANKS)


def _candidates(text: str, start: int, end: int) -> list[Span3]:
    """Every candidate span of one sentence, overlapping freely."""
    s = _Sentence(text, start, end)

    def chars(k: int, e: int, lab: str) -> Span3:
        return s.spans[k][0], s.spans[e - 1][1], lab

    cands = [(a, b, METRIC) for a, b in _metrics(text, start, end)]
    for k in range(s.n):
        if s.low[k] not in _STARTERS and not s.cap(k):
            continue  # no candidate starts at a lowercase word that starts no phrase of the tables
        cands += [chars(k, e, lab) for e, lab in ((_positions(s, k), POSITION), (_orgs(s, k), ORG)) if e > k]
        cands += [chars(a, b, LOCATION) for a, b in _locations(s, k)]
        cands += [chars(a, b, PERSON) for a, b in _persons(s, k) if b > a]
    cands += [chars(a, b, ORG) for k in range(1, s.n - 2) if s.words[k + 1] == ":" for a, b in _department_list(s, k)]
    credits = [chars(a, b, PERSON) for a, b in _credits(s)]
    if credits:
        cands = credits + [c for c in cands if all(c[1] <= a or c[0] >= b for a, b, _ in credits)]
    return cands


def _sentence(text: str, start: int, end: int) -> tuple[list[Span3], list[tuple[int, int]]]:
    """Resolved spans of one sentence and its (person, position) index pairs."""
    spans = _resolve(_candidates(text, start, end))
    pairs, drop = _link(text, spans), _elliptic(text, spans)
    index = {old: new for new, old in enumerate(i for i in range(len(spans)) if i not in drop)}
    kept = [sp for i, sp in enumerate(spans) if i not in drop]
    return kept, [(index[p], index[q]) for p, q in pairs if q not in drop]


def _link(text: str, spans: list[Span3]) -> list[tuple[int, int]]:
    """HAS_POSITION (person, position) index pairs among one sentence's sorted spans:
    a title directly before the name (and titles chained before it by commas),
    then titles in apposition after a name up to a ";" or another entity."""
    owner: dict[int, int] = {}

    def gap(i: int, j: int) -> str:
        return text[spans[i][1] : spans[j][0]]

    def is_(i: int, lab: str) -> bool:
        return 0 <= i < len(spans) and spans[i][2] == lab

    direct = [p for p in range(len(spans)) if is_(p, PERSON) and is_(p - 1, POSITION) and _DIRECT_GAP.fullmatch(gap(p - 1, p))]
    owner.update({p - 1: p for p in direct})
    for p in range(len(spans)):
        q = p + 1
        while is_(p, PERSON) and is_(q, POSITION) and q not in owner and _APPOSITION_GAP.fullmatch(gap(q - 1, q)):
            owner[q] = p
            q += 1
    for p in direct:
        r = p - 2
        while is_(r, POSITION) and r not in owner and _APPOSITION_GAP.fullmatch(gap(r, r + 1)):
            owner[r] = p
            r -= 1
    for p in (i for i in range(len(spans)) if is_(i, PERSON)):
        q = p + 1
        while q < len(spans) and not is_(q, PERSON):
            if is_(q, POSITION) and q not in owner and _HOLDS_GAP.fullmatch(gap(p, q)):
                while is_(q, POSITION) and (q not in owner) and (q == p + 1 or _HOLDS_GAP.fullmatch(gap(p, q))
                                                                  or _APPOSITION_GAP.fullmatch(gap(q - 1, q))):
                    owner[q] = p
                    q += 1
                break
            q += 1
    for q in (i for i in range(len(spans) - 1) if is_(i, POSITION) and i not in owner):
        if is_(q + 1, PERSON) and _HOLDER_AFTER.fullmatch(gap(q, q + 1)):
            owner[q] = q + 1
    return sorted((p, q) for q, p in owner.items())


def rules_version() -> str:
    """SHA-256 (first 16 hex digits) of the rule component: this file, its phrase tables and the
    lexicon files. Saved with every trained model, so a model knows when its rules have changed."""
    import hashlib
    from pathlib import Path

    here = Path(__file__).parent
    h = hashlib.sha256()
    for path in [here / "rules.py", here / "rules_lexicon.py", *sorted((here / "lexicon").glob("*.txt"))]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


class RuleBaseline:
    """Rule and gazetteer extractor; every span and relation gets score 1.0."""

    def __init__(self, skip_boilerplate: bool = True) -> None:
        self.skip_boilerplate = skip_boilerplate

    def predict(self, text: str) -> Document:
        """Entities (non-overlapping, sorted by start) and relations of one text."""
        norm, starts, ends = normalise(text)
        spans: list[Span3] = []
        pairs: list[tuple[int, int]] = []
        for sent in split_sentences(norm, skip_boilerplate=self.skip_boilerplate):
            found, links = _sentence(norm, sent.start, sent.end)
            pairs += [(len(spans) + p, len(spans) + q) for p, q in links]
            spans += found
        entities = [Entity(starts[a], ends[b - 1], lab, text[starts[a] : ends[b - 1]], 1.0) for a, b, lab in spans]
        return Document(text, entities, [Relation(p, q, REL_LABEL, 1.0) for p, q in pairs])

    def link(self, doc: Document) -> list[Relation]:
        """HAS_POSITION relations the apposition rules draw between ``doc``'s own entities
        (e.g. gold ones: relation scores given gold entities); indices refer to ``doc.entities``."""
        norm, starts, ends = normalise(doc.text)
        first = {a: k for k, a in reversed(list(enumerate(starts)))}
        last = {b: k + 1 for k, b in enumerate(ends)}
        order = sorted((i for i, e in enumerate(doc.entities) if e.start in first and e.end in last),
                       key=lambda i: (doc.entities[i].start, doc.entities[i].end))
        spans = [(first[doc.entities[i].start], last[doc.entities[i].end], doc.entities[i].label) for i in order]
        return [Relation(order[p], order[q], REL_LABEL, 1.0) for p, q in _link(norm, spans)]

    def predict_batch(self, texts: list[str]) -> list[Document]:
        """``predict`` over a list of texts."""
        return [self.predict(t) for t in texts]
