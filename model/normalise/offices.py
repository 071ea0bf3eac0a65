"""Offices: a POSITION as title + organ + level + locality, with a canonical key.

"Phó Bí thư Thường trực Huyện ủy Thường Tín" -> title "Phó Bí thư Thường trực", organ "Huyện ủy",
level "district", locality "Thường Tín". Abbreviations are read in one canonical spelling first
(HĐND, UBND and MTTQ kept short; BCH, BTV, BCHQS, TW and TP written out), so "Chủ tịch Ủy ban
nhân dân huyện" and "Chủ tịch UBND huyện" give one key; the key is ``fold``-ed, so tone placement,
Unicode form and case do not matter either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from canbo.model.normalise.keys import fold
from canbo.model.normalise.places import Place, resolve, strip_type, units_named

# written form (matched on folded words) -> canonical spelling
_ABBREVIATIONS = [
    ("ủy ban nhân dân", "UBND"),
    ("uỷ ban nhân dân", "UBND"),
    ("ubnd", "UBND"),
    ("hội đồng nhân dân", "HĐND"),
    ("hđnd", "HĐND"),
    ("ủy ban mặt trận tổ quốc việt nam", "Ủy ban MTTQ"),
    ("uỷ ban mặt trận tổ quốc việt nam", "Ủy ban MTTQ"),
    ("ủy ban mttq việt nam", "Ủy ban MTTQ"),
    ("uỷ ban mttq việt nam", "Ủy ban MTTQ"),
    ("ubmttq việt nam", "Ủy ban MTTQ"),
    ("ubmttq", "Ủy ban MTTQ"),
    ("mặt trận tổ quốc việt nam", "MTTQ"),
    ("mặt trận tổ quốc", "MTTQ"),
    ("mttq việt nam", "MTTQ"),
    ("mttqvn", "MTTQ"),
    ("mttq", "MTTQ"),
    ("bch quân sự", "Ban Chỉ huy Quân sự"),
    ("bchqs", "Ban Chỉ huy Quân sự"),
    ("bộ chqs", "Bộ Chỉ huy Quân sự"),
    ("bch", "Ban Chấp hành"),
    ("btv", "Ban Thường vụ"),
    ("tw", "Trung ương"),
    ("tp", "thành phố"),
    ("tp.", "thành phố"),
    ("tx", "thị xã"),
    ("tx.", "thị xã"),
]
_ABBR = sorted(((k.split(), v) for k, v in _ABBREVIATIONS), key=lambda kv: -len(kv[0]))

# title heads, longest first; "Thành ủy viên" and the like are "Ủy viên" of that committee
_TITLES = [
    "Phó Bí thư Thường trực",
    "Phó Bí thư",
    "Tổng Bí thư",
    "Bí thư",
    "Phó Chủ tịch Thường trực",
    "Phó Chủ tịch",
    "Quyền Chủ tịch",
    "Chủ tịch",
    "Ủy viên Thường trực",
    "Ủy viên",
    "Phó Chủ nhiệm",
    "Chủ nhiệm",
    "Phó Chánh Văn phòng",
    "Chánh Văn phòng",
    "Chánh Thanh tra",
    "Phó Chánh án",
    "Chánh án",
    "Phó Viện trưởng",
    "Viện trưởng",
    "Phó Giám đốc",
    "Giám đốc",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Phó Chỉ huy trưởng",
    "Chỉ huy trưởng",
    "Chính trị viên",
    "Phó Thủ tướng",
    "Thủ tướng",
    "Thứ trưởng",
    "Bộ trưởng",
    "Đại biểu",
    "Phó Trưởng",
    "Trưởng",
    "Phó Hiệu trưởng",
    "Hiệu trưởng",
    "Thường trực",
]
_TITLE_WORDS = sorted(((fold(t).split(), t) for t in _TITLES), key=lambda kv: -len(kv[0]))
_MEMBER = re.compile(r"^(tỉnh|huyện|thành|quận|thị|đảng) uỷ viên$")

_COMMITTEE_LEVEL = {
    "tỉnh uỷ": "province",
    "huyện uỷ": "district",
    "quận uỷ": "district",
    "thị uỷ": "district",
    "thành uỷ": None,
    "đảng uỷ": None,
}
_LEVEL_WORDS = {
    "tỉnh": "province",
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "thành phố": None,
    "xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
}
_CENTRAL = (
    "quốc hội",
    "chính phủ",
    "trung ương",
    "bộ chính trị",
    "ban bí thư",
    "nhà nước",
    "bộ ",
    "thủ tướng",
)
_ORGAN_LEVEL = (("sở ", "province"), ("phòng ", "district"), ("bộ chỉ huy quân sự", "province"))


@dataclass
class Office:
    """A decomposed POSITION; ``locality`` as written (or inferred), ``unit`` its resolved unit path."""

    text: str
    title: str | None
    organ: str | None
    level: str | None
    locality: str | None
    unit: str | None = None
    ambiguous: bool = False
    inferred: bool = False
    key: str = ""
    city: bool = False  # a "Thành ủy" or "thành phố" office: its unit is a city, of either level

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("text", "city")}


def canonical_spelling(text: str) -> str:
    """``text`` with HĐND/UBND/MTTQ abbreviated, BCH/BTV/BCHQS/TW/TP/TX written out, NFC, "Ð" as "Đ",
    single spaces; other words as written."""
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ")
    text = re.sub(r"\b(TP|TX|Tp|tp)\.(?=\S)", r"\1. ", text)
    words = text.split()
    keys = [fold(w) for w in words]
    out, k = [], 0
    while k < len(words):
        for pattern, canon in _ABBR:
            if keys[k : k + len(pattern)] == pattern:
                out.append(canon)
                k += len(pattern)
                break
        else:
            out.append(words[k])
            k += 1
    return " ".join(out)


def decompose(position: str) -> Office:
    """Split a POSITION as written into title, organ, level and locality (no inference, see ``infer``)."""
    words = canonical_spelling(position).split()
    keys = [fold(w) for w in words]
    title, k = None, 0
    if len(keys) >= 3 and _MEMBER.match(" ".join(keys[:3])):  # "Thành ủy viên" is Ủy viên of the Thành ủy
        title, words = "Ủy viên", words[:2] + words[3:]
    else:
        for pattern, canon in _TITLE_WORDS:
            if keys[: len(pattern)] == pattern:
                title, k = canon, len(pattern)
                break
    rest = words[k:]
    organ_words = _organ_part(rest)
    tail = rest[len(organ_words) :]
    level_word, locality = _locality(tail)
    if locality is None and not level_word:
        organ_words, locality = _trailing_place(organ_words)
    organ = " ".join(organ_words) or None
    if organ and title and title.endswith("Trưởng phòng"):
        organ = f"Phòng {organ}"  # "Trưởng phòng Nội vụ": the head of the Phòng Nội vụ
    level = _level(organ, level_word)
    office = Office(position, title, organ, level, locality)
    office.city = level is None and (level_word == "thành phố" or fold(organ or "").endswith("thành uỷ"))
    if locality:
        _resolve_into(office, resolve(locality, level=level))
    office.key = office_key(office)
    return office


def _organ_part(words: list[str]) -> list[str]:
    """The organ's words: everything up to the first level word ("huyện", "xã", "thành phố"...)."""
    for k in range(len(words)):
        if _level_word_at(words, k):
            return words[:k]
    return words


