"""Candidate spans of each label that start at a token of one sentence (titles and organs,
bodies, places, persons, photo credits, department lists, figures); ``model.rules`` resolves
their overlaps and links them."""

from __future__ import annotations

import re

from canbo.model.labels import ENTITY_LABELS, RELATION_SIGNATURES
from canbo.model.rules_lexicon import (
    ADMIN,
    DEPARTMENTS,
    EPONYMS,
    FACILITY,
    GENERIC_BODIES,
    HAMLETS,
    HEADS,
    HONORIFICS,
    NOT_UNIT_AFTER,
    PEOPLES,
    PLACES,
    RANKS,
    REGION_TABLE,
    TITLE_MODS,
    TITLES,
)
from canbo.model.rules_lexicon import FRACTION as _FRACTION
from canbo.model.rules_lexicon import NOT_QUANTITY_AFTER as _NOT_QUANTITY_AFTER
from canbo.model.rules_lexicon import QUANTITY as _QUANTITY
from canbo.model.rules_lexicon import YEAR as _YEAR
from canbo.model.rules_names import (
    ROMAN,
    Sentence,
    admin_end,
    before_middle_name,
    body_name_end,
    gazetteer,
    joined,
    locality_end,
    name_end,
    named_facility,
    numbered,
    organ_end,
    person_start,
    place_end,
    road_end,
    starts_unit,
    surname,
)

REL_LABEL = "HAS_POSITION"  # its (head, tail) labels come from model.labels
PERSON, POSITION = RELATION_SIGNATURES[REL_LABEL]
ORG, LOCATION, METRIC = "ORG", "LOCATION", "METRIC"
if not {PERSON, POSITION, ORG, LOCATION, METRIC} <= set(ENTITY_LABELS):
    raise ImportError("model.labels lacks a label the rule baseline produces")
# Lower number wins an overlap; within a priority the longer span wins.
PRIORITY = {METRIC: 0, POSITION: 1, ORG: 2, LOCATION: 3, PERSON: 4}

Span3 = tuple[int, int, str]


def positions(s: Sentence, k: int) -> int:
    """End of a POSITION at ``k`` (title, modifier, organ chain), or -1."""
    e = s.match(k, TITLES)
    if e < 0 or k > 0 and s.low[k - 1] in ("tổ", "đoàn") and s.low[k] == "đại":
        return -1  # "Tổ đại biểu huyện X", "Đoàn đại biểu Quốc hội tỉnh": a body, not a seat
    e = max(e, s.match(e, TITLE_MODS))
    if (s.match(e - 1, ADMIN) > 0 or s.match(e - 1, HAMLETS) > 0) and s.cap(e) and not starts_unit(s, e):
        return numbered(s, place_end(s, e))  # a hamlet's head with its hamlet: "Trưởng bản Nà Hẩu"
    if s.low[e - 1] in ("ban", "phòng") and s.cap(e) and not starts_unit(s, e):
        e = body_name_end(s, e)
    end, _ = organ_end(s, e)
    if end == e and (g := s.match(e, GENERIC_BODIES)) > 0:
        # "Hiệu trưởng nhà trường", "Trụ trì chùa Sà Keo" (not a person named after it)
        return g if not s.cap(g) or starts_unit(s, g) or person_start(s, g) or before_middle_name(s, g) else name_end(s, g)
    return locality_end(s, e, bare_name=False) if end == e else end


def orgs(s: Sentence, k: int) -> int:
    """End of a capitalised ORG at ``k``, or -1."""
    if not s.cap(k) or (s.match(k, HEADS) > 0 and not starts_unit(s, k)):
        return -1  # "Đoàn Văn Khuê": a person, not a body named "Văn Khuê"
    if s.match(k, HEADS) > 0 and any(s.match(j, HONORIFICS) == k or s.match(j, ADMIN) == k for j in range(max(0, k - 2), k)):
        return -1  # a person or a place: "đồng chí Đoàn Minh Khoa", "TP Hội An"
    end, named = organ_end(s, k)
    return end if end > k and named else -1


