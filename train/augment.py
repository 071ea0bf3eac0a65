"""Mention replacement: copies of annotated sentences with PERSON, LOCATION, ORG and POSITION
mentions swapped for others of the same type, offsets recomputed and relations kept.

PERSON names are composed from the lexicon's name parts, LOCATION names drawn from its
administrative gazetteer; ORG and POSITION mentions come from the annotated corpus itself
(another sentence's body or title), so every replacement is a real mention of its type.
Seeded: the same documents and seed give the same copies. Every copy passes the validator.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from canbo.model.lexicon import words
from canbo.model.schema import Document, Entity, Relation
from canbo.model.validation import validate_record

REPLACEABLE = ("PERSON", "LOCATION", "ORG", "POSITION")


def mention_pools(docs: Sequence[Document]) -> dict[str, list[str]]:
    """Replacement mentions per label (ORG and POSITION from the corpus, sorted for reproducibility)."""
    pools = {lab: sorted({e.text for d in docs for e in d.entities if e.label == lab}) for lab in ("ORG", "POSITION")}
    pools["LOCATION"] = [p for f in ("provinces", "districts", "communes") for p in words(f)]
    return pools


def _person(r: random.Random) -> str:
    surname, middle, given = r.choice(words("surnames")), r.choice(words("middle_names")), r.choice(words("given_names"))
    return " ".join([surname, middle, given] if r.random() < 0.8 else [surname, given])


def replace_mentions(
    docs: Sequence[Document], seed: int = 0, p: float = 0.5, copies: int = 1, pools: dict[str, list[str]] | None = None
) -> list[Document]:
    """``copies`` augmented copies of each document that has a replaceable entity; each
    replaceable entity is swapped with probability ``p`` (at least one per copy)."""
    r = random.Random(seed)
    pools = pools if pools is not None else mention_pools(docs)
    out = []
    for doc in docs:
        targets = [k for k, e in enumerate(doc.entities) if e.label in REPLACEABLE and (e.label == "PERSON" or pools[e.label])]
        for c in range(copies if targets else 0):
            chosen = {k for k in targets if r.random() < p} or {r.choice(targets)}
            new = _rewrite(doc, {k: _pick(r, doc.entities[k], pools) for k in sorted(chosen)})
            new.id = f"{doc.id}-aug{c + 1}" if doc.id else None
            problems = validate_record(new.to_gold_dict())
            if problems:  # cannot happen for well-formed input; never emit a bad record
                raise ValueError(f"{doc.id}: augmented copy is invalid: {problems[0]}")
            out.append(new)
    return out


def _pick(r: random.Random, e: Entity, pools: dict[str, list[str]]) -> str:
    for _ in range(5):
        text = _person(r) if e.label == "PERSON" else r.choice(pools[e.label])
        if text != e.text:
            return text
    return text


def _rewrite(doc: Document, swaps: dict[int, str]) -> Document:
    """The document with entity ``k``'s text replaced by ``swaps[k]``; offsets shifted."""
    pieces, entities, pos, shift = [], [], 0, 0
    for k, e in enumerate(doc.entities):
        text = swaps.get(k, e.text)
        pieces.append(doc.text[pos : e.start])
        pieces.append(text)
        start = e.start + shift
        entities.append(Entity(start, start + len(text), e.label, text, id=e.id))
        shift += len(text) - (e.end - e.start)
        pos = e.end
    pieces.append(doc.text[pos:])
    relations = [Relation(r.head, r.tail, r.label) for r in doc.relations]
    return Document(text="".join(pieces), entities=entities, relations=relations, meta=dict(doc.meta))
