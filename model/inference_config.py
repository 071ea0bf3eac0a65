"""A canbo checkpoint's ``config.json`` read without torch or transformers.

``read_config(folder)`` is all that ``pipeline.load`` needs when the rules decide every span and
link: the weights are then never loaded (nor torch imported), which is most of a cold start.
``model.checkpoint`` builds the plain-torch model from the same config.
"""

from __future__ import annotations

import json
from pathlib import Path

from canbo.model.labels import LabelMaps, bio_tags, check_labels
from canbo.model.merge import check_merge_policy, check_relation_merge, check_rule_labels

ENCODER_TYPES = ("roberta", "xlm-roberta", "camembert")  # one architecture under several names


class NotPlain(Exception):
    """This checkpoint needs transformers' classes (the reason is the message)."""


class InferenceConfig(LabelMaps):
    """config.json as attributes, with the label maps derived from ``entity_labels`` as
    ``CanboConfig`` derives them (an edited ``id2label`` in the file is not trusted)."""

    def __init__(self, values: dict):
        self.__dict__.update(values)
        self.entity_labels = list(values.get("entity_labels") or [])
        self.relation_label = values.get("relation_label", "HAS_POSITION")
        check_labels(self.entity_labels, self.relation_label)
        self.merge_policy = check_merge_policy(values.get("merge_policy", "model"))
        self.relation_merge = check_relation_merge(values.get("relation_merge", "model"))
        self.rule_labels = check_rule_labels(values.get("rule_labels") or [], self.entity_labels)
        self.rule_features = bool(values.get("rule_features", False))
        self.char_features = bool(values.get("char_features", False))
        self.gazetteer_features = bool(values.get("gazetteer_features", False))
        self.modern_tone = bool(values.get("modern_tone", False))  # absent in models trained before it existed
        tags = bio_tags(tuple(self.entity_labels))
        self.id2label = dict(enumerate(tags))
        self.label2id = {t: i for i, t in enumerate(tags)}


def read_config(folder: Path) -> InferenceConfig:
    """The checkpoint's config; ``NotPlain`` when it is not a RoBERTa-encoder canbo model."""
    values = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    if values.get("model_type") != "canbo":
        raise NotPlain(f"model type {values.get('model_type')!r} is not canbo")
    backbone = values.get("backbone_config") or {}
    if backbone.get("model_type") not in ENCODER_TYPES:
        raise NotPlain(f"encoder type {backbone.get('model_type')!r} has no plain-torch twin")
    return InferenceConfig(values)
