"""Rules and gazetteers for the five entity types and HAS_POSITION.

Used twice: as the baseline beside every model score (eval reports), and as
input features of the model (``model.features``), which learns when to trust them.

Rules run per sentence on a normalised copy of the input (NFC, modern tone
placement "ủy"/"hòa", one character per input cluster) and spans are mapped
back onto the original string.  Titles + organ words give POSITION (ranks
too), organ words ORG, names after unit or facility words, numbered roads,
capitalised facility names and gazetteer names LOCATION, surname-, prefix- or
honorific-led capitalised runs, "X Văn/Thị Y" names and photo credits PERSON,
regexes METRIC; overlaps go to label priority, then length.  HAS_POSITION
follows apposition and holding-verb patterns within a sentence.

The building blocks are in ``model.rules_names`` (tokens, where names end) and
``model.rules_candidates`` (the candidate spans of each label); the phrase tables in
``model.rules_lexicon`` and ``model/lexicon``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from canbo.model.rules_candidates import (
    PERSON,
    POSITION,
    PRIORITY,
    REL_LABEL,
    Span3,
    candidates,
)
from canbo.model.rules_lexicon import (
    ELLIPTIC,
    TITLES,
)
from canbo.model.schema import Document, Entity, Relation
from canbo.model.text import split_sentences

# ---------------------------------------------------------------- normalisation

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OLD_TONE = re.compile(r"(?<![qQ])([oOuU])([^\W\d_])(?!\w)")


def _modern_tone(m: re.Match) -> str:
    """Move a tone from the second to the first vowel of a final oa/oe/uy ("uỷ" -> "ủy")."""
    first, (base, *marks) = m.group(1), unicodedata.normalize("NFD", m.group(2))
    if (first.lower() + base.lower()) not in ("oa", "oe", "uy") or len(marks) != 1 or marks[0] not in _TONES:
        return m.group()
    return unicodedata.normalize("NFC", first + marks[0]) + base


@lru_cache(maxsize=1)
def _cluster_marks() -> re.Pattern:
    """Characters that join the one before them into a cluster: combining marks of the BMP, and
    (not looked up, so always the careful path) any astral character."""
    marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
    return re.compile("[" + re.escape(marks) + "\U00010000-\U0010FFFF]")


# the look-alike eth some input methods type for "đ"/"Đ" (one character for one: offsets stay)
_LOOK_ALIKES = str.maketrans({"ð": "đ", "Ð": "Đ"})


def normalise(text: str) -> tuple[str, list[int], list[int]]:
    """NFC text with modern tone placement and "Đ" for its look-alike "Ð", and for each of its
    characters the (start, end) offsets in ``text`` of the character cluster it came from."""
    if unicodedata.is_normalized("NFC", text) and not _cluster_marks().search(text):
        # the common case, and the same answer: every character is its own cluster
        norm = _OLD_TONE.sub(_modern_tone, text.translate(_LOOK_ALIKES))
        return norm, list(range(len(text))), list(range(1, len(text) + 1))
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        out += [(ch, i, j) for ch in unicodedata.normalize("NFC", text[i:j])]
        i = j
    norm = _OLD_TONE.sub(_modern_tone, "".join(c for c, _, _ in out).translate(_LOOK_ALIKES))
    return norm, [a for _, a, _ in out], [b for _, _, b in out]


# ---------------------------------------------------------------- assembling

_BARE_TITLES = {" ".join(p) for phrases in TITLES.values() for p in phrases}
_DIRECT_GAP = re.compile(r"\s*(?:[,:]?\s*(?:đồng chí|ông|bà)\s+)?", re.IGNORECASE)
_APPOSITION_GAP = re.compile(r"[\s,(\-–—]*(?:(?:hiện là|nguyên|là|kiêm|đồng thời là|và)[\s,(\-–—]+)*")
# a verb of holding between a person and an office later in the same clause: "X được bầu giữ chức Y",
# "X tái đắc cử Y", "X từng giữ các chức vụ Y, Z", "do anh X làm Y"
_HOLDS_GAP = re.compile(
    r"[^;.]{0,120}?(?<!\w)(?:giữ(?:\s+các)?\s+(?:chức(?:\s+vụ|\s+danh)?|cương\s+vị)|(?:tái\s+)?đắc\s+cử(?:\s+chức(?:\s+vụ)?)?"
    r"|được\s+bầu(?:\s+làm)?|làm|cương\s+vị(?:\s+như)?)(?:\s+(?:nguyên|là))?\s*:?\s*",
    re.IGNORECASE,
)
# the holder named after the office: "miễn nhiệm chức danh Y đối với ông X"
_HOLDER_AFTER = re.compile(r"[^;.]{0,40}?(?<!\w)đối\s+với\s+(?:(?:ông|bà|đồng\s+chí)\s+)?", re.IGNORECASE)


def _resolve(cands: list[Span3]) -> list[Span3]:
    """Non-overlapping spans: label priority first, then the longer, then the earlier; sorted."""
    kept: list[Span3] = []
    for s, e, lab in sorted(set(cands), key=lambda c: (PRIORITY[c[2]], c[0] - c[1], c[0])):
        if all(e <= a or s >= b for a, b, _ in kept):
            kept.append((s, e, lab))
    return sorted(kept)


def _elliptic(text: str, spans: list[Span3]) -> set[int]:
    """Indices of bare titles sharing the organ of the next title ("Bí thư, Phó Bí thư Đảng ủy")."""
    return {
        i
        for i, ((s, e, lab), (a, b, nxt)) in enumerate(pairwise(spans))
        if lab == nxt == POSITION
        and text[s:e].lower() in ELLIPTIC
        and text[a:b].lower() not in _BARE_TITLES
        and re.fullmatch(r"\s*(?:,|và)\s*", text[e:a])
    }


def _sentence(text: str, start: int, end: int) -> tuple[list[Span3], list[tuple[int, int]]]:
    """Resolved spans of one sentence and its (person, position) index pairs."""
    spans = _resolve(candidates(text, start, end))
    pairs, drop = _link(text, spans), _elliptic(text, spans)
    index = {old: new for new, old in enumerate(i for i in range(len(spans)) if i not in drop)}
    kept = [sp for i, sp in enumerate(spans) if i not in drop]
    return kept, [(index[p], index[q]) for p, q in pairs if q not in drop]


def _link(text: str, spans: list[Span3]) -> list[tuple[int, int]]:
    """HAS_POSITION (person, position) index pairs among one sentence's sorted spans:
    a title directly before the name (and titles chained before it by commas),
    then titles in apposition after a name up to a ";" or another entity."""
    owner: dict[int, int] = {}

    def gap(i: int, j: int) -> str:
        return text[spans[i][1] : spans[j][0]]

    def is_(i: int, lab: str) -> bool:
        return 0 <= i < len(spans) and spans[i][2] == lab

    direct = [p for p in range(len(spans)) if is_(p, PERSON) and is_(p - 1, POSITION) and _DIRECT_GAP.fullmatch(gap(p - 1, p))]
    owner.update({p - 1: p for p in direct})
    for p in range(len(spans)):
        q = p + 1
        while is_(p, PERSON) and is_(q, POSITION) and q not in owner and _APPOSITION_GAP.fullmatch(gap(q - 1, q)):
            owner[q] = p
            q += 1
    for p in direct:
        r = p - 2
        while is_(r, POSITION) and r not in owner and _APPOSITION_GAP.fullmatch(gap(r, r + 1)):
            owner[r] = p
            r -= 1
    for p in (i for i in range(len(spans)) if is_(i, PERSON)):
        q = p + 1
        while q < len(spans) and not is_(q, PERSON):
            if is_(q, POSITION) and q not in owner and _HOLDS_GAP.fullmatch(gap(p, q)):
                while is_(q, POSITION) and (q not in owner) and (q == p + 1 or _HOLDS_GAP.fullmatch(gap(p, q))
                                                                  or _APPOSITION_GAP.fullmatch(gap(q - 1, q))):
                    owner[q] = p
                    q += 1
                break
            q += 1
    for q in (i for i in range(len(spans) - 1) if is_(i, POSITION) and i not in owner):
        if is_(q + 1, PERSON) and _HOLDER_AFTER.fullmatch(gap(q, q + 1)):
            owner[q] = q + 1
    return sorted((p, q) for q, p in owner.items())


def rules_version() -> str:
    """SHA-256 (first 16 hex digits) of the rule component: its three modules, its phrase tables and
    the lexicon files. Saved with every trained model, so a model knows when its rules have changed."""
    import hashlib
    from pathlib import Path

    here = Path(__file__).parent
    h = hashlib.sha256()
    files = ["rules.py", "rules_names.py", "rules_candidates.py", "rules_lexicon.py"]
    for path in [*(here / f for f in files), *sorted((here / "lexicon").glob("*.txt"))]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


class RuleBaseline:
    """Rule and gazetteer extractor; every span and relation gets score 1.0."""

    def __init__(self, skip_boilerplate: bool = True) -> None:
        self.skip_boilerplate = skip_boilerplate

    def predict(self, text: str) -> Document:
        """Entities (non-overlapping, sorted by start) and relations of one text."""
        norm, starts, ends = normalise(text)
        spans: list[Span3] = []
        pairs: list[tuple[int, int]] = []
        for sent in split_sentences(norm, skip_boilerplate=self.skip_boilerplate):
            found, links = _sentence(norm, sent.start, sent.end)
            pairs += [(len(spans) + p, len(spans) + q) for p, q in links]
            spans += found
        entities = [Entity(starts[a], ends[b - 1], lab, text[starts[a] : ends[b - 1]], 1.0) for a, b, lab in spans]
        return Document(text, entities, [Relation(p, q, REL_LABEL, 1.0) for p, q in pairs])

    def link(self, doc: Document) -> list[Relation]:
        """HAS_POSITION relations the apposition rules draw between ``doc``'s own entities
        (e.g. gold ones: relation scores given gold entities); indices refer to ``doc.entities``."""
        norm, starts, ends = normalise(doc.text)
        first = {a: k for k, a in reversed(list(enumerate(starts)))}
        last = {b: k + 1 for k, b in enumerate(ends)}
        order = sorted((i for i, e in enumerate(doc.entities) if e.start in first and e.end in last),
                       key=lambda i: (doc.entities[i].start, doc.entities[i].end))
        spans = [(first[doc.entities[i].start], last[doc.entities[i].end], doc.entities[i].label) for i in order]
        return [Relation(order[p], order[q], REL_LABEL, 1.0) for p, q in _link(norm, spans)]

    def predict_batch(self, texts: list[str]) -> list[Document]:
        """``predict`` over a list of texts."""
        return [self.predict(t) for t in texts]

