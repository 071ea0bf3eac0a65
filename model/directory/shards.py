"""Predictions made elsewhere, as pages to index: ``canbo index --from DIR``.

``canbo predict --engine ray --output DIR`` writes JSONL shards, one predicted document a line
(``{"source", "text", "entities", "relations", "date", "model_version"}``), and ``errors.jsonl``
for the documents it could not read or predict; ``canbo predict -f jsonl`` writes the same lines
without ``model_version``. Each line becomes a ``Predicted`` page: the directory stores its
entities, relations and normalised fields as they are, without running the model again (a line
without the normalised fields is normalised here).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from canbo.model.inputs import Input, jsonl_records
from canbo.model.schema import Document, document_from_dict

ERRORS_FILE = "errors.jsonl"
UNRECORDED = "unrecorded"  # the model version of lines that do not name one (canbo predict -f jsonl)


@dataclass
class Predicted(Input):
    """A page predicted elsewhere: its Document and the version of the model that made it."""

    doc: Document | None = None
    version: str = UNRECORDED


def shard_files(paths: Iterable[str]) -> Iterator[Path | str]:
    """The .jsonl files of each folder (sorted, recursively) or the file itself; a missing path as a str."""
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.jsonl") if p.is_file())
        elif path.is_file():
            yield path
        else:
            yield arg


def iter_predicted(paths: Iterable[str]) -> Iterator[Input]:
    """Pages from prediction shards; a bad line, a missing path or an ``errors.jsonl`` entry is one
    failure naming where it was."""
    for path in shard_files(paths):
        if isinstance(path, str):
            yield Input(path, error=f"{path} does not exist")
            continue
        for where, obj, error in jsonl_records(path):
            yield Input(where, error=error) if error is not None else _page(obj, where, path.name == ERRORS_FILE)


def _page(obj, where: str, errors: bool) -> Input:
    if not isinstance(obj, dict):
        return Input(where, error=f"{where}: a line must be a JSON object")
    if errors:
        return Input(str(obj.get("source") or where), error=f"{obj.get('source') or where}: {obj.get('error')}")
    source, text = obj.get("source"), obj.get("text")
    if not isinstance(source, str) or not isinstance(text, str):
        return Input(where, error=f'{where}: a predicted document needs "source" and "text" strings')
    try:
        doc = document_from_dict(obj)
        for e in doc.entities:
            if not (0 <= e.start < e.end <= len(text)) or text[e.start : e.end] != e.text:
                raise ValueError(f"entity {e.text!r} is not at {e.start}-{e.end} of the text")
        for r in doc.relations:
            if not (0 <= r.head < len(doc.entities) and 0 <= r.tail < len(doc.entities)):
                raise ValueError(f"relation {r.head}->{r.tail} names an entity that is not there")
    except (KeyError, TypeError, ValueError) as exc:
        return Input(where, error=f"{where}: not a predicted document ({exc})")
    if any(e.norm is None for e in doc.entities) or "date" not in doc.meta:
        from canbo.model.normalise import normalise_document

        normalise_document(doc)  # lines written without the normalised fields get them here
    version = obj.get("model_version")
    return Predicted(source, text=text, doc=doc, version=version if isinstance(version, str) and version else UNRECORDED)
