"""Speed and memory benchmark: ``python -m canbo.eval.bench [--model PATH] [--quick] [--out FILE]``.

Measures, each configuration in a fresh process (so peak RSS is its own):

* end-to-end throughput on the raw article scrapes in data/raw (boilerplate and all), as
  sentences/s, words/s and characters/s, with the time split over the pipeline stages
  (sentence split, underthesea segmentation, alignment to the input, subword tokenization,
  encoder forward, tag decoding, relation scoring, document assembly), for the given model
  and a randomly initialised phobert-base-shaped model at batch sizes 1, 8 and 32;
* underthesea's own NER pipeline on the same sentences, as the reference;
* cold start (process start to first result, timed from outside) and peak RSS;
* training cost: seconds/epoch of the tiny and default recipes, seconds/100 steps of the phobert-base shape.

Prints a table and writes JSON with the machine it ran on.  ``--baseline OLD.json`` adds a
before/after column.  Timings are wall-clock on a shared machine: expect a few % of noise.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from canbo.eval.bench_machine import OtherLoad, cpu_busy, machine_info, wait_idle  # noqa: F401
from canbo.eval.bench_work import MARKER, ROOT, STAGES, run_job

DEFAULT_MODEL = ROOT / "model" / "default_model"
BATCHES = (1, 8, 32)
COLD_TEXT = "Chủ tịch UBND huyện Kiến Thụy Nguyễn Văn A phát biểu tại hội nghị."
COLD_SNIPPET = """
import json, resource, sys, time
t0 = time.perf_counter()
from canbo.model.pipeline import load
t1 = time.perf_counter()
p = load(sys.argv[1])
t2 = time.perf_counter()
p.predict(sys.argv[2])
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "first_predict_s": t3 - t2, "inside_s": t3 - t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
NOTES = [
    "End-to-end = one Pipeline.predict_batch call over the whole corpus, with a clock around each stage function "
    "(eval.bench_work.staged_run); default-model runs repeat the call without clocks (unclocked_s).",
    "Each configuration runs in a fresh process after a warm-up on one article (underthesea and torch loaded); "
    "the subword cache is cleared before timing, so the first copy of the corpus pays for tokenization.",
    "The corpus repeats 4 articles: caches (subwords) hit more often than on 3120 distinct sentences.",
    "phobert-base = random weights in vinai/phobert-base's exact shape (12x768, 64001-row embedding): "
    "speed and memory are those of the real model, outputs are meaningless; int8/bf16 error is not measured.",
    "underthesea-ner = underthesea.ner(sentence) on the same sentences (canbo's sentence split, not timed).",
    "Stage 'relations' includes the relation head's forward; 'forward' includes the tag head and log-softmax.",
    "default/bN rows prepare sentences in forked worker processes (model.parallel, one per core, one torch thread "
    "each): the parent's stage columns then show the model's stages, and 'other' is mostly waiting for the workers; "
    "the /serial rows prepare in one process, so their columns split the whole work. Peak RSS is the parent's.",
    "ray/Nworker = model.scale.predict_corpus on a local Ray instance with N CPUs (one actor per CPU) over the "
    "corpus as one file per page; sentences counted by the sentence splitter; Ray's own start is timed apart.",
    "Rates are wall-clock; column 'busy' is the share of all cores that other processes used during the job.",
]
WAIT_HELP = (
    "wait up to S seconds in all for other processes to leave the cores idle before each job (0: don't)"
)
TARGETS = {"default_b32_sentences_per_s": 1000, "vs_underthesea": 10.0, "cold_start_s": 2.0,
           "cold_start_vs_import_torch": 2.0, "help_s": 0.5, "train_help_s": 0.5,
           "default_peak_rss_mb": 1024, "phobert_base_b32_sentences_per_s": 10}  # fmt: skip