def _level_word_at(words: list[str], k: int) -> str | None:
    """The level word starting at ``words[k]`` ("huyện", "thị xã"...), not part of a committee name
    ("Huyện ủy", "Huyện đoàn") and not capitalised inside a name ("Hội Nông dân Xã ..." aside)."""
    for n in (2, 1):
        phrase = fold(" ".join(words[k : k + n]))
        if len(words[k : k + n]) == n and phrase in _LEVEL_WORDS:
            nxt = fold(words[k + n]) if k + n < len(words) else ""
            if nxt in ("uỷ", "đoàn", "viên"):
                return None
            return phrase
    return None


def _locality(tail: list[str]) -> tuple[str | None, str | None]:
    """(level word, locality) of what follows the organ: "huyện Kim Sơn" -> ("huyện", "Kim Sơn")."""
    if not tail:
        return None, None
    lw = _level_word_at(tail, 0)
    if lw is None:
        return None, None
    rest = tail[len(lw.split()) :]
    return lw, (" ".join(rest) or None)


def _trailing_place(organ_words: list[str]) -> tuple[list[str], str | None]:
    """A locality written right after a committee without a level word: "Huyện ủy Thủy Nguyên".
    Only capitalised trailing words that name a unit in the gazetteer count."""
    for n in range(min(4, len(organ_words) - 1), 0, -1):
        tail = organ_words[-n:]
        if all(w[:1].isupper() for w in tail) and units_named(" ".join(tail)):
            head = organ_words[:-n]
            if head and fold(head[-1]) in ("uỷ", "hđnd", "ubnd", "mttq", "đoàn"):
                return head, " ".join(tail)
    return organ_words, None


def _level(organ: str | None, level_word: str | None) -> str | None:
    if level_word:
        return _LEVEL_WORDS[level_word]
    if not organ:
        return None
    key = fold(organ)
    for committee, level in _COMMITTEE_LEVEL.items():
        if key.endswith(committee) or key == committee:
            return level
    if any(key.startswith(c) or key == c.strip() for c in _CENTRAL):
        return "central"
    for prefix, level in _ORGAN_LEVEL:
        if key.startswith(prefix):
            return level
    return None


def _resolve_into(office: Office, place: Place) -> None:
    if place.unit is not None:
        office.unit = place.unit.path
        office.level = office.level or place.unit.level
    office.ambiguous = place.ambiguous


def office_key(office: Office) -> str:
    """ "title|organ|level|locality", folded; the locality part is the resolved unit's path when known."""
    locality = office.unit or (strip_type(office.locality)[1] if office.locality else "")
    return "|".join(fold(x or "") for x in (office.title, office.organ, office.level, locality))


def infer(office: Office, candidates: list[Place], subject: list[Place] = ()) -> Office:
    """Give an office without locality the first unit of its level among ``candidates`` (places named
    in its sentence), then among ``subject`` (the page's subject units), marked ``inferred``. An office
    of no known level ("Đảng ủy", "Ban Chấp hành") takes only a place from its sentence, and a
    "Thành ủy" prefers a province-level city; an office that has a locality comes back unchanged."""
    if office.locality or not office.organ:
        return office
    city = office.city
    pool = list(candidates) + (list(subject) if office.level or city else [])
    if city:
        pool.sort(key=lambda p: p.unit is None or p.unit.level != "province")
    for place in pool:
        unit = place.unit
        if unit is None or (office.level and unit.level != office.level):
            continue
        if city and not fold(unit.name).startswith("thành phố"):
            continue
        office.locality, office.unit, office.inferred = unit.short, unit.path, True
        office.level = office.level or unit.level
        office.key = office_key(office)
        return office
    return office
