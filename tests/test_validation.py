"""`canbo data validate` accepts the gold corpus and rejects each kind of bad line clearly."""

import json
from pathlib import Path

import pytest

from canbo.model.cli import main
from canbo.model.validation import validate_file, validate_line

GOOD = {
    "id": "x1",
    "text": "Bí thư Huyện ủy Lê Văn An phát biểu.",
    "entities": [
        {"id": "T1", "start": 0, "end": 15, "label": "POSITION", "text": "Bí thư Huyện ủy"},
        {"id": "T2", "start": 16, "end": 25, "label": "PERSON", "text": "Lê Văn An"},
    ],
    "relations": [{"head": "T2", "tail": "T1", "label": "HAS_POSITION"}],
}


def variant(**changes):
    rec = json.loads(json.dumps(GOOD))
    for path, value in changes.items():
        target = rec
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[int(k)] if k.isdigit() else target[k]
        last = keys[-1]
        target[int(last) if last.isdigit() else last] = value
    return json.dumps(rec, ensure_ascii=False)


CASES = {
    "bad JSON": ("{not json", "bad JSON"),
    "unknown label": (variant(entities__0__label="TITLE"), "unknown label"),
    "out of range": (variant(entities__1__end=99), "out of range"),
    "text mismatch": (variant(entities__1__text="Lê Văn Ân"), "does not match"),
    "whitespace edge": (variant(entities__1__start=15, entities__1__text=" Lê Văn An"), "whitespace or punctuation"),
    "overlap": (variant(entities__1__start=7, entities__1__text="Huyện ủy Lê Văn An"), "overlap"),
    "missing id": (variant(relations__0__head="T9"), "missing entity id"),
    "wrong types": (variant(relations__0__head="T1", relations__0__tail="T2"), "expected PERSON -> POSITION"),
    "duplicate id": (variant(entities__1__id="T1", relations=[]), "used twice"),
}


def run(tmp_path: Path, line: str, capsys):
    f = tmp_path / "x.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    code = main(["data", "validate", str(f)])
    return code, capsys.readouterr()


@pytest.mark.parametrize("name", sorted(CASES))
def test_rejects_with_file_line_and_reason(tmp_path, capsys, name):
    line, reason = CASES[name]
    code, out = run(tmp_path, line, capsys)
    assert code == 1
    assert f"{tmp_path / 'x.jsonl'}:1:" in out.err and reason in out.err
    assert "Traceback" not in out.err


def test_accepts_good_line(tmp_path, capsys):
    code, out = run(tmp_path, json.dumps(GOOD, ensure_ascii=False), capsys)
    assert code == 0 and "all valid" in out.out


def test_non_utf8_and_missing_file(tmp_path, capsys):
    bad = tmp_path / "latin.jsonl"
    bad.write_bytes("{\"text\": \"Huy\xean\"}".encode("latin-1"))
    assert main(["data", "validate", str(bad), str(tmp_path / "nope.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "cannot be read" in err


def test_gold_corpus_is_valid(capsys):
    files = sorted(str(p) for p in (Path(__file__).parents[1] / "data" / "annotated").glob("*.jsonl"))
    assert len(files) == 4
    assert main(["data", "validate", *files]) == 0


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"text": "ab", "entities": [{"id": "T1", "start": 0, "end": 1, "label": "PERSON"}], '
         '"relations": [{"head": ["T1"], "tail": "T1", "label": "HAS_POSITION"}]}', "missing entity id"),
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
        ('{"text": "a", "n": ' + "9" * 5000 + "}", "bad JSON"),
        ('{"text": "a", "entities": [{"id": "T1", "start": 0, "end": 1, "label": ["PERSON"]}]}', "unknown label"),
    ],
)
def test_hostile_lines_are_one_error_each(line, reason):
    _, problems = validate_line(line)
    assert problems and reason in problems[0]


def test_validation_goes_on_after_hostile_lines(tmp_path):
    f = tmp_path / "g.jsonl"
    f.write_text("[" * 100000 + "\n" + '{"text": "a", "entities": [], "relations": []}\n{"x": 1}\n', encoding="utf-8")
    count, errors = validate_file(f)
    assert count == 3 and [e.split(":")[1] for e in errors] == ["1", "3"]


def test_what_validates_also_loads(tmp_path):
    from canbo.model.schema import read_jsonl

    f = tmp_path / "g.jsonl"
    f.write_text('{"text": "Lê An", "entities": [{"id": "T1", "start": 0, "end": 5, "label": "PERSON"}]}\n'
                 '{"text": "không có gì"}\n', encoding="utf-8")
    assert validate_file(f) == (2, [])
    docs = read_jsonl(f)
    assert docs[0].entities[0].text == "Lê An" and docs[1].entities == []


def test_jsonl_round_trip_keeps_hostile_strings(tmp_path):
    from canbo.model.schema import Document, Entity, read_jsonl, write_jsonl

    hostile = ["a\u2028b", "c\u0085d", "e\u2029f\x1cg", "h\r\ni", "j\u000bk\u000cl", "Ðồng\u200bchí"]
    docs = [Document(text=t + " Lê An", entities=[Entity(len(t) + 1, len(t) + 6, "PERSON", "Lê An")], id=f"x{i}")
            for i, t in enumerate(hostile)]
    write_jsonl(docs, tmp_path / "h.jsonl")
    back = read_jsonl(tmp_path / "h.jsonl")
    assert [d.text for d in back] == [d.text for d in docs] and validate_file(tmp_path / "h.jsonl")[1] == []
