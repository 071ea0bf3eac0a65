"""Inference: raw text -> Document, batched over sentences of many texts.

``load(path)`` gives a ``Pipeline``; ``Pipeline.predict(text)`` is
``predict_batch([text])[0]``.  Offsets always refer to the input string
exactly as given (NFD, odd spacing and boilerplate included).
"""

from __future__ import annotations

import functools
import warnings
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from canbo.model.calibration import Calibration
from canbo.model.casing import is_shouted, recase
from canbo.model.decode import (
    WordSpan,
    kept_relations,
    relation_candidates,
    tags_to_spans,
    viterbi_decode_batch,
)
from canbo.model.encoding import Window, WordEncoder, char_span, gold_word_spans
from canbo.model.features import rule_edges, rule_links, rule_spans, rule_word_tags, shape_ids
from canbo.model.merge import (
    Candidate,
    check_merge_policy,
    check_relation_merge,
    check_rule_labels,
    merge,
    merge_relations,
    rules_decide_all,
)
from canbo.model.normalise import normalise_document
from canbo.model.parallel import (
    LIGHT_MODEL_PARAMS,
    PreparePool,
    choose_workers,
    prepare_tasks,
    task_chunks,
    torch_threads,
)
from canbo.model.schema import Document, Entity, Relation
from canbo.model.text import (
    Span,
    refine_at_boundaries,
    segment_at_spans,
    segment_words,
    sentence_spans,
    syllables,
)

if TYPE_CHECKING:
    import torch

DEFAULT_MODEL_DIR = Path(__file__).parent / "default_model"
GROUP_SENTENCES = 512  # sentences prepared, encoded and decoded together: bounds memory on huge texts
PAIR_CHUNK = 2048  # relation candidates scored in one forward pass


def _inference_mode(method):
    """``torch.inference_mode`` around ``method``, torch imported at its first call: a decode where
    the rules decide never runs these stages, so it never imports torch (most of a cold start)."""

    @functools.wraps(method)
    def run(*args, **kwargs):
        import torch

        with torch.inference_mode():
            return method(*args, **kwargs)

    return run


@dataclass
class _Sentence:
    doc: int
    words: list[Span]
    windows: list[Window]
    vectors: torch.Tensor | None = None
    log_probs: np.ndarray | None = None
    spans: list[WordSpan] | None = None
    pair_scores: dict[tuple[int, int], float] | None = None
    span: Span | None = None  # where the sentence is in the text
    rules: list[Entity] | None = None  # the rule component's spans (offsets into the text), when used
    decided: list[tuple[int, int, str]] | None = None  # per span: exact characters and source


