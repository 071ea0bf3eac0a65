"""Synthetic district-news sentences, annotated by data/GUIDELINES.md, for training.

A template is a line of Vietnamese district news with typed slots in braces, filled from
``model/lexicon``; pieces are appended in order and each span is recorded as it is written,
so offsets are exact by construction. Slots (see ``_S.slot``): ``{P}``/``{Pc}``/``{p}``/``{pen}``
PERSON with or without honorific; ``{T<}``/``{T>}``/``{t}`` POSITION held by the last person, the
next one or nobody; ``{T*}`` apposition chain, ``{B}`` titles before a name; ``{O}`` ORG; ``{L}``,
``{LOCS}`` LOCATION; ``{M}``/``{M~}`` METRIC; ``{E:LABEL:a|b}`` literal entity; ``{a|b}`` plain
alternatives; ``@x`` a context value (``_S.var``). CLI: ``python -m canbo.train.synth --n 500 --out F``.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import unicodedata

from canbo.model.lexicon import LEXICON_DIR as GAZ  # noqa: E402 - the one lexicon, shared with model/
from canbo.model.schema import Document, Entity, Relation, write_jsonl
from canbo.model.validation import validate_record

CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hồ Chí Minh", "Huế"}
DUNITS = [("huyện", "Huyện ủy")] * 7 + [("thị xã", "Thị ủy"), ("quận", "Quận ủy"), ("thành phố", "Thành ủy")]
UNIT = {"p": " tỉnh", "d": " huyện", "c": " xã"}
STATE_RE = re.compile(r"^(Quyền |Phó )?Chủ tịch( Thường trực)?$")
PARTY_RE = re.compile(r"^(Phó )?Bí thư( Thường trực)?$|^Ủy viên Ban|^(Phó )?Trưởng Ban|^(Phó )?Chủ nhiệm|^Chánh Văn phòng$")
STATE_ORGAN_RE = re.compile(r"^(UBND|HĐND|Ủy ban (nhân dân|MTTQ|Mặt trận)|Hội |Liên đoàn)")
CHAINS = {2: [("member", "party"), ("member", "state"), ("party", "state"), ("party", "state"), ("member", "other")],
          3: [("member", "party", "state"), ("member", "party", "other"), ("member", "party", "state")]}
MEMBERS = {"p": ("Tỉnh ủy viên", "Ủy viên Ban"), "d": ("Tỉnh ủy viên", "Thành ủy viên", "Huyện ủy viên", "Ủy viên Ban"),
           "c": ("Huyện ủy viên", "Đảng ủy viên", "Ủy viên Ban Thường vụ")}  # committee memberships fitting a level
VILLAGE = ["Trưởng thôn", "Trưởng bản", "Bí thư Chi bộ thôn"]
MALE, FEMALE = {"Văn", "Đức", "Hữu", "Công", "Quốc", "Mạnh", "Trọng", "Bá", "Đình", "Khắc"}, {"Thị"}
APPROX = ["", "", "hơn ", "trên ", "gần ", "khoảng "]  # outside the span (§3.5)
EVENTS = ["hội nghị tổng kết công tác năm {y}", "hội nghị sơ kết 6 tháng đầu năm {y}", "Hội nghị lần thứ {k}",
          "hội nghị giao ban công tác quý III năm {y}", "hội nghị đối thoại với Nhân dân năm {y}",
          "hội nghị kiểm điểm tập thể năm {y}", "lễ kỷ niệm {t} năm Ngày Thương binh - Liệt sĩ"]
TONES, SLOT = "\u0300\u0301\u0303\u0309\u0323", re.compile(r"\{([^{}]*)\}")


@functools.cache
def gaz(name: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFC", (GAZ / f"{name}.txt").read_text(encoding="utf-8"))
    return tuple(x.strip() for x in text.splitlines() if x.strip())


def new_style(s: str) -> str:
    """Move the tone mark of a final oa/oe/uy ("hòa, thủy" -> "hoà, thuỷ"); the length is unchanged."""
    d = unicodedata.normalize("NFD", s)
    for pat in (rf"(?<![qQ])([oO])([{TONES}])([aeAE])", rf"(?<![qQ])([uU])([{TONES}])([yY])"):
        d = re.sub(pat + r"(?![\w\u0300-\u036f])", r"\1\3\2", d)
    return unicodedata.normalize("NFC", d)


def fnum(r: random.Random, lo: float, hi: float, dec: int = 0) -> str:
    """A number in Vietnamese format: "." groups thousands, "," marks decimals."""
    s = f"{r.uniform(lo, hi):,.{dec}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return s.rstrip("0").rstrip(",") if "," in s else s


def _kind(t: str) -> str:
    return "member" if re.search(r"ủy viên$|^Ủy viên Ban", t) else "party" if PARTY_RE.match(t) else "state" if STATE_RE.match(t) else "other"


def _level(organ: str) -> str:
    """The level of an organ or title: p(rovince), d(istrict), c(ommune) or "" (none)."""
    lv = [v for k, v in ((" huyện$", "d"), ("Huyện ủy", "d"), (" tỉnh$", "p"), ("Tỉnh ủy", "p")) if k in organ + "$"]
    return lv[0] if lv else "c" if organ.endswith(" xã") else ""


class _S:
    """One sentence being composed: its locality context, text pieces, spans and relations."""

    def __init__(self, r: random.Random):
        self.r, self.pick, self.parts, self.n, self.ents, self.rels = r, r.choice, [], 0, [], []
        self.cur, self.pending, self.gender = None, [], ""
        self.new = r.random() < 0.3  # "uỷ, hoà" tone placement for the whole sentence
        self.prov = r.choice(gaz("provinces"))
        self.punit, self.pcom = (r.choice(["TP", "thành phố"]), "Thành ủy") if (city := self.prov in CITIES) else ("tỉnh", "Tỉnh ủy")
        self.dunit, self.dcom = r.choice(DUNITS[:-1] if city else DUNITS)
        self.cunit = r.choice(["xã"] * 6 + ["phường", "thị trấn"])
        self.dist, self.comm = r.choice(gaz("districts")), r.choice(gaz("communes"))
        self.y, self.k = r.randint(2019, 2025), r.randint(2, 5)
        self.var = {"d": self.dunit, "D": self.dcom, "p": self.punit, "n": self.dist, "N": self.prov,
                    "l": self.dcom.lower(), "y": str(self.y), "z": str(self.y - 1), "Y": str(self.y + 5),
                    "a": str(self.y - 1930), "i": lambda: str(r.randint(2, 9)), "c": lambda: r.choice(gaz("communes")),
                    "s": self.name, "r": lambda: f"ĐT{r.randint(200, 499)}"}

    def sub(self, text: str) -> str:
        return re.sub(r"@(\w)", lambda m: v() if callable(v := self.var[m.group(1)]) else v, text)

    def w(self, *texts: str) -> None:
        for t in texts:
            self.parts.append(new_style(t) if self.new else t)
            self.n += len(t)

    def e(self, label: str, text: str, holder: int | None = -1) -> int:
        """Append an entity; a POSITION with ``holder`` given (None: the next person) is linked."""
        text = new_style(text) if self.new else text
        self.ents.append(Entity(self.n, self.n + len(text), label, text, id=f"T{len(self.ents) + 1}"))
        self.w(text)  # new_style is idempotent
        q = len(self.ents) - 1
        if label == "PERSON":
            self.rels += [Relation(q, p, "HAS_POSITION") for p in self.pending]
            self.cur, self.pending = q, []
        elif holder is None:
            self.pending.append(q)
        elif holder >= 0:
            self.rels.append(Relation(holder, q, "HAS_POSITION"))
        return q

    def loc(self, s: str, p_name: float = 0.35) -> str:
        """Fit an organ or title to the context's units; maybe add the locality's name."""
        r, lvl = self.r, None
        s = s.replace("Huyện ủy", self.dcom).replace("Tỉnh ủy", self.pcom)
        for unit, lv, rep in ((" huyện", "d", self.dunit), (" tỉnh", "p", self.punit), (" xã", "c", self.cunit),
                              (" thôn", "v", "thôn"), (" bản", "v", "bản")):
            if s.endswith(unit):
                rep = "TP" if rep == "thành phố" and r.random() < 0.5 else rep
                s, lvl = s[: -len(unit)] + " " + rep, lv
                break
        else:
            lvl = "d" if s.endswith(self.dcom) else "p" if s.endswith(self.pcom) else None
        if lvl and r.random() < p_name:
            name = {"p": self.prov, "d": self.dist, "c": self.comm}.get(lvl) or self.pick(gaz("communes"))
            redundant = lvl == "d" and s.endswith(self.dcom) and r.random() < 0.1  # decision (q)
            s += f" {self.dunit} {name}" if redundant else f" {name}"
        if r.random() < 0.06:  # odd capitalisation of the unit word and "ủy" is kept as written
            s = re.sub(r" (huyện|tỉnh|xã|quận|phường)(?=$| [A-ZĐÂĂÊÔƠƯ])", lambda m: m[0].title(), s, count=1)
            s = s.replace(" ủy", " Ủy", 1)
        return s

    def title(self, level: str = "", p_name: float = 0.3, kind: str = "") -> str:
        """One complete title; ``kind`` is member, party, state or other (random if empty)."""
        r = self.r
        if level == "v":
            return self.loc(r.choice(VILLAGE), p_name)
        level = level or r.choice("ddddpc")
        kind = kind or r.choice(["member", "party", "party", "state", "state", "other", "other"])
        pool = [x for x in gaz("titles") if _kind(x) == kind and (kind != "other" or _level(x) in (level, "") and (level == "c" or x not in VILLAGE))
                and (kind != "party" or level != "c" or "Bí thư" in x) and (kind != "member" or x.startswith(MEMBERS[level]))]
        t = r.choice(pool)
        if kind == "state":
            organs = [o for o in gaz("organs") if STATE_ORGAN_RE.match(o) and o.endswith(UNIT[level])]
            return t + " " + self.loc(r.choice(organs), p_name)
        if PARTY_RE.match(t):
            return t + " " + self.loc({"p": "Tỉnh ủy", "d": "Huyện ủy", "c": "Đảng ủy xã"}[level], p_name)
        if "Hiệu trưởng" in t and r.random() < 0.5:
            return f"{t} Trường {r.choice(['THCS', 'Tiểu học', 'THPT', 'Mầm non'])} {r.choice(gaz('communes'))}"
        return self.loc(t, p_name)

    def titles(self, k: int, level: str = "") -> list[str]:
        """The k titles of one official, in a plausible order; a locality name mostly on the last."""
        level = level or self.pick("ddddpc")
        kinds = self.pick(CHAINS[k]) if k > 1 else ("",)
        return [self.title(level, 0.35 if j == k - 1 else 0.1, kd) for j, kd in enumerate(kinds)]

    def name(self) -> str:
        r, k = self.r, self.r.choices([0, 1, 2], [1, 8, 2])[0]
        mid = r.sample(gaz("middle_names"), k)
        mid = [r.choice(["Thị", "Văn", "Đức", "Ngọc"]), r.choice(["Thu", "Minh", "Thanh", "Hồng"])] if k == 2 else mid
        self.gender = "f" if FEMALE & set(mid) else "m" if MALE & set(mid) else ""
        return " ".join([r.choice(gaz("surnames")), *mid, r.choice(gaz("given_names"))])

    def metric(self, kind: str, arg: str = "") -> None:
        r = self.r
        lo, hi = map(float, arg.split("-")) if "-" in arg else (0, 0)
        if kind == "pct":
            a = r.randint(1, 8)
            s = f"{a}{r.choice([' - ', '-'])}{a + r.randint(1, 3)}%" if r.random() < 0.1 else f"{fnum(r, lo or 0.3, hi or 99.9, r.choice([0, 1, 1, 2]))}%"
        elif kind == "money":  # arg: a range in tỷ đồng
            s = f"{fnum(r, lo or 1, hi or 9999, r.choice([0, 1, 2]))} tỷ đồng" if arg or r.random() < 0.8 else f"{fnum(r, 20, 990)} triệu đồng"
        elif kind in ("area", "len", "mult", "yield", "income", "perha"):
            lo, hi, dec, unit = {"area": (lo or 5, hi or 9000, r.choice([0, 0, 1, 2]), r.choice([" ha", " ha", "ha"])),
                                 "len": (lo or 1, hi or 400, r.choice([0, 1]), " km"), "mult": (1.1, 5, 1, " lần"),
                                 "yield": (55, 72, 1, " tạ/ha"), "perha": (90, 400, 0, " triệu đồng/ha"),
                                 "income": (38, 95, 1, r.choice([" triệu đồng/người/năm"] * 3 + [" triệu đồng/ người/năm"]))}[kind]
            s = fnum(r, lo, hi, dec) + unit
        elif kind in ("ratio", "frac"):
            b = r.randint(5, 40)
            noun = "" if kind == "frac" else " " + (arg or r.choice(["xã", "chỉ tiêu", "thôn", "trường học", "tiêu chí"]))
            s = f"{r.randint(b // 2, b)}/{b}{noun}"
        else:  # a count "{M:noun:lo-hi}": the number and its head noun only (§3.5); "k noun" counts a list
            n = self.k if kind.startswith("k ") else r.randint(int(lo or 1), int(hi or 4000))
            s = f"{'0' if n < 10 and r.random() < 0.4 else ''}{fnum(r, n, n)} {kind.removeprefix('k ')}"
        self.e("METRIC", s)

    def slot(self, body: str) -> None:
        r = self.r
        key, *a = body.split(":")
        a += [""] * 4
        if key in ("P", "Pc", "p", "pen"):
            name = self.name() if key != "pen" else f"{self.pick(gaz('middle_names'))} {self.pick(gaz('given_names'))}"
            if key in ("P", "Pc"):
                h = self.pick({"f": ["bà", "đồng chí"], "m": ["ông", "đồng chí"]}.get(self.gender, ["đồng chí"]))
                self.w((h.capitalize() if key == "Pc" else h) + " ")
            self.e("PERSON", name)
        elif key in ("T<", "T>", "t"):
            self.e("POSITION", self.title(a[0], float(a[1] or 0.3), a[2]), {"T<": self.cur, "T>": None}.get(key, -1))
        elif key == "T*":  # apposition: ", POS, POS" (or " - POS, POS") after the current person
            lo, _, hi = (a[0] or "1-3").partition("-")
            for j, t in enumerate(self.titles(r.randint(int(lo), int(hi or lo)), a[2])):
                self.w(self.pick([" - ", " – "]) if a[1] == "-" and j == 0 else ", ")
                self.e("POSITION", t, self.cur)
        elif key == "B":  # titles before the name: "POS, POS <next person>"
            for j, t in enumerate(self.titles(r.randint(*map(int, (a[0] or "1-2").split("-"))), a[1])):
                self.w(", " if j else "")
                self.e("POSITION", t, None)
        elif key == "O":
            lv, prefixes = a[0] and self.pick(a[0]), tuple(a[1].split(","))
            organs = [o for o in gaz("organs") if (not lv or _level(o) == lv) and o.startswith(prefixes)]
            self.e("ORG", self.loc(self.pick(organs), float(a[2] or 0.4)))
        elif key in ("L", "Lc"):
            unit = {"p": self.punit, "d": self.dunit, "c": self.cunit}[a[0]]
            self.w((unit[0].upper() + unit[1:] if key == "Lc" else unit) + " ")
            self.e("LOCATION", {"p": self.prov, "d": self.dist, "c": self.comm}[a[0]])
        elif key == "LOCS":  # one span per name (§3.4)
            for j, name in enumerate(r.sample(gaz("communes"), self.k)):
                self.w("" if j == 0 else " và " if j == self.k - 1 and r.random() < 0.3 else ", ")
                self.e("LOCATION", name)
        elif key in ("M", "M~"):
            self.w(self.pick(APPROX) if key == "M~" else "")
            self.metric(a[0] or self.pick(["pct", "pct", "money", "area", "ratio", "len"]), a[1])
        elif key in ("E", "E<"):
            self.e(a[0], self.sub(self.pick(a[1].split("|"))), self.cur if key == "E<" else -1)
        elif key == "n":
            self.w(str(r.randint(*map(int, a[0].split("-")))))
        elif key == "WHEN":
            d, m = r.randint(1, 28), r.randint(1, 12)
            self.w(self.pick([f"Sáng {d}/{m}", f"Chiều {d}/{m}", f"Ngày {d}/{m}", f"Ngày {d}/{m}/{self.y}"]))
        elif key == "EVENT":
            self.w(self.pick(EVENTS).format(y=self.y, k=r.randint(2, 30), t=self.y - 1947))
        else:
            self.w(self.sub(self.pick(body.split("|"))))

    def render(self, template: str) -> None:
        pos = 0
        for m in SLOT.finditer(template):
            self.w(self.sub(template[pos : m.start()]))
            self.slot(m[1])
            pos = m.end()
        self.w(self.sub(template[pos:]))


TEMPLATES: list[str | tuple[str, ...]] = [
    "{WHEN}, {O:d:Huyện ủy,Ban Thường vụ,UBND,HĐND,Ủy ban MTTQ,Đảng ủy:0.7} tổ chức {EVENT}.",
    "{WHEN}, tại trụ sở {O:d:UBND:0.3}, {O:d:Huyện ủy,Ban Thường vụ,Thường trực:0.5} đã tổ chức {EVENT}.",
    ("{Pc}{T*} chủ trì hội nghị.", "{Pc}{T*} {chủ trì buổi làm việc.|dự và chỉ đạo hội nghị.|phát biểu khai mạc hội nghị}"),
    "Phát biểu {chỉ đạo|kết luận} tại hội nghị, {P}{T*:2-3} {ghi nhận|biểu dương} những kết quả mà {O:d:Đảng bộ,Huyện ủy,UBND:0.3} đạt được trong năm @y.",
    "{B} {p} cho biết, năm @y toàn @d đã giải ngân {M:money:50-900} vốn đầu tư công, đạt {M:pct:40-120} kế hoạch.",
    "{B:2-2} {p} {phát biểu tại buổi làm việc|trao quà cho các gia đình chính sách.|kiểm tra công tác phòng, chống thiên tai.}",
    ("{Dự hội nghị có các đồng chí: |Tham dự có các đồng chí |Cùng dự có: }{p}{T*:1-2}; {p}{T*:1-2}{.|; đại diện lãnh đạo các ban, ngành, đoàn thể @d.}",  # ";" lists
     "{Dự hội nghị có các đồng chí: |Cùng dự có: }{p}{T*:1-2}; {p}{T*:1-2}; {p}{T*:1-2}{.|, cùng các đại biểu là cán bộ, đảng viên.}",
     "Cùng dự có các đồng chí: {p}{T*:2}; {p}{T*:1}; {p}{T*:1}; {p}{T*:1-2}."),
    "{Pc}{T*:1-2:-} {phát biểu tại hội nghị|trao Giấy khen cho các tập thể có thành tích xuất sắc.|kiểm tra tiến độ thi công công trình.}",
    "Theo {P} ({T<:c}), năm @y toàn xã có {M:hộ dân:20-900} tham gia mô hình sản xuất lúa hữu cơ với diện tích {M~:area}.",
    "Tại buổi làm việc, {B:1-2:d} {p} đề nghị {O:d:UBND,Phòng,Ban:0.3} tập trung chỉ đạo hoàn thành các chỉ tiêu năm @y.",
    "{O:d:HĐND,Hội đồng,Ban Chấp hành,Ban Thường vụ:0.5} đã {tiến hành bầu bổ sung chức danh|thống nhất giới thiệu nhân sự cho chức danh} {t:d} nhiệm kỳ 2021 - 2026.",
    ("{Pc}, {nguyên |}{T<} được {bầu giữ chức|điều động, bổ nhiệm giữ chức|điều động, phân công giữ chức} {T<}.", "{Pc} (sinh năm {n:1965-1985}), {T<}, được {bầu giữ chức|giới thiệu ứng cử} {T<} nhiệm kỳ @y - @Y."),
    "{Pc}, nguyên {T<}, hiện là {T<}, đã về thăm, tặng quà các gia đình chính sách tại {L:c}.",
    ("Tham dự hội nghị có các đồng chí Bí thư, {E:POSITION:Phó Bí thư Đảng ủy}; Chủ tịch, {E:POSITION:Phó Chủ tịch UBND xã}, thị trấn trên địa bàn @d.",  # (m): only complete titles
     "Tham dự hội nghị có các đồng chí {E:POSITION:Chủ tịch UBND xã}, thị trấn; {E:POSITION:Phó Chủ tịch HĐND}, UBND các phường trên địa bàn.",
     "{E:ORG:Ban Thường vụ @D} đã phân công các đồng chí {E:POSITION:Ủy viên Ban Chấp hành}, Ban Thường vụ phụ trách từng địa bàn cụ thể."),
    "Toàn huyện có {M:frac} {E:POSITION:Bí thư Đảng ủy|Bí thư Đảng ủy xã|Chủ tịch UBND xã|Bí thư Chi bộ} {không phải là người địa phương.|được đào tạo trình độ cao cấp lý luận chính trị.}",
    "{Năm @y|Trong 6 tháng đầu năm @y|Năm qua}, tổng giá trị sản xuất trên địa bàn ước đạt {M:money:2000-60000}, tăng {M:pct:2-25} so với cùng kỳ.",
    "Đến nay, toàn @d có {M:ratio:xã} đạt chuẩn nông thôn mới, {M:xã:1-9} đạt chuẩn nông thôn mới nâng cao; {L:c} đạt chuẩn nông thôn mới kiểu mẫu.",
    "Thu ngân sách nhà nước năm @y đạt {M:money:100-3000}, bằng {M:pct:80-190} dự toán {tỉnh|huyện|thành phố} giao.",
    "Số hộ thoát nghèo trong năm là {M:hộ:30-600}, đưa tỷ lệ nghèo đa chiều của địa phương về mức {M:pct:0.5-5}; mỗi người dân có thu nhập khoảng {M:income}.",
    "Nhiệm kỳ 2020 - 2025, {O:d:Đảng bộ:0.6} đã kết nạp {M:đảng viên:50-1500} mới, đạt {M:pct:80-160} chỉ tiêu Nghị quyết Đại hội {O:d:Đảng bộ:0} lần thứ {XX|XXI|XXII|XXIII|XXIV|XXV|XXVI} đề ra.",
    "Huyện đã đầu tư nâng cấp {M~:len} đường giao thông nông thôn, hoàn thành tuyến đường {E:LOCATION:@r} đoạn qua {L:c} với tổng mức đầu tư {M~:money:20-900}.",
    "{WHEN}, {E:ORG:UBND @d} đã khởi công dự án mở rộng tuyến đường {E:LOCATION:@s} với chiều dài {M:len:1-15}, dự kiến hoàn thành trong @i năm.",
    "Vụ Xuân năm @y, diện tích gieo cấy lúa đạt {M:area}, năng suất bình quân {M:yield}, giá trị thu hoạch đạt {M:perha}.",
    "Toàn huyện có {M:sản phẩm:12-60} OCOP, trong đó {M:sản phẩm:1-9} đạt {3|4|5} sao, xếp hạng Nhì toàn tỉnh.",
    "Đoàn công tác đã kiểm tra mô hình trồng cây ăn quả tại thôn {E:LOCATION:@c}, {L:c}, {L:d}, {L:p}.",
    "{Lễ ra quân được tổ chức tại|Mô hình được triển khai tại|Hội thi diễn ra tại} {L:c}, {L:d}.",
    "Năm @y, huyện phấn đấu có thêm {M:k xã} đạt chuẩn nông thôn mới nâng cao ({LOCS}).",
    "Sau @i năm thực hiện Nghị quyết số {n:10-60}-NQ/TW của {O::Ban Chấp hành Trung ương,Bộ Chính trị,Ban Bí thư} khóa {XI|XII|XIII}, {O:d:Huyện ủy,Ban Thường vụ:0.4} đã ban hành nhiều văn bản lãnh đạo, chỉ đạo.",
    "Kỷ niệm @a năm Ngày thành lập {E:ORG:Đảng Cộng sản Việt Nam} (3/2/1930 - 3/2/@y), {O:d:Huyện ủy:0.5} tổ chức trao Huy hiệu {30|40|50|60} năm tuổi {E:ORG:Đảng} cho {M:đảng viên:20-300}.",
    "Hội nghị được tổ chức trực tuyến đến {M:điểm cầu:5-40} với sự tham gia của {M:đại biểu:100-3000} là cán bộ, đảng viên, công chức và Nhân dân trên địa bàn.",
    "Về công tác {E:ORG:Đảng}, {O:d:Huyện ủy,Ban Thường vụ:0.3} chú trọng củng cố chi bộ thôn, bản; kết quả đánh giá cuối năm có {M:pct:60-100} chi bộ được xếp loại tốt.",
    ("{Dưới sự lãnh đạo của|Nhờ sự chỉ đạo của} {E:ORG:@D}{ - |- |, }{E:ORG:HĐND}{ - |- |, }{E:ORG:UBND @d}, năm @y kinh tế của @d tăng trưởng {M:pct:3-20}.",  # (c)
     "Dưới sự điều hành của {E:ORG:HĐND}{, | }{E:ORG:UBND @d}, năm @y huyện đã thu hút {M:doanh nghiệp:5-90} đầu tư mới."),
    "Với sự chỉ đạo sát sao của {E:ORG:@l}, sự vào cuộc của chính quyền các cấp, kết quả thực hiện chương trình được {tỉnh|thành phố|huyện} đánh giá cao.",
    "{Pc}{T*:1-2} trao Bằng khen của {E:POSITION:Chủ tịch UBND @p|Chủ tịch UBND @p @N|Chủ tịch Ủy ban nhân dân @p} cho {M:tập thể:3-40} và {M:cá nhân:2-90} có thành tích xuất sắc.",
    ("{pen}", "{pen} - {pen}", "Tin, ảnh: {pen}", "{p}", "Theo {E:ORG:Cổng TTĐT @d @n}", "{pen} ({E:ORG:Trung tâm Văn hóa - Thông tin và Thể thao @d @n})"),
    "{Pc}, {E<:POSITION:Chủ tịch UBND @d @n|Phó Chủ tịch UBND @d @n|Bí thư @D @n|Chủ tịch HĐND @d @n}, @p {E:LOCATION:@N} cho biết địa phương đang tập trung giải phóng mặt bằng các dự án trọng điểm.",
    "Theo báo cáo của {O:d:UBND,Phòng,Ủy ban nhân dân:0.3}, năm @y toàn @d có {M:hộ dân:30-2000} được hỗ trợ xây mới, sửa chữa nhà ở với tổng kinh phí {M~:money:2-90}.",
    "{WHEN}, đoàn công tác của {O:p:Tỉnh ủy,Thành ủy,UBND,Ban,HĐND:0.5} do {P}{T*:1::p} làm trưởng đoàn đã làm việc với {O:d:Ban Thường vụ,Huyện ủy,UBND:0.6}.",
    "Theo {P}{T*:1::c}, trong {6 tháng đầu năm|9 tháng năm|năm} @y, toàn xã đã hỗ trợ {M:hộ nghèo:10-300} vay vốn phát triển sản xuất với số tiền {M~:money:1-30}.",
    "{Pc}, {T<:v:0.6}, năm nay {n:50-75} tuổi, phấn khởi cho biết bà con đã hiến {M:m2:200-9000} đất để làm đường.",
    "Năm học @z - @y, {E:ORG:Trường THCS @c|Trường Tiểu học @c|Trường THPT @c} có {M:pct} học sinh đạt danh hiệu học sinh giỏi, {M:học sinh:3-120} đạt giải cấp tỉnh.",
    "Dự hội nghị có các {E:POSITION:Ủy viên Ban Thường vụ @D}, {E:POSITION:Trưởng các Ban HĐND @d} và {E:POSITION:Phó các phòng} của {E:ORG:UBND @d}.",
    "{T>:d} {p} và {T>:d} {p} {đồng chủ trì hội nghị.|trao quyết định cho các cán bộ được điều động.}",
    "{Pc}{T*:1::d} đã trao quyết định điều động {P} giữ chức {T<:d} kể từ ngày {n:1-28}/{n:1-12}/@y.",
    "{Quang cảnh hội nghị.|Các đại biểu dự hội nghị.|Đại biểu biểu quyết thông qua nghị quyết|Lãnh đạo huyện trao quà cho người có công.|Các cấp ủy đảng, chính quyền từ huyện đến cơ sở tập trung lãnh đạo, chỉ đạo quyết liệt.}",
    "{WHEN}, {B:1-2:d} {p} đã kiểm tra tiến độ xây dựng {E:LOCATION:Khu công nghiệp @c|Cụm công nghiệp @c|Khu du lịch @c} và chợ {E:LOCATION:@c}, quy mô {M:area}.",
    "Đại hội đã bầu {E:ORG:Ban Chấp hành Đảng bộ @d} khóa mới gồm {M:đồng chí:15-45}; {P} tái đắc cử {T<:d:0:party} nhiệm kỳ @y - @Y.",
    "{Cùng dự có|Chủ trì hội nghị có|Tiếp đoàn có} {P}{T*:2-3}.",
    "{Lc:c} {đạt chuẩn nông thôn mới nâng cao năm @y|là địa phương dẫn đầu @d về thu ngân sách}, với {M:pct:85-100} hộ dân sử dụng nước sạch.",
    "Để làm đường và nhà văn hóa, bà con đã góp {M~:money:20-290} và tự nguyện nhường {M:area} đất; ngân sách các cấp bố trí thêm {M~:money:300-9000}.",
    "Năm @y, người lao động có việc làm ổn định tăng lên, {M:pct:50-90} đã qua đào tạo nghề, mức sống bình quân vào khoảng {M:income}.",
    "Gia đình {anh|chị} {p} ở {L:c} được hỗ trợ {M:triệu đồng:30-80} để xây nhà mới sau @i năm chờ đợi.",
    "{Pc}{T*:1-2} đề nghị {O:d:UBND,Phòng,Trung tâm,Công an:0.3} phối hợp {O:p:Sở:0.5} sớm tháo gỡ vướng mắc, bảo đảm tiến độ {M:pct:60-100} khối lượng công việc.",
    "Năm @y, toàn @d thành lập mới {M:doanh nghiệp:20-150}, {M:hợp tác xã:2-15}; giải quyết việc làm cho {M~:lao động:500-5000}.",
    "Đến nay, {M~:thôn:40-400}, xóm trên địa bàn có nhà văn hóa đạt chuẩn; {M:pct:90-100} hộ dân được sử dụng nước sạch.",  # (g)
    "Năm @y, {O:d:Đảng bộ,Huyện ủy,Đảng ủy Khối:0.3} đã thành lập mới {M:chi bộ:2-9} trực thuộc, kết nạp {M:đảng viên:20-300} mới, đạt {M:pct:100-150} kế hoạch.",
]


def sentence(template: str | tuple[str, ...], r: random.Random, idx: int = 0) -> Document:
    """Compose one sentence from a template (a variant is picked from a tuple) and check it."""
    s = _S(r)
    s.render(template if isinstance(template, str) else r.choice(template))
    text = "".join(s.parts)
    doc = Document(text=text, entities=s.ents, relations=s.rels, id=f"synth-{idx + 1:05d}", meta={"doc": "synth"})
    problems = validate_record(doc.to_gold_dict())
    if problems or s.pending:
        raise ValueError(f"synth made an invalid record ({problems or 'unlinked title'}): {text}")
    return doc


def generate(n: int, seed: int = 0) -> list[Document]:
    """``n`` annotated synthetic sentences; the same seed gives the same sentences."""
    r = random.Random(seed)
    return [sentence(r.choice(TEMPLATES), r, i) for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m canbo.train.synth", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500, help="number of sentences")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, help="gold JSONL file to write")
    args = ap.parse_args(argv)
    write_jsonl(docs := generate(args.n, args.seed), args.out)
    print(f"wrote {len(docs)} sentences to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
