"""A document-level directory: each person once, with every position linked to them."""

from __future__ import annotations

from typing import Any

from canbo.model.formats import Layout, render_stream
from canbo.model.normalise.keys import fold
from canbo.model.schema import Document


def name_key(name: str) -> str:
    """Identity of a name across mentions: ``model.normalise.keys.fold`` (Unicode form, "Ð", case,
    spacing and tone placement ignored), the same key as the directory's."""
    return fold(name)


def officials(doc: Document) -> list[dict[str, Any]]:
    """``[{"person", "positions", "mentions"}]`` in order of first mention."""
    people: dict[str, dict[str, Any]] = {}
    for e in doc.entities:
        if e.label == "PERSON":
            entry = people.setdefault(name_key(e.text), {"person": e.text, "positions": [], "mentions": 0, "_seen": set()})
            entry["mentions"] += 1
    for r in doc.relations:
        person, position = doc.entities[r.head], doc.entities[r.tail]
        entry = people.get(name_key(person.text))
        if entry is None:
            continue
        key = name_key(position.text)
        if key not in entry["_seen"]:
            entry["_seen"].add(key)
            entry["positions"].append(position.text)
    for entry in people.values():
        del entry["_seen"]
    return list(people.values())


def officials_layout(fmt: str) -> Layout:
    """How ``canbo officials --format fmt`` writes each document's table."""
    import csv
    import io
    import json

    if fmt == "json":
        item = lambda s, t: json.dumps({"source": s, "officials": t}, ensure_ascii=False, indent=2)  # noqa: E731
        return Layout("[\n", item, ",\n", "\n]\n")
    if fmt == "csv":

        def rows(source: str, table: list[dict[str, Any]]) -> str:
            buf = io.StringIO()
            w = csv.writer(buf)
            for row in table:
                w.writerow([source, row["person"], "; ".join(row["positions"]), row["mentions"]])
            return buf.getvalue()

        return Layout("source,person,positions,mentions\r\n", rows)
    if fmt == "text":

        def block(source: str, table: list[dict[str, Any]]) -> str:
            lines = [f"== {source}"] + [f"  {r['person']}: {'; '.join(r['positions']) or '-'}" for r in table]
            return "\n".join(lines if table else [*lines, "  (no people found)"]) + "\n"

        return Layout("", block)
    raise ValueError(f"unknown format {fmt!r} (choose from json, csv, text)")


def render_officials(tables: list[list[dict[str, Any]]], sources: list[str], fmt: str) -> str:
    """Officials of several documents as text, CSV or JSON."""
    return render_stream(zip(sources, tables), officials_layout(fmt))
