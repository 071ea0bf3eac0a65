"""`canbo serve`'s API through FastAPI's TestClient: the CLI's Document JSON, bad bodies, JSON errors."""

from __future__ import annotations

import json
import socket

import pytest
from fastapi.testclient import TestClient

from canbo.model.cli import main
from canbo.model.serve.app import create_app

SENTENCE = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."
LIMIT = 4_000


@pytest.fixture(scope="module")
def client(default_pipeline):
    with TestClient(create_app(default_pipeline, max_body=LIMIT), raise_server_exceptions=False) as c:
        yield c


def _error(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"] and "Traceback" not in body["error"]
    return body["error"]


def test_predict_is_the_cli_document_json(client, capsys):
    response = client.post("/api/predict", json={"text": SENTENCE})
    assert response.status_code == 200
    got = response.json()
    assert main(["predict", "--format", "json", "--text", SENTENCE]) == 0
    assert got == json.loads(capsys.readouterr().out)
    assert [(e["text"], e["label"]) for e in got["entities"]] == [
        ("Hoàng Minh Tuấn", "PERSON"),
        ("Bí thư Huyện ủy Yên Lạc", "POSITION"),
    ]
    assert [(e["start"], e["end"]) for e in got["entities"]] == [(9, 24), (26, 49)]
    assert all(e["source"] in ("rules", "model", "both") for e in got["entities"])
    assert [(r["head"], r["tail"], r["label"]) for r in got["relations"]] == [(0, 1, "HAS_POSITION")]


def test_a_text_file_body_is_read_like_a_file(client):
    as_json = client.post("/api/predict", json={"text": SENTENCE}).json()
    for raw in (
        SENTENCE.encode("utf-8"),
        b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"),
        SENTENCE.encode("utf-16"),
    ):
        response = client.post("/api/predict", content=raw, headers={"content-type": "text/plain"})
        assert response.status_code == 200
        assert response.json() == as_json


def test_empty_and_blank_texts_give_empty_documents(client):
    empty = {"date": None, "text": "", "entities": [], "relations": []}
    assert client.post("/api/predict", json={"text": ""}).json() == empty
    assert client.post("/api/predict", content=b"", headers={"content-type": "text/plain"}).json() == empty
    assert client.post("/api/predict", json={"text": " \n\t"}).json() == {**empty, "text": " \n\t"}


def test_offsets_are_into_the_text_as_sent_even_in_nfd(client):
    import unicodedata

    nfd = unicodedata.normalize("NFD", SENTENCE)
    got = client.post("/api/predict", json={"text": nfd}).json()
    assert got["text"] == nfd
    person = got["entities"][0]
    assert nfd[person["start"] : person["end"]] == unicodedata.normalize("NFD", "Hoàng Minh Tuấn")


@pytest.mark.parametrize(
    ("body", "content_type", "says"),
    [
        (b"\xc3\x28 not utf-8", "text/plain", "not UTF-8"),
        (b'{"text": "\xc3\x28"}', "application/json", "not UTF-8"),
        (b'{"text": ', "application/json", "not valid JSON"),
        (b"[1, 2]", "application/json", 'string field "text"'),
        (b'{"text": 5}', "application/json; charset=utf-8", 'string field "text"'),
        (b'{"txt": "a"}', "application/json", 'string field "text"'),
        (b'{"text": "a\\ud800b"}', "application/json", "unpaired surrogate"),
        (b"a\x00b", "text/plain", "binary"),
        (b"\xff\xfe\x00", "application/octet-stream", "UTF-16"),
    ],
)
def test_unreadable_bodies_are_400(client, body, content_type, says):
    assert says in _error(
        client.post("/api/predict", content=body, headers={"content-type": content_type}), 400
    )


def test_bodies_over_the_limit_are_413_declared_or_streamed(client):
    assert "4,000 bytes" in _error(client.post("/api/predict", json={"text": "x" * LIMIT}), 413)
    chunks = (b"y" * 1000 for _ in range(5))  # no Content-Length: counted as it arrives
    assert "4,000 bytes" in _error(
        client.post("/api/predict", content=chunks, headers={"content-type": "text/plain"}), 413
    )
    at_limit = client.post("/api/predict", content=b"z" * LIMIT, headers={"content-type": "text/plain"})
    assert at_limit.status_code == 200 and at_limit.json()["text"] == "z" * LIMIT


def test_a_bad_content_length_is_400(client):
    response = client.post(
        "/api/predict", content=b"abc", headers={"content-type": "text/plain", "content-length": "x"}
    )
    assert response.status_code == 400


def test_a_failure_inside_is_a_json_500_without_a_traceback(default_pipeline, monkeypatch):
    app = create_app(default_pipeline)

    def broken(text):
        raise RuntimeError("secret path /srv/models/x.bin")

    monkeypatch.setattr(app.state.service, "predict", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        message = _error(c.post("/api/predict", json={"text": SENTENCE}), 500)
    assert "secret" not in message and "internal error" in message


def test_view_gives_the_highlighted_html_and_the_officials(client):
    got = client.post("/api/view", json={"text": SENTENCE}).json()
    assert got["officials"] == [
        {"person": "Hoàng Minh Tuấn", "positions": ["Bí thư Huyện ủy Yên Lạc"], "mentions": 1}
    ]
    assert (got["entities"], got["relations"], got["characters"]) == (2, 1, 67)
    assert (
        'data-label="PERSON" style="background:#aa9cfc">Hoàng Minh Tuấn<span class="lab">PERSON</span>'
        in got["html"]
    )
    assert '<ol class="rels">' in got["html"]


def test_view_escapes_markup_in_the_text(client):
    got = client.post("/api/view", json={"text": "<script>alert(1)</script> & Bí thư"}).json()
    assert "<script>" not in got["html"] and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in got["html"]


def test_errors_for_routes_parameters_and_a_missing_directory_are_json(client):
    assert _error(client.get("/nowhere"), 404) == "Not Found"
    assert _error(client.get("/api/predict"), 405) == "Method Not Allowed"
    assert "person_id" in _error(client.get("/api/people/abc"), 422)
    assert "--db" in _error(client.get("/api/officials?office=Bí thư"), 503)
    assert "--db" in _error(client.get("/api/documents/1"), 503)


def test_health_docs_and_page(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["directory"] is None and health["max_body_bytes"] == LIMIT
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/predict",
        "/api/officials",
        "/api/people/{person_id}",
        "/api/documents/{document_id}",
        "/health",
    } <= set(paths)
    assert set(paths["/api/predict"]["post"]["requestBody"]["content"]) == {"application/json", "text/plain"}
    docs = client.get("/docs").text
    assert "swagger-ui-bundle.js" in docs and 'src="http' not in docs and 'href="http' not in docs  # no CDN
    page = client.get("/").text
    assert '<span class="swatch" style="background:#feca74">POSITION</span>' in page
    assert "http://" not in page and "https://" not in page
    for asset in ("/static/app.js", "/static/app.css"):
        assert client.get(asset).status_code == 200


def test_serve_refuses_a_busy_port_in_one_sentence(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"canbo: error: cannot listen on 127.0.0.1:{port}") and "\n" not in err


def test_serve_rejects_a_port_out_of_range(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", "70000"])
    assert exit_info.value.code == 2
    assert "port number from 0 to 65535" in capsys.readouterr().err
