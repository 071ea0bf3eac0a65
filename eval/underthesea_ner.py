"""underthesea's bundled NER (VLSP-2016 style PER/LOC/ORG) as an off-the-shelf baseline.

``underthesea.ner(sentence)`` returns one row per word: a tuple
``(word, pos, chunk, ner_tag)`` (or, in some versions, a dict with a
``"word"``/``"entity"`` pair) with IOB2 tags such as ``B-PER``.  Words are
placed back on the original sentence with ``model.text.align_tokens``
(underthesea normalises characters), and tags map PER->PERSON,
LOC->LOCATION, ORG->ORG; MISC and anything else is dropped.  The system can
only produce these three labels, so it is scored on them alone
(``LABELS``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from canbo.model.schema import Document, Entity
from canbo.model.text import AlignmentError, align_tokens, skeleton

TAG_MAP = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORG"}
LABELS: tuple[str, ...] = ("PERSON", "LOCATION", "ORG")


def _word_and_tag(row: Any) -> tuple[str, str]:
    """(word, IOB2 tag) of one row of ``underthesea.ner`` output, whatever its shape."""
    if isinstance(row, dict):
        return str(row.get("word", "")), str(row.get("entity", row.get("tag", "O")))
    return str(row[0]), str(row[-1])


def tags_to_entities(text: str, rows: Sequence[Any]) -> list[Entity]:
    """Entities of ``text`` from underthesea rows; raise AlignmentError if a word cannot be placed."""
    pairs = [_word_and_tag(r) for r in rows]
    spans = align_tokens(text, [w for w, _ in pairs])
    placed = list(zip(spans, [t for w, t in pairs if _placeable(w)], strict=True))
    out: list[Entity] = []
    cur: list[Any] | None = None  # [start, end, label]
    for sp, tag in placed:
        prefix, _, kind = tag.partition("-")
        label = TAG_MAP.get(kind)
        if cur is not None and prefix == "I" and label == cur[2]:
            cur[1] = sp.end
            continue
        if cur is not None:
            out.append(Entity(cur[0], cur[1], cur[2], text[cur[0] : cur[1]], 1.0))
        cur = [sp.start, sp.end, label] if label and prefix in ("B", "I") else None
    if cur is not None:
        out.append(Entity(cur[0], cur[1], cur[2], text[cur[0] : cur[1]], 1.0))
    return out


def _placeable(word: str) -> bool:
    """Does ``align_tokens`` place this word (it skips words with an empty skeleton)?"""
    return bool(skeleton(word)[0])


class UndertheseaNER:
    """PER/LOC/ORG entities from ``underthesea.ner``; no relations."""

    name = "underthesea"

    def __init__(self, tagger: Callable[[str], Sequence[Any]]) -> None:
        self.tagger = tagger
        self.failures = 0  # sentences whose words could not be placed (predicted empty)

    def predict(self, text: str) -> Document:
        """Entities of one sentence (an empty Document when underthesea's words cannot be aligned)."""
        try:
            return Document(text, tags_to_entities(text, self.tagger(text)))
        except AlignmentError:
            self.failures += 1
            return Document(text)

    def predict_batch(self, texts: Sequence[str], progress: bool = False) -> list[Document]:
        """``predict`` over texts, with an optional progress bar."""
        if progress:
            from tqdm.auto import tqdm

            texts = tqdm(texts, desc="underthesea ner", unit="sent", leave=False)
        return [self.predict(t) for t in texts]


def load_underthesea() -> tuple[UndertheseaNER | None, str]:
    """The baseline and ``""``, or ``None`` and the reason it is unavailable."""
    try:
        from underthesea import ner

        ner("Ông Nguyễn Văn An làm việc tại Hà Nội.")
    except Exception as exc:  # noqa: BLE001 - any failure only marks the baseline unavailable
        return None, f"underthesea NER unavailable ({type(exc).__name__}: {exc})"
    return UndertheseaNER(ner), ""
