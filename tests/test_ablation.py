"""The ablation's scoring: a label absent from gold and output has no score, not 0."""

from __future__ import annotations

from canbo.eval.ablation import label_means, scores
from canbo.model.labels import ENTITY_LABELS
from canbo.model.schema import Document, Entity

TEXT = "Ông Lò Văn Pấng nói."
PERSON = Entity(4, 15, "PERSON", "Lò Văn Pấng")
SPURIOUS = Entity(4, 7, "POSITION", "Lò ")


def test_a_label_nobody_has_is_none_and_a_spurious_one_is_zero():
    gold = [Document(TEXT, [PERSON])]
    clean = scores(gold, [Document(TEXT, [PERSON])])["per_label"]
    assert clean["PERSON"] == 1.0 and clean["POSITION"] is None and clean["METRIC"] is None
    spurious = scores(gold, [Document(TEXT, [PERSON, SPURIOUS])])["per_label"]
    assert spurious["POSITION"] == 0.0


def test_label_means_skip_folds_without_the_label():
    none = dict.fromkeys(ENTITY_LABELS)
    folds = {"000": {"per_label": {**none, "PERSON": 1.0}}, "001": {"per_label": {**none, "PERSON": 0.5, "POSITION": 0.8}}}
    means = label_means(folds)
    assert means["PERSON"] == 0.75 and means["POSITION"] == 0.8 and means["ORG"] == 0.0
