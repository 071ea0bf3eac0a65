"""Rule tags and word shapes as model input: word-level mapping and models that consume them."""

import pytest

from canbo.model.features import rule_edges, rule_spans, rule_word_tags, shape_ids, word_shape
from canbo.model.labels import bio_tags
from canbo.model.schema import Entity
from canbo.model.text import Span, refine_at_boundaries, segment_words

TAG_IDS = {t: i for i, t in enumerate(bio_tags())}
NAMES = {i: t for t, i in TAG_IDS.items()}


def test_rule_tags_follow_rule_spans_over_words():
    text = "Chủ tịch UBND huyện Lê Văn Tâm cho biết thu ngân sách đạt 215 tỷ đồng."
    words = segment_words(text)
    tags = [NAMES[i] for i in rule_word_tags(words, rule_spans(text), TAG_IDS)]
    by_word = {text[w.start : w.end]: t for w, t in zip(words, tags)}
    assert by_word["Chủ tịch"] == "B-POSITION"
    assert by_word["Lê Văn Tâm"] == "B-PERSON"
    assert by_word["215"] == "B-METRIC"
    assert by_word["cho"] == "O"
    for prev, cur in zip(tags, tags[1:]):
        assert not (cur.startswith("I-") and prev[2:] != cur[2:])


def test_rule_spans_have_offsets_into_a_longer_text():
    text = "Tin mới. Bí thư Huyện ủy Đỗ Minh Hải phát biểu."
    start = text.index("Bí thư")
    found = rule_spans(text, start, len(text))
    assert all(text[e.start : e.end] == e.text and e.start >= start for e in found)
    words = segment_words(text, start, len(text))
    tags = rule_word_tags(words, found, TAG_IDS)
    assert NAMES[tags[0]] == "B-POSITION" and len(tags) == len(words)


def test_a_word_straddling_a_rule_edge_keeps_the_tag_once_cut_there():
    # the segmenter's word "Phương Nam" runs past the rule span "Phương": uncut it gets no tag
    text = "xã Đông Phương Nam"
    words = [Span(0, 2), Span(3, 7), Span(8, 18)]
    spans = [Entity(3, 14, "LOCATION", "Đông Phương")]
    assert [NAMES[t] for t in rule_word_tags(words, spans, TAG_IDS)] == ["O", "B-LOCATION", "O"]
    cut, n = refine_at_boundaries(words, text, rule_edges(spans))
    assert n == 1 and [text[w.start : w.end] for w in cut] == ["xã", "Đông", "Phương", "Nam"]
    assert [NAMES[t] for t in rule_word_tags(cut, spans, TAG_IDS)] == ["O", "B-LOCATION", "I-LOCATION", "O"]


@pytest.mark.parametrize(
    "word, first, shape",
    [
        ("Nguyễn Văn Thép", False, "Xxx_Xxx_Xxx"),
        ("Huyện_ủy", False, "Xxx_xx"),
        ("UBND", False, "XX"),
        ("2.962,29", False, "d.dd,dd"),
        ("17,2%", False, "dd,d%"),
        ("Vì", True, "^Xx"),
        ("ước đạt", False, "xx_xx"),
        ("Ð", False, "X"),  # U+00D0 is a capital letter like Đ
    ],
)
def test_word_shape(word, first, shape):
    assert word_shape(word, first=first) == shape


def test_word_shape_is_the_same_for_nfd_and_nfc():
    import unicodedata

    w = "Thụy Nguyên"
    assert word_shape(unicodedata.normalize("NFD", w)) == word_shape(w) == "Xxx_Xxx"


def test_shape_ids_are_stable_and_mark_the_first_word():
    text = "Vì Vì vậy"
    words = [Span(0, 2), Span(3, 5), Span(6, 9)]
    ids = shape_ids(text, words)
    assert ids[0] != ids[1]  # same shape, but the first word is marked
    assert all(1 <= i <= 1024 for i in ids)
    assert ids == [251, 174, 16]  # crc32 of "^Xx", "Xx", "xx": the ids in saved models never change


