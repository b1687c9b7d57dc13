"""Regenerate docs/web.md's screenshots from the real web pages in Debian's Chromium.

    uv run python docs/make_web_screenshots.py [--faces ../shared/faces]

Enrols eight people from one real photo each (the real `enrol --folder`) into a temporary
data folder, puts them in two groups with their hours, logs this morning's arrivals (two
late, one row voided with its reason), makes an admin account, starts `attendance-app
web` on it and saves, through headless Chromium: web_login.png, web_today.png,
web_reports.png, web_people.png, web_corrections.png and web_api.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402

from tests.support.enrolled_folder import app_in, enrolled_from_photos  # noqa: E402
from tests.support.scenes import DEFAULT_FACES  # noqa: E402
from tests.support.web_browser import chromium, log_in_page  # noqa: E402
from tests.support.web_site import (  # noqa: E402
    add_account,
    arrive,  # noqa: E402
    web_server,
)

PEOPLE = {"Amy Farrah Fowler": "bbt_amy", "Bernadette Rostenkowski": "bbt_bernadette",
          "Howard Wolowitz": "bbt_howard", "Leonard Hofstadter": "bbt_leonard",
          "Penny Hofstadter": "bbt_penny", "Raj Koothrappali": "bbt_raj",
          "Sheldon Cooper": "bbt_sheldon", "Stuart Bloom": "bbt_stuart"}
GROUPS = {"Physics": ("08:30", ["Leonard Hofstadter", "Sheldon Cooper", "Raj Koothrappali"]),
          "Engineering": ("09:00", ["Howard Wolowitz", "Bernadette Rostenkowski",
                                    "Amy Farrah Fowler"]),
          "Front office": ("09:00", ["Penny Hofstadter", "Stuart Bloom"])}
"""Every day of the week, so that the pages look the same whatever day they are made."""
ARRIVALS = [("Sheldon Cooper", time(8, 12, 5)), ("Leonard Hofstadter", time(8, 14, 41)),
            ("Amy Farrah Fowler", time(8, 21, 17)), ("Howard Wolowitz", time(8, 47, 2)),
            ("Raj Koothrappali", time(8, 39, 58)), ("Bernadette Rostenkowski", time(9, 6, 30)),
            ("Penny Hofstadter", time(9, 31, 12))]
"""This morning at the front door: Raj and Bernadette late, Stuart absent; Penny's row is
voided (the camera took a visitor for her)."""


def _site(faces: Path, root: Path) -> Path:
    data = enrolled_from_photos(faces, root, PEOPLE)
    for group, (start, members) in GROUPS.items():
        for args in (("group", "add", group, "--start", start, "--days", "mon-sun"),
                     ("group", "assign", group, *members)):
            done = app_in(data, *args)
            assert done.returncode == 0, done.stderr
    today = date.today()
    rows = {name: arrive(data, name, datetime.combine(today, at)) for name, at in ARRIVALS}
    voided = app_in(data, "void", str(rows["Penny Hofstadter"].event_id), "--reason",
                    "a visitor, not Penny", "--by", "office")
    assert voided.returncode == 0, voided.stderr
    add_account(data, "office", "admin")
    return data


def _shoot(browser: WebDriver, url: str, name: str, most: int = 620) -> None:
    """docs/`name`: the page at `url`, whole or its first `most` pixels."""
    browser.get(url)
    frame = browser.execute_script("return window.outerHeight - window.innerHeight;")
    page = browser.execute_script(
        "return Math.ceil(document.querySelector('main').getBoundingClientRect().bottom) + 8;")
    browser.set_window_size(1100, min(page, most) + frame)
    browser.save_screenshot(str(DOCS / name))
    print(f"saved docs/{name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="web-shots-") as folder:
        root = Path(folder)
        data = _site(args.faces, root)
        (root / "downloads").mkdir()
        browser = chromium(root / "downloads")
        try:
            with web_server(data, root / "server.log") as url:
                _shoot(browser, f"{url}/login", "web_login.png")
                log_in_page(browser, url, "office")
                today = date.today()
                _shoot(browser, f"{url}/today", "web_today.png")
                _shoot(browser, f"{url}/reports?first={today}&last={today}", "web_reports.png")
                _shoot(browser, f"{url}/people", "web_people.png")
                _shoot(browser, f"{url}/corrections", "web_corrections.png", 590)
                _shoot(browser, f"{url}/docs", "web_api.png", 480)
        finally:
            browser.quit()


if __name__ == "__main__":
    main()
