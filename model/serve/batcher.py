"""One thread owns the model: texts that arrive together are predicted together.

Requests put their text on a queue and wait on a future; the worker takes what is waiting (up to
``max_texts`` texts and ``max_chars`` characters: a huge page goes alone) and runs one
``predict_batch``, so concurrent requests share forward passes instead of queueing one by one.
If a batch fails, its texts are retried one at a time, so one bad text fails only its own request.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future

from canbo.model.schema import Document

log = logging.getLogger("canbo.serve")
_STOP = object()


class Batcher:
    def __init__(self, pipeline, max_texts: int = 16, max_chars: int = 100_000):
        self.pipeline, self.max_texts, self.max_chars = pipeline, max_texts, max_chars
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="canbo-predict", daemon=True)
        self._thread.start()

    def submit(self, text: str) -> Future:
        """A future of ``text``'s Document."""
        future: Future = Future()
        self._queue.put((text, future))
        return future

    def predict(self, text: str) -> Document:
        return self.submit(text).result()

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=60)

    def _work(self) -> None:
        held = None  # an item taken from the queue that did not fit the last batch
        while True:
            first = held if held is not None else self._queue.get()
            held = None
            if first is _STOP:
                return
            batch, chars = [first], len(first[0])
            while len(batch) < self.max_texts:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP or chars + len(item[0]) > self.max_chars:
                    held = item
                    break
                batch.append(item)
                chars += len(item[0])
            self._run(batch)

    def _run(self, batch: list[tuple[str, Future]]) -> None:
        try:
            docs = self.pipeline.predict_batch([text for text, _ in batch])
        except Exception:  # noqa: BLE001 - find the text that fails; the others still get their answer
            docs = None
        if docs is not None:
            for (_, future), doc in zip(batch, docs):
                future.set_result(doc)
            return
        for text, future in batch:
            try:
                future.set_result(self.pipeline.predict(text))
            except Exception as exc:  # noqa: BLE001 - handed to the request, which answers 500
                log.error("prediction failed on a text of %d characters", len(text), exc_info=exc)
                future.set_exception(exc)
