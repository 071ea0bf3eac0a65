"""A canbo checkpoint run in plain torch: config.json, model.safetensors and the PhoBERT tokenizer files.

``load_plain(folder)`` builds the same heads as ``CanboModel`` (``model.heads``) on the plain
RoBERTa encoder of ``model.roberta`` and loads the checkpoint's weights into it, strictly: every
tensor of the file has its place and every parameter its tensor.  It never imports transformers'
modeling stack, which is most of a cold start.  A checkpoint it cannot run (another encoder
architecture, weights in another file format, names it does not know) raises ``NotPlain`` so that
``pipeline.load`` can use transformers instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from torch import nn

from canbo.model.heads import CanboHeads
from canbo.model.labels import LabelMaps, bio_tags, check_labels
from canbo.model.merge import check_merge_policy, check_relation_merge, check_rule_labels


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


class InferenceModel(CanboHeads, nn.Module):
    """``CanboModel`` for prediction: the same heads and parameter names on a plain-torch encoder."""

    backend = "torch"

    def __init__(self, config: InferenceConfig):
        from canbo.model.roberta import RobertaEncoder

        super().__init__()
        self.config = config
        self.encoder = RobertaEncoder(config.backbone_config)
        self.build_heads(config, self.encoder.hidden_size)


def read_config(folder: Path) -> InferenceConfig:
    """The checkpoint's config; ``NotPlain`` when it is not a RoBERTa-encoder canbo model."""
    from canbo.model.roberta import ENCODER_TYPES

    values = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if values.get("model_type") != "canbo":
        raise NotPlain(f"model type {values.get('model_type')!r} is not canbo")
    backbone = values.get("backbone_config") or {}
    if backbone.get("model_type") not in ENCODER_TYPES:
        raise NotPlain(f"encoder type {backbone.get('model_type')!r} has no plain-torch twin")
    return InferenceConfig(values)


def load_weights(model: nn.Module, weights: Path) -> None:
    """Strict load of a safetensors file; ``NotPlain`` naming the tensors that do not match."""
    from safetensors.torch import load_file

    state = load_file(str(weights))
    own = model.state_dict()
    missing, unexpected = sorted(set(own) - set(state)), sorted(set(state) - set(own))
    if missing or unexpected:
        raise NotPlain(
            f"weights do not match the plain model (missing {missing[:3]}, unexpected {unexpected[:3]})"
        )
    model.load_state_dict(state, strict=True)


def load_tokenizer(folder: Path):
    """PhoBERT's BPE in plain Python when the folder has its files, else transformers' AutoTokenizer."""
    settings = folder / "tokenizer_config.json"
    kind = (
        json.loads(settings.read_text(encoding="utf-8")).get("tokenizer_class")
        if settings.is_file()
        else None
    )
    if kind == "PhobertTokenizer" and (folder / "vocab.txt").is_file() and (folder / "bpe.codes").is_file():
        from canbo.model.bpe import PhobertBPE

        return PhobertBPE.from_folder(folder)
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(folder)


def load_plain(folder: str | Path):
    """(model in eval mode, tokenizer) of a checkpoint folder, without transformers' model classes."""
    folder = Path(folder)
    config = read_config(folder)
    weights = folder / "model.safetensors"
    if not weights.is_file():
        raise NotPlain("no model.safetensors")
    model = InferenceModel(config)  # (a meta-device build would skip the random init, but imports dynamo)
    load_weights(model, weights)
    return model.eval(), load_tokenizer(folder)
