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
from canbo.model.inference_config import InferenceConfig, NotPlain, read_config

__all__ = ["InferenceConfig", "InferenceModel", "NotPlain", "load_plain", "load_tokenizer", "read_config"]


class InferenceModel(CanboHeads, nn.Module):
    """``CanboModel`` for prediction: the same heads and parameter names on a plain-torch encoder."""

    backend = "torch"

    def __init__(self, config: InferenceConfig):
        from canbo.model.roberta import RobertaEncoder

        super().__init__()
        self.config = config
        self.encoder = RobertaEncoder(config.backbone_config)
        self.build_heads(config, self.encoder.hidden_size)


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
