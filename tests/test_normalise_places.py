"""Locality resolution on the gazetteer (model.normalise.places)."""

from canbo.model.normalise.places import resolve, strip_type, units_named


def test_strip_type():
    assert strip_type("huyện Kiến Thụy") == ("district", "Kiến Thụy")
    assert strip_type("Xã Đông Phương") == ("commune", "Đông Phương")
    assert strip_type("TP. Hà Nội") == (None, "Hà Nội")
    assert strip_type("thị trấn Phát Diệm") == ("commune", "Phát Diệm")
    assert strip_type("Kim Sơn") == (None, "Kim Sơn")


def test_unique_names_resolve_whatever_the_spelling():
    for text in ("Thủy Nguyên", "huyện Thuỷ Nguyên", "THỦY NGUYÊN"):
        p = resolve(text)
        assert p.unit is not None and p.unit.path == "Thành phố Hải Phòng > Thành phố Thủy Nguyên"
    assert resolve("TP Hà Nội").unit.path == "Thành phố Hà Nội"
    assert resolve("Phát Diệm").unit.path == "Tỉnh Ninh Bình > Huyện Kim Sơn > Thị trấn Phát Diệm"


def test_a_shared_commune_name_is_ambiguous_without_context():
    p = resolve("Đông Phương")
    assert p.unit is None and p.ambiguous and len(p.candidates) >= 2
    assert p.to_dict()["status"] == "ambiguous"


def test_context_district_resolves_a_shared_commune_name():
    p = resolve("Đông Phương", district="Huyện Kiến Thụy")
    assert p.unit.path == "Thành phố Hải Phòng > Huyện Kiến Thụy > Xã Đông Phương"


def test_context_province_resolves_a_district_over_its_namesake_communes():
    assert resolve("Kim Sơn").ambiguous
    assert resolve("Kim Sơn", province="Tỉnh Ninh Bình").unit.path == "Tỉnh Ninh Bình > Huyện Kim Sơn"


def test_no_guess_outside_the_page():
    # "Phù Ninh" on a Hải Phòng page: a commune of Thủy Nguyên merged away, not Phú Thọ's district
    p = resolve("Phù Ninh", province="Thành phố Hải Phòng", district="Thành phố Thủy Nguyên")
    assert p.unit is None and p.to_dict()["status"] == "outside the page's province"
    # a commune name found nowhere in the page's district is not guessed from the province
    p = resolve("Minh Tân", province="Thành phố Hải Phòng", district="Thành phố Thủy Nguyên")
    assert p.unit is None


def test_merged_units_keep_their_name_as_written():
    p = resolve("Lại Xuân")
    assert p.unit is None and p.text == "Lại Xuân" and p.to_dict()["status"] == "not found"


def test_level_word_filters_candidates():
    assert {u.level for u in units_named("Kim Sơn")} >= {"district", "commune"}
    p = resolve("xã Kim Sơn")
    assert all(u.level == "commune" for u in p.candidates) and p.ambiguous


def test_ho_chi_minh_city_aliases():
    for text in ("TP.HCM", "TP HCM", "TPHCM", "Thành phố Hồ Chí Minh"):
        assert resolve(text).unit.path == "Thành phố Hồ Chí Minh", text
