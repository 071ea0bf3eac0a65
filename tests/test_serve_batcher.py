"""The serving batcher: texts that wait together are predicted together, and one failing text fails alone."""

from __future__ import annotations

import threading

import pytest

from canbo.model.serve.batcher import Batcher

TEXTS = [
    "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị.",
    "Chủ tịch UBND tỉnh Nguyễn Văn Hùng phát biểu.",
    "HỎNG",
    "Năm 2023, thu ngân sách đạt 1.528 tỷ đồng.",
]


def test_waiting_texts_share_a_batch_and_a_bad_one_fails_alone(default_pipeline, monkeypatch):
    real = default_pipeline.predict_batch
    calls: list[list[str]] = []
    entered, gate = threading.Event(), threading.Event()

    def recording(texts, **kwargs):
        calls.append(list(texts))
        entered.set()
        gate.wait(10)  # the first call holds the worker until every other text is queued
        if "HỎNG" in texts:
            raise RuntimeError("this text breaks the model")
        return real(texts, **kwargs)

    monkeypatch.setattr(default_pipeline, "predict_batch", recording)
    batcher = Batcher(default_pipeline, max_texts=16)
    try:
        futures = [batcher.submit(TEXTS[0])]
        assert entered.wait(10)
        futures += [batcher.submit(t) for t in TEXTS[1:]]
        gate.set()
        results = {}
        for text, future in zip(TEXTS, futures):
            try:
                results[text] = future.result(timeout=60).to_dict()
            except RuntimeError as exc:
                results[text] = str(exc)
    finally:
        batcher.close()
    assert results["HỎNG"] == "this text breaks the model"
    monkeypatch.setattr(default_pipeline, "predict_batch", real)
    for text in TEXTS:
        if text != "HỎNG":
            assert results[text] == default_pipeline.predict(text).to_dict()
    assert calls[0] == TEXTS[:1]  # the worker took the first text alone, before the others arrived
    assert (
        calls[1] == TEXTS[1:]
    )  # the rest waited together: one batch, then one text at a time after it failed
    assert calls[2:] == [[t] for t in TEXTS[1:]]


def test_a_batch_stops_at_the_character_budget(default_pipeline, monkeypatch):
    real = default_pipeline.predict_batch
    calls: list[int] = []
    entered, gate = threading.Event(), threading.Event()

    def recording(texts, **kwargs):
        calls.append(len(texts))
        entered.set()
        gate.wait(10)
        return real(texts, **kwargs)

    monkeypatch.setattr(default_pipeline, "predict_batch", recording)
    batcher = Batcher(default_pipeline, max_texts=16, max_chars=100)
    try:
        futures = [batcher.submit("a" * 10)]
        assert entered.wait(10)
        futures += [batcher.submit(t) for t in ["b" * 60, "c" * 30, "d" * 20, "e" * 90]]
        gate.set()
        docs = [f.result(timeout=60) for f in futures]
    finally:
        batcher.close()
    assert [d.text[0] for d in docs] == ["a", "b", "c", "d", "e"]
    assert calls == [1, 2, 1, 1]  # a | b+c (90) | d (d+e would be 110) | e


def test_a_closed_batcher_stops_its_thread(default_pipeline):
    batcher = Batcher(default_pipeline)
    batcher.close()
    assert not batcher._thread.is_alive()
    with pytest.raises(TimeoutError):
        batcher.submit("x").result(timeout=0.2)
