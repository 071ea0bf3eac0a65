"""train.decoding: decode-only settings written into trained folds, their predictions redone."""

import json
import shutil

import pytest

from canbo.model.pipeline import load
from canbo.model.schema import article_id, read_corpus, read_predictions
from canbo.train.decoding import main, set_decoding


@pytest.fixture()
def crossval(tmp_path, tiny_model_dir):
    for art in ("fx0", "fx1"):
        shutil.copytree(tiny_model_dir, tmp_path / "cv" / f"fold-{art}", ignore=shutil.ignore_patterns("checkpoints"))
    shutil.copytree(tiny_model_dir, tmp_path / "full", ignore=shutil.ignore_patterns("checkpoints"))
    return tmp_path


def test_redecode_sets_every_fold_and_the_run_and_predicts_again(crossval, tiny_gold_path, capsys):
    argv = ["--crossval", str(crossval / "cv"), "--run", str(crossval / "full"), "--data", str(tiny_gold_path),
            "--merge_policy", "model-first", "--rule_labels", "METRIC", "--relation_one_holder", "true"]  # fmt: skip
    assert main(argv) == 0
    for folder in (crossval / "cv" / "fold-fx0", crossval / "cv" / "fold-fx1", crossval / "full"):
        pipe = load(folder)
        assert (pipe.merge_policy, pipe.rule_labels, pipe.one_holder) == ("model-first", ["METRIC"], True)
        assert json.loads((folder / "train_config.json").read_text(encoding="utf-8"))["rule_labels"] == ["METRIC"]
        info = json.loads((folder / "run_info.json").read_text(encoding="utf-8"))
        assert info["decoding_set_after_training"]["merge_policy"] == "model-first"
    preds = read_predictions(crossval / "cv" / "fold-fx0" / "heldout_predictions.jsonl")
    held = [d.id for d in read_corpus([tiny_gold_path]) if article_id(d) == "fx0"]
    assert held and [p.id for p in preds] == held  # the fold's own held-out sentences, in order
    assert {e.source for p in preds for e in p.entities} & {"rules", "both"}  # the new policy made them
    summary = json.loads((crossval / "cv" / "crossval.json").read_text(encoding="utf-8"))
    assert summary["decoding"]["rule_labels"] == ["METRIC"] and set(summary["folds"]) == {"fx0", "fx1"}
    assert 0.0 < summary["ents_f"]["mean"] <= 1.0
    assert "fold predictions and crossval.json rewritten" in capsys.readouterr().out


def test_only_decode_settings_and_valid_values(crossval):
    with pytest.raises(ValueError, match="not decode-only settings: epochs"):
        set_decoding(crossval / "full", epochs=3)
    with pytest.raises(ValueError, match="FIGURE not among the entity labels"):
        set_decoding(crossval / "full", rule_labels=["FIGURE"])
    with pytest.raises(ValueError, match="merge_policy must be one of"):
        set_decoding(crossval / "full", merge_policy="union")
    assert load(crossval / "full").merge_policy == "model"  # nothing written by a refused call


def test_cli_refuses_unknown_policies_before_any_work(crossval, capsys):
    for flag, value in (("--merge_policy", "union"), ("--relation_merge", "both")):
        with pytest.raises(SystemExit):
            main(["--crossval", str(crossval / "cv"), flag, value])
        assert f"invalid choice: '{value}'" in capsys.readouterr().err
    assert load(crossval / "full").merge_policy == "model"
