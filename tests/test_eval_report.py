"""`canbo eval`: the report folder, its consistency with metrics.json, and the pieces it is built from."""

from __future__ import annotations

import json

import pytest

from canbo.eval.crossval_report import learning_curve, summarize
from canbo.eval.evaluate import bootstrap_ci
from canbo.eval.render import to_html, to_markdown
from canbo.eval.report import pct
from canbo.eval.underthesea_ner import tags_to_entities
from canbo.model.cli import main
from canbo.model.metrics import restrict
from canbo.model.schema import Document, Entity, Relation, read_jsonl, write_jsonl
from canbo.model.scoring import score_entities

OUTPUTS = ("report.md", "report.html", "metrics.json", "predictions.jsonl", "per_label_f1.png", "confusion.png",
           "reliability.png")
FLAT_KEYS = ("ents_p", "ents_r", "ents_f", "ents_macro_f", "ents_per_type", "rel_p", "rel_r", "rel_f",
             "rel_given_gold_f", "seqeval_f", "shared_f", "ents_f_ci95", "baselines", "crossval", "errors")


# ---------------------------------------------------------------- pieces (fast)


def test_underthesea_rows_become_entities_on_the_original_text():
    text = "Ông Lê Văn An về Hà  Nội."  # two spaces: words are placed on the original string
    rows = [("Ông", "N", "B-NP", "O"), ("Lê Văn An", "Np", "B-NP", "B-PER"), ("về", "V", "B-VP", "O"),
            ("Hà Nội", "Np", "B-NP", "B-LOC"), (".", "CH", "O", "O")]
    ents = tags_to_entities(text, rows)
    assert [(e.text, e.label) for e in ents] == [("Lê Văn An", "PERSON"), ("Hà  Nội", "LOCATION")]
    dict_rows = [{"word": "Hà", "entity": "B-ORG"}, {"word": "Nội", "entity": "I-ORG"}]
    assert [(e.start, e.end, e.label) for e in tags_to_entities("Hà Nội", dict_rows)] == [(0, 6, "ORG")]


def test_restrict_keeps_relations_between_kept_entities():
    doc = Document("a b c", [Entity(0, 1, "PERSON", "a"), Entity(2, 3, "METRIC", "b"), Entity(4, 5, "POSITION", "c")],
                   [Relation(0, 2, "HAS_POSITION")])
    (kept,) = restrict([doc], ("PERSON", "POSITION"))
    assert [e.label for e in kept.entities] == ["PERSON", "POSITION"]
    assert [(r.head, r.tail) for r in kept.relations] == [(0, 1)]


def test_bootstrap_of_a_perfect_system_is_a_point():
    docs = [Document("ab", [Entity(0, 1, "ORG", "a")]), Document("cd", [Entity(1, 2, "ORG", "d")])]
    assert bootstrap_ci(docs, docs, n=50) == (1.0, 1.0)


def test_relation_summary_skips_folds_without_gold_relations():
    folds = {"a": {"ents_f": 0.5, "rel_f": 0.0, "rel_support": 0}, "b": {"ents_f": 0.7, "rel_f": 0.6, "rel_support": 3}}
    s = summarize(folds)
    assert s["ents_f"]["n"] == 2 and s["ents_f"]["mean"] == pytest.approx(0.6)
    assert s["rel_f"] == {"mean": 0.6, "std": 0.0, "min": 0.6, "max": 0.6, "n": 1}


def test_markdown_and_html_render_the_same_blocks():
    blocks = [("h", 1, "T"), ("p", "**bold** `x`"), ("table", ["a", "b"], [[1, "x|y"]]), ("img", "p.png", "alt")]
    md, page = to_markdown(blocks), to_html(blocks, "T")
    assert "| 1 | x\\|y |" in md and "![alt](p.png)" in md
    assert "<b>bold</b>" in page and "<code>x</code>" in page and '<img src="p.png"' in page


# ---------------------------------------------------------------- the command (slow)


