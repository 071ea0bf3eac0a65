"""Sentence preparation (segmentation, rule tags, subword windows) in worker processes.

Preparing a sentence is pure-Python and CPU-bound (underthesea's segmenter, the rules, the
alignment), while the model's forward pass is short; so ``Pipeline.predict_batch`` hands chunks
of sentences to forked workers, which prepare them while the parent runs the model on the
previous group.  Every process then runs one torch thread: two multi-threaded torch processes
sharing two cores slow each other many times over.  Workers are forked, so they share the loaded
pipeline (segmenter, lexicon, tokenizer) without pickling it, and results come back in order.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from canbo.model.text import sentence_spans

CHUNK_CHARS = 8_000  # text sent to a worker at once (whole pages up to this size, else sentences)
MIN_PARALLEL_CHARS = 20_000  # less text than this is prepared in the calling process (no pool start-up)
_PIPE = None  # the pipeline a forked worker prepares with (set in the parent just before forking)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


LIGHT_MODEL_PARAMS = 30_000_000  # above this the forward pass dominates: keep its torch threads, no workers


def choose_workers(requested: int | None, chars: int, light_model: bool = True) -> int:
    """Worker processes for ``chars`` of text: ``requested`` if given (0: none); else ``CANBO_WORKERS``
    if set; else, for a light model, one per usable core when there are at least two and enough text
    to pay for the pool (a heavy model's forward pass is all the time: it keeps the cores' threads)."""
    if requested is None and os.environ.get("CANBO_WORKERS", "").strip():
        requested = int(os.environ["CANBO_WORKERS"])
    if requested is not None:
        if isinstance(requested, bool) or not isinstance(requested, int) or requested < 0:
            raise ValueError(f"workers must be a whole number of at least 0, not {requested!r}")
        return requested
    cores = usable_cores()
    return cores if light_model and cores >= 2 and chars >= MIN_PARALLEL_CHARS else 0


def _start_worker() -> None:
    if "torch" in sys.modules:  # a decode where the rules decide never imports torch: nothing to set
        sys.modules["torch"].set_num_threads(1)


def _prepare(chunk: list[tuple]):
    """``Pipeline.prepare_task`` of each task of a chunk (in a worker)."""
    return [_PIPE.prepare_task(task) for task in chunk]


class PreparePool:
    """A fork pool of ``workers`` processes bound to one pipeline."""

    def __init__(self, pipe, workers: int):
        import multiprocessing

        global _PIPE
        _PIPE = pipe
        self.workers = workers
        self.pool = multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker)

    def imap(self, chunks: Iterable[list], ahead: int | None = None) -> Iterator[list]:
        """Results of ``_prepare`` for each chunk, in order, with at most ``ahead`` chunks in flight
        (so a huge input never queues all its sentences at once)."""
        ahead = ahead or 4 * self.workers
        pending: deque = deque()
        for chunk in chunks:
            pending.append(self.pool.apply_async(_prepare, (chunk,)))
            if len(pending) >= ahead:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


@contextmanager
def torch_threads(n: int | None):
    """Run a block with ``n`` torch threads (unchanged when None, or when torch is not imported: no
    forward pass runs then, and importing it would cost most of a cold start)."""
    torch = sys.modules.get("torch")
    if n is None or torch is None:
        yield
        return

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def prepare_tasks(texts: Sequence[str], split: bool, whole_texts: bool = True):
    """Preparation tasks in reading order: a text of at most ``CHUNK_CHARS`` as a whole (a worker
    splits it, furniture filter included), a longer one sentence by sentence (split here, so that
    its sentences spread over the workers and never queue all at once)."""
    for i, text in enumerate(texts):
        if whole_texts and len(text) <= CHUNK_CHARS:
            yield (i, text, split)
        else:
            for sent in sentence_spans(text, split):
                yield (i, sent.start, sent.end, text[sent.start : sent.end])


def task_chunks(tasks, chars: int = CHUNK_CHARS):
    """Tasks in chunks of about ``chars`` characters: one message to a worker each."""
    chunk, size = [], 0
    for task in tasks:
        chunk.append(task)
        size += len(task[1] if len(task) == 3 else task[3])
        if size >= chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
