"""The directory of officials: mentions merged across case, spacing and tone placement."""

import unicodedata

from canbo.model.officials import name_key, officials, render_officials
from canbo.model.schema import Document, Entity, Relation


def ent(text, label, start):
    return Entity(start, start + len(text), label, text)


def test_tone_placement_and_nfd_give_one_key():
    assert name_key("uỷ") == name_key("ủy")
    assert name_key("Ðỗ Văn Hoà") == name_key("Đỗ văn hòa")  # U+00D0 and the old placement
    assert name_key("Lê Văn Thuỵ") == name_key(unicodedata.normalize("NFD", "lê  văn Thụy"))
    assert name_key("Lê Văn Hà") != name_key("Lê Văn Ha")


def test_mentions_merge_and_positions_dedupe_in_order():
    text = "x" * 200
    e = [
        ent("Lê Văn Thuỵ", "PERSON", 0),
        ent("Bí thư Huyện uỷ", "POSITION", 20),
        ent("Lê Văn Thụy", "PERSON", 60),
        ent("Bí thư Huyện ủy", "POSITION", 80),
        ent("Chủ tịch HĐND huyện", "POSITION", 100),
        ent("Trần Thị Mai", "PERSON", 140),
    ]
    doc = Document(text, e, [Relation(0, 1, "HAS_POSITION"), Relation(2, 3, "HAS_POSITION"), Relation(2, 4, "HAS_POSITION")])
    rows = officials(doc)
    assert [r["person"] for r in rows] == ["Lê Văn Thuỵ", "Trần Thị Mai"]
    assert rows[0]["mentions"] == 2 and rows[0]["positions"] == ["Bí thư Huyện uỷ", "Chủ tịch HĐND huyện"]
    assert rows[1]["positions"] == []


def test_render_formats():
    rows = [[{"person": "A B", "positions": ["Bí thư"], "mentions": 1}]]
    assert render_officials(rows, ["f.txt"], "csv").splitlines()[1] == "f.txt,A B,Bí thư,1"
    assert "A B: Bí thư" in render_officials(rows, ["f.txt"], "text")
    assert '"officials"' in render_officials(rows, ["f.txt"], "json")