def _run(argv, capsys) -> str:
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.mark.slow
def test_eval_writes_a_consistent_report(tiny_model_dir, tiny_gold_path, tmp_path, capsys):
    out = tmp_path / "report"
    printed = _run(["eval", "--model", str(tiny_model_dir), "--data", str(tiny_gold_path), "--out", str(out),
                    "--progress", "false"], capsys)
    assert str(out / "report.md") in printed
    for name in OUTPUTS:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert not (out / "learning_curve.png").exists()
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert all(k in metrics for k in FLAT_KEYS)
    assert set(metrics["ents_per_type"]) == {"PERSON", "POSITION", "ORG", "LOCATION", "METRIC"}
    assert metrics["baselines"]["rule"]["available"] is True and "ents_f" in metrics["baselines"]["rule"]
    assert metrics["crossval"] is None
    gold = read_jsonl(tiny_gold_path)
    lines = (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(gold)
    preds = [Document(o["text"], [Entity(e["start"], e["end"], e["label"], e["text"]) for e in o["entities"]])
             for o in map(json.loads, lines)]
    assert score_entities(gold, preds)["micro"]["f1"] == pytest.approx(metrics["ents_f"])
    report = (out / "report.md").read_text(encoding="utf-8")
    assert f"**{pct(metrics['ents_f'])}**" in report and pct(metrics["rel_f"]) in report
    assert "Metric definitions" in report and "Learning curves" in report and "Not available" in report
    assert "per_label_f1.png" in report and "confusion.png" in report
    # calibration: the ECE in metrics.json is that of the scores in predictions.jsonl
    from canbo.model.calibration import expected_calibration_error, outcomes
    from canbo.model.schema import read_predictions

    ents, _ = outcomes(gold, read_predictions(out / "predictions.jsonl"))
    ece = expected_calibration_error([x for xs in ents.values() for x in xs])
    assert metrics["calibration"]["shipped_entity_ece"] == pytest.approx(ece, abs=1e-4)
    assert metrics["calibration"]["raw_entity_ece"] is None  # the tiny model has no calibration.json
    assert "Calibration of scores" in report and "reliability.png" in report
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'src="confusion.png"' in page and pct(metrics["ents_f"]) in page


def _fake_crossval_run(root, gold_path):
    """A minimal `canbo crossval` folder: gold written as each fold's held-out predictions, plus a history."""
    gold = read_jsonl(gold_path)
    for art in sorted({d.meta["doc"] for d in gold}):
        fold = root / f"fold-{art}"
        (fold / "checkpoints" / "checkpoint-2").mkdir(parents=True)
        write_jsonl([d for d in gold if d.meta["doc"] == art], fold / "heldout_predictions.jsonl", gold=False)
        history = [{"epoch": float(e), "step": e, "eval_ents_f": e / 2, "eval_rel_f": e / 2} for e in (1, 2)]
        state = {"log_history": history, "best_global_step": 2, "num_train_epochs": 2}
        (fold / "checkpoints" / "checkpoint-2" / "trainer_state.json").write_text(json.dumps(state), encoding="utf-8")
    folds = {a.name.removeprefix("fold-"): {"ents_f": 1.0, "rel_f": 1.0} for a in root.glob("fold-*")}
    (root / "crossval.json").write_text(json.dumps({"folds": folds}), encoding="utf-8")


@pytest.mark.slow
def test_eval_with_crossval_run_leads_with_fold_scores(tiny_model_dir, tiny_gold_path, tmp_path, capsys):
    run, out = tmp_path / "cv", tmp_path / "report"
    _fake_crossval_run(run, tiny_gold_path)
    _run(["eval", "--model", str(tiny_model_dir), "--data", str(tiny_gold_path), "--crossval", str(run),
          "--out", str(out), "--progress", "false", "--no-underthesea"], capsys)
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    cv = metrics["crossval"]
    assert cv["folds"] == ["fx0", "fx1"] and cv["consistent_with_training"] is True
    model = cv["systems"]["model"]
    assert model["summary"]["ents_f"]["mean"] == 1.0 and model["summary"]["rel_f"]["mean"] == 1.0
    assert model["pooled"]["ents_f"] == 1.0 and "rule" in cv["systems"]
    assert metrics["baselines"]["underthesea"]["available"] is False
    assert (out / "learning_curve.png").is_file()
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "Cross-validation (headline)" in report and "100.0 ± 0.0" in report
    assert "underthesea baseline not run" in report
    assert learning_curve(run / "fold-fx0")["best_epoch"] == 2.0
