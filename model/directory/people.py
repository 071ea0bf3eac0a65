"""People across pages: a name on a page joins a person only when the name AND an office or a
locality agree (homonyms are common: "Nguyễn Văn Hùng" is many people), never on the name alone.

Within one page, one name is one person (``page_people``). Across pages, a page person is merged
with every person that has a page person of the same name sharing one of its keys: an office key
that names a locality, or a locality (the resolved unit, else the folded name). Each merge is kept
as evidence (``merges``: which two page persons, on which key). When a page is re-indexed or
removed, the people it touched are re-clustered from the evidence that remains.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def person_keys(offices: Iterable[dict]) -> set[tuple[str, str]]:
    """The (kind, key) pairs a page person may be merged on, from its offices' normalised readings:
    ("office", office_key) for an office with a locality, and ("locality", unit or folded locality)."""
    from canbo.model.normalise.keys import fold

    keys = set()
    for o in offices:
        if not o.get("locality"):
            continue  # "Bí thư Huyện ủy" alone says nothing about which district
        keys.add(("office", o["key"]))
        keys.add(("locality", fold(o["unit"]) if o.get("unit") else fold(o["locality"])))
    return keys


def assign(
    conn: sqlite3.Connection, page_person_id: int, name: str, name_key: str, keys: set[tuple[str, str]]
) -> int:
    """Give a new page person its person (joining, and so merging, every person it matches on a key,
    with the evidence recorded), store its keys; returns the person id."""
    matches: dict[int, tuple[int, str, str]] = {}
    for kind, key in sorted(keys, key=_office_first):
        for other, person in conn.execute(
            "SELECT pk.page_person_id, pp.person_id FROM person_keys pk JOIN page_people pp ON pp.id = pk.page_person_id"
            " WHERE pk.name_key = ? AND pk.kind = ? AND pk.key = ? ORDER BY pk.page_person_id",
            (name_key, kind, key),
        ):
            matches.setdefault(person, (other, kind, key))
    if matches:
        person_id = min(matches)
        for other_person in matches:
            if other_person != person_id:
                _absorb(conn, person_id, other_person)
    else:
        person_id = conn.execute(
            "INSERT INTO people (name, name_key) VALUES (?, ?)", (name, name_key)
        ).lastrowid
    conn.execute("UPDATE page_people SET person_id = ? WHERE id = ?", (person_id, page_person_id))
    for other, kind, key in matches.values():
        conn.execute(
            "INSERT INTO merges (person_id, page_person_id, other_id, kind, key) VALUES (?, ?, ?, ?, ?)",
            (person_id, page_person_id, other, kind, key),
        )
    conn.executemany(
        "INSERT OR IGNORE INTO person_keys (page_person_id, name_key, kind, key) VALUES (?, ?, ?, ?)",
        [(page_person_id, name_key, kind, key) for kind, key in keys],
    )
    return person_id


def _office_first(kind_key: tuple[str, str]) -> tuple[bool, str, str]:
    """Evidence order: a shared office says more than a shared locality."""
    return (kind_key[0] != "office", kind_key[0], kind_key[1])


def _absorb(conn: sqlite3.Connection, into: int, other: int) -> None:
    conn.execute("UPDATE page_people SET person_id = ? WHERE person_id = ?", (into, other))
    conn.execute("UPDATE merges SET person_id = ? WHERE person_id = ?", (into, other))
    conn.execute("DELETE FROM people WHERE id = ?", (other,))


def recluster(conn: sqlite3.Connection, person_id: int) -> None:
    """Re-derive a person after some of its pages were removed: no page person left deletes it; page
    persons no longer linked by remaining evidence become separate people, with their evidence."""
    members = [
        r[0] for r in conn.execute("SELECT id FROM page_people WHERE person_id = ? ORDER BY id", (person_id,))
    ]
    if not members:
        conn.execute("DELETE FROM merges WHERE person_id = ?", (person_id,))
        conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
        return
    keys: dict[tuple[str, str], list[int]] = {}
    for pp, kind, key in conn.execute(
        f"SELECT page_person_id, kind, key FROM person_keys WHERE page_person_id IN ({','.join('?' * len(members))})"
        " ORDER BY page_person_id",
        members,
    ):
        keys.setdefault((kind, key), []).append(pp)
    parent = {m: m for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = []
    for (kind, key), pps in sorted(keys.items(), key=lambda kv: _office_first(kv[0])):
        for other in pps[1:]:
            a, b = find(pps[0]), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
                edges.append((other, pps[0], kind, key))
    conn.execute("DELETE FROM merges WHERE person_id = ?", (person_id,))
    ids: dict[int, int] = {}
    for m in members:
        root = find(m)
        if root not in ids:
            if not ids:
                ids[root] = person_id
            else:
                name, name_key = conn.execute(
                    "SELECT name, name_key FROM page_people WHERE id = ?", (m,)
                ).fetchone()
                ids[root] = conn.execute(
                    "INSERT INTO people (name, name_key) VALUES (?, ?)", (name, name_key)
                ).lastrowid
        conn.execute("UPDATE page_people SET person_id = ? WHERE id = ?", (ids[root], m))
    for pp, other, kind, key in edges:
        conn.execute(
            "INSERT INTO merges (person_id, page_person_id, other_id, kind, key) VALUES (?, ?, ?, ?, ?)",
            (ids[find(pp)], pp, other, kind, key),
        )
