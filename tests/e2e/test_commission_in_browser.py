"""Issue 7 in the browser: the members score a candidate who attended the structured interview (cl. 6(4)),
the secretary holds a meeting on the candidate's enrolment (cl. 6(5), 12), the members vote (JS on and
off), the secretary closes the item, and the outcome and the new reserve membership with its two-year
term (rules.md A-10) appear on the meeting page."""

import asyncio
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from litestar import Litestar
from playwright.sync_api import Browser, BrowserContext, Page, expect

from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.reserve.models import ReserveMembership
from portal.rules.terms import membership_end
from portal.selections.models import Selection
from portal.selections.stage_models import InterviewRubric
from tests.conftest import TODAY
from tests.integration.commission.support import (
    ALIYA,
    ASTANA,
    BERIK,
    CHAIR,
    SAULE,
    SECRETARY,
    VOTERS,
    member_ids,
    stage,
)

pytestmark = pytest.mark.e2e

COMPETENCIES = [
    {"code": "c1", "kk": "Көшбасшылық", "ru": "Лидерство", "en": "Leadership"},
    {"code": "c2", "kk": "Коммуникация", "ru": "Коммуникация", "en": "Communication"},
]
PRESENT = (CHAIR, ALIYA, BERIK, SAULE)


@dataclass(frozen=True, slots=True)
class State:
    """A selection of Astana at the interview stage; one candidate attended the interview."""

    selection_id: str
    reference: str
    application_id: str
    candidate_name: str
    members: dict[str, str]

    @property
    def key(self) -> str:
        return f"enrolment:{self.application_id}"


async def _rubric(settings: Settings, selection_id: str) -> str:
    async with session_scope(settings) as session:
        session.add(
            InterviewRubric(selection_id=uuid.UUID(selection_id), tenant_id=ASTANA, competencies=COMPETENCIES)
        )
        selection = await session.get(Selection, uuid.UUID(selection_id))
        assert selection is not None
        return selection.reference


# Listed before the browser fixtures so that its asyncio work finishes before Playwright starts.
@pytest.fixture(scope="module")
def state(app: Litestar, database: Settings) -> State:
    del app  # the demo commission of Astana is seeded with the application
    s = stage(database, count=1, quota=2)
    reference = asyncio.run(_rubric(database, s.selection_id))
    return State(s.selection_id, reference, s.applications[0], s.names[0], member_ids(database))


def _memberships(settings: Settings, application_id: str) -> list[ReserveMembership]:
    """The candidate's reserve memberships, read in a thread of its own (Playwright's loop runs here)."""

    async def work() -> list[ReserveMembership]:
        async with session_scope(settings) as session:
            found = await session.execute(
                sa.select(ReserveMembership).where(
                    ReserveMembership.application_id == uuid.UUID(application_id)  # type: ignore[arg-type]
                )
            )
            return list(found.scalars())

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work()).result()


def _sign_in(page: Page, live_url: str, sub: str, next_url: str) -> None:
    page.goto(f"{live_url}/auth/login/start?next={next_url}")
    page.get_by_role("button", name=f"Authorize as {sub}").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _context(browser: Browser, *, javascript: bool) -> BrowserContext:
    return browser.new_context(locale="en-GB", java_script_enabled=javascript)


