"""Scoring functions against hand-computed expectations."""

from __future__ import annotations

import pytest

from canbo.model.schema import Document, Entity, Relation
from canbo.model.scoring import error_breakdown, flat_metrics, score_entities, score_relations, seqeval_scores

# "Ông Lò Văn Sinh, Chủ tịch UBND xã Tà Xùa, báo cáo 42 hộ nghèo."
TEXT = "Ông Lò Văn Sinh, Chủ tịch UBND xã Tà Xùa, báo cáo 42 hộ nghèo."
NAME = (4, 15, "PERSON")  # Lò Văn Sinh
TITLE = (17, 40, "POSITION")  # Chủ tịch UBND xã Tà Xùa
ORGAN = (26, 30, "ORG")  # UBND
PLACE = (34, 40, "LOCATION")  # Tà Xùa
COUNT = (50, 61, "METRIC")  # 42 hộ nghèo


def doc(*spans: tuple[int, int, str], rels: tuple[tuple[int, int], ...] = ()) -> Document:
    """A document over TEXT with the given spans and HAS_POSITION index pairs."""
    ents = [Entity(s, e, lab, TEXT[s:e]) for s, e, lab in spans]
    return Document(text=TEXT, entities=ents, relations=[Relation(h, t, "HAS_POSITION") for h, t in rels])


def test_span_constants_match_the_text():
    assert [TEXT[s:e] for s, e, _ in (NAME, TITLE, ORGAN, PLACE, COUNT)] == [
        "Lò Văn Sinh", "Chủ tịch UBND xã Tà Xùa", "UBND", "Tà Xùa", "42 hộ nghèo"]


def test_exact_match_scores_one():
    gold = [doc(NAME, TITLE, COUNT, rels=((0, 1),))]
    ents = score_entities(gold, gold)
    assert ents["micro"] == {"tp": 3, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 3}
    assert ents["macro_f1"] == 1.0
    assert ents["per_label"]["ORG"]["support"] == 0  # every inventory label is reported
    rels = score_relations(gold, gold)
    assert (rels["tp"], rels["fp"], rels["fn"], rels["f1"]) == (1, 0, 0, 1.0)


def test_mixed_micro_and_macro():
    gold = [doc(NAME, TITLE, COUNT)]
    pred = [doc(NAME, TITLE, PLACE)]  # METRIC missed; LOCATION spurious (and nested, on purpose)
    ents = score_entities(gold, pred)
    assert (ents["micro"]["tp"], ents["micro"]["fp"], ents["micro"]["fn"]) == (2, 1, 1)
    assert ents["micro"]["precision"] == pytest.approx(2 / 3)
    assert ents["micro"]["recall"] == pytest.approx(2 / 3)
    # macro over the labels present: PERSON 1, POSITION 1, METRIC 0, LOCATION 0 (ORG absent)
    assert ents["macro_f1"] == pytest.approx(0.5)
    assert ents["per_label"]["METRIC"] == {
        "tp": 0, "fp": 0, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}


def test_boundary_error_is_neither_tp_nor_partial_credit():
    gold = [doc(TITLE)]
    pred = [doc((17, 30, "POSITION"))]  # "Chủ tịch UBND": overlaps, same label, shorter
    ents = score_entities(gold, pred)
    assert (ents["micro"]["tp"], ents["micro"]["fp"], ents["micro"]["fn"]) == (0, 1, 1)
    assert ents["micro"]["f1"] == 0.0
    br = error_breakdown(gold, pred)
    assert br["gold"]["boundary"] == 1 and br["pred"]["boundary"] == 1
    assert br["confusion"] == {"POSITION": {"POSITION": 1}}


def test_type_error():
    gold = [doc(TITLE)]
    pred = [doc((17, 40, "ORG"))]
    ents = score_entities(gold, pred)
    assert ents["per_label"]["POSITION"]["fn"] == 1
    assert ents["per_label"]["ORG"]["fp"] == 1
    assert ents["macro_f1"] == 0.0
    br = error_breakdown(gold, pred)
    assert br["gold"]["type"] == 1 and br["pred"]["type"] == 1
    assert br["confusion"] == {"POSITION": {"ORG": 1}}


def test_breakdown_missed_spurious_and_boundary_type():
    gold = [doc(NAME, TITLE)]
    pred = [doc((34, 45, "LOCATION"), COUNT)]  # overlaps TITLE with another label; COUNT overlaps nothing
    br = error_breakdown(gold, pred)
    assert br["gold"] == {"correct": 0, "type": 0, "boundary": 0, "boundary+type": 1, "missed": 1}
    assert br["pred"] == {"correct": 0, "type": 0, "boundary": 0, "boundary+type": 1, "spurious": 1}
    assert br["confusion"] == {"O": {"METRIC": 1}, "PERSON": {"O": 1}, "POSITION": {"LOCATION": 1}}
    assert {(x["side"], x["kind"], x["text"]) for x in br["examples"]} == {
        ("gold", "missed", "Lò Văn Sinh"), ("gold", "boundary+type", "Chủ tịch UBND xã Tà Xùa"),
        ("pred", "boundary+type", "Tà Xùa, báo"), ("pred", "spurious", "42 hộ nghèo")}
    assert br["gold_by_label"]["PERSON"]["missed"] == 1


