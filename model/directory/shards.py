"""Predictions made elsewhere, as pages to index: ``canbo index --from DIR``.

``canbo predict --engine ray --output DIR`` writes JSONL shards, one predicted document a line
(``{"source", "text", "entities", "relations", "date", "model_version"}``), and ``errors.jsonl``
for the documents it could not read or predict; ``canbo predict -f jsonl`` writes the same lines
without ``model_version``. Each line becomes a ``Predicted`` page: the directory stores its
entities, relations and normalised fields as they are, without running the model again (a line
without the normalised fields is normalised here).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from canbo.model.inputs import Input, jsonl_records
from canbo.model.schema import Document, document_from_dict

ERRORS_FILE = "errors.jsonl"
UNRECORDED = "unrecorded"  # lines that name no model version (canbo predict -f jsonl): "unrecorded-<hash>"


@dataclass
class Predicted(Input):
    """A page predicted elsewhere: its Document and the version of the model that made it."""

    doc: Document | None = None
    version: str = UNRECORDED  # the line's model_version, or "unrecorded-" + a hash of its predictions


def iter_predicted(paths: Iterable[str]) -> Iterator[Input]:
    """Pages from prediction shards: each folder's .jsonl files (sorted, recursively) or the file
    given; a bad line, a missing path, a folder without .jsonl files or an ``errors.jsonl`` entry
    is one failure naming where it was."""
    for arg in paths:
        path = Path(arg)
        files = sorted(p for p in path.rglob("*.jsonl") if p.is_file()) if path.is_dir() else [path]
        if not path.exists() or not files:
            yield Input(arg, error=f"{arg} does not exist" if not path.exists() else f"{arg} has no .jsonl files")
            continue
        for file in files:
            for where, obj, error in jsonl_records(file):
                yield Input(where, error=error) if error is not None else _page(obj, where, file.name == ERRORS_FILE)


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
    if not (isinstance(version, str) and version):  # other predictions of the same text must replace these
        what = json.dumps([obj.get("entities"), obj.get("relations")], sort_keys=True, ensure_ascii=False)
        version = f"{UNRECORDED}-{hashlib.sha256(what.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"
    return Predicted(source, text=text, doc=doc, version=version)
