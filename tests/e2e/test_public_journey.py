"""A reader's journey in a real browser, with JavaScript on and off (issue 2, "Done when")."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e


def _journey(page: Page, live_url: str, *, javascript: bool) -> None:
    page.goto(live_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    # Pick a region.
    page.get_by_role("link", name="Қостанай облысы").first.click()
    expect(page).to_have_url(re.compile(r"/kostanay/?$"))
    page.get_by_role("link", name=re.compile("Хабарландырулар")).first.click()
    expect(page).to_have_url(re.compile(r"/kostanay/announcements"))
    # Filter: with JS htmx swaps the results and pushes the URL; without JS the form submits.
    page.select_option("#status", "open")
    if not javascript:
        page.get_by_role("button", name="Көрсету").click()
    expect(page).to_have_url(re.compile(r"status=open"))
    expect(page.locator("#results .tag")).to_have_count(1)
    expect(page.locator("#results .tag--open")).to_have_count(1)
    # Open the announcement.
    page.locator("#results .card__title a").first.click()
    expect(page.locator("h1")).to_contain_text("Қостанай")
    expect(page.locator(".timeline__item")).to_have_count(5)
    # Switch to Russian and back.
    page.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h2#who")).to_have_text("Кто может участвовать")
    page.get_by_role("link", name="Қазақша").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")


def test_journey_with_javascript(browser: Browser, live_url: str) -> None:
    context = browser.new_context(java_script_enabled=True, locale="kk-KZ")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    _journey(page, live_url, javascript=True)
    assert page.evaluate("typeof window.htmx") == "object", "htmx loaded under the CSP with its SRI hash"
    assert errors == []
    context.close()


def test_journey_without_javascript(browser: Browser, live_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="kk-KZ")
    _journey(context.new_page(), live_url, javascript=False)
    context.close()


def test_filter_with_htmx_swaps_only_the_results(browser: Browser, live_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_url + "/abai/announcements")
    page.evaluate("document.querySelector('h1').dataset.marker = 'kept'")
    page.select_option("#status", "completed")
    expect(page.locator("#results .tag--completed").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"status=completed"))
    # The heading was not re-rendered: only #results was swapped.
    assert page.evaluate("document.querySelector('h1').dataset.marker") == "kept"
    context.close()
