"""Calibrated scores: Platt fit, reliability and ECE, the --min-score filter, and the pipeline
applying a model's calibration.json."""

import json
import shutil

import pytest

from canbo.model.calibration import (
    Calibration,
    Platt,
    at_least,
    expected_calibration_error,
    fit,
    fit_platt,
    reliability,
)
from canbo.model.cli import main
from canbo.model.schema import Document, Entity, Relation


def test_an_overconfident_score_is_pulled_to_the_share_right():
    # every span scored 0.99, one in two right: the calibrated score must be near 0.5
    f = fit_platt([0.99] * 200, [True, False] * 100)
    assert f(0.99) == pytest.approx(0.5, abs=0.02)


def test_platt_keeps_the_ranking_and_separates_right_from_wrong():
    scores = [0.6, 0.7, 0.8, 0.9, 0.95, 0.99] * 20
    right = [s >= 0.9 for s in scores]
    f = fit_platt(scores, right)
    mapped = [f(s) for s in (0.6, 0.7, 0.8, 0.9, 0.95, 0.99)]
    assert mapped == sorted(mapped)
    assert mapped[0] < 0.1 and mapped[-1] > 0.9


def test_reliability_bins_and_ece_by_hand():
    pairs = [(0.95, True), (0.85, False), (0.85, True), (0.15, False)]
    rows = reliability(pairs, bins=10)
    assert [(r["lo"], r["count"], r["accuracy"]) for r in rows] == [(0.1, 1, 0.0), (0.8, 2, 0.5), (0.9, 1, 1.0)]
    # gaps: |0.15-0| = 0.15 (1), |0.85-0.5| = 0.35 (2), |0.95-1| = 0.05 (1) -> (0.15+0.7+0.05)/4
    assert expected_calibration_error(pairs, bins=10) == pytest.approx(0.225)
    assert expected_calibration_error([]) == 0.0


def doc_with_scores():
    text = "Ông Lê Văn Tâm, Bí thư Huyện ủy, và ông Đỗ Hải, Chủ tịch xã."
    ents = [
        Entity(4, 14, "PERSON", "Lê Văn Tâm", 0.9),
        Entity(16, 31, "POSITION", "Bí thư Huyện ủy", 0.4),
        Entity(40, 46, "PERSON", "Đỗ Hải", 0.95),
        Entity(48, 60, "POSITION", "Chủ tịch xã", None),
    ]
    return Document(text, ents, [Relation(0, 1, "HAS_POSITION", 0.9), Relation(2, 3, "HAS_POSITION", 0.3)])


def test_at_least_drops_low_spans_their_relations_and_reindexes():
    doc = doc_with_scores()
    kept = at_least(doc, 0.5)
    assert [e.text for e in kept.entities] == ["Lê Văn Tâm", "Đỗ Hải", "Chủ tịch xã"]  # unscored stays
    assert kept.relations == []  # 0->1 lost its office; 2->3 scored 0.3
    kept = at_least(doc, 0.2)
    assert [(r.head, r.tail) for r in kept.relations] == [(0, 1), (2, 3)]
    assert len(doc.entities) == 4  # the input is not changed
    with pytest.raises(ValueError):
        at_least(doc, 1.5)


def test_fit_uses_exact_matches_and_round_trips(tmp_path):
    gold = Document("Ông Lê Văn Tâm phát biểu.", [Entity(4, 14, "PERSON", "Lê Văn Tâm")])
    right = Document(gold.text, [Entity(4, 14, "PERSON", "Lê Văn Tâm", 0.99)])
    cut = Document(gold.text, [Entity(4, 10, "PERSON", "Lê Văn", 0.99)])
    cal = fit([gold, gold] * 30, [right, cut] * 30, fitted_on="test")
    assert cal.entity_score("PERSON", 0.99) == pytest.approx(0.5, abs=0.03)
    assert cal.entity_score("ORG", 0.99) == 0.99  # a label it never saw keeps its raw score
    few = fit([gold] * 29, [cut] * 29)  # too few to fit: raw scores
    assert few.entity == {} and few.entity_score("PERSON", 0.99) == 0.99
    cal.save(tmp_path)
    back = Calibration.load(tmp_path)
    assert back.entity == cal.entity and back.fitted_on == "test" and back.relation is None
    assert Calibration.load(tmp_path / "nowhere") is None


