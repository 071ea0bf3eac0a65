"""Merge the rule component's spans with the learned tagger's: an explicit, tested policy.

Every merged span records who decided it: ``rules``, ``model``, or ``both`` (the same span
and label from each). Policies:

* ``model``: the tagger's spans only (rule tags may still be one of its inputs);
* ``rules``: the rules' spans only (the relation head still links them);
* ``rules-first``: the rules' spans, plus the tagger's spans that overlap none of them;
* ``model-first``: the tagger's spans, plus the rules' spans that overlap none of them.

``rule_labels`` names labels the rules own, under any policy: only the rules' spans of those
labels are output (where the tagger found the same span, with the tagger's score), kept before
anything else, and the policy fills the rest with spans of the other labels. ``model-first``
with ``rule_labels=("METRIC",)`` keeps the rules' figures, then the tagger's spans of other
labels that overlap none of them, then the rules' other spans that still fit.

Which policy a model ships with is decided by cross-validation (``eval/ablation.md``) and
saved in its config (``merge_policy``).

HAS_POSITION relations between the merged spans are merged the same way (``relation_merge``):
``model`` (the relation head's), ``rules`` (the rules' apposition and holding-verb links,
``model.rules``) or ``union`` (both).
"""

from __future__ import annotations

from dataclasses import dataclass

POLICIES = ("model", "rules", "rules-first", "model-first")
RELATION_MERGES = ("model", "rules", "union")


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


def check_rule_labels(rule_labels, entity_labels) -> list[str]:
    """``rule_labels`` as a list, each one of ``entity_labels``; an unknown label is one sentence."""
    unknown = [lab for lab in rule_labels if lab not in entity_labels]
    if unknown:
        raise ValueError(f"rule_labels: {', '.join(unknown)} not among the entity labels ({', '.join(entity_labels)})")
    return list(rule_labels)


def merge(
    rules: list[Candidate], model: list[Candidate], policy: str, rule_labels: tuple[str, ...] | list[str] = ()
) -> list[Merged]:
    """The spans ``policy`` keeps, sorted, never overlapping, each with its source."""
    check_merge_policy(policy)
    labels = set(rule_labels)
    same = {(c.start, c.end, c.label) for c in rules} & {(c.start, c.end, c.label) for c in model}

    def tag(c: Candidate, who: str) -> Merged:
        return Merged(c.start, c.end, c.label, c.score, "both" if (c.start, c.end, c.label) in same else who)

    first, second = {
        "model": ([tag(c, "model") for c in model], []),
        "rules": ([tag(c, "rules") for c in rules], []),
        "rules-first": ([tag(c, "rules") for c in rules], [tag(c, "model") for c in model]),
        "model-first": ([tag(c, "model") for c in model], [tag(c, "rules") for c in rules]),
    }[policy]
    # the rules own these labels and are kept first; where the tagger agrees, its score is kept
    scores = {(c.start, c.end, c.label): c.score for c in model}
    first = [m for m in first if m.label not in labels]
    second = [m for m in second if m.label not in labels]
    kept = [tag(Candidate(c.start, c.end, c.label, scores.get((c.start, c.end, c.label), c.score)), "rules")
            for c in rules if c.label in labels]
    for c in [*first, *second]:
        if not any(c.start < k.end and k.start < c.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda m: (m.start, m.end))


def rules_decide_all(policy: str, relation_merge: str) -> bool:
    """Do the rules decide every span and every link (``policy`` and ``relation_merge`` both
    ``rules``)? Then the learned model's output is not used at all."""
    return policy == "rules" and relation_merge == "rules"


def check_merge_policy(policy: str) -> str:
    """``policy`` if it is one of ``POLICIES``; else one clear error."""
    if policy not in POLICIES:
        raise ValueError(f"unknown merge policy {policy!r} (choose from {', '.join(POLICIES)})")
    return policy


def check_relation_merge(mode: str) -> str:
    """``mode`` if it is one of ``RELATION_MERGES``; else one clear error."""
    if mode not in RELATION_MERGES:
        raise ValueError(f"unknown relation merge {mode!r} (choose from {', '.join(RELATION_MERGES)})")
    return mode


def merge_relations(
    model: list[tuple[tuple[int, int], float]], rules: set[tuple[int, int]], mode: str
) -> list[tuple[tuple[int, int], float]]:
    """Sorted (head, tail) pairs with scores: the relation head's kept pairs ``model``, the rules'
    links ``rules`` between the same spans, or their union (``RELATION_MERGES``). A pair the model
    kept keeps its score; a pair only the rules drew scores 1.0, as a span only the rules found."""
    check_relation_merge(mode)
    kept = dict(model)
    if mode == "model":
        return sorted(kept.items())
    chosen = set(rules) if mode == "rules" else set(rules) | set(kept)
    return sorted((pair, kept.get(pair, 1.0)) for pair in chosen)
