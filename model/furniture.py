"""Site furniture: which lines of a scraped page are not article body.

Menus and breadcrumbs, slogan banners, page-header dates, share/print/font widgets,
visitor counters, footers (address, licence, copyright) and "related news" lists are
furniture: nothing in them is annotated, and nothing is predicted there.
``furniture_reason(line)`` says why one line is furniture (or None); ``body_lines(text)``
applies it to a page, and also drops the title list that follows a "related news" header.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    reason: str | None  # None: body


def _words(spec: str) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in spec.split("|"))


_MENU_WORDS = _words(
    "trang chủ|giới thiệu|tin tức|tin tức - sự kiện|sự kiện|liên hệ|sơ đồ cổng|sơ đồ trang|sơ đồ site|đăng nhập"
    "|đăng ký|văn bản|văn bản pháp luật|hỏi đáp|thủ tục hành chính|dịch vụ công|dịch vụ công trực tuyến"
    "|thông báo|lịch công tác|hoạt động|chính trị|kinh tế|văn hóa|văn hoá|xã hội|quốc phòng|an ninh|thể thao"
    "|giáo dục|y tế|du lịch|tổ chức bộ máy|cơ cấu tổ chức|chuyên mục|tiếng việt|english|rss|góp ý|thư viện ảnh"
    "|video|multimedia|podcast|e-magazine|infographic|tìm kiếm|công khai ngân sách|quy hoạch|đầu tư|ý kiến"
    "|menu|danh mục|home|news|about|about us|contact|login|log in|sitemap|faq|search|vietnamese|investment"
    "|quên mật khẩu|cải cách hành chính|liên kết website"
)
_MENU_ITEM = re.compile(rf"^(?:{_MENU_WORDS})$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:\||»|›|>>?|/|•|·|➤|▸|►|◄|↗|★|\s-\s|\s–\s|\s—\s|—$|\t)\s*")
_SLOGAN = re.compile(
    r"^(?:»»|««|★|☆|\*\*).*(?:»»|««|★|☆|\*\*)$|^(?:nhiệt\s+liệt\s+)?chào\s+mừng|^mừng\s+(?:đảng|xuân)|muôn\s+năm|quang\s+vinh|^(?:kỷ\s+niệm|kỉ\s+niệm)\s+\d+"
    r"\s+năm\s+ngày|^toàn\s+dân\s+đoàn\s+kết|^chủ\s+tịch\s+hồ\s+chí\s+minh\s+vĩ\s+đại",
    re.IGNORECASE,
)
_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
DATE_PATTERN = _DATE  # day/month/year as page headers write it; model.normalise.dates reads page dates with it
_TIME = r"\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:AM|PM|GMT\+7))?"
_DATE_HEADER = re.compile(
    rf"^(?:(?:thứ\s+\w+|chủ\s+nhật)\s*[,|]?\s*(?:ngày\s*)?{_DATE}.*"
    rf"|(?:đăng\s+lúc|đăng\s+ngày|ngày\s+đăng|cập\s+nhật(?:\s+lúc)?|ngày\s+cập\s+nhật|ngày\s+xuất\s+bản"
    rf"|thời\s+gian\s+đăng|ngày\s+in|hôm\s+nay|posted|updated)\s*:?\s*(?:\d{{1,2}}[:h]\d{{2}}\s*[-|,]?\s*)?{_DATE}.*"
    # a bare "Ngày" is a header only with nothing after its date but a time: "Ngày 20/12/2023, HĐND
    # xã ... tổ chức kỳ họp" opens a paragraph
    rf"|ngày\s*:?\s*(?:{_TIME}\s*[-|,]?\s*)?{_DATE}(?:\s*[-|,]?\s*{_TIME})?"
    rf"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s*{_DATE}.*"
    rf"|{_DATE}(?:\s*[-|,]?\s*{_TIME})?"
    rf"|\d{{1,2}}[:h]\d{{2}}\s*(?:\|\s*)?{_DATE})$",
    re.IGNORECASE,
)
_WIDGET = re.compile(
    r"^[\[(]?(?:chia\s+sẻ|share|facebook|zalo|twitter|x|email|e-mail|gửi\s+email|gửi\s+bài|in\s+bài(?:\s+viết)?|bản\s+in"
    r"|in\s+trang|lưu\s+bài|lưu\s+tin|quay\s+lại|trở\s+về|về\s+đầu\s+trang|lên\s+đầu\s+trang|xem\s+thêm|đọc\s+thêm"
    r"|bình\s+luận|phản\s+hồi|gửi\s+phản\s+hồi|cỡ\s+chữ|font\s+size|kích\s+thước\s+chữ|nghe\s+đọc\s+bài|nghe\s+bài"
    r"|thích|like|tweet|print|top|đầu\s+trang|tải\s+về|download|đính\s+kèm|tệp\s+đính\s+kèm|từ\s+khóa|tags?"
    r"|quảng\s+cáo|hình\s+ảnh|gửi\s+bình\s+luận(?:\s+của\s+bạn)?|họ\s+và\s+tên|bài\s+viết\s+khác|liên\s+kết(?:\s+website)?"
    r"|đường\s+dây\s+nóng|gọi|sao\s+chép\s+link|copy\s+link|xem\s+bản\s+đầy\s+đủ|đóng|tìm|search|related\s+news"
    r"|đặt\s+lịch.*trực\s+tuyến|bài\s+trước|bài\s+(?:tiếp\s+theo|sau)|để\s+lại\s+bình\s+luận|ý\s+kiến\s+bạn\s+đọc"
    r"|bạn\s+cần\s+đăng\s+nhập.*|tên\s+của\s+bạn|số\s+điện\s+thoại|nội\s+dung\s+ý\s+kiến|gửi\s+ý\s+kiến|nhập\s+lại"
    r"|nghe\s+đọc(?:\s+bài(?:\s+viết)?)?|video|xem\s+toàn\s+màn\s+hình|in\s+trang\s+này|đóng\s+cửa\s+sổ|nhập\s+từ\s+khóa.*"
    r"|họ\s+(?:và\s+)?tên|share\s+this|hình\s+ảnh\s+đang\s+tải|mua\s+ngay.*"
    r"|tin\s+(?:mới|liên\s+quan|khác|cùng\s+chuyên\s+mục|đọc\s+nhiều|nổi\s+bật|xem\s+nhiều)|các\s+tin\s+(?:khác|đã\s+đưa)"
    r"|bài\s+viết\s+liên\s+quan|có\s+thể\s+bạn\s+quan\s+tâm|tìm\s+kiếm|bình\s+chọn|văn\s+bản\s+(?:mới|điện\s+tử)"
    r"|một\s+cửa\s+điện\s+tử|image(?:\s+\w+)?)(?:\s*[:(].*|[\s.…▲▼\])*|]*)$",
    re.IGNORECASE,
)
_WIDGET_ANYWHERE = re.compile(
    r"a-\s*a\s*a\+|\ba\s*-\s*a\s*\+|\ba\+\s+a-|https?://|www\.\S+|\S+@\S+\.\w+|^\[?\s*quảng\s+cáo\b|^#\w+(?:\s+#\w+)*"
    r"|^bài\s+viết\s+được\s+in\s+từ|^(?:bạn\s+đang\s+ở|vị\s+trí)\s*:|^(?:\[[^\]]{1,30}\]\s*){1,4}$"
    r"|^(?:tin\s+nổi\s+bật|tin\s+mới|tiêu\s+điểm|tin\s+nóng)\s*[:|]",
    re.IGNORECASE,
)
_COUNTER = re.compile(
    r"^(?:lượt\s+(?:xem|truy\s+cập|đọc)|thống\s+kê\s+truy\s+cập|đang\s+(?:truy\s+cập|online)|trực\s+tuyến|hôm\s+nay"
    r"|hôm\s+qua|trong\s+tuần|trong\s+tháng|tất\s+cả|tổng\s+(?:số\s+)?(?:lượt\s+)?truy\s+cập|tổng\s+số\s+điểm.*"
    r"|đánh\s+giá(?:\s+cho\s+bài\s+viết)?|số\s+lượt\s+xem|views?|visitors?|online)\s*:?\s*[\d.,\s]*(?:lượt)?"
    r"(?:\s*\|\s*[^\W\d_]+(?:\s+[^\W\d_]+)*\s*:?\s*[\d.,\s]*)*$|^\d+\s+điểm\s*\(.*\)$",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(?:bản\s+quyền|©|\(c\)|copyright|address\s*:|tel\s*:|địa\s+chỉ\s*:|điện\s+thoại\s*:|đt\s*:|fax\s*:|email\s*:|e-mail\s*:|hotline"
    r"|giấy\s+phép|chịu\s+trách\s+nhiệm|cơ\s+quan\s+chủ\s+quản|trưởng\s+ban\s+biên\s+tập\s*:|ghi\s+rõ\s+nguồn"
    r"|tổng\s+biên\s+tập|phó\s+tổng\s+biên\s+tập|đường\s+dây\s+nóng|thiết\s+kế\s+bởi|phát\s+triển\s+bởi|designed\s+by|powered\s+by|trang\s+thông\s+tin\s+điện\s+tử|cổng\s+thông\s+tin"
    r"\s+điện\s+tử|chào\s+mừng\s+bạn|click\s+để|bạn\s+quan\s+tâm.*\?)|tổng\s+biên\s+tập\s*:|chịu\s+trách\s+nhiệm\s+chính"
    r"|all\s+rights\s+reserved",
    re.IGNORECASE,
)
_DECORATED = re.compile(r"^[»«★☆✦*~=]{1,3}\s.*\s[»«★☆✦*~=]{1,3}$")
_SITE_NAME = re.compile(  # a header naming the site's unit alone: "Huyện Kim Sơn", "UBND XÃ TÂN LẬP"
    r"^(?:(?:ubnd|hđnd|đảng\s+ủy|đảng\s+bộ|huyện\s+ủy|cổng\s+thông\s+tin(?:\s+điện\s+tử)?)\s+)?"
    r"(?:huyện|xã|phường|thị\s+trấn|thị\s+xã|quận|tỉnh|thành\s+phố)\s+(?:[^\W\d_][\w']*\s*){1,4}$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[•·●▪\-–*»›‹≡☰+]\s*")
_RELATED_HEADER = re.compile(
    r"^(?:tin\s+(?:liên\s+quan|khác|cùng\s+chuyên\s+mục|đọc\s+nhiều|xem\s+nhiều|mới(?:\s+nhất)?)"
    r"|các\s+tin\s+(?:khác|đã\s+đưa)|bài\s+viết\s+(?:liên\s+quan|khác|cùng\s+chuyên\s+mục)|có\s+thể\s+bạn\s+quan\s+tâm"
    r"|related\s+news|đọc\s+nhiều(?:\s+nhất)?|xem\s+nhiều(?:\s+nhất)?|tin\s+nổi\s+bật|sản\s+phẩm\s+nổi\s+bật)\s*:?$",
    re.IGNORECASE,
)


def furniture_reason(line: str) -> str | None:
    """Why ``line`` is site furniture ("menu", "slogan", "date", "widget", "counter", "footer",
    "no text"), or None when it may be article body."""
    s = unicodedata.normalize("NFC", line.strip())
    if _DECORATED.match(s):
        return "slogan"  # "»» Đoàn kết, đổi mới ««", "★ Bản lĩnh – Kỷ cương ★"
    symbols = sum(_is_pictograph(ch) for ch in s)
    s = "".join(" | " if _is_pictograph(ch) else ch for ch in s)  # a drawn button separates items
    s = re.sub(r"^[\s|]+|[\s|]+$", "", re.sub(r"\s+", " ", s))
    s = re.sub(r"^\((.*)\)$", r"\1", _BULLET.sub("", s)).strip()  # "(Lượt xem: 312)"
    if not any(ch.isalpha() for ch in s):
        return "no text"
    if symbols >= 2:
        return "widget"  # buttons and players drawn with pictographs: "🖨 In | 📧 Email", "▶ 00:00 / 03:12"
    if _COUNTER.match(s):
        return "counter"
    if len(s.split()) == 1 and not any(ch.isdigit() for ch in s):
        return "widget"  # a lone word: a button or a collapsed menu ("Menu", "Tìm", "Đóng", "Aa")
    if _DATE_HEADER.match(s):
        return "date"
    if _WIDGET.match(s) or _WIDGET_ANYWHERE.search(s):
        return "widget"
    if _FOOTER.search(s) and (_FOOTER.match(s) or len(s.split()) <= 25):
        return "footer"
    if _is_menu(s):
        return "menu"
    if _is_slogan(s):
        return "slogan"
    if _SITE_NAME.match(s):
        return "site name"
    return None


@lru_cache(maxsize=8192)
def _is_pictograph(ch: str) -> bool:
    """Emoji, arrows and dingbats that draw buttons; not "|", "©", "+", "<", ">" or "%"."""
    return ch not in "|©®+<>=~%" and (unicodedata.category(ch) in ("So", "Sm") or 0x2190 <= ord(ch) <= 0x2BFF)


def _is_menu(s: str) -> bool:
    """A run of short items between separators (menus, breadcrumbs, widget bars), or one known item."""
    if _MENU_ITEM.match(s):
        return True
    items = [x.strip() for x in _SEPARATORS.split(s) if x.strip()]
    if len(items) >= 2 and re.match(r"^(?:trang\s+chủ|home)$", items[0], re.IGNORECASE):
        return True  # a breadcrumb: "Trang chủ > Nông nghiệp"
    if len(items) >= 2 and ">" in s and _MENU_ITEM.match(items[0]) and all(len(x.split()) <= 6 for x in items):
        return True  # ">> Tin tức > Tin địa phương"
    if len(items) < 2 or s.rstrip()[-1:] in ".!?:;":
        return False
    short = all(len(x.split()) <= 6 and not re.search(r"[.!?]$", x) for x in items)
    known = sum(bool(_MENU_ITEM.match(x) or _WIDGET.match(x)) for x in items)
    return short and (known == len(items) or (len(items) >= 3 and known >= 1) or len(items) >= 5)


def _is_slogan(s: str) -> bool:
    """A banner: a slogan phrase, or a shouted line ending in "!" (headlines are not shouted)."""
    letters = [c for c in s if c.isalpha()]
    upper = sum(c.isupper() for c in letters) / len(letters)
    return bool(_SLOGAN.search(s)) and (upper > 0.6 or s.endswith("!")) or (upper > 0.8 and s.rstrip().endswith("!"))


def is_boilerplate(line: str) -> bool:
    """True for site furniture (``furniture_reason`` gives the kind)."""
    return furniture_reason(line) is not None


def page_lines(text: str) -> list[Line]:
    """Every non-empty line of a page, trimmed, with why it is furniture (None for body).

    Cached for the last few pages: splitting a page and reading its date both need it.

    Beyond ``furniture_reason`` line by line, the page's layout decides two more kinds:
    after a "related news" header, the title lines that follow are furniture up to the next
    prose line or furniture line; and before the first prose line, the lines above the last
    menu (site name, slogan, unit header) are the site's header, not the article's; after
    the last prose line, everything from the first footer or counter line on is footer.
    """
    return list(_page_lines(text))


@lru_cache(maxsize=32)
def _page_lines(text: str) -> tuple[Line, ...]:
    from canbo.model.text import lines  # text imports this module; by call time both are loaded

    out: list[Line] = []
    in_related = False
    for span in lines(text):
        start, end = span.start, span.end
        line = text[start:end]
        reason = furniture_reason(line)
        if _RELATED_HEADER.match(_BULLET.sub("", line.strip())):
            in_related, reason = True, "related news"
        elif in_related and reason is None and not _is_prose(line):
            reason = "related news"
        else:
            in_related = False
        out.append(Line(start, end, reason))
    _menu_blocks(text, out)
    first_prose = next((k for k, ln in enumerate(out) if ln.reason is None and _is_prose(text[ln.start : ln.end])), len(out))
    last_menu = max((k for k in range(first_prose) if out[k].reason == "menu"), default=-1)
    for k in range(last_menu):
        if out[k].reason is None:
            out[k] = Line(out[k].start, out[k].end, "site header")
    last_prose = max((k for k, ln in enumerate(out) if ln.reason is None and _is_prose(text[ln.start : ln.end])), default=-1)
    footer = next((k for k in range(last_prose + 1, len(out)) if out[k].reason in ("footer", "counter")), len(out))
    for k in range(footer, len(out)):  # below the footer's first line, everything is the site's footer
        if out[k].reason is None:
            out[k] = Line(out[k].start, out[k].end, "footer")
    return tuple(out)


def _menu_blocks(text: str, out: list[Line]) -> None:
    """Three or more short lines in a row, one of them a known menu item: a menu, one item a line."""
    def short(ln: Line) -> bool:
        words = text[ln.start : ln.end].split()
        return ln.reason in (None, "menu") and len(words) <= 6 and not re.search(r"[.!?:;,]$", text[ln.start : ln.end])

    k = 0
    while k < len(out):
        j = k
        while j < len(out) and short(out[j]):
            j += 1
        if j - k >= 3 and any(out[i].reason == "menu" for i in range(k, j)):
            for i in range(k, j):
                out[i] = Line(out[i].start, out[i].end, "menu")
        k = max(j, k + 1)


def _is_prose(line: str) -> bool:
    """A line that reads as running text: ends like a sentence, or is long."""
    return len(line.split()) > 30 or bool(re.search(r"[.!?…]['\"”’)]*$", line.strip())) and len(line.split()) >= 6


def body_lines(text: str) -> list[Line]:
    """The lines of ``text`` that may be article body."""
    return [ln for ln in page_lines(text) if ln.reason is None]
