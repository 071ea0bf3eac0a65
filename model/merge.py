"""Merge the rule component's spans with the learned tagger's: an explicit, tested policy.

Every merged span records who decided it: ``rules``, ``model``, or ``both`` (the same span
and label from each). Policies:

* ``model``: the tagger's spans only (rule tags may still be one of its inputs);
* ``rules``: the rules' spans only (the relation head still links them);
* ``rules-first``: the rules' spans, plus the tagger's spans that overlap none of them;
* ``model-first``: the tagger's spans, plus the rules' spans that overlap none of them.

Which policy a model ships with is decided by cross-validation (``eval/ablation.md``) and
saved in its config (``merge_policy``).
"""

from __future__ import annotations

from dataclasses import dataclass

POLICIES = ("model", "rules", "rules-first", "model-first")


@dataclass(frozen=True)
class Candidate:
    """A span proposed by one component: character offsets (exclusive end), label, score."""

    start: int
    end: int
    label: str
    score: float = 1.0


@dataclass(frozen=True)
class Merged:
    start: int
    end: int
    label: str
    score: float
    source: str  # "rules", "model" or "both"


def merge(rules: list[Candidate], model: list[Candidate], policy: str) -> list[Merged]:
    """The spans ``policy`` keeps, sorted, never overlapping, each with its source."""
    if policy not in POLICIES:
        raise ValueError(f"unknown merge policy {policy!r} (choose from {', '.join(POLICIES)})")
    same = {(c.start, c.end, c.label) for c in rules} & {(c.start, c.end, c.label) for c in model}

    def tag(c: Candidate, who: str) -> Merged:
        return Merged(c.start, c.end, c.label, c.score, "both" if (c.start, c.end, c.label) in same else who)

    first, second = {
        "model": ([tag(c, "model") for c in model], []),
        "rules": ([tag(c, "rules") for c in rules], []),
        "rules-first": ([tag(c, "rules") for c in rules], [tag(c, "model") for c in model]),
        "model-first": ([tag(c, "model") for c in model], [tag(c, "rules") for c in rules]),
    }[policy]
    kept = list(first)
    for c in second:
        if not any(c.start < k.end and k.start < c.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda m: (m.start, m.end))
