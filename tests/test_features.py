"""Rule tags as model input: word-level mapping and a model that consumes them."""

import pytest

from canbo.model.features import rule_word_tags
from canbo.model.labels import bio_tags
from canbo.model.text import segment_words

TAG_IDS = {t: i for i, t in enumerate(bio_tags())}
NAMES = {i: t for t, i in TAG_IDS.items()}


def test_rule_tags_follow_rule_spans_over_words():
    text = "Chủ tịch UBND huyện Lê Văn Tâm cho biết thu ngân sách đạt 215 tỷ đồng."
    words = segment_words(text)
    tags = [NAMES[i] for i in rule_word_tags(text, 0, len(text), words, TAG_IDS)]
    by_word = {text[w.start : w.end]: t for w, t in zip(words, tags)}
    assert by_word["Chủ tịch"] == "B-POSITION"
    assert by_word["Lê Văn Tâm"] == "B-PERSON"
    assert by_word["215"] == "B-METRIC"
    assert by_word["cho"] == "O"
    for prev, cur in zip(tags, tags[1:]):
        assert not (cur.startswith("I-") and prev[2:] != cur[2:])


def test_rule_tags_offsets_inside_a_longer_text():
    text = "Tin mới. Bí thư Huyện ủy Đỗ Minh Hải phát biểu."
    start = text.index("Bí thư")
    words = segment_words(text, start, len(text))
    tags = rule_word_tags(text, start, len(text), words, TAG_IDS)
    assert NAMES[tags[0]] == "B-POSITION" and len(tags) == len(words)


@pytest.mark.slow
def test_model_with_rule_features_trains_saves_and_predicts(tmp_path, tiny_gold_path):
    from canbo.model.pipeline import load
    from canbo.train.config import DataConfig, ModelConfig, TrainConfig
    from canbo.train.trainer import run_training

    run_training(
        DataConfig(train=[str(tiny_gold_path)]),
        ModelConfig(backbone="tiny", tiny_hidden_size=32, tiny_layers=1, head_hidden_size=32, rule_features=True),
        TrainConfig(output_dir=str(tmp_path), epochs=2, batch_size=3, progress=False),
    )
    pipe = load(tmp_path)
    assert pipe.config.rule_features and pipe.model.rule_embedding is not None
    doc = pipe.predict("Bí thư Huyện ủy Tam Nông Lê Minh Khoa phát biểu.")
    assert all(doc.text[e.start : e.end] == e.text for e in doc.entities)
