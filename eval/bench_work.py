"""Measurements behind ``python -m eval.bench``: each job runs in its own process.

A job is a JSON dict (``{"job": "pipeline", ...}``); ``run_job(spec)`` returns a
JSON-able dict that always carries the process's peak RSS and torch threads.
``python -m eval.bench_work '<spec>'`` prints that dict after a marker line, so
the driver can run every configuration in a fresh interpreter and one
configuration's memory never pollutes another's.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
MARKER = "@@bench-result@@"
STAGES = ("split", "segment", "align", "tokenize", "forward", "decode", "relations", "assemble")


def corpus(copies: int = 1, articles: int | None = None, raw_dir: str | Path = RAW_DIR) -> list[str]:
    """The raw article scrapes (boilerplate included), ``copies`` times over: one text per page."""
    files = sorted(Path(raw_dir).glob("*.txt"))[:articles]
    if not files:
        raise FileNotFoundError(f"no raw articles (*.txt) in {raw_dir}")
    return [f.read_text(encoding="utf-8") for f in files] * copies


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cpu_seconds() -> float:
    """User + system CPU time of this process (all threads): cpu/wall far below the expected
    parallelism means the run shared the cores with something else."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _threads() -> int:
    import torch

    return torch.get_num_threads()


# ------------------------------------------------------------------ models


def phobert_base_pipeline(tokenizer_from: str | Path, precision: str = "fp32", backbone: dict | None = None):
    """A randomly initialised CanboModel with vinai/phobert-base's exact shape, wrapped in a Pipeline.

    The tokenizer is a tiny model's PhobertTokenizer (vocabulary size only changes the embedding
    table, and the table keeps phobert-base's 64001 rows so memory is honest too).
    """
    import torch
    from transformers import AutoTokenizer

    from model.architecture import CanboConfig, CanboModel
    from model.pipeline import Pipeline
    from train.backbones import phobert_base_shape_config

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_from)
    torch.manual_seed(0)
    shape = backbone or phobert_base_shape_config().to_dict()
    model = CanboModel(CanboConfig(backbone_config=shape, head_hidden_size=256)).eval()
    if precision == "int8":  # dynamic quantization of every nn.Linear (weights int8, activations on the fly)
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    elif precision == "bf16":  # bfloat16 weights and activations (oneDNN uses AMX/AVX512-BF16 where present)
        model = model.to(torch.bfloat16)
    elif precision != "fp32":
        raise ValueError(f"unknown precision {precision!r}")
    return Pipeline(model, tokenizer)


def _pipeline(spec: dict):
    if spec["model"] == "default":
        from model.pipeline import load

        return load(spec["path"])
    return phobert_base_pipeline(spec["path"], spec.get("precision", "fp32"), backbone=spec.get("backbone"))


# ------------------------------------------------------------------ end to end


def staged_run(pipe, texts: list[str], batch_size: int) -> dict:
    """``Pipeline.predict_batch`` step by step, with a clock between its stages.

    Same calls in the same order as ``predict_batch`` (its ``prepare`` loop is unrolled so that
    sentence splitting, underthesea segmentation, alignment and subword tokenization get their
    own timings); the stage times add up to the end-to-end time.
    """
    from model.pipeline import _Sentence
    from model.text import _underthesea_words, align_tokens, split_sentences

    segment = pipe.segmenter or _underthesea_words
    seconds = dict.fromkeys(STAGES, 0.0)

    def lap(stage: str, t0: float) -> float:
        now = time.perf_counter()
        seconds[stage] += now - t0
        return now

    cpu0 = _cpu_seconds()
    t = time.perf_counter()
    sents = [(i, s) for i, text in enumerate(texts) for s in split_sentences(text)]
    t = lap("split", t)
    pieces = [(i, s, texts[i][s.start : s.end]) for i, s in sents]
    pieces = [(i, s, p, segment(p)) for i, s, p in pieces if p.strip()]
    t = lap("segment", t)
    aligned = [(i, align_tokens(p, toks, offset=s.start)) for i, s, p, toks in pieces]
    aligned = [(i, words) for i, words in aligned if words]
    t = lap("align", t)
    sentences = [_Sentence(i, words, pipe.encoder.encode(texts[i], words)) for i, words in aligned]
    t = lap("tokenize", t)
    pipe._encode(sentences, batch_size, False)
    t = lap("forward", t)
    for s in sentences:
        s.spans = pipe._decode_tags(s)
    t = lap("decode", t)
    pipe._score_pairs(sentences, batch_size)
    t = lap("relations", t)
    by_doc: list[list] = [[] for _ in texts]
    for s in sentences:
        by_doc[s.doc].append(s)
    docs = [pipe._document(text, ss) for text, ss in zip(texts, by_doc)]
    lap("assemble", t)
    total = sum(seconds.values())
    cpu = _cpu_seconds() - cpu0
    counts = {
        "texts": len(texts),
        "sentences": len(sentences),
        "words": sum(len(s.words) for s in sentences),
        "chars": sum(map(len, texts)),
        "windows": sum(len(s.windows) for s in sentences),
        "tokens": sum(len(w.input_ids) for s in sentences for w in s.windows),
        "entities": sum(len(d.entities) for d in docs),
        "relations": sum(len(d.relations) for d in docs),
    }
    return {"counts": counts, "seconds": seconds, "total_s": total, "cpu_s": cpu, **rates(counts, total)}


def rates(counts: dict, seconds: float) -> dict:
    s = max(seconds, 1e-9)
    return {f"{k}_per_s": counts[k] / s for k in ("sentences", "words", "chars") if k in counts}


