"""``canbo index --from DIR``: predictions made elsewhere (Ray shards, ``canbo predict -f jsonl``)
stored as they are, with no model run, the same rows as indexing the pages themselves."""

import json
import sqlite3

import pytest

from canbo.model.cli import main

PAGES = {
    "a.txt": "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị.\n"
    "Năm 2023, thu ngân sách trên địa bàn huyện đạt 1.528 tỷ đồng.",
    "b.txt": "Chủ tịch UBND huyện Kiến Thụy Nguyễn Văn An phát biểu tại buổi lễ.",
}
ROWS = {  # what a page leaves in the directory, without row ids or versions
    "documents": "SELECT source, content_hash, date FROM documents ORDER BY 1",
    "mentions": "SELECT d.source, m.label, m.start, m.end, m.text, m.origin, m.as_of, m.norm FROM mentions m "
    "JOIN documents d ON d.id = m.document_id ORDER BY 1, 3",
    "relations": "SELECT h.text, t.text, r.label FROM relations r JOIN mentions h ON h.id = r.head_id "
    "JOIN mentions t ON t.id = r.tail_id ORDER BY 1, 2",
    "offices": "SELECT office_key, title, organ, level, locality, unit, inferred FROM offices ORDER BY 1",
    "figures": "SELECT m.text, f.value, f.unit, f.place FROM figures f JOIN mentions m ON m.id = f.mention_id "
    "ORDER BY 1",
    "people": "SELECT name FROM people ORDER BY 1",
}


