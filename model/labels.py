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


def check_labels(entity_labels: list[str], relation_label: str) -> None:
    """One clear sentence for label maps that this version of canbo does not know."""
    unknown = [lab for lab in entity_labels if lab not in ENTITY_LABELS]
    if unknown or len(set(entity_labels)) != len(entity_labels):
        raise ValueError(f"entity labels {entity_labels} are not distinct labels of {list(ENTITY_LABELS)}")
    if relation_label not in RELATION_SIGNATURES:
        raise ValueError(f"relation label {relation_label!r} is not known (known: {', '.join(RELATION_SIGNATURES)})")
    head, tail = RELATION_SIGNATURES[relation_label]
    if head not in entity_labels or tail not in entity_labels:
        raise ValueError(f"relation {relation_label} needs entity labels {head} and {tail}")


def label_maps_checksum(config) -> str:
    """SHA-256 of the label maps a checkpoint was trained with (saved in run_info.json), so that
    an edited map is refused at load time instead of silently swapping labels."""
    import hashlib
    import json

    maps = {"entity_labels": list(config.entity_labels), "relation_label": config.relation_label,
            "id2label": {str(k): v for k, v in sorted(config.id2label.items(), key=lambda kv: int(kv[0]))}}
    return hashlib.sha256(json.dumps(maps, sort_keys=True).encode()).hexdigest()


class LabelMaps:
    """``tags`` and ``relation_signature`` of a config with ``id2label`` and ``relation_label``
    (the training config and the plain-torch inference config alike)."""

    @property
    def tags(self) -> list[str]:
        return [self.id2label[i] for i in range(len(self.id2label))]

    @property
    def relation_signature(self) -> tuple[str, str]:
        return RELATION_SIGNATURES[self.relation_label]
