"""Sentence splitting, boilerplate and word offsets, with Vietnamese Unicode traps."""

import unicodedata

import pytest

from canbo.model.text import (
    AlignmentError,
    Span,
    align_tokens,
    is_boilerplate,
    refine_at_boundaries,
    segment_words,
    split_sentences,
)


def texts(text, spans):
    return [text[s.start : s.end] for s in spans]


def test_a_dotted_abbreviation_before_a_name_does_not_end_the_sentence():
    t = "Ông Lê Văn An, Phó Trưởng phòng Quản lý đô thị TP. Thủ Dầu Một phát biểu. Đoàn về Q. 1, PGS. TS. Bình đón."
    assert texts(t, split_sentences(t)) == [
        "Ông Lê Văn An, Phó Trưởng phòng Quản lý đô thị TP. Thủ Dầu Một phát biểu.",
        "Đoàn về Q. 1, PGS. TS. Bình đón.",
    ]
    t = "Huyện có 12 xã đạt chuẩn NTM. Trong năm có thêm 2 xã."  # an ordinary capitalised word still ends one
    assert len(split_sentences(t)) == 2


def test_split_sentences_basic_and_missing_space():
    t = "Huyện đạt 17,2%. Thu ngân sách 1.528 tỷ đồng.Năm nay TP.HCM tăng."
    assert texts(t, split_sentences(t)) == ["Huyện đạt 17,2%.", "Thu ngân sách 1.528 tỷ đồng.", "Năm nay TP.HCM tăng."]


def test_split_keeps_closing_quote_and_numbers():
    t = "Chủ đề năm là “Đoàn kết.” Sau đó 23/23 xã đạt chuẩn."
    assert texts(t, split_sentences(t)) == ["Chủ đề năm là “Đoàn kết.”", "Sau đó 23/23 xã đạt chuẩn."]


def test_boilerplate_lines_are_skipped_and_offsets_point_into_input():
    page = "image advertisement\nLượt xem: 44\n  Bí thư Huyện ủy phát biểu.  \nThống kê truy cập\n  • Hôm nay: 1\n"
    spans = split_sentences(page)
    assert texts(page, spans) == ["Bí thư Huyện ủy phát biểu."]
    assert page.index("Bí thư") == spans[0].start


@pytest.mark.parametrize("line", ["image advertisement", "Tin mới", "Thứ tư, 03/07/2024", "Trực tuyến: 194", "A- A A+ | Tăng tương phản"])
def test_is_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["Mai Chi", "Quang cảnh Hội nghị", "Huyện ủy tổ chức hội nghị lần thứ 13"])
def test_body_lines_are_not_boilerplate(line):
    assert not is_boilerplate(line)


def test_align_tokens_survives_tone_placement_and_nfd():
    text = unicodedata.normalize("NFD", "Huyện uỷ Kiến Thuỵ hoà")
    spans = align_tokens(text, ["Huyện ủy", "Kiến Thụy", "hòa"])
    assert texts(text, spans) == [unicodedata.normalize("NFD", w) for w in ("Huyện uỷ", "Kiến Thuỵ", "hoà")]


def test_align_tokens_handles_d_stroke_and_punctuation():
    text = "Đảng bộ, 17,2% (Đ)"
    spans = align_tokens(text, ["Đảng bộ", ",", "17,2", "%", "(", "Đ", ")"])
    assert texts(text, spans) == ["Đảng bộ", ",", "17,2", "%", "(", "Đ", ")"]


def test_align_tokens_fails_loudly_on_foreign_word():
    with pytest.raises(AlignmentError):
        align_tokens("Bí thư Huyện ủy", ["Bí thư", "Tỉnh ủy"])


def test_segment_words_offsets_are_exact_on_raw_text():
    text = "  Đồng chí Phạm Văn Thép, Thành ủy viên, Bí thư Huyện uỷ phát biểu."
    words = segment_words(text, 2, len(text))
    joined = [text[w.start : w.end] for w in words]
    assert "Phạm Văn Thép" in joined and "Huyện uỷ" in joined
    assert all(text[w.start : w.end].strip() == text[w.start : w.end] for w in words)


def test_segment_words_nfd_input_keeps_input_offsets():
    text = unicodedata.normalize("NFD", "Chủ tịch UBND huyện Trần Thu Hà")
    words = segment_words(text)
    assert unicodedata.normalize("NFC", text[words[-1].start : words[-1].end]) == "Trần Thu Hà"


def test_refine_at_boundaries_splits_and_counts():
    text = "Thành ủy viên"
    words, n = refine_at_boundaries([Span(0, 13)], text, [6])
    assert texts(text, words) == ["Thành", "ủy viên"] and n == 1


def test_long_sentences_are_cut_at_a_list_separator():
    from canbo.model.text import cut_long, split_sentences

    text = "Dự có: " + "; ".join(f"ông Lê Văn A{k}, Chủ tịch xã" for k in range(200)) + "."
    pieces = split_sentences(text, max_chars=500)
    assert len(pieces) > 1 and all(p.end - p.start <= 500 for p in pieces)
    assert all(text[p.end - 1] == ";" for p in pieces[:-1])
    assert "".join(text[p.start : p.end] for p in pieces).replace(" ", "") == text.replace(" ", "")
    assert cut_long("x" * 1200, Span(0, 1200), 500) == [Span(0, 500), Span(500, 1000), Span(1000, 1200)]
