"""The officials directory: canbo index / canbo query on the raw pages with the shipped model,
people merged only on name + office or locality, kill-and-resume, re-index, clear errors."""

import json
import sqlite3
from pathlib import Path

import pytest

from canbo.model.cli import main
from canbo.model.directory import Directory, DirectoryError, store
from canbo.model.normalise import normalise_document
from canbo.model.schema import Document, Entity, Relation

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
TABLES = (
    "documents",
    "sentences",
    "mentions",
    "relations",
    "offices",
    "figures",
    "people",
    "page_people",
    "merges",
)


@pytest.fixture(scope="module")
def pipe():
    from canbo.model import _pipeline

    return _pipeline()  # the shipped default model, loaded once


@pytest.fixture(scope="module")
def raw_db(tmp_path_factory, pipe):
    """The four raw pages indexed once through the CLI (its model load replaced by the loaded default)."""
    db = tmp_path_factory.mktemp("directory") / "directory.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("canbo.model.pipeline.load", lambda *a, **k: pipe)
        assert main(["index", str(RAW), "--db", str(db)]) == 0
    return db


def _query(capsys, *argv):
    assert main(["query", *argv]) == 0
    return capsys.readouterr().out


def counts(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


@pytest.mark.slow  # indexes the four raw pages once for the module (with the model load, ~15 s)
def test_done_when_office_query_names_the_holder_with_date_and_sentence(raw_db, capsys):
    out = _query(
        capsys,
        "office",
        "Bí thư Huyện ủy",
        "--locality",
        "Thủy Nguyên",
        "--format",
        "json",
        "--db",
        str(raw_db),
    )
    rows = json.loads(out)
    assert rows and {r["person"] for r in rows} == {"Phạm Văn Thép"}
    first = rows[0]
    assert first["source"].endswith("001_7c2a4d989f25be59.txt")
    assert first["sentence"] == "Đồng chí Phạm Văn Thép, Thành ủy viên, Bí thư Huyện ủy chủ trì Hội nghị."
    assert (first["title"], first["organ"], first["level"], first["locality"]) == (
        "Bí thư",
        "Huyện ủy",
        "district",
        "Thủy Nguyên",
    )
    assert first["inferred"] is True  # "Bí thư Huyện ủy" does not say which district: the page does
    with Directory(raw_db) as d:
        page = d.document(first["document_id"])
        assert page["text"][first["sentence_start"] : first["sentence_end"]] == first["sentence"]
        # this page shows no date line (and "Chiều 12/12" has no year to take), so both dates are null
        assert page["date"] is None and first["as_of"] is None
        dated = [d.document(i) for i in range(1, 5)]
        assert {p["source"].rsplit("/", 1)[-1]: p["date"] for p in dated}[
            "002_e19b40a9a0a89ec6.txt"
        ] == "2023-10-31"


@pytest.mark.slow
def test_done_when_figures_of_other_pages_with_value_and_unit(raw_db, capsys):
    rows = json.loads(
        _query(capsys, "figures", "--locality", "Thường Tín", "--format", "json", "--db", str(raw_db))
    )
    budget = next(r for r in rows if r["text"] == "1.528 tỷ đồng")
    assert (budget["value"], budget["unit"], budget["as_of"]) == (1528e9, "VND", "2023-12-22")
    assert "Tổng thu ngân sách năm 2023" in budget["sentence"]
    rows = json.loads(
        _query(capsys, "figures", "--locality", "Thủy Nguyên", "--format", "json", "--db", str(raw_db))
    )
    revenue = next(r for r in rows if r["text"] == "2.962,29 tỷ đồng")
    assert (revenue["value"], revenue["unit"]) == (2962290000000.0, "VND")
    rows = json.loads(
        _query(capsys, "figures", "--locality", "Kim Sơn", "--format", "json", "--db", str(raw_db))
    )
    income = next(r for r in rows if r["text"] == "57,2 triệu đồng/người/ năm")
    assert (income["value"], income["unit"], income["per"], income["as_of"]) == (
        57.2e6,
        "VND",
        "person/year",
        "2023-10-31",
    )
    assert all("Thủy Nguyên" not in (r["place"] or "") for r in rows)


@pytest.mark.slow
def test_table_and_csv_formats(raw_db, capsys):
    table = _query(capsys, "office", "bí thư huyện uỷ", "--locality", "thuỷ nguyên", "--db", str(raw_db))
    assert table.splitlines()[0].split()[:3] == ["person_id", "person", "office"] and "Phạm Văn Thép" in table
    csv_out = _query(capsys, "person", "Phạm Văn Thép", "--format", "csv", "--db", str(raw_db))
    assert csv_out.startswith("person_id,person,office,") and "Thành ủy viên" in csv_out


@pytest.mark.slow
def test_python_api_matches_the_contract(raw_db):
    with Directory(raw_db) as d:
        rows = d.officials(office="Bí thư Huyện ủy", locality="Thủy Nguyên")
        assert set(rows[0]) >= {
            "person_id",
            "person",
            "office",
            "office_key",
            "title",
            "organ",
            "level",
            "locality",
            "inferred",
            "as_of",
            "document_id",
            "source",
            "sentence",
            "sentence_start",
            "sentence_end",
        }
        p = d.person(rows[0]["person_id"])
        assert p["name"] == "Phạm Văn Thép" and {o["office"] for o in p["offices"]} == {
            "Thành ủy viên",
            "Bí thư Huyện ủy",
        }
        assert d.person(10**6) is None and d.document(10**6) is None
        doc = d.document(rows[0]["document_id"])
        ent = doc["entities"][doc["relations"][0]["tail"]]
        assert ent["label"] == "POSITION" and "office" in ent["norm"]
        assert d.officials(
            person="Nguyễn Ngọc Tuấn"
        )  # by name, whatever the case of the mention ("Nguyễn Ngọc tuấn")


def _page(text: str, name: str, position: str) -> Document:
    """A page with one person holding one position (hand-made entities), normalised."""
    a, b = text.index(name), text.index(position)
    doc = Document(
        text=text,
        entities=[
            Entity(a, a + len(name), "PERSON", name),
            Entity(b, b + len(position), "POSITION", position),
        ],
        relations=[Relation(0, 1, "HAS_POSITION")],
    )
    return normalise_document(doc)


def _remove(conn, source: str) -> None:
    """Remove one page, in a transaction of its own, as re-indexing does."""
    conn.execute("BEGIN")
    store.remove_document(conn, conn.execute("SELECT id FROM documents WHERE source = ?", (source,)).fetchone()[0])
    conn.execute("COMMIT")


def _write(conn, source: str, doc: Document) -> None:
    conn.execute("BEGIN")
    store.write_document(conn, source, store.content_hash(doc.text), "test", doc)
    conn.execute("COMMIT")


def test_people_merge_only_on_name_and_office_or_locality(tmp_path):
    conn = store.connect(tmp_path / "p.sqlite", create=True)
    _write(
        conn,
        "a",
        _page(
            "Đồng chí Nguyễn Văn Hùng, Bí thư Huyện ủy Kiến Thụy phát biểu.",
            "Nguyễn Văn Hùng",
            "Bí thư Huyện ủy Kiến Thụy",
        ),
    )
    _write(
        conn,
        "b",
        _page(
            "Ông Nguyễn Văn Hùng, Bí thư Huyện uỷ Kiến Thuỵ dự lễ.",
            "Nguyễn Văn Hùng",
            "Bí thư Huyện uỷ Kiến Thuỵ",
        ),
    )
    _write(
        conn,
        "c",
        _page(
            "Ông Nguyễn Văn Hùng, Chủ tịch UBND huyện Kim Sơn dự lễ.",
            "Nguyễn Văn Hùng",
            "Chủ tịch UBND huyện Kim Sơn",
        ),
    )
    _write(
        conn,
        "d",
        _page(
            "Ông Nguyễn Văn Hùng, Chủ tịch Hội Nông dân huyện dự lễ.",
            "Nguyễn Văn Hùng",
            "Chủ tịch Hội Nông dân huyện",
        ),
    )
    _write(
        conn,
        "e",
        _page(
            "Ông Nguyễn Văn Hùng, Phó Chủ tịch UBND huyện Kiến Thụy dự lễ.",
            "Nguyễn Văn Hùng",
            "Phó Chủ tịch UBND huyện Kiến Thụy",
        ),
    )
    conn.close()
    with Directory(tmp_path / "p.sqlite") as d:
        people = d.people("nguyễn văn hùng")
        by_sources = sorted(sorted(o["source"] for o in p["offices"]) for p in people)
        # a, b: same office; e: same district; c: another district; d: no locality, so never merged on the name
        assert by_sources == [["a", "b", "e"], ["c"], ["d"]]
        merged = next(p for p in people if len(p["offices"]) == 3)
        assert {e["kind"] for e in merged["evidence"]} == {"office", "locality"}
        assert all(e["reason"].startswith("same name and same ") for e in merged["evidence"])


def test_removing_a_page_reclusters_its_people(tmp_path):
    db = tmp_path / "p.sqlite"
    conn = store.connect(db, create=True)
    _write(
        conn,
        "a",
        _page(
            "Ông Trần Văn Nam, Bí thư Huyện ủy Kiến Thụy dự lễ.", "Trần Văn Nam", "Bí thư Huyện ủy Kiến Thụy"
        ),
    )
    _write(
        conn,
        "b",
        _page(
            "Ông Trần Văn Nam, Phó Chủ tịch UBND huyện Kiến Thụy dự.",
            "Trần Văn Nam",
            "Phó Chủ tịch UBND huyện Kiến Thụy",
        ),
    )
    _write(
        conn,
        "c",
        _page(
            "Ông Trần Văn Nam, Bí thư Huyện ủy Kiến Thụy phát biểu.",
            "Trần Văn Nam",
            "Bí thư Huyện ủy Kiến Thụy",
        ),
    )
    assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1
    _remove(conn, "a")
    conn.close()
    with Directory(db) as d:
        people = d.people("Trần Văn Nam")
        # b and c still share the district, so they stay one person, with evidence of their own
        assert [sorted(o["source"] for o in p["offices"]) for p in people] == [["b", "c"]]
        assert people[0]["evidence"] and all(
            e["source"] != "a" and e["other_source"] != "a" for e in people[0]["evidence"]
        )


def test_kill_mid_batch_then_resume_loses_and_duplicates_nothing(tmp_path, monkeypatch):
    db = tmp_path / "k.sqlite"
    pages = sorted(str(p) for p in RAW.glob("*.txt"))
    real = store.write_document
    calls = {"n": 0}

    def dying(conn, *args):
        calls["n"] += 1
        if calls["n"] == 3:  # the third page's rows are half written when the run is interrupted
            real(conn, *args)
            raise KeyboardInterrupt
        return real(conn, *args)

    monkeypatch.setattr(store, "write_document", dying)
    with pytest.raises(KeyboardInterrupt):
        store.index_pages(db, store.iter_pages(pages), RulesOnly(), "v", pages_per_batch=1)
    assert counts(db)["documents"] == 2  # two committed batches, nothing of the third
    monkeypatch.setattr(store, "write_document", real)
    summary = store.index_pages(db, store.iter_pages(pages), RulesOnly(), "v", pages_per_batch=1)
    assert (summary.pages, summary.new, summary.skipped, summary.failed) == (4, 2, 2, [])
    clean = tmp_path / "c.sqlite"
    store.index_pages(clean, store.iter_pages(pages), RulesOnly(), "v", pages_per_batch=1)
    assert (
        counts(db) == counts(clean) and counts(db)["mentions"] > 0
    )  # the same rows as one uninterrupted run


def test_unchanged_pages_are_skipped_and_a_new_model_version_reindexes(tmp_path, pipe):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(
        "Đồng chí Phạm Văn Thép, Bí thư Huyện ủy Thủy Nguyên chủ trì hội nghị.\n", encoding="utf-8"
    )
    (pages / "b.txt").write_text(
        "Chiều 12/12, ông Nguyễn Huy Hoàng, Chủ tịch UBND huyện Thủy Nguyên phát biểu.\n", encoding="utf-8"
    )
    db = tmp_path / "r.sqlite"
    first = store.index_pages(db, store.iter_pages([str(pages)]), pipe, "v1")
    before = counts(db)
    again = store.index_pages(db, store.iter_pages([str(pages)]), pipe, "v1")
    assert (first.new, again.new, again.skipped) == (2, 0, 2)
    newer = store.index_pages(db, store.iter_pages([str(pages)]), pipe, "v2")
    assert (newer.new, newer.reindexed, newer.skipped) == (0, 2, 0)
    assert counts(db) == before
    (pages / "b.txt").write_text(
        "Ông Nguyễn Huy Hoàng, Chủ tịch UBND huyện Thủy Nguyên phát biểu.\n", encoding="utf-8"
    )
    changed = store.index_pages(db, store.iter_pages([str(pages)]), pipe, "v2")
    assert (changed.reindexed, changed.skipped) == (1, 1)
    conn = sqlite3.connect(db)
    assert {r[0] for r in conn.execute("SELECT model_version FROM documents")} == {"v2"}
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2


def test_jsonl_pages_with_urls_dates_and_bad_lines(tmp_path, pipe):
    f = tmp_path / "pages.jsonl"
    f.write_text(
        json.dumps(
            {
                "url": "https://x.vn/a",
                "text": "Ông Phạm Văn Thép, Bí thư Huyện ủy Thủy Nguyên, dự lễ. Sáng 25/12 khai mạc.",
                "date": "2024-01-05",
            },
            ensure_ascii=False,
        )
        + "\nnot json\n"
        + json.dumps({"url": "https://x.vn/b"})
        + "\n"
        + json.dumps({"url": "https://x.vn/c", "text": "x", "date": "05/01/2024"})
        + "\n",
        encoding="utf-8",
    )
    summary = store.index_pages(
        tmp_path / "j.sqlite", store.iter_pages([str(f), str(tmp_path / "missing.txt")]), pipe, "v"
    )
    assert (summary.pages, summary.new) == (5, 1)
    assert [r.split(":")[-1].strip()[:8] for r in summary.failed[:2]] == ["not JSON", "a record"]
    assert '"date" must be a date written YYYY-MM-DD' in summary.failed[2]
    assert summary.failed[3].endswith("missing.txt does not exist")
    with Directory(tmp_path / "j.sqlite") as d:
        doc = d.document(1)
        assert (doc["source"], doc["date"]) == ("https://x.vn/a", "2024-01-05")  # the record's date


def test_clear_errors_for_missing_or_foreign_files(tmp_path, capsys):
    with pytest.raises(DirectoryError, match="does not exist"):
        Directory(tmp_path / "none.sqlite")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(DirectoryError, match="not a canbo directory"):
        Directory(other)
    text = tmp_path / "notes.txt"
    text.write_text("hello " * 200)
    with pytest.raises(DirectoryError, match="not a canbo directory"):
        Directory(text)
    assert main(["query", "office", "Bí thư", "--db", str(tmp_path / "none.sqlite")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("canbo: error: ") and err.count("\n") == 1


def test_removing_the_only_link_splits_a_person(tmp_path):
    db = tmp_path / "s.sqlite"
    conn = store.connect(db, create=True)
    text = "Ông Lê Văn Tám, Bí thư Huyện ủy Kiến Thụy, nguyên Chủ tịch UBND huyện Kim Sơn dự lễ."
    name, p1, p2 = "Lê Văn Tám", "Bí thư Huyện ủy Kiến Thụy", "Chủ tịch UBND huyện Kim Sơn"
    a = Document(
        text,
        [
            Entity(text.index(name), text.index(name) + len(name), "PERSON", name),
            Entity(text.index(p1), text.index(p1) + len(p1), "POSITION", p1),
            Entity(text.index(p2), text.index(p2) + len(p2), "POSITION", p2),
        ],
        [Relation(0, 1, "HAS_POSITION"), Relation(0, 2, "HAS_POSITION")],
    )
    _write(conn, "b", _page("Ông Lê Văn Tám, Bí thư Huyện ủy Kiến Thụy dự lễ.", name, p1))
    _write(conn, "c", _page("Ông Lê Văn Tám, Chủ tịch UBND huyện Kim Sơn dự lễ.", name, p2))
    assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 2
    _write(conn, "a", normalise_document(a))  # the page that links both
    assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1
    _remove(conn, "a")
    conn.close()
    with Directory(db) as d:
        people = d.people(name)
        assert sorted(sorted(o["source"] for o in p["offices"]) for p in people) == [["b"], ["c"]]
        assert all(p["evidence"] == [] for p in people)


HARD_KILL = r"""
import os, signal, sys
from canbo.model.directory import store
from canbo.model.features import rule_extractor
from canbo.model.normalise import normalise_document

class RulesOnly:  # a stand-in pipeline: the rule extractor's entities, normalised
    def predict_batch(self, texts, batch_size=32):
        return [normalise_document(rule_extractor().predict(t)) for t in texts]

real = store.write_document
calls = {"n": 0}
def dying(conn, *args):
    calls["n"] += 1
    if calls["n"] == 3 and sys.argv[2] == "kill":
        real(conn, *args)  # the third page is fully written inside its open transaction...
        os.kill(os.getpid(), signal.SIGKILL)  # ...when the process is killed: no rollback, no commit
    return real(conn, *args)
store.write_document = dying
pages = sys.argv[3:]
s = store.index_pages(sys.argv[1], store.iter_pages(pages), RulesOnly(), "v", pages_per_batch=1)
print(s.new, s.skipped)
"""


@pytest.mark.slow  # three Python processes
def test_hard_kill_then_resume(tmp_path):
    import os
    import subprocess
    import sys

    script = tmp_path / "run.py"
    script.write_text(HARD_KILL, encoding="utf-8")
    pages = sorted(str(p) for p in RAW.glob("*.txt"))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__import__("canbo").__file__).parent.parent), *sys.path]),
    }
    killed = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "k.sqlite"), "kill", *pages],
        env=env,
        capture_output=True,
        text=True,
    )
    assert killed.returncode == -9, killed.stderr
    assert counts(tmp_path / "k.sqlite")["documents"] == 2
    resumed = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "k.sqlite"), "run", *pages],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert resumed.stdout.split() == ["2", "2"]
    clean = store.index_pages(
        tmp_path / "c.sqlite", store.iter_pages(pages), RulesOnly(), "v", pages_per_batch=1
    )
    assert (clean.new, clean.skipped) == (4, 0)
    assert counts(tmp_path / "k.sqlite") == counts(tmp_path / "c.sqlite")


