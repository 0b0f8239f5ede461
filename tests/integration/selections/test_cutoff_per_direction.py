"""The cut-off per sector direction through HTTP (cl. 10; rules.md A-08, A-09, A-27): the simulator
with and without htmx, the numbers per direction, the refusal while a candidate has no direction,
the decision with CSRF, each candidate's status and their own place within their direction."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import httpx
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationStatus, CandidateProfile, Channel
from portal.applications.references import next_reference
from portal.auth.models import User
from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import make_iin
from portal.notifications.models import OutboxMessage
from portal.selections.models import Selection, SelectionDirection, SelectionStatus
from portal.selections.stage_models import CutOff
from tests.conftest import TODAY, csrf_headers
from tests.integration.applications.journey import HTMX_PARTIAL
from tests.integration.selections.test_run_a_selection import _client, _csv, _import

ECONOMY, SOCIAL = "economy_finance", "social_sphere"
ECONOMY_EN, ECONOMY_RU = "Economy and finance", "Экономика и финансы"
SOCIAL_EN = "Social sphere (education, health care, social protection)"
#: (direction, testing score or "" for absent, language): A..D economy (quota 2, B and C tie at the
#: cut), E..G social (quota 1, G absent), H without a direction until the officer puts it right.
PEOPLE = (
    (ECONOMY, "90.00", "en"),
    (ECONOMY, "80.00", "ru"),
    (ECONOMY, "80.00", "en"),
    (ECONOMY, "70.00", "en"),
    (SOCIAL, "85.00", "en"),
    (SOCIAL, "60.00", "en"),
    (SOCIAL, "", "en"),
    (None, "50.00", "en"),
)


def _run[T](settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def go() -> T:
        async with session_scope(settings) as session:
            return await work(session)

    return asyncio.run(go())


async def _selection_in_testing(session: AsyncSession) -> tuple[str, list[uuid.UUID]]:
    """A Karaganda selection at the testing stage whose two directions have their own quotas."""
    selection = Selection(
        tenant_id="KZ-35",
        reference="KZ-35-2025-A09",
        cycle_year=2025,
        status=SelectionStatus.TESTING,
        quota=3,
        contact_email="k@reserve-demo.kz",
        intake_start=TODAY - timedelta(days=60),
        intake_end=TODAY - timedelta(days=31),
        testing_on=TODAY - timedelta(days=10),
    )
    session.add(selection)
    await session.flush()
    session.add_all(
        SelectionDirection(selection_id=selection.id, direction_code=code, tenant_id="KZ-35", quota=quota)
        for code, quota in ((ECONOMY, 2), (SOCIAL, 1))
    )
    ids = []
    for n, (direction, _, language) in enumerate(PEOPLE):
        born = date(1993, 3, 1 + n)
        user = User(
            iin=make_iin(born, n % 2 == 0, 8100 + n),
            issuer="test",
            sub=f"per-direction-{n}",
            given_name="Үміткер",
            family_name=f"Бағыт{n}",
            birth_date=born,
        )
        session.add(user)
        await session.flush()
        session.add(CandidateProfile(user_id=user.id, email=f"direction{n}@example.kz", citizenships=["KZ"]))
        application = Application(
            tenant_id="KZ-35",
            selection_id=selection.id,
            candidate_iin=user.iin,
            user_id=user.id,
            candidate_name=f"Бағыт{n} Үміткер",
            status=ApplicationStatus.IN_TESTING,
            channel=Channel.PORTAL,
            reference=await next_reference(session, "KZ-35", 2025),
            language=language,
            direction_code=direction,
            submitted_at=datetime(2025, 1, 10, tzinfo=UTC),
            reference_date=TODAY - timedelta(days=40),
        )
        session.add(application)
        await session.flush()
        ids.append(application.id)
    return str(selection.id), ids


@contextmanager
def _as(app: Litestar, sub: str) -> Iterator[TestClient[Litestar]]:
    client = _client(app, sub)
    try:
        yield client
    finally:
        client.__exit__(None, None, None)


def _states(settings: Settings, ids: list[uuid.UUID]) -> list[str]:
    async def work(session: AsyncSession) -> list[str]:
        rows = await session.execute(
            sa.select(col(Application.id), col(Application.status)).where(col(Application.id).in_(ids))
        )
        found = dict(rows.all())
        return [str(found[i]) for i in ids]

    return _run(settings, work)


def _fix(client: TestClient[Litestar], url: str, **numbers: str) -> httpx.Response:
    data = {"ties": "1", "min_score": "", "protocol": "No. 7 of 2025-04-10"} | numbers
    return client.post(url, data=data, headers=csrf_headers(client), follow_redirects=False)


def _simulator_without_and_with_htmx(
    client: TestClient[Litestar], cutoff: str, references: list[str]
) -> None:
    page = client.get(cutoff)
    assert page.status_code == 200 and "<html" in page.text
    assert f"{ECONOMY_EN}: number to advance (quota 2)" in page.text
    assert f"{SOCIAL_EN}: number to advance (quota 1)" in page.text
    assert 'name="advance_economy_finance" type="number" min="0" value="2"' in page.text
    assert f'<h2 id="direction-{ECONOMY}">{ECONOMY_EN}</h2>' in page.text
    assert "3 advance, including 2 tied at the cut · cut score 80.00" in page.text
    assert "1 advances · cut score 85.00" in page.text
    # H has no direction: listed, and the decision cannot be fixed yet.
    assert (
        "1 candidate cannot be ranked" in page.text and f"{references[7]}: no sector direction" in page.text
    )
    assert '<input type="hidden" name="advance_social_sphere" value="1">' in page.text

    fragment = client.get(
        f"{cutoff}?advance_economy_finance=1&advance_social_sphere=2&ties=0&ties=1", headers=HTMX_PARTIAL
    )
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<section id="ranking"')
    assert "<html" not in fragment.text
    assert "1 advances · cut score 90.00" in fragment.text  # the economy direction alone changed
    assert "2 advance · cut score 60.00" in fragment.text
    without_ties = client.get(f"{cutoff}?ties=0", headers=HTMX_PARTIAL).text
    assert "1 advances, including 2 tied at the cut · cut score 80.00" in without_ties  # A-08 choice

    bad = client.get(f"{cutoff}?advance_economy_finance=-1")
    assert bad.status_code == 422 and "Enter a whole number of places, 0 or more." in bad.text
    assert 'value="-1" aria-invalid="true"' in bad.text and "Fix the cut-off" not in bad.text
    bad_fragment = client.get(f"{cutoff}?advance_social_sphere=many", headers=HTMX_PARTIAL)
    assert bad_fragment.status_code == 422 and "There is a problem" in bad_fragment.text
    assert 'href="#advance_social_sphere"' in bad_fragment.text


def _letters(settings: Settings, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    async def work(session: AsyncSession) -> dict[uuid.UUID, str]:
        rows = await session.execute(
            sa.select(col(Application.id), col(OutboxMessage.context))
            .join(OutboxMessage, col(OutboxMessage.user_id) == col(Application.user_id))
            .where(col(Application.id).in_(ids), col(OutboxMessage.template) == "application_decision")
        )
        return {application_id: str(context["reason"]) for application_id, context in rows.all()}

    return _run(settings, work)


def test_cl10_a09_the_simulator_and_the_decision_work_per_sector_direction(
    app: Litestar, database: Settings
) -> None:
    selection_id, ids = _run(database, _selection_in_testing)
    url = f"/karaganda/manage/selections/{selection_id}"
    scores = {n: score for n, (_, score, _) in enumerate(PEOPLE) if score}
    content = _csv(database, selection_id, ApplicationStatus.IN_TESTING, scores)
    _import(app, url, "testing", content, uploader="tu-officer-dana", approver="tu-head-marat")
    references = [line.split(";")[0] for line in content.decode().splitlines()[1:]]
    cutoff = f"{url}/cutoff/testing"

    with _as(app, "secretary-gulnar") as secretary:
        _simulator_without_and_with_htmx(secretary, cutoff, references)
        # Invalid numbers are shown again with 422; nothing is recorded.
        invalid = _fix(secretary, cutoff, advance_economy_finance="two")
        assert invalid.status_code == 422 and "Enter a whole number of places" in invalid.text
        # A candidate without a direction: refused with the reason, nobody moves on.
        refused = _fix(secretary, cutoff, advance_economy_finance="2", advance_social_sphere="1")
        assert refused.status_code == 303 and "advance_economy_finance=2" in refused.headers["location"]
        assert "1 candidate has no sector direction" in secretary.get(refused.headers["location"]).text
        assert set(_states(database, ids)) == {"in_testing"}

        async def put_right(session: AsyncSession) -> None:
            application = await session.get(Application, ids[7])
            assert application is not None
            application.direction_code = SOCIAL

        _run(database, put_right)
        fixed = _fix(secretary, cutoff, advance_economy_finance="2", advance_social_sphere="1")
        assert fixed.status_code == 303 and fixed.headers["location"] == url

    advanced, out = "in_competency", "not_advanced"
    assert _states(database, ids) == [advanced, advanced, advanced, out, advanced, out, out, out]
    letters = _letters(database, ids)
    assert letters == {
        ids[0]: f"Your result: 90.00, place 1 in the sector direction {ECONOMY_EN}.",
        ids[1]: f"Ваш результат: 80.00, место 2 в отраслевом направлении «{ECONOMY_RU}».",  # in Russian
        ids[2]: f"Your result: 80.00, place 2 in the sector direction {ECONOMY_EN}.",
        ids[3]: f"Your result: 70.00, place 4 in the sector direction {ECONOMY_EN}.",
        ids[4]: f"Your result: 85.00, place 1 in the sector direction {SOCIAL_EN}.",
        ids[5]: f"Your result: 60.00, place 2 in the sector direction {SOCIAL_EN}.",
        ids[6]: f"Your result: —, place — in the sector direction {SOCIAL_EN}.",
        ids[7]: f"Your result: 50.00, place 3 in the sector direction {SOCIAL_EN}.",
    }

    async def decision(session: AsyncSession) -> tuple[CutOff, dict[str, object]]:
        cut = (
            await session.execute(
                sa.select(CutOff).where(col(CutOff.selection_id) == uuid.UUID(selection_id))
            )
        ).scalar_one()
        event = (
            await session.execute(
                sa.select(AuditEvent).where(
                    col(AuditEvent.action) == "selection.cut_off", col(AuditEvent.object_id) == selection_id
                )
            )
        ).scalar_one()
        return cut, dict(event.after or {})

    cut, after = _run(database, decision)
    assert cut.advance_count == 3 and cut.include_ties and len(cut.snapshot_sha256) == 64
    assert set(cut.snapshot["directions"]) == {ECONOMY, SOCIAL}
    assert after["advanced"] == 4 and after["sha256"] == cut.snapshot_sha256
    assert after["directions"] == {ECONOMY: {"limit": 2, "advanced": 3}, SOCIAL: {"limit": 1, "advanced": 1}}
