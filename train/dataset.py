"""Gold Documents -> model features (one per window) and the padding collator.

Word segmentation is refined at gold span boundaries so that every gold span
falls on words; how often that was needed is counted and reported
(``AlignmentReport``) rather than hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from canbo.model.decode import relation_candidates, spans_to_tags
from canbo.model.encoding import WordEncoder, gold_word_spans
from canbo.model.features import rule_edges, rule_spans, rule_word_tags, shape_ids
from canbo.model.schema import Document
from canbo.model.text import AlignmentError, segment_at_spans


@dataclass
class AlignmentReport:
    sentences: int = 0
    words: int = 0
    split_words: int = 0
    examples: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.sentences} sentences, {self.words} words; {self.split_words} segmenter words "
            f"crossed a gold span boundary and were split there"
        )


def document_features(
    doc: Document,
    encoder: WordEncoder,
    tags: Sequence[str],
    signature: tuple[str, str],
    report: AlignmentReport,
    rule_features: bool = False,
    char_features: bool = False,
    span_noise: SpanNoise | None = None,
    gazetteer_features: bool = False,
) -> list[dict[str, Any]]:
    """Features of one gold sentence: one dict per encoder window. Words are cut at gold span
    edges, and at rule span edges when the model reads rule tags (as at inference)."""
    found = rule_spans(doc.text) if rule_features else []
    cuts = [x for e in doc.entities for x in (e.start, e.end)] + rule_edges(found)
    try:  # training data must be exact: a word we cannot place is an error naming the line
        words, n_split = segment_at_spans(doc.text, cuts, exact=True)
    except AlignmentError as exc:
        where = doc.meta.get("source") or doc.id or repr(doc.text[:40])
        raise AlignmentError(f"{where}: {exc}") from exc
    report.sentences += 1
    report.words += len(words)
    report.split_words += n_split
    if n_split and len(report.examples) < 20:
        report.examples.append(doc.id or doc.text[:40])
    spans = gold_word_spans(doc, words)
    tag_ids = {t: i for i, t in enumerate(tags)}
    word_tags = [tag_ids[t] for t in spans_to_tags(spans, len(words))]
    gold_pairs = {(r.head, r.tail) for r in doc.relations}
    rules = rule_word_tags(words, found, tag_ids) if rule_features else None
    shapes = shape_ids(doc.text, words, gazetteer_features) if char_features else None
    feats = []
    for w in encoder.encode(doc.text, words, rules, shapes):
        a, b = w.first_word, w.first_word + len(w.word_starts)
        inside = [k for k, s in enumerate(spans) if a <= s.start and s.end < b and s.label in signature]
        rel_spans = [(spans[k].start - a, spans[k].end - a, spans[k].label, k) for k in inside]
        if span_noise is not None:  # boundary-perturbed copies and false spans, as the tagger makes them
            rel_spans += span_noise.sample(rel_spans, b - a, {(s.start - a, s.end - a) for s in spans})
        pairs = relation_candidates([s[2] for s in rel_spans], *signature, starts=[s[0] for s in rel_spans])
        feats.append(
            {
                "input_ids": w.input_ids,
                "word_starts": w.word_starts,
                "tag_labels": word_tags[a:b],
                "spans": [(s[0], s[1]) for s in rel_spans],
                "pairs": pairs,
                "pair_labels": [int((rel_spans[h][3], rel_spans[t][3]) in gold_pairs) for h, t in pairs],
            }
        )
        if w.rule_tags is not None:
            feats[-1]["rule_tags"] = w.rule_tags
        if w.shape_ids is not None:
            feats[-1]["shape_ids"] = w.shape_ids
    return feats


class SpanNoise:
    """SpERT-style extra spans for training the relation head on spans like the tagger's, not only
    on gold ones: for each gold span, with probability ``rate``, a copy with one edge moved by a word
    (it keeps the gold span's relations: the same mention, cut a little wrong), and per window, with
    probability ``rate``, a false span of a relation label over words no gold span covers (all of
    its pairs are negatives). Seeded, so that the same data gives the same features."""

    def __init__(self, rate: float, seed: int = 13):
        import random

        self.rate = rate
        self.rng = random.Random(seed)

    def sample(self, spans: list[tuple[int, int, str, int]], n_words: int, gold: set[tuple[int, int]]):
        """Extra ``(start, end, label, gold index or -1)`` word spans for one window."""
        out = []
        for start, end, label, k in spans:
            if self.rng.random() >= self.rate:
                continue
            moves = [(start + d, end) for d in (-1, 1)] + [(start, end + d) for d in (-1, 1)]
            moves = [(s, t) for s, t in moves if 0 <= s <= t < n_words and (s, t) not in gold]
            if moves:
                s, t = self.rng.choice(moves)
                out.append((s, t, label, k))
        labels = sorted({sp[2] for sp in spans})
        if labels and n_words > 1 and self.rng.random() < self.rate:
            covered = {i for s, t in gold for i in range(s, t + 1)}
            s = self.rng.randrange(n_words)
            t = min(n_words - 1, s + self.rng.randrange(3))
            if not any(i in covered for i in range(s, t + 1)):
                out.append((s, t, self.rng.choice(labels), -1))
        return out


def build_features(
    docs: Sequence[Document], encoder: WordEncoder, tags, signature, progress: bool = False, rule_features: bool = False,
    char_features: bool = False, span_noise: float = 0.0, seed: int = 13, gazetteer_features: bool = False,
):
    """Features of all documents plus the alignment report."""
    report = AlignmentReport()
    it = docs
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(docs, desc="features", unit="sent")
    noise = SpanNoise(span_noise, seed) if span_noise > 0 else None
    feats = [
        f for d in it for f in document_features(
            d, encoder, tags, signature, report, rule_features, char_features, noise, gazetteer_features
        )
    ]
    return feats, report


class Collator:
    """Pads a list of feature dicts into the model's batch tensors."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, batch: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        n_tok = max(len(f["input_ids"]) for f in batch)
        n_word = max(len(f["word_starts"]) for f in batch)
        n_span = max(1, max(len(f["spans"]) for f in batch))
        n_pair = max(1, max(len(f["pairs"]) for f in batch))
        size = len(batch)
        out = {
            "input_ids": torch.full((size, n_tok), self.pad_id, dtype=torch.long),
            "attention_mask": torch.zeros((size, n_tok), dtype=torch.long),
            "word_starts": torch.full((size, n_word), -1, dtype=torch.long),
            "tag_labels": torch.full((size, n_word), -100, dtype=torch.long),
            "spans": torch.full((size, n_span, 2), -1, dtype=torch.long),
            "pairs": torch.full((size, n_pair, 2), -1, dtype=torch.long),
            "pair_labels": torch.full((size, n_pair), -100, dtype=torch.long),
        }
        if "rule_tags" in batch[0]:
            out["rule_tags"] = torch.full((size, n_word), -1, dtype=torch.long)
        if "shape_ids" in batch[0]:
            out["shape_ids"] = torch.zeros((size, n_word), dtype=torch.long)
        for i, f in enumerate(batch):
            out["input_ids"][i, : len(f["input_ids"])] = torch.tensor(f["input_ids"])
            out["attention_mask"][i, : len(f["input_ids"])] = 1
            out["word_starts"][i, : len(f["word_starts"])] = torch.tensor(f["word_starts"])
            out["tag_labels"][i, : len(f["tag_labels"])] = torch.tensor(f["tag_labels"])
            if "rule_tags" in f:
                out["rule_tags"][i, : len(f["rule_tags"])] = torch.tensor(f["rule_tags"])
            if "shape_ids" in f:
                out["shape_ids"][i, : len(f["shape_ids"])] = torch.tensor(f["shape_ids"])
            if f["spans"]:
                out["spans"][i, : len(f["spans"])] = torch.tensor(f["spans"])
            if f["pairs"]:
                out["pairs"][i, : len(f["pairs"])] = torch.tensor(f["pairs"])
                out["pair_labels"][i, : len(f["pairs"])] = torch.tensor(f["pair_labels"])
        return out
