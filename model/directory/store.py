"""``canbo index``: pages -> the directory database (``schema.sql``), incrementally and safely.

A page whose source, content hash and model version are already stored is skipped; a changed page
or one indexed by another model version is replaced. Pages are predicted and written in batches,
each batch in one transaction, so a run killed at any point leaves every page either wholly stored
or not at all, and the next run picks up where it stopped: nothing lost, nothing duplicated.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from canbo.model.directory.people import assign, person_keys, recluster
from canbo.model.directory.shards import Predicted
from canbo.model.inputs import Input, iter_inputs, jsonl_records
from canbo.model.normalise.dates import is_iso_date
from canbo.model.schema import Document

SCHEMA_FILE = Path(__file__).parent / "schema.sql"
SCHEMA_VERSION = "1"
APP = "canbo-directory"
PAGES_PER_BATCH = 16


@dataclass
class Page(Input):
    """An input page with the date its JSONL record gives (None: read from its header lines)."""

    date: str | None = None


class DirectoryError(ValueError):
    """The directory database cannot be used; the message is one sentence naming the file."""


@dataclass
class Summary:
    """What one ``index`` run did."""

    pages: int = 0
    new: int = 0
    reindexed: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"{self.pages} pages: {self.new} new, {self.reindexed} re-indexed, {self.skipped} skipped (unchanged), "
            f"{len(self.failed)} failed"
        ]
        lines += [f"  failed: {reason}" for reason in self.failed]
        return "\n".join(lines)


def connect(path: str | Path, create: bool = False) -> sqlite3.Connection:
    """A connection to a canbo directory; ``create`` makes the file and its tables when absent.
    A missing file (without ``create``) or one that is not a canbo directory raises DirectoryError."""
    path = Path(path)
    if not create and not path.is_file():
        raise DirectoryError(f"{path} does not exist (build it with: canbo index PAGES --db {path})")
    if create and not path.parent.is_dir():
        raise DirectoryError(f"cannot create {path}: the folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA foreign_keys = ON")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if create and not tables:
            conn.executescript(SCHEMA_FILE.read_text(encoding="utf-8"))
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)", [("app", APP), ("schema_version", SCHEMA_VERSION)]
            )
        elif "meta" not in tables or _meta(conn, "app") != APP:
            conn.close()
            raise DirectoryError(f"{path} is not a canbo directory (it has no canbo meta table)")
    except sqlite3.DatabaseError as exc:
        raise DirectoryError(f"{path} is not a canbo directory ({exc})") from exc
    if _meta(conn, "schema_version") != SCHEMA_VERSION:
        found = _meta(conn, "schema_version")
        conn.close()
        raise DirectoryError(
            f"{path} has directory schema version {found}; this canbo reads version {SCHEMA_VERSION}"
        )
    return conn


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def model_version(model_path: str | Path | None = None) -> str:
    """Identity of what produces the rows: the model's weights and config, the rules, the normalisation."""
    from canbo.model.hub import resolve_model_path
    from canbo.model.normalise import NORMALISE_VERSION
    from canbo.model.pipeline import DEFAULT_MODEL_DIR
    from canbo.model.rules import rules_version

    folder = resolve_model_path(model_path if model_path is not None else DEFAULT_MODEL_DIR)
    h = hashlib.sha256()
    for name in ("config.json", "model.safetensors", "pytorch_model.bin"):
        if (folder / name).is_file():
            with open(folder / name, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
    return f"{h.hexdigest()[:12]}-rules{rules_version()[:8]}-norm{NORMALISE_VERSION}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def iter_pages(args: Iterable[str]) -> Iterator[Input]:
    """Pages from files, folders (read recursively, as ``model.inputs``) and JSONL files of
    ``{"url", "text"}`` records (an optional ``"date"`` gives the page date). A path that does not
    exist, or a bad JSONL line, is one failure naming it."""
    for arg in args:
        path = Path(arg)
        if not path.exists():
            yield Input(arg, error=f"{arg} does not exist")
        elif path.is_file() and path.suffix.lower() == ".jsonl":
            yield from _jsonl_pages(path)
        else:
            yield from iter_inputs([arg])


def _jsonl_pages(path: Path) -> Iterator[Input]:
    for where, obj, error in jsonl_records(path):
        if error is not None:
            yield Input(where, error=error)
            continue
        if (
            not isinstance(obj, dict)
            or not isinstance(obj.get("url"), str)
            or not isinstance(obj.get("text"), str)
        ):
            yield Input(where, error=f'{where}: a record needs "url" and "text" strings')
            continue
        date = obj.get("date")
        if date is not None and not is_iso_date(date):
            yield Input(where, error=f'{where}: "date" must be a date written YYYY-MM-DD, not {date!r}')
            continue
        yield Page(obj["url"], text=obj["text"], date=date)


def index_pages(
    db: str | Path,
    inputs: Iterable[Input],
    pipeline,
    version: str | None,
    batch_size: int = 32,
    pages_per_batch: int = PAGES_PER_BATCH,
    progress: bool = False,
) -> Summary:
    """Index ``inputs`` (from ``iter_pages``) into ``db`` with ``pipeline``, stored as ``version``;
    see the module docstring. Pages already predicted (``shards.Predicted``, from
    ``shards.iter_predicted``) are stored as they are, with their own version, and need no
    pipeline (it may be None when every input is one)."""
    conn = connect(db, create=True)
    summary = Summary()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="indexing", unit="page", file=sys.stderr)
    try:
        batch: list[Input] = []
        for item in inputs:
            summary.pages += 1
            if item.error is not None:
                summary.failed.append(item.error)
                _tick(bar)
                continue
            batch.append(item)
            if len(batch) >= pages_per_batch:
                _index_batch(conn, batch, pipeline, version, batch_size, summary, bar)
                batch = []
        if batch:
            _index_batch(conn, batch, pipeline, version, batch_size, summary, bar)
    finally:
        if bar is not None:
            bar.close()
        conn.close()
    return summary


