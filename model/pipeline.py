"""Inference: raw text -> Document, batched over sentences of many texts.

``load(path)`` gives a ``Pipeline``; ``Pipeline.predict(text)`` is
``predict_batch([text])[0]``.  Offsets always refer to the input string
exactly as given (NFD, odd spacing and boilerplate included).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from model.decode import WordSpan, relation_candidates, tags_to_spans, viterbi_decode
from model.encoding import Window, WordEncoder, char_span, gold_word_spans
from model.features import rule_word_tags
from model.hub import ModelUnavailableError, quiet_transformers, resolve_model_path
from model.schema import Document, Entity, Relation
from model.text import Span, segment_at_spans, segment_words, split_sentences

DEFAULT_MODEL_DIR = Path(__file__).parent / "default_model"


@dataclass
class _Sentence:
    doc: int
    words: list[Span]
    windows: list[Window]
    vectors: torch.Tensor | None = None
    log_probs: np.ndarray | None = None
    spans: list[WordSpan] | None = None
    pair_scores: dict[tuple[int, int], float] | None = None


class Pipeline:
    """A loaded model with its tokenizer and word segmenter."""

    def __init__(self, model, tokenizer, segmenter: Callable[[str], list[str]] | None = None):
        self.model = model.eval()
        self.config = model.config
        self.tags = self.config.tags
        self.encoder = WordEncoder(tokenizer, max_length=self.config.max_tokens)
        self.segmenter = segmenter
        self.relation_threshold = self.config.relation_threshold

    # ----------------------------------------------------------- public API

    def predict(self, text: str) -> Document:
        return self.predict_batch([text])[0]

    def predict_batch(
        self, texts: Sequence[str], batch_size: int = 32, progress: bool = False, split: bool = True
    ) -> list[Document]:
        """Documents for ``texts``; sentences of all texts are batched together, sorted by length.

        ``split=False`` treats each text as one sentence (no boilerplate filter), as for gold sentences.
        """
        if isinstance(texts, str):
            raise TypeError("predict_batch takes a list of texts; use predict(text) for one")
        sentences = self.prepare(texts, split=split)
        self._encode(sentences, batch_size, progress)
        for s in sentences:
            s.spans = self._decode_tags(s)
        self._score_pairs(sentences, batch_size)
        by_doc: list[list[_Sentence]] = [[] for _ in texts]
        for s in sentences:
            by_doc[s.doc].append(s)
        return [self._document(text, sents) for text, sents in zip(texts, by_doc)]

    def link_entities(self, docs: Sequence[Document], batch_size: int = 32) -> list[Document]:
        """Copies of ``docs`` (one sentence each, entities given) with the model's relations between
        those entities: the relation head alone, e.g. for scoring it given gold entities.

        Words are split at every given span boundary, as in training, so every span falls on words.
        """
        out, todo = [], []
        for d in docs:
            copy = Document(text=d.text, id=d.id, meta=dict(d.meta))
            copy.entities = [Entity(e.start, e.end, e.label, e.text, e.score, e.id) for e in d.entities]
            out.append(copy)
            cuts = [x for e in d.entities for x in (e.start, e.end)]
            words, _ = segment_at_spans(d.text, cuts, tokenizer=self.segmenter)
            if words and d.entities:
                tags = self._rule_tags(d.text, Span(0, len(d.text)), words)
                sent = _Sentence(len(out) - 1, words, self.encoder.encode(d.text, words, tags))
                sent.spans = gold_word_spans(d, words)
                todo.append(sent)
        self._encode(todo, batch_size, progress=False)
        self._score_pairs(todo, batch_size)
        for s in todo:
            for (h, t), p in sorted(s.pair_scores.items()):
                if p >= self.relation_threshold:
                    out[s.doc].relations.append(Relation(h, t, self.config.relation_label, score=p))
        return out

    def prepare(self, texts: Sequence[str], split: bool = True) -> list[_Sentence]:
        """Sentence split, word segmentation and subword windows (the CPU-side stages)."""
        out = []
        for i, text in enumerate(texts):
            sents = split_sentences(text) if split else [Span(0, len(text))]
            for sent in sents:
                words = segment_words(text, sent.start, sent.end, tokenizer=self.segmenter)
                if words:
                    out.append(_Sentence(i, words, self.encoder.encode(text, words, self._rule_tags(text, sent, words))))
        return out

    # ----------------------------------------------------------- stages

    def _rule_tags(self, text: str, sent: Span, words: list[Span]) -> list[int] | None:
        if not self.config.rule_features:
            return None
        return rule_word_tags(text, sent.start, sent.end, words, self.config.label2id)

    @torch.inference_mode()
    def _encode(self, sentences: list[_Sentence], batch_size: int, progress: bool) -> None:
        items = [(s, k) for s in sentences for k in range(len(s.windows))]
        items.sort(key=lambda it: len(it[0].windows[it[1]].input_ids))
        results: dict[tuple[int, int], tuple[torch.Tensor, torch.Tensor]] = {}
        batches = range(0, len(items), batch_size)
        if progress:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="encoding", unit="batch")
        for b in batches:
            chunk = items[b : b + batch_size]
            ids, mask, starts, rules = pad_windows([s.windows[k] for s, k in chunk], self.encoder.pad)
            vecs = self.model.word_vectors(ids, mask, starts, rules)
            logp = torch.log_softmax(self.model.tag_logits(vecs), -1)
            for row, (s, k) in enumerate(chunk):
                n = len(s.windows[k].word_starts)
                results[(id(s), k)] = (vecs[row, :n], logp[row, :n])
        for s in sentences:
            parts_v, parts_p = [], []
            for k, w in enumerate(s.windows):
                v, p = results[(id(s), k)]
                lo, hi = w.own_start - w.first_word, w.own_end - w.first_word
                parts_v.append(v[lo:hi])
                parts_p.append(p[lo:hi])
            s.vectors = torch.cat(parts_v)
            s.log_probs = torch.cat(parts_p).float().numpy()

    def _decode_tags(self, s: _Sentence) -> list[WordSpan]:
        best = viterbi_decode(s.log_probs, self.tags)
        probs = np.exp(s.log_probs[np.arange(len(best)), best])
        return tags_to_spans([self.tags[t] for t in best], probs)

    @torch.inference_mode()
    def _score_pairs(self, sentences: list[_Sentence], batch_size: int) -> None:
        """Fill ``pair_scores`` of each sentence: P(relation) for every candidate span pair."""
        head_label, tail_label = self.config.relation_signature
        todo = []
        for s in sentences:
            s.pair_scores = {}
            pairs = relation_candidates([sp.label for sp in s.spans], head_label, tail_label)
            if pairs:
                todo.append((s, pairs))
        for b in range(0, len(todo), batch_size):
            chunk = todo[b : b + batch_size]
            words = _pad_stack([s.vectors for s, _ in chunk])
            spans = _pad_int([[(sp.start, sp.end) for sp in s.spans] for s, _ in chunk], 2)
            pairs = _pad_int([p for _, p in chunk], 2)
            probs = torch.sigmoid(self.model.pair_logits(words, spans, pairs))
            for row, (s, ps) in enumerate(chunk):
                for k, (h, t) in enumerate(ps):
                    s.pair_scores[(h, t)] = float(probs[row, k])

    def _document(self, text: str, sentences: list[_Sentence]) -> Document:
        doc = Document(text=text)
        for s in sentences:
            index = {}
            for k, sp in enumerate(s.spans):
                start, end = char_span(s.words, sp)
                index[k] = len(doc.entities)
                doc.entities.append(Entity(start, end, sp.label, text[start:end], score=sp.score))
            for (h, t), p in sorted(s.pair_scores.items()):
                if p >= self.relation_threshold:
                    doc.relations.append(Relation(index[h], index[t], self.config.relation_label, score=p))
        return doc


def pad_windows(windows: Sequence[Window], pad_id: int):
    """Batch tensors (input_ids, attention_mask, word_starts, rule_tags or None) for windows;
    word_starts and rule_tags padded with -1."""
    ids = _pad_int([w.input_ids for w in windows], 0, pad_id)
    mask = (ids != pad_id).long()
    for row, w in enumerate(windows):  # a pad id inside a window is still a real token
        mask[row, : len(w.input_ids)] = 1
    starts = _pad_int([w.word_starts for w in windows], 0, -1)
    rules = _pad_int([w.rule_tags for w in windows], 0, -1) if windows and windows[0].rule_tags is not None else None
    return ids, mask, starts, rules


def _pad_int(rows: Sequence[Sequence], width: int, value: int = -1) -> torch.Tensor:
    n = max((len(r) for r in rows), default=0)
    shape = (len(rows), max(n, 1)) + ((width,) if width else ())
    out = torch.full(shape, value, dtype=torch.long)
    for i, r in enumerate(rows):
        if len(r):
            out[i, : len(r)] = torch.tensor(r, dtype=torch.long)
    return out


def _pad_stack(tensors: Sequence[torch.Tensor]) -> torch.Tensor:
    n = max(t.size(0) for t in tensors)
    out = tensors[0].new_zeros(len(tensors), n, tensors[0].size(-1))
    for i, t in enumerate(tensors):
        out[i, : t.size(0)] = t
    return out


def load(path: str | os.PathLike | None = None, segmenter: Callable[[str], list[str]] | None = None) -> Pipeline:
    """Load a canbo checkpoint folder or hub id; with no argument, the shipped default model."""
    from transformers import AutoTokenizer

    from model.architecture import CanboModel

    folder = resolve_model_path(path if path is not None else DEFAULT_MODEL_DIR)
    if not (folder / "config.json").is_file():
        raise ModelUnavailableError(f"'{folder}' is not a canbo model folder (no config.json).")
    try:
        with quiet_transformers():  # load reports and bars are for developers, not for predict's users
            model = CanboModel.from_pretrained(folder)
            tokenizer = AutoTokenizer.from_pretrained(folder)
    except Exception as exc:  # noqa: BLE001 - corrupt or foreign checkpoints get one clear sentence
        raise ModelUnavailableError(f"'{folder}' could not be loaded as a canbo model: {exc}") from exc
    return Pipeline(model, tokenizer, segmenter=segmenter)
