"""The page in a real browser: headless Chromium (Debian's chromium and chromium-driver) through selenium,
against `canbo serve`'s app on a free loopback port with the default model and a small directory."""

from __future__ import annotations

import os

import pytest

from canbo.eval.serve_browser import (
    README_SENTENCE,
    browser_missing,
    chromium,
    marks,
    read_file,
    read_text,
    search,
    table_rows,
    wait_for,
)
from canbo.model.directory import Directory
from canbo.model.serve.app import create_app
from canbo.model.serve.server import BackgroundServer

FIRST = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."
SECOND = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc trao quà cho các gia đình chính sách."


@pytest.fixture(scope="module")
def browser(default_pipeline, directory_file):
    why = browser_missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI: {why}")
        pytest.skip(why)
    with BackgroundServer(create_app(default_pipeline, Directory(directory_file))) as server:
        driver = chromium()
        try:
            yield driver, server.url
        finally:
            driver.quit()


def test_the_page_highlights_a_sentence_and_lists_its_officials(browser):
    driver, url = browser
    status = read_text(driver, url, README_SENTENCE)
    assert "2 entities, 1 relations, 1 people" in status.text and "error" not in status.get_attribute("class")
    assert marks(driver) == [("PERSON", "Hoàng Minh Tuấn"), ("POSITION", "Bí thư Huyện ủy Yên Lạc")]
    colours = driver.execute_script(
        "return [...document.querySelectorAll('#highlighted mark.ent')].map(m => getComputedStyle(m).backgroundColor)"
    )
    assert colours == ["rgb(170, 156, 252)", "rgb(254, 202, 116)"]  # displaCy's PERSON and POSITION colours
    assert table_rows(driver, "officials") == [["Hoàng Minh Tuấn", "Bí thư Huyện ủy Yên Lạc", "1"]]
    relation = driver.execute_script("return document.querySelector('#highlighted ol.rels li').innerText")
    assert relation.startswith("Hoàng Minh Tuấn0 → Bí thư Huyện ủy Yên Lạc1") and "HAS_POSITION" in relation


def test_a_file_is_read_and_a_bad_file_is_one_error_line(browser, tmp_path):
    driver, url = browser
    good = tmp_path / "trang.txt"
    good.write_bytes(b"\xef\xbb\xbf" + SECOND.encode("utf-8"))  # a BOM, as Windows editors write
    status = read_file(driver, url, good)
    assert status.text.startswith("trang.txt: 87 characters")
    assert table_rows(driver, "officials") == [["Hoàng Minh Tuấn", "Bí thư Huyện ủy Yên Lạc", "1"]]
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Bí thư".encode("latin-1", "replace") + b"\xe0\xff")
    status = read_file(driver, url, bad)
    assert "error" in status.get_attribute("class") and "not UTF-8" in status.text


def test_directory_search_links_to_the_sentence_on_its_page(browser):
    driver, url = browser
    driver.get(url + "/")
    status = search(driver, office="Bí thư", locality="Yên Lạc")
    assert status.text == "2 results"
    rows = table_rows(driver, "results")
    assert [r[:4] for r in rows] == [
        ["Hoàng Minh Tuấn", "Bí thư Huyện ủy Yên Lạc", "Yên Lạc", "2025-01-10"],
        ["Hoàng Minh Tuấn", "Bí thư Huyện ủy Yên Lạc", "Yên Lạc", "2024-03-05"],
    ]
    assert rows[1][4] == f"{FIRST}\nhttps://example.vn/yen-lac/hoi-nghi-tong-ket"
    driver.execute_script(
        "document.querySelectorAll('#results tbody tr')[1].querySelector('td.sentence a').click()"
    )
    wait_for(driver, lambda d: "/documents/" in d.current_url)
    assert focus_text(driver).startswith("Đồng chí Hoàng Minh Tuấn")
    assert (
        driver.execute_script("return document.getElementById('focus').querySelectorAll('mark.ent').length")
        == 2
    )
    assert driver.current_url.endswith("#focus") and "start=" in driver.current_url
    in_view = driver.execute_script(
        "const r = document.getElementById('focus').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight"
    )
    assert in_view


def focus_text(driver) -> str:
    """The focus sentence as read, without the labels the marks add."""
    return driver.execute_script(
        "const f = document.getElementById('focus').cloneNode(true);"
        "f.querySelectorAll('.lab, .norm, sup').forEach(x => x.remove()); return f.textContent"
    )


def test_a_person_shows_their_offices_over_time(browser):
    driver, url = browser
    driver.get(url + "/")
    search(driver, person="Hoàng Minh Tuấn")
    driver.execute_script("document.querySelector('#results tbody a').click()")
    wait_for(driver, lambda d: d.find_element("id", "person").is_displayed())
    assert driver.find_element("id", "person-name").text == "Hoàng Minh Tuấn"
    assert [r[:2] for r in table_rows(driver, "person-offices")] == [
        ["2024-03-05", "Bí thư Huyện ủy Yên Lạc"],
        ["2025-01-10", "Bí thư Huyện ủy Yên Lạc"],
    ]


def test_a_search_that_finds_nothing_says_so(browser):
    driver, url = browser
    driver.get(url + "/")
    assert search(driver, office="Chủ tịch", locality="Kim Sơn").text == "no results"
    assert not driver.find_element("id", "results").is_displayed()
