"""Debian's Chromium driven headless through Selenium, for the browser tests and
docs/make_web_screenshots.py (the server they drive: tests.support.web_site.web_server).

Chromium and its driver are Debian's (`apt-get install chromium chromium-driver`, which
.ci/run does): the driver is given by its path, so Selenium never downloads one.
"""

from __future__ import annotations

import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.support.web_site import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def chromium(downloads: Path, width: int = 1100, height: int = 700) -> WebDriver:
    """Debian's Chromium, headless, saving downloads into `downloads` without asking."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(argument)  # --no-sandbox: CI's container runs as root
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def log_in_page(browser: WebDriver, url: str, name: str, password: str = PASSWORD) -> None:
    """Fill and send the login form as a person does."""
    browser.get(f"{url}/login")
    browser.find_element(By.NAME, "name").send_keys(name)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form.stacked button").click()


def downloaded(folder: Path, suffix: str, timeout: float = 30) -> Path:
    """The one finished file ending in `suffix` that appears in `folder`."""
    deadline = time.monotonic() + timeout
    while True:
        done = list(folder.glob(f"*{suffix}"))
        if done and not list(folder.glob("*.crdownload")):
            assert len(done) == 1, done
            return done[0]
        assert time.monotonic() < deadline, f"no {suffix} file downloaded in {timeout} s"
        time.sleep(0.1)
