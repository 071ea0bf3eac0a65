"""The label inventory: the single place that names entity and relation labels.

Every other module derives its tag lists from here, so adding a label is a
one-line change and no list is hard-coded elsewhere.
"""

from __future__ import annotations

ENTITY_LABELS: tuple[str, ...] = ("PERSON", "POSITION", "ORG", "LOCATION", "METRIC")
RELATION_LABELS: tuple[str, ...] = ("HAS_POSITION",)

# Which entity labels a relation may connect: label -> (head label, tail label).
RELATION_SIGNATURES: dict[str, tuple[str, str]] = {"HAS_POSITION": ("PERSON", "POSITION")}


def bio_tags(entity_labels: tuple[str, ...] = ENTITY_LABELS) -> list[str]:
    """BIO tag list with "O" first: O, B-PERSON, I-PERSON, B-POSITION, ..."""
    tags = ["O"]
    for label in entity_labels:
        tags += [f"B-{label}", f"I-{label}"]
    return tags
