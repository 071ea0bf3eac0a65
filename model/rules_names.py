"""The rules' building blocks: the tokens of one sentence of the normalised text, and where a
name, a place, a body's name or an organ chain that starts at a token ends (``model.rules``)."""

from __future__ import annotations

import re

from canbo.model.rules_lexicon import (
    ADMIN,
    DEPARTMENTS,
    HEADS,
    LOCAL_PLACES,
    MIDDLE_MARKS,
    NAME_PREFIXES,
    NAMED_FACILITY,
    NUMBERED_UNITS,
    PLACES,
    REGION_TABLE,
    REGIONS,
    ROADS,
    SUBS,
    SURNAMES,
    TITLES,
    TOPS,
)
from canbo.model.rules_lexicon import QUANTITY as _QUANTITY
from canbo.model.rules_lexicon import TOKEN as _TOKEN


class Sentence:
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


NOT_IN_NAME = {"và", "của", "tại", "ở", "thuộc", "trên", "với", "cho", "là", "có", "được", "đã", "đang", "sẽ"}


def before_middle_name(s: Sentence, k: int) -> bool:
    """Is ``k`` followed by "Văn"/"Thị" and a capitalised word ("X Văn Y": a person's name)?"""
    return k + 2 < s.n and s.low[k + 1] in MIDDLE_MARKS and s.cap(k + 1) and s.cap(k + 2)


def starts_unit(s: Sentence, k: int) -> bool:
    """Does a title, organ or unit word (not just a name syllable) start at ``k``? Not before
    "Văn"/"Thị" and a name: "Đoàn Văn Khuê" is a person."""
    if before_middle_name(s, k):
        return False
    for table in (TITLES, SUBS, TOPS, HEADS, ADMIN):
        e = s.match(k, table)
        if e > 0 and (e - k > 1 or s.words[k].isupper() or s.cap(e) or table is ADMIN and e < s.n and s.words[e].isdigit()):
            return True
    return False


def surname(word: str) -> bool:
    """A surname, or a name prefix of the Central Highlands' peoples that leads a name like one
    ("Y Khuê Mlô", "H'Yim Êban", "K'Bình"; guidelines (y))."""
    return word in SURNAMES or word in NAME_PREFIXES or word[:2] in ("H'", "K'") and len(word) > 2


def person_start(s: Sentence, k: int) -> bool:
    """A surname followed by another capitalised name syllable."""
    return surname(s.words[k]) and s.cap(k + 1) and not starts_unit(s, k + 1)


def name_end(s: Sentence, k: int, lower_ok: bool = False, split_person: bool = True, limit: int = 4) -> int:
    """End of a capitalised name at ``k``; with ``lower_ok`` each capitalised
    syllable may carry one lowercase one and parts may be joined by "-"/"và"
    ("Tài chính - Kế hoạch").  Stops before a unit word and, with
    ``split_person``, before a person's name."""
    j, parts = k, 0
    while s.cap(j) and parts < limit:
        if j > k and (starts_unit(s, j) or (split_person and person_start(s, j))):
            break
        j, parts = j + 1, parts + 1
        # a capitalised syllable opening a word carries its lowercase one ("Tài chính", "Chế biến
        # Nông sản", "TNHH Lâm sản"); the last syllable of a proper name does not carry the verb after it ("Công ty
        # May Hùng Lâm đã ...")
        opens = j - 1 == k or not s.cap(j - 2) or s.words[j - 2].isupper()  # after "TNHH", "THCS" too
        if lower_ok and opens and j < s.n and s.words[j].isalpha() and s.words[j].islower() and s.low[j] not in NOT_IN_NAME:
            j += 1
        if lower_ok and j + 1 < s.n and s.low[j] in ("-", "–", "và") and s.cap(j + 1):
            if not starts_unit(s, j + 1):
                j += 1
    return j


def body_name_end(s: Sentence, k: int) -> int:
    """End of a body's name at ``k``: a department's standard name ("Giao thông vận tải") or a
    capitalised run with its lowercase syllables."""
    d = s.match(k, DEPARTMENTS)
    if d > 0 and s.cap(d) and not starts_unit(s, d) and not person_start(s, d):
        d = name_end(s, d)  # the place it serves, named after it ("Ban Quản lý rừng phòng hộ Đăk Ang")
    headline = k > 0 and s.words[k - 1].isupper()  # "CÔNG TY ... ĐÓN NHẬN": every word capitalised
    return max(d, name_end(s, k, lower_ok=True, limit=4 if headline else 8))  # companies' names are long


def gazetteer(s: Sentence, k: int) -> int:
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


def road_end(s: Sentence, k: int) -> int:
    """End of a numbered road at ``k`` ("Quốc lộ 6", "Vành đai 4", "Đường 359"), or -1."""
    e = s.match(k, ROADS) if s.cap(k) else -1
    return e + 1 if 0 < e < s.n and s.words[e][0].isdigit() else -1


