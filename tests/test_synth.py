"""The synthetic data generator: deterministic, valid gold, and annotated by the guidelines."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from canbo.model.labels import ENTITY_LABELS
from canbo.model.schema import Document, read_jsonl
from canbo.model.validation import validate_record
from canbo.train import synth


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return synth.generate(300, seed=0)


def links(doc: Document) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {i: set() for i, e in enumerate(doc.entities) if e.label == "PERSON"}
    for r in doc.relations:
        out[r.head].add(r.tail)
    return out


def chain(doc: Document, p: int) -> set[int]:
    """The POSITIONs in apposition right after person ``p`` (", POS, POS" or " - POS")."""
    out, prev = set(), doc.entities[p]
    for i in range(p + 1, len(doc.entities)):
        e = doc.entities[i]
        if e.label != "POSITION" or doc.text[prev.end : e.start] not in (", ", " - ", " – "):
            break
        out.add(i)
        prev = e
    return out


def test_deterministic_for_a_seed(docs):
    again = synth.generate(300, seed=0)
    assert [d.to_gold_dict() for d in again] == [d.to_gold_dict() for d in docs]
    assert [d.text for d in synth.generate(30, seed=1)] != [d.text for d in docs[:30]]


def test_every_record_validates(docs):
    for d in docs:
        assert validate_record(d.to_gold_dict()) == [], d.text
        assert d.meta == {"doc": "synth"} and re.fullmatch(r"synth-\d{5}", d.id)
        assert [e.id for e in d.entities] == [f"T{i + 1}" for i in range(len(d.entities))]
    assert len({d.id for d in docs}) == len(docs)


def test_all_labels_and_relations_occur(docs):
    assert {e.label for d in docs for e in d.entities} == set(ENTITY_LABELS)
    assert sum(len(d.relations) for d in docs) >= 100
    assert len({d.text for d in docs}) > 290


def test_apposition_person_linked_to_all_and_only_its_titles():
    r = random.Random(3)
    for _ in range(40):
        d = synth.sentence("{Pc}{T*:3} chủ trì, {P}{T*:2} trao Bằng khen của {t:p:0.5} cho {M:tập thể:3-40}.", r)
        p1, p2 = [i for i, e in enumerate(d.entities) if e.label == "PERSON"]
        titles = [i for i, e in enumerate(d.entities) if e.label == "POSITION"]
        assert links(d) == {p1: set(titles[:3]), p2: set(titles[3:5])}, d.text
        assert chain(d, p1) == set(titles[:3]) and chain(d, p2) == set(titles[3:5])


def test_relations_follow_segments(docs):
    """In every generated sentence: a chain's titles belong to its person, no link crosses ';',
    and a title has at most one holder."""
    for d in docs:
        held = links(d)
        for p, qs in held.items():
            assert chain(d, p) <= qs, d.text
            for q in qs:
                a, b = sorted((d.entities[p].start, d.entities[q].start))
                assert ";" not in d.text[a:b], d.text
        tails = [r.tail for r in d.relations]
        assert len(tails) == len(set(tails)), d.text
    listed = [d for d in docs if sum(e.label == "PERSON" for e in d.entities) >= 2 and "; " in d.text]
    assert listed, "no list of officials in 300 sentences"


def test_positions_without_holder_and_elliptic_titles():
    r = random.Random(0)
    for tpl in synth.TEMPLATES:
        for variant in tpl if isinstance(tpl, tuple) else (tpl,):
            if "{P" in variant or "{p" in variant or "{B" in variant:
                continue
            d = synth.sentence(variant, r)
            assert d.relations == [], d.text
    d = synth.sentence("Tham dự có các đồng chí Bí thư, {E:POSITION:Phó Bí thư Đảng ủy} các xã.", r)
    assert [e.text for e in d.entities] == ["Phó Bí thư Đảng ủy"] and not d.relations


def test_dates_years_durations_are_not_metric(docs):
    texts = " ".join(d.text for d in docs)
    assert re.search(r"năm 20\d\d", texts) and re.search(r"\d+ năm\b", texts)
    for d in docs:
        pattern = r"năm 20\d\d|nhiệm kỳ 20\d\d - 20\d\d|\b\d+ (năm|tuổi|sao)\b|lần thứ \w+|khóa \w+|[Nn]gày [\d/]+|(Sáng|Chiều) [\d/]+"
        for m in re.finditer(pattern, d.text):
            assert not any(e.start < m.end() and m.start() < e.end for e in d.entities if e.label == "METRIC"), d.text
        for e in d.entities:
            if e.label == "METRIC":
                assert not re.fullmatch(r"(19|20)\d\d|\d+ (năm|tuổi)", e.text), (e.text, d.text)


def test_spans_follow_the_guidelines(docs):
    for d in docs:
        for e in d.entities:
            if e.label == "PERSON":
                assert not re.match(r"(?i)(đồng chí|ông|bà) ", e.text)
            if e.label == "LOCATION":  # name only: the unit word stays outside
                assert not re.match(r"(?i)(huyện|xã|tỉnh|phường|thị trấn|thị xã|quận|thành phố|TP) ", e.text)
            if e.label == "METRIC":
                assert not re.match(r"(hơn|trên|gần|khoảng|đạt|ước đạt|tăng|giảm) ", e.text)
            if e.label == "POSITION":
                assert not re.match(r"(nguyên|các|hiện là) ", e.text)


def test_number_format_and_tone_variants():
    r = random.Random(0)
    assert synth.fnum(r, 2962.29, 2962.29, 2) == "2.962,29"
    assert synth.fnum(r, 1528, 1528) == "1.528" and synth.fnum(r, 17.2, 17.2, 1) == "17,2"
    assert synth.new_style("Huyện ủy Thủy Nguyên, hòa, khỏe") == "Huyện uỷ Thuỷ Nguyên, hoà, khoẻ"
    for word in ("quý", "hoàn", "của", "mùa", "Quỳnh"):
        assert synth.new_style(word) == word


def test_gazetteers_are_clean():
    for name in ("surnames", "middle_names", "given_names", "titles", "organs", "provinces", "districts", "communes"):
        items = synth.gaz(name)
        assert items and len(items) == len(set(items)), name
    assert 5000 <= len(synth.gaz("communes")) <= 8000 and list(synth.gaz("communes")) == sorted(synth.gaz("communes"))
    # unit words were stripped, once: a name that still starts with one is the unit's own name ("Phường Đúc"
    # is written "Phường Phường Đúc" in the gazetteer)
    units = (Path(synth.__file__).parents[1] / "model" / "lexicon" / "units.tsv").read_text(encoding="utf-8")
    prefixed = [x for x in synth.gaz("districts") + synth.gaz("communes") if x.split()[0] in ("Huyện", "Xã", "Phường", "Quận")]
    assert all(f"{x.split()[0]} {x}" in units for x in prefixed), prefixed


def test_cli_writes_gold_jsonl(tmp_path):
    out = tmp_path / "synth.jsonl"
    assert synth.main(["--n", "25", "--seed", "4", "--out", str(out)]) == 0
    back = read_jsonl(out)
    assert [d.to_gold_dict() for d in back] == [d.to_gold_dict() for d in synth.generate(25, seed=4)]


def test_no_template_copies_a_gold_sentence():
    """Leave-one-article-out CV is only honest if templates do not carry a gold article's wording:
    no run of 8 or more literal words of any template appears in any gold sentence."""
    from difflib import SequenceMatcher
    from pathlib import Path

    from canbo.model.schema import read_corpus
    from canbo.train.synth import TEMPLATES

    def words(text: str) -> list[str]:
        return re.findall(r"\w+", re.sub(r"\{[^{}]*\}|@\w", " ", text).lower())

    gold = [words(d.text) for d in read_corpus([Path(__file__).parents[1] / "data" / "annotated"])]
    for t in TEMPLATES:
        lit = words(t if isinstance(t, str) else " ".join(t))
        for g in gold:
            run = SequenceMatcher(None, lit, g, autojunk=False).find_longest_match(0, len(lit), 0, len(g)).size
            assert run < 8, (t, " ".join(g))