class Pipeline:
    """A loaded model with its tokenizer and word segmenter."""

    def __init__(self, model, tokenizer, segmenter: Callable[[str], list[str]] | None = None,
                 merge_policy: str | None = None, workers: int | None = None,
                 calibration: Calibration | None = None, rule_labels: Sequence[str] | None = None,
                 relation_merge: str | None = None, config=None, loader: Callable[[], tuple] | None = None):
        """``model`` and its ``tokenizer``; or ``model=None`` with its ``config`` and a ``loader``
        returning (model, tokenizer), called on the tagger's first use (``load`` does this when the
        rules decide every span and link: the weights, and torch, are then never loaded)."""
        if model is None and (config is None or loader is None):
            raise ValueError("Pipeline needs a model, or its config and a loader")
        self._model = self._encoder = None
        self._loader = loader
        self.calibration = calibration or Calibration()  # raw scores when the model has none
        self.config = model.config if model is not None else config
        self.backend = getattr(model, "backend", "transformers") if model is not None else "torch"
        self.merge_policy = check_merge_policy(merge_policy or getattr(self.config, "merge_policy", "model"))
        labels = getattr(self.config, "rule_labels", []) if rule_labels is None else rule_labels
        self.rule_labels = check_rule_labels(labels, self.config.entity_labels)
        self.tags = self.config.tags
        self.segmenter = segmenter
        self.relation_threshold = self.config.relation_threshold
        self.one_holder = bool(getattr(self.config, "relation_one_holder", False))  # model.decode.kept_relations
        self.relation_merge = check_relation_merge(relation_merge or getattr(self.config, "relation_merge", "model"))
        self.workers = workers  # preparation processes (model.parallel.choose_workers; None: automatic)
        self._light: bool | None = None
        self._pool = None
        if model is not None:
            self._attach(model, tokenizer)

    def _attach(self, model, tokenizer) -> None:
        self._model = model.eval()
        self._encoder = WordEncoder(
            tokenizer, max_length=self.config.max_tokens, modern_tone=bool(getattr(self.config, "modern_tone", False))
        )

    @property
    def model(self):
        """The learned model (loaded on first use when ``load`` deferred it)."""
        if self._model is None:
            self._attach(*self._loader())
            self.backend = getattr(self._model, "backend", self.backend)
        return self._model

    @property
    def encoder(self) -> WordEncoder:
        """Words to subword windows with the model's tokenizer (loaded with the model)."""
        self.model  # noqa: B018 - loads the model and its tokenizer when deferred
        return self._encoder

    @property
    def light(self) -> bool:
        """Is the forward pass cheap enough that preparation is worth worker processes? Always when
        the rules decide (no forward pass); else by the model's size (``model.parallel``)."""
        if not self.uses_tagger:
            return True
        if self._light is None:
            self._light = sum(p.numel() for p in self.model.parameters()) < LIGHT_MODEL_PARAMS
        return self._light

    # ----------------------------------------------------------- public API

    def predict(self, text: str) -> Document:
        if not isinstance(text, str):
            raise TypeError(f"predict takes one text (str), not {type(text).__name__}; use predict_batch for a list")
        return self.predict_batch([text])[0]

    def predict_batch(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        progress: bool = False,
        split: bool = True,
        workers: int | None = None,
    ) -> list[Document]:
        """Documents for ``texts``; sentences of all texts are batched together, sorted by length.

        Work goes in groups of at most ``GROUP_SENTENCES`` sentences, so memory stays bounded
        whatever the size of a text. ``split=False`` treats each text as one sentence (no
        boilerplate filter), as for gold sentences. Words that cannot be placed on the input
        are skipped and counted in one warning per text. ``workers`` processes prepare the
        sentences (``model.parallel``; 0: this process; None: the pipeline's setting, by default one
        per core when the texts are long enough); the results are the same either way. Pages
        (``split=True``) are normalised (``model.normalise``): a page date and each entity's ``norm``.
        """
        if isinstance(texts, str):
            raise TypeError("predict_batch takes a list of texts; use predict(text) for one")
        check_batch_size(batch_size)
        docs = [Document(text=t) for t in texts]
        skipped = [0] * len(texts)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=sum(len(t) for t in texts), desc="predicting", unit="char", unit_scale=True)
        if self.uses_tagger:
            self.model  # noqa: B018 - load deferred weights here, before any worker process is forked
        n = choose_workers(self.workers if workers is None else workers, sum(map(len, texts)), self.light)
        with torch_threads(1 if n else None):
            self._predict_groups(self._groups(texts, split, skipped, n), docs, batch_size, bar)
        if bar is not None:
            bar.close()
        for k, n_lost in enumerate(skipped):
            if n_lost:
                warnings.warn(f"text {k + 1}: {n_lost} word(s) could not be placed on the input and were skipped", stacklevel=2)
        if split:  # pages (not gold sentences) get their normalised fields: the one place this is done
            for d in docs:
                normalise_document(d)
        return docs

    @property
    def uses_tagger(self) -> bool:
        """Does the output depend on the learned model? Not when the rules decide every span and every
        link (``merge_policy`` and ``relation_merge`` both ``rules``): the encoder is then not run."""
        return not rules_decide_all(self.merge_policy, self.relation_merge)

    def _predict_groups(self, groups, docs: list[Document], batch_size: int, bar) -> None:
        tagger = self.uses_tagger
        for group in groups:
            if tagger:
                self._encode(group, batch_size)
                self._decode_tags(group)
            else:  # the rules decide: no tagger spans, no pair scores
                for s in group:
                    s.spans, s.pair_scores = [], {}
            for s in group:
                self._merge_rules(s)
            if tagger:
                self._score_pairs(group)
            for s in group:
                self._add_sentence(docs[s.doc], s)
            if bar is not None:
                bar.update(sum(s.words[-1].end - s.words[0].start for s in group))

    def close(self) -> None:
        """Stop the preparation workers, if any were started (they also stop with the process)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

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
                words, windows, _ = self._inputs(d.text, Span(0, len(d.text)), words)
                sent = _Sentence(len(out) - 1, words, windows)
                sent.spans = gold_word_spans(d, words)
                todo.append(sent)
        self._encode(todo, batch_size)
        self._score_pairs(todo)
        for s in todo:
            for (h, t), p in self._relations(s):
                score = self.calibration.relation_score(p)
                out[s.doc].relations.append(Relation(h, t, self.config.relation_label, score=score))
        return out

    def prepare(self, texts: Sequence[str], split: bool = True, workers: int = 0) -> list[_Sentence]:
        """Sentence split, word segmentation and subword windows (the CPU-side stages), all at once."""
        return [s for group in self._groups(texts, split, [0] * len(texts), workers) for s in group]

    def _groups(
        self, texts: Sequence[str], split: bool, skipped: list[int], workers: int = 0
    ) -> Iterator[list[_Sentence]]:
        """Prepared sentences of ``texts`` in reading order, ``GROUP_SENTENCES`` at a time, prepared
        here or by ``workers`` forked processes (``model.parallel``)."""
        if workers:
            pool = self._pool_for(workers)
            prepared = (r for chunk in pool.imap(task_chunks(prepare_tasks(texts, split))) for task in chunk for r in task)
        else:
            prepared = (r for task in prepare_tasks(texts, split, whole_texts=False) for r in self.prepare_task(task))
        group: list[_Sentence] = []
        for sentence, lost in prepared:
            if lost:
                skipped[lost[0]] += len(lost[1])
            if sentence is not None:
                group.append(sentence)
            if len(group) >= GROUP_SENTENCES:
                yield group
                group = []
        if group:
            yield group

    def _pool_for(self, workers: int):
        if self._pool is None or self._pool.workers != workers:
            self.close()
            self._pool = PreparePool(self, workers)
            weakref.finalize(self, self._pool.close)
        return self._pool

    def prepare_task(self, task: tuple) -> list[tuple[_Sentence | None, tuple[int, list[str]] | None]]:
        """(prepared sentence or None, (doc, words that could not be placed) or None) for each sentence
        of a task from ``parallel.prepare_tasks``: a whole text ``(doc, text, split)`` to split here, or one sentence
        ``(doc, start, end, piece)`` of a text; what a worker process sends back."""
        if len(task) == 3:
            doc, text, split = task
            found = [(sent.start, sent.end, text[sent.start : sent.end]) for sent in sentence_spans(text, split)]
        else:
            doc, found = task[0], [task[1:]]
        out = []
        for start, end, piece in found:
            lost: list[str] = []
            sentence = self._sentence(doc, piece, Span(start, end), lost)
            out.append((sentence, (doc, lost) if lost else None))
        return out

    def _merge_rules(self, s: _Sentence) -> None:
        """Apply the merge policy (``model.merge``) to the tagger's spans and the rules' spans of one
        sentence; every span then knows its exact characters and which component decided it."""
        model = [Candidate(*char_span(s.words, sp), sp.label, sp.score) for sp in s.spans]
        if (self.merge_policy == "model" and not self.rule_labels) or s.span is None:
            s.decided = [(c.start, c.end, "model") for c in model]
            return
        rules = [Candidate(e.start, e.end, e.label, 1.0) for e in s.rules or []]
        merged = merge(rules, model, self.merge_policy, self.rule_labels)
        starts = [w.start for w in s.words]
        s.spans, s.decided = [], []
        for m in merged:
            first = max(0, bisect_right(starts, m.start) - 1)
            last = max(first, bisect_left(starts, m.end) - 1)
            s.spans.append(WordSpan(first, last, m.label, m.score))
            s.decided.append((m.start, m.end, m.source))

    def _sentence(self, i: int, piece: str, sent: Span, lost: list[str]) -> _Sentence | None:
        """Words and windows of one sentence ``piece`` (the text at ``sent``). A headline in capitals
        is read in ordinary case (``model.casing``); the words get their offsets into the text."""
        local = recase(piece) if is_shouted(piece) else piece
        tagger = self.uses_tagger
        if tagger:
            words = segment_words(local, tokenizer=self.segmenter, skipped=lost)
        else:  # the rules read their own tokens: syllables place the spans, no segmenter is needed
            words = syllables(local)
        if not words:
            return None
        words, windows, found = self._inputs(local, Span(0, len(local)), words, encode=tagger)
        shift = sent.start
        shifted = [Span(w.start + shift, w.end + shift) for w in words]
        rules = [Entity(e.start + shift, e.end + shift, e.label, e.text, source="rules") for e in found]
        return _Sentence(i, shifted, windows, span=sent, rules=rules)

    def _inputs(
        self, text: str, sent: Span, words: list[Span], encode: bool = True
    ) -> tuple[list[Span], list[Window], list[Entity]]:
        """The rule component's spans, the words cut at their edges (when the tagger reads rule tags:
        no tag is lost on a straddling word), and the encoder windows with rule tags and shapes."""
        uses_rules = self.config.rule_features or self.merge_policy != "model" or bool(self.rule_labels)
        found = rule_spans(text, sent.start, sent.end) if uses_rules else []
        tags = shapes = None
        if self.config.rule_features:
            words, _ = refine_at_boundaries(words, text, rule_edges(found))
        if not encode:
            return words, [], found  # the rules decide everything: no encoder input is needed
        if self.config.rule_features:
            tags = rule_word_tags(words, found, self.config.label2id)
        if getattr(self.config, "char_features", False):
            shapes = shape_ids(text, words, gazetteer=getattr(self.config, "gazetteer_features", False))
        return words, self.encoder.encode(text, words, tags, shapes), found

    # ----------------------------------------------------------- stages

    @_inference_mode
    def _encode(self, sentences: list[_Sentence], batch_size: int) -> None:
        import torch

        items = [(s, k) for s in sentences for k in range(len(s.windows))]
        items.sort(key=lambda it: len(it[0].windows[it[1]].input_ids))
        results: dict[tuple[int, int], tuple[torch.Tensor, torch.Tensor]] = {}
        for b in range(0, len(items), batch_size):
            chunk = items[b : b + batch_size]
            ids, mask, starts, rules, shapes = pad_windows([s.windows[k] for s, k in chunk], self.encoder.pad)
            vecs = self.model.word_vectors(ids, mask, starts, rules, shapes)
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

    def _decode_tags(self, sentences: list[_Sentence]) -> None:
        """Fill ``spans`` of each sentence: the best valid tag sequence (one batched Viterbi for
        all of them), each span scored by the mean probability of its words' tags."""
        for s, best in zip(sentences, viterbi_decode_batch([s.log_probs for s in sentences], self.tags)):
            probs = np.exp(s.log_probs[np.arange(len(best)), best])
            s.spans = tags_to_spans([self.tags[t] for t in best], probs)

    @_inference_mode
    def _score_pairs(self, sentences: list[_Sentence]) -> None:
        """Fill ``pair_scores`` of each sentence: P(relation) for every candidate span pair,
        scored in chunks of at most ``PAIR_CHUNK`` pairs so that memory stays bounded."""
        head_label, tail_label = self.config.relation_signature
        todo: list[tuple[_Sentence, list[tuple[int, int]]]] = []
        for s in sentences:
            s.pair_scores = {}
            pairs = relation_candidates(
                [sp.label for sp in s.spans], head_label, tail_label, starts=[sp.start for sp in s.spans]
            )
            todo.extend((s, pairs[k : k + PAIR_CHUNK]) for k in range(0, len(pairs), PAIR_CHUNK))
        chunk: list[tuple[_Sentence, list[tuple[int, int]]]] = []
        for item in todo:
            chunk.append(item)
            if sum(len(p) for _, p in chunk) >= PAIR_CHUNK:
                self._score_chunk(chunk)
                chunk = []
        if chunk:
            self._score_chunk(chunk)

    def _score_chunk(self, chunk: list[tuple[_Sentence, list[tuple[int, int]]]]) -> None:
        import torch

        words = _pad_stack([s.vectors for s, _ in chunk])
        spans = _pad_int([[(sp.start, sp.end) for sp in s.spans] for s, _ in chunk], 2)
        pairs = _pad_int([p for _, p in chunk], 2)
        probs = torch.sigmoid(self.model.pair_logits(words, spans, pairs))
        for row, (s, ps) in enumerate(chunk):
            for k, (h, t) in enumerate(ps):
                s.pair_scores[(h, t)] = float(probs[row, k])

    def _add_sentence(self, doc: Document, s: _Sentence) -> None:
        """Append one decoded sentence's entities and relations to ``doc``."""
        index = {}
        for k, (sp, (start, end, source)) in enumerate(zip(s.spans, s.decided or [])):
            index[k] = len(doc.entities)
            # every span's score, whichever component gave it, goes through the calibration, which is
            # fit on the predictions of the same merge settings (canbo calibrate on the CV folds)
            score = self.calibration.entity_score(sp.label, sp.score)
            doc.entities.append(Entity(start, end, sp.label, doc.text[start:end], score=score, source=source))
        pairs = self._relations(s)
        if self.relation_merge != "model" and s.span is not None:
            pairs = merge_relations(pairs, self._rule_links(doc.text, s), self.relation_merge)
        for (h, t), p in pairs:
            score = self.calibration.relation_score(p)
            doc.relations.append(Relation(index[h], index[t], self.config.relation_label, score=score))

    def _relations(self, s: _Sentence) -> list[tuple[tuple[int, int], float]]:
        return kept_relations(s.pair_scores, self.relation_threshold, self.one_holder)

    def _rule_links(self, text: str, s: _Sentence) -> set[tuple[int, int]]:
        """The rules' HAS_POSITION links between one sentence's decided spans (span indices)."""
        a, b = s.span.start, s.span.end
        return rule_links(text[a:b], [Entity(start - a, end - a, sp.label, text[start:end])
                                      for sp, (start, end, _) in zip(s.spans, s.decided or [])])


