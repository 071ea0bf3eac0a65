"""Mention replacement keeps offsets exact, relations attached and output valid, reproducibly."""

from __future__ import annotations

from canbo.model.schema import Document, Entity, Relation
from canbo.model.validation import validate_record
from canbo.train.augment import replace_mentions

DOC = Document(
    text="Đồng chí Lê Văn An, Bí thư Huyện ủy Tam Nông, làm việc với UBND xã Hùng Đô, tỉnh Phú Thọ.",
    entities=[
        Entity(9, 18, "PERSON", "Lê Văn An"),
        Entity(20, 44, "POSITION", "Bí thư Huyện ủy Tam Nông"),
        Entity(59, 74, "ORG", "UBND xã Hùng Đô"),
        Entity(81, 88, "LOCATION", "Phú Thọ"),
    ],
    relations=[Relation(0, 1, "HAS_POSITION")],
    id="x1",
)
OTHER = Document(
    text="Chủ tịch HĐND huyện Cẩm Khê dự họp tại Đảng ủy xã Tạ Xá.",
    entities=[Entity(0, 27, "POSITION", "Chủ tịch HĐND huyện Cẩm Khê"), Entity(39, 56, "ORG", "Đảng ủy xã Tạ Xá")],
    id="x2",
)


def test_offsets_exact_relations_kept_and_valid():
    out = replace_mentions([DOC, OTHER], seed=3, p=1.0, copies=3)
    assert len(out) == 6
    for d in out:
        assert not validate_record(d.to_gold_dict())
        for e in d.entities:
            assert d.text[e.start : e.end] == e.text
        if d.id.startswith("x1"):
            assert [e.label for e in d.entities] == ["PERSON", "POSITION", "ORG", "LOCATION"]
            assert [(r.head, r.tail) for r in d.relations] == [(0, 1)]
            assert d.text.startswith("Đồng chí ") and d.text.endswith(".")
    assert any(d.entities[0].text != "Lê Văn An" for d in out if d.id.startswith("x1"))


def test_same_seed_same_copies_other_seed_other_copies():
    a = [d.to_gold_dict() for d in replace_mentions([DOC, OTHER], seed=5)]
    b = [d.to_gold_dict() for d in replace_mentions([DOC, OTHER], seed=5)]
    c = [d.to_gold_dict() for d in replace_mentions([DOC, OTHER], seed=6)]
    assert a == b and a != c


def test_documents_without_replaceable_entities_give_no_copy():
    plain = Document(text="Tăng 12% so với cùng kỳ.", entities=[Entity(5, 8, "METRIC", "12%")], id="m")
    assert replace_mentions([plain], seed=1) == []
