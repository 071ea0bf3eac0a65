"""Parallel preparation (model.parallel): the same documents as preparing in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from canbo.model.parallel import choose_workers
from canbo.model.pipeline import load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pipe():
    p = load()
    yield p
    p.close()


def _records(docs):
    return [
        ([(e.start, e.end, e.label, e.text, e.source, e.score) for e in d.entities],
         [(r.head, r.tail, r.label, r.score) for r in d.relations])
        for d in docs
    ]  # fmt: skip


@pytest.mark.slow
def test_workers_give_the_same_documents_on_pages_gold_and_a_long_text(pipe):
    pages = [f.read_text(encoding="utf-8") for f in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    long_text = "\n".join(pages[2:])  # longer than a chunk: split here, prepared sentence by sentence
    gold = [json.loads(line)["text"] for line in (ROOT / "data" / "annotated" / "001.jsonl").open()][:40]
    texts = [*pages[:2], long_text, "", "   ", "Ủy ban nhân dân"]
    serial = pipe.predict_batch(texts, workers=0)
    parallel = pipe.predict_batch(texts, workers=2)
    assert _records(parallel) == _records(serial)
    assert sum(len(d.entities) for d in serial) > 100 and serial[-3].entities == []
    assert _records(pipe.predict_batch(gold, split=False, workers=2)) == _records(
        pipe.predict_batch(gold, split=False, workers=0)
    )
    assert len(pipe.prepare(pages[:2], workers=2)) == len(pipe.prepare(pages[:2])) > 50


def test_unplaceable_words_are_counted_per_text_with_workers(pipe):
    from canbo.model.pipeline import Pipeline

    # the segmenter gives the tagger its words: decoded by the rules alone, it is not run
    odd = Pipeline(pipe.model, pipe.encoder.tokenizer, segmenter=lambda s: s.split() + ["zzzq"], merge_policy="model-first")
    texts = ["Bí thư Huyện ủy phát biểu.", "Hội nghị tổng kết. Chủ tịch UBND xã dự."]
    with pytest.warns(UserWarning) as caught:
        odd.predict_batch(texts, workers=2)
    odd.close()
    assert sorted(str(w.message) for w in caught) == [
        "text 1: 1 word(s) could not be placed on the input and were skipped",
        "text 2: 2 word(s) could not be placed on the input and were skipped",
    ]


def test_worker_count_choice(monkeypatch):
    monkeypatch.delenv("CANBO_WORKERS", raising=False)
    assert choose_workers(0, 10**9) == 0 and choose_workers(3, 10) == 3
    assert choose_workers(None, 100) == 0  # a sentence: no pool
    assert choose_workers(None, 10**6, light_model=False) == 0  # a heavy model keeps its torch threads
    monkeypatch.setenv("CANBO_WORKERS", "1")
    assert choose_workers(None, 100) == 1
    with pytest.raises(ValueError, match="at least 0"):
        choose_workers(-1, 10)
