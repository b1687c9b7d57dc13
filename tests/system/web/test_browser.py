"""The web pages in a real browser (issue 26, point 5): Debian's Chromium, headless,
driven by Selenium against `attendance-app web` running as a child process, on a data
folder with two people enrolled from real photos.

Logging in through the form; Today showing, without a reload, an arrival that a real
`run --headless` logs from a photo of Raj (a marker set on the page's window is still
there afterwards: the same page, changed by its server-sent events); Reports: a day
chosen in the form, its lists, the Excel workbook and the CSV files downloaded and read;
a viewer sees no admin link and is refused an admin page; logging out.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.faults_support import cli
from tests.support.scenes import probe_photo
from tests.support.web_browser import chromium, downloaded, log_in_page
from tests.support.web_site import add_account, arrive, copy_of, enrolled_site, web_server

ADMIN_LINKS = ("People", "Unknown visitors", "Corrections", "Accounts")


@pytest.fixture(scope="module")
def enrolled(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Amy and Raj enrolled, an admin "ada" and a viewer "vic"."""
    data = enrolled_site(faces_dir, tmp_path_factory.mktemp("browser"))
    add_account(data, "ada", "admin")
    add_account(data, "vic", "viewer")
    return data


@pytest.fixture
def site(enrolled: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """(data folder, base URL) of a running `web` server on a copy of `enrolled`."""
    data = copy_of(enrolled, tmp_path / "data")
    with web_server(data, tmp_path / "server.log") as url:
        yield data, url


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    (tmp_path / "downloads").mkdir()
    driver = chromium(tmp_path / "downloads")
    try:
        yield driver
    finally:
        driver.quit()


def _wait(browser: WebDriver, condition: Callable[[WebDriver], object],
          seconds: float = 60) -> object:
    """What `condition` gives once it is true, asked every 0.1 s for up to `seconds`."""
    return WebDriverWait(browser, seconds, poll_frequency=0.1).until(condition)


def _menu(browser: WebDriver) -> list[str]:
    return [link.text for link in browser.find_elements(By.CSS_SELECTOR, "header nav a")]


def test_the_form_logs_in_and_today_shows_a_running_doors_arrival_without_reload(
        site: tuple[Path, str], browser: WebDriver, faces_dir: Path) -> None:
    data, url = site
    log_in_page(browser, url, "ada", "not the password")
    assert browser.find_element(By.CSS_SELECTOR, "p.problem").text == (
        "Wrong account name or password.")
    log_in_page(browser, url, "ada")
    _wait(browser, lambda b: b.current_url == f"{url}/today")
    assert _menu(browser)[2:6] == list(ADMIN_LINKS)
    today = browser.find_element(By.ID, "today")
    assert "Nobody has arrived yet today." in today.text
    browser.execute_script("window.sameLoad = 'still here';")

    door = cli("run", "--headless", "--source", str(probe_photo(faces_dir, "bbt_raj")),
               "--data-dir", str(data))
    assert door.returncode == 0 and " IN " in door.stdout, door.stderr

    _wait(browser, lambda b: "Raj" in b.find_element(By.ID, "today").text)
    assert browser.execute_script("return window.sameLoad;") == "still here", "not reloaded"
    shown = browser.find_element(By.ID, "today").text
    assert "1 present" in shown and "Nobody has arrived" not in shown
    assert browser.find_element(By.ID, "live").text == "Updates by itself as people arrive."


def _choose_day(browser: WebDriver, day: date) -> None:
    """Type `day` into both date fields as a person does (Chromium's en-US order) and show."""
    for name in ("first", "last"):
        field = browser.find_element(By.NAME, name)
        field.send_keys(f"{day:%m%d%Y}")
    browser.find_element(By.CSS_SELECTOR, "form.inline button").click()


def test_reports_show_a_chosen_day_and_download_as_excel_and_csv(
        site: tuple[Path, str], browser: WebDriver, tmp_path: Path) -> None:
    data, url = site
    day = date.today()
    arrive(data, "Amy", datetime.combine(day, time(8, 50)))
    log_in_page(browser, url, "vic")
    _wait(browser, lambda b: b.current_url == f"{url}/today")
    browser.find_element(By.LINK_TEXT, "Reports").click()
    _choose_day(browser, day)
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".report p"))
    assert f"first={day}" in browser.current_url and f"last={day}" in browser.current_url
    lines = [p.text for p in browser.find_elements(By.CSS_SELECTOR, ".report p")]
    heading = f"{day:%A}, {day:%B} {day.day}, {day.year}"  # the report's date, en_US
    assert lines[0].startswith(f"{heading}: 1 present, 1 absent"), lines
    said = "\n".join(lines)
    assert "Amy" in said and "Raj" in said, lines

    browser.find_element(By.LINK_TEXT, "Excel workbook").click()
    workbook = downloaded(tmp_path / "downloads", ".xlsx")
    assert workbook.name == f"attendance-{day}.xlsx"
    cells = {str(cell.value) for sheet in openpyxl.load_workbook(workbook).worksheets
             for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert {"Amy", "Raj"} <= cells, sorted(cells)[:40]

    browser.find_element(By.LINK_TEXT, "CSV files (zip)").click()
    archive = downloaded(tmp_path / "downloads", ".zip")
    with zipfile.ZipFile(archive) as files:
        rows = [row for name in files.namelist()
                for row in csv.reader(io.StringIO(files.read(name).decode("utf-8-sig")))]
    assert any("Amy" in row for row in rows) and any("Raj" in row for row in rows), rows[:10]


def test_a_viewer_sees_no_admin_link_is_refused_an_admin_page_and_logs_out(
        site: tuple[Path, str], browser: WebDriver) -> None:
    _, url = site
    log_in_page(browser, url, "vic")
    _wait(browser, lambda b: b.current_url == f"{url}/today")
    assert _menu(browser) == ["Today", "Reports", "API"]
    assert browser.find_element(By.CSS_SELECTOR, "header .logout span").text == "vic (viewer)"
    for admin_page in ("/people", "/corrections"):
        browser.get(url + admin_page)
        assert browser.find_element(By.TAG_NAME, "h1").text == "Not done"
        assert "This page is for admins" in browser.find_element(By.CSS_SELECTOR, "p.problem").text
        assert "Amy" not in browser.page_source

    browser.find_element(By.CSS_SELECTOR, "header .logout button").click()
    _wait(browser, lambda b: b.current_url == f"{url}/login")
    assert not browser.find_elements(By.CSS_SELECTOR, "header nav")
    browser.get(f"{url}/reports")
    assert browser.current_url == f"{url}/login", "logged out: back to the form"