def _tick(bar, n: int = 1) -> None:
    if bar is not None:
        bar.update(n)


def _index_batch(
    conn, batch: list[Input], pipeline, version: str, batch_size: int, summary: Summary, bar
) -> None:
    todo: dict[str, tuple[Input, str, int | None]] = {}
    for item in batch:
        digest = content_hash(item.text)
        row = conn.execute(
            "SELECT id, content_hash, model_version FROM documents WHERE source = ?", (item.source,)
        ).fetchone()
        if (row and row[1] == digest and row[2] == _version(item, version)) or (
            item.source in todo and todo[item.source][1] == digest
        ):
            summary.skipped += 1
            continue
        todo[item.source] = (item, digest, row[0] if row else None)
    _tick(bar, len(batch) - len(todo))
    if not todo:
        return
    items = list(todo.values())
    docs = _predict(pipeline, [it for it, _, _ in items], batch_size, summary)
    conn.execute("BEGIN IMMEDIATE")
    try:
        new = reindexed = 0
        for (item, digest, old_id), doc in zip(items, docs):
            if doc is None:
                continue
            conn.execute("SAVEPOINT page")  # a page that cannot be stored fails alone
            try:
                if old_id is not None:
                    remove_document(conn, old_id)
                write_document(conn, item.source, digest, _version(item, version), doc)
            except Exception as exc:  # noqa: BLE001 - one failing page never loses the others
                conn.execute("ROLLBACK TO page")
                conn.execute("RELEASE page")
                summary.failed.append(f"{item.source}: could not be stored ({exc})")
                continue
            conn.execute("RELEASE page")
            new, reindexed = new + (old_id is None), reindexed + (old_id is not None)
        conn.execute("COMMIT")
        summary.new, summary.reindexed = summary.new + new, summary.reindexed + reindexed
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    _tick(bar, len(items))


def _version(item: Input, version: str | None) -> str:
    return item.version if isinstance(item, Predicted) else version


def _predict(pipeline, items: list[Input], batch_size: int, summary: Summary) -> list[Document | None]:
    """Documents for ``items`` (a predicted page's own); the others predicted in one batch, and when
    the batch fails, page by page, a failing page recorded and None."""
    done = {k: it.doc for k, it in enumerate(items) if isinstance(it, Predicted)}
    if done:
        rest = iter(_predict(pipeline, [it for it in items if not isinstance(it, Predicted)], batch_size, summary))
        return [done[k] if k in done else next(rest) for k in range(len(items))]
    if not items:
        return []

    def with_dates(docs: list[Document], its: list[Input]) -> list[Document]:
        from canbo.model.normalise import with_page_date

        return [with_page_date(d, getattr(it, "date", None)) for d, it in zip(docs, its)]

    try:
        return with_dates(pipeline.predict_batch([it.text for it in items], batch_size=batch_size), items)
    except Exception:  # noqa: BLE001 - find which page failed and keep the others
        pass
    out: list[Document | None] = []
    for it in items:
        try:
            out.append(with_dates([pipeline.predict(it.text)], [it])[0])
        except Exception as exc:  # noqa: BLE001 - one failing page never loses the others
            summary.failed.append(f"{it.source}: prediction failed ({exc})")
            out.append(None)
    return out


def remove_document(conn: sqlite3.Connection, document_id: int) -> None:
    """Delete a page and everything derived from it; the people it touched are re-clustered."""
    people = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT person_id FROM page_people WHERE document_id = ?", (document_id,)
        )
    ]
    conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
    for person_id in people:
        recluster(conn, person_id)


