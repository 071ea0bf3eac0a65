"""Words the segmenter rewrites still land on the input: look-alikes, its token map, every code point."""

from __future__ import annotations

import pytest

from canbo.model.text import AlignmentError, Span, align_tokens, align_words, segment_words


def texts(text, spans):
    return [text[s.start : s.end] for s in spans]


def test_rewritten_words_are_placed_on_the_original_letters():
    text = "Ông An làm nghành y ở Qui Nhơn."
    spans, skipped = align_words(text, ["Ông", "An", "làm", "ngành", "y", "ở", "Quy Nhơn", "."])
    assert texts(text, spans) == ["Ông", "An", "làm", "nghành", "y", "ở", "Qui Nhơn", "."] and skipped == []


def test_look_alike_eth_matches_d_with_stroke():
    text = "Ðồng chí Lê Ðức"
    assert texts(text, align_tokens(text, ["Đồng chí", "Lê", "Đức"])) == ["Ðồng chí", "Lê", "Ðức"]


def test_exact_mode_accepts_rewrites_but_refuses_to_lose_a_word():
    assert texts("làm nghành y", align_tokens("làm nghành y", ["làm", "ngành", "y"])) == ["làm", "nghành", "y"]
    with pytest.raises(AlignmentError, match="XYZ"):
        align_tokens("Ông An đến.", ["Ông", "XYZ", "đến", "."])


def test_a_word_with_nothing_in_common_is_skipped_and_reported():
    spans, skipped = align_words("Ông An đến.", ["Ông", "XYZ", "đến", "."])
    assert texts("Ông An đến.", spans) == ["Ông", "đến", "."] and skipped == ["XYZ"]


def test_segment_words_degrades_instead_of_raising():
    lost: list[str] = []
    words = segment_words("Ðồng chí Nguyễn Văn An, Bí thư.", skipped=lost)
    assert [w for w in words if isinstance(w, Span)] and lost == []


def _check(text):
    lost: list[str] = []
    words = segment_words(text, skipped=lost)
    prev = 0
    for w in words:
        assert prev <= w.start < w.end <= len(text)
        assert not text[w.start].isspace() and not text[w.end - 1].isspace()
        prev = w.end
    return lost


def test_fuzz_every_code_point_up_to_u2fff_never_fails():
    points = [chr(c) for c in range(0x20, 0x3000)]
    lost = []
    for i in range(0, len(points), 40):
        lost += _check(" ".join(f"Ông {c}An{c} về {c}" for c in points[i : i + 40]))
    assert len(lost) < 20  # a handful of compatibility characters the segmenter decomposes


def test_fuzz_the_segmenters_whole_token_map_never_fails():
    from underthesea.pipeline.text_normalize.text_normalizer import token_map

    keys = list(token_map)
    lost = []
    for i in range(0, len(keys), 30):
        lost += _check(" , ".join(f"ông {k} và {k.capitalize()} ở {k.upper()}" for k in keys[i : i + 30]) + ".")
    assert all(not any(ch.isalpha() for ch in w) for w in lost)  # at most punctuation is ever lost


def test_training_data_that_cannot_be_aligned_names_its_file_and_line(tmp_path, monkeypatch):
    import canbo.model.text as text_module
    from canbo.model.schema import read_jsonl
    from canbo.train.dataset import AlignmentReport, document_features

    f = tmp_path / "gold.jsonl"
    f.write_text('{"id": "a", "text": "Ðồng chí làm nghành y.", "entities": []}\n'
                 '{"id": "b", "text": "Ông An đến.", "entities": []}\n', encoding="utf-8")
    docs = read_jsonl(f)
    spans, _ = text_module.segment_at_spans(docs[0].text, [], exact=True)  # rewrites are fine in training data
    assert texts(docs[0].text, spans)[-3:] == ["nghành", "y", "."]
    monkeypatch.setattr(text_module, "_underthesea_words", lambda s: ["Ông", "XYZ", "đến", "."])
    with pytest.raises(AlignmentError, match=rf"{f}:2: cannot place word 'XYZ'"):
        document_features(docs[1], None, [], ("PERSON", "POSITION"), AlignmentReport())
