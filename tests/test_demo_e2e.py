"""End to end: the demo page in a real headless Chromium, driven by Selenium.

Draws digits with mouse strokes (and one with a finger, on a phone-sized
window), presses Predict, reads the answer from the page and saves screenshots.
Uses Debian's ``chromium`` and ``chromium-driver``; nothing is downloaded
(Selenium Manager stays off). With the pretrained weights present, the page must
read the drawn digits right; without them, a recording stand-in predictor checks
that the page shows exactly what the server answered.

Set ``MINIGRAD_UPDATE_SCREENSHOT=1`` to refresh ``docs/images/demo.png``.
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("flask", reason="the demo needs the [demo] extra (flask)")
pytest.importorskip("waitress", reason="the demo needs the [demo] extra (waitress)")
pytest.importorskip("selenium", reason="browser tests need the [e2e] extra (selenium)")

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from demo.app import create_app
from demo.server import serve_in_background

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = REPO / "models" / "weights" / "lenet5_mnist.npz"
SCREENSHOT = REPO / "docs" / "images" / "demo.png"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
LAPTOP = (1100, 760)
PHONE = (390, 844)

if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
    pytest.skip(
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

# Strokes in fractions of the canvas side (x right, y down); each list is one stroke.
ONE = [[(0.50, 0.18), (0.50, 0.82)]]
SEVEN = [[(0.28, 0.22), (0.72, 0.22), (0.42, 0.82)]]
ZERO = [
    [
        (0.5 + 0.19 * math.sin(2 * math.pi * t / 24), 0.5 - 0.29 * math.cos(2 * math.pi * t / 24))
        for t in range(25)
    ]
]


class RecordingPredictor:
    """Stands in for LeNet-5 when its weights are missing: a fixed random linear map."""

    def __init__(self) -> None:
        self.weights = np.random.default_rng(0).normal(size=(28 * 28, 10))
        self.answers: list[int] = []
        self.lock = threading.Lock()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        logits = batch.reshape(len(batch), -1) @ self.weights
        probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        with self.lock:
            self.answers.extend(int(d) for d in probabilities.argmax(axis=1))
        return probabilities


@pytest.fixture(scope="module")
def predictor() -> RecordingPredictor | None:
    """``None`` means the real pretrained LeNet-5."""
    return None if WEIGHTS.is_file() else RecordingPredictor()


@pytest.fixture(scope="module")
def url(predictor: RecordingPredictor | None) -> Iterator[str]:
    with serve_in_background(create_app(predict_fn=predictor), threads=4) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager look for downloads
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={LAPTOP[0]},{LAPTOP[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with tempfile.TemporaryDirectory(prefix="minigrad-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            driver.set_page_load_timeout(20)
            yield driver
        finally:
            driver.quit()


def _to_offsets(canvas: WebElement, stroke: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Canvas fractions -> pixel offsets from the canvas centre, every ~8 px along the stroke."""
    size = canvas.rect["width"]
    points = [(x * size - size / 2, y * size - size / 2) for x, y in stroke]
    dense = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / 8))
        dense += [
            (x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps) for k in range(1, steps + 1)
        ]
    return [(round(x), round(y)) for x, y in dense]


def draw_with_mouse(driver: webdriver.Chrome, canvas: WebElement, strokes: list) -> None:
    for stroke in strokes:
        offsets = _to_offsets(canvas, stroke)
        actions = ActionChains(driver, duration=5)
        actions.move_to_element_with_offset(canvas, *offsets[0]).click_and_hold()
        for (x0, y0), (x1, y1) in itertools.pairwise(offsets):
            actions.move_by_offset(x1 - x0, y1 - y0)
        actions.release().perform()


def draw_with_finger(driver: webdriver.Chrome, canvas: WebElement, strokes: list) -> None:
    for stroke in strokes:
        offsets = _to_offsets(canvas, stroke)
        builder = ActionBuilder(
            driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"), duration=5
        )
        builder.pointer_action.move_to(canvas, *offsets[0]).pointer_down()
        for x, y in offsets[1:]:
            builder.pointer_action.move_to(canvas, x, y)
        builder.pointer_action.pointer_up()
        builder.perform()


