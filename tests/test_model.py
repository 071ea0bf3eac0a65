"""Overfit-and-reload, the predict API and the hub error, on a tiny model."""

import json
import unicodedata

import pytest

from canbo.model.hub import ModelUnavailableError, resolve_model_path
from canbo.model.pipeline import load
from canbo.model.schema import read_jsonl


def keys(doc):
    ents = [(e.start, e.end, e.label) for e in doc.entities]
    rels = {(ents[r.head], ents[r.tail]) for r in doc.relations}
    return set(ents), rels


@pytest.mark.slow
def test_overfit_learns_fixture_exactly_and_reload_predicts_the_same(tiny_model_dir, tiny_gold_path):
    gold = read_jsonl(tiny_gold_path)
    pipe = load(tiny_model_dir)
    preds = pipe.predict_batch([d.text for d in gold], split=False)
    for g, p in zip(gold, preds):
        assert keys(p) == keys(g), g.id
    again = load(tiny_model_dir).predict_batch([d.text for d in gold], split=False)
    assert [d.to_dict() for d in again] == [d.to_dict() for d in preds]


@pytest.mark.slow
def test_checkpoint_is_self_describing(tiny_model_dir):
    cfg = json.loads((tiny_model_dir / "config.json").read_text())
    assert cfg["model_type"] == "canbo" and cfg["label2id"]["B-PERSON"] > 0
    assert cfg["backbone_config"]["model_type"] == "roberta"
    assert (tiny_model_dir / "vocab.txt").exists() and (tiny_model_dir / "bpe.codes").exists()
    info = json.loads((tiny_model_dir / "run_info.json").read_text())
    assert len(info["data_fingerprint"]) == 64
    assert json.loads((tiny_model_dir / "train_config.json").read_text())["backbone"] == "tiny"


@pytest.mark.slow
def test_predict_offsets_refer_to_raw_nfd_input(tiny_model_dir):
    pipe = load(tiny_model_dir)
    raw = "image advertisement\n" + unicodedata.normalize("NFD", "Đồng chí Lê Minh Khoa, Bí thư Huyện ủy Tam Nông chủ trì hội nghị.")
    doc = pipe.predict(raw)
    assert doc.text == raw
    for e in doc.entities:
        assert raw[e.start : e.end] == e.text and 0 <= e.score <= 1
    assert any(unicodedata.normalize("NFC", e.text) == "Lê Minh Khoa" for e in doc.entities)
    assert all(e.start >= len("image advertisement\n") for e in doc.entities)


@pytest.mark.slow
def test_empty_and_whitespace_give_empty_results(tiny_model_dir):
    pipe = load(tiny_model_dir)
    for doc in pipe.predict_batch(["", "   \n\t "]):
        assert doc.entities == [] and doc.relations == []


@pytest.mark.slow
def test_long_paragraph_is_windowed_not_truncated(tiny_model_dir):
    pipe = load(tiny_model_dir)
    pipe.encoder.max_length = 24  # force many windows on an ordinary sentence
    sent = "Đồng chí Lê Minh Khoa, Bí thư Huyện ủy Tam Nông chủ trì hội nghị, " * 6
    sentences = pipe.prepare([sent])
    assert len(sentences[0].windows) > 1
    doc = pipe.predict(sent)
    assert doc.entities and max(e.end for e in doc.entities) > len(sent) // 2


def test_hub_id_offline_fails_fast_with_one_clear_sentence(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError) as exc:
        resolve_model_path("vinai/phobert-base")
    msg = str(exc.value)
    assert "Could not download 'vinai/phobert-base'" in msg and "local folder" in msg


def test_missing_or_corrupt_model_folder(tmp_path):
    with pytest.raises(ModelUnavailableError):
        load(tmp_path / "missing")
    (tmp_path / "config.json").write_text("{broken")
    with pytest.raises(ModelUnavailableError):
        load(tmp_path)