class RulesOnly:
    """The stand-in pipeline of HARD_KILL, for the uninterrupted run in this process."""

    def predict_batch(self, texts, batch_size=32):
        from canbo.model.features import rule_extractor

        return [normalise_document(rule_extractor().predict(t)) for t in texts]


def test_index_into_a_missing_folder_is_one_clear_error(tmp_path, capsys):
    assert main(["index", str(RAW), "--db", str(tmp_path / "no" / "d.sqlite")]) == 2
    assert "the folder" in capsys.readouterr().err


def test_a_page_that_cannot_be_stored_fails_alone(tmp_path, monkeypatch):
    pages = sorted(str(p) for p in RAW.glob("*.txt"))
    real = store.write_document

    def picky(conn, source, *args):
        if source.endswith("002_e19b40a9a0a89ec6.txt"):
            real(conn, source, *args)  # its rows are written, then it fails: they must go
            raise ValueError("disk says no")
        return real(conn, source, *args)

    monkeypatch.setattr(store, "write_document", picky)
    summary = store.index_pages(tmp_path / "f.sqlite", store.iter_pages(pages), RulesOnly(), "v")
    assert (summary.new, len(summary.failed)) == (3, 1)
    assert summary.failed[0].endswith("002_e19b40a9a0a89ec6.txt: could not be stored (disk says no)")
    conn = sqlite3.connect(tmp_path / "f.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM documents WHERE source LIKE '%002_%'").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(DISTINCT document_id) FROM mentions").fetchone()[0] == 3