def test_unit_names_are_marked_whatever_the_tone_placement_and_only_when_capitalised():
    from canbo.model.features import unit_name_tags

    text = "Nhân dân Kiến Thuỵ và kiến thụy, xã Hùng Tiến, ông Nguyễn Văn Thép."
    words = [Span(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", text)]
    tags = dict(zip((text[w.start : w.end] for w in words), unit_name_tags(text, words)))
    assert tags["Kiến"] == ":B" and tags["Thuỵ"] == ":I"  # a district, written with the old tone placement
    assert tags["kiến"] == tags["thụy"] == ""  # not capitalised: not a name
    assert tags["Hùng"] == ":B" and tags["Tiến"] == ":I"
    assert tags["Nguyễn"] == tags["Văn"] == tags["Thép"] == ""


def test_the_gazetteer_mark_changes_the_shape_id_of_a_unit_name_only():
    text = "Ở Kiến Thuỵ"
    words = [Span(0, 1), Span(2, 11)]
    plain, marked = shape_ids(text, words), shape_ids(text, words, gazetteer=True)
    assert plain[0] == marked[0] and plain[1] != marked[1]


def test_gazetteer_features_need_char_features():
    from canbo.train.config import ModelConfig

    with pytest.raises(ValueError, match="char_features"):
        ModelConfig(backbone="tiny", gazetteer_features=True)


@pytest.mark.slow
@pytest.mark.parametrize("rules, chars", [(True, False), (False, True), (True, True)])
def test_model_with_word_features_trains_saves_and_predicts(tmp_path, tiny_gold_path, rules, chars):
    from canbo.model.pipeline import load
    from canbo.train.config import DataConfig, ModelConfig, TrainConfig
    from canbo.train.trainer import run_training

    run_training(
        DataConfig(train=[str(tiny_gold_path)]),
        ModelConfig(backbone="tiny", tiny_hidden_size=32, tiny_layers=1, head_hidden_size=32, rule_features=rules,
                    char_features=chars, gazetteer_features=chars, modern_tone=rules and chars),
        TrainConfig(output_dir=str(tmp_path), epochs=2, batch_size=3, progress=False, relation_span_noise=0.5),
    )
    pipe = load(tmp_path)
    assert pipe.config.rule_features == rules and (pipe.model.rule_embedding is not None) == rules
    assert pipe.config.char_features == chars and (pipe.model.shape_embedding is not None) == chars
    assert pipe.config.gazetteer_features == chars
    assert pipe.config.modern_tone == pipe.encoder.modern_tone == (rules and chars)  # saved and read back
    assert (pipe.encoder.pieces("Thuỵ") == pipe.encoder.pieces("Thụy")) == (rules and chars)
    text = "Bí thư Huyện ủy Tam Nông Lê Minh Khoa phát biểu tại xã Hùng Tiến."
    doc = pipe.predict(text)
    assert all(doc.text[e.start : e.end] == e.text for e in doc.entities)
    # the plain-torch twin runs the same word features with the same weights
    other = load(tmp_path, backend="transformers" if pipe.backend == "torch" else "torch").predict(text)
    assert [(e.start, e.end, e.label) for e in other.entities] == [(e.start, e.end, e.label) for e in doc.entities]
    assert [e.score for e in other.entities] == pytest.approx([e.score for e in doc.entities], abs=1e-4)


def test_span_noise_moves_one_edge_and_adds_false_spans_off_gold():
    from canbo.train.dataset import SpanNoise

    gold = [(0, 2, "PERSON", 0), (5, 7, "POSITION", 1)]
    extra = SpanNoise(1.0, seed=3).sample(gold, 12, {(0, 2), (5, 7)})
    moved = [sp for sp in extra if sp[3] >= 0]
    false = [sp for sp in extra if sp[3] < 0]
    assert len(moved) == 2 and len(false) <= 1
    for s, t, label, k in moved:  # same mention, same label, exactly one edge off by one word
        gs, gt, glabel, _ = gold[k]
        assert label == glabel and abs(s - gs) + abs(t - gt) == 1
    for s, t, _, _ in false:
        assert not set(range(s, t + 1)) & {0, 1, 2, 5, 6, 7}
    assert SpanNoise(0.0).sample(gold, 12, {(0, 2), (5, 7)}) == []


def test_perturbed_copies_of_related_spans_are_positive_pairs(monkeypatch):
    from canbo.model.encoding import WordEncoder
    from canbo.model.schema import Document, Relation
    from canbo.train.dataset import AlignmentReport, SpanNoise, document_features

    class Tok:  # one id per word is enough here
        bos_token_id, eos_token_id, pad_token_id, unk_token_id = 0, 2, 1, 3

        def tokenize(self, w):
            return [w]

        def convert_tokens_to_ids(self, toks):
            return [5 for _ in toks]

    text = "Ông Lê Văn Tâm , Bí thư Huyện ủy , phát biểu tại hội nghị hôm nay ."
    p, q = text.index("Lê"), text.index("Bí")
    doc = Document(text, [Entity(p, p + 10, "PERSON", "Lê Văn Tâm"), Entity(q, q + 15, "POSITION", "Bí thư Huyện ủy")],
                   [Relation(0, 1, "HAS_POSITION")])
    monkeypatch.setattr("canbo.model.text._underthesea_words", lambda s: s.split())  # whitespace words
    (f,) = document_features(doc, WordEncoder(Tok()), bio_tags(), ("PERSON", "POSITION"), AlignmentReport(),
                             span_noise=SpanNoise(1.0, seed=1))
    assert len(f["spans"]) > 2 and f["spans"][:2] == [(1, 3), (5, 8)]
    labels = dict(zip(map(tuple, f["pairs"]), f["pair_labels"]))
    assert labels[(0, 1)] == 1  # the gold pair
    assert sum(labels.values()) > 1  # a moved copy of the person or the title is still that official
