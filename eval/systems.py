"""The systems compared in a report: the model and its baselines, run on the same gold sentences.

``Systems`` holds the rule baseline and (when it loads) underthesea's NER,
caches their predictions per sentence text so that the held-out folds and
the checkpoint evaluation never run a baseline twice on one sentence, and
loads fold models to score relations given gold entities.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from canbo.eval.gold_relations import relations_given_gold
from canbo.eval.underthesea_ner import LABELS as UNDERTHESEA_LABELS
from canbo.eval.underthesea_ner import load_underthesea
from canbo.model.metrics import system_metrics
from canbo.model.rules import RuleBaseline
from canbo.model.schema import Document

log = logging.getLogger("canbo.eval")

RULE, UNDERTHESEA = "rule", "underthesea"


class Systems:
    """Baselines and model helpers shared by the checkpoint and the cross-validation sections."""

    def __init__(self, underthesea: bool = True, progress: bool = True, batch_size: int = 32) -> None:
        self.rule = RuleBaseline(skip_boilerplate=False)  # gold sentences are scored as given, like the model
        self.show_progress = progress
        self.batch_size = batch_size
        if underthesea:
            self.ud, self.ud_reason = load_underthesea()
        else:
            self.ud, self.ud_reason = None, "underthesea baseline disabled (--no-underthesea)"
        if self.ud is None:
            log.warning("%s", self.ud_reason)
        self._cache: dict[tuple[str, str], Document] = {}

    def progress(self, items: Iterable, desc: str) -> Iterable:
        """``items`` wrapped in a tqdm bar when progress is on."""
        if not self.show_progress:
            return items
        from tqdm.auto import tqdm

        return tqdm(items, desc=desc, leave=False)

    def status(self) -> dict[str, Any]:
        """Which baselines ran, and why one did not."""
        return {
            RULE: {"available": True, "labels": "all", "note": ""},
            UNDERTHESEA: {"available": self.ud is not None, "labels": list(UNDERTHESEA_LABELS), "note": self.ud_reason},
        }

    def _predict(self, name: str, texts: Sequence[str]) -> list[Document]:
        """Cached predictions of baseline ``name`` for ``texts``."""
        system = self.rule if name == RULE else self.ud
        todo = [t for t in dict.fromkeys(texts) if (name, t) not in self._cache]
        for t in self.progress(todo, f"{name} baseline") if len(todo) > 20 else todo:
            self._cache[(name, t)] = system.predict(t)
        return [self._cache[(name, t)] for t in texts]

    def baseline_predictions(self, gold: Sequence[Document]) -> dict[str, tuple[list[Document], list[Document] | None]]:
        """``{name: (predictions, gold entities with the system's relations or None)}`` per available baseline."""
        texts = [d.text for d in gold]
        out: dict[str, tuple[list[Document], list[Document] | None]] = {}
        out[RULE] = (self._predict(RULE, texts), [Document(d.text, d.entities, self.rule.link(d), d.id) for d in gold])
        if self.ud is not None:
            out[UNDERTHESEA] = (self._predict(UNDERTHESEA, texts), None)
        return out

    def baseline_metrics(self, gold: Sequence[Document]) -> dict[str, dict[str, Any]]:
        """``system_metrics`` of every available baseline (underthesea on its own three labels)."""
        out = {}
        for name, (preds, given) in self.baseline_predictions(gold).items():
            labels = UNDERTHESEA_LABELS if name == UNDERTHESEA else None
            kwargs = {"labels": labels} if labels else {}
            out[name] = system_metrics(gold, preds, given_gold=given, **kwargs)
        return out

    def model_given_gold(self, model_dir: str | Path, gold: Sequence[Document]) -> list[Document] | None:
        """Gold entities with the relations of the model in ``model_dir``; None if it cannot be loaded."""
        if not (Path(model_dir) / "config.json").is_file():
            return None
        from canbo.model.pipeline import load

        try:
            pipe = load(model_dir)
        except Exception as exc:  # noqa: BLE001 - a missing fold model only drops one column
            log.warning("cannot load %s for relation-given-gold scores: %s", model_dir, exc)
            return None
        return relations_given_gold(pipe, gold, self.batch_size)
