"""Training runs: reproducibility on CPU, resume, and a two-process torchrun (gloo) smoke test."""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from canbo.train.config import DataConfig, ModelConfig, TrainConfig, parse_config
from canbo.train.trainer import run_training

pytestmark = pytest.mark.slow

SMALL = dict(backbone="tiny", tiny_hidden_size=32, tiny_layers=1, tiny_heads=2, head_hidden_size=32)


def small_run(tmp, gold, **train):
    return run_training(
        DataConfig(train=[str(gold)], holdout_doc="fx1"),
        ModelConfig(**SMALL),
        TrainConfig(output_dir=str(tmp), epochs=3, batch_size=2, progress=False, **train),
    )


def test_same_config_and_seed_give_same_dev_metrics(tmp_path, tiny_gold_path):
    a = small_run(tmp_path / "a", tiny_gold_path, seed=7)
    b = small_run(tmp_path / "b", tiny_gold_path, seed=7)
    assert a == b and "ents_f" in a
    assert set(a["seqeval_per_type"]) <= {"PERSON", "POSITION", "ORG", "LOCATION", "METRIC"} and "seqeval_f" in a
    info = json.loads((tmp_path / "a" / "run_info.json").read_text())
    assert info["dev_metrics"] == a and info["train_sentences"] == 3


def test_resume_continues_from_the_checkpoint_step(tmp_path, tiny_gold_path):
    small_run(tmp_path / "r", tiny_gold_path, save_total_limit=3)
    first = json.loads((tmp_path / "r" / "run_info.json").read_text())
    ckpts = sorted((tmp_path / "r" / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    assert len(ckpts) == 3 and first["start_step"] == 0
    small_run(tmp_path / "r", tiny_gold_path, resume_from_checkpoint=str(ckpts[0]), save_total_limit=3)
    info = json.loads((tmp_path / "r" / "run_info.json").read_text())
    assert info["start_step"] == int(ckpts[0].name.split("-")[1]) > 0  # not restarted from step 0
    assert info["end_step"] == first["end_step"]


def test_resume_last_skips_an_incomplete_newest_checkpoint(tmp_path, tiny_gold_path):
    from canbo.model import load
    from canbo.train.trainer import latest_complete_checkpoint

    small_run(tmp_path / "r", tiny_gold_path, save_total_limit=3)
    folder = tmp_path / "r" / "checkpoints"
    ckpts = sorted(folder.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    (ckpts[-1] / "optimizer.pt").unlink()  # as if killed while saving
    assert latest_complete_checkpoint(folder) == str(ckpts[-2])
    small_run(tmp_path / "r", tiny_gold_path, resume_from_checkpoint="last", save_total_limit=3)
    info = json.loads((tmp_path / "r" / "run_info.json").read_text())
    assert info["resumed_from"] == str(ckpts[-2]) and info["start_step"] == int(ckpts[-2].name.split("-")[1])
    newest = max(folder.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    sentence = "Bí thư Huyện ủy Lê Văn An phát biểu."  # a checkpoint folder loads as a model: the final one's
    assert load(newest).predict(sentence).to_dict() == load(tmp_path / "r").predict(sentence).to_dict()


def test_yaml_config_with_overrides(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("backbone: tiny\nepochs: 4\ntrain: [a.jsonl, b.jsonl]\n")
    data, model, train = parse_config(["--config", str(cfg), "--epochs", "2", "--progress", "false"])
    assert data.train == [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]  # relative to the YAML file
    assert model.backbone == "tiny"
    assert train.epochs == 2 and train.progress is False


@pytest.mark.skipif(importlib.util.find_spec("torch.distributed.run") is None, reason="torch.distributed.run missing")
def test_torchrun_two_processes_on_cpu(tmp_path, tiny_gold_path):
    env = dict(os.environ, HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
    cmd = [
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29561",
        "-m", "canbo", "train", "--train", str(tiny_gold_path), "--backbone", "tiny",
        "--tiny_hidden_size", "32", "--tiny_layers", "1", "--head_hidden_size", "32",
        "--epochs", "2", "--batch_size", "2", "--progress", "false", "--output_dir", str(tmp_path / "ddp"),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    info = json.loads((tmp_path / "ddp" / "run_info.json").read_text())
    assert info["world_size"] == 2
    assert (tmp_path / "ddp" / "model.safetensors").exists()


def test_selection_options_without_a_dev_set_are_warned_about(tmp_path, tiny_gold_path, caplog):
    import logging

    with caplog.at_level(logging.WARNING, logger="canbo.train"):
        run_training(
            DataConfig(train=[str(tiny_gold_path)]),
            ModelConfig(**SMALL),
            TrainConfig(output_dir=str(tmp_path), epochs=1, batch_size=2, progress=False),  # select_best defaults on
        )
    assert "no dev set" in caplog.text
    assert json.loads((tmp_path / "run_info.json").read_text())["dev_metrics"] == {}
