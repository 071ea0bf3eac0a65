"""Ray Data batch prediction (model.scale, ``canbo predict --engine ray``) on a local 2-CPU instance."""

from __future__ import annotations

import json

import pytest

from canbo.model.cli import main

ray = pytest.importorskip("ray")

PAGES = [
    "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị.",
    "Chủ tịch UBND huyện Kiến Thụy Nguyễn Văn An phát biểu. Tổng thu ngân sách đạt 1.528 tỷ đồng.",
]
RECORDS = [
    {"url": "https://example.org/a", "text": "Bí thư Huyện ủy Thường Tín Nguyễn Tiến Minh phát biểu.", "date": "2024-03-05"},
    {"url": "https://example.org/bad", "text": None},  # fails: reported, the others are kept
]


@pytest.mark.slow
def test_ray_engine_gives_the_single_process_records_and_reports_failures(tmp_path, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    files = []
    for k, text in enumerate(PAGES):
        files.append(pages / f"p{k}.txt")
        files[-1].write_text(text, encoding="utf-8")
    (pages / "feed.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), "utf-8"
    )
    (pages / "binary.txt").write_bytes(b"\x00\x01\x02")

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        code = main(["predict", "--engine", "ray", "--input", str(pages), "--output", str(tmp_path / "out"),
                     "--workers", "2"])  # fmt: skip
    finally:
        ray.shutdown()
    err = capsys.readouterr().err
    assert code == 1
    assert "https://example.org/bad: 'text' must be a string, not NoneType" in err
    assert "binary.txt is a binary file, not text" in err
    got = [json.loads(line) for f in sorted((tmp_path / "out").glob("shard-*.jsonl")) for line in f.open()]
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").open()]
    assert sorted(e["source"].rsplit("/", 1)[-1] for e in errors) == ["bad", "binary.txt"]

    # the same documents as the single-process CLI, in any order
    code = main(["predict", "--format", "jsonl", "-o", str(tmp_path / "one.jsonl"), *map(str, files)])
    assert code == 0
    want = [json.loads(line) for line in (tmp_path / "one.jsonl").open()]
    from canbo.model.normalise import with_page_date
    from canbo.model.pipeline import load

    record = with_page_date(load().predict(RECORDS[0]["text"]), RECORDS[0]["date"])  # the record's date wins
    want.append({"source": RECORDS[0]["url"], **record.to_dict()})
    assert want[-1]["date"] == "2024-03-05"
    from canbo.model.directory.store import model_version

    assert {r.pop("model_version") for r in got} == {model_version()}  # each line names its model
    key = lambda r: r["source"].rsplit("/", 1)[-1]  # noqa: E731 - ray reads absolute paths
    assert sorted(got, key=key) == sorted(want, key=key)
    assert len(got) == 3 and all(r["entities"] for r in got)

    # the shards feed the directory as they are: 3 pages stored, the 2 failures reported
    db = str(tmp_path / "directory.sqlite")
    assert main(["index", "--from", str(tmp_path / "out"), "--db", db]) == 1
    assert "5 pages: 3 new, 0 re-indexed, 0 skipped (unchanged), 2 failed" in capsys.readouterr().err


def test_ray_engine_needs_an_output_folder(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Bí thư phát biểu.", encoding="utf-8")
    assert main(["predict", "--engine", "ray", "--input", str(tmp_path / "a.txt")]) == 2
    assert "--output DIR" in capsys.readouterr().err
    assert main(["predict", "--engine", "ray", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 2
    assert "is not a file or folder" in capsys.readouterr().err
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "shard-1.jsonl").write_text("{}\n", encoding="utf-8")
    assert main(["predict", "--engine", "ray", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o")]) == 2
    assert "already holds shards of an earlier run" in capsys.readouterr().err
