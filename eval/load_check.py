"""A bounded load check of ``canbo serve``: N requests to ``POST /api/predict``, C at a time, loopback only.

Prints p50/p95/p99 latency, throughput and the error count (any answer but 200, or no answer);
exits 1 when there was an error. Starts its own server on a free loopback port with the default
model unless ``--url`` names a running one (which must be on this machine).

    python -m canbo.eval.load_check [--requests 500] [--concurrency 8] [--url http://127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(__file__).resolve().parent.parent / "data"


def paragraphs(limit: int = 200) -> list[str]:
    """Non-empty lines of the raw articles: real paragraphs of the length users send."""
    lines = [
        line.strip()
        for p in sorted((DATA / "raw").glob("*.txt"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 20
    ]
    return lines[:limit]


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by linear interpolation between order statistics."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def one_request(url: str, text: str, timeout: float) -> tuple[float, str | None]:
    """(seconds, error or None) of one prediction."""
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url + "/api/predict", data=body, headers={"Content-Type": "application/json"}
    )
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            doc = json.loads(response.read())
            error = (
                None
                if response.status == 200 and doc.get("text") == text
                else f"bad answer {response.status}"
            )
    except urllib.error.HTTPError as exc:
        error = f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        error = type(exc).__name__
    return time.perf_counter() - began, error


def run(url: str, requests: int, concurrency: int, timeout: float = 60.0) -> dict:
    texts = paragraphs()
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda k: one_request(url, texts[k % len(texts)], timeout), range(requests)))
    wall = time.perf_counter() - began
    latencies = [s for s, _ in results]
    errors = [e for _, e in results if e]
    return {
        "requests": requests,
        "concurrency": concurrency,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "seconds": wall,
        "load_average": load_before,
        "per_second": requests / wall,
        "mean_chars": statistics.mean(len(t) for t in texts),
        **{f"p{q}_ms": 1000 * percentile(latencies, q) for q in (50, 95, 99)},
        "max_ms": 1000 * max(latencies),
    }


def report(r: dict) -> str:
    return (
        f"{r['requests']} requests, {r['concurrency']} concurrent, paragraphs of {r['mean_chars']:.0f} characters "
        f"on average: {r['seconds']:.1f} s, {r['per_second']:.1f} requests/s\n"
        f"latency p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms\n"
        f"errors: {r['errors']}" + (f" ({', '.join(r['error_kinds'])})" if r["errors"] else "") + "\n"
        f"machine: {os.cpu_count()} cores, load average {r['load_average']:.1f} at the start (other work shares them)"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=500)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--url", default=None, help="A running canbo serve on this machine (default: start one).")
    args = p.parse_args(argv)
    if not 1 <= args.requests <= 10_000 or not 1 <= args.concurrency <= 64:
        p.error("--requests must be 1..10000 and --concurrency 1..64 (a bounded check)")
    if args.url is not None:
        if not is_loopback(args.url):
            p.error(f"{args.url} is not a loopback address: the load check only talks to this machine")
        result = run(args.url.rstrip("/"), args.requests, args.concurrency)
    else:
        from canbo.model.pipeline import load
        from canbo.model.serve.app import create_app
        from canbo.model.serve.server import BackgroundServer

        with BackgroundServer(create_app(load())) as server:
            result = run(server.url, args.requests, args.concurrency)
    print(report(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
