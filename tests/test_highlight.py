"""The HTML highlighting shared by `canbo predict --format html` and `canbo serve`: marks, escaping, the focus sentence."""

from __future__ import annotations

from canbo.model.formats import highlight
from canbo.model.schema import Document, Entity, Relation, document_from_dict

TEXT = "Ông A <b> họp. Bí thư Lan & Hà phát biểu."
#       0123456789012345678901234567890123456789
LAN = Entity(15, 25, "POSITION", "Bí thư Lan")
HA = Entity(28, 30, "LOCATION", "Hà")


def _doc() -> Document:
    return Document(TEXT, [LAN, HA], [Relation(0, 1, "HAS_POSITION", 0.5)])


def test_marks_and_escapes_in_one_pass():
    out = highlight(_doc())
    assert out.startswith(
        '<div class="doc">Ông A &lt;b&gt; họp. <mark class="ent" data-ent="0" data-label="POSITION"'
    )
    assert '<span class="lab">POSITION</span><sup class="ref">0</sup></mark> &amp; <mark' in out
    assert out.count("<mark") == 2 and "focus" not in out
    assert "Bí thư Lan<sup>0</sup> &rarr; Hà<sup>1</sup></span> <small>HAS_POSITION 0.50</small>" in out


def test_focus_wraps_the_sentence_between_entities():
    out = highlight(_doc(), focus=(15, 41))  # "Bí thư Lan & Hà phát biểu."
    assert 'họp. <span class="focus" id="focus"><mark class="ent" data-ent="0"' in out
    assert "phát biểu.</span></div>" in out
    assert out.count('id="focus"') == 1 and out.count("</span></div>") == 1


def test_a_focus_edge_inside_an_entity_widens_to_the_whole_entity():
    out = highlight(_doc(), focus=(18, 29))  # starts inside "Bí thư Lan", ends inside "Hà"
    assert 'họp. <span class="focus" id="focus"><mark class="ent" data-ent="0"' in out
    assert 'Hà<span class="lab">LOCATION</span><sup class="ref">1</sup></mark></span> phát' in out


def test_a_focus_in_plain_text_and_out_of_range():
    out = highlight(_doc(), focus=(4, 13))
    assert 'Ông <span class="focus" id="focus">A &lt;b&gt; họp</span>. <mark' in out
    clamped = highlight(Document("abc"), focus=(-5, 99))
    assert clamped == '<div class="doc"><span class="focus" id="focus">abc</span></div>'
    assert highlight(Document("abc"), focus=(2, 2)) == '<div class="doc">abc</div>'


def test_document_from_dict_reads_the_prediction_json_back():
    doc = _doc()
    doc.entities[0].score, doc.entities[0].source = 0.91, "rules"
    again = document_from_dict(doc.to_dict())
    assert again.to_dict() == doc.to_dict()
    assert (again.entities[0].score, again.entities[0].source, again.relations[0].head) == (0.91, "rules", 0)