def _long(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _score(page: Page, state: State, c1: int, c2: int) -> None:
    page.get_by_role("link", name=re.compile(re.escape(state.candidate_name))).click()
    expect(page.get_by_role("heading", name=state.candidate_name)).to_be_visible()
    page.locator(f"input[name=score-c1][value='{c1}']").check()
    page.locator(f"input[name=score-c2][value='{c2}']").check()
    page.get_by_role("button", name="Save the scores").click()
    expect(page.locator(f"#c-{state.application_id} .tag")).to_have_text("Scored")


def _members_score(browser: Browser, live_url: str, state: State) -> None:
    """Aliya finds the scoring from her account page (JS on); Berik goes straight there (JS off)."""
    aliya = _context(browser, javascript=True).new_page()
    _sign_in(aliya, live_url, ALIYA, "/me")
    aliya.locator("a[href='/astana/commission/scoring']", has_text="Interview scoring").click()
    aliya.get_by_role("link", name=state.reference, exact=True).click()
    _score(aliya, state, 5, 4)
    aliya.context.close()

    berik = _context(browser, javascript=False).new_page()
    _sign_in(berik, live_url, BERIK, f"/astana/commission/scoring/{state.selection_id}")
    _score(berik, state, 4, 4)
    berik.context.close()


def _create_meeting(page: Page, state: State) -> None:
    page.get_by_label("Date and time (Astana time)").fill("2025-02-20T10:00")
    page.get_by_label("Place").fill("Akimat, hall 2")
    # Only this candidate on the agenda (other tests may have left items waiting).
    for box in page.locator("input[name=agenda]").all():
        box.set_checked(box.get_attribute("value") == state.key)
    # The interview recommendation is shown next to the candidate: (4.5 + 4) / 2.
    chosen = page.locator("label", has=page.locator(f"input[value='{state.key}']"))
    expect(chosen).to_contain_text("Averaged score: 4.25")
    expect(chosen).to_contain_text("Rank: 1")
    expect(chosen).to_contain_text("Within the quota")
    page.get_by_role("button", name="Create the meeting").click()
    expect(page.locator("body")).to_contain_text("has been created.")


def _attend_and_open(page: Page, state: State) -> None:
    for sub in VOTERS:
        presence = "present" if sub in PRESENT else "absent"
        page.locator(f"input[name='presence-{state.members[sub]}'][value={presence}]").check()
    page.get_by_role("button", name="Record the attendance").click()
    expect(page.locator("body")).to_contain_text("The attendance has been recorded.")
    expect(page.locator("#quorum-status")).to_contain_text("Quorum met")
    page.get_by_role("button", name="Open the meeting").click()
    expect(page.locator("body")).to_contain_text("The meeting is open.")
    page.get_by_role("button", name="Put to the vote").click()
    expect(page.locator("body")).to_contain_text("The item is put to the vote")


def _vote(browser: Browser, live_url: str, ballot: str, sub: str, *, javascript: bool) -> Page:
    page = _context(browser, javascript=javascript).new_page()
    _sign_in(page, live_url, sub, ballot)
    expect(page.locator("body")).to_contain_text("Enrolment in the reserve")
    page.get_by_role("button", name="For", exact=True).click()
    expect(page.locator("body")).to_contain_text("Your vote has been recorded.")
    expect(page.locator("body")).to_contain_text("You voted: For.")
    return page


def test_cl12_members_score_and_vote_the_secretary_closes_and_the_candidate_is_enrolled(
    state: State, database: Settings, browser: Browser, live_url: str
) -> None:
    _members_score(browser, live_url, state)

    secretary = _context(browser, javascript=True).new_page()
    _sign_in(secretary, live_url, SECRETARY, "/astana/commission/meetings")
    _create_meeting(secretary, state)
    meeting_url = secretary.url.removeprefix(live_url)
    ballot = meeting_url.replace("/commission/meetings/", "/commission/ballots/")
    _attend_and_open(secretary, state)

    voters = [
        _vote(browser, live_url, ballot, ALIYA, javascript=True),
        _vote(browser, live_url, ballot, BERIK, javascript=False),
        _vote(browser, live_url, ballot, CHAIR, javascript=True),
    ]
    # The secretary's page follows the vote by itself (htmx polling), no reload.
    live = secretary.locator("#live")
    expect(live).to_contain_text("3 members have voted.", timeout=15_000)
    expect(live).to_contain_text("For: 3")
    secretary.get_by_role("button", name="Close the vote and count").click()
    expect(secretary.locator("body")).to_contain_text("The vote is closed: Adopted.")
    expect(secretary.locator("[data-outcome=adopted]")).to_have_text("Adopted")
    end = membership_end(TODAY)
    expect(live).to_contain_text(f"Enrolled in the reserve from {_long(TODAY)} to {_long(end)}.")

    (membership,) = _memberships(database, state.application_id)
    assert (membership.starts_on, membership.ends_on) == (TODAY, end)

    # A member without JavaScript sees the outcome on a plain reload.
    berik = voters[1]
    berik.reload()
    expect(berik.locator(f"li#item-{membership.decision_item_id}")).to_contain_text("Adopted")

    # Closed, the meeting leads the secretary and the members to its minutes.
    secretary.get_by_role("button", name="Close the meeting").click()
    expect(secretary.locator("body")).to_contain_text("The meeting is closed.")
    secretary.get_by_role("link", name="Minutes", exact=True).click()
    expect(secretary.get_by_role("button", name="Draw up the minutes")).to_be_visible()
    berik.reload()
    berik.get_by_role("link", name="Minutes", exact=True).click()
    expect(berik.locator("body")).to_contain_text("have not been signed off yet")
    for page in (secretary, *voters):
        page.context.close()