def test_the_pipeline_applies_a_models_calibration(tiny_model_dir, tmp_path):
    from canbo.model.pipeline import load

    text = "Đồng chí Lê Minh Khoa, Bí thư Huyện ủy Tam Nông chủ trì hội nghị."
    raw = load(tiny_model_dir).predict(text)
    folder = tmp_path / "m"
    shutil.copytree(tiny_model_dir, folder)
    Calibration({lab: Platt(1.0, -20.0) for lab in ("PERSON", "POSITION", "ORG", "LOCATION", "METRIC")},
                Platt(1.0, -20.0)).save(folder)
    low = load(folder).predict(text)
    assert [(e.start, e.end) for e in low.entities] == [(e.start, e.end) for e in raw.entities]
    assert raw.entities and all(e.score < 1e-3 < r.score for e, r in zip(low.entities, raw.entities))
    (folder / "calibration.json").write_text(json.dumps({"method": "isotonic"}), encoding="utf-8")
    from canbo.model.hub import ModelUnavailableError

    with pytest.raises(ModelUnavailableError, match="calibration"):
        load(folder)


def test_cli_min_score(tiny_model_dir, capsys):
    text = "Đồng chí Lê Minh Khoa, Bí thư Huyện ủy Tam Nông chủ trì hội nghị."
    assert main(["predict", "--model", str(tiny_model_dir), "-f", "json", text]) == 0
    every = json.loads(capsys.readouterr().out)["entities"]
    top = max(e["score"] for e in every)
    assert every and top < 0.999
    assert main(["predict", "--model", str(tiny_model_dir), "-f", "json", "--min-score", str(top + 0.0006), text]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["entities"] == [] and out["relations"] == []
    with pytest.raises(SystemExit) as exc:
        main(["officials", "--min-score", "2", text])
    assert exc.value.code == 2 and "from 0 to 1" in capsys.readouterr().err


def test_canbo_calibrate_fits_on_fold_predictions_and_saves(tmp_path, capsys):
    """Three folds where every PERSON span scores 0.99 but one in three is cut short: the fit must
    bring 0.99 down to about two in three, and leave-one-fold-out ECE must drop."""
    from canbo.model.schema import write_jsonl

    gold, run = [], tmp_path / "cv"
    for art in ("001", "002", "003"):
        preds = []
        for i in range(30):
            d = Document(f"Ông Lê Văn Tâm số {i} phát biểu.", [Entity(4, 14, "PERSON", "Lê Văn Tâm")], id=f"{art}-s{i}",
                         meta={"doc": art})
            gold.append(d)
            end = 10 if i % 3 == 0 else 14  # "Lê Văn" instead of "Lê Văn Tâm"
            preds.append(Document(d.text, [Entity(4, end, "PERSON", d.text[4:end], 0.99)], [], d.id))
        (run / f"fold-{art}").mkdir(parents=True)
        write_jsonl(preds, run / f"fold-{art}" / "heldout_predictions.jsonl", gold=False)
    write_jsonl(gold, tmp_path / "gold.jsonl")
    model = tmp_path / "model"
    model.mkdir()
    assert main(["calibrate", "--crossval", str(run), "--model", str(model), "--data", str(tmp_path / "gold.jsonl")]) == 0
    printed = capsys.readouterr().out
    assert "90 predicted entities" in printed and "saved" in printed
    cal = Calibration.load(model)
    assert cal is not None and "3 cross-validation folds" in cal.fitted_on
    assert cal.entity["PERSON"](0.99) == pytest.approx(2 / 3, abs=0.05)
    raw, after = (float(x) for x in printed.split("entity ECE")[1].split("(")[0].replace("raw", "").split("-> calibrated"))
    assert raw == pytest.approx(0.99 - 2 / 3, abs=1e-4) and after < 0.05


def test_canbo_calibrate_without_folds_is_one_clear_error(tmp_path, capsys):
    assert main(["calibrate", "--crossval", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert "run canbo crossval first" in err and "Traceback" not in err
