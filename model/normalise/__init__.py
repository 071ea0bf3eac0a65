"""Normalisation of a predicted page: canonical offices, resolved places, parsed figures, dates.

``normalise_document(doc)`` is applied once, by ``Pipeline.predict_batch``, to every page it reads:
it sets ``doc.meta["date"]`` (the page's publication date or None) and gives every entity a
``norm`` dict: ``as_of`` (the date the mention speaks for: its sentence's event date, or the page
date, or None), plus ``office`` for a POSITION, ``place`` for a LOCATION and ``figure`` for a
METRIC. The parts are pure functions in ``keys``, ``offices``, ``places``, ``figures`` and ``dates``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from canbo.model.normalise.dates import event_date, page_date
from canbo.model.normalise.figures import safe_parse
from canbo.model.normalise.offices import decompose, infer
from canbo.model.normalise.places import Place, Unit, resolve, units_named
from canbo.model.schema import Document

NORMALISE_VERSION = "1"  # part of the index's model version: a change here re-indexes pages

# a type word or committee, then a capitalised name: "huyện Kiến Thụy", "Huyện ủy Thủy Nguyên", "TP Hà Nội"
_TYPED = re.compile(
    r"\b((?:huyện|tỉnh|thành|quận|thị)\s+(?:ủy|uỷ)|thị\s+xã|thị\s+trấn|thành\s+phố|huyện|tỉnh|quận|xã|phường|tp\.|tp)"
    r"(?:\s+|(?<=\.))(?=[^\W\d_])",
    re.IGNORECASE,
)
_COMMITTEE_LEVEL = {
    "huyện": "district",
    "quận": "district",
    "thị": "district",
    "tỉnh": "province",
    "thành": None,
}
_TYPE_LEVEL = {
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "tỉnh": "province",
    "xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
}


@dataclass
class Mention:
    """A typed place mention found in the text: where it ends, the name, the level its word names."""

    start: int
    name: str
    level: str | None


def typed_places(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Names written after a type word or committee in ``text[start:end]``, each the longest run of
    at most four capitalised words that names a unit in the gazetteer (``start`` is into the NFC
    form of that piece)."""
    text = unicodedata.normalize("NFC", text[start : len(text) if end is None else end])  # NFD pages too
    end = len(text)
    out = []
    for m in _TYPED.finditer(text):
        word = " ".join(m.group(1).lower().split())
        committee = word.endswith(("ủy", "uỷ"))
        level = _COMMITTEE_LEVEL[word.split()[0]] if committee else _TYPE_LEVEL.get(word)
        words = []
        for w in re.finditer(r"[^\W\d_][\w'-]*", text[m.end() : min(end, m.end() + 80)]):
            if not w.group()[0].isupper() or len(words) == 4:
                break
            if words and text[m.end() + words[-1][1] : m.end() + w.start()].strip():
                break  # punctuation between words ends the name
            words.append((w.group(), w.end()))
        for n in range(len(words), 0, -1):
            name = " ".join(x for x, _ in words[:n])
            if units_named(name):
                out.append(Mention(m.start(), name, level))
                break
    return out


def subject_units(text: str) -> tuple[Unit | None, Unit | None]:
    """(district, province) the page is about: the district named most often by a unique typed mention
    (and its province), else the most named province; None where the page names none."""
    districts, provinces = Counter(), Counter()
    for mention in typed_places(text):
        place = resolve(mention.name, level=mention.level)
        if place.unit is None:
            continue
        if place.unit.level == "district":
            districts[place.unit] += 1
        elif place.unit.level == "province":
            provinces[place.unit] += 1
    district = districts.most_common(1)[0][0] if districts else None
    if district is not None:
        return district, Unit("province", district.province, district.province)
    return None, provinces.most_common(1)[0][0] if provinces else None


def with_page_date(doc: Document, date: str | None) -> Document:
    """``doc`` re-normalised with the page date its input record gives (a JSONL ``date`` wins over
    the page's header lines); unchanged when ``date`` is None."""
    if date:
        doc.meta["date"] = date
        normalise_document(doc)
    return doc


def normalise_document(doc: Document, sentences: list | None = None) -> Document:
    """Fill ``doc.meta["date"]`` and every entity's ``norm`` (see the module docstring); returns ``doc``.
    ``sentences`` are the page's sentence spans (default: ``model.text.split_sentences``)."""
    from canbo.model.text import split_sentences

    text = doc.text
    date = doc.meta["date"] if doc.meta.get("date") else page_date(text)
    doc.meta["date"] = date
    spans = sentences if sentences is not None else split_sentences(text)
    starts = [s.start for s in spans]
    dates = sentence_dates(text, spans, date)
    district, province = subject_units(text)
    ctx = {"province": province.name if province else None, "district": district.name if district else None}
    subject = [Place(u.short, u.level, u) for u in (district, province) if u is not None]
    for e in doc.entities:
        k = bisect_right(starts, e.start) - 1
        inside = 0 <= k < len(spans) and spans[k].start <= e.start < spans[k].end
        norm: dict = {"as_of": (dates[k] if inside else None) or date}
        if e.label == "POSITION":
            office = decompose(e.text)
            if office.locality and office.unit is None:
                _refine(office, resolve(office.locality, level=office.level, **ctx))
            if not office.locality and inside:
                near = [
                    resolve(m.name, level=m.level, **ctx)
                    for m in typed_places(text, spans[k].start, spans[k].end)
                ]
                office = infer(office, near, subject)
            norm["office"] = office.to_dict()
        elif e.label == "LOCATION":
            norm["place"] = resolve(e.text, level=_level_before(text, e.start), **ctx).to_dict()
        elif e.label == "METRIC":
            norm["figure"] = safe_parse(e.text).to_dict()
        e.norm = norm
    return doc


def _refine(office, place: Place) -> None:
    from canbo.model.normalise.offices import office_key

    if place.unit is not None:
        office.unit, office.ambiguous = place.unit.path, False
        office.level = office.level or place.unit.level
        office.key = office_key(office)


def _level_before(text: str, start: int) -> str | None:
    """The level named by the type word just before a LOCATION ("xã Đồng Hướng"), if any."""
    before = " ".join(unicodedata.normalize("NFC", text[max(0, start - 16) : start]).lower().split()[-2:])
    for word in ("thị xã", "thị trấn", "huyện", "quận", "tỉnh", "xã", "phường"):
        if before.endswith(word) and (len(before) == len(word) or not before[-len(word) - 1].isalpha()):
            return _TYPE_LEVEL[word]
    return None


def sentence_dates(text: str, spans: list, page: str | None) -> list[str | None]:
    """Each sentence's event date; a sentence without one takes the last one given earlier in its
    paragraph (a news lead: "Chiều 12/12, ... . Đồng chí ... chủ trì Hội nghị.")."""
    out: list[str | None] = []
    carry, last_end = None, 0
    for s in spans:
        if "\n" in text[last_end : s.start]:
            carry = None  # a new paragraph
        own = event_date(text[s.start : s.end], page)
        carry = own or carry
        out.append(carry)
        last_end = s.end
    return out
