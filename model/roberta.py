"""A RoBERTa/PhoBERT encoder in plain torch, for inference from a checkpoint's own weights.

Same modules and parameter names as transformers' ``RobertaModel`` without its pooler
(``embeddings.*``, ``encoder.layer.N.*``), so a canbo checkpoint's ``encoder.*`` weights load
as they are; only the forward pass of a post-LayerNorm encoder (no cache, no cross-attention,
no dropout at inference).  Importing it costs torch alone: transformers' modeling stack pulls in
torch.distributed, dynamo and scipy and made most of the cold start.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from canbo.model.inference_config import ENCODER_TYPES

_ACTIVATIONS = {
    "gelu": F.gelu,
    "relu": F.relu,
    "gelu_new": lambda x: F.gelu(x, approximate="tanh"),
    "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
}


@dataclass
class EncoderOutput:
    last_hidden_state: torch.Tensor


class _Settings:
    """The backbone config fields the encoder reads, with transformers' RoBERTa defaults."""

    def __init__(self, cfg: dict):
        self.vocab_size = cfg["vocab_size"]
        self.hidden_size = cfg.get("hidden_size", 768)
        self.num_hidden_layers = cfg.get("num_hidden_layers", 12)
        self.num_attention_heads = cfg.get("num_attention_heads", 12)
        self.intermediate_size = cfg.get("intermediate_size", 3072)
        self.hidden_act = cfg.get("hidden_act", "gelu")
        self.max_position_embeddings = cfg.get("max_position_embeddings", 514)
        self.type_vocab_size = cfg.get("type_vocab_size", 1)
        self.layer_norm_eps = cfg.get("layer_norm_eps", 1e-12)
        self.pad_token_id = cfg.get("pad_token_id", 1)
        if self.hidden_size % self.num_attention_heads:
            raise ValueError(
                f"hidden size {self.hidden_size} is not a multiple of {self.num_attention_heads} heads"
            )
        if self.hidden_act not in _ACTIVATIONS:
            raise ValueError(
                f"activation {self.hidden_act!r} is not supported (known: {', '.join(_ACTIVATIONS)})"
            )
        if cfg.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only absolute position embeddings are supported")


class Embeddings(nn.Module):
    def __init__(self, c: _Settings):
        super().__init__()
        self.padding_idx = c.pad_token_id
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(
            c.max_position_embeddings, c.hidden_size, padding_idx=c.pad_token_id
        )
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        # fairseq positions: real tokens count from padding_idx + 1, pad tokens keep padding_idx
        real = input_ids.ne(self.padding_idx).int()
        positions = (torch.cumsum(real, dim=1).type_as(real) * real).long() + self.padding_idx
        x = self.word_embeddings(input_ids) + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x + self.position_embeddings(positions))


class SelfAttention(nn.Module):
    def __init__(self, c: _Settings):
        super().__init__()
        self.heads = c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        shape = (b, n, self.heads, h // self.heads)
        q, k, v = (lin(x).view(shape).transpose(1, 2) for lin in (self.query, self.key, self.value))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return out.transpose(1, 2).reshape(b, n, h)


class DenseNorm(nn.Module):
    """dense -> residual add -> LayerNorm (RoBERTa's "output" blocks)."""

    def __init__(self, n_in: int, c: _Settings):
        super().__init__()
        self.dense = nn.Linear(n_in, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c: _Settings):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c.hidden_size, c)


class Intermediate(nn.Module):
    def __init__(self, c: _Settings):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)


class Layer(nn.Module):
    def __init__(self, c: _Settings):
        super().__init__()
        self.act = _ACTIVATIONS[c.hidden_act]
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c.intermediate_size, c)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        a = self.attention.output(self.attention.self(x, keep), x)
        return self.output(self.act(self.intermediate.dense(a)), a)


class LayerStack(nn.Module):
    def __init__(self, c: _Settings):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c.num_hidden_layers))


class RobertaEncoder(nn.Module):
    """``RobertaModel(add_pooling_layer=False)`` for inference; ``config`` is the backbone's config dict."""

    def __init__(self, config: dict):
        super().__init__()
        if config.get("model_type", "roberta") not in ENCODER_TYPES:
            raise ValueError(f"backbone type {config.get('model_type')!r} is not a RoBERTa encoder")
        c = _Settings(config)
        self.hidden_size = c.hidden_size
        self.embeddings = Embeddings(c)
        self.encoder = LayerStack(c)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> EncoderOutput:
        x = self.embeddings(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        keep = attention_mask.bool()[:, None, None, :]  # [batch, 1, 1, keys]: padding keys are ignored
        for layer in self.encoder.layer:
            x = layer(x, keep)
        return EncoderOutput(x)
