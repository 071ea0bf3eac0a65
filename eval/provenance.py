"""What a checkpoint is and what it was trained on: config files and train/test overlap."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from canbo.model.schema import Document, article_id, read_corpus

CONFIG_KEYS = ("backbone_name", "entity_labels", "relation_label", "relation_threshold", "max_tokens",
               "head_hidden_size", "head_dropout", "relation_loss_weight")
BACKBONE_KEYS = ("model_type", "hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size")
TRAIN_KEYS = ("train", "dev", "holdout_doc", "synthetic", "backbone", "epochs", "batch_size", "learning_rate",
              "head_learning_rate", "early_stopping_patience", "seed")


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def model_info(folder: str | Path, gold: Sequence[Document]) -> dict[str, Any]:
    """Model config, training config and run info of ``folder``, plus how many of the
    ``gold`` sentences the model was trained on (``None`` when unknown)."""
    folder = Path(folder)
    cfg = _read_json(folder / "config.json")
    train = _read_json(folder / "train_config.json")
    run = _read_json(folder / "run_info.json")
    info: dict[str, Any] = {
        "path": str(folder),
        "config": {k: cfg[k] for k in CONFIG_KEYS if k in cfg},
        "backbone": {k: cfg.get("backbone_config", {})[k] for k in BACKBONE_KEYS if k in cfg.get("backbone_config", {})},
        "train_config": {k: train[k] for k in TRAIN_KEYS if k in train},
        "data_fingerprint": run.get("data_fingerprint"),
        "train_sentences": run.get("train_sentences"),
    }
    info["trained_on_eval_sentences"] = _overlap(train, gold)
    return info


def _overlap(train: dict[str, Any], gold: Sequence[Document]) -> int | None:
    """Eval sentences whose text occurs in the model's training files (minus its held-out article)."""
    paths = [p for p in train.get("train", []) if Path(p).exists()]
    if not paths or len(paths) != len(train.get("train", [])):
        return None
    held = train.get("holdout_doc")
    seen = {d.text for d in read_corpus(paths) if not held or article_id(d) != held}
    return sum(d.text in seen for d in gold)
