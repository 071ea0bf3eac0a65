"""Indexing benchmark: ``python -m canbo.eval.bench_index [--pages 10000] [--threads 2]``.

Generates pages by repeating the raw scrapes in data/raw with variations (people's names, the
district named, the figures' digits, so that every page has its own content hash), indexes them
into a fresh directory with the shipped model on ``--threads`` cores, and prints pages/s and the
database size. The numbers are stored under "index" in eval/bench_results.json (other keys kept).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from canbo.eval.bench_work import ROOT

RESULTS = ROOT / "eval" / "bench_results.json"


def vary(text: str, rng: random.Random) -> str:
    """A page like ``text`` with other names, another district and other digits."""
    from canbo.model.lexicon import words

    surnames, middles, givens, districts = (
        words(n) for n in ("surnames", "middle_names", "given_names", "districts")
    )
    for name in sorted(set(re.findall(r"(?:Phạm|Nguyễn|Tạ|Trần|Lê) [A-ZĐ]\w+ [A-ZĐ]\w+", text))):
        text = text.replace(name, f"{rng.choice(surnames)} {rng.choice(middles)} {rng.choice(givens)}")
    for district in ("Kiến Thụy", "Kiến Thuỵ", "Thủy Nguyên", "Kim Sơn", "Thường Tín"):
        text = text.replace(district, rng.choice(districts)) if rng.random() < 0.7 else text
    return re.sub(r"\d", lambda m: str(rng.randint(0, 9)) if rng.random() < 0.3 else m.group(), text)


def generate(n: int, out: Path, seed: int = 0) -> Path:
    rng = random.Random(seed)
    raw = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    path = out / "pages.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(n):
            page = vary(raw[k % len(raw)], rng)
            fh.write(
                json.dumps({"url": f"https://bench.example/{k}", "text": page}, ensure_ascii=False) + "\n"
            )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)

    import torch

    from canbo.model.directory.store import index_pages, iter_pages, model_version
    from canbo.model.pipeline import load

    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        pages = generate(args.pages, Path(tmp))
        chars = sum(len(json.loads(line)["text"]) for line in pages.open(encoding="utf-8"))
        db = Path(tmp) / "directory.sqlite"
        pipe = load()
        t0 = time.perf_counter()
        summary = index_pages(db, iter_pages([str(pages)]), pipe, model_version(), progress=True)
        seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        again = index_pages(db, iter_pages([str(pages)]), pipe, model_version())
        skip_seconds = time.perf_counter() - t1
        conn = sqlite3.connect(db)
        rows = {
            t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "sentences", "mentions", "offices", "figures", "people", "merges")
        }
        conn.close()
        size = db.stat().st_size
    result = {
        "pages": args.pages,
        "threads": args.threads,
        "chars": chars,
        "seconds": round(seconds, 1),
        "pages_per_s": round(args.pages / seconds, 2),
        "chars_per_s": round(chars / seconds),
        "db_bytes": size,
        "db_mb": round(size / 1e6, 1),
        "rows": rows,
        "failed": len(summary.failed),
        "rerun_skipped": again.skipped,
        "rerun_seconds": round(skip_seconds, 1),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],  # other jobs on the machine
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=2))
    out = Path(args.out)
    data = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    data["index"] = result
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
