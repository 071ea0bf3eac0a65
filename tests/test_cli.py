"""CLI smoke tests through main(argv): every output format and every bad input."""

import json
import subprocess
import sys

import pytest

from canbo.model.cli import main
from canbo.model.formats import FORMATS

SENT = "Đồng chí Lê Minh Khoa, Bí thư Huyện ủy Tam Nông chủ trì hội nghị."


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and "canbo" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format(tiny_model_dir, capsys, fmt):
    code, out, _ = run(["predict", "--model", str(tiny_model_dir), "--format", fmt, SENT], capsys)
    assert code == 0 and ("Lê Minh Khoa" in out or "Lê_Minh_Khoa" in out)
    if fmt == "json":
        doc = json.loads(out)
        assert set(doc) == {"text", "date", "entities", "relations"}  # date: the page's (model.normalise)
        assert all("as_of" in e["norm"] for e in doc["entities"])
    if fmt == "jsonl":
        assert json.loads(out.splitlines()[0])["source"] == "<text>"
    if fmt == "conll":
        assert "Lê_Minh_Khoa\tB-PERSON" in out
    if fmt == "html":
        assert out.startswith("<!DOCTYPE html>") and "<mark" in out and "&rarr;" in out
    if fmt == "table":
        assert "PERSON" in out and "->" in out


@pytest.mark.slow
def test_json_contract_offsets_into_file(tiny_model_dir, tmp_path):
    f = tmp_path / "page.txt"
    f.write_text("image advertisement\n\n" + SENT + "\nLượt xem: 5\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "canbo", "predict", "--model", str(tiny_model_dir), "--format", "json", str(f)],
        capture_output=True, text=True, check=True,
    )
    doc = json.loads(proc.stdout)
    text = f.read_bytes().decode("utf-8")
    assert doc["text"] == text
    for e in doc["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
    assert any(e["label"] == "PERSON" for e in doc["entities"])


@pytest.mark.slow
def test_bad_file_does_not_lose_the_others(tiny_model_dir, tmp_path, capsys):
    good = tmp_path / "a.txt"
    good.write_text(SENT, encoding="utf-8")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    latin = tmp_path / "c.txt"
    latin.write_bytes("Thành phố Đà Nẵng".encode("latin-1", "replace") + b" \xe0\xe1 \xd0")
    utf16 = tmp_path / "d.txt"
    utf16.write_bytes(SENT.encode("utf-16"))
    missing = str(tmp_path / "none.txt")
    code, out, err = run(
        ["predict", "--model", str(tiny_model_dir), "-f", "jsonl", str(good), str(binary), str(latin), str(utf16), missing],
        capsys,
    )
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["source"] for r in rows] == [str(good), str(utf16), "<text>"]
    assert rows[1]["text"] == SENT and rows[2]["text"] == missing  # only an existing path is a file
    assert "binary" in err and "not UTF-8" in err and f"no file {missing} exists" in err
    assert err.count("canbo: error:") == 2


@pytest.mark.slow
def test_folder_without_text_and_stdin(tiny_model_dir, tmp_path, capsys, monkeypatch):
    (tmp_path / "empty").mkdir()
    code, _, err = run(["predict", "--model", str(tiny_model_dir), str(tmp_path / "empty")], capsys)
    assert code == 1 and "no text files" in err
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SENT.encode()), encoding="utf-8"))
    code, out, _ = run(["predict", "--model", str(tiny_model_dir), "-f", "json", "-"], capsys)
    assert code == 0 and json.loads(out)["text"] == SENT


def test_missing_model_and_offline_hub_id(capsys, tmp_path):
    code, _, err = run(["predict", "--model", str(tmp_path / "nomodel"), SENT], capsys)
    assert code == 2 and "does not exist" in err
    code, _, err = run(["predict", "--model", "someone/some-model", SENT], capsys)
    assert code == 2 and "Could not download 'someone/some-model'" in err and err.count("\n") == 1


@pytest.mark.slow
def test_officials_formats(tiny_model_dir, capsys):
    text = SENT + " Sau đó, đồng chí Lê Minh Khoa kết luận hội nghị."
    code, out, _ = run(["officials", "--model", str(tiny_model_dir), "-f", "json", text], capsys)
    table = json.loads(out)[0]["officials"]
    assert code == 0 and table[0]["person"] == "Lê Minh Khoa" and table[0]["mentions"] == 2
    assert "Bí thư Huyện ủy Tam Nông" in table[0]["positions"]
    code, out, _ = run(["officials", "--model", str(tiny_model_dir), "-f", "csv", SENT], capsys)
    assert out.splitlines()[0] == "source,person,positions,mentions"


def test_unknown_option_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["predict", "--no-such-flag", SENT])
    assert exc.value.code == 2


def test_train_help_lists_typed_options(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    assert "--head_learning_rate" in capsys.readouterr().out


def test_train_rejects_unknown_config_key(tmp_path, capsys):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("epochs: 2\nlearning_rat: 0.1\n")
    code, _, err = run(["train", "--config", str(cfg)], capsys)
    assert code == 2 and "unknown config keys learning_rat" in err


def test_train_refuses_agpl_backbone_without_opt_in(capsys):
    code, _, err = run(["train", "--backbone", "vinai/phobert-base-v2"], capsys)
    assert code == 2 and "AGPL" in err
