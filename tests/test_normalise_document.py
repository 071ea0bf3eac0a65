"""normalise_document: a page's date, each entity's as-of date and readings, NFD pages included."""

import json
import unicodedata

from canbo.model.formats import render
from canbo.model.normalise import normalise_document, subject_units
from canbo.model.schema import Document, Entity, Relation

PAGE = (
    "Thứ ba, 31/10/2023\n"
    "Huyện ủy Kiến Thụy tổng kết công tác năm 2023 với nhiều kết quả nổi bật trên các lĩnh vực.\n"
    "Chiều 12/10, Huyện ủy Kiến Thụy tổ chức hội nghị. Đồng chí Lê Văn Tám, Bí thư Huyện ủy chủ trì hội nghị.\n"
    "Thu ngân sách đạt 1.528 tỷ đồng tại xã Đông Phương.\n"
)


def _doc(text: str) -> Document:
    spans = [
        ("Lê Văn Tám", "PERSON"),
        ("Bí thư Huyện ủy", "POSITION"),
        ("1.528 tỷ đồng", "METRIC"),
        ("Đông Phương", "LOCATION"),
    ]
    ents = []
    for written, label in spans:
        form = written if written in text else unicodedata.normalize("NFD", written)  # as the page writes it
        k = text.index(form)
        ents.append(Entity(k, k + len(form), label, form))
    return Document(text=text, entities=ents, relations=[Relation(0, 1, "HAS_POSITION")])


def test_page_date_as_of_and_readings():
    doc = normalise_document(_doc(PAGE))
    assert doc.meta["date"] == "2023-10-31"
    person, office, figure, place = (e.norm for e in doc.entities)
    assert person["as_of"] == "2023-10-12"  # the paragraph's lead "Chiều 12/10" in the page's year
    o = office["office"]
    assert (o["title"], o["organ"], o["locality"], o["inferred"]) == ("Bí thư", "Huyện ủy", "Kiến Thụy", True)
    assert o["unit"] == "Thành phố Hải Phòng > Huyện Kiến Thụy"
    assert (
        figure["figure"]["value"] == 1528e9 and figure["as_of"] == "2023-10-31"
    )  # a new paragraph: page date
    assert (
        place["place"]["unit"] == "Thành phố Hải Phòng > Huyện Kiến Thụy > Xã Đông Phương"
    )  # the page's district


def test_nfd_page_gives_the_same_readings():
    nfc = normalise_document(_doc(PAGE))
    nfd = normalise_document(_doc(unicodedata.normalize("NFD", PAGE)))
    assert nfd.meta["date"] == nfc.meta["date"]
    for a, b in zip(nfc.entities, nfd.entities):
        if "place" in a.norm:  # the place keeps its text as written (NFD); the rest is the same
            a.norm["place"].pop("text"), b.norm["place"].pop("text")
        assert a.norm == b.norm


def test_subject_units():
    district, province = subject_units(PAGE)
    assert (district.name, province.name) == ("Huyện Kiến Thụy", "Thành phố Hải Phòng")
    assert subject_units("Không có địa danh nào.") == (None, None)


def test_json_and_table_show_the_readings():
    doc = normalise_document(_doc(PAGE))
    out = json.loads(render([doc], ["p"], "json"))
    assert out["date"] == "2023-10-31" and out["entities"][2]["norm"]["figure"]["unit"] == "VND"
    table = render([doc], ["p"], "table")
    assert "date: 2023-10-31" in table and "=> 1.528e+12 VND; as of 2023-10-31" in table
    html = render([doc], ["p"], "html")
    assert 'class="norm"' in html and "Bí thư | Huyện ủy | district" in html