def write_document(conn: sqlite3.Connection, source: str, digest: str, version: str, doc: Document) -> int:
    """Insert one normalised page with its sentences, mentions, relations, offices, figures and people."""
    from bisect import bisect_right

    from canbo.model.normalise import sentence_dates, subject_units, typed_places
    from canbo.model.normalise.keys import fold
    from canbo.model.normalise.places import resolve
    from canbo.model.text import split_sentences

    text, date = doc.text, doc.meta.get("date")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    doc_id = conn.execute(
        "INSERT INTO documents (source, content_hash, date, model_version, text, indexed_at) VALUES (?, ?, ?, ?, ?, ?)",
        (source, digest, date, version, text, now),
    ).lastrowid
    spans = split_sentences(text)
    dates = sentence_dates(text, spans, date)
    sentence_ids = [
        conn.execute(
            "INSERT INTO sentences (document_id, start, end, event_date) VALUES (?, ?, ?, ?)",
            (doc_id, s.start, s.end, d),
        ).lastrowid
        for s, d in zip(spans, dates)
    ]
    starts = [s.start for s in spans]
    district, province = subject_units(text)
    page_place = district or province
    mention_ids = []
    for i, e in enumerate(doc.entities):
        k = bisect_right(starts, e.start) - 1
        sid = sentence_ids[k] if 0 <= k < len(spans) and e.start < spans[k].end else None
        norm = e.norm or {}
        mid = conn.execute(
            "INSERT INTO mentions (document_id, sentence_id, idx, label, start, end, text, score, origin, as_of, norm)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                sid,
                i,
                e.label,
                e.start,
                e.end,
                e.text,
                None if e.score is None else round(float(e.score), 4),  # as the JSON output has it
                e.source,
                norm.get("as_of"),
                json.dumps(norm, ensure_ascii=False) if norm else None,
            ),
        ).lastrowid
        mention_ids.append(mid)
        if "office" in norm:
            o = norm["office"]
            short = o["unit"].split(" > ")[-1] if o["unit"] else (o["locality"] or "")
            from canbo.model.normalise.places import strip_type

            conn.execute(
                "INSERT INTO offices (mention_id, office_key, title, organ, level, locality, unit, inferred, title_key,"
                " organ_key, locality_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    mid,
                    o["key"],
                    o["title"],
                    o["organ"],
                    o["level"],
                    o["locality"],
                    o["unit"],
                    int(o["inferred"]),
                    fold(o["title"] or ""),
                    fold(o["organ"] or ""),
                    fold(strip_type(short)[1]) if short else "",
                ),
            )
        if "figure" in norm:
            f = norm["figure"]
            place = None
            if sid is not None:
                near = [
                    resolve(
                        m.name,
                        level=m.level,
                        province=province.name if province else None,
                        district=district.name if district else None,
                    )
                    for m in typed_places(text, spans[k].start, spans[k].end)
                ]
                place = next((p.unit for p in near if p.unit is not None), None)
            place = place or page_place
            conn.execute(
                "INSERT INTO figures (mention_id, number, scale, value, unit, per, low, high, of_total, qualifier,"
                " place, locality_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    mid,
                    f["number"],
                    f["scale"],
                    f["value"],
                    f["unit"],
                    f["per"],
                    f["low"],
                    f["high"],
                    f["of"],
                    f["qualifier"],
                    place.path if place else None,
                    fold(place.short) if place else "",
                ),
            )
    for r in doc.relations:
        conn.execute(
            "INSERT INTO relations (document_id, head_id, tail_id, label, score) VALUES (?, ?, ?, ?, ?)",
            (doc_id, mention_ids[r.head], mention_ids[r.tail], r.label, None if r.score is None else round(float(r.score), 4)),
        )
    _write_people(conn, doc_id, doc, mention_ids)
    return doc_id


def _write_people(conn: sqlite3.Connection, doc_id: int, doc: Document, mention_ids: list[int]) -> None:
    from canbo.model.normalise.keys import fold

    groups: dict[str, list[int]] = {}
    for i, e in enumerate(doc.entities):
        if e.label == "PERSON" and fold(e.text):
            groups.setdefault(fold(e.text), []).append(i)
    offices: dict[int, list[dict]] = {}
    for r in doc.relations:
        tail = doc.entities[r.tail]
        if tail.norm and "office" in tail.norm:
            offices.setdefault(r.head, []).append(tail.norm["office"])
    for name_key, idxs in groups.items():
        name = doc.entities[idxs[0]].text
        pp = conn.execute(
            "INSERT INTO page_people (document_id, person_id, name, name_key) VALUES (?, 0, ?, ?)",
            (doc_id, name, name_key),
        ).lastrowid
        conn.executemany(
            "INSERT INTO person_mentions (mention_id, page_person_id) VALUES (?, ?)",
            [(mention_ids[i], pp) for i in idxs],
        )
        keys = person_keys(o for i in idxs for o in offices.get(i, []))
        assign(conn, pp, name, name_key, keys)
