"""Real pages and bad input through ``main(argv)`` with the shipped model: no input fails the
others, every failure is one line naming its input, and output goes out input by input."""

from __future__ import annotations

import json
import sys

import pytest

from canbo.model.cli import main

GOOD = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."
ETH = "Ðồng chí Nguyễn Văn An, Chủ tịch UBND xã Tân Lập phát biểu tại hội nghị."  # U+00D0, not Đ
TYPO = "Nghành nông nghiệp huyện đã qui định lại lịch thời vụ tại Qui Nhơn."


def officials_line(n: int) -> str:
    names = ["Lê Văn An", "Trần Thị Bình", "Phạm Quốc Cường", "Vũ Đức Dũng"]
    return "Dự hội nghị có các đồng chí: " + "; ".join(
        f"{names[k % 4]}, Chủ tịch UBND xã số {k}" for k in range(n)
    ) + "."


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def test_folder_with_rewritten_words_a_huge_line_and_a_binary_file(tmp_path, capsys):
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    texts = {"a.txt": GOOD, "b.txt": ETH, "c.txt": TYPO, "sub/d.txt": officials_line(2000)}
    for name, text in texts.items():
        (pages / name).write_text(text, encoding="utf-8")
    (pages / "e.txt").write_bytes(b"\x00\x01binary\x02")
    code, out, err = run(["predict", "-f", "jsonl", str(pages)], capsys)
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("canbo: error:")]
    assert len(errors) == 1 and "e.txt" in errors[0] and "binary" in errors[0]
    rows = {json.loads(line)["source"]: json.loads(line) for line in out.splitlines()}
    assert set(rows) == {str(pages / n) for n in texts}
    for name, text in texts.items():
        row = rows[str(pages / name)]
        assert row["text"] == text
        for e in row["entities"]:
            assert text[e["start"] : e["end"]] == e["text"]
    eth = rows[str(pages / "b.txt")]
    assert any(e["text"] == "Nguyễn Văn An" and e["label"] == "PERSON" for e in eth["entities"])
    huge = rows[str(pages / "sub/d.txt")]
    assert sum(e["label"] == "PERSON" for e in huge["entities"]) > 1000
    assert len(huge["relations"]) > 1000  # local pairs are still linked after the distance cap


def test_output_destination_is_checked_before_any_work(tmp_path, capsys, monkeypatch):
    import canbo.model.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "load", lambda *a, **k: pytest.fail("the model was loaded first"))
    code, _, err = run(["predict", "-o", str(tmp_path / "missing" / "out.json"), GOOD], capsys)
    assert code == 2 and "cannot write the output file" in err


def test_empty_argument_is_an_empty_text_and_pathlike_texts_are_texts(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text(GOOD, encoding="utf-8")  # would be read if "" meant the folder
    code, out, err = run(["predict", "-f", "jsonl", "", "TP.HCM", "1.528", "data"], capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in rows] == ["", "TP.HCM", "1.528", "data"]
    assert rows[0]["entities"] == [] and all(r["source"] == "<text>" for r in rows)


def test_text_flag_reads_an_existing_file_name_as_text(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").write_text(GOOD, encoding="utf-8")
    _, out, _ = run(["predict", "-f", "jsonl", "--text", "data"], capsys)
    assert json.loads(out)["text"] == "data"


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "x"])
def test_bad_batch_size_is_one_sentence(value, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["predict", "--batch-size", value, GOOD])
    assert exc.value.code == 2 and "at least 1" in capsys.readouterr().err


def test_closed_stdin_and_undecodable_argument(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    code, out, err = run(["predict", "-f", "jsonl", "-", "caf\udce9", GOOD], capsys)
    assert code == 1
    assert "standard input is closed" in err and "argument 2 is not valid UTF-8" in err
    assert [json.loads(line)["text"] for line in out.splitlines()] == [GOOD]


def test_json_output_is_a_valid_array_written_input_by_input(tmp_path, capsys):
    out_file = tmp_path / "out.json"
    code, _, _ = run(["predict", "-f", "json", "-o", str(out_file), GOOD, ETH], capsys)
    docs = json.loads(out_file.read_text(encoding="utf-8"))
    assert code == 0 and [d["text"] for d in docs] == [GOOD, ETH]


def test_predict_with_a_list_points_to_predict_batch():
    from canbo.model import load

    with pytest.raises(TypeError, match="predict_batch"):
        load().predict([GOOD])
