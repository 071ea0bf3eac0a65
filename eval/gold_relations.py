"""Relation scores given gold entities: the relation head alone, without tagging errors.

For each gold sentence the words are segmented as at training time (the
segmenter's words, split at every gold span boundary), encoded with the
model, and every gold (PERSON, POSITION) pair is scored by the model's pair
head.  The result is a copy of the gold Document whose relations are the
pairs scored at or above the model's relation threshold, so that
``score_relations(gold, result)`` measures the relation head in isolation.

It is a thin wrapper over ``Pipeline.link_entities``.
"""

from __future__ import annotations

from collections.abc import Sequence

from canbo.model.schema import Document


def relations_given_gold(pipe, docs: Sequence[Document], batch_size: int = 32) -> list[Document]:
    """Gold entities with the model's relations between them, one Document per gold document."""
    return pipe.link_entities(docs, batch_size=batch_size)
