"""Headlines in capitals are read in ordinary case, with offsets unchanged."""

from __future__ import annotations

import pytest

from canbo.model.casing import is_shouted, recase


@pytest.mark.parametrize(
    "shouted, ordinary",
    [
        ("HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ XÃ LŨNG CÚ LẦN THỨ 15", "Hội nghị Ban chấp hành Đảng bộ xã Lũng Cú lần thứ 15"),
        ("ĐỒNG CHÍ NGUYỄN VĂN AN, BÍ THƯ HUYỆN ỦY YÊN LẠC THĂM TỈNH HÀ GIANG",
         "Đồng chí Nguyễn Văn An, Bí thư Huyện ủy Yên Lạc thăm tỉnh Hà Giang"),
        ("PHÓ CHỦ TỊCH UBND TỈNH LÀM VIỆC TẠI HUYỆN MƯỜNG TÈ", "Phó Chủ tịch UBND tỉnh làm việc tại huyện Mường Tè"),
        ("TỔ CHỨC HỘI NGHỊ TỔNG KẾT NĂM 2023", "Tổ chức hội nghị tổng kết năm 2023"),
    ],
)
def test_recase_writes_ordinary_case_of_the_same_length(shouted, ordinary):
    assert recase(shouted) == ordinary and len(recase(shouted)) == len(shouted)


def test_only_shouted_lines_are_recased():
    assert is_shouted("TỔ CHỨC HỘI NGHỊ TỔNG KẾT NĂM 2023")
    assert not is_shouted("Huyện ủy Thủy Nguyên tổ chức Hội nghị lần thứ 13")
    assert not is_shouted("UBND HĐND")  # too short to be a headline


def test_shouted_headline_gives_the_entities_of_its_ordinary_case():
    from canbo.model import load

    pipe = load()
    shouted = "ĐỒNG CHÍ NGUYỄN VĂN AN, BÍ THƯ HUYỆN ỦY YÊN LẠC THĂM TỈNH HÀ GIANG"
    got = pipe.predict(shouted)
    want = pipe.predict(recase(shouted))
    assert [(e.start, e.end, e.label) for e in got.entities] == [(e.start, e.end, e.label) for e in want.entities]
    assert all(shouted[e.start : e.end] == e.text for e in got.entities)
    assert ("PERSON", "NGUYỄN VĂN AN") in {(e.label, e.text) for e in got.entities}
