"""A real browser against a live server: Debian's Chromium, driven by Playwright.

Each test runs in Chinese and in English, at a laptop's 1366 px and a phone's 390 px, and
saves a screenshot of every page it passes through to ``var/screenshots/`` (named
``<page>-<language>-<width>.png``), to be looked at, not only asserted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.conftest import CHROMIUM

# Playwright's synchronous API runs an event loop in the test's thread; the ORM calls the
# tests make beside it are synchronous all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "correct-horse-battery"  # the factories' password
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-GB"}
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@dataclass
class Visit:
    """A page of one browser context, in one language and at one width."""

    page: Any
    base_url: str
    language: str
    width: str

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.language}-{self.width}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def overflow(self) -> int:
        """How many pixels the page is wider than the window (0: nothing to scroll sideways)."""
        return int(self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))

    def untranslated(self) -> list[str]:
        """In Chinese, the page's buttons, headings and column titles that read in English
        (the records' own text is Chinese, the user names are not looked at). Acronyms in
        capitals (API, PDF) are Chinese usage too."""
        if self.language != "zh-hans":
            return []
        labels = self.page.locator(
            "#content :is(h1, fieldset h2, .object-tools a, .submit-row input, .submit-row a,"
            " thead th, label)"
        )
        return [
            t
            for t in labels.all_text_contents()
            if any(not word.isupper() for word in re.findall("[A-Za-z]{3,}", t))
        ]

    def accessibility(self) -> list[str]:
        """The axe-core rules the page breaks with a "serious" or "critical" impact, each as
        ``rule-id: what is wrong (how many elements)``; an empty list is a pass."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        return [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    def log_in(self, username: str) -> None:
        self.go("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")


@pytest.fixture(params=list(LANGUAGES), ids=list(LANGUAGES))
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def visit(
    request: pytest.FixtureRequest, chromium: Any, live_server: Any, language: str
) -> Iterator[Visit]:
    width, height = WIDTHS[request.param]
    context = chromium.new_context(
        viewport={"width": width, "height": height},
        locale=LANGUAGES[language],
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    # Nothing may leave the machine: a request to any other host fails the test.
    outside: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    yield Visit(context.new_page(), live_server.url, language, request.param)
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
