"""Issue 8 in the browser: an appointing official files a cl. 16 proposal (the member confirms in the
portal, the service record is attached) and the territorial unit of the post's region accepts it."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from litestar import Litestar
from playwright.sync_api import Browser, Page, expect

from portal.core.settings import Settings
from tests.conftest import TEST_CANDIDATES
from tests.integration.applications.journey import pdf_bytes
from tests.integration.appointments.support import ADMIN, ASTANA, add_post, make_member, unique
from tests.integration.appointments.support import browser as signed_in_client

pytestmark = pytest.mark.e2e

MEMBER = TEST_CANDIDATES[32]


@dataclass(frozen=True, slots=True)
class State:
    position_id: str
    title: str
    member_name: str


# Listed before the browser fixtures so that its asyncio work finishes before Playwright starts.
@pytest.fixture(scope="module")
def state(app: Litestar, database: Settings) -> State:
    title = unique("Head of the department of physical culture")
    with signed_in_client(app, ADMIN) as admin:
        position_id = add_post(admin, database, "astana", title)
    with signed_in_client(app, MEMBER.sub):
        make_member(database, ASTANA, person=MEMBER)  # signed in once, so the account exists
    return State(position_id, title, f"{MEMBER.family_name} {MEMBER.given_name}")


def _sign_in(page: Page, live_url: str, sub: str, next_url: str) -> None:
    page.goto(f"{live_url}/auth/login/start?next={next_url}")
    page.get_by_role("button", name=f"Authorize as {sub}").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_cl16_an_official_files_a_proposal_and_the_territorial_unit_accepts_it(
    state: State, browser: Browser, live_url: str, tmp_path: Path
) -> None:
    record = tmp_path / "service-record.pdf"
    record.write_bytes(pdf_bytes())

    official = browser.new_context(locale="en-GB").new_page()
    _sign_in(official, live_url, "appointing-timur", "/astana/appointments/proposals/new")
    official.get_by_label("Vacant post").select_option(state.position_id)
    official.get_by_label(re.compile(re.escape(state.member_name))).check()
    official.get_by_role("button", name="Prepare the proposal").click()
    expect(official.locator("body")).to_contain_text("the member is asked to confirm their application")
    proposal_url = official.url.removeprefix(live_url)
    proposal_id = proposal_url.rsplit("/", 1)[-1]

    member = browser.new_context(locale="en-GB").new_page()
    _sign_in(member, live_url, MEMBER.sub, f"/me/proposals/{proposal_id}")
    expect(member.locator("body")).to_contain_text(state.title)
    member.get_by_role("button", name="I confirm my application for this post").click()
    expect(member.locator("body")).to_contain_text("You have confirmed your application for the post.")

    official.goto(f"{live_url}{proposal_url}")
    official.locator("input[name=service_record]").set_input_files(record)
    official.get_by_role("button", name="Attach the service record").click()
    expect(official.locator("body")).to_contain_text("The service record has been attached.")
    expect(official.locator("body")).to_contain_text("Clause 16: to the territorial unit")
    official.get_by_role("button", name="File the proposal").click()
    expect(official.locator("body")).to_contain_text("The proposal has been filed.")

    # The territorial unit works without JavaScript: every page is a plain form.
    unit = browser.new_context(locale="en-GB", java_script_enabled=False).new_page()
    _sign_in(unit, live_url, "tu-officer-dana", "/astana/appointments/review")
    unit.get_by_role("link", name=state.title).click()
    expect(unit.locator("body")).to_contain_text(state.member_name)
    unit.get_by_label("Accept the proposal").check()
    unit.get_by_role("button", name="Record the decision").click()
    expect(unit.locator("body")).to_contain_text("The proposal has been accepted.")

    official.reload()
    expect(official.locator("body")).to_contain_text("Upload the act of appointment")
    for page in (official, member, unit):
        page.context.close()