def locations(s: Sentence, k: int) -> list[tuple[int, int]]:
    """LOCATION token spans introduced at ``k``: names after unit words (lists too), gazetteer."""
    if (f := named_facility(s, k)) > 0:
        return [(k, f)]
    if (r := road_end(s, k)) > 0:
        return [(k, r)]
    g = gazetteer(s, k)
    e = admin_end(s, k) if g < 0 or not s.cap(k) else -1
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
        after_name = k > 0 and s.cap(k - 1) and (k > 1 or surname(s.words[0]))
        alone = g > 0 and not after_name and not s.cap(g)
        return [(k, g)] if alone and tuple(s.low[k:g]) not in EPONYMS else []
    # a list of names: after ":", "(", "như", "gồm", or a unit word counted or in the plural ("các xã",
    # "từng bản", "6 xã gồm ...")
    opener = e < s.n and s.low[e] in (":", "(", "như", "gồm")
    listing = opener or (k > 0 and (s.low[k - 1] in ("các", "những", "từng") or s.words[k - 1].isdigit()))
    j = e + 1 if opener else e
    out = []
    while s.cap(j) and not starts_unit(s, j):
        if listing and ROMAN.fullmatch(s.words[j]) and j + 1 < s.n and s.low[j + 1] in (",", "và"):
            j += 2  # "Đồng Văn I, II, III và Hòa Mạc": the numerals go with the first name
            continue
        end = place_end(s, j)
        if end == j:
            break
        if " ".join(s.low[j:end]) in PEOPLES:
            break
        if admin:
            end = numbered(s, end)
        elif road_end(s, j) < 0:  # a dash after a road does not join it to a name ("Vành đai 4 - Vùng ...")
            end = joined(s, end)
        out.append((j, end))
        if not (listing and end + 1 < s.n and s.low[end] in (",", "và")):
            break
        j = end + 1
    return out


def persons(s: Sentence, k: int) -> list[tuple[int, int]]:
    """PERSON token spans at ``k``: a surname-led name of 2-4 syllables, or a name of
    1-4 syllables after "đồng chí"/"ông"/"bà"."""
    if (h := s.match(k, HONORIFICS)) > 0 and s.cap(h) and (
        not starts_unit(s, h) or surname(s.words[h]) and s.match(h, HEADS) > 0  # "đồng chí Đoàn Minh Khoa"
    ):
        return [(h, name_end(s, h, split_person=False))]
    if (h := s.match(k, RANKS)) > 0 and s.cap(h) and not starts_unit(s, h):
        e = name_end(s, h, split_person=False)
        return [(h, e)] if e - h <= 4 else []
    marked = s.cap(k) and before_middle_name(s, k)
    if (surname(s.words[k]) or marked) and not starts_unit(s, k):
        e = name_end(s, k, split_person=False, limit=5)
        return [(k, e)] if 2 <= e - k <= 4 else []
    return []


def department_list(s: Sentence, k: int) -> list[tuple[int, int]]:
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


def credits(s: Sentence) -> list[tuple[int, int]]:
    """PERSON token spans of a photo credit ("Ảnh: Minh Tâm - Hồng Nhung") or of a byline line
    made only of names ("Thanh Hương - Trung Kiên", "Minh Đức (Trung tâm ...)"); they win over a
    place of the same name (guidelines (cc))."""
    def names(j: int, end_ok) -> list[tuple[int, int]]:
        out = []
        while j < s.n and s.cap(j) and not starts_unit(s, j):
            e = name_end(s, j, split_person=False)
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


def metrics(text: str, start: int, end: int) -> list[tuple[int, int]]:
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



# every candidate starts at a capitalised word or at the first word of one of these tables' phrases
STARTERS = frozenset().union(TITLES, PLACES, REGION_TABLE, ADMIN, HAMLETS, FACILITY, HONORIFICS, RANKS)


def candidates(text: str, start: int, end: int) -> list[Span3]:
    """Every candidate span of one sentence, overlapping freely."""
    s = Sentence(text, start, end)

    def chars(k: int, e: int, lab: str) -> Span3:
        return s.spans[k][0], s.spans[e - 1][1], lab

    cands = [(a, b, METRIC) for a, b in metrics(text, start, end)]
    for k in range(s.n):
        if s.low[k] not in STARTERS and not s.cap(k):
            continue  # no candidate starts at a lowercase word that starts no phrase of the tables
        cands += [chars(k, e, lab) for e, lab in ((positions(s, k), POSITION), (orgs(s, k), ORG)) if e > k]
        cands += [chars(a, b, LOCATION) for a, b in locations(s, k)]
        cands += [chars(a, b, PERSON) for a, b in persons(s, k) if b > a]
    cands += [chars(a, b, ORG) for k in range(1, s.n - 2) if s.words[k + 1] == ":" for a, b in department_list(s, k)]
    credit_spans = [chars(a, b, PERSON) for a, b in credits(s)]
    if credit_spans:
        cands = credit_spans + [c for c in cands if all(c[1] <= a or c[0] >= b for a, b, _ in credit_spans)]
    return cands



