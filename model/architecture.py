"""The joint model for training: a PhoBERT (RoBERTa) encoder from transformers and the heads of
``model.heads`` (tagging and relations), as a ``PreTrainedModel`` that the HF Trainer saves and loads.

Loss = tag cross-entropy + pair binary cross-entropy on gold spans.  Prediction runs the same
checkpoint without transformers' modeling stack (``model.checkpoint``).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel

from canbo.model.heads import CanboHeads
from canbo.model.labels import (  # noqa: F401 - check_labels and label_maps_checksum are part of this API
    ENTITY_LABELS,
    RELATION_LABELS,
    LabelMaps,
    bio_tags,
    check_labels,
    label_maps_checksum,
)


class CanboConfig(LabelMaps, PretrainedConfig):
    """Backbone config (as a dict), label maps and head sizes: everything a checkpoint needs."""

    model_type = "canbo"

    def __init__(
        self,
        backbone_config: dict[str, Any] | None = None,
        entity_labels: list[str] | None = None,
        relation_label: str = RELATION_LABELS[0],
        head_hidden_size: int = 256,
        width_buckets: int = 16,
        distance_buckets: int = 8,
        head_dropout: float = 0.1,
        relation_loss_weight: float = 1.0,
        relation_threshold: float = 0.5,
        max_tokens: int = 256,
        rule_features: bool = False,
        rule_feature_dropout: float = 0.2,
        char_features: bool = False,
        gazetteer_features: bool = False,
        modern_tone: bool = False,
        merge_policy: str = "model",
        rule_labels: list[str] | None = None,
        relation_one_holder: bool = False,
        relation_merge: str = "model",
        **kwargs: Any,
    ):
        self.backbone_config = backbone_config or {}
        self.entity_labels = list(entity_labels or ENTITY_LABELS)
        self.relation_label = relation_label
        check_labels(self.entity_labels, relation_label)
        self.head_hidden_size = head_hidden_size
        self.width_buckets = width_buckets
        self.distance_buckets = distance_buckets
        self.head_dropout = head_dropout
        self.relation_loss_weight = relation_loss_weight
        self.relation_threshold = relation_threshold
        self.relation_one_holder = relation_one_holder
        self.max_tokens = max_tokens
        self.rule_features = rule_features
        self.rule_feature_dropout = rule_feature_dropout
        self.char_features = char_features
        self.gazetteer_features = gazetteer_features
        self.modern_tone = modern_tone  # words reach the tokenizer with modern tone placement (encoding.phobert_word)
        from canbo.model.merge import check_merge_policy, check_relation_merge, check_rule_labels

        self.merge_policy = check_merge_policy(merge_policy)
        self.relation_merge = check_relation_merge(relation_merge)
        self.rule_labels = check_rule_labels(rule_labels or [], self.entity_labels)
        tags = bio_tags(tuple(self.entity_labels))
        kwargs["id2label"] = dict(enumerate(tags))
        kwargs["label2id"] = {t: i for i, t in enumerate(tags)}
        super().__init__(**kwargs)

    def encoder_config(self) -> PretrainedConfig:
        cfg = dict(self.backbone_config)
        return AutoConfig.for_model(cfg.pop("model_type"), **cfg)


class CanboModel(CanboHeads, PreTrainedModel):
    config_class = CanboConfig
    base_model_prefix = "canbo"
    supports_gradient_checkpointing = False

    def __init__(self, config: CanboConfig, encoder: nn.Module | None = None):
        super().__init__(config)
        self.encoder = (
            encoder if encoder is not None else AutoModel.from_config(config.encoder_config(), add_pooling_layer=False)
        )
        self.build_heads(config, self.encoder.config.hidden_size)  # model.heads
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        if module is self.encoder or any(module is m for m in self.encoder.modules()):
            return  # the encoder keeps its own (pre-trained or its own init)
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.02)

    # ------------------------------------------------------------- forward

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        word_starts: torch.Tensor,
        tag_labels: torch.Tensor | None = None,
        spans: torch.Tensor | None = None,
        pairs: torch.Tensor | None = None,
        pair_labels: torch.Tensor | None = None,
        rule_tags: torch.Tensor | None = None,
        shape_ids: torch.Tensor | None = None,
        **_: Any,
    ) -> dict[str, torch.Tensor]:
        words = self.word_vectors(input_ids, attention_mask, word_starts, rule_tags, shape_ids)
        logits = self.tag_logits(words)
        out: dict[str, torch.Tensor] = {"tag_logits": logits}
        if spans is not None and pairs is not None and pairs.numel() > 0:
            out["pair_logits"] = self.pair_logits(words, spans, pairs)
        if tag_labels is not None:
            loss = nn.functional.cross_entropy(logits.flatten(0, 1), tag_labels.flatten(), ignore_index=-100)
            if "pair_logits" in out and pair_labels is not None:
                mask = pair_labels >= 0
                if mask.any():
                    pair_loss = nn.functional.binary_cross_entropy_with_logits(
                        out["pair_logits"][mask], pair_labels[mask].float()
                    )
                    loss = loss + self.config.relation_loss_weight * pair_loss
            out["loss"] = loss
        return out


AutoConfig.register(CanboConfig.model_type, CanboConfig)
AutoModel.register(CanboConfig, CanboModel)
