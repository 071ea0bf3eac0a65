"""The joint model: a PhoBERT (RoBERTa) encoder, a BIO tagging head and a relation head.

Word vector = the encoder's vector of the word's first subword.  Span vector
= [first word; last word; mean of words; width embedding].  A (PERSON,
POSITION) pair is scored by an MLP over [head span; tail span; mean of the
words between them; signed distance-bucket embedding] (SpERT/PURE style).
Loss = tag cross-entropy + pair binary cross-entropy on gold spans.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel

from canbo.model.features import SHAPE_BUCKETS
from canbo.model.labels import ENTITY_LABELS, RELATION_LABELS, RELATION_SIGNATURES, bio_tags


def check_labels(entity_labels: list[str], relation_label: str) -> None:
    """One clear sentence for label maps that this version of canbo does not know."""
    unknown = [lab for lab in entity_labels if lab not in ENTITY_LABELS]
    if unknown or len(set(entity_labels)) != len(entity_labels):
        raise ValueError(f"entity labels {entity_labels} are not distinct labels of {list(ENTITY_LABELS)}")
    if relation_label not in RELATION_SIGNATURES:
        raise ValueError(f"relation label {relation_label!r} is not known (known: {', '.join(RELATION_SIGNATURES)})")
    head, tail = RELATION_SIGNATURES[relation_label]
    if head not in entity_labels or tail not in entity_labels:
        raise ValueError(f"relation {relation_label} needs entity labels {head} and {tail}")


def label_maps_checksum(config: PretrainedConfig) -> str:
    """SHA-256 of the label maps a checkpoint was trained with (saved in run_info.json), so that
    an edited map is refused at load time instead of silently swapping labels."""
    import hashlib
    import json

    maps = {"entity_labels": list(config.entity_labels), "relation_label": config.relation_label,
            "id2label": {str(k): v for k, v in sorted(config.id2label.items(), key=lambda kv: int(kv[0]))}}
    return hashlib.sha256(json.dumps(maps, sort_keys=True).encode()).hexdigest()


class CanboConfig(PretrainedConfig):
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
        merge_policy: str = "model",
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
        self.max_tokens = max_tokens
        self.rule_features = rule_features
        self.rule_feature_dropout = rule_feature_dropout
        self.char_features = char_features
        self.gazetteer_features = gazetteer_features
        from canbo.model.merge import POLICIES

        if merge_policy not in POLICIES:
            raise ValueError(f"merge policy {merge_policy!r} is not known (known: {', '.join(POLICIES)})")
        self.merge_policy = merge_policy
        tags = bio_tags(tuple(self.entity_labels))
        kwargs["id2label"] = dict(enumerate(tags))
        kwargs["label2id"] = {t: i for i, t in enumerate(tags)}
        super().__init__(**kwargs)

    @property
    def tags(self) -> list[str]:
        return [self.id2label[i] for i in range(len(self.id2label))]

    @property
    def relation_signature(self) -> tuple[str, str]:
        return RELATION_SIGNATURES[self.relation_label]

    def encoder_config(self) -> PretrainedConfig:
        cfg = dict(self.backbone_config)
        return AutoConfig.for_model(cfg.pop("model_type"), **cfg)


class CanboModel(PreTrainedModel):
    config_class = CanboConfig
    base_model_prefix = "canbo"
    supports_gradient_checkpointing = False

    def __init__(self, config: CanboConfig, encoder: nn.Module | None = None):
        super().__init__(config)
        self.encoder = (
            encoder if encoder is not None else AutoModel.from_config(config.encoder_config(), add_pooling_layer=False)
        )
        hidden, head = self.encoder.config.hidden_size, config.head_hidden_size
        self.dropout = nn.Dropout(config.head_dropout)
        self.tagger = nn.Linear(hidden, len(config.id2label))
        # rule tags as input: one row per BIO tag plus a last "no information" row
        self.rule_embedding = nn.Embedding(len(config.id2label) + 1, hidden) if config.rule_features else None
        # word shapes (model.features.shape_ids): row 0 is "no word"
        self.shape_embedding = (
            nn.Embedding(SHAPE_BUCKETS + 1, hidden, padding_idx=0) if getattr(config, "char_features", False) else None
        )
        self.width_embedding = nn.Embedding(config.width_buckets, 32)
        self.span_proj = nn.Linear(3 * hidden + 32, head)
        self.distance_embedding = nn.Embedding(2 * config.distance_buckets, 32)
        self.context_proj = nn.Linear(hidden, head)
        self.pair_mlp = nn.Sequential(
            nn.Linear(3 * head + 32, head), nn.GELU(), nn.Dropout(config.head_dropout), nn.Linear(head, 1)
        )
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

    # ------------------------------------------------------------- pieces

    def word_vectors(self, input_ids, attention_mask, word_starts, rule_tags=None, shape_ids=None) -> torch.Tensor:
        """``[batch, words, hidden]``: first-subword vectors (padding words point at token 0),
        plus the embeddings of each word's rule tag and shape when the model uses them."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        index = word_starts.clamp(min=0).unsqueeze(-1).expand(-1, -1, hidden.size(-1))
        words = torch.gather(hidden, 1, index)
        if self.rule_embedding is not None:
            none = self.rule_embedding.num_embeddings - 1
            tags = rule_tags if rule_tags is not None else torch.full_like(word_starts, none)
            tags = torch.where(tags < 0, torch.full_like(tags, none), tags)
            if self.training and self.config.rule_feature_dropout > 0:
                drop = torch.rand(tags.shape, device=tags.device) < self.config.rule_feature_dropout
                tags = torch.where(drop, torch.full_like(tags, none), tags)
            words = words + self.rule_embedding(tags)
        if self.shape_embedding is not None and shape_ids is not None:
            words = words + self.shape_embedding(shape_ids.clamp(min=0))
        return words

    def tag_logits(self, words: torch.Tensor) -> torch.Tensor:
        return self.tagger(self.dropout(words))

    def pair_logits(self, words: torch.Tensor, spans: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        """Scores ``[batch, pairs]`` for ``pairs`` (indices into ``spans``, ``[b, p, 2]``) of
        word ``spans`` (``[b, s, 2]``, inclusive word ranges; -1 is padding)."""
        b, n_words, _ = words.shape
        cums = torch.cat([words.new_zeros(b, 1, words.size(-1)), words.cumsum(1)], dim=1)
        spans = spans.clamp(min=0)
        start, end = spans[..., 0], spans[..., 1]
        width = (end - start + 1).clamp(min=1)
        first, last = _gather(words, start), _gather(words, end)
        mean = (_gather(cums, end + 1) - _gather(cums, start)) / width.unsqueeze(-1)
        wbucket = width.clamp(max=self.config.width_buckets) - 1
        span_vec = torch.tanh(self.span_proj(torch.cat([first, last, mean, self.width_embedding(wbucket)], -1)))

        pairs = pairs.clamp(min=0)
        hs, ts = pairs[..., 0], pairs[..., 1]
        h_vec, t_vec = _gather(span_vec, hs), _gather(span_vec, ts)
        h_start, h_end = _gather(start, hs), _gather(end, hs)
        t_start, t_end = _gather(start, ts), _gather(end, ts)
        lo = torch.minimum(h_end, t_end) + 1
        hi = torch.maximum(h_start, t_start)  # exclusive
        gap = (hi - lo).clamp(min=0)
        lo_c, hi_c = lo.clamp(max=n_words), torch.maximum(hi, lo).clamp(max=n_words)
        between = (_gather(cums, hi_c) - _gather(cums, lo_c)) / gap.clamp(min=1).unsqueeze(-1).to(words.dtype)
        ctx = torch.tanh(self.context_proj(between))
        signed = torch.where(h_start <= t_start, t_start - h_end, -(h_start - t_end))
        dist = self.distance_embedding(_distance_buckets(signed, self.config.distance_buckets))
        return self.pair_mlp(self.dropout(torch.cat([h_vec, t_vec, ctx, dist], -1))).squeeze(-1)

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


def _gather(values: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """``values[b, index[b, ...]]`` for 2-D (``[b, n]``) or 3-D (``[b, n, h]``) values."""
    if values.dim() == 2:
        return torch.gather(values, 1, index)
    return torch.gather(values, 1, index.unsqueeze(-1).expand(*index.shape, values.size(-1)))


def _distance_buckets(signed: torch.Tensor, n: int) -> torch.Tensor:
    """Torch twin of ``model.decode.distance_bucket`` (log-spaced, sign in the upper half)."""
    d = signed.abs().float()
    b = torch.where(d == 0, torch.zeros_like(d), torch.floor(torch.log2(d.clamp(min=1))) + 1)
    b = b.clamp(max=n - 1).long()
    return torch.where(signed >= 0, b, b + n)


AutoConfig.register(CanboConfig.model_type, CanboConfig)
AutoModel.register(CanboConfig, CanboModel)
