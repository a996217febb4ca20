"""One real browser against `archsearch serve`: Debian's chromium driven by selenium through
/usr/bin/chromedriver (nothing is downloaded: the driver path is given, SE_OFFLINE=1).

Two users of different clearance sign in, search, open a document, download an export; the
banner names the highest level shown, the XSS document shows as text without an alert, and a
forged CSRF token is refused. Screenshots go to the test's tmp dir.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import ssl
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from archsearch.trust import accounts
from archsearch import api
from archsearch.config import Settings
from tests.helpers import build_index
from tests.web_support import PASSWORD, XSS_TITLE, documents, fast_hashes  # noqa: F401

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="chromium and chromium-driver are not installed (apt-get install chromium chromium-driver, or `make setup`)",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(settings, tmp_path, *extra: str, scheme: str = "http"):
    """`archsearch serve` on a free loopback port; yields its base URL. On exit, checks that no
    query reached its log."""
    port = _free_port()
    log_path = tmp_path / f"serve-{port}.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "archsearch.cli.main", "--index-dir", str(settings.index_dir), "serve",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", *extra],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"{scheme}://127.0.0.1:{port}"
    context = ssl._create_unverified_context() if scheme == "https" else None
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1, context=context).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("archsearch serve did not start:\n" + log_path.read_text())
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)  # gunicorn's graceful_timeout is 10 s; more on a loaded machine
        log.close()
    served = log_path.read_text()
    assert "q=" not in served and "bảo" not in served and "%E1" not in served, "a query reached the access log"


@pytest.fixture()
def web_home(tmp_path, fast_hashes):
    """An index home with the documents of web_support and two users with passwords."""
    settings = Settings.from_env(tmp_path / "home")
    build_index(settings.index_dir, documents(tmp_path))
    for name, clearance in [("thuong", "unclassified"), ("toimat", "secret")]:
        api.add_user(settings, name, clearance)
        accounts.set_password(settings, name, PASSWORD)
    return settings


@pytest.fixture()
def server(web_home, tmp_path):
    settings = web_home
    with serving(settings, tmp_path) as url:
        yield settings, url, tmp_path


@pytest.fixture()
def browser(tmp_path, monkeypatch):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "1")  # selenium-manager must never fetch a driver or a browser
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}",
                "--window-size=1280,800"]:
        options.add_argument(arg)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver, downloads
    driver.quit()


def _sign_in(driver, url, name):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.delete_all_cookies()
    driver.get(url + "/login")
    driver.find_element(By.ID, "username").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    # The click only submits the form: wait for the next page (argon2 takes its time on a busy machine).
    signed_in = WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CLASS_NAME, "user"))
    assert signed_in[0].text == name


def _submit_search(driver, box) -> None:
    """Submit the search box and wait for the results page. `submit()` runs the form's submit in
    the page and returns before the next page has loaded: a CI run once looked for `#total`
    while the old page was still there (NoSuchElementException)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    box.submit()
    WebDriverWait(driver, 20).until(expected_conditions.staleness_of(box))
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "total"))


def _banners(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [b.get_attribute("data-level") for b in driver.find_elements(By.CLASS_NAME, "banner")]


def test_two_users_search_open_export_in_a_real_browser(server, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    settings, url, tmp_path = server
    driver, downloads = browser
    shots = tmp_path / "screenshots"
    shots.mkdir()

    for name, highest, count in [("thuong", "unclassified", 2), ("toimat", "secret", 4)]:
        _sign_in(driver, url, name)
        box = driver.find_element(By.ID, "q")
        box.send_keys("bảo quản vũ khí")
        assert driver.find_element(By.ID, "facets-toggle").is_selected()  # facets by default
        _submit_search(driver, box)
        assert driver.find_elements(By.CSS_SELECTOR, "#facets li")
        assert driver.find_element(By.ID, "total").text == f"{count} kết quả"
        assert _banners(driver) == [highest, highest]  # top and bottom, the highest level shown
        levels = {h.get_attribute("data-level") for h in driver.find_elements(By.CLASS_NAME, "hit")}
        assert max(levels, key=["unclassified", "confidential", "secret", "top-secret"].index) == highest
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, ".snippet mark")]
        assert "bảo quản vũ khí" in marks  # one run, not four marks
        driver.save_screenshot(str(shots / f"search-{name}.png"))

        driver.find_element(By.CSS_SELECTOR, f'.hit[data-level="{highest}"] a.title').click()
        document = WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "article.document"))
        assert document[0].get_attribute("data-id")
        assert _banners(driver)[0] == highest
        driver.save_screenshot(str(shots / f"document-{name}.png"))

        driver.get(url + "/export")
        driver.find_element(By.ID, "export-q").send_keys("bảo quản vũ khí")
        driver.find_element(By.ID, "export-submit").click()
        expected = "kiem-tra.zip" if highest == "unclassified" else "kiem-tra.TOI-MAT.zip"
        deadline = time.monotonic() + 15
        while not (downloads / expected).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (downloads / expected).exists(), sorted(p.name for p in downloads.iterdir())
        driver.get(url + "/logout")  # a GET: refused, nothing changes
        assert "405" in driver.title or "Phương thức" in driver.page_source

    # the box clears the facets: the next search counts none
    _sign_in(driver, url, "thuong")
    driver.find_element(By.ID, "q").send_keys("bảo quản vũ khí")
    driver.find_element(By.ID, "facets-toggle").click()
    _submit_search(driver, driver.find_element(By.ID, "q"))
    assert driver.find_element(By.ID, "total").text == "2 kết quả"
    assert not driver.find_elements(By.CSS_SELECTOR, "#facets li")
    assert not driver.find_element(By.ID, "facets-toggle").is_selected()

    # the XSS document's title is text, and nothing ran
    driver.get(url + "/doc/docxss")
    assert driver.find_element(By.CSS_SELECTOR, "article.document h1").text.endswith(XSS_TITLE)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    driver.save_screenshot(str(shots / "xss-as-text.png"))

    # a forged CSRF token is refused and nothing is saved
    driver.get(url + "/?q=v%C5%A9+kh%C3%AD")
    driver.execute_script("document.querySelector('#save-form input[name=csrf_token]').value = 'forged';"
                          "document.querySelector('#save-form input[name=name]').value = 'forged-save';")
    driver.find_element(By.CSS_SELECTOR, "#save-form button").click()
    # The refusal is a new page: wait for it (a loaded machine may still show the old one).
    WebDriverWait(driver, 15).until(lambda d: "CSRF" in d.page_source)
    driver.get(url + "/saved")
    assert "forged-save" not in driver.page_source
    assert all(p.stat().st_size > 1000 for p in shots.iterdir())
    print(f"screenshots in {shots}")
