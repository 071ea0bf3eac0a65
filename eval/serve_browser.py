"""Drive ``canbo serve``'s page in headless Chromium (Debian's ``chromium`` and ``chromium-driver``,
through selenium): the helpers of the browser test, and a script that takes the README's screenshot
and times a 1 MB page.

    python -m canbo.eval.serve_browser [--screenshot eval/reports/serve.png] [--big]

The script indexes the demo pages (``tests/fixtures/directory_pages.jsonl``, the browser test's)
into a temporary directory, reads the first of them on the page and searches the directory.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

README_SENTENCE = "Đồng chí Hoàng Minh Tuấn, Bí thư Huyện ủy Yên Lạc chủ trì hội nghị."
CHROMIUM, CHROMEDRIVER = "chromium", "chromedriver"
DATA = Path(__file__).resolve().parent.parent / "data"
DEMO_PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "directory_pages.jsonl"


def browser_missing() -> str | None:
    """Why the browser cannot run here (None when Chromium and its driver are installed)."""
    missing = [name for name in (CHROMIUM, CHROMEDRIVER) if shutil.which(name) is None]
    if missing:
        return f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)"
    return None


def chromium(width: int = 1280, height: int = 900) -> webdriver.Chrome:
    """A headless Chromium; the system's driver is named so that selenium never downloads one."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
        "--lang=vi",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service(executable_path=shutil.which(CHROMEDRIVER)))


def wait_for(driver, condition, timeout: float = 30.0):
    return WebDriverWait(driver, timeout).until(condition)


def status_done(element_id: str):
    """The status line has finished: it carries timings (success) or the error class."""

    def done(driver):
        el = driver.find_element(By.ID, element_id)
        text = el.text
        return el if text and not text.endswith("…") else False

    return done


def read_text(driver, base_url: str, text: str, timeout: float = 60.0):
    """Open the page, paste ``text``, press Extract; the status element once the result is shown."""
    driver.get(base_url + "/")
    box = driver.find_element(By.ID, "text")
    driver.execute_script("arguments[0].value = arguments[1]", box, text)  # send_keys is slow on long text
    driver.find_element(By.ID, "extract").click()
    return wait_for(driver, status_done("status"), timeout)


def read_file(driver, base_url: str, path: Path, timeout: float = 300.0):
    """Open the page and choose ``path`` in the file box (it is read at once); the status element when done."""
    driver.get(base_url + "/")
    driver.find_element(By.ID, "file").send_keys(str(path.resolve()))
    return wait_for(driver, status_done("status"), timeout)


def search(driver, office: str = "", locality: str = "", person: str = "", timeout: float = 30.0):
    """Fill the directory search and submit it; the status element once the answer is shown."""
    for key, value in (("office", office), ("locality", locality), ("person", person)):
        field = driver.find_element(By.ID, f"q-{key}")
        field.clear()
        field.send_keys(value)
    driver.execute_script("document.getElementById('search-status').textContent = ''")
    driver.find_element(By.ID, "search").click()
    return wait_for(driver, status_done("search-status"), timeout)


def marks(driver) -> list[tuple[str, str]]:
    """(label, text) of each highlighted span in the result, as the page shows them."""
    found = driver.execute_script(
        "return [...document.querySelectorAll('#highlighted mark.ent')].map(m =>"
        " [m.dataset.label, m.firstChild.textContent])"
    )
    return [tuple(x) for x in found]


def table_rows(driver, table_id: str) -> list[list[str]]:
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(r =>"
        " [...r.cells].map(c => c.innerText.trim()))",
        f"#{table_id}",
    )


def big_page(min_bytes: int = 1_000_000) -> str:
    """About ``min_bytes`` of UTF-8 text: the raw articles of ``data/raw`` repeated, one article a block."""
    articles = [p.read_text(encoding="utf-8").strip() for p in sorted((DATA / "raw").glob("*.txt"))]
    parts, size, k = [], 0, 0
    while size < min_bytes:
        piece = articles[k % len(articles)]
        parts.append(piece)
        size += len(piece.encode("utf-8")) + 2
        k += 1
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    import json
    import tempfile

    from canbo.model.directory import Directory
    from canbo.model.directory.store import index_pages, iter_pages
    from canbo.model.pipeline import load
    from canbo.model.serve.app import create_app
    from canbo.model.serve.server import BackgroundServer

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--pages", default=str(DEMO_PAGES), help="JSONL pages ({url, text, date}) indexed for the demo."
    )
    p.add_argument("--office", default="Bí thư", help="Office searched for in the screenshot.")
    p.add_argument("--screenshot", default=None, help="Write a PNG of the whole page here.")
    p.add_argument("--big", action="store_true", help="Also time a 1 MB page read through the file box.")
    args = p.parse_args(argv)
    if (why := browser_missing()) is not None:
        print(f"serve_browser: {why}", file=sys.stderr)
        return 2
    pipeline = load()
    first_page = json.loads(Path(args.pages).read_text(encoding="utf-8").splitlines()[0])["text"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "directory.sqlite"
        index_pages(db, iter_pages([args.pages]), pipeline, "demo")
        with BackgroundServer(create_app(pipeline, Directory(db))) as server:
            driver = chromium(1280, 1000)
            try:
                print(f"page: {read_text(driver, server.url, first_page).text}")
                print(f"directory: {search(driver, office=args.office).text}")
                if args.screenshot:
                    height = driver.execute_script("return document.documentElement.scrollHeight")
                    driver.set_window_size(1280, min(height + 140, 4000))
                    driver.save_screenshot(args.screenshot)
                    print(f"wrote {args.screenshot}")
                if args.big:
                    _time_big_page(driver, server.url)
            finally:
                driver.quit()
    return 0


_WATCH_LONG_TASKS = (  # main-thread tasks over 50 ms: the moments the page could not answer a click
    "window.longTasks = []; new PerformanceObserver((list) => list.getEntries()"
    ".forEach((e) => window.longTasks.push(e.duration))).observe({entryTypes: ['longtask']});"
)


def _time_big_page(driver, url: str) -> None:
    import tempfile
    import time

    text = big_page()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page-1MB.txt"
        path.write_text(text, encoding="utf-8")
        driver.get(url + "/")
        driver.execute_script(_WATCH_LONG_TASKS)
        began = time.perf_counter()
        driver.find_element(By.ID, "file").send_keys(str(path))
        status = wait_for(driver, status_done("status"), 600)
        total = time.perf_counter() - began
    count = driver.execute_script("return document.querySelectorAll('#highlighted mark.ent').length")
    longest = driver.execute_script("return Math.max(0, ...window.longTasks)")
    blocked = driver.execute_script("return window.longTasks.reduce((a, b) => a + b, 0)")
    print(
        f"1 MB page ({len(text.encode('utf-8')):,} bytes, {len(text):,} characters): {total:.1f} s from choosing "
        f"the file to the page drawn; model {status.get_attribute('data-server-seconds')} s, "
        f"drawing {status.get_attribute('data-render-ms')} ms; {count:,} marks"
    )
    print(f"page busy (tasks over 50 ms) {blocked:.0f} ms in all, the longest {longest:.0f} ms")
    began = time.perf_counter()
    driver.execute_script("document.querySelector('#highlighted .doc').scrollTop = 1e9")
    driver.execute_script("return document.body.offsetHeight")
    print(f"scrolled to the end of the text in {1000 * (time.perf_counter() - began):.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