def place_end(s: Sentence, k: int) -> int:
    """End of a place name at ``k`` (``k`` itself when a person's name stands there): a numbered
    road, else the longer of a gazetteer name and the capitalised run (the commune "Đông" is only
    the start of "xã Đông Phương")."""
    if (r := road_end(s, k)) > 0:
        return r
    e = gazetteer(s, k)
    if name_end(s, k, split_person=False) - k >= 3 and (
        surname(s.words[k]) or before_middle_name(s, k) and e < k + 2  # not "huyện Đồng Văn"
    ):
        # a person's name: no more than the gazetteer's part before it ("huyện Lâm Hà Nguyễn Văn A");
        # none when a one-word commune is only its start ("huyện Phan Văn Hiếu": the commune "Phan")
        if e == k + 1 and not (person_start(s, e) or before_middle_name(s, e)):
            return k
        return max(e, k)
    run = name_end(s, k)
    if e > 0 and any(s.words[j].isupper() and len(s.words[j]) > 1 for j in range(e, run)):
        return e  # a headline in capitals: the run goes on into the next words
    return max(e, run)


def admin_end(s: Sentence, j: int) -> int:
    """End of a unit word at ``j`` (``s.match(j, ADMIN)``), past a dot glued to a name ("TP.HCM")."""
    e = s.match(j, ADMIN)
    if 0 < e < s.n - 1 and s.words[e] == "." and s.spans[e - 1][1] == s.spans[e][0] == s.spans[e + 1][0] - 1 and s.cap(e + 1):
        return e + 1
    return e


def numbered(s: Sentence, e: int) -> int:
    """Past a hamlet's number after its name ("thôn Nậm Mòn 1"), unless a quantity starts there."""
    if e < s.n and s.words[e].isdigit() and len(s.words[e]) <= 2 and not _QUANTITY.match(s.text, s.spans[e][0]):
        return e + 1
    return e


def joined(s: Sentence, e: int) -> int:
    """Past a second name joined by a dash ("cao tốc Hạ Long - Hải Phòng")."""
    if e + 1 < s.n and s.low[e] in ("-", "–") and s.cap(e + 1) and not starts_unit(s, e + 1):
        return place_end(s, e + 1)
    return e


ROMAN = re.compile(r"[IVX]+")


def named_facility(s: Sentence, k: int) -> int:
    """End of a place named with its capitalised facility word at ``k`` ("Khu công nghiệp Quang
    Châu", "Khu di tích quốc gia đặc biệt Pác Bó", "KCN Vân Trung"), or -1."""
    h = s.match(k, NAMED_FACILITY) if s.cap(k) else -1
    if h < 0:
        return -1
    j = h
    while j < min(s.n, h + 6) and s.words[j].isalpha() and s.words[j].islower() and s.low[j] not in NOT_IN_NAME:
        j += 1
    if not s.cap(j) or starts_unit(s, j) or s.match(j, NAMED_FACILITY) > 0:
        return -1
    return joined(s, name_end(s, j))


def locality_end(s: Sentence, j: int, bare_name: bool) -> int:
    """Skip unit words with optional names after an organ ("huyện Kiến Thụy", "xã X huyện Y")."""
    if bare_name and s.cap(j) and not starts_unit(s, j) and (not surname(s.words[j]) or gazetteer(s, j) > 0):
        j = place_end(s, j)
    while (e := admin_end(s, j)) > 0:
        if e < s.n and s.words[e].isdigit():
            j = e + 1  # "Phường 13"
        else:
            j = place_end(s, e) if s.cap(e) and not starts_unit(s, e) else e
    return j


def numbered_unit(s: Sentence, k: int) -> int:
    """End of a military unit named by its number at ``k`` ("Sư đoàn 5", "Trung đoàn bộ binh 270",
    "Hải đội Biên phòng 2"), or -1."""
    e = s.match(k, NUMBERED_UNITS)
    for j in range(e, min(s.n, e + 3)) if e > 0 else ():
        if s.words[j].isdigit():
            return j + 1
        if not s.words[j].isalpha():
            break
    return -1


def organ_end(s: Sentence, k: int) -> tuple[int, bool]:
    """End of an organ chain (sub-bodies, a body, localities) at ``k``; and whether
    it names a body on its own (not only "Thường trực")."""
    j, named = k, False
    while True:
        e = s.match(j, SUBS)
        if e < 0 and (h := s.match(j, HEADS)) > 0 and s.cap(h) and not before_middle_name(s, j):
            if not starts_unit(s, h):
                e, named = body_name_end(s, h), True
            elif 0 < (a := s.match(h, ADMIN)) < s.n and s.words[a].isdigit():
                e, named = a + 1, True  # a body named by a numbered unit: "Bệnh viện Quận 11"
        if e < 0 and s.cap(j) and (u := numbered_unit(s, j)) > 0:
            e, named = u, True
        if e < 0:
            break
        named = named or s.low[j] != "thường"
        j = e
    e = s.match(j, TOPS)
    if e > 0:
        if j > 0 and s.low[j - 1] == "phòng" and s.low[e - 1] == "hđnd" and e + 2 < s.n and s.low[e] == "và" and s.low[e + 1] == "ubnd":
            e += 2  # the joint office: "Văn phòng HĐND và UBND huyện"
        return locality_end(s, e, bare_name=True), True
    return (locality_end(s, j, bare_name=False) if j > k else j), named


