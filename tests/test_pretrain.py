"""``canbo pretrain``: a tiny MLM run on raw text, then fine-tuning from its output."""

from __future__ import annotations

import json

import pytest

from canbo.model.cli import main

TEXT = [
    "Trang chủ | Giới thiệu | Liên hệ",
    "Sáng 12/3, Huyện ủy Bắc Hà tổ chức hội nghị sơ kết công tác quý I năm 2024. Đồng chí Lê Văn An phát biểu.",
    "Năm nay, toàn huyện có 2.350 hộ tham gia mô hình trồng cây ăn quả ôn đới trên diện tích 150 ha.",
    "Bà con bản Na Hối đã làm đường bê tông dài 3 km, đón nhận danh hiệu bản văn hóa.",
] * 3


@pytest.mark.slow
def test_pretrain_then_fine_tune_from_it(tmp_path, tiny_gold_path, capsys):
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "a.txt").write_text("\n".join(TEXT), encoding="utf-8")
    out = tmp_path / "pretrained"
    argv = ["pretrain", "--corpus", str(corpus), "--output_dir", str(out), "--tiny_hidden_size", "32", "--tiny_layers", "1",
            "--tiny_merges", "100", "--epochs", "2", "--batch_size", "4", "--progress", "false"]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out  # the Trainer's log lines, then the report
    report = json.loads(printed[printed.rindex('{\n  "sentences"') :])
    assert report["sentences"] == 12 and report["steps"] > 0  # 3 x 4 body sentences; the menu line is skipped
    assert {"config.json", "model.safetensors", "vocab.txt", "bpe.codes"} <= {p.name for p in out.iterdir()}
    # the same command continues from its own output
    again = tmp_path / "again"
    assert main(["pretrain", "--corpus", str(corpus), "--backbone", str(out), "--output_dir", str(again), "--epochs", "1",
                 "--batch_size", "4", "--progress", "false"]) == 0  # fmt: skip
    capsys.readouterr()
    from canbo.train.config import DataConfig, ModelConfig, TrainConfig
    from canbo.train.trainer import run_training

    run_training(
        DataConfig(train=[str(tiny_gold_path)]),
        ModelConfig(backbone=str(again), head_hidden_size=32),
        TrainConfig(output_dir=str(tmp_path / "ft"), epochs=1, batch_size=2, progress=False, select_best=False,
                    early_stopping_patience=0),
    )  # fmt: skip
    cfg = json.loads((tmp_path / "ft" / "config.json").read_text())
    assert cfg["backbone_config"]["hidden_size"] == 32 and cfg["backbone_name"] == str(again)
