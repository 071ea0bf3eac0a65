"""Rule tags as model input: what the rule/gazetteer extractor says about each word.

The tags are the model's own BIO tag set, so the embedding that carries them
has one row per tag plus one for "no information" (padding, or dropped out
during training so that the model does not lean on the rules blindly).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from canbo.model.text import Span


@lru_cache(maxsize=1)
def rule_extractor():
    """The rule component, built once (it reads one sentence at a time: no furniture filter)."""
    from canbo.model.rules import RuleBaseline

    return RuleBaseline(skip_boilerplate=False)


def rule_word_tags(text: str, start: int, end: int, words: Sequence[Span], tag_ids: dict[str, int]) -> list[int]:
    """Tag id per word of ``text[start:end]``: B-/I- of the rule span a word lies inside, else O."""
    found = rule_extractor().predict(text[start:end]).entities
    out = [tag_ids["O"]] * len(words)
    k = 0
    for e in sorted(found, key=lambda e: e.start):
        s, t = e.start + start, e.end + start
        while k < len(words) and words[k].end <= s:
            k += 1
        first = True
        j = k
        while j < len(words) and words[j].start < t:
            if words[j].start >= s and words[j].end <= t:
                out[j] = tag_ids[f"{'B' if first else 'I'}-{e.label}"]
                first = False
            j += 1
    return out
