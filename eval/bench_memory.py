"""Peak memory of ``canbo predict`` on huge inputs: ``python -m canbo.eval.bench_memory``.

Each case runs the real CLI in its own process (``canbo predict -f jsonl -o FILE INPUT``) and
reads that process's peak RSS from the OS; the numbers are printed and stored under
``"memory"`` in ``eval/bench_results.json`` (``--out`` to write elsewhere). Cases: a 20 MB
file of real article text repeated, one 1 MB paragraph with no line break, and a line listing
2,000 officials. Inputs are generated into a temporary folder from ``data/raw``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "eval" / "bench_results.json"


def make_inputs(folder: Path, mb: float = 20.0) -> dict[str, Path]:
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    page = "\n".join(pages)
    big = folder / "big.txt"
    big.write_text(page * max(1, int(mb * 1e6 / len(page.encode("utf-8")))), encoding="utf-8")
    para = folder / "paragraph.txt"
    flat = " ".join(page.split())
    para.write_text((flat + " ") * max(1, int(1e6 / len(flat.encode("utf-8")))), encoding="utf-8")
    names = ["Lê Văn An", "Trần Thị Bình", "Phạm Quốc Cường", "Vũ Đức Dũng"]
    line = "Dự hội nghị có các đồng chí: " + "; ".join(f"{names[k % 4]}, Chủ tịch UBND xã số {k}" for k in range(2000))
    officials = folder / "officials.txt"
    officials.write_text(line + ".\n", encoding="utf-8")
    return {"20MB file": big, "1MB paragraph": para, "2,000-official line": officials}


_PEAK = (  # runs the command and prints the peak RSS (KB) of it and its children: one fresh parent per case
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def run_case(path: Path, out: Path) -> dict:
    """Peak RSS (MB) and wall time of one ``canbo predict`` process on ``path``."""
    cmd = [sys.executable, "-m", "canbo", "predict", "-f", "jsonl", "-o", str(out), str(path)]
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})  # fmt: skip
    wall = time.perf_counter() - t
    code, peak_kb = (int(x) for x in proc.stdout.split()[-2:])
    return {
        "input_mb": round(path.stat().st_size / 1e6, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "wall_s": round(wall, 1),
        "exit_code": code,
        "output_lines": out.read_text(encoding="utf-8").count("\n") if out.is_file() else 0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m canbo.eval.bench_memory", description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="Size of the big file in MB (default 20).")
    ap.add_argument("--out", default=str(RESULTS), help="JSON file to update (key 'memory').")
    args = ap.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in make_inputs(Path(tmp), args.mb).items():
            results[name] = run_case(path, Path(tmp) / f"{path.stem}.jsonl")
            print(f"{name}: {results[name]['input_mb']} MB in, peak RSS {results[name]['peak_rss_mb']} MB, "
                  f"{results[name]['wall_s']} s, exit {results[name]['exit_code']}", flush=True)  # fmt: skip
    out = Path(args.out)
    data = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    data["memory"] = {"cases": results, "target_peak_rss_mb": 1024,
                      "note": "peak RSS of each `canbo predict` process (getrusage of a fresh parent per case)"}
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