WHY_MISSED = {  # what a miss usually means (printed beside it)
    "default_b32_sentences_per_s": "the sentence preparation (underthesea's segmenter, rules) is CPU-bound: "
    "with other work on the cores the workers get less than a core each",
    "vs_underthesea": "see the line above; underthesea's NER is one process, so it suffers less from a busy machine",
    "cold_start_s": "most of it is importing torch (see cold_start_vs_import_torch); a busy machine slows both",
    "cold_start_vs_import_torch": "canbo's own imports, the model load or the first predict grew: see the split",
    "help_s": "an import at module level in model/cli.py, model/__init__.py or an entry point's module",
    "train_help_s": "train/cli.py or train/config.py imports something heavy before printing help",
    "phobert_base_b32_sentences_per_s": "the 12-layer encoder's forward is all of it, and torch's threads "
    "wait for each other when other processes hold the cores",
    "default_peak_rss_mb": "a group of sentences or a batch grew: see GROUP_SENTENCES and PAIR_CHUNK",
}


def plan(
    model: str,
    quick: bool = False,
    batches=BATCHES,
    reduced_precision: bool = True,
    train: bool = True,
    underthesea: bool = True,
    base_backbone: dict | None = None,
    raw_dir: str | None = None,
    train_overrides: list[str] | None = None,
    ray: bool = True,
) -> list[tuple[str, dict]]:
    """(name, job spec) for every configuration.  Full corpus: the 4 articles x 20 for the given
    model (3120 sentences), x 5 for underthesea, x 1 for the phobert-base shape (156 sentences)."""
    copies, base_corpus = (1, {"copies": 1, "articles": 1}) if quick else (20, {"copies": 1})
    raw = {"raw_dir": str(raw_dir)} if raw_dir else {}
    base = {"job": "pipeline", "model": "phobert-base", "path": model, **base_corpus, **raw}
    if base_backbone:
        base["backbone"] = base_backbone
    default = {"job": "pipeline", "model": "default", "path": model, "copies": copies, "check": True, **raw}
    jobs = [(f"default/b{b}", {**default, "batch": b}) for b in batches]  # workers: automatic (one per core)
    big = max(batches)
    jobs.append((f"default/b{big}/serial", {**default, "batch": big, "workers": 0}))
    jobs.append((f"default/b{big}/serial-1thread", {**default, "batch": big, "workers": 0, "threads": 1}))
    if ray:
        for n in (1, 2):
            jobs.append((f"ray/{n}worker", {"job": "ray", "path": model, "copies": copies, "workers": n, **raw}))
    jobs += [(f"phobert-base/b{b}", {**base, "batch": b}) for b in batches]
    if reduced_precision:
        big = max(batches)
        jobs += [
            (f"phobert-base-{p}/b{big}", {**base, "batch": big, "precision": p}) for p in ("int8", "bf16")
        ]
    if underthesea:
        jobs.append(("underthesea-ner", {"job": "underthesea", "copies": 1 if quick else 5, **raw}))
    if train:
        for recipe, epochs in (("tiny", 1 if quick else 2), ("default", 1)):  # default: 2154 sentences
            jobs.append((f"train/{recipe}", {"job": "train_config", "config": f"train/configs/{recipe}.yaml",
                                             "epochs": epochs, "overrides": list(train_overrides or [])}))  # fmt: skip
        train_base = {"job": "train_base", "steps": 2 if quick else 8}
        if base_backbone:
            train_base["backbone"] = base_backbone
        jobs.append(("train/phobert-base", train_base))
    return jobs


def _env() -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def run_isolated(spec: dict, timeout: float = 3600) -> dict:
    """One job in a fresh interpreter; a failure becomes ``{"error": ...}`` instead of stopping the run."""
    cmd = [sys.executable, "-m", "canbo.eval.bench_work", json.dumps(spec)]
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=timeout)
    for line in proc.stdout.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    return {"error": (proc.stderr or proc.stdout).strip()[-2000:]}


