"""Word lists and METRIC patterns of the rule extractor (``model.rules``).

Facts of the domain (office titles, organ names, administrative unit words,
provinces, common surnames, units and counted nouns), kept apart from the
matching logic so they can be extended without touching it.
"""

from __future__ import annotations

import re

from canbo.model.lexicon import words

TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")  # a word ("H'leo" is one) or a punctuation mark


def _table(spec: str) -> dict[str, list[tuple[str, ...]]]:
    """Phrase table from "a b|c|...": first token -> phrases as token tuples, longest first."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted((tuple(TOKEN.findall(p.lower())) for p in spec.split("|") if p.strip()), key=len, reverse=True):
        table.setdefault(phrase[0], []).append(phrase)
    return table


# Military and police ranks: POSITION before a name (guidelines (s)), and they introduce the name
_RANKS = ("đại tướng|thượng tướng|trung tướng|thiếu tướng|đại tá|thượng tá|trung tá|thiếu tá|đại úy|thượng úy"
         "|trung úy|thiếu úy")
MIDDLE_MARKS = {"văn", "thị"}  # "X Văn Y", "X Thị Y": a person's name whatever the surname
TITLES = _table(
    "bí thư|phó bí thư|tổng bí thư|chủ tịch|phó chủ tịch|chủ tịch nước|ủy viên|thành ủy viên|tỉnh ủy viên"
    "|huyện ủy viên|quận ủy viên|thị ủy viên|đảng ủy viên|trưởng ban|phó trưởng ban|phó ban|trưởng phòng"
    "|phó trưởng phòng|phó phòng|giám đốc|phó giám đốc|tổng giám đốc|hiệu trưởng|phó hiệu trưởng"
    "|trưởng thôn|phó trưởng thôn|trưởng bản|phó trưởng bản|trưởng ấp|phó trưởng ấp|trưởng buôn|trưởng làng"
    "|trưởng xóm|trưởng khóm|trưởng khu|tổ trưởng|chánh văn phòng"
    "|phó chánh văn phòng|chánh án|phó chánh án|chánh thanh tra|viện trưởng|phó viện trưởng|bộ trưởng"
    "|thứ trưởng|thủ tướng|phó thủ tướng|chủ nhiệm|phó chủ nhiệm|trưởng công an|phó trưởng công an"
    "|chỉ huy trưởng|phó chỉ huy trưởng|chính trị viên|chính trị viên phó|chính ủy|phó chính ủy|đồn trưởng"
    "|phó đồn trưởng|đội trưởng|phó đội trưởng|đại đội trưởng|trạm trưởng|hạt trưởng|phó hạt trưởng"
    "|đại biểu hđnd|đại biểu hội đồng nhân dân|đại biểu quốc hội|quyền chủ tịch|quyền giám đốc|quyền trưởng phòng"
    "|tham mưu trưởng|phó tham mưu trưởng|hải đội trưởng|phó hải đội trưởng|trụ trì|phó trụ trì"
    "|trưởng đoàn đbqh|phó trưởng đoàn đbqh|trưởng đoàn đại biểu quốc hội|phó trưởng đoàn đại biểu quốc hội|" + _RANKS
)
RANKS = _table(_RANKS)
TITLE_MODS = _table("thường trực")
ELLIPTIC = {"bí thư", "phó bí thư", "chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc"}
SUBS = _table(  # bodies that may be followed by their parent body
    "ban thường vụ|ban chấp hành|bch|btv|thường trực|ủy ban kiểm tra|văn phòng|ban chỉ đạo"
)
TOPS = _table(
    "huyện ủy|thành ủy|tỉnh ủy|quận ủy|thị ủy|đảng ủy|đảng bộ|chi bộ|đảng|đảng cộng sản việt nam|hđnd|ubnd"
    "|hội đồng nhân dân|ủy ban nhân dân|mttq|ủy ban mttq|mặt trận tổ quốc|ủy ban mặt trận tổ quốc"
    "|quốc hội|chính phủ|trung ương|trung ương đảng|huyện đoàn|thành đoàn|tỉnh đoàn|công an"
    "|hđqt|hội đồng quản trị|đồn biên phòng|bđbp|bộ đội biên phòng|bộ chỉ huy bđbp|bộ chỉ huy bộ đội biên phòng|ban chqs|ban chỉ huy quân sự"
    "|bộ chỉ huy quân sự|bchqs|cổng ttđt|cổng thông tin điện tử|đài tt - th|đài tt|đài truyền thanh"
    "|trung tâm vh - tt & tt|trung tâm y tế|trung tâm chính trị"
    "|hội đồng nghĩa vụ quân sự|ủy ban bầu cử|hạt kiểm lâm|nghiệp đoàn nghề cá|trạm y tế|đài khí tượng thủy văn"
    "|đoàn thanh niên|ban công tác mặt trận|tổ đại biểu|đoàn đại biểu quốc hội|đoàn đbqh|unesco"
)
# military units named by their number, possibly after their arm ("Sư đoàn 5", "Quân khu 7", "Trung đoàn
# bộ binh 270", "Hải đội Biên phòng 2")
NUMBERED_UNITS = _table("quân khu|quân đoàn|sư đoàn|lữ đoàn|trung đoàn|tiểu đoàn|đại đội|hải đội|hải đoàn")
DEPARTMENTS = _table("|".join(words("departments")))  # the name after a body word: "Sở" + "Giao thông vận tải"
HEADS = _table(  # a body word that needs a capitalised name after it
    "ban|phòng|sở|bộ|hội|trường|công ty|trung tâm|bệnh viện|cục|chi cục|liên đoàn|đoàn|viện|tòa án"
    "|ngân hàng|hợp tác xã|ủy ban|báo|quỹ|câu lạc bộ|chi hội|tổ hợp tác"
)
ADMIN = _table(
    "huyện|xã|tỉnh|thành phố|tp|thị trấn|phường|quận|thị xã|thôn|xóm|ấp|khu phố|tổ dân phố|khóm"
)
# Village words of the uplands and the south: unit words only when lowercase ("bản Nà Cài"); written
# capitalised they are part of the name ("Bản Giốc", "Buôn Triết", "Chau Sóc Kha")
HAMLETS = _table("bản|buôn|làng|sóc|plei|bon")
# Peoples and faiths after a village or temple word are not its name ("chùa Khmer", "làng Chăm")
PEOPLES = {"khmer", "chăm", "mông", "dao", "tày", "nùng", "thái", "mường", "cơ tu", "ê đê", "gia rai", "ba na",
           "xơ đăng", "hoa", "kinh", "phật", "công giáo"}
# Words that make a unit or facility word part of a common compound: "văn bản", "già làng", "khai thác"
NOT_UNIT_AFTER = {"bản": {"văn", "phiên", "kịch", "cơ", "nguyên", "dự"}, "làng": {"già"}, "thác": {"khai"},
                  "bon": {"các"}}
FACILITY = _table(  # a lowercase common noun before a place's name, outside the span
    "đường|sông|kênh|cầu|cảng|chợ|núi|hồ|đảo|khu công nghiệp|cụm công nghiệp|khu đô thị|khu kinh tế|đèo|thác|suối"
    "|đồi|chùa|đền|vịnh|biển|nhà máy|nhà máy nước|cửa khẩu|cao tốc|tuyến|quốc lộ|tỉnh lộ|sân vận động"
    "|công viên|quảng trường|khu di tích|di tích|khu du lịch|vườn quốc gia|khu bảo tồn|khu tái định cư|khu dân cư"
    "|phố|tuyến phố|rạch|bãi|hòn|tháp|đập|đầm|cảng cá|bến cá|làng nghề|điểm trường"
)
# A capitalised facility word that is part of the place's name: the whole name is the span
# ("Khu công nghiệp Quang Châu", "Vườn quốc gia Xuân Thủy"), lowercase words may sit between
# it and the name ("Khu di tích quốc gia đặc biệt Pác Bó").
NAMED_FACILITY = _table(
    "khu công nghiệp|cụm công nghiệp|khu kinh tế|khu đô thị|khu di tích|khu du lịch|khu bảo tồn|khu tưởng niệm"
    "|khu lưu niệm|vườn quốc gia|cảng|chợ|kcn|ccn|khu chế xuất|quảng trường|công viên|sân vận động|di tích"
)
# Numbered roads: the road word and its number are the name ("Quốc lộ 6", "Vành đai 4", "Đường 359")
ROADS = _table("quốc lộ|tỉnh lộ|huyện lộ|vành đai|đường tỉnh|đường huyện|đường")
# a body named by its kind alone after a title keeps its word in the title ("Hiệu trưởng nhà
# trường", "Giám đốc Hợp tác xã", "Tổng Giám đốc công ty": the maximal title)
GENERIC_BODIES = _table("nhà trường|công ty|hợp tác xã|htx|bệnh viện|nhà máy|chùa")  # "Trụ trì chùa (Sà Keo)"
HONORIFICS = _table("đồng chí|ông|bà|anh|chị|cô|em|chú|thầy|cụ")
# Place names from the administrative gazetteer of model/lexicon (one lexicon for the rules, the
# casing and the generator). Provinces and the country match in any case; districts and communes,
# many of them common words ("Đoàn Kết", "Thắng Lợi"), only when capitalised.
PLACES = _table(
    "|".join(["Việt Nam", "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hồ Chí Minh", "Huế", "Bà Rịa", "Vũng Tàu"]
             + [p for p in words("provinces") if " - " not in p])
)
# regions keep their casing: the phrase's words as written, under its lowercase key
REGIONS = {tuple(TOKEN.findall(p.lower())): tuple(TOKEN.findall(p)) for p in words("regions")}
REGION_TABLE = _table("|".join(words("regions")))
LOCAL_PLACES = _table("|".join(p for f in ("districts", "communes", "countries") for p in words(f) if " - " not in p))
ABBREVIATIONS = set(  # written in capitals in ordinary text (kept so when a headline is recased)
    "UBND HĐND MTTQ BCH BTV TP TX CHQS BCHQS NTM OCOP THCS THPT TNHH CP KCN CCN HTX ĐBQH BHXH BHYT CAND QĐND"
    " QĐNDVN CSGT PCCC ATGT VN TW UB HĐ HCM TTXVN VOV VTV GDP FDI ODA USD VND ĐBSCL KT-XH KTXH CNH-HĐH".split()
)
EPONYMS = {("hồ", "chí", "minh")}  # a person's name unless a unit word ("TP") precedes it
SURNAMES = set(words("surnames"))
NAME_PREFIXES = {"Y", "A", "Ka", "Ksor", "Nay", "Rơ"}  # lead a name of the Ê Đê, Gia Rai, Ba Na ... (guidelines (y))

# ---------------------------------------------------------------- METRIC regexes


def _alt(spec: str) -> str:
    """Regex alternation of "a|b c|..." with the longest alternatives first."""
    items = sorted({s.strip() for s in spec.split("|") if s.strip()}, key=len, reverse=True)
    return "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in items)


_NUM = r"\d+(?:[.,]\d+)*"
_UNITS = _alt(
    "%|tỷ đồng|triệu đồng|nghìn đồng|ngàn đồng|nghìn tỷ đồng|tỷ USD|triệu USD|USD|đồng|tỷ|triệu|ha|héc-ta"
    "|hecta|km2|km²|km|m2|m3|m²|m³|m|cm|mm|tấn|tạ|kg|gam|lít|lần|MW|kWh|kW|CV|hải lý|‰|triệu lượt|nghìn lượt"
)
_PER = _alt("người|năm|ha|kg|tấn|tháng|ngày|hộ|lao động|m2|sào|lít")
_COUNTED = _alt(
    "hộ dân|hộ nghèo|hộ cận nghèo|hộ gia đình|hộ|đảng viên|chỉ tiêu|tiêu chí|nhiệm vụ trọng tâm|nhiệm vụ"
    "|nội dung|xã|phường|thị trấn|thôn|xóm|tổ dân phố|trường học|trường|công trình|dự án|doanh nghiệp"
    "|hợp tác xã|sản phẩm|lao động|người|học sinh|sinh viên|cán bộ|hội viên|đoàn viên|chi bộ"
    "|tổ chức cơ sở đảng|đồng chí|mô hình|tuyến đường|căn nhà|ngôi nhà|nhà|cơ sở|lượt|vụ|trường hợp"
    "|giải pháp|văn bản|hồ sơ|đơn vị|cơ quan|đại biểu|thành viên|cuộc|lớp|phòng học|gia đình|thủ tục"
    "|đơn thư|tài khoản|con|cây|bệnh nhân|việc làm|em|nhân khẩu|khẩu|nghị quyết|ngày công|đợt|vụ việc|buổi"
    "|học viên|điểm|đối tượng|cá nhân|tập thể|phụ nữ|thanh niên|đàn|tổ|đội|giáo viên|y bác sĩ|bác sĩ|chiến sĩ"
    "|hội nghị|cuộc họp|tác phẩm|chương trình|kế hoạch|tuyến|cầu|trạm|nguồn tin|tin bài|ý kiến|kiến nghị"
    "|phương tiện|xe|camera"
    # people, things and places counted in the written corpus's reports; a compound that names the
    # unit is kept whole ("150 giường bệnh", "3 tổ chức đảng"), "lượt" is the unit ("15.000 lượt")
    "|người dân|công nhân|ngư dân|cử tri|tân binh|quân nhân|công dân|nghệ nhân|tín đồ|già làng|chủ tàu|trẻ em|trẻ"
    "|tàu cá|tàu|chiếc|suất|phần|bộ|máy tính|máy gặt|xe máy|áo phao|áo|lá|đôi|cuốn|tấm|túi|thùng|bóng đèn|lồng|lô|ô đất"
    "|giường bệnh|phòng mổ|phòng ở|phòng bộ môn|phòng|căn|ngôi nhà|ngôi|tầng|nhà văn hóa|nhà máy|nhà thầu"
    "|khu công nghiệp|cụm công nghiệp|khu|cánh đồng|huyện|bản|chùa|thánh đường|chòi canh|ao|bãi|vùng"
    "|tổ hợp tác|tổ chức đảng|hộ kinh doanh|đơn vị bầu cử|khu vực bỏ phiếu|dự án luật|tin báo|tờ trình|quyết định"
    "|giống|nhóm|chuyến|ca"
)
_LEFT = r"(?<![\w.,/])(?<!\w-)"
QUANTITY = re.compile(
    rf"{_LEFT}(?P<num>{_NUM}(?:\s*(?:-|–|đến|tới)\s*{_NUM})?)"
    # counted nouns are lowercase ("lớp 8 Trường ..." counts nothing); "đồng bào" is not money; after
    # money or a weight any one word can be the per-unit part ("500.000 đồng/em/tháng", "30 tấn/mẻ")
    rf"(?:\s(?-i:{_COUNTED})|\s?(?:{_UNITS})(?!\s+bào)(?:\s?/\s?(?:{_PER}|[^\W\d_]+|m[23]))*)(?!\w)",
    re.IGNORECASE,
)
FRACTION = re.compile(rf"{_LEFT}(?P<a>\d+)/(?P<b>\d+)(?![\w/]|[.,]\d)(?P<noun>\s(?:{_COUNTED})(?!\w))?", re.I)
NOT_QUANTITY_AFTER = {"năm", "tháng", "ngày", "thứ", "số", "khóa", "kỳ", "đợt", "lần", "đoạn", "lớp", "khóm", "phường",
                      "ấp", "thôn", "tổ", "khu", "quận", "xóm", "đội"}  # "lớp 8", "khóm 2 phường 3": not counts
YEAR = re.compile(r"(?:19|20)\d\d")
