"""Measurements behind ``python -m canbo.eval.bench``: each job runs in its own process.

A job is a JSON dict (``{"job": "pipeline", ...}``); ``run_job(spec)`` returns a
JSON-able dict that always carries the process's peak RSS and torch threads.
``python -m canbo.eval.bench_work '<spec>'`` prints that dict after a marker line, so
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
STAGES = ("split", "segment", "align", "rules", "tokenize", "forward", "decode", "relations", "other")


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

    from canbo.model.architecture import CanboConfig, CanboModel
    from canbo.model.pipeline import Pipeline
    from canbo.train.backbones import phobert_base_shape_config

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
        from canbo.model.pipeline import load

        return load(spec["path"])
    return phobert_base_pipeline(spec["path"], spec.get("precision", "fp32"), backbone=spec.get("backbone"))


# ------------------------------------------------------------------ end to end


class _Clock:
    """Wraps functions so that their time adds up under a stage name (re-entrant calls count once)."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.depth = dict.fromkeys(STAGES, 0)
        self.patched: list[tuple[object, str, object, bool]] = []
        self.seen: dict[str, list] = {}

    def wrap(self, owner, name: str, stage: str, keep_args: bool = False, within: str | None = None) -> None:
        """Time ``owner.name`` as ``stage`` (only while stage ``within`` runs, when given)."""
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            if within and not self.depth[within]:
                return original(*args, **kwargs)
            self.depth[stage] += 1
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.depth[stage] -= 1
                if not self.depth[stage]:
                    self.seconds[stage] += time.perf_counter() - t
                if keep_args:
                    self.seen.setdefault(stage, []).append(args[0])

        self.patched.append((owner, name, original, name in getattr(owner, "__dict__", {})))
        setattr(owner, name, timed)

    def restore(self) -> None:
        for owner, name, original, own in reversed(self.patched):
            if own:
                setattr(owner, name, original)
            else:
                delattr(owner, name)  # an instance attribute hid the class's method: drop it


def staged_run(pipe, texts: list[str], batch_size: int) -> dict:
    """The real ``Pipeline.predict_batch`` with a clock around each stage function it calls.

    Sentence splitting, word segmentation (underthesea), alignment of its words to the input,
    rule tags (when the model uses them), subword tokenization, encoder forward (+ tag head),
    tag decoding and relation scoring are timed where ``predict_batch`` calls them; whatever is
    left (document assembly, glue) is ``other``, so the stages add up to the end-to-end time.
    """
    import canbo.model.pipeline as mp
    import canbo.model.text as mt

    clock = _Clock()
    clock.wrap(mt, "split_paragraph", "split")
    clock.wrap(mt, "is_boilerplate", "split")
    clock.wrap(mp, "segment_words", "segment")  # underthesea + alignment; alignment is taken out below
    clock.wrap(mt, "align_words", "align", within="segment")
    clock.wrap(pipe.encoder, "encode", "tokenize")
    clock.wrap(mp, "rule_spans", "rules")
    clock.wrap(pipe, "_encode", "forward", keep_args=True)
    # every sentence goes through the merge, also when the rules decide and the encoder is not run;
    # its time is left in "other" (computed below as the remainder)
    clock.wrap(pipe, "_merge_rules", "other", keep_args=True)
    clock.wrap(pipe, "_decode_tags", "decode")
    clock.wrap(pipe, "_score_pairs", "relations")
    cpu0 = _cpu_seconds()
    try:
        t = time.perf_counter()
        docs = pipe.predict_batch(texts, batch_size=batch_size)
        total = time.perf_counter() - t
    finally:
        clock.restore()
    cpu = _cpu_seconds() - cpu0
    seconds = clock.seconds
    seconds["segment"] -= seconds["align"]
    seconds["other"] = max(0.0, total - sum(v for k, v in seconds.items() if k != "other"))
    sentences = [s for batch in clock.seen.get("forward", []) for s in batch] or clock.seen.get("other", [])
    counts = {
        "texts": len(texts),
        "sentences": len(sentences),
        "words": sum(len(s.words) for s in sentences),
        "chars": sum(map(len, texts)),
        "windows": sum(len(s.windows) for s in sentences),
        "tokens": sum(len(w.input_ids) for s in sentences for w in s.windows),
        "padded_tokens": padded_tokens([len(w.input_ids) for s in sentences for w in s.windows], batch_size),
        "entities": sum(len(d.entities) for d in docs),
        "relations": sum(len(d.relations) for d in docs),
    }
    return {"counts": counts, "seconds": seconds, "total_s": total, "cpu_s": cpu, **rates(counts, total)}


def padded_tokens(lengths: list[int], batch_size: int) -> int:
    """Token slots the encoder computes when windows are length-sorted and padded per batch."""
    lengths = sorted(lengths)
    return sum(
        max(c) * len(c) for c in (lengths[i : i + batch_size] for i in range(0, len(lengths), batch_size))
    )


