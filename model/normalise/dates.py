"""Dates: a page's publication date from its header lines, and event dates in sentences.

The page date comes from the lines ``model.furniture`` classifies as "date" (its one date pattern):
a line labelled as the publication ("Đăng lúc: 05/01/2024", "Ngày đăng") wins; then the first
date line inside the article (below its title: "Thứ ba, 31/10/2023 271 lượt xem"); then an update
line ("Cập nhật: 19/11/2020"); then the date line nearest above the article, since a site's header
often shows today's date. "Hôm nay" lines and dates below the article are never the page's.
An event date is a date after a time word in the sentence ("ngày 22/12/2023"; "Chiều 12/12" and
"ngày 5 tháng 1" with the year taken from the page date: a day after the page date is last year's).
Dates quoted without a time word ("thành lập Đảng 3/2/1930 - 3/2/2024") are not the event's.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from canbo.model.furniture import DATE_PATTERN, page_lines

_PUBLISHED = re.compile(
    r"^\W*(?:đăng\s+lúc|đăng\s+ngày|ngày\s+đăng|ngày\s+xuất\s+bản|thời\s+gian\s+đăng|posted)", re.IGNORECASE
)
_UPDATED = re.compile(r"^\W*(?:cập\s+nhật|ngày\s+cập\s+nhật|updated)", re.IGNORECASE)
_TODAY = re.compile(r"^\W*hôm\s+nay", re.IGNORECASE)
_TIME_WORD = r"(?:ngày|sáng|chiều|trưa|tối|đêm|hôm|rạng\s+sáng|từ|đến)"
_DAY_MONTH = re.compile(
    rf"\b{_TIME_WORD}\s+(?:ngày\s+|nay\s+)?(\d{{1,2}})[/-](\d{{1,2}})(?![/\d-])", re.IGNORECASE
)
_WORDS_DATE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.IGNORECASE)
_FULL = re.compile(rf"(?<![\d/.-])({DATE_PATTERN})(?![\d/.-])")
_CUED_FULL = re.compile(rf"(?:^|\b{_TIME_WORD}\s+(?:ngày\s+)?)({DATE_PATTERN})(?![\d/.-])", re.IGNORECASE)


def is_iso_date(value: object) -> bool:
    """True for a real date written YYYY-MM-DD (the ``date`` a JSONL page record may give)."""
    try:
        return isinstance(value, str) and len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def make_date(day: int, month: int, year: int) -> str | None:
    """ "YYYY-MM-DD", or None for a day that does not exist (31/02) or a year out of range."""
    if year < 100:
        year += 2000
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_full_date(text: str, cued: bool = False) -> str | None:
    """The first day/month/year date in ``text`` (``furniture.DATE_PATTERN``), as ISO, or None;
    ``cued``: only a date after a time word or at the start ("ngày 22/12/2023", not "3/2/1930 - 3/2/2024")."""
    for m in (_CUED_FULL if cued else _FULL).finditer(text):
        d, mo, y = (int(x) for x in re.split(r"[/.-]", m.group(1)))
        iso = make_date(d, mo, y)
        if iso:
            return iso
    return None


def page_date(text: str) -> str | None:
    """The publication date of a scraped page (see the module docstring), or None when it shows none."""
    lines = page_lines(text)
    body = [k for k, ln in enumerate(lines) if ln.reason is None]
    if not body:
        return None
    first, last = body[0], body[-1]
    ranked: list[tuple[int, int, str]] = []
    for k, ln in enumerate(lines):
        if ln.reason != "date" or k > last:
            continue
        line = text[ln.start : ln.end]
        iso = parse_full_date(line)
        if iso is None or _TODAY.match(line):
            continue
        if _PUBLISHED.match(line):
            rank = 0
        elif _UPDATED.match(line):
            rank = 2
        elif k > first:
            rank = 1
        else:
            rank = 3
        ranked.append((rank, abs(k - first), iso))
    return min(ranked)[2] if ranked else None


def event_date(sentence: str, page: str | None) -> str | None:
    """The date a sentence gives for what it reports: a full date after a time word, else a day and
    month after a time word in the page date's year (the year before when that day is after the page date); None when
    it gives none, or gives only a day and month on a page without a date."""
    sentence = unicodedata.normalize("NFC", sentence)
    full = parse_full_date(sentence, cued=True)
    if full:
        return full
    m = _WORDS_DATE.search(sentence)
    if m and m.group(3):
        return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = m or _DAY_MONTH.search(sentence)
    if not m or page is None:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    year = int(page[:4])
    iso = make_date(day, month, year)
    if iso and iso > page:
        iso = make_date(day, month, year - 1)
    return iso
