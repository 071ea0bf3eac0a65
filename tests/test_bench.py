"""The benchmark's plumbing on a tiny model and a few sentences: structure only, no timed assertions."""

from __future__ import annotations

import json

import pytest

from canbo.eval import bench
from canbo.eval.bench_work import STAGES, corpus, run_job, staged_run


@pytest.fixture(scope="module")
def small_backbone() -> dict:
    """phobert-base's config with toy sizes, so 'phobert-base' jobs run in a second."""
    from canbo.train.backbones import phobert_base_shape_config

    cfg = phobert_base_shape_config(vocab_size=500)
    cfg.hidden_size, cfg.num_hidden_layers, cfg.num_attention_heads, cfg.intermediate_size = 32, 1, 2, 64
    return cfg.to_dict()


@pytest.fixture(scope="module")
def small_raw(tmp_path_factory):
    """Two short 'pages': a few sentences each, boilerplate lines included."""
    out = tmp_path_factory.mktemp("raw")
    for k, text in enumerate(corpus(1, articles=2)):
        (out / f"{k:03d}.txt").write_text(text[:1200], encoding="utf-8")
    return out


def test_corpus_is_the_raw_articles_repeated():
    one = corpus(1)
    assert len(one) == 4 and all(len(t) > 1000 for t in one)
    assert corpus(3, articles=2) == one[:2] * 3


def test_staged_run_matches_predict_batch(tiny_model_dir):
    from canbo.model.pipeline import load

    pipe = load(tiny_model_dir)
    texts = [t[:1500] for t in corpus(1, articles=2)]
    out = staged_run(pipe, texts, batch_size=4)
    docs = pipe.predict_batch(texts, batch_size=4)
    assert set(out["seconds"]) == set(STAGES)
    assert out["total_s"] == pytest.approx(sum(out["seconds"].values()))
    assert out["counts"]["sentences"] == len(pipe.prepare(texts)) > 0
    assert out["counts"]["entities"] == sum(len(d.entities) for d in docs)
    assert out["counts"]["relations"] == sum(len(d.relations) for d in docs)
    assert out["counts"]["chars"] == sum(map(len, texts))
    assert out["sentences_per_s"] > 0 and out["words_per_s"] >= out["sentences_per_s"]


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_jobs_in_process_and_report_structure(tiny_model_dir, small_backbone, small_raw, tmp_path):
    model = str(tiny_model_dir)
    runs = {}
    plan = bench.plan(
        model, quick=True, batches=(2,), train=False, base_backbone=small_backbone, raw_dir=small_raw, ray=False
    )
    for name, spec in plan:
        runs[name] = run_job(spec)
    lowp = ("phobert-base-int8/b2", "phobert-base-bf16/b2")
    serial = ("default/b2/serial", "default/b2/serial-1thread")
    assert set(runs) == {"default/b2", *serial, "phobert-base/b2", *lowp, "underthesea-ner"}
    assert runs["default/b2/serial"]["workers"] == 0
    for name in ("default/b2", "phobert-base/b2", *lowp):
        r = runs[name]
        assert r["counts"]["sentences"] > 0 and r["peak_rss_mb"] > 0 and r["torch_threads"] >= 1
        assert set(r["seconds"]) == set(STAGES) and "cpu_s" in r
    assert "unclocked_s" in runs["default/b2"]
    if runs["underthesea-ner"]["available"]:
        assert runs["underthesea-ner"]["counts"]["sentences"] == runs["default/b2"]["counts"]["sentences"]
    runs["train/phobert-base"] = run_job(
        {"job": "train_base", "steps": 1, "warmup": 1, "backbone": small_backbone}
    )
    assert (
        runs["train/phobert-base"]["timed_steps"] == 1 and runs["train/phobert-base"]["s_per_100_steps"] > 0
    )

    cold = {"median": {"outside_s": 2.0, "import_s": 1.0, "load_s": 0.5, "first_predict_s": 0.3, "inside_s": 1.8,
                       "peak_rss_mb": 400.0}, "runs": [{}], "python_startup_s": 0.2,
            "startup": {"import_torch_s": 0.8, "help_s": 0.3, "train_help_s": 0.6}}  # fmt: skip
    report = {"machine": bench.machine_info(), "settings": {"model": model}, "runs": runs, "cold_start": cold}
    report["targets"] = bench.check_targets(runs, cold)
    by_name = {t["target"]: t for t in report["targets"]}
    assert set(by_name) == set(bench.TARGETS)
    assert by_name["cold_start_s"]["met"] is True
    assert by_name["cold_start_vs_import_torch"]["value"] == pytest.approx(2.5)  # 2.0 s / 0.8 s
    assert by_name["cold_start_vs_import_torch"]["met"] is False and by_name["cold_start_vs_import_torch"]["why"]
    assert by_name["help_s"]["met"] is True and by_name["train_help_s"]["miss"] == "20% over"
    assert by_name["default_b32_sentences_per_s"]["met"] is None  # no batch-32 run here: not measured
    default_rss = max(r["peak_rss_mb"] for n, r in runs.items() if n.startswith("default/"))
    assert by_name["default_peak_rss_mb"]["value"] == default_rss

    table = bench.format_table(report, baseline=report)
    assert "default/b2" in table and "cold start" in table and "(1.00x)" in table
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(report))
    back = json.loads(path.read_text())
    for key in ("cpu", "usable_cores", "torch", "torch_threads", "python", "date"):
        assert key in back["machine"]


