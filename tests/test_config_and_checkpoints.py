"""Training-config errors and checkpoint checks: one clear sentence each, before any heavy work."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from canbo.model.hub import ModelUnavailableError, resolve_model_path
from canbo.model.pipeline import DEFAULT_MODEL_DIR, load
from canbo.model.schema import CorpusError, read_corpus
from canbo.train.config import parse_config

GOLD = '{"id": "a-s001", "text": "Lê Văn An phát biểu.", "entities": [{"id": "T1", "start": 0, "end": 9, "label": "PERSON"}]}\n'


def test_a_scalar_train_path_is_one_path(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("train: /data/gold\n")
    data, _, _ = parse_config(["--config", str(cfg)])
    assert data.train == ["/data/gold"]


def test_a_value_of_the_wrong_type_is_refused_before_training(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("batch_size: 8.5\n")
    with pytest.raises(ValueError, match="'batch_size' must be int, not 8.5"):
        parse_config(["--config", str(cfg)])


def test_corpus_paths_empty_folders_utf16_and_fifos(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="has no \\*.jsonl files"):
        read_corpus([tmp_path / "empty"])
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus([tmp_path / "missing.jsonl"])
    utf16 = tmp_path / "u.jsonl"
    utf16.write_bytes(GOLD.encode("utf-16"))
    assert read_corpus([utf16])[0].entities[0].text == "Lê Văn An"
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # the writer end of the pipe
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write(GOLD)
        os._exit(0)
    docs = read_corpus([fifo])
    os.waitpid(pid, 0)
    assert docs[0].id == "a-s001"


def test_crossval_help_names_crossval_and_no_flags_read_right(capsys):
    with pytest.raises(SystemExit):
        parse_config(["--help"], prog="canbo crossval")
    out = capsys.readouterr().out
    assert out.startswith("usage: canbo crossval")
    assert "Turn 'progress' off" in out and "[int]" in out


def test_hub_error_names_the_flag_of_the_command(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError, match="--backbone /path/to/phobert-base"):
        resolve_model_path("vinai/phobert-base", flag="--backbone")


def _copy_default(tmp_path):
    target = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL_DIR, target)
    return target, json.loads((target / "config.json").read_text(encoding="utf-8"))


def test_edited_label_maps_are_refused(tmp_path):
    target, cfg = _copy_default(tmp_path)
    cfg["entity_labels"] = ["POSITION", "PERSON", "ORG", "LOCATION", "METRIC"]  # two labels swapped
    (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelUnavailableError, match="label maps in config.json differ"):
        load(target)


def test_unknown_relation_label_is_one_sentence(tmp_path):
    target, cfg = _copy_default(tmp_path)
    cfg["relation_label"] = "WORKS_FOR"
    (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelUnavailableError, match="relation label 'WORKS_FOR' is not known"):
        load(target)


def test_a_model_trained_with_other_rules_says_so(tmp_path):
    target, _ = _copy_default(tmp_path)
    info = json.loads((target / "run_info.json").read_text(encoding="utf-8"))
    info["rules_version"] = "0000000000000000"
    (target / "run_info.json").write_text(json.dumps(info), encoding="utf-8")
    with pytest.warns(UserWarning, match="rules version 0000000000000000"):
        load(target)


def test_merge_policy_is_saved_and_can_be_overridden(tmp_path):
    target, cfg = _copy_default(tmp_path)
    cfg["merge_policy"] = "rules-first"
    (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    assert load(target).merge_policy == "rules-first" and load(target, merge_policy="model").merge_policy == "model"
    sentence = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."
    sources = {e.source for e in load(target).predict(sentence).entities}
    assert sources and sources <= {"rules", "model", "both"}
    cfg["merge_policy"] = "union"  # a relation merge's name, not a policy: refused at load, in one sentence
    (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelUnavailableError, match="unknown merge policy 'union'"):
        load(target)


def test_rule_labels_are_saved_checked_and_decide_those_labels(tmp_path, monkeypatch):
    from canbo.model import pipeline as pipeline_module
    from canbo.model.features import rule_spans
    from canbo.model.schema import Entity

    target, cfg = _copy_default(tmp_path)
    sentence = "Năm 2023, thu ngân sách trên địa bàn huyện Yên Lạc đạt 1.528 tỷ đồng, tăng 12%."
    at = sentence.index("ngân sách")
    fake = Entity(at, at + len("ngân sách"), "METRIC", "ngân sách", source="rules")  # no tagger calls it a figure
    monkeypatch.setattr(pipeline_module, "rule_spans", lambda *a: [*rule_spans(*a), fake])
    want = sorted((e.start, e.end) for e in [*rule_spans(sentence), fake] if e.label == "METRIC")
    for labels in ([], ["METRIC"]):
        cfg["rule_labels"] = labels
        (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
        pipe = load(target, merge_policy="model")
        pipe.workers = 0  # the patched rules run in this process
        assert pipe.rule_labels == labels
        doc = pipe.predict(sentence)
        figures = sorted((e.start, e.end) for e in doc.entities if e.label == "METRIC")
        if labels:  # exactly the rules' figures, the fake one included, whatever the tagger thought
            assert figures == want
            assert [e.source for e in doc.entities if (e.start, e.end) == (fake.start, fake.end)] == ["rules"]
        else:
            assert (fake.start, fake.end) not in figures
    cfg["rule_labels"] = ["FIGURE"]
    (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelUnavailableError, match="rule_labels: FIGURE not among the entity labels"):
        load(target)


def test_relation_merge_is_saved_checked_and_gives_the_rules_links(tmp_path, monkeypatch):
    from canbo.model import pipeline as pipeline_module

    target, cfg = _copy_default(tmp_path)
    sentence = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."
    monkeypatch.setattr(pipeline_module, "rule_links", lambda text, ents: set())  # rules that link nothing
    for mode, expect_links in (("model", True), ("rules", False), ("union", True)):
        cfg["relation_merge"] = mode
        (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
        pipe = load(target)
        pipe.workers = 0  # the patched rules run in this process
        assert pipe.relation_merge == mode
        assert bool(pipe.predict(sentence).relations) == expect_links, mode
    assert load(target, relation_merge="rules").relation_merge == "rules"
    cfg["relation_merge"] = "both"
    (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelUnavailableError, match="relation merge 'both'"):
        load(target)
