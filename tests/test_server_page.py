"""The web page of `kokoro serve`, used as a person would: in headless Chromium, against a real uvicorn
serving the tiny random model.

Playwright drives Debian's Chromium (scripts/test.sh installs it with apt-get). The page is
judged by what it shows: its status, the seconds-heard clock (driven by the AudioContext, so
it moves only while audio plays), and which words carry the highlight, recorded by a
MutationObserver as the classes change.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import test_server
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect, sync_playwright
from test_server import FakeSpeech, sentences, serving, settings

from kokoro_tui.home import DataHome
from kokoro_tui.server.app import create_app

TEXT = "Hello there. How are you today?"
SLOW_CHUNKS = 20
# Sound without a click first, and without a sound card: Chromium falls back to a fake output whose clock runs.
CHROMIUM_ARGS = ["--autoplay-policy=no-user-gesture-required"]
TIMEOUT_MS = 20_000
VOICES_LISTED = "2 voices"  # the tiny home's af_heart and am_adam
KEY = "page-key"
# Every word that gets the highlight, with the seconds-heard clock shown then, every state of the page, and
# every buffer of audio started (when it was asked to play, when it was started, its length and loudest sample),
# in order (window.seen.words / .states / .sounds).
RECORDER = """() => {
  window.seen = {words: [], states: [], sounds: []};
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (when, ...rest) {
    const peak = this.buffer.getChannelData(0).reduce((most, sample) => Math.max(most, Math.abs(sample)), 0);
    window.seen.sounds.push({at: when, now: this.context.currentTime, seconds: this.buffer.duration, peak});
    return start.call(this, when, ...rest);
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.target === document.body) {
        window.seen.states.push(document.body.dataset.state);
      } else if (change.target.classList.contains('current')) {
        const clock = document.getElementById('clock').textContent;
        window.seen.words.push({word: change.target.textContent, heard: parseFloat(clock) || 0});
      }
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['class', 'data-state']});
}"""
# How far the clock shown at a word's highlight may be from the word's start: the clock's 0.1 s
# rounding, a frame or two of lag, and a loaded machine.
HIGHLIGHT_SLACK_S = 0.2

home = test_server.home  # the fixture: the tiny model's data home, one per module


def chromium_path() -> str:
    """Debian's Chromium; a skip only where there is no apt-get to install it (scripts/test.sh does)."""
    path = shutil.which("chromium")
    if path is None and shutil.which("apt-get") is None:
        pytest.skip("no Chromium here and no apt-get to install Debian's chromium package (scripts/test.sh does)")
    assert path is not None, "Chromium is missing: run scripts/test.sh, which installs it (apt-get install chromium)"
    return path


@pytest.fixture(scope="module")
def url(home: DataHome) -> Iterator[str]:
    with serving(create_app(settings(home))) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextmanager
def opened(browser: Browser, url: str) -> Iterator[Page]:
    """The page at ``url``; no script error allowed."""
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    yield page
    page.close()
    assert errors == []


@pytest.fixture
def page(browser: Browser, url: str) -> Iterator[Page]:
    """The page with its voices listed and a recorder of highlights and states installed."""
    with opened(browser, url) as page:
        expect(page.locator("#status")).to_have_text(VOICES_LISTED)
        page.evaluate(RECORDER)
        yield page


def seconds_heard(page: Page) -> float:
    shown = page.locator("#clock").text_content() or ""
    return float(shown.removesuffix(" s")) if shown else 0.0


def test_play_streams_a_blend_and_highlights_each_word_as_it_is_heard(page: Page, url: str) -> None:
    page.fill("#text", TEXT)
    page.select_option("#voice", "am_adam")
    page.check("#blend")
    page.select_option("#voice2", "af_heart")
    page.fill("#weight", "70")
    page.fill("#speed", "0.8")
    expect(page.locator("#voice-spec")).to_have_text("am_adam:0.7,af_heart:0.3")
    with page.expect_request("**/dev/captioned_speech") as sent:
        page.click("#play")
    expect(page.locator("body")).to_have_attribute("data-state", "playing")
    started = time.monotonic()
    expect(page.locator(".word.current")).to_have_count(1)
    expect(page.locator("body")).to_have_attribute("data-state", "done")
    elapsed = time.monotonic() - started
    heard = seconds_heard(page)
    seen = page.evaluate("window.seen")

    body = sent.value.post_data_json
    assert body == {"input": TEXT, "voice": "am_adam:0.7,af_heart:0.3", "speed": 0.8, "response_format": "wav",
                    "stream": True}
    assert seen["states"] == ["loading", "playing", "done"]
    assert [word["word"] for word in seen["words"]] == re.findall(r"\w+", TEXT), "the highlight skipped or reordered words"
    sounds = seen["sounds"]
    assert all(sound["peak"] > 0.01 and sound["at"] >= sound["now"] for sound in sounds), "silence, or started late"
    assert sum(sound["seconds"] for sound in sounds) == pytest.approx(heard, abs=0.1)
    for before, after in itertools.pairwise(sounds):
        ends = before["at"] + before["seconds"]
        assert after["at"] >= ends - 1e-6, "two chunks overlap"
        if after["now"] < ends - 0.1:  # it came in time, so it must follow without a gap
            assert after["at"] == pytest.approx(ends, abs=1e-6)
    # The same request again: durations are deterministic, so these are the times the page was given.
    lines = httpx.post(f"{url}/dev/captioned_speech", json=body, timeout=30).text.splitlines()
    assert len(lines) == len(sounds) > 1
    starts = [stamp["start"] for line in lines for stamp in json.loads(line)["timestamps"]]
    for word, start in zip(seen["words"], starts, strict=True):
        assert word["heard"] == pytest.approx(start, abs=HIGHLIGHT_SLACK_S), f"{word['word']!r} lit up off its time"
    assert heard > 0.5, "the audio clock never advanced"
    assert elapsed > 0.7 * heard, f"{heard:.1f} s of audio finished after {elapsed:.1f} s: it did not play in real time"
    expect(page.locator(".word.current")).to_have_count(0)
    expect(page.locator("#reading")).to_have_text(TEXT)


