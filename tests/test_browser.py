"""The offline page in a real browser: headless Chromium (Debian `chromium` + `chromium-driver`)
driven by selenium, at a phone's 360×740 and a desktop's 1280×800.

What to do now is at the top and visible without scrolling; 复制 puts the text on the clipboard
(navigator.clipboard, and the hidden-textarea fallback a file:// page may need); the QR codes,
photographed off the screen, decode to the full text of the step; the page loads nothing.
Screenshots are saved in the test's folder (and in $BUYER_HELPER_SCREENSHOTS when set).

This test FAILS, never skips, when the browser is missing: CI installs it.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from buyer_helper.casefile.sample_case import SAMPLE_NOW
from buyer_helper.cli import main
from buyer_helper.texts.phonepage import PAGE_FILE, split_for_qr

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_create_connection = socket.create_connection
_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture
def loopback_only(no_network, monkeypatch):
    """Selenium talks to chromedriver over loopback: allow 127.0.0.1/::1/localhost, and keep
    refusing every other address (the autouse `no_network` fixture's rule)."""

    def host_of(address):
        return address[0] if isinstance(address, tuple) else address

    def check(host):
        if host not in LOOPBACK:
            raise AssertionError(f"network access attempted: {host!r}")

    def connect(self, address):
        check(host_of(address))
        return _real_connect(self, address)

    def connect_ex(self, address):
        check(host_of(address))
        return _real_connect_ex(self, address)

    def create_connection(address, *args, **kwargs):
        check(host_of(address))
        return _real_create_connection(address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        check(host)
        return _real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_loopback_only_still_refuses_other_hosts(loopback_only):
    with pytest.raises(AssertionError, match="network access attempted"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
    with pytest.raises(AssertionError, match="network access attempted"):
        socket.getaddrinfo("example.com", 443)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("browser") / "示例"
    result = CliRunner().invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    return folder / "out" / PAGE_FILE


def _fontconfig(folder: Path) -> Path:
    """A fontconfig file adding the Chinese font buyer-helper installs (for the PDF) to the
    system's, so the screenshots show Chinese on a machine without a CJK system font."""
    from buyer_helper.pdf.fonts import font_path

    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{font_path('sans').parent}</dir>\n"
        f"  <cachedir>{folder / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture
def browser(loopback_only, tmp_path):
    assert CHROMIUM.exists(), f"找不到 {CHROMIUM}：请安装 Debian 包 chromium（apt install chromium)"
    assert CHROMEDRIVER.exists(), (
        f"找不到 {CHROMEDRIVER}：请安装 Debian 包 chromium-driver（apt install chromium-driver）"
    )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="bh-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(flag)
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(tmp_path))}
    # an explicit driver path: selenium-manager is never asked to download anything
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER), env=env), options=opts)
    try:
        driver.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _save(driver, path: Path, full: bool = False) -> None:
    import base64

    if full:
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )
        path.write_bytes(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(str(path))
    extra = os.environ.get("BUYER_HELPER_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)


def _clipboard(driver) -> str:
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "(window.__clip || navigator.clipboard).readText().then(done, e => done('ERROR ' + e));"
    )


@pytest.mark.parametrize(
    ("name", "width", "height", "scale", "mobile"),
    [("phone", 360, 740, 3, True), ("desktop", 1280, 800, 1, False)],
)
def test_the_page_in_chromium(browser, page, tmp_path, name, width, height, scale, mobile):
    from selenium.webdriver.common.by import By

    d = browser
    d.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile},
    )
    d.get(page.as_uri())
    assert d.execute_script("return window.innerWidth") == width
    # nothing loaded from anywhere: the page is the only resource
    assert d.execute_script("return performance.getEntriesByType('resource').length") == 0
    # no sideways scrolling on a phone
    assert d.execute_script("return document.documentElement.scrollWidth") <= width

    # what to do now: the first block, whole on the first screen
    top, bottom = d.execute_script(
        "const r = document.getElementById('now').getBoundingClientRect();return [r.top, r.bottom];"
    )
    assert 0 <= top < bottom <= height
    first = d.execute_script(
        "return [...document.querySelectorAll('main > section')].filter("
        "s => s.offsetParent !== null)[0].id"
    )
    assert first == "now"
    now_text = d.find_element(By.ID, "now").text
    for label in ("现在先做", "截止", "现在开放"):
        assert label in now_text
    _save(d, tmp_path / f"page-{name}-top.png")

    # 复制 on the next step's text puts that text on the clipboard
    card = d.find_element(By.CSS_SELECTOR, ".text-card.next")
    text = d.execute_script("return arguments[0].querySelector('pre.text').textContent", card)
    txt_files = {p.read_text(encoding="utf-8") for p in page.parent.glob("*.txt")}
    assert text in txt_files
    button = card.find_element(By.CSS_SELECTOR, "button.copy")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    assert "已复制" in card.find_element(By.CSS_SELECTOR, ".copied").text
    assert _clipboard(d) == text

    # the fallback (hidden textarea + execCommand) when navigator.clipboard is not there
    other = d.find_elements(By.CSS_SELECTOR, ".text-card")[-1]
    other_text = d.execute_script(
        "return arguments[0].querySelector('pre.text').textContent", other
    )
    assert other_text != text
    d.execute_script(
        "window.__clip = navigator.clipboard;"
        "Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});"
    )
    button = other.find_element(By.CSS_SELECTOR, "button.copy")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    assert "已复制" in other.find_element(By.CSS_SELECTOR, ".copied").text
    assert _clipboard(d) == other_text

    # the QR codes as the screen shows them decode to the full text of the step
    decoded = []
    for svg in card.find_elements(By.CSS_SELECTOR, "figure svg.qr"):
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", svg)
        shot = Image.open(io.BytesIO(svg.screenshot_as_png))
        results = zxingcpp.read_barcodes(shot)
        assert len(results) == 1, f"{name}: a QR code on the screen did not decode"
        decoded.append(results[0].text)
    assert decoded == split_for_qr(text)
    assert "".join(decoded) == text
    d.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    _save(d, tmp_path / f"page-{name}-text.png")
    d.execute_script("window.scrollTo(0, 0)")
    _save(d, tmp_path / f"page-{name}-full.png", full=True)

    # printing: no buttons, every folded part opened
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert d.execute_script(
        "return [...document.querySelectorAll('button.copy')].every("
        "b => getComputedStyle(b).display === 'none')"
    )
    d.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert d.execute_script("return [...document.querySelectorAll('details')].every(x => x.open)")
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