def job_pipeline(spec: dict) -> dict:
    """Throughput of one (model, batch size): warm-up, then a staged run over the corpus."""
    t0 = time.perf_counter()
    pipe = _pipeline(spec)
    load_s = time.perf_counter() - t0
    texts = corpus(spec.get("copies", 1), spec.get("articles"), spec.get("raw_dir", RAW_DIR))
    pipe.predict_batch(texts[:1], batch_size=spec["batch"])  # loads underthesea, warms torch
    pipe.encoder._cache.clear()  # the first copy pays for subword tokenization again
    out = {"load_s": load_s, **staged_run(pipe, texts, spec["batch"])}
    if spec.get("check"):  # cross-check: the real predict_batch on the same texts (warm caches)
        t = time.perf_counter()
        pipe.predict_batch(texts, batch_size=spec["batch"])
        out["predict_batch_s"] = time.perf_counter() - t
    out["params_m"] = round(sum(p.numel() for p in pipe.model.parameters()) / 1e6, 2)
    return out


def job_underthesea(spec: dict) -> dict:
    """underthesea's bundled NER (word segmentation + POS + chunking + NER CRFs), one call per sentence."""
    try:
        from underthesea import ner
    except ImportError:
        return {"available": False}
    from model.text import split_sentences

    texts = corpus(spec.get("copies", 1), spec.get("articles"), spec.get("raw_dir", RAW_DIR))
    sents = [t[s.start : s.end] for t in texts for s in split_sentences(t)]  # not timed: same split as canbo
    ner(sents[0])
    cpu0, t = _cpu_seconds(), time.perf_counter()
    words = sum(len(ner(s)) for s in sents)
    total, cpu = time.perf_counter() - t, _cpu_seconds() - cpu0
    counts = {"sentences": len(sents), "words": words, "chars": sum(map(len, texts))}
    return {"available": True, "counts": counts, "total_s": total, "cpu_s": cpu, **rates(counts, total)}


# ------------------------------------------------------------------ training


def job_train_tiny(spec: dict) -> dict:
    """Seconds per epoch of ``run_training`` with train/configs/tiny.yaml (Trainer's train_runtime)."""
    from train import trainer as tr
    from train.config import parse_config

    captured: dict = {}
    original = tr.CanboTrainer.train

    def timed_train(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        captured.update(result.metrics, steps=self.state.global_step, examples=len(self.train_dataset))
        return result

    tr.CanboTrainer.train = timed_train  # this process only exists for this measurement
    epochs = spec.get("epochs", 2)
    with tempfile.TemporaryDirectory() as out:
        argv = ["--config", str(ROOT / spec.get("config", "train/configs/tiny.yaml")), "--output_dir", out]
        argv += ["--epochs", str(epochs), "--progress", "false", "--save_total_limit", "1"]
        if spec.get("train"):
            argv += ["--train", *spec["train"]]
        t = time.perf_counter()
        tr.run_training(*parse_config(argv))
        wall = time.perf_counter() - t
    runtime = captured["train_runtime"]
    return {
        "epochs": epochs,
        "steps": captured["steps"],
        "examples": captured["examples"],
        "train_runtime_s": runtime,
        "s_per_epoch": runtime / epochs,
        "wall_s": wall,
    }


def job_train_base(spec: dict) -> dict:
    """phobert-base shape: forward + backward + AdamW step at batch 8 on synthetic ~40-token windows."""
    import torch

    from model.architecture import CanboConfig, CanboModel
    from train.backbones import phobert_base_shape_config

    torch.manual_seed(0)
    shape = spec.get("backbone") or phobert_base_shape_config().to_dict()
    model = CanboModel(CanboConfig(backbone_config=shape, head_hidden_size=256)).train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-5)
    b, n_tok, n_words = spec.get("batch", 8), spec.get("tokens", 40), 30
    ids = torch.randint(5, 60000 if shape.get("vocab_size", 0) > 60000 else 100, (b, n_tok))
    ids[:, 0], ids[:, -1] = 0, 2
    starts = torch.arange(1, n_words + 1).repeat(b, 1)
    batch = {
        "input_ids": ids,
        "attention_mask": torch.ones_like(ids),
        "word_starts": starts,
        "tag_labels": torch.randint(0, len(model.config.tags), (b, n_words)),
        "spans": torch.tensor([[[2, 3], [10, 12], [20, 20]]]).repeat(b, 1, 1),
        "pairs": torch.tensor([[[0, 1], [0, 2]]]).repeat(b, 1, 1),
        "pair_labels": torch.tensor([[1, 0]]).repeat(b, 1),
    }
    step_times = []
    for _ in range(spec.get("warmup", 2) + spec.get("steps", 8)):
        t = time.perf_counter()
        model(**batch)["loss"].backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        step_times.append(time.perf_counter() - t)
    timed = step_times[spec.get("warmup", 2) :]
    per_step = sum(timed) / len(timed)
    return {
        "batch": b,
        "tokens": n_tok,
        "timed_steps": len(timed),
        "s_per_step": per_step,
        "s_per_100_steps": 100 * per_step,
    }


JOBS = {
    "pipeline": job_pipeline,
    "underthesea": job_underthesea,
    "train_tiny": job_train_tiny,
    "train_base": job_train_base,
}


def run_job(spec: dict) -> dict:
    """Run one job in this process; adds peak RSS (MB) and torch threads."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    load_before = os.getloadavg()[0]
    out = JOBS[spec["job"]](spec)
    loads = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return {**out, "peak_rss_mb": peak_rss_mb(), "torch_threads": _threads(), "loadavg_1min": loads}


if __name__ == "__main__":
    result = run_job(json.loads(sys.argv[1]))
    print(MARKER + json.dumps(result), flush=True)
