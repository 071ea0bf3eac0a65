"""Figures: a METRIC's number, scale, unit, per-what, range or "N of M".

"2.962,29 tỷ đồng" -> 2.96229e12 VND; "57,2 triệu đồng/người/ năm" -> 5.72e7 VND per person/year;
"17,2%" -> 0.172; "18/18 chỉ tiêu" -> 18 of 18 targets; "120-150 triệu đồng/ha" -> a range;
"150ha" -> 150 ha. Numbers are read the Vietnamese way ("." groups thousands, "," marks decimals),
and the common misuses are read when they cannot mean anything else ("1,234,567", "2,962.29",
"1.5"). Anything else keeps ``value`` None: never a wrong number. Arithmetic is decimal, so
2.962,29 × 10⁹ is exactly 2962290000000.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from canbo.model.normalise.keys import fold

_NUM = r"\d+(?:[.,]\d+)*"
_SCALES = {
    "nghìn tỷ": 10**12,
    "ngàn tỷ": 10**12,
    "nghìn": 10**3,
    "ngàn": 10**3,
    "triệu": 10**6,
    "tỷ": 10**9,
    "tỉ": 10**9,
}
_SCALE_RE = "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True))
_QUALIFIERS = {
    "khoảng": "about",
    "gần": "about",
    "xấp xỉ": "about",
    "hơn": "over",
    "trên": "over",
    "vượt": "over",
    "ít nhất": "at least",
    "tối thiểu": "at least",
    "dưới": "under",
    "tối đa": "at most",
}
_QUAL_RE = "|".join(sorted(map(re.escape, _QUALIFIERS), key=len, reverse=True))

# unit words (folded) -> canonical unit; a noun not listed is kept as written, folded
_UNITS = {
    "%": "%",
    "đồng": "VND",
    "vnđ": "VND",
    "vnd": "VND",
    "đ": "VND",
    "usd": "USD",
    "đô la": "USD",
    "đô-la": "USD",
    "ha": "ha",
    "héc-ta": "ha",
    "hecta": "ha",
    "km": "km",
    "m": "m",
    "m2": "m2",
    "m²": "m2",
    "km2": "km2",
    "tấn": "tonne",
    "kg": "kg",
    "lít": "litre",
    "mw": "MW",
    "kwh": "kWh",
    "hộ dân": "household",
    "hộ gia đình": "household",
    "hộ": "household",
    "người": "person",
    "nhân khẩu": "person",
    "lao động": "worker",
    "xã": "commune",
    "thôn": "village",
    "chỉ tiêu": "target",
    "đảng viên": "party member",
    "doanh nghiệp": "enterprise",
    "dự án": "project",
    "trường học": "school",
    "trường": "school",
    "học sinh": "pupil",
    "cán bộ": "official",
    "năm": "year",
    "tháng": "month",
    "ngày": "day",
    "lượt": "visit",
}


@dataclass
class Figure:
    """A parsed METRIC; ``value`` is ``number × scale`` (a ratio for "%"), None when unparsed or a range."""

    text: str
    number: float | None = None
    scale: float | None = None
    value: float | None = None
    unit: str | None = None
    per: str | None = None
    low: float | None = None
    high: float | None = None
    of: float | None = None
    qualifier: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "text"}


def parse_number(s: str) -> Decimal | None:
    """A number as written: "2.962,29" -> 2962.29, "1.528" -> 1528, "17,2" -> 17.2, "08" -> 8; the
    misuses "1,234,567" -> 1234567, "2,962.29" -> 2962.29, "1.5" -> 1.5; None when the groups
    do not fit either way ("1.23.456", "12,34,5")."""
    if not re.fullmatch(_NUM, s):
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        last = max(s.rfind("."), s.rfind(","))
        group_sep = "," if s[last] == "." else "."
        whole, frac = s[:last], s[last + 1 :]
        if (s[last] in whole) or not _grouped(whole, group_sep):
            return None
        return Decimal(whole.replace(group_sep, "") + "." + frac)
    sep = "." if dots else "," if commas else ""
    if not sep:
        return Decimal(s)
    parts = s.split(sep)
    if len(parts) > 2:  # several of one mark: it groups thousands
        return Decimal("".join(parts)) if _grouped(s, sep) else None
    whole, frac = parts
    if sep == "," or len(frac) != 3:  # "17,2" (the Vietnamese decimal) or "1.5" (an English decimal)
        return Decimal(whole + "." + frac)
    return Decimal(whole + frac)  # "1.528": Vietnamese thousands


def _grouped(s: str, sep: str) -> bool:
    parts = s.split(sep)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


_PATTERN = re.compile(
    rf"^(?:(?P<qual>{_QUAL_RE})\s+)?(?:(?:từ|bằng|đạt)\s+)?"
    rf"(?P<a>{_NUM})\s*(?:(?P<frac>/)\s*(?P<of>{_NUM})|(?:-|–|—|đến|tới)\s*(?P<b>{_NUM}))?"
    rf"\s*(?P<scale>(?:{_SCALE_RE})(?!\w))?\s*(?P<unit>%|[^\W\d][^/]*?)?\s*(?P<per>(?:/\s*[^/]+?\s*)*)$",
    re.IGNORECASE,
)


def parse_figure(text: str) -> Figure:
    """The figure a METRIC's text states (see the module docstring); fields left None when not stated."""
    s = " ".join(unicodedata.normalize("NFC", text).split())
    fig = Figure(text=text)
    m = _PATTERN.match(s)
    if not m:
        return fig
    a = parse_number(m["a"])
    b = parse_number(m["b"]) if m["b"] else None
    of = parse_number(m["of"]) if m["of"] else None
    if a is None or (m["b"] and b is None) or (m["of"] and of is None):
        return fig
    scale = Decimal(_SCALES[fold(m["scale"])]) if m["scale"] else Decimal(1)
    unit_text = (m["unit"] or "").strip()
    if unit_text == "%":
        scale /= 100
    fig.unit = _unit(unit_text) if unit_text else None
    fig.per = "/".join(_unit(p.strip()) for p in m["per"].split("/") if p.strip()) or None
    fig.qualifier = _QUALIFIERS.get(fold(m["qual"])) if m["qual"] else None
    fig.scale = float(scale)
    if b is not None:
        fig.low, fig.high = float(a * scale), float(b * scale)
        return fig
    fig.number, fig.value = float(a), float(a * scale)
    if of is not None:
        fig.of = float(of * scale)
    return fig


def _unit(word: str) -> str:
    key = fold(word)
    return _UNITS.get(key, key)


def safe_parse(text: str) -> Figure:
    """``parse_figure`` that never raises (a malformed number is an unparsed figure)."""
    try:
        return parse_figure(text)
    except (InvalidOperation, ValueError):
        return Figure(text=text)
