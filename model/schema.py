"""The one record type used everywhere: Document, Entity, Relation.

Entities carry character offsets into ``Document.text`` with an exclusive end.
Relations point at entities by their index in ``Document.entities``.  Gold
files on disk name entities by ``id`` (``"T1"``); ``read_jsonl`` turns those
ids into indices after validating the line (see ``model.validation``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Entity:
    start: int
    end: int
    label: str
    text: str
    score: float | None = None
    id: str | None = None
    source: str | None = None  # which component decided the span: "rules", "model" or "both"
    norm: dict[str, Any] | None = None  # normalised reading (model.normalise): as_of, office, place, figure

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text, "label": self.label}
        if self.score is not None:
            out["score"] = round(float(self.score), 4)
        if self.source is not None:
            out["source"] = self.source
        if self.norm is not None:
            out["norm"] = self.norm
        return out


@dataclass
class Relation:
    head: int
    tail: int
    label: str
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"head": self.head, "tail": self.tail, "label": self.label}
        if self.score is not None:
            out["score"] = round(float(self.score), 4)
        return out


@dataclass
class Document:
    """A text with its entities and relations.

    ``meta`` holds provenance for gold sentences: ``doc`` (the raw article
    name) and ``start``/``end`` (where ``text`` sits in that article); for a
    normalised page, ``date`` (its publication date, ISO, or None).
    """

    text: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Prediction format: relations by entity index."""
        out: dict[str, Any] = {}
        if self.id is not None:
            out["id"] = self.id
        if "date" in self.meta:
            out["date"] = self.meta["date"]
        out["text"] = self.text
        out["entities"] = [e.to_dict() for e in self.entities]
        out["relations"] = [r.to_dict() for r in self.relations]
        return out

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    def to_gold_dict(self) -> dict[str, Any]:
        """Gold-file format: entities get ids ``T1..``, relations refer to them."""
        ids = [e.id or f"T{i + 1}" for i, e in enumerate(self.entities)]
        meta = {k: v for k, v in self.meta.items() if k not in ("source", "date")}  # where it was read from; page date
        out: dict[str, Any] = {"id": self.id, **meta, "text": self.text}
        out["entities"] = [
            {"id": ids[i], "start": e.start, "end": e.end, "label": e.label, "text": e.text}
            for i, e in enumerate(self.entities)
        ]
        out["relations"] = [{"head": ids[r.head], "tail": ids[r.tail], "label": r.label} for r in self.relations]
        return out


def article_id(doc: Document | str) -> str:
    """The article a record or raw file name belongs to: "001_7c2a...txt" and "001-s004" give "001"."""
    name = doc if isinstance(doc, str) else str(doc.meta.get("doc") or doc.id or "")
    return Path(name).stem.split("_")[0].split("-")[0]


class CorpusError(ValueError):
    """A corpus line is invalid; the message names file, line and reason."""


def document_from_gold_dict(obj: dict[str, Any]) -> Document:
    """Build a Document from an already validated gold dict."""
    text = obj["text"]
    entities = [  # "text" of an entity is optional in the files: it is always text[start:end]
        Entity(start=e["start"], end=e["end"], label=e["label"], text=text[e["start"] : e["end"]], id=e.get("id"))
        for e in obj.get("entities", [])
    ]
    index = {e.id: i for i, e in enumerate(entities)}
    relations = [
        Relation(head=index[r["head"]], tail=index[r["tail"]], label=r["label"]) for r in obj.get("relations", [])
    ]
    meta = {k: obj[k] for k in ("doc", "start", "end") if k in obj}
    return Document(text=text, entities=entities, relations=relations, id=obj.get("id"), meta=meta)


def document_from_dict(obj: dict[str, Any]) -> Document:
    """The Document of a prediction dict (``Document.to_dict``: relations by entity index, the page's
    ``date`` if it has one); keys it does not know are left out."""
    entities = [
        Entity(
            e["start"], e["end"], e["label"], e["text"], score=e.get("score"), source=e.get("source"), norm=e.get("norm")
        )
        for e in obj.get("entities", [])
    ]
    relations = [Relation(r["head"], r["tail"], r["label"], score=r.get("score")) for r in obj.get("relations", [])]
    meta = {"date": obj["date"]} if "date" in obj else {}
    return Document(text=obj["text"], entities=entities, relations=relations, id=obj.get("id"), meta=meta)


def read_jsonl(path: str | Path) -> list[Document]:
    """Load and validate a gold JSONL file; raise CorpusError on the first bad line."""
    from canbo.model.inputs import decode_bytes
    from canbo.model.validation import validate_line

    try:
        content = decode_bytes(Path(path).read_bytes(), str(path))
    except OSError as exc:
        raise CorpusError(f"{path} cannot be read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise CorpusError(str(exc)) from exc
    docs = []
    for lineno, line in enumerate(jsonl_lines(content), start=1):
        if not line.strip():
            continue
        obj, problems = validate_line(line)
        if problems:
            raise CorpusError(f"{path}:{lineno}: {problems[0]}")
        doc = document_from_gold_dict(obj)
        doc.meta["source"] = f"{path}:{lineno}"
        docs.append(doc)
    return docs


def jsonl_lines(text: str) -> list[str]:
    """Lines of a JSON Lines text: split on "\n" only, since U+2028, U+0085 and the like
    may stand unescaped inside JSON strings (``json.dumps(ensure_ascii=False)`` writes them)."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def read_predictions(path: str | Path) -> list[Document]:
    """Documents from a prediction-format JSONL file (``canbo predict -f jsonl``: relations by entity index)."""
    docs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        ents = [Entity(e["start"], e["end"], e["label"], e["text"], e.get("score"), source=e.get("source"))
                for e in obj["entities"]]
        rels = [Relation(r["head"], r["tail"], r["label"], r.get("score")) for r in obj.get("relations", [])]
        docs.append(Document(obj["text"], ents, rels, obj.get("id")))
    return docs


def read_corpus(paths: Iterable[str | Path]) -> list[Document]:
    """Load several gold files (or directories of ``*.jsonl``) in a stable order; a folder without
    ``*.jsonl`` files or a path that is not there is an error naming it."""
    docs: list[Document] = []
    for p in _expand(paths):
        docs.extend(read_jsonl(p))
    return docs


def _expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(p.glob("*.jsonl"))
            if not files:
                raise CorpusError(f"folder {p} has no *.jsonl files")
            yield from files
        elif p.exists():  # a file, a FIFO or /dev/stdin
            yield p
        else:
            raise CorpusError(f"{p} does not exist (relative paths are from {Path.cwd()})")


def write_jsonl(docs: Iterable[Document], path: str | Path, gold: bool = True) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d.to_gold_dict() if gold else d.to_dict(), ensure_ascii=False) + "\n")