def rows(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {k: conn.execute(q).fetchall() for k, q in ROWS.items()}
    finally:
        conn.close()


@pytest.fixture()
def pages(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def predictions(tmp_path, pages, default_pipeline, monkeypatch, version="v1"):
    """A shard folder as the Ray engine writes it: canbo predict -f jsonl lines with a model_version."""
    monkeypatch.setattr("canbo.model.pipeline.load", lambda *a, **k: default_pipeline)
    assert main(["predict", "-f", "jsonl", "-o", str(tmp_path / "one.jsonl"), str(pages)]) == 0
    monkeypatch.undo()
    shards = tmp_path / "shards"
    shards.mkdir(exist_ok=True)
    lines = [json.loads(line) for line in (tmp_path / "one.jsonl").open(encoding="utf-8")]
    for k, rec in enumerate(lines):
        (shards / f"shard-{k}.jsonl").write_text(json.dumps({**rec, "model_version": version}, ensure_ascii=False) + "\n")
    return shards


def test_index_from_predictions_stores_what_indexing_the_pages_stores(tmp_path, pages, default_pipeline, monkeypatch, capsys):
    shards = predictions(tmp_path, pages, default_pipeline, monkeypatch)
    monkeypatch.setattr("canbo.model.pipeline.load", lambda *a, **k: default_pipeline)
    assert main(["index", str(pages), "--db", str(tmp_path / "direct.sqlite")]) == 0
    monkeypatch.setattr("canbo.model.pipeline.load", lambda *a, **k: pytest.fail("--from must not load a model"))
    assert main(["index", "--from", str(shards), "--db", str(tmp_path / "from.sqlite")]) == 0
    assert "2 pages: 2 new" in capsys.readouterr().err
    direct, ingested = rows(tmp_path / "direct.sqlite"), rows(tmp_path / "from.sqlite")
    assert all(ingested[k] for k in ("mentions", "relations", "offices", "figures"))
    assert ingested == direct
    conn = sqlite3.connect(tmp_path / "from.sqlite")
    assert {v for (v,) in conn.execute("SELECT model_version FROM documents")} == {"v1"}
    conn.close()


def test_index_from_skips_unchanged_reindexes_a_new_version_and_reports_bad_lines(
    tmp_path, pages, default_pipeline, monkeypatch, capsys
):
    shards = predictions(tmp_path, pages, default_pipeline, monkeypatch)
    monkeypatch.setattr("canbo.model.pipeline.load", lambda *a, **k: pytest.fail("--from must not load a model"))
    db = str(tmp_path / "d.sqlite")
    assert main(["index", "--from", str(shards), "--db", db]) == 0
    assert main(["index", "--from", str(shards), "--db", db]) == 0
    assert "2 skipped (unchanged)" in capsys.readouterr().err

    first = json.loads((shards / "shard-0.jsonl").read_text(encoding="utf-8"))
    moved = {**first, "source": "elsewhere", "entities": [{**first["entities"][0], "start": first["entities"][0]["start"] + 1}]}
    (shards / "shard-0.jsonl").write_text(json.dumps({**first, "model_version": "v2"}, ensure_ascii=False) + "\n")
    (shards / "bad.jsonl").write_text("{not json\n" + json.dumps(moved, ensure_ascii=False) + "\n")
    (shards / "errors.jsonl").write_text(json.dumps({"source": "c.txt", "error": "prediction failed (boom)"}) + "\n")
    assert main(["index", "--from", str(shards), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "1 re-indexed, 1 skipped (unchanged), 3 failed" in err
    assert f"{shards / 'bad.jsonl'}:1: not JSON" in err
    assert f"{shards / 'bad.jsonl'}:2: not a predicted document (entity" in err
    assert "c.txt: prediction failed (boom)" in err
    conn = sqlite3.connect(db)
    assert sorted(v for (v,) in conn.execute("SELECT model_version FROM documents")) == ["v1", "v2"]
    conn.close()


def test_pages_and_predictions_in_one_run(tmp_path, pages, default_pipeline, monkeypatch, capsys):
    shards = predictions(tmp_path, pages, default_pipeline, monkeypatch)
    more = tmp_path / "more"
    more.mkdir()
    (more / "c.txt").write_text("Bí thư Huyện ủy Thường Tín Nguyễn Tiến Minh phát biểu.", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    monkeypatch.setattr("canbo.model.pipeline.load", lambda *a, **k: default_pipeline)
    db = str(tmp_path / "d.sqlite")
    # --from takes one folder; the folder after it is a page argument, not another shard folder
    assert main(["index", "--from", str(shards), str(more), "--from", str(tmp_path / "empty"), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "4 pages: 3 new" in err and f"{tmp_path / 'empty'} has no .jsonl files" in err
    conn = sqlite3.connect(db)
    versions = dict(conn.execute("SELECT source, model_version FROM documents"))
    conn.close()
    assert sorted(versions.values(), key=lambda v: v != "v1")[:2] == ["v1", "v1"]  # the shards' own version
    assert len(set(versions.values())) == 2  # and the loaded model's for the page


def test_index_needs_pages_or_predictions(tmp_path, capsys):
    assert main(["index", "--db", str(tmp_path / "d.sqlite")]) == 2
    assert "--from DIR" in capsys.readouterr().err


def test_lines_without_a_model_version_are_replaced_when_their_predictions_change(
    tmp_path, pages, default_pipeline, monkeypatch, capsys
):
    shards = predictions(tmp_path, pages, default_pipeline, monkeypatch)
    monkeypatch.setattr("canbo.model.pipeline.load", lambda *a, **k: pytest.fail("--from must not load a model"))
    line = json.loads((shards / "shard-0.jsonl").read_text(encoding="utf-8"))
    del line["model_version"]
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(tmp_path / "d.sqlite")
    assert main(["index", "--from", str(plain), "--db", db]) == 0
    assert main(["index", "--from", str(plain), "--db", db]) == 0  # the same predictions: skipped
    line["entities"] = line["entities"][:1]
    line["relations"] = []
    plain.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["index", "--from", str(plain), "--db", db]) == 0  # other predictions of the same text
    err = capsys.readouterr().err
    assert "1 new" in err and "1 skipped (unchanged)" in err and "1 re-indexed" in err
    conn = sqlite3.connect(db)
    (version,), = conn.execute("SELECT model_version FROM documents")
    assert version.startswith("unrecorded-") and conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] == 1
    conn.close()
