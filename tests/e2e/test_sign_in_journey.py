"""A demo candidate signs in through the provider's real page, sees /me and signs out (issue 4)."""

import re

import pytest
from playwright.sync_api import Browser, expect

from portal.demo.users import demo_user

pytestmark = pytest.mark.e2e
AIGERIM = demo_user("candidate-aigerim")


@pytest.mark.parametrize("javascript", [True, False])
def test_sign_in_me_sign_out(browser: Browser, live_url: str, javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    page = context.new_page()
    page.goto(live_url + "/astana/")
    page.get_by_role("link", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    page.get_by_role("link", name=re.compile("Continue to")).click()
    # The local provider's own page: choose the predefined demo user.
    page.get_by_role("button", name=f"Authorize as {AIGERIM.sub}").click()
    # Back on the portal, at the page where sign-in started.
    expect(page).to_have_url(re.compile(r"/astana/?$"))
    page.get_by_role("link", name="My account").click()
    expect(page.locator("h1")).to_have_text("My account")
    expect(page.locator("dd").nth(1)).to_have_text(f"{AIGERIM.iin[:4]}******{AIGERIM.iin[-2:]}")
    expect(page.get_by_text(AIGERIM.iin, exact=True)).to_have_count(0)
    page.get_by_role("link", name="Sign out").first.click()
    page.get_by_role("button", name="Sign out").click()
    # The provider's end-session page, then back to the portal's confirmation.
    page.get_by_role("button", name="End session").click()
    expect(page.locator("h1")).to_have_text("You have signed out")
    page.goto(live_url + "/me")
    expect(page.locator("h1")).to_have_text("Sign in")
    context.close()
