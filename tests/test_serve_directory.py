"""`canbo serve`'s directory routes over a directory built from two hand-written pages
(tests/fixtures/directory_pages.jsonl), and its start-up errors for a bad --db."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from canbo.model.cli import main
from canbo.model.directory import Directory
from canbo.model.serve.app import create_app

FIRST = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."
SECOND = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc trao quà cho các gia đình chính sách."


@pytest.fixture(scope="module")
def client(default_pipeline, directory_file):
    with TestClient(
        create_app(default_pipeline, Directory(directory_file)), raise_server_exceptions=False
    ) as c:
        yield c


def test_officials_by_office_locality_and_person(client):
    hits = client.get("/api/officials", params={"office": "Bí thư"}).json()
    assert [(h["person"], h["office"], h["as_of"], h["sentence"]) for h in hits] == [
        ("Hoàng Minh Tuấn", "Bí thư Huyện ủy Yên Lạc", "2025-01-10", SECOND),
        ("Hoàng Minh Tuấn", "Bí thư Huyện ủy Yên Lạc", "2024-03-05", FIRST),
    ]
    first = hits[1]
    page = client.get(f"/api/documents/{first['document_id']}").json()
    assert page["text"][first["sentence_start"] : first["sentence_end"]] == FIRST
    assert page["source"] == "https://example.vn/yen-lac/hoi-nghi-tong-ket" and page["date"] == "2024-03-05"
    by_place = client.get(
        "/api/officials", params={"locality": "Yên Lạc", "person": "hoàng minh tuấn"}
    ).json()
    assert {h["as_of"] for h in by_place} == {"2024-03-05", "2025-01-10"}
    assert client.get("/api/officials", params={"office": "Bí thư", "locality": "Kim Sơn"}).json() == []
    assert len(client.get("/api/officials", params={"office": "Bí thư", "limit": 1}).json()) == 1


def test_empty_parameters_mean_no_filter(client):
    everything = client.get("/api/officials").json()
    assert client.get("/api/officials?office=&locality=&person=").json() == everything
    assert "Nguyễn Văn Hùng" in {h["person"] for h in everything}


def test_a_person_has_offices_over_time_and_evidence(client):
    person_id = client.get("/api/officials", params={"person": "Hoàng Minh Tuấn"}).json()[0]["person_id"]
    person = client.get(f"/api/people/{person_id}").json()
    assert person["name"] == "Hoàng Minh Tuấn"
    assert [o["as_of"] for o in person["offices"]] == ["2024-03-05", "2025-01-10"]
    assert person["evidence"] and "Yên Lạc".casefold() in person["evidence"][0]["reason"]


def test_the_document_page_highlights_the_sentence(client):
    hit = client.get("/api/officials", params={"office": "Bí thư"}).json()[1]
    page = client.get(
        f"/documents/{hit['document_id']}?start={hit['sentence_start']}&end={hit['sentence_end']}"
    )
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    focus = html[html.index('<span class="focus" id="focus">') :]
    assert focus.startswith('<span class="focus" id="focus">Đồng chí <mark class="ent"')
    assert "chủ trì hội nghị.</span>" in focus and html.count('id="focus"') == 1
    assert "<title>https://example.vn/yen-lac/hoi-nghi-tong-ket · canbo</title>" in html
    assert "date: 2024-03-05" in html
    plain = client.get(f"/documents/{hit['document_id']}").text
    assert 'id="focus"' not in plain and "Bí thư Huyện ủy Yên Lạc" in plain


def test_unknown_ids_are_404_json(client):
    assert client.get("/api/people/999").json() == {"error": "no person 999 in the directory"}
    assert client.get("/api/people/999").status_code == 404
    assert client.get("/api/documents/999").status_code == 404
    assert client.get("/documents/999").json() == {"error": "no document 999 in the directory"}


def test_health_names_the_directory(client, directory_file):
    assert client.get("/health").json()["directory"] == str(directory_file)


def test_serve_with_a_missing_or_foreign_database_stops_in_one_sentence(tmp_path, capsys):
    missing = tmp_path / "nowhere.sqlite"
    assert main(["serve", "--db", str(missing), "--port", "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"canbo: error: {missing} does not exist") and "\n" not in err
    foreign = tmp_path / "notes.sqlite"
    foreign.write_text("not a database", encoding="utf-8")
    assert main(["serve", "--db", str(foreign), "--port", "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"canbo: error: {foreign} is not a canbo directory") and "\n" not in err