def rates(counts: dict, seconds: float) -> dict:
    s = max(seconds, 1e-9)
    return {f"{k}_per_s": counts[k] / s for k in ("sentences", "words", "chars") if k in counts}


def job_pipeline(spec: dict) -> dict:
    """Throughput of one (model, batch size): warm-up, then a staged run over the corpus."""
    t0 = time.perf_counter()
    pipe = _pipeline(spec)
    load_s = time.perf_counter() - t0
    texts = corpus(spec.get("copies", 1), spec.get("articles"), spec.get("raw_dir", RAW_DIR))
    pipe.predict_batch(texts[:1], batch_size=spec["batch"], workers=0)  # loads underthesea, warms torch
    pipe.encoder._cache.clear()  # the first copy pays for subword tokenization again
    pipe.workers = spec.get("workers")  # None: automatic (model.parallel); workers fork from this state
    out = {"load_s": load_s, **staged_run(pipe, texts, spec["batch"])}
    from canbo.model.parallel import choose_workers

    out["workers"] = choose_workers(pipe.workers, sum(map(len, texts)), pipe.light)
    if spec.get("check"):  # the same call without the clocks (and with warm caches)
        t = time.perf_counter()
        pipe.predict_batch(texts, batch_size=spec["batch"])
        out["unclocked_s"] = time.perf_counter() - t
    pipe.close()
    out["params_m"] = round(sum(p.numel() for p in pipe.model.parameters()) / 1e6, 2)
    return out


def job_underthesea(spec: dict) -> dict:
    """underthesea's bundled NER (word segmentation + POS + chunking + NER CRFs), one call per sentence."""
    try:
        from underthesea import ner
    except ImportError:
        return {"available": False}
    from canbo.model.text import split_sentences

    texts = corpus(spec.get("copies", 1), spec.get("articles"), spec.get("raw_dir", RAW_DIR))
    sents = [t[s.start : s.end] for t in texts for s in split_sentences(t)]  # not timed: same split as canbo
    ner(sents[0])
    cpu0, t = _cpu_seconds(), time.perf_counter()
    words = sum(len(ner(s)) for s in sents)
    total, cpu = time.perf_counter() - t, _cpu_seconds() - cpu0
    counts = {"sentences": len(sents), "words": words, "chars": sum(map(len, texts))}
    return {"available": True, "counts": counts, "total_s": total, "cpu_s": cpu, **rates(counts, total)}


def job_ray(spec: dict) -> dict:
    """``model.scale.predict_corpus`` on a local Ray instance with ``workers`` CPUs over the corpus
    written as one file per page; Ray's own start is timed apart (``ray_init_s``)."""
    try:
        import ray
    except ImportError:
        return {"available": False}
    from canbo.model.scale import predict_corpus
    from canbo.model.text import iter_sentences

    texts = corpus(spec.get("copies", 1), spec.get("articles"), spec.get("raw_dir", RAW_DIR))
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for k, text in enumerate(texts):
            (pages / f"{k:05d}.txt").write_text(text, encoding="utf-8")
        t = time.perf_counter()
        ray.init(num_cpus=spec["workers"], include_dashboard=False, log_to_driver=False, configure_logging=False)
        init_s = time.perf_counter() - t
        try:
            t = time.perf_counter()
            result = predict_corpus([str(pages)], Path(tmp) / "out", model=spec.get("path"), workers=spec["workers"])
            total = time.perf_counter() - t
        finally:
            ray.shutdown()
    counts = {"sentences": sum(1 for t in texts for _ in iter_sentences(t)), "chars": sum(map(len, texts))}
    return {"available": True, "counts": counts, "total_s": total, "ray_init_s": init_s,
            "documents": result["documents"], "errors": len(result["errors"]), **rates(counts, total)}  # fmt: skip


# ------------------------------------------------------------------ training


def job_train_config(spec: dict) -> dict:
    """Seconds per epoch of ``run_training`` with a recipe (train/configs/*.yaml), from the Trainer's
    train_runtime (the loop only: building the backbone and features is in ``wall_s``)."""
    from canbo.train import trainer as tr
    from canbo.train.config import parse_config

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
        argv += spec.get("overrides", [])  # e.g. a tiny data set and model for the test of this job
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

    from canbo.model.architecture import CanboConfig, CanboModel
    from canbo.train.backbones import phobert_base_shape_config

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
    "ray": job_ray,
    "train_config": job_train_config,
    "train_base": job_train_base,
}


def run_job(spec: dict) -> dict:
    """Run one job in this process; adds peak RSS (MB) and torch threads."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    if spec.get("threads"):
        import torch

        torch.set_num_threads(spec["threads"])
    load_before = os.getloadavg()[0]
    out = JOBS[spec["job"]](spec)
    loads = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return {**out, "peak_rss_mb": peak_rss_mb(), "torch_threads": _threads(), "loadavg_1min": loads}


if __name__ == "__main__":
    result = run_job(json.loads(sys.argv[1]))
    print(MARKER + json.dumps(result), flush=True)
