"""canbo's library: officials, positions, bodies, places and figures from Vietnamese news.

Public API: ``load``, ``predict``, ``predict_batch``, ``officials`` and the
record types ``Document``, ``Entity``, ``Relation``.  Heavy modules (torch,
transformers) are imported on first use, so ``import model`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canbo.model.officials import officials
from canbo.model.schema import Document, Entity, Relation

if TYPE_CHECKING:
    from canbo.model.pipeline import Pipeline

__all__ = ["Document", "Entity", "Relation", "load", "officials", "predict", "predict_batch"]

_default: Pipeline | None = None


def load(path=None, **kwargs) -> Pipeline:
    """Load a model folder or hub id (default: the shipped model)."""
    from canbo.model.pipeline import load as _load

    return _load(path, **kwargs)


def _pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = load()
    return _default


def predict(text: str) -> Document:
    """Entities and relations of ``text`` with the shipped default model."""
    return predict_batch([text])[0]


def predict_batch(texts: list[str], batch_size: int = 32) -> list[Document]:
    """``predict`` for many texts at once (sentences batched across texts)."""
    return _pipeline().predict_batch(texts, batch_size=batch_size)
