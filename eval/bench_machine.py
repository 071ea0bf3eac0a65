"""The machine side of the benchmark: what it runs on and how busy other processes keep it."""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import time
from pathlib import Path


def _cpu_stat() -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine so far, summed over cores (from /proc/stat)."""
    try:
        v = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(v) - v[3] - v[4]) / hz, sum(v) / hz


def cpu_busy(interval: float = 0.5) -> float | None:
    """Fraction of all cores busy over ``interval``: other work on a shared machine."""
    a, _, b = _cpu_stat(), time.sleep(interval), _cpu_stat()
    if a is None or b is None:
        return None
    return round((b[0] - a[0]) / max(b[1] - a[1], 1e-9), 3)


class OtherLoad:
    """Share of all cores used by *other* processes while a job ran: machine busy time minus our own
    (and our children's) CPU time, over wall time x cores."""

    def __enter__(self):
        self.stat, self.own = _cpu_stat(), self._own()
        return self

    @staticmethod
    def _own() -> float:
        return sum(
            r.ru_utime + r.ru_stime
            for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        )

    def __exit__(self, *exc):
        end = _cpu_stat()
        if self.stat is None or end is None:
            self.share = None
            return
        others = (end[0] - self.stat[0]) - (self._own() - self.own)
        self.share = round(max(0.0, others) / max(end[1] - self.stat[1], 1e-9), 3)


def wait_idle(limit_s: float, busy_max: float = 0.15, progress=print) -> float | None:
    """Wait (up to ``limit_s``) until other processes leave the cores alone; returns the last busy fraction."""
    deadline, busy = time.monotonic() + limit_s, cpu_busy()
    while busy is not None and busy > busy_max and time.monotonic() < deadline:
        progress(
            f"[bench] machine {busy:.0%} busy with other work; waiting ({deadline - time.monotonic():.0f} s left)"
        )
        time.sleep(min(10.0, max(0.0, deadline - time.monotonic())))
        busy = cpu_busy()
    return busy


def machine_info() -> dict:
    import torch
    import transformers

    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model_names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")]
    meminfo = Path("/proc/meminfo").read_text().split() if Path("/proc/meminfo").exists() else []
    try:
        import underthesea

        ut_version = underthesea.__version__
    except ImportError:
        ut_version = None
    flags = next((ln.split(":", 1)[1].split() for ln in cpuinfo.splitlines() if ln.startswith("flags")), [])
    return {
        "cpu": model_names[0] if model_names else platform.processor(),
        "cpu_flags": [f for f in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16") if f in flags],
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "mem_total_gb": round(int(meminfo[1]) / 2**20, 1) if len(meminfo) > 1 else None,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "transformers": transformers.__version__,
        "underthesea": ut_version,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
