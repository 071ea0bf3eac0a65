"""The task heads of the joint model, shared by training (``CanboModel``) and plain-torch inference.

Word vector = the encoder's vector of the word's first subword.  Span vector
= [first word; last word; mean of words; width embedding].  A (PERSON,
POSITION) pair is scored by an MLP over [head span; tail span; mean of the
words between them; signed distance-bucket embedding] (SpERT/PURE style).

``CanboHeads`` is a mixin for an ``nn.Module`` that has ``self.encoder`` (anything returning
``.last_hidden_state``) and ``self.config``; it imports nothing from transformers, so that
``model.checkpoint`` can run a checkpoint without transformers' modeling stack.
"""

from __future__ import annotations

import torch
from torch import nn

from canbo.model.features import SHAPE_BUCKETS


class CanboHeads:
    """Tag head, rule-tag embedding and relation head; parameter names are the checkpoint's."""

    def build_heads(self, config, hidden: int) -> None:
        head = config.head_hidden_size
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
        span_vec = torch.tanh(
            self.span_proj(torch.cat([first, last, mean, self.width_embedding(wbucket)], -1))
        )

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
