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


@pytest.mark.parametrize(
    "sentence, person, position",
    [
        ("Cùng dự có Điểu Minh Thành, Phó Chủ tịch UBND xã Bù Gia Mập.", "Điểu Minh Thành", "Phó Chủ tịch UBND xã Bù Gia Mập"),
    ],
)
def test_the_model_solves_what_the_rules_alone_do_not(sentence, person, position):
    """The README example is solved by the rules too; this is not (a S'tiêng surname the rules'
    lists lack, in apposition): the shipped model must get person, position and link. (The Ê Đê
    and Gia Rai names this test used before are solved by the rules since rules v3: test_rules.)"""
    from canbo.model import predict
    from canbo.model.rules import RuleBaseline

    def links(doc):
        return {(doc.entities[r.head].text, doc.entities[r.tail].text) for r in doc.relations}

    assert (person, position) not in links(RuleBaseline().predict(sentence))
    assert (person, position) in links(predict(sentence))
