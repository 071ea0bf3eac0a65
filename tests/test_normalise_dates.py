"""Page and event dates (model.normalise.dates)."""

from canbo.model.normalise.dates import event_date, make_date, page_date

BODY = "Huyện ủy tổ chức hội nghị tổng kết công tác năm 2023 với sự tham dự của nhiều đại biểu."


def test_labelled_page_dates():
    assert page_date(f"Tin tức\nĐăng lúc: 05/01/2024\nTiêu đề bài viết\n{BODY}\n") == "2024-01-05"
    assert page_date(f"Cập nhật: 19/11/2020\n{BODY}\n") == "2020-11-19"


def test_the_article_date_beats_the_site_header_date():
    page = f"Huyện Kim Sơn\nThứ tư, 03/07/2024\nTiêu đề: trái ngọt sau nửa nhiệm kỳ\nThứ ba, 31/10/2023 271 lượt xem\n{BODY}\n"
    assert page_date(page) == "2023-10-31"


def test_published_beats_updated_and_today_is_never_the_page_date():
    assert page_date(f"Cập nhật: 19/11/2020\nĐăng lúc: 18/11/2020\n{BODY}\n") == "2020-11-18"
    assert page_date(f"Hôm nay: 03/07/2024\n{BODY}\n") is None


def test_page_without_date_lines():
    assert page_date(f"{BODY}\nChiều 12/12, hội nghị diễn ra.\n") is None


def test_event_dates_take_the_page_year():
    assert event_date("Chiều 12/12, Huyện ủy Thủy Nguyên tổ chức Hội nghị.", "2023-12-14") == "2023-12-12"
    assert event_date("Sáng 25/12, đoàn công tác làm việc.", "2024-01-05") == "2023-12-25"  # last year's
    assert event_date("Chiều 12/12, Huyện ủy tổ chức Hội nghị.", None) is None  # no year to give it
    assert event_date("ngày 5 tháng 1 năm 2024 khai mạc", None) == "2024-01-05"


def test_full_dates_and_what_is_not_a_date():
    assert event_date("Tổng thu tính đến ngày 22/12/2023 đạt 1.528 tỷ đồng.", None) == "2023-12-22"
    assert event_date("Huyện đạt 18/18 chỉ tiêu.", "2023-01-10") is None  # a fraction, not a date
    assert event_date("kỷ niệm 94 năm ngày thành lập Đảng 3/2/1930 - 3/2/2024", "2024-01-01") is None
    assert make_date(31, 2, 2024) is None
    assert make_date(5, 1, 24) == "2024-01-05"
