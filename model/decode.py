"""BIO decoding: valid-sequence Viterbi, tags <-> word spans, and relation candidates.

All functions are pure (lists and numpy arrays in, lists out) so they can be
unit-tested with hand-written cases.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


@dataclass(frozen=True)
class WordSpan:
    """An entity over words ``start..end`` (inclusive word indices)."""

    start: int
    end: int
    label: str
    score: float = 1.0


def allowed_transitions(tags: Sequence[str]) -> np.ndarray:
    """``allowed[i, j]`` is True when tag j may follow tag i in strict IOB2."""
    n = len(tags)
    allowed = np.ones((n, n), dtype=bool)
    for j, tj in enumerate(tags):
        if tj.startswith("I-"):
            for i, ti in enumerate(tags):
                allowed[i, j] = ti[2:] == tj[2:] and ti[:2] in ("B-", "I-")
    return allowed


def allowed_starts(tags: Sequence[str]) -> np.ndarray:
    return np.array([not t.startswith("I-") for t in tags], dtype=bool)


def viterbi_decode(log_probs: np.ndarray, tags: Sequence[str]) -> list[int]:
    """Best tag sequence under the IOB2 constraints (``O -> I-X`` and ``B-X -> I-Y`` forbidden).

    ``log_probs`` is ``[n_words, n_tags]``; returns tag indices.
    """
    n_words = log_probs.shape[0]
    if n_words == 0:
        return []
    penalty = np.where(allowed_transitions(tags), 0.0, -np.inf)
    score = np.where(allowed_starts(tags), log_probs[0], -np.inf)
    back = np.zeros((n_words, len(tags)), dtype=np.int64)
    for t in range(1, n_words):
        cand = score[:, None] + penalty  # [prev, cur]
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[t]
    best = [int(score.argmax())]
    for t in range(n_words - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


@lru_cache(maxsize=8)
def _constraints(tags: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(transition penalty ``[prev, cur]`` of 0 / -inf, allowed first tags) of a tag set, built once."""
    return np.where(allowed_transitions(tags), 0.0, -np.inf), allowed_starts(tags)


def viterbi_decode_batch(
    log_probs: Sequence[np.ndarray], tags: Sequence[str], bucket: int = 64
) -> list[list[int]]:
    """``viterbi_decode`` of many sentences at once, the same answer for each.

    Sentences are sorted by length and decoded ``bucket`` at a time as one padded array, so the
    Python loop runs once per word position of a bucket instead of once per word of every sentence;
    a sentence's scores stop changing after its last word. The arithmetic is the single-sentence
    one element for element (same dtypes, same order), so ties break the same way.
    """
    penalty, starts = _constraints(tuple(tags))
    out: list[list[int]] = [[] for _ in log_probs]
    order = sorted((i for i, lp in enumerate(log_probs) if lp.shape[0]), key=lambda i: log_probs[i].shape[0])
    for a in range(0, len(order), bucket):
        rows = order[a : a + bucket]
        lengths = np.array([log_probs[i].shape[0] for i in rows])
        width = int(lengths.max())
        lp = np.zeros((len(rows), width, len(tags)), dtype=log_probs[rows[0]].dtype)
        for r, i in enumerate(rows):
            lp[r, : lengths[r]] = log_probs[i]
        score = np.where(starts, lp[:, 0], -np.inf)
        back = np.zeros((len(rows), width, len(tags)), dtype=np.int64)
        for t in range(1, width):
            cand = score[:, :, None] + penalty  # [rows, prev, cur]
            back[:, t] = cand.argmax(axis=1)
            score = np.where((t < lengths)[:, None], cand.max(axis=1) + lp[:, t], score)
        for r, i in enumerate(rows):
            best = [int(score[r].argmax())]
            for t in range(lengths[r] - 1, 0, -1):
                best.append(int(back[r, t, best[-1]]))
            out[i] = best[::-1]
    return out


def tags_to_spans(tags: Sequence[str], probs: Sequence[float] | None = None) -> list[WordSpan]:
    """Word spans of a tag sequence; a stray ``I-X`` starts a new span (lenient reading)."""
    spans: list[WordSpan] = []
    start, label = None, None

    def close(end: int) -> None:
        if start is not None:
            score = float(np.mean(probs[start : end + 1])) if probs is not None else 1.0
            spans.append(WordSpan(start, end, label, score))

    for i, tag in enumerate(tags):
        if tag.startswith("I-") and label == tag[2:] and start is not None:
            continue
        close(i - 1)
        start, label = (i, tag[2:]) if tag != "O" else (None, None)
    close(len(tags) - 1)
    return spans


def spans_to_tags(spans: Sequence[WordSpan], n_words: int) -> list[str]:
    """IOB2 tags for non-overlapping word spans."""
    tags = ["O"] * n_words
    for s in spans:
        if any(t != "O" for t in tags[s.start : s.end + 1]):
            raise ValueError(f"overlapping spans at words {s.start}..{s.end}")
        tags[s.start] = f"B-{s.label}"
        for i in range(s.start + 1, s.end + 1):
            tags[i] = f"I-{s.label}"
    return tags


MAX_PAIR_DISTANCE = 64  # words between a head and a tail start; the gold corpus' largest is 25


def relation_candidates(
    labels: Sequence[str],
    head_label: str,
    tail_label: str,
    starts: Sequence[int] | None = None,
    max_distance: int = MAX_PAIR_DISTANCE,
) -> list[tuple[int, int]]:
    """(head, tail) index pairs of entities whose labels fit a relation signature.

    With ``starts`` (each entity's first word), only pairs at most ``max_distance``
    words apart: relations are local, and a line listing a thousand officials
    must not make a million candidates.
    """
    heads = [i for i, lab in enumerate(labels) if lab == head_label]
    tails = [j for j, lab in enumerate(labels) if lab == tail_label]
    if starts is None:
        return [(i, j) for i in heads for j in tails]
    tails.sort(key=lambda j: starts[j])
    tail_starts = [starts[j] for j in tails]
    out = []
    for i in heads:
        lo = bisect_left(tail_starts, starts[i] - max_distance)
        hi = bisect_right(tail_starts, starts[i] + max_distance)
        out.extend((i, j) for j in sorted(tails[lo:hi]))
    return out


def kept_relations(
    pair_scores: dict[tuple[int, int], float], threshold: float, one_holder: bool = True
) -> list[tuple[tuple[int, int], float]]:
    """The (head, tail) pairs scoring at least ``threshold``, sorted; with ``one_holder``, each tail
    (a POSITION mention) keeps only its best-scoring head: the guidelines link each title to the
    one person of its segment, and no POSITION of the gold or written corpus has two holders."""
    kept = sorted((pair, p) for pair, p in pair_scores.items() if p >= threshold)
    if not one_holder:
        return kept
    best: dict[int, tuple[tuple[int, int], float]] = {}
    for pair, p in kept:
        if pair[1] not in best or p > best[pair[1]][1]:
            best[pair[1]] = (pair, p)
    return sorted(best.values())


def distance_bucket(distance: int, n_buckets: int) -> int:
    """Log-spaced bucket of a signed word distance: 0..n_buckets-1 for head-before-tail,
    n_buckets..2*n_buckets-1 for head-after-tail."""
    d = abs(distance)
    b = 0 if d == 0 else min(n_buckets - 1, int(np.log2(d)) + 1)
    return b if distance >= 0 else b + n_buckets
