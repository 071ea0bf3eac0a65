"""Character spans -> word-level IOB2 tags (for CoNLL output and seqeval scoring).

Words are the segmenter's words, further split at every span boundary of
every entity set given, so that gold and predicted tags describe the same
tokens and no span is shifted to fit a word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from canbo.model.decode import WordSpan, spans_to_tags
from canbo.model.schema import Entity
from canbo.model.text import Span, segment_at_spans, sentence_spans


def sentence_word_tags(
    text: str,
    start: int,
    end: int,
    entity_sets: Sequence[Sequence[Entity]],
    segmenter: Callable[[str], list[str]] | None = None,
) -> tuple[list[Span], list[list[str]]]:
    """Words of ``text[start:end]`` and one IOB2 tag list per entity set."""
    inside = [[e for e in ents if start <= e.start and e.end <= end] for ents in entity_sets]
    cuts = [x for ents in inside for e in ents for x in (e.start, e.end)]
    words, _ = segment_at_spans(text, cuts, start, end, tokenizer=segmenter)
    starts = {w.start: i for i, w in enumerate(words)}
    ends = {w.end: i for i, w in enumerate(words)}
    tags = []
    for ents in inside:
        spans = [WordSpan(starts[e.start], ends[e.end], e.label) for e in ents if e.start in starts and e.end in ends]
        tags.append(spans_to_tags(spans, len(words)))
    return words, tags


def to_conll(text: str, entities: Sequence[Entity], split: bool = True) -> str:
    """CoNLL lines ``word<TAB>tag`` (syllables joined by '_'), a blank line between sentences."""
    blocks = []
    for sent in sentence_spans(text, split):
        words, (tags,) = sentence_word_tags(text, sent.start, sent.end, [entities])
        if words:
            blocks.append("\n".join(f"{'_'.join(text[w.start:w.end].split())}\t{t}" for w, t in zip(words, tags)))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
