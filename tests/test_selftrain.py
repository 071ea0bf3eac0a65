"""Self-training labels: which model sentences become training sentences, and per-fold files."""

from canbo.model.schema import Document, Entity, Relation, read_corpus, write_jsonl
from canbo.train.config import DataConfig
from canbo.train.selftrain import agreeing

TEXT = "Ông Lê Văn Tâm, Bí thư Huyện ủy, thăm xã Tân Tiến."
PERSON = Entity(4, 14, "PERSON", "Lê Văn Tâm", 0.97)
TITLE = Entity(16, 31, "POSITION", "Bí thư Huyện ủy", 0.95)
PLACE = Entity(41, 49, "LOCATION", "Tân Tiến", 0.99)


def model_doc(*ents, rel_score=0.96):
    rels = [Relation(0, 1, "HAS_POSITION", rel_score)] if rel_score is not None else []
    return Document(TEXT, list(ents), rels, "x")


def test_confident_model_spans_that_cover_the_rules_are_kept():
    out = agreeing(model_doc(PERSON, TITLE, PLACE), [Entity(41, 49, "LOCATION", "Tân Tiến")], 0.9)
    assert [(e.start, e.end, e.label) for e in out.entities] == [(4, 14, "PERSON"), (16, 31, "POSITION"), (41, 49, "LOCATION")]
    assert [(r.head, r.tail) for r in out.relations] == [(0, 1)]
    assert all(e.score is None for e in out.entities)  # training sentences carry no model scores


def test_an_unsure_span_a_missed_rule_span_or_an_unsure_relation_drops_the_sentence():
    unsure = Entity(4, 14, "PERSON", "Lê Văn Tâm", 0.8)
    assert agreeing(model_doc(unsure, TITLE, PLACE), [], 0.9) is None
    # the rules say "Tân Tiến" is a place and the model says nothing there
    assert agreeing(model_doc(PERSON, TITLE), [Entity(41, 49, "LOCATION", "Tân Tiến")], 0.9) is None
    # same span, another label
    assert agreeing(model_doc(PERSON, TITLE, PLACE), [Entity(41, 49, "ORG", "Tân Tiến")], 0.9) is None
    assert agreeing(model_doc(PERSON, TITLE, PLACE, rel_score=0.6), [], 0.9) is None
    assert agreeing(Document(TEXT, [], [], "x"), [], 0.9) is None  # nothing to learn from


def test_fold_paths_and_pseudo_files_read_as_extra_training(tmp_path):
    kept = agreeing(model_doc(PERSON, TITLE, PLACE), [], 0.9)
    kept.id, kept.meta = "st-000001", {"doc": "selftrain", "pseudo": True}
    write_jsonl([kept], tmp_path / "003.jsonl")
    data = DataConfig(extra_train=[str(tmp_path / "{fold}.jsonl")], holdout_doc="003")
    assert data.fold_paths(data.extra_train) == [str(tmp_path / "003.jsonl")]
    assert DataConfig(extra_train=["x/{fold}.jsonl"]).fold_paths(["x/{fold}.jsonl"]) == ["x/full.jsonl"]
    (back,) = read_corpus(data.fold_paths(data.extra_train))
    assert back.text == TEXT and len(back.entities) == 3 and len(back.relations) == 1
    assert '"pseudo": true' in (tmp_path / "003.jsonl").read_text(encoding="utf-8")