def test_the_page_preselects_the_servers_default_voice(browser: Browser, url: str) -> None:
    """Not the first voice in the list (af_alloy for the stock voices): the one a request without a voice speaks."""
    listing = {"voices": [{"name": name, "language": "American English", "lang_code": "a", "gender": gender}
                          for name, gender in (("af_alloy", "female"), ("af_heart", "female"), ("am_adam", "male"))],
               "default": "af_heart"}  # fmt: skip
    page = browser.new_page()
    page.route("**/v1/audio/voices", lambda route: route.fulfill(json=listing))
    page.goto(url)
    expect(page.locator("#status")).to_have_text("3 voices")
    expect(page.locator("#voice")).to_have_value("af_heart")
    expect(page.locator("#voice-spec")).to_have_text("af_heart")
    page.close()


def test_stop_silences_the_page_and_ends_the_synthesis(browser: Browser, home: DataHome) -> None:
    speech = FakeSpeech(delay=0.3)  # a chunk every 0.3 s: Stop comes long before the last
    with serving(create_app(settings(home), pipelines=speech)) as slow_url, opened(browser, slow_url) as page:
        expect(page.locator("#status")).to_have_text(VOICES_LISTED)
        page.fill("#text", sentences("Part", SLOW_CHUNKS))
        page.click("#play")
        expect(page.locator("body")).to_have_attribute("data-state", "playing")
        expect(page.locator(".word.current")).to_have_count(1)
        page.click("#stop")
        expect(page.locator("body")).to_have_attribute("data-state", "stopped")
        expect(page.locator(".word.current")).to_have_count(0)
        heard = seconds_heard(page)
        time.sleep(0.5)
        assert seconds_heard(page) == heard, "the clock went on after Stop"
        made = len(speech.made_of("Part"))
        time.sleep(0.6)
        assert len(speech.made_of("Part")) == made < SLOW_CHUNKS, "the server went on synthesising after Stop"
        assert httpx.get(f"{slow_url}/health").json()["active_requests"] == 0
        assert page.locator("#play").is_enabled() and page.locator("#stop").is_disabled()


def test_the_servers_refusal_is_shown_in_the_page(page: Page) -> None:
    page.fill("#text", "?!?")
    page.click("#play")
    expect(page.locator("body")).to_have_attribute("data-state", "error")
    expect(page.locator("#error")).to_be_visible()
    assert "speak" in (page.locator("#error").text_content() or "")
    assert page.locator("#play").is_enabled()


def test_with_an_api_key_the_page_asks_for_it_and_then_speaks(browser: Browser, home: DataHome) -> None:
    with serving(create_app(settings(home, api_key=KEY))) as keyed_url, opened(browser, keyed_url) as page:
        expect(page.locator("#error")).to_contain_text("API key")
        assert page.locator("#play").is_disabled()
        page.fill("#key", KEY)
        page.press("#key", "Enter")
        expect(page.locator("#status")).to_have_text(VOICES_LISTED)
        expect(page.locator("#error")).to_be_hidden()
        page.fill("#text", "Hi.")
        page.click("#play")
        expect(page.locator("body")).to_have_attribute("data-state", "done")


def test_the_page_and_its_files_need_no_key_and_load_nothing_from_elsewhere(home: DataHome) -> None:
    with TestClient(create_app(settings(home, api_key=KEY), pipelines=FakeSpeech())) as client:
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == "default-src 'self'"
        for name, media_type in (("app.js", "javascript"), ("style.css", "text/css"), ("icon.svg", "image/svg+xml")):
            served = client.get(f"/static/{name}")
            assert served.status_code == 200 and media_type in served.headers["content-type"], name
        assert client.get("/static/nothing.js").json()["error"]["message"] == "Not Found"
        assert client.get("/v1/audio/voices").status_code == 401
