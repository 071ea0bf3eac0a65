"""Shared fixtures: no network, a tiny trained model built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"  # forced: a user's HF_HUB_OFFLINE=0 must not make the suite probe the Hub
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tiny_gold_path() -> Path:
    return FIXTURES / "tiny_gold.jsonl"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, tiny_gold_path) -> Path:
    """A tiny model overfit on the fixture sentences (trained once, ~10 s)."""
    from canbo.train.config import DataConfig, ModelConfig, TrainConfig
    from canbo.train.trainer import run_training

    out = tmp_path_factory.mktemp("tiny_model")
    run_training(
        DataConfig(train=[str(tiny_gold_path)]),
        ModelConfig(backbone="tiny", tiny_hidden_size=64, tiny_layers=1, tiny_heads=2, head_hidden_size=64, head_dropout=0.0),
        TrainConfig(
            output_dir=str(out), epochs=60, batch_size=6, learning_rate=3e-3, head_learning_rate=5e-3,
            warmup_ratio=0.0, weight_decay=0.0, early_stopping_patience=0, progress=False, logging_steps=50,
        ),
    )
    return out


@pytest.fixture(scope="session")
def default_pipeline():
    """The shipped default model, loaded once for the tests that serve it."""
    from canbo.model.pipeline import load

    return load()


@pytest.fixture(scope="session")
def directory_file(tmp_path_factory, default_pipeline) -> Path:
    """A directory built by ``canbo index``'s code from two hand-written pages
    (``fixtures/directory_pages.jsonl``: the same Bí thư of Yên Lạc on 2024-03-05 and 2025-01-10)."""
    from canbo.model.directory.store import index_pages, iter_pages

    db = tmp_path_factory.mktemp("directory") / "directory.sqlite"
    summary = index_pages(db, iter_pages([str(FIXTURES / "directory_pages.jsonl")]), default_pipeline, "test")
    assert summary.new == 2 and not summary.failed
    return db