def test_correct_spans_in_breakdown():
    gold = [doc(NAME, COUNT)]
    br = error_breakdown(gold, [doc(NAME, COUNT)])
    assert br["gold"]["correct"] == 2 and br["pred"]["correct"] == 2 and br["examples"] == []
    assert br["confusion"] == {"METRIC": {"METRIC": 1}, "PERSON": {"PERSON": 1}}


def test_duplicate_predictions_count_once():
    gold = [doc(NAME)]
    pred = [doc(NAME, NAME, NAME)]
    ents = score_entities(gold, pred)
    assert (ents["micro"]["tp"], ents["micro"]["fp"], ents["micro"]["fn"]) == (1, 0, 0)
    assert error_breakdown(gold, pred)["pred"]["correct"] == 1


def test_empty_predictions_give_zero_without_errors():
    gold = [doc(NAME, TITLE, rels=((0, 1),))]
    pred = [doc()]
    ents = score_entities(gold, pred)
    assert ents["micro"] == {"tp": 0, "fp": 0, "fn": 2, "precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2}
    rels = score_relations(gold, pred)
    assert (rels["precision"], rels["recall"], rels["f1"], rels["fn"]) == (0.0, 0.0, 0.0, 1)
    nothing = score_entities([doc()], [doc()])
    assert nothing["micro"]["f1"] == 0.0 and nothing["macro_f1"] == 0.0
    assert error_breakdown(gold, pred)["gold"]["missed"] == 2


def test_relation_must_point_at_the_gold_spans():
    gold = [doc(NAME, TITLE, rels=((0, 1),))]
    wrong_tail = [doc(NAME, (17, 30, "POSITION"), rels=((0, 1),))]
    rels = score_relations(gold, wrong_tail)
    assert (rels["tp"], rels["fp"], rels["fn"]) == (0, 1, 1)
    relabelled = [doc(NAME, (17, 40, "ORG"), rels=((0, 1),))]
    assert score_relations(gold, relabelled)["tp"] == 0
    reordered = [doc(TITLE, COUNT, NAME, rels=((2, 0),))]  # indices differ, spans agree
    assert score_relations(gold, reordered)["tp"] == 1
    swapped = [doc(NAME, TITLE, rels=((1, 0),))]  # head and tail reversed
    assert score_relations(gold, swapped)["fp"] == 1


def test_mismatched_inputs_raise():
    with pytest.raises(ValueError):
        score_entities([doc()], [])
    with pytest.raises(ValueError):
        score_relations([doc(NAME, rels=((0, 5),))], [doc()])


def test_flat_metrics_keys():
    gold = [doc(NAME, TITLE, rels=((0, 1),))]
    pred = [doc(NAME, rels=())]
    flat = flat_metrics(score_entities(gold, pred), score_relations(gold, pred))
    assert set(flat) == {
        "ents_p", "ents_r", "ents_f", "ents_macro_f", "ents_per_type", "rel_p", "rel_r", "rel_f", "rel_support"
    }
    assert flat["rel_support"] == 1
    assert flat["ents_p"] == 1.0 and flat["ents_r"] == 0.5
    assert flat["ents_per_type"]["POSITION"] == {"p": 0.0, "r": 0.0, "f": 0.0, "support": 1}
    assert flat["rel_f"] == 0.0


def test_seqeval_strict_iob2_rejects_orphan_inside_tags():
    gold = [["B-PERSON", "I-PERSON", "O", "B-LOCATION"]]
    pred = [["I-PERSON", "I-PERSON", "O", "B-LOCATION"]]  # lenient mode would accept the PERSON chunk
    out = seqeval_scores(gold, pred)
    assert out["per_type"]["PERSON"]["f1"] == 0.0
    assert out["per_type"]["LOCATION"]["f1"] == 1.0
    assert out["micro"]["precision"] == 1.0
    assert out["micro"]["recall"] == 0.5
    assert out["micro"]["f1"] == pytest.approx(2 / 3)


def test_seqeval_without_entities_and_bad_lengths():
    out = seqeval_scores([["O", "O"]], [["O", "O"]])
    assert out["micro"]["f1"] == 0.0 and out["per_type"] == {}
    with pytest.raises(ValueError):
        seqeval_scores([["O"]], [["O", "O"]])
