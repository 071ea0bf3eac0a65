"""Annotators' output formats -> the offset-free simple form that ``train.corpus`` resolves.

Two formats are accepted, so that two annotators can work in different ways:

* **simple**: ``{"id", "entities": [[label, span text], ...], "relations": [[i, j], ...]}``;
* **markup**: ``{"id", "marked": "text with [[LABEL|span]] brackets", "relations": [[i, j], ...]}``.

``import_pass`` reads one annotator's batch file (ids of many articles), checks
every record against its sentence (each span must be found, in order; the
record must pass the gold validator) and writes one simple file per article.
Problems are returned as ``id: reason`` lines, never silently dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from canbo.model.schema import Document, article_id, jsonl_lines
from canbo.model.validation import validate_record

_MARK = re.compile(r"\[\[([A-Z]+)\|(.+?)\]\]")


def parse_markup(marked: str) -> list[list[str]]:
    """``[[label, span text], ...]`` of the bracketed spans of a marked-up sentence, in order."""
    return [[m.group(1), m.group(2)] for m in _MARK.finditer(marked)]


def strip_markup(marked: str) -> str:
    """The sentence without its brackets."""
    return _MARK.sub(lambda m: m.group(2), marked)


def to_simple(record: dict[str, Any]) -> dict[str, Any]:
    """A simple record from either format."""
    if "marked" in record:
        ents = parse_markup(record["marked"])
    else:
        ents = [list(e) for e in record.get("entities", [])]
    return {"id": record["id"], "entities": ents, "relations": [list(r) for r in record.get("relations", [])]}


def check_simple(sentence: Document, simple: dict[str, Any]) -> list[str]:
    """Problems of a simple record placed on its sentence (empty when it resolves and validates)."""
    from canbo.train.corpus import resolve_simple

    try:
        doc = resolve_simple(sentence, simple)
    except (ValueError, IndexError, TypeError) as exc:
        return [str(exc)]
    return validate_record(doc.to_gold_dict())


def import_pass(batch_files: Iterable[str | Path], sentences: list[Document], out_dir: str | Path) -> list[str]:
    """Write ``out_dir/<article>.jsonl`` simple files from annotators' batch files.

    Every sentence gets a line: one the annotator did not return, or whose record does
    not resolve, is written empty and reported, so agreement counts it as a disagreement.
    """
    by_id: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for path in batch_files:
        for lineno, line in enumerate(jsonl_lines(Path(path).read_text(encoding="utf-8")), start=1):
            if not line.strip():
                continue
            try:
                rec = to_simple(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                problems.append(f"{path}:{lineno}: unreadable record ({exc})")
                continue
            by_id[rec["id"]] = rec
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[str]] = {}
    for sent in sentences:
        rec = by_id.get(sent.id)
        if rec is None:
            problems.append(f"{sent.id}: no annotation")
            rec = {"id": sent.id, "entities": [], "relations": []}
        else:
            found = check_simple(sent, rec)
            if found:
                problems.append(f"{sent.id}: {found[0]}")
                rec = {"id": sent.id, "entities": [], "relations": [], "unresolved": rec}
        files.setdefault(article_id(sent), []).append(json.dumps(rec, ensure_ascii=False))
    for stem, lines in files.items():
        (out_dir / f"{stem}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return problems


def simple_of(doc: Document) -> dict[str, Any]:
    """The simple record of a resolved Document (entities in order, relations by index)."""
    return {
        "id": doc.id,
        "entities": [[e.label, e.text] for e in doc.entities],
        "relations": [[r.head, r.tail] for r in doc.relations],
    }


def _key(doc: Document) -> tuple:
    ents = tuple((e.start, e.end, e.label) for e in doc.entities)
    rels = tuple(sorted((ents[r.head], ents[r.tail]) for r in doc.relations))
    return ents, rels


def disagreements(pass_a: list[Document], pass_b: list[Document]) -> list[dict[str, Any]]:
    """Sentences the two passes annotate differently, both versions side by side, for adjudication."""
    b_by_id = {d.id: d for d in pass_b}
    out = []
    for a in pass_a:
        b = b_by_id.get(a.id)
        if b is not None and _key(a) != _key(b):
            out.append({"id": a.id, "text": a.text, "a": simple_of(a), "b": simple_of(b)})
    return out


def merge_adjudicated(
    pass_a: list[Document], pass_b: list[Document], decisions: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Adjudicated simple records: the agreed annotation where the passes agree, the decision
    where they do not. A disagreement without a decision is reported (and kept empty)."""
    b_by_id = {d.id: d for d in pass_b}
    out, missing = [], []
    for a in pass_a:
        b = b_by_id[a.id]
        if _key(a) == _key(b):
            out.append(simple_of(a))
        elif a.id in decisions:
            out.append(to_simple(decisions[a.id]))
        else:
            missing.append(a.id)
            out.append({"id": a.id, "entities": [], "relations": []})
    return out, missing