def check_batch_size(batch_size) -> None:
    """One clear sentence for a batch size that is not a positive whole number."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch size must be a whole number of at least 1, not {batch_size!r}")


def pad_windows(windows: Sequence[Window], pad_id: int):
    """Batch tensors (input_ids, attention_mask, word_starts, rule_tags or None, shape_ids or None)
    for windows; word_starts and rule_tags padded with -1, shape_ids with 0."""
    ids = _pad_int([w.input_ids for w in windows], 0, pad_id)
    mask = (ids != pad_id).long()
    for row, w in enumerate(windows):  # a pad id inside a window is still a real token
        mask[row, : len(w.input_ids)] = 1
    starts = _pad_int([w.word_starts for w in windows], 0, -1)
    rules = _pad_int([w.rule_tags for w in windows], 0, -1) if windows and windows[0].rule_tags is not None else None
    shapes = _pad_int([w.shape_ids for w in windows], 0, 0) if windows and windows[0].shape_ids is not None else None
    return ids, mask, starts, rules, shapes


def _pad_int(rows: Sequence[Sequence], width: int, value: int = -1) -> torch.Tensor:
    import torch

    n = max((len(r) for r in rows), default=0)
    shape = (len(rows), max(n, 1)) + ((width,) if width else ())
    out = np.full(shape, value, dtype=np.int64)  # filled in numpy: a torch.tensor per row costs more
    for i, r in enumerate(rows):
        if len(r):
            out[i, : len(r)] = r
    return torch.from_numpy(out)


def _pad_stack(tensors: Sequence[torch.Tensor]) -> torch.Tensor:
    n = max(t.size(0) for t in tensors)
    out = tensors[0].new_zeros(len(tensors), n, tensors[0].size(-1))
    for i, t in enumerate(tensors):
        out[i, : t.size(0)] = t
    return out


from canbo.model.loading import BACKENDS, check_run_info, load  # noqa: E402, F401 - after Pipeline: load is the public entry
