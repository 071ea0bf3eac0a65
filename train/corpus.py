"""Build gold sentence records from raw articles and annotators' simple files.

Annotators write one JSON line per sentence in a *simple* form that needs no
offsets: ``{"id", "entities": [[label, span text], ...] in reading order,
"relations": [[person index, position index], ...]}``.  ``resolve_simple``
places each span on the sentence left to right and fails loudly when a span
cannot be found, so offsets are never typed by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from canbo.model.schema import Document, Entity, Relation, article_id, jsonl_lines
from canbo.model.text import Span, split_paragraph

BODIES_FILE = "bodies.json"


def body_sentences(raw_dir: str | Path) -> list[Document]:
    """Sentence records (no entities yet) of every article body listed in ``bodies.json``;
    a folder without ``bodies.json`` (written articles, no site furniture) has every line of
    every ``*.txt`` as body."""
    raw_dir = Path(raw_dir)
    if (raw_dir / BODIES_FILE).is_file():
        bodies = json.loads((raw_dir / BODIES_FILE).read_text(encoding="utf-8"))
    else:
        bodies = {p.name: [[1, 1 << 30]] for p in raw_dir.glob("*.txt")}
    out = []
    for name, ranges in sorted((k, v) for k, v in bodies.items() if not k.startswith("_")):
        text = (raw_dir / name).read_text(encoding="utf-8")
        doc_id = article_id(name)
        n = 0
        for span in _body_line_spans(text, ranges):
            for sent in split_paragraph(text, span.start, span.end):
                n += 1
                out.append(
                    Document(
                        text=text[sent.start : sent.end],
                        id=f"{doc_id}-s{n:03d}",
                        meta={"doc": name, "start": sent.start, "end": sent.end},
                    )
                )
    return out


def _body_line_spans(text: str, ranges: list[list[int]]) -> list[Span]:
    spans, pos = [], 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if any(a <= lineno <= b for a, b in ranges):
            stripped = line.strip()
            if stripped:
                left = pos + line.index(stripped)
                spans.append(Span(left, left + len(stripped)))
        pos += len(line) + 1
    return spans


def resolve_simple(sentence: Document, simple: dict[str, Any]) -> Document:
    """Turn an annotator's simple record into a gold Document with exact offsets."""
    text, cursor, ents = sentence.text, 0, []
    for k, item in enumerate(simple.get("entities", [])):
        label, span_text = item[0], item[1]
        found = text.find(span_text, cursor)
        if found < 0:
            raise ValueError(f"{sentence.id}: entity #{k} {span_text!r} not found after offset {cursor}")
        ents.append(Entity(found, found + len(span_text), label, span_text, id=f"T{k + 1}"))
        cursor = found + len(span_text)
    rels = []
    for pair in simple.get("relations", []):
        head, tail = int(pair[0]), int(pair[1])
        if not (0 <= head < len(ents) and 0 <= tail < len(ents)):
            raise ValueError(f"{sentence.id}: relation {pair} points outside the {len(ents)} entities")
        rels.append(Relation(head, tail, "HAS_POSITION"))
    return Document(text=text, entities=ents, relations=rels, id=sentence.id, meta=dict(sentence.meta))


def read_simple(path: str | Path) -> dict[str, dict[str, Any]]:
    out = {}
    for lineno, line in enumerate(jsonl_lines(Path(path).read_text(encoding="utf-8")), start=1):
        if line.strip():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: bad JSON ({exc.msg})") from exc
            out[rec["id"]] = rec
    return out


def build_gold(raw_dir: str | Path, simple_dir: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Write ``out_dir/<article>.jsonl`` gold files from adjudicated simple files.

    Every body sentence must have an annotation line (an empty one is fine):
    a missing sentence is an error, so no part of a body is silently unannotated.
    """
    from canbo.model.schema import write_jsonl

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    by_doc: dict[str, list[Document]] = {}
    for sent in body_sentences(raw_dir):
        by_doc.setdefault(sent.meta["doc"], []).append(sent)
    counts = {}
    for name, sents in by_doc.items():
        stem = article_id(name)
        simple = read_simple(Path(simple_dir) / f"{stem}.jsonl")
        missing = [s.id for s in sents if s.id not in simple]
        if missing:
            raise ValueError(f"{stem}: no annotation for sentences {', '.join(missing[:5])}")
        write_jsonl([resolve_simple(s, simple[s.id]) for s in sents], out_dir / f"{stem}.jsonl")
        counts[stem] = len(sents)
    return counts


def load_pass(raw_dir: str | Path, simple_dir: str | Path) -> list[Document]:
    """One annotator's pass, as Documents in body-sentence order, over the articles it has a
    file for (a pass may cover part of a corpus; compare passes on what both cover)."""
    out = []
    cache: dict[str, dict[str, Any] | None] = {}
    for sent in body_sentences(raw_dir):
        stem = article_id(sent)
        if stem not in cache:
            path = Path(simple_dir) / f"{stem}.jsonl"
            cache[stem] = read_simple(path) if path.is_file() else None
        if cache[stem] is not None:
            out.append(resolve_simple(sent, cache[stem].get(sent.id, {})))
    return out
