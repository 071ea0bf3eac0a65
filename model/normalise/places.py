"""Localities -> real administrative units (province > district > commune).

The gazetteer is ``model/lexicon/units.tsv`` (Vietnam's units before the 2025 reorganisation,
from underthesea's wheel; see the lexicon README). A name is looked up without its type word
("huyện", "xã", "TP"...) and by its ``fold`` key, so "Thủy Nguyên", "thuỷ nguyên" and
"huyện Thủy Nguyên" find the same unit. A name that several units share is narrowed by the
context (the page's province and district) and by the level its type word names; when more
than one unit is left, the place stays ambiguous, with the candidates counted, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from canbo.model.lexicon import LEXICON_DIR
from canbo.model.normalise.keys import fold

LEVELS = ("province", "district", "commune")

# type words (folded) -> level; longest first so "thành phố" wins over "phố"
_TYPE_WORDS = {
    "tỉnh": "province",
    "thành phố": None,  # a province-level city (Hà Nội) or a district-level one (Thủ Dầu Một)
    "tp": None,
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "tx": "district",
    "xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
    "tt": "commune",
}


@dataclass(frozen=True)
class Unit:
    """One administrative unit, with the names of the units above it (full names with type)."""

    level: str
    name: str
    province: str
    district: str | None = None

    @property
    def short(self) -> str:
        return strip_type(self.name)[1]

    @property
    def path(self) -> str:
        """ "Thành phố Hải Phòng > Huyện Thủy Nguyên"."""
        parts = (
            [self.province]
            + ([self.district] if self.district else [])
            + ([self.name] if self.level != "province" else [])
        )
        return " > ".join(parts)


@dataclass
class Place:
    """A locality as written and what it resolves to: one unit, or ambiguous among ``candidates``."""

    text: str
    level: str | None = None  # the level the type word names, or the unit's
    unit: Unit | None = None
    candidates: list[Unit] = field(default_factory=list)
    outside: bool = False  # a bare name whose only units lie outside the page's province

    @property
    def ambiguous(self) -> bool:
        return self.unit is None and len(self.candidates) > 1 and not self.outside

    @property
    def status(self) -> str:
        """ "resolved", "ambiguous", "outside the page's province" or "not found"."""
        if self.unit is not None:
            return "resolved"
        if self.outside:
            return "outside the page's province"
        return "ambiguous" if self.ambiguous else "not found"

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "level": self.unit.level if self.unit else self.level,
            "unit": self.unit.path if self.unit else None,
            "status": self.status,
            "ambiguous": self.ambiguous,
            "candidates": len(self.candidates),
        }


def strip_type(name: str) -> tuple[str | None, str]:
    """(the level its type word names, the name without it): "huyện Kiến Thụy" -> ("district", "Kiến Thụy");
    "TP. Hà Nội" -> (None, "Hà Nội"), since a city may be a province or a district. A name with no type
    word comes back whole with level None."""
    s = " ".join(re.sub(r"^(TP|TX|TT|Tp|tp)\.\s*", r"\1 ", name.strip()).split())
    words = s.split()
    for n in (2, 1):
        if len(words) > n and fold(" ".join(words[:n])) in _TYPE_WORDS:
            return _TYPE_WORDS[fold(" ".join(words[:n]))], " ".join(words[n:])
    return None, s


@cache
def _index() -> dict[str, list[Unit]]:
    """fold(short name) -> units of that name, every level."""
    idx: dict[str, list[Unit]] = defaultdict(list)
    seen: set[Unit] = set()
    for line in (LEXICON_DIR / "units.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        province, district, commune = line.split("\t")
        units = [Unit("province", province, province), Unit("district", district, province, None)]
        if commune:
            units.append(Unit("commune", commune, province, district))
        for u in units:
            if u not in seen:
                seen.add(u)
                idx[fold(u.short)].append(u)
    return dict(idx)


_ALIASES = {"hcm": "hồ chí minh", "tphcm": "hồ chí minh", "tp.hcm": "hồ chí minh", "sài gòn": "hồ chí minh"}


def units_named(name: str) -> list[Unit]:
    """Every unit whose name without its type word folds to ``name``'s (type word ignored);
    "HCM", "TPHCM" and "Sài Gòn" name Thành phố Hồ Chí Minh."""
    key = fold(strip_type(name)[1])
    return list(_index().get(_ALIASES.get(key, key), ()))


def resolve(
    text: str, level: str | None = None, province: str | None = None, district: str | None = None
) -> Place:
    """Resolve a locality as written. ``level`` stands in for a missing type word; ``province`` and
    ``district`` (full names, as in ``Unit``) are the page's context, used only to choose among units
    of the same name. A name that still fits several units is ambiguous: ``unit`` None, candidates kept.
    A name without type word whose units all lie outside the context province (a commune merged away,
    or a namesake elsewhere) is left unresolved too, marked ``outside``."""
    written_level, short = strip_type(text)
    want = written_level or level
    cands = units_named(short)
    if want:
        cands = [u for u in cands if u.level == want]
    if written_level is None and province and cands and not any(u.province == province for u in cands):
        if not any(u.level == "province" for u in cands):  # "Phù Ninh" on a Hải Phòng page: no guess
            return Place(text=text, level=want, candidates=cands, outside=True)
    narrowed = _narrow(cands, province, district)
    return Place(text=text, level=want, unit=narrowed[0] if len(narrowed) == 1 else None, candidates=narrowed)


def _narrow(cands: list[Unit], province: str | None, district: str | None) -> list[Unit]:
    """The candidates inside the context district, else inside the context province (but a commune name
    found nowhere in the context district is left alone: it may be one merged away); then a unit that
    contains all the others of its name (huyện Thường Tín and its thị trấn Thường Tín) stands for them."""
    if len(cands) > 1 and district:
        inside = [u for u in cands if district in (u.district, u.name)]
        if not inside and all(u.level == "commune" for u in cands):
            return cands  # not a commune of the page's district: maybe merged away, so no guess by province
        cands = inside or cands
    if len(cands) > 1 and province:
        cands = [u for u in cands if u.province == province] or cands
    if len(cands) > 1:
        for top in cands:
            if all(u is top or _contains(top, u) for u in cands):
                return [top]
    return cands


def _contains(outer: Unit, inner: Unit) -> bool:
    if outer.level == "province":
        return inner.province == outer.name and inner.level != "province"
    return (
        outer.level == "district"
        and inner.level == "commune"
        and inner.district == outer.name
        and inner.province == outer.province
    )
