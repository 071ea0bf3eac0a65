"""The officials directory: a SQLite index of many pages (``canbo index``) and its queries.

``Directory(path)`` opens an index read-only for queries (``officials``, ``person``, ``document``,
``figures``); ``index_pages`` (``store``) builds and updates one. The tables are in ``schema.sql``.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from canbo.model.directory.store import DirectoryError, connect
from canbo.model.normalise.keys import fold

__all__ = ["Directory", "DirectoryError"]

_HOLDING_COLUMNS = ", ".join(
    f"h.{c}"
    for c in (
        "person_id",
        "person",
        "office",
        "office_key",
        "title",
        "organ",
        "level",
        "locality",
        "unit",
        "inferred",
        "as_of",
        "document_id",
        "source",
        "sentence",
        "sentence_start",
        "sentence_end",
    )
)


class Directory:
    """Queries over a directory built by ``canbo index``. Safe to share between threads."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._conn = connect(self.path)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Directory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _rows(self, sql: str, params: list | tuple = ()) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._conn.execute(sql, params)
            names = [c[0] for c in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    # ------------------------------------------------------------------ officials

    def officials(
        self,
        office: str | None = None,
        locality: str | None = None,
        person: str | int | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Who held which office: one row per (person, office) mention, newest as-of date first.
        ``office`` as written ("Bí thư Huyện ủy", "chủ tịch ubnd huyện Kim Sơn") matches the same title
        and organ whatever the spelling; ``locality`` matches offices in that unit or below it (by name
        when it is not a known unit); ``person`` is a person id or a name."""
        where, params = [], []
        if office:
            _office_filter(office, where, params)
        if locality:
            _locality_filter(locality, "h.unit", "o.locality_key", where, params)
        if isinstance(person, int):
            where.append("h.person_id = ?")
            params.append(person)
        elif person:
            where.append("h.person_id IN (SELECT id FROM people WHERE name_key = ?)")
            params.append(fold(person))
        sql = f"SELECT {_HOLDING_COLUMNS} FROM holdings h JOIN offices o ON o.mention_id = h.mention_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY h.as_of IS NULL, h.as_of DESC, h.person_id, h.document_id, h.mention_id LIMIT ?"
        return [_holding(r) for r in self._rows(sql, [*params, int(limit)])]

    def person(self, person_id: int) -> dict[str, Any] | None:
        """A person with their offices over time (oldest first) and why their mentions were merged."""
        found = self._rows("SELECT id, name FROM people WHERE id = ?", (int(person_id),))
        if not found:
            return None
        rows = self._rows(
            f"SELECT {_HOLDING_COLUMNS} FROM holdings h WHERE h.person_id = ?"
            " ORDER BY h.as_of IS NULL, h.as_of, h.document_id, h.mention_id",
            (int(person_id),),
        )
        evidence = self._rows(
            "SELECT a.document_id, da.source, b.document_id AS other_document_id, db.source AS other_source, mg.kind,"
            " mg.key FROM merges mg JOIN page_people a ON a.id = mg.page_person_id"
            " JOIN page_people b ON b.id = mg.other_id JOIN documents da ON da.id = a.document_id"
            " JOIN documents db ON db.id = b.document_id WHERE mg.person_id = ? ORDER BY mg.id",
            (int(person_id),),
        )
        for e in evidence:
            e["reason"] = f"same name and same {e['kind']} ({e['key']})"
        return {
            "id": found[0]["id"],
            "name": found[0]["name"],
            "offices": [_holding(r) for r in rows],
            "evidence": evidence,
        }

    def people(self, name: str) -> list[dict[str, Any]]:
        """Every person of that name (``fold``-ed), each as ``person(id)``."""
        ids = self._rows("SELECT id FROM people WHERE name_key = ? ORDER BY id", (fold(name),))
        return [self.person(r["id"]) for r in ids]

    # ------------------------------------------------------------------ documents and figures

    def document(self, document_id: int) -> dict[str, Any] | None:
        """A stored page with its entities and relations as in the CLI's Document JSON."""
        found = self._rows(
            "SELECT id, source, date, model_version, text FROM documents WHERE id = ?", (int(document_id),)
        )
        if not found:
            return None
        out = found[0]
        mentions = self._rows(
            "SELECT id, start, end, text, label, score, origin, norm FROM mentions WHERE document_id = ? ORDER BY idx",
            (out["id"],),
        )
        index = {m["id"]: k for k, m in enumerate(mentions)}
        out["entities"] = [_entity(m) for m in mentions]
        out["relations"] = [
            {
                "head": index[r["head_id"]],
                "tail": index[r["tail_id"]],
                "label": r["label"],
                **({"score": round(r["score"], 4)} if r["score"] is not None else {}),
            }
            for r in self._rows(
                "SELECT head_id, tail_id, label, score FROM relations WHERE document_id = ? ORDER BY id",
                (out["id"],),
            )
        ]
        return out

    def figures(self, locality: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Reported figures (METRIC mentions) with their parsed value, newest as-of date first;
        ``locality`` keeps those about that unit or a unit below it."""
        where, params = [], []
        if locality:
            _locality_filter(locality, "f.place", "f.locality_key", where, params)
        sql = (
            'SELECT m.text, f.value, f.unit, f.per, f.low, f.high, f.number, f.scale, f.of_total AS "of", f.qualifier,'
            " f.place, m.as_of, d.id AS document_id, d.source, substr(d.text, s.start + 1, s.end - s.start) AS sentence,"
            " s.start AS sentence_start, s.end AS sentence_end FROM figures f JOIN mentions m ON m.id = f.mention_id"
            " JOIN documents d ON d.id = m.document_id LEFT JOIN sentences s ON s.id = m.sentence_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY m.as_of IS NULL, m.as_of DESC, d.id, m.start LIMIT ?"
        return self._rows(sql, [*params, int(limit)])


def _office_filter(office: str, where: list[str], params: list) -> None:
    from canbo.model.normalise.offices import decompose

    o = decompose(office)
    if o.title is None and o.organ is None:
        where.append("o.office_key LIKE ?")
        params.append(f"%{fold(office)}%")
        return
    if o.title is not None:
        where.append("o.title_key = ?")
        params.append(fold(o.title))
    if o.organ is not None:
        where.append("o.organ_key = ?")
        params.append(fold(o.organ))
    if o.level is not None:
        where.append("o.level = ?")
        params.append(o.level)
    if o.locality:
        _locality_filter(o.locality, "o.unit", "o.locality_key", where, params)


def _locality_filter(locality: str, unit_col: str, key_col: str, where: list[str], params: list) -> None:
    """Rows whose unit is the named unit or below it; a name that is not one known unit matches by name."""
    from canbo.model.normalise.places import resolve, strip_type

    place = resolve(locality)
    if place.unit is not None:
        where.append(f"({unit_col} = ? OR {unit_col} LIKE ? ESCAPE '\\')")
        path = place.unit.path
        params += [path, path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " > %"]
    else:
        where.append(f"{key_col} = ?")
        params.append(fold(strip_type(locality)[1]))


def _holding(row: dict[str, Any]) -> dict[str, Any]:
    row["inferred"] = bool(row["inferred"])
    return row


def _entity(m: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"start": m["start"], "end": m["end"], "text": m["text"], "label": m["label"]}
    if m["score"] is not None:
        out["score"] = round(m["score"], 4)
    if m["origin"] is not None:
        out["source"] = m["origin"]
    if m["norm"]:
        out["norm"] = json.loads(m["norm"])
    return out
