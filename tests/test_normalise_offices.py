"""Office decomposition and canonical keys (model.normalise.offices, model.normalise.keys)."""

import unicodedata

import pytest

from canbo.model.normalise.keys import fold, place_tone
from canbo.model.normalise.offices import canonical_spelling, decompose, infer
from canbo.model.normalise.places import resolve


@pytest.mark.parametrize(
    "a, b",
    [
        ("thủy", "thuỷ"),  # tone on u or on y
        ("Hòa Bình", "Hoà Bình"),
        ("khỏe", "khoẻ"),
        ("Huyện Ủy", "huyện uỷ"),
        ("Ðảng", "Đảng"),  # U+00D0 (eth) for U+0110
        (unicodedata.normalize("NFD", "Nguyễn Thủy"), "nguyễn thuỷ"),
        ("QUÝ", "quý"),
    ],
)
def test_fold_ignores_form_case_and_tone_placement(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_different_words_apart():
    assert fold("Thủy") != fold("Thùy")
    assert fold("huyện") != fold("huyền")


@pytest.mark.parametrize(
    "word, expected",
    [
        ("hòa", "hoà"),
        ("thủy", "thuỷ"),
        ("ngoài", "ngoài"),
        ("người", "người"),
        ("của", "của"),
        ("giữa", "giữa"),
        ("quý", "quý"),
        ("hoàn", "hoàn"),
        ("gì", "gì"),
    ],
)
def test_place_tone(word, expected):
    assert place_tone(word) == expected


def test_abbreviations_read_in_one_spelling():
    assert canonical_spelling("Chủ tịch Ủy ban nhân dân huyện") == "Chủ tịch UBND huyện"
    assert canonical_spelling("Chủ tịch Hội đồng nhân dân tỉnh") == "Chủ tịch HĐND tỉnh"
    assert canonical_spelling("Ủy viên BTV Huyện ủy") == "Ủy viên Ban Thường vụ Huyện ủy"
    assert canonical_spelling("Chủ tịch Ủy ban MTTQ Việt Nam huyện") == "Chủ tịch Ủy ban MTTQ huyện"
    assert canonical_spelling("Chủ tịch UBND TP.Hải Phòng") == "Chủ tịch UBND thành phố Hải Phòng"


def test_decompose_title_organ_level_locality():
    o = decompose("Phó Bí thư Thường trực Huyện ủy Thường Tín")
    assert (o.title, o.organ, o.level, o.locality) == (
        "Phó Bí thư Thường trực",
        "Huyện ủy",
        "district",
        "Thường Tín",
    )
    assert o.unit == "Thành phố Hà Nội > Huyện Thường Tín"
    assert not o.inferred

    o = decompose("Chủ tịch UBND huyện Kim Sơn")
    assert (o.title, o.organ, o.level, o.locality) == ("Chủ tịch", "UBND", "district", "Kim Sơn")
    assert o.unit == "Tỉnh Ninh Bình > Huyện Kim Sơn"

    o = decompose("Trưởng Ban Tuyên giáo Tỉnh ủy")
    assert (o.title, o.organ, o.level, o.locality) == ("Trưởng", "Ban Tuyên giáo Tỉnh ủy", "province", None)

    o = decompose("Chỉ huy trưởng Bộ CHQS tỉnh")
    assert (o.title, o.organ, o.level) == ("Chỉ huy trưởng", "Bộ Chỉ huy Quân sự", "province")

    o = decompose("Bí thư Đảng ủy xã Đông Phương")
    assert (o.title, o.organ, o.level, o.locality) == ("Bí thư", "Đảng ủy", "commune", "Đông Phương")

    o = decompose("Thành ủy viên")
    assert (o.title, o.organ) == ("Ủy viên", "Thành ủy")

    assert decompose("Đại biểu Quốc hội").level == "central"
    assert decompose("Chủ tịch HĐND TP Hà Nội").level == "province"


def test_office_key_survives_spellings():
    keys = {
        decompose(t).key
        for t in (
            "Chủ tịch UBND huyện Kim Sơn",
            "Chủ tịch Ủy ban nhân dân huyện Kim Sơn",
            "chủ tịch uỷ ban nhân dân huyện kim sơn",
            unicodedata.normalize("NFD", "CHỦ TỊCH UBND HUYỆN KIM SƠN"),
        )
    }
    assert keys == {"chủ tịch|ubnd|district|tỉnh ninh bình > huyện kim sơn"}
    assert decompose("Bí thư Huyện ủy").key == "bí thư|huyện uỷ|district|"
    assert decompose("Phó Bí thư Huyện ủy").key != decompose("Bí thư Huyện ủy").key


def test_locality_inferred_from_sentence_then_page_and_marked():
    sentence = [resolve("Thủy Nguyên", level="district")]
    o = infer(decompose("Bí thư Huyện ủy"), sentence)
    assert (o.locality, o.inferred, o.unit) == (
        "Thủy Nguyên",
        True,
        "Thành phố Hải Phòng > Thành phố Thủy Nguyên",
    )
    # a province does not fill a district office
    o = infer(decompose("Bí thư Huyện ủy"), [resolve("Hải Phòng")])
    assert o.locality is None and not o.inferred
    # a city's committee takes the province-level city of the page, not its district
    page = [resolve("Thủy Nguyên", level="district"), resolve("Hải Phòng")]
    o = infer(decompose("Thành ủy viên"), [], page)
    assert (o.locality, o.level, o.inferred) == ("Hải Phòng", "province", True)
    # an office of no known level takes nothing from the page alone
    assert infer(decompose("Bí thư Đảng ủy"), [], page).locality is None
    # a written locality is kept
    o = infer(decompose("Bí thư Huyện ủy Kiến Thụy"), sentence)
    assert (o.locality, o.inferred) == ("Kiến Thụy", False)