def test_cli_refuses_a_folder_without_a_model(tmp_path):
    with pytest.raises(SystemExit):
        bench.main(["--model", str(tmp_path), "--out", str(tmp_path / "x.json")])


def test_cpu_busy_is_a_fraction():
    busy = bench.cpu_busy(0.05)
    assert busy is None or 0.0 <= busy <= 1.0


@pytest.mark.slow
def test_run_bench_isolated_processes(tiny_model_dir, small_backbone, small_raw, tiny_gold_path, monkeypatch):
    """The real driver: each job in its own interpreter, a cold start, a training job (on the
    tiny fixture data and a tiny model, so that the test measures the driver, not the recipe).
    One job of each kind (the pipeline, the phobert-base shape, training a config): the test above
    runs the plan's other pipeline jobs in-process."""
    whole_plan = bench.plan
    kinds = {"default/b4", "phobert-base/b4", "train/tiny"}
    monkeypatch.setattr(bench, "plan", lambda *a, **k: [job for job in whole_plan(*a, **k) if job[0] in kinds])
    small = ["--train", str(tiny_gold_path), "--extra_train", str(tiny_gold_path), "--synthetic", "0",
             "--backbone", "tiny", "--tiny_hidden_size", "32", "--tiny_layers", "1", "--head_hidden_size", "32",
             "--tiny_merges", "200"]  # fmt: skip  # the shipped recipe's pretrained backbone is not in a fresh clone
    report = bench.run_bench(
        str(tiny_model_dir), quick=True, batches=(4,), reduced_precision=False, base_backbone=small_backbone,
        raw_dir=small_raw, cold_repeats=1, progress=lambda s: None, train_overrides=small, ray=False, retries=0,
    )  # fmt: skip
    runs = report["runs"]
    assert set(runs) == kinds and not [n for n, r in runs.items() if "error" in r], runs
    assert runs["train/tiny"]["s_per_epoch"] > 0 and runs["train/tiny"]["steps"] > 0
    assert report["cold_start"]["median"]["outside_s"] > report["cold_start"]["median"]["first_predict_s"]
    assert json.loads(json.dumps(report))["targets"] == report["targets"]


def test_results_keep_the_keys_of_other_benchmarks(tmp_path):
    path = tmp_path / "bench.json"
    path.write_text(json.dumps({"memory": {"cases": 3}, "runs": {"old": 1}}))
    merged = bench.kept_keys(path, {"runs": {"new": 2}, "targets": []})
    assert merged == {"memory": {"cases": 3}, "runs": {"new": 2}, "targets": []}
    assert bench.kept_keys(tmp_path / "none.json", {"runs": {}}) == {"runs": {}}