def cold_start(model: str, repeats: int = 3) -> dict:
    """``python -c 'load(model); predict(...)'`` timed from outside (process start to first result)."""
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        with subprocess.Popen([sys.executable, "-c", COLD_SNIPPET, model, COLD_TEXT], cwd=ROOT, env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:  # fmt: skip
            line = proc.stdout.readline()  # the first result; interpreter teardown is not counted
            outside = time.perf_counter() - t
            _, err = proc.communicate()
        if proc.returncode or not line.strip():
            return {"error": err.strip()[-2000:]}
        runs.append({"outside_s": outside, **json.loads(line)})
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return {"median": med, "runs": runs, "python_startup_s": med["outside_s"] - med["inside_s"]}


def _timed(cmd: list[str], repeats: int) -> float | None:
    """Median wall time of a command (its output discarded); None when it fails."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True)
        if proc.returncode:
            return None
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def startup_times(repeats: int = 3) -> dict:
    """``python -c "import torch"`` (the yardstick of the cold start), ``canbo --help`` and
    ``canbo train --help`` (as ``python -m canbo``), each the median of ``repeats`` runs."""
    py = sys.executable
    return {"import_torch_s": _timed([py, "-c", "import torch"], repeats),
            "help_s": _timed([py, "-m", "canbo", "--help"], repeats),
            "train_help_s": _timed([py, "-m", "canbo", "train", "--help"], repeats)}  # fmt: skip


def check_targets(runs: dict, cold: dict) -> list[dict]:
    """Each issue target with the measured value and whether it is met (and by how much it misses)."""

    def sps(name):
        return runs.get(name, {}).get("sentences_per_s")

    ut = sps("underthesea-ner")
    rss = [r["peak_rss_mb"] for n, r in runs.items() if n.startswith("default/") and "peak_rss_mb" in r]
    values = {
        "default_b32_sentences_per_s": (sps("default/b32"), ">="),
        "vs_underthesea": (sps("default/b32") / ut if ut and sps("default/b32") else None, ">="),
        "cold_start_s": (cold.get("median", {}).get("outside_s"), "<="),
        "cold_start_vs_import_torch": (
            cold["median"]["outside_s"] / cold["startup"]["import_torch_s"]
            if cold.get("median") and (cold.get("startup") or {}).get("import_torch_s") else None, "<="),
        "help_s": ((cold.get("startup") or {}).get("help_s"), "<="),
        "train_help_s": ((cold.get("startup") or {}).get("train_help_s"), "<="),
        "default_peak_rss_mb": (max(rss) if rss else None, "<="),
        "phobert_base_b32_sentences_per_s": (sps("phobert-base/b32"), ">="),
    }
    out = []
    for key, (value, op) in values.items():
        target = TARGETS[key]
        met = None if value is None else (value >= target if op == ">=" else value <= target)
        row = {"target": key, "goal": f"{op} {target}", "value": value, "met": met}
        if met is False:
            row["miss"] = f"{abs(value - target) / target:.0%} {'short' if op == '>=' else 'over'}"
            row["why"] = WHY_MISSED.get(key, "")
        out.append(row)
    return out


def _f(x, spec=".1f") -> str:
    return "-" if x is None else format(x, spec)


def format_table(report: dict, baseline: dict | None = None) -> str:
    runs, m = report["runs"], report["machine"]
    flags = "/".join(m.get("cpu_flags", []))
    lines = [f"canbo bench  {m['date']}  {m['cpu']} ({flags})  cores={m['usable_cores']}  torch {m['torch']} "
             f"threads={m['torch_threads']}  python {m['python']}", f"model: {report['settings']['model']}", ""]  # fmt: skip
    head = f"{'config':24s} {'sent':>5s} {'sent/s':>8s} {'words/s':>8s} {'chars/s':>9s} {'RSS MB':>7s}"
    head += "".join(f" {s[:6]:>6s}" for s in STAGES) + " busy" + ("  before" if baseline else "")
    lines += [head + "   (stage columns: % of end-to-end time)", "-" * len(head)]
    for name, r in runs.items():
        if name.startswith("ray/") and "error" not in r:
            continue  # its own line below the table
        if "sentences_per_s" not in r:
            if "error" in r or r.get("available") is False:
                lines.append(
                    f"{name:24s} {'not available' if 'error' not in r else 'ERROR: ' + r['error'][-80:]}"
                )
            continue
        row = (f"{name:24s} {r['counts']['sentences']:5d} {r['sentences_per_s']:8.1f} {r['words_per_s']:8.0f} "
               f"{r['chars_per_s']:9.0f} {r['peak_rss_mb']:7.0f}")  # fmt: skip
        secs = r.get("seconds")
        row += "".join(f" {100 * secs[s] / r['total_s']:5.1f}%" if secs else f" {'':>6s}" for s in STAGES)
        busy = r.get("other_load")
        row += f" {'?' if busy is None else format(busy, '4.0%')}"
        if baseline:
            old = baseline.get("runs", {}).get(name, {}).get("sentences_per_s")
            row += f"  {_f(old)}" + (f" ({r['sentences_per_s'] / old:.2f}x)" if old else "")
        lines.append(row)
    busy = [r["other_load"] for r in [*runs.values(), report["cold_start"]] if r.get("other_load")]
    if busy and max(busy) > 0.1:
        lines.append(f"WARNING: other processes used up to {max(busy):.0%} of the cores during some jobs "
                     "(column 'busy'): those numbers are pessimistic; rerun on an idle machine.")  # fmt: skip
    cold = report["cold_start"]
    if "median" in cold:
        c = cold["median"]
        lines += ["", f"cold start (median of {len(cold['runs'])}): {c['outside_s']:.2f} s from process start to first "
                  f"result = python {cold['python_startup_s']:.2f} + imports {c['import_s']:.2f} + load {c['load_s']:.2f}"
                  f" + first predict {c['first_predict_s']:.2f}; peak RSS {c['peak_rss_mb']:.0f} MB; busy {_f(cold.get('other_load'), '.0%')}"]  # fmt: skip
    elif "error" in cold:
        lines += ["", "cold start: ERROR " + cold["error"][-200:]]
    st = cold.get("startup") or {}
    if st:
        lines.append(f"python -c 'import torch' {_f(st.get('import_torch_s'), '.2f')} s; canbo --help "
                     f"{_f(st.get('help_s'), '.2f')} s; canbo train --help {_f(st.get('train_help_s'), '.2f')} s")  # fmt: skip
    for name, r in runs.items():
        if name.startswith("ray/") and "sentences_per_s" in r:
            lines.append(f"{name}: {r['sentences_per_s']:.0f} sentences/s over {r['counts']['sentences']} sentences "
                         f"({r['documents']} documents; Ray start {r['ray_init_s']:.1f} s not counted)")  # fmt: skip
    for recipe in ("tiny", "default"):
        r = runs.get(f"train/{recipe}", {})
        if "s_per_epoch" in r:
            lines.append(f"training, {recipe} config: {r['s_per_epoch']:.2f} s/epoch ({r['examples']} windows, "
                         f"{r['steps'] // r['epochs']} steps/epoch; train_runtime over {r['epochs']} epochs)")  # fmt: skip
    base = runs.get("train/phobert-base", {})
    if "s_per_100_steps" in base:
        lines.append(f"training, phobert-base shape: {base['s_per_100_steps']:.0f} s/100 steps (batch {base['batch']} x "
                     f"{base['tokens']} tokens, fwd+bwd+AdamW; mean of {base['timed_steps']} steps x 100); "
                     f"peak RSS {base['peak_rss_mb']:.0f} MB")  # fmt: skip
    lines += ["", "targets:"]
    for t in report["targets"]:
        state = {True: "met", False: f"MISSED ({t.get('miss')}): {t.get('why', '')}", None: "not measured"}[t["met"]]
        lines.append(f"  {t['target']:34s} {t['goal']:>8s}  measured {_f(t['value'], '.2f'):>8s}  {state}")
    return "\n".join(lines)


def run_bench(model: str, quick: bool = False, isolate: bool = True, cold_repeats: int | None = None,
              progress=print, idle_wait_s: float = 0, retries: int = 1, **plan_kw) -> dict:  # fmt: skip
    """All jobs plus cold start -> the report dict (what goes into the JSON)."""
    runs, deadline = {}, time.monotonic() + idle_wait_s  # one waiting budget for the whole run
    for name, spec in plan(model, quick=quick, **plan_kw):
        for attempt in range(1 + retries):  # a run that shared the cores with other work is redone
            wait_idle(max(0.0, deadline - time.monotonic()), progress=progress)
            progress(f"[bench] {name} ...")
            t = time.perf_counter()
            with OtherLoad() as load:
                result = run_isolated(spec) if isolate else run_job(spec)
            result.update(spec=spec, other_load=load.share, attempt=attempt + 1)
            if name not in runs or (load.share or 0) < (runs[name]["other_load"] or 0):
                runs[name] = result
            progress(
                f"[bench] {name} done in {time.perf_counter() - t:.1f} s (others used {_f(load.share, '.0%')})"
            )
            if (load.share or 0) <= 0.1 or "error" in result:
                break
    repeats = cold_repeats if cold_repeats is not None else (1 if quick else 3)
    wait_idle(max(0.0, deadline - time.monotonic()), progress=progress)
    with OtherLoad() as load:
        cold = cold_start(model, repeats) if repeats else {}
        if repeats:
            cold["startup"] = startup_times(repeats)
    cold["other_load"] = load.share
    report = {
        "machine": machine_info(),
        "settings": {"model": str(model), "quick": quick, "isolated_processes": isolate, "batches": list(BATCHES),
                     "corpus": "data/raw/*.txt (4 article scrapes) repeated; counts per run under runs.*.counts"},
        "runs": runs,
        "cold_start": cold,
        "notes": NOTES,
    }  # fmt: skip
    report["targets"] = check_targets(runs, cold)
    busy = [r.get("other_load") or 0 for r in [*runs.values(), cold]]
    if busy and max(busy) > 0.1:
        report["notes"] = [*NOTES, busy_note(max(busy))]
    return report


def busy_note(share: float) -> str:
    return (f"Measured on a busy machine: other processes used up to {share:.0%} of the cores during some jobs "
            "(column 'busy'); absolute numbers are pessimistic, and parallel preparation needs free cores to pay off.")  # fmt: skip


def kept_keys(path: Path, report: dict) -> dict:
    """``report`` plus the keys of an earlier results file that this run does not write (e.g.
    "memory" from ``eval.bench_memory``), so that one benchmark never erases another's numbers."""
    try:
        old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        old = {}
    return {**{k: v for k, v in old.items() if k not in report}, **report}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m canbo.eval.bench", description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None, help="canbo checkpoint folder (default: model/default_model)")
    ap.add_argument("--quick", action="store_true", help="small corpus, few steps: a smoke run, not numbers")
    ap.add_argument("--out", default="eval/bench_results.json", help="JSON output path")
    ap.add_argument("--baseline", default=None, help="an earlier results JSON to print before/after against")
    ap.add_argument("--no-train", action="store_true", help="skip the training-cost jobs")
    ap.add_argument("--no-reduced", action="store_true", help="skip the int8 / bf16 phobert-base jobs")
    ap.add_argument("--no-ray", action="store_true", help="skip the Ray Data jobs (1 and 2 workers)")
    ap.add_argument("--wait-idle", type=float, default=600, metavar="S", help=WAIT_HELP)
    ap.add_argument("--retries", type=int, default=1, metavar="N",
                    help="redo a job up to N times when other processes used over 10%% of the cores (default 1)")
    args = ap.parse_args(argv)
    model = args.model or str(DEFAULT_MODEL)
    if not (Path(model) / "config.json").is_file():
        ap.error(f"no canbo model at {model}; pass --model PATH (e.g. a folder from `canbo train`)")
    model = Path(model).resolve()
    report = run_bench(
        str(model.relative_to(ROOT) if model.is_relative_to(ROOT) else model),  # jobs run with cwd=ROOT
        quick=args.quick,
        train=not args.no_train,
        reduced_precision=not args.no_reduced,
        ray=not args.no_ray,
        idle_wait_s=args.wait_idle,
        retries=args.retries,
        progress=lambda s: print(s, file=sys.stderr, flush=True),
    )
    baseline = json.loads(Path(args.baseline).read_text(encoding="utf-8")) if args.baseline else None
    print(format_table(report, baseline))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    report = kept_keys(out, report)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return report


if __name__ == "__main__":
    main()