def state(driver: webdriver.Chrome) -> str | None:
    return driver.find_element(By.ID, "result").get_attribute("data-state")


def wait_for_answer(driver: webdriver.Chrome) -> str:
    WebDriverWait(driver, 15).until(lambda d: state(d) in ("done", "error"))
    assert state(driver) == "done", driver.find_element(By.ID, "status").text
    return driver.find_element(By.ID, "digit").text


def expect(predictor: RecordingPredictor | None, digit: int) -> int:
    """The digit the page must show: the drawn one, or the stand-in's last answer."""
    return digit if predictor is None else predictor.answers[-1]


def test_draw_predict_clear_and_screenshot(
    browser: webdriver.Chrome, url: str, predictor: RecordingPredictor | None, tmp_path: Path
) -> None:
    browser.set_window_size(*LAPTOP)
    browser.get(url)
    assert "draw a digit" in browser.title
    canvas = browser.find_element(By.ID, "board")
    assert state(browser) == "idle"

    # Live prediction off: drawing alone asks nothing; the Predict button does.
    live = browser.find_element(By.ID, "live")
    live.click()
    draw_with_mouse(browser, canvas, ONE)
    assert state(browser) == "idle"
    browser.find_element(By.ID, "predict").click()
    assert wait_for_answer(browser) == str(expect(predictor, 1))

    # Clear empties the board and the answer; Predict on an empty board says so.
    browser.find_element(By.ID, "clear").click()
    assert state(browser) == "idle"
    assert browser.find_element(By.ID, "digit").text == "?"
    browser.find_element(By.ID, "predict").click()
    WebDriverWait(browser, 5).until(lambda d: state(d) == "blank")

    # Live prediction on: the answer comes while drawing, with no button pressed.
    live.click()
    draw_with_mouse(browser, canvas, ZERO)
    assert wait_for_answer(browser) == str(expect(predictor, 0))
    browser.find_element(By.ID, "clear").click()
    draw_with_mouse(browser, canvas, SEVEN)
    browser.find_element(By.ID, "predict").click()
    assert wait_for_answer(browser) == str(expect(predictor, 7))

    bars = browser.find_elements(By.CSS_SELECTOR, "#bars .bar")
    assert len(bars) == 10
    top = browser.find_elements(By.CSS_SELECTOR, "#bars .bar.top .label")
    assert [e.text for e in top] == [browser.find_element(By.ID, "digit").text]

    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors  # the page works under its Content-Security-Policy...

    # ...which the browser enforces: an injected inline script does not run.
    ran = browser.execute_script(
        "window.__injected = false;"
        "const s = document.createElement('script');"
        "s.textContent = 'window.__injected = true';"
        "document.body.appendChild(s);"
        "return window.__injected;"
    )
    assert ran is False
    violations = [
        e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]
    ]
    assert violations, "the inline script was blocked without a CSP report"

    time.sleep(0.5)  # let the bars finish their transition
    browser.save_screenshot(str(tmp_path / "demo.png"))
    if os.environ.get("MINIGRAD_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))


def test_touch_drawing_on_a_phone_sized_window(
    browser: webdriver.Chrome, url: str, predictor: RecordingPredictor | None, tmp_path: Path
) -> None:
    browser.set_window_size(*PHONE)
    browser.get(url)
    width = browser.execute_script("return document.documentElement.clientWidth")
    scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= width, "the page scrolls sideways on a phone"
    canvas = browser.find_element(By.ID, "board")
    assert canvas.rect["width"] <= width
    draw_with_finger(browser, canvas, ONE)
    assert wait_for_answer(browser) == str(expect(predictor, 1))
    browser.save_screenshot(str(tmp_path / "demo-phone.png"))
    browser.set_window_size(*LAPTOP)
