"""Issue 6 in the browser: the head reviews documents and admits; an officer's results file is
checked row by row before anything is stored, and a colleague approves it (JS on and off)."""

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from playwright.sync_api import Browser, Page, expect

from portal.applications.models import Application, ApplicationStatus, Channel
from portal.applications.references import next_reference
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import make_iin
from portal.selections.models import Selection, SelectionStatus
from tests.conftest import TEST_CANDIDATES, TODAY
from tests.integration.applications.journey import post, ready_application

pytestmark = pytest.mark.e2e


@dataclass(frozen=True, slots=True)
class State:
    """Two submitted applications in Astana and one Karaganda selection at testing."""

    submitted: tuple[str, str]
    testing_selection: str
    references: tuple[str, ...]


def _submit(app: Litestar, who: int) -> str:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as candidate:
        base = ready_application(candidate, TEST_CANDIDATES[who].sub)
        assert post(candidate, f"{base}/submit").status_code == 303  # type: ignore[attr-defined]
    return base.rsplit("/", 1)[1]


async def _testing_selection(settings: Settings) -> tuple[str, tuple[str, ...]]:
    async with session_scope(settings) as session:
        selection = Selection(
            tenant_id="KZ-35",
            reference="KZ-35-2026-E2E",
            cycle_year=TODAY.year,
            status=SelectionStatus.TESTING,
            quota=2,
            contact_email="k@reserve-demo.kz",
            published_on=TODAY - timedelta(days=60),
            intake_start=TODAY - timedelta(days=30),
            intake_end=TODAY - timedelta(days=20),
        )
        session.add(selection)
        await session.flush()
        references = []
        for n in range(3):
            application = Application(
                tenant_id="KZ-35",
                selection_id=selection.id,
                candidate_iin=make_iin(date(1994, 3, 1 + n), n % 2 == 0, 8100 + n),
                candidate_name=f"Сынақ Үміткер {n}",
                status=ApplicationStatus.IN_TESTING,
                channel=Channel.PAPER,
                reference=await next_reference(session, "KZ-35", TODAY.year),
                language="kk",
                submitted_at=datetime.now(UTC),
                reference_date=TODAY,
            )
            session.add(application)
            references.append(str(application.reference))
        return str(selection.id), tuple(references)


# Listed before the browser fixtures so that its asyncio work finishes before Playwright starts.
@pytest.fixture(scope="module")
def state(app: Litestar, database: Settings) -> State:
    submitted = (_submit(app, 21), _submit(app, 22))
    selection_id, references = asyncio.run(_testing_selection(database))
    return State(submitted, selection_id, references)


def _sign_in(page: Page, live_url: str, sub: str, next_url: str) -> None:
    page.goto(f"{live_url}/auth/login/start?next={next_url}")
    page.get_by_role("button", name=f"Authorize as {sub}").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


@pytest.mark.parametrize(("javascript", "which"), [(True, 0), (False, 1)])
def test_cl8_cl13_the_head_reviews_documents_and_admits_in_the_browser(
    state: State, browser: Browser, live_url: str, javascript: bool, which: int
) -> None:
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    page = context.new_page()
    view = f"/astana/officer/applications/{state.submitted[which]}"
    _sign_in(page, live_url, "tu-head-marat", view)
    forms = page.locator("form[action$='/review']")
    expect(forms).to_have_count(4)
    # A rejection without a reason is refused with a message, not stored.
    forms.nth(3).locator("select[name=verdict]").select_option("rejected")
    forms.nth(3).get_by_role("button", name="Record").click()
    expect(page.get_by_text("Choose why the document is not accepted.")).to_be_visible()
    for index in range(4):
        form = page.locator("form[action$='/review']").nth(index)
        form.locator("select[name=verdict]").select_option("accepted")
        form.get_by_role("button", name="Record").click()
        expect(page.locator(".tag", has_text="Accepted")).to_have_count(index + 1)
    page.get_by_label("Admit to the selection").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("body")).to_contain_text("Admitted")
    context.close()


def _upload(page: Page, path: Path) -> None:
    page.get_by_label("Results file").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()


def test_cl6_2_the_import_preview_lists_every_problem_then_a_colleague_approves(
    state: State, browser: Browser, live_url: str, tmp_path: Path
) -> None:
    first, second, third = state.references
    bad = tmp_path / "bad.csv"
    bad.write_text(f"reference;score;absent\n{first};101;no\n{first};50;no\nKZ-00-0000-99999;40;no\n")
    good = tmp_path / "testing.csv"
    good.write_text(f"reference;score;absent\n{first};81.5;no\n{second};64;no\n{third};;yes\n")
    results = f"/karaganda/manage/selections/{state.testing_selection}/results/testing"

    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    _sign_in(page, live_url, "tu-officer-dana", results)
    _upload(page, bad)
    expect(page.get_by_role("alert")).to_contain_text("problems: nothing has been stored")
    problems = page.locator("table tbody tr")
    expect(problems.filter(has_text="Score out of range")).to_have_count(1)
    expect(problems.filter(has_text="The same candidate twice")).to_have_count(1)
    expect(problems.filter(has_text="Unknown candidate")).to_have_count(1)
    _upload(page, good)
    expect(page.get_by_text("3 rows checked without problems")).to_be_visible()
    # The uploader is not offered the approval (four eyes).
    expect(page.get_by_role("button", name="Approve and store the results")).to_have_count(0)
    context.close()

    colleague = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = colleague.new_page()
    _sign_in(page, live_url, "tu-head-marat", results)
    page.get_by_role("button", name="Approve and store the results").click()
    expect(page.get_by_text("3 results have been stored.")).to_be_visible()
    colleague.close()
