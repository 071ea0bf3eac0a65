"""The shipped default model: present, small, self-describing, and right on the README's example."""

import json

import pytest

from canbo.model.pipeline import DEFAULT_MODEL_DIR
from canbo.train.release import release

EXAMPLE = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."


def test_default_model_is_shipped_and_small():
    assert (DEFAULT_MODEL_DIR / "model.safetensors").is_file()
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert size < 50e6
    card = (DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text()
    assert "Cross-validated scores" in card and "entity micro-F1" in card


def test_readme_example_gives_person_position_and_relation():
    from canbo.model import predict

    doc = predict(EXAMPLE)
    found = {(e.label, e.text) for e in doc.entities}
    assert ("PERSON", "Hoàng Minh Tuấn") in found
    assert ("POSITION", "Bí thư Huyện ủy Yên Lạc") in found
    rels = {(doc.entities[r.head].text, doc.entities[r.tail].text) for r in doc.relations}
    assert ("Hoàng Minh Tuấn", "Bí thư Huyện ủy Yên Lạc") in rels


def test_cli_example_without_model_argument(capsys):
    from canbo.model.cli import main

    assert main(["predict", "--format", "json", EXAMPLE]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert any(e["label"] == "PERSON" for e in doc["entities"]) and doc["relations"]


@pytest.mark.slow
def test_release_copies_run_and_writes_card(tiny_model_dir, tmp_path):
    target = release(tiny_model_dir, None, tmp_path / "shipped")
    assert not [p for p in target.iterdir() if p.is_dir()]
    assert "Not measured" in (target / "MODEL_CARD.md").read_text()
    from canbo.model.pipeline import load

    sentence = "Bí thư Huyện ủy Tam Nông Lê Minh Khoa phát biểu."
    assert load(target).predict(sentence).to_dict() == load(tiny_model_dir).predict(sentence).to_dict()


@pytest.mark.slow
def test_raw_article_pages_offsets_point_into_the_input_and_nothing_comes_from_furniture():
    from pathlib import Path

    from canbo.model import predict_batch

    raw = Path(__file__).parents[1] / "data" / "raw"
    bodies = json.loads((raw / "bodies.json").read_text(encoding="utf-8"))  # annotated by hand, not by the code
    pages = sorted(raw.glob("*.txt"))
    texts = [p.read_bytes().decode("utf-8") for p in pages]
    docs = predict_batch(texts)
    assert len(docs) == 4
    for page, text, doc in zip(pages, texts, docs):
        assert doc.text == text and doc.entities
        starts = [0]
        for line in text.split("\n"):
            starts.append(starts[-1] + len(line) + 1)
        for e in doc.entities:
            assert text[e.start : e.end] == e.text and e.text.strip() == e.text
            line_no = next(k for k in range(len(starts)) if starts[k + 1] > e.start) + 1
            assert any(a <= line_no <= b for a, b in bodies[page.name]), (page.name, line_no, e.text)
        for r in doc.relations:
            assert doc.entities[r.head].label == "PERSON" and doc.entities[r.tail].label == "POSITION"


def test_the_shipped_decode_is_the_rules_and_the_tagger_still_finds_what_they_miss():
    """The shipped model decodes with the rules deciding every span and link (merge_policy and
    relation_merge "rules": no merge of the learned tagger beat the rules on CV, eval/ablation), so
    its output is the rules'. The trained tagger is still in it: decoded model-first, it finds a
    village name the rules' lists lack (no unit word before it, not in the gazetteer)."""
    from canbo.model import load, predict
    from canbo.model.rules import RuleBaseline

    def found(doc):
        return ({(e.start, e.end, e.label) for e in doc.entities},
                {(doc.entities[r.head].text, doc.entities[r.tail].text) for r in doc.relations})

    sentences = [EXAMPLE, "Cán bộ và nhân dân Nà Khoang phấn khởi đón nhận danh hiệu.",
                 "Năm 2023, thu ngân sách trên địa bàn huyện Yên Lạc đạt 1.528 tỷ đồng, tăng 12%."]
    rules = RuleBaseline()
    for sentence in sentences:
        assert found(predict(sentence)) == found(rules.predict(sentence)), sentence
    assert {e.source for s in sentences for e in predict(s).entities} == {"rules"}
    village = sentences[1]
    assert not rules.predict(village).entities
    tagged = load(merge_policy="model-first").predict(village)
    assert [(e.text, e.label, e.source) for e in tagged.entities] == [("Nà Khoang", "LOCATION", "model")]


def test_with_the_rules_deciding_neither_encoder_nor_segmenter_runs(monkeypatch):
    """merge_policy and relation_merge "rules": the learned model's forward pass and the word
    segmenter (the tagger's words) are skipped; the tagger's decode still runs both."""
    from canbo.model import load
    from canbo.model import pipeline as pipeline_module

    def refuse(what):
        def run(*args, **kwargs):
            raise AssertionError(f"the {what} ran")
        return run

    pipe = load(merge_policy="rules", relation_merge="rules")
    pipe.workers = 0
    monkeypatch.setattr(pipe.model, "word_vectors", refuse("encoder"))
    monkeypatch.setattr(pipeline_module, "segment_words", refuse("segmenter"))
    assert not pipe.uses_tagger and pipe.predict(EXAMPLE).relations
    tagger = load(merge_policy="model-first", relation_merge="rules")
    tagger.workers = 0
    with pytest.raises(AssertionError, match="the segmenter ran"):
        tagger.predict(EXAMPLE)
    monkeypatch.undo()
    monkeypatch.setattr(tagger.model, "word_vectors", refuse("encoder"))
    with pytest.raises(AssertionError, match="the encoder ran"):
        tagger.predict(EXAMPLE)


def test_with_the_rules_deciding_neither_the_weights_nor_torch_are_loaded():
    """The shipped decode (the rules decide) never needs the learned model: load() defers its
    weights, and a whole predict runs without importing torch or transformers (the cold start)."""
    import subprocess
    import sys

    code = ("import sys; from canbo.model import load; p = load(); d = p.predict(sys.argv[1]); "
            "print(len(d.relations), p._model is None, 'torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, EXAMPLE], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "True", "False", "False"]


def test_a_deferred_model_loads_when_a_policy_needs_the_tagger():
    from canbo.model import load

    village = "Cán bộ và nhân dân Nà Khoang phấn khởi đón nhận danh hiệu."
    pipe = load()
    pipe.workers = 0
    assert not pipe.predict(village).entities
    pipe.merge_policy = "model-first"  # the weights load now, on the tagger's first use
    eager = load(merge_policy="model-first")
    eager.workers = 0
    assert pipe.predict(village).to_dict() == eager.predict(village).to_dict()
    assert [e.source for e in pipe.predict(village).entities] == ["model"]


def test_cli_merge_policy_decodes_with_the_tagger(capsys):
    from canbo.model.cli import main

    village = "Cán bộ và nhân dân Nà Khoang phấn khởi đón nhận danh hiệu."
    found = {}
    for flags in ([], ["--merge-policy", "model-first", "--relation-merge", "model"]):
        assert main(["predict", "--format", "json", "--workers", "0", *flags, village]) == 0
        found[bool(flags)] = [(e["text"], e["source"]) for e in json.loads(capsys.readouterr().out)["entities"]]
    assert found == {False: [], True: [("Nà Khoang", "model")]}
    with pytest.raises(SystemExit):
        main(["predict", "--merge-policy", "tagger", village])
    assert "invalid choice: 'tagger'" in capsys.readouterr().err


def test_model_card_states_the_written_corpus_size_from_its_stats(tmp_path):
    from canbo.train.release import written_size

    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps({"gold": {"all": {"articles": 3, "sentences": 1234}}}), encoding="utf-8")
    assert written_size(stats) == "3 articles, 1,234 sentences"


def test_cli_rule_labels_let_the_tagger_add_only_what_the_rules_own_not(capsys):
    """rules-first with the rules owning every label but LOCATION: the tagger's place name is added,
    its other labels never decide; an unknown label is refused before any work."""
    from canbo.model.cli import main

    flags = ["--merge-policy", "rules-first", "--rule-labels", "METRIC,PERSON,ORG,POSITION", "--relation-merge", "rules"]
    found = set()
    for text in ("Cán bộ và nhân dân Nà Khoang phấn khởi đón nhận danh hiệu.", EXAMPLE):
        assert main(["predict", "--format", "json", "--workers", "0", *flags, text]) == 0
        found |= {(e["text"], e["label"], e["source"]) for e in json.loads(capsys.readouterr().out)["entities"]}
    assert ("Nà Khoang", "LOCATION", "model") in found
    others = {src for _, label, src in found if label != "LOCATION"}
    assert others and others <= {"rules", "both"}
    with pytest.raises(SystemExit):
        main(["predict", "--rule-labels", "METRIC,PLACE", EXAMPLE])
    assert "PLACE not among the entity labels" in capsys.readouterr().err
