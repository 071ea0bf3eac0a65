"""METRIC parsing (model.normalise.figures): formats, scales, ranges, percentages, misuses."""

import pytest

from canbo.model.normalise.figures import parse_figure, parse_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2.962,29", 2962.29),
        ("1.528", 1528),
        ("17,2", 17.2),
        ("08", 8),
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),  # English thousands
        ("2,962.29", 2962.29),  # English order
        ("1.5", 1.5),  # an English decimal point: a thousands group has three digits
        ("1.23.456", None),
        ("12,34,5", None),
        ("1.234,5.6", None),
        ("12a", None),
    ],
)
def test_parse_number(text, expected):
    got = parse_number(text)
    assert (got is None and expected is None) or float(got) == expected


def test_money_with_scale():
    f = parse_figure("2.962,29 tỷ đồng")
    assert (f.value, f.unit, f.number, f.scale) == (2962290000000.0, "VND", 2962.29, 1e9)
    assert parse_figure("1.528 tỷ đồng").value == 1528e9
    assert parse_figure("khoảng 2 nghìn tỷ đồng").to_dict()["value"] == 2e12
    assert parse_figure("khoảng 2 nghìn tỷ đồng").qualifier == "about"


def test_per():
    f = parse_figure("57,2 triệu đồng/người/ năm")
    assert (f.value, f.unit, f.per) == (57200000.0, "VND", "person/year")


def test_percentages_are_ratios():
    assert parse_figure("17,2%").value == pytest.approx(0.172, abs=1e-12)
    assert parse_figure("17,2%").unit == "%"
    assert parse_figure("132%").value == pytest.approx(1.32, abs=1e-12)


def test_n_of_m():
    f = parse_figure("18/18 chỉ tiêu")
    assert (f.value, f.of, f.unit) == (18.0, 18.0, "target")


def test_ranges():
    f = parse_figure("120-150 triệu đồng/ha")
    assert (f.value, f.low, f.high, f.unit, f.per) == (None, 120e6, 150e6, "VND", "ha")
    f = parse_figure("3 - 4%")
    assert (f.low, f.high, f.unit) == (pytest.approx(0.03), pytest.approx(0.04), "%")


def test_units_and_counts():
    assert (parse_figure("150ha").value, parse_figure("150ha").unit) == (150.0, "ha")
    assert (parse_figure("2.700 hộ dân").value, parse_figure("2.700 hộ dân").unit) == (2700.0, "household")
    assert parse_figure("hơn 1.000 đảng viên").qualifier == "over"
    assert parse_figure("11 nhiệm vụ trọng tâm").unit == "nhiệm vụ trọng tâm"  # an unknown noun is kept


@pytest.mark.parametrize("text", ["hàng nghìn hộ", "1.23.456 đồng", "ĐT363", "mười hai xã", ""])
def test_unparseable_keeps_value_null(text):
    f = parse_figure(text)
    assert f.value is None and f.low is None and f.number is None
