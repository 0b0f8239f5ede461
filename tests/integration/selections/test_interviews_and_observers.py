"""Stage 4 (cl. 6(4)): the interview schedule, invitations, no-shows and reschedules (rules.md A-13);
cl. 12: observers invited by IIN who see pseudonyms only, and only during the interview stage.

The selection is put at the interview stage directly in the database (the checks of cl. 11 have
their own tests): candidates IN_INTERVIEW, each with a VettingCheck row per CHECK_ITEMS item.
"""

import asyncio
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import col

from portal.app import create_app
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus, CandidateProfile
from portal.applications.references import next_reference
from portal.auth.models import User
from portal.core.audit import AuditEvent
from portal.core.clock import Clock
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import make_iin
from portal.notifications.models import OutboxMessage
from portal.rules.vetting import CHECK_ITEMS
from portal.selections.models import AnnouncementText, Selection, SelectionStatus
from portal.selections.stage_models import (
    InterviewSlot,
    ObserverInvitation,
    SlotStatus,
    VettingCheck,
    VettingStatus,
)
from tests.conftest import TEST_CANDIDATES, csrf_headers, sign_in
from tests.integration.applications.journey import HTMX_PARTIAL

ASTANA = "KZ-71"
ALMATY = ZoneInfo("Asia/Almaty")
#: People of the OIDC provider this file signs in as (the other test files use other numbers).
CANDIDATE, OBSERVER = TEST_CANDIDATES[33], TEST_CANDIDATES[34]
#: After the Friday 21 February interviews (Almaty time).
AFTER_FRIDAY = Clock(fixed_now=datetime(2025, 2, 21, 8, 0, tzinfo=UTC))


@dataclass(frozen=True)
class Stage:
    selection_id: str
    applications: list[str]
    names: list[str]
    iins: list[str]
    references: list[str]

    @property
    def url(self) -> str:
        return f"/astana/manage/selections/{self.selection_id}"


def _client(app: Litestar, sub: str, language: str = "en") -> TestClient[Litestar]:
    client = TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": language})
    client.__enter__()
    assert sign_in(client, sub).status_code == 303
    return client


@pytest.fixture
def secretary(app: Litestar) -> Iterator[TestClient[Litestar]]:
    client = _client(app, "secretary-gulnar")
    yield client
    client.__exit__(None, None, None)


async def _user(settings: Settings, iin: str, n: int) -> uuid.UUID:
    async with session_scope(settings) as session:
        user = (await session.execute(sa.select(User).where(User.iin == iin))).scalar_one_or_none()  # type: ignore[arg-type]
        if user is None:
            user = User(
                iin=iin,
                issuer="test",
                sub=f"interview-{uuid.uuid4()}",
                given_name="Үміткер",
                family_name=f"Сұхбат{n}",
                birth_date=date(1993, 3, 1 + n),
            )
            session.add(user)
            await session.flush()
        if await session.get(CandidateProfile, user.id) is None:
            session.add(
                CandidateProfile(user_id=user.id, email=f"interview{uuid.uuid4().hex[:8]}@example.kz")
            )
        return user.id


def _stage(settings: Settings, *, count: int = 5, pending: int = 0, real: str | None = None) -> Stage:
    """A selection of Astana at the interview stage with `count` candidates IN_INTERVIEW; the first
    `pending` of them have one cl. 11 check still pending; `real` (an IIN) is the first candidate."""

    async def work() -> Stage:
        iins = [real] if real else []
        iins += [make_iin(date(1993, 3, 1 + n), n % 2 == 1, 9100 + n) for n in range(count - len(iins))]
        users = [await _user(settings, iin, n) for n, iin in enumerate(iins)]
        async with session_scope(settings) as session:
            selection = Selection(
                tenant_id=ASTANA,
                reference=f"T-INT-{uuid.uuid4().hex[:10]}",
                cycle_year=2025,
                status=SelectionStatus.INTERVIEW,
                quota=3,
                contact_email="astana@reserve-demo.kz",
                intake_start=date(2024, 11, 4),
                intake_end=date(2024, 11, 29),
            )
            session.add(selection)
            await session.flush()
            for language, title in (
                ("kk", "Сұхбат іріктеуі"),
                ("ru", "Отбор: собеседование"),
                ("en", "Interviews"),
            ):
                session.add(
                    AnnouncementText(
                        selection_id=selection.id,
                        language=language,
                        tenant_id=ASTANA,
                        title=title,
                        summary=title,
                        body=title,
                    )
                )
            applications, names, references = [], [], []
            for n, (iin, user_id) in enumerate(zip(iins, users, strict=True)):
                reference = await next_reference(session, ASTANA, 2025)
                application = Application(
                    tenant_id=ASTANA,
                    selection_id=selection.id,
                    candidate_iin=iin,
                    user_id=user_id,
                    candidate_name=f"Сұхбатов Кандидат{n}",
                    reference=reference,
                    status=ApplicationStatus.IN_INTERVIEW,
                    language="ru" if n % 2 == 0 else "kk",
                    submitted_at=datetime(2024, 11, 10, tzinfo=UTC),
                )
                session.add(application)
                await session.flush()
                for index, item in enumerate(CHECK_ITEMS):
                    status = VettingStatus.PENDING if n < pending and index == 0 else VettingStatus.CLEAR
                    session.add(
                        VettingCheck(
                            tenant_id=ASTANA, application_id=application.id, item=item.code, status=status
                        )
                    )
                applications.append(str(application.id))
                names.append(application.candidate_name)
                references.append(reference)
            return Stage(str(selection.id), applications, names, iins, references)

    return asyncio.run(work())


def _rows[T](settings: Settings, statement: sa.Select[tuple[T]]) -> list[T]:
    async def work() -> list[T]:
        async with session_scope(settings) as session:
            return list((await session.execute(statement)).scalars())

    return asyncio.run(work())


def _slots(settings: Settings, stage: Stage) -> list[InterviewSlot]:
    return _rows(
        settings,
        sa.select(InterviewSlot)
        .where(InterviewSlot.selection_id == uuid.UUID(stage.selection_id))  # type: ignore[arg-type]
        .order_by(InterviewSlot.starts_at),  # type: ignore[arg-type]
    )


def _told(settings: Settings, slot: InterviewSlot) -> list[OutboxMessage]:
    """The messages about one slot, oldest first."""
    return _rows(
        settings,
        sa.select(OutboxMessage)
        .where(OutboxMessage.idempotency_key.startswith(f"interview:{slot.id}:"))  # type: ignore[union-attr]
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id)),  # ids (v7) break clock ties
    )


def _set_status(settings: Settings, stage: Stage, status: SelectionStatus) -> None:
    async def work() -> None:
        async with session_scope(settings) as session:
            await session.execute(
                sa.update(Selection)
                .where(Selection.id == uuid.UUID(stage.selection_id))
                .values(status=status)  # type: ignore[arg-type]
            )

    asyncio.run(work())


def _post(client: TestClient[Litestar], url: str, data: dict[str, str], **headers: str) -> object:
    return client.post(url, data=data, headers=csrf_headers(client) | headers, follow_redirects=False)


GENERATE = {"first": "2025-02-21T09:00", "minutes": "60", "day_end": "11:00", "place": "Акимат, зал 3"}


def _generate(client: TestClient[Litestar], stage: Stage) -> object:
    return _post(client, f"{stage.url}/interviews/generate", GENERATE)


def test_cl6_4_generated_schedule_on_working_days_with_unique_pseudonyms_for_cleared_candidates_only(
    app: Litestar, secretary: TestClient[Litestar], database: Settings
) -> None:
    stage = _stage(database, count=6, pending=1)
    page = secretary.get(f"{stage.url}/interviews").text
    assert "Generate the schedule" in page and "Checks pending" in page
    done = _generate(secretary, stage)
    assert done.status_code == 303  # type: ignore[attr-defined]
    after = secretary.get(f"{stage.url}/interviews").text
    assert "5 candidates have been invited to the interview." in after
    assert f"not cleared by the checks of clause 11: {stage.references[0]}" in after
    slots = _slots(database, stage)
    assert len(slots) == 5 and str(slots[0].application_id) != stage.applications[0]
    # Two a day from 09:00, an hour each, until 11:00 (Almaty): Friday, Monday, Tuesday; no weekend.
    local = [s.starts_at.astimezone(ALMATY) for s in slots]
    assert [t.strftime("%a %d %H:%M") for t in local] == [
        "Fri 21 09:00",
        "Fri 21 10:00",
        "Mon 24 09:00",
        "Mon 24 10:00",
        "Tue 25 09:00",
    ]
    pseudonyms = [s.pseudonym for s in slots]
    assert len(set(pseudonyms)) == 5 and all(re.fullmatch(r"C-\d{2}", p) for p in pseudonyms)
    # The candidate with a pending check cannot be given a time one by one either (R-6(4)).
    refused = _post(
        secretary,
        f"{stage.url}/interviews/schedule",
        {"application_id": stage.applications[0], "starts_at": "2025-02-26T09:00", "place": "Зал 3"},
    )
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "has not been cleared by the checks of clause 11" in refused.text  # type: ignore[attr-defined]


def test_cl6_4_candidates_are_invited_in_their_language_and_see_their_time(
    app: Litestar, database: Settings
) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as candidate:
        assert sign_in(candidate, CANDIDATE.sub).status_code == 303
        stage = _stage(database, count=2, real=CANDIDATE.iin)
        secretary = _client(app, "secretary-gulnar")
        try:
            assert _generate(secretary, stage).status_code == 303  # type: ignore[attr-defined]
        finally:
            secretary.__exit__(None, None, None)
        mails = [m for s in _slots(database, stage) for m in _told(database, s)]
        assert len(mails) == 2
        by_language = {m.language: m for m in mails}
        assert set(by_language) == {"ru", "kk"}
        assert "февраля 2025" in by_language["ru"].body and "Акимат, зал 3" in by_language["ru"].body
        assert "ақпан" in by_language["kk"].body.lower()
        assert all("6(4)" in m.body for m in mails)
        page = candidate.get(f"/me/applications/{stage.applications[0]}").text
        assert (
            "Your interview (clause 6(4))" in page
            and "Акимат, зал 3" in page
            and "21 February 2025, 09:00" in page
        )


def test_a13_no_show_is_recorded_as_absent_and_a_force_majeure_reschedule_is_a_recorded_decision(
    app: Litestar, secretary: TestClient[Litestar], database: Settings
) -> None:
    stage = _stage(database, count=2)
    _generate(secretary, stage)
    slot = _slots(database, stage)[0]
    base = f"{stage.url}/interviews/{slot.id}"
    # Before the interview's time nothing can be recorded about attendance.
    _post(secretary, f"{base}/attendance", {"outcome": "no_show"})
    assert "The interview has not taken place yet." in secretary.get(f"{stage.url}/interviews").text
    late = _client(create_app(database, clock=AFTER_FRIDAY), "secretary-gulnar")
    try:
        assert _post(late, f"{base}/attendance", {"outcome": "no_show"}).status_code == 303  # type: ignore[attr-defined]
        page = late.get(f"{stage.url}/interviews").text
        assert "Absent (no-show)" in page
        application = _rows(database, sa.select(Application).where(Application.id == slot.application_id))[0]  # type: ignore[arg-type]
        assert (
            application.status == ApplicationStatus.IN_INTERVIEW
        )  # stays in the selection, ranked as absent
        # A reschedule needs the reason and the minutes; and a working day.
        missing = _post(
            late, f"{base}/reschedule", {"starts_at": "2025-02-26T10:00", "reason": "", "protocol": ""}
        )
        assert missing.status_code == 422 and "This field is required." in missing.text  # type: ignore[attr-defined]
        saturday = {
            "starts_at": "2025-03-01T10:00",
            "reason": "Болезнь (справка)",
            "protocol": "№ 7 от 21.02.2025",
        }
        weekend = _post(late, f"{base}/reschedule", saturday)
        assert weekend.status_code == 422 and "2025-03-01 is not a working day." in weekend.text  # type: ignore[attr-defined]
        moved = _post(late, f"{base}/reschedule", saturday | {"starts_at": "2025-02-26T10:00"})
        assert moved.status_code == 303  # type: ignore[attr-defined]
    finally:
        late.__exit__(None, None, None)
    rescheduled = _slots(database, stage)
    again = next(s for s in rescheduled if s.id == slot.id)
    assert again.status == SlotStatus.INVITED and again.reschedule_protocol == "№ 7 от 21.02.2025"
    assert again.starts_at == datetime(2025, 2, 26, 5, 0, tzinfo=UTC)
    events = _rows(
        database,
        sa.select(AuditEvent)
        .where(AuditEvent.object_id == str(slot.application_id))
        .order_by(AuditEvent.seq),  # type: ignore[arg-type]
    )
    assert [e.action for e in events] == ["interview.scheduled", "interview.no_show", "interview.rescheduled"]
    assert all(e.clause == "6(4)" for e in events)
    history = _rows(
        database,
        sa.select(ApplicationEvent.reason).where(ApplicationEvent.application_id == slot.application_id),
    )  # type: ignore[arg-type]
    assert any("recorded as absent" in h for h in history) and any("rescheduled" in h for h in history)
    told = [m.body for m in _told(database, slot)]
    assert len(told) == 3 and "№ 7 от 21.02.2025" in told[-1] and "Болезнь (справка)" in told[-1]


def test_htmx_requests_get_the_fragment_and_hx_location(
    app: Litestar, secretary: TestClient[Litestar], database: Settings
) -> None:
    stage = _stage(database, count=1)
    fragment = secretary.get(f"{stage.url}/interviews", headers=HTMX_PARTIAL)
    assert fragment.status_code == 200 and 'id="schedule"' in fragment.text and "<html" not in fragment.text
    done = _post(secretary, f"{stage.url}/interviews/generate", GENERATE, **HTMX_PARTIAL)
    assert done.status_code == 200 and done.headers["HX-Location"] == f"{stage.url}/interviews"  # type: ignore[attr-defined]
    assert len(_slots(database, stage)) == 1


def test_only_the_secretary_changes_the_schedule_in_its_own_region(app: Litestar, database: Settings) -> None:
    stage = _stage(database, count=1)
    officer = _client(app, "tu-officer-dana")
    try:
        page = officer.get(f"{stage.url}/interviews")
        assert page.status_code == 200 and "Generate the schedule" not in page.text
        assert _generate(officer, stage).status_code == 403  # type: ignore[attr-defined]
    finally:
        officer.__exit__(None, None, None)
    secretary = _client(app, "secretary-gulnar")
    try:
        # Karaganda's secretary role does not reach Astana's selection; nor does any role in Shymkent.
        other = stage.url.replace("/astana/", "/karaganda/")
        assert secretary.get(f"{other}/interviews").status_code == 404
        assert _post(secretary, f"{other}/interviews/generate", GENERATE).status_code == 404  # type: ignore[attr-defined]
        assert secretary.get(stage.url.replace("/astana/", "/shymkent/") + "/interviews").status_code == 403
        # Without the CSRF token nothing is changed.
        no_token = secretary.post(f"{stage.url}/interviews/generate", data=GENERATE, follow_redirects=False)
        assert no_token.status_code == 403 and _slots(database, stage) == []
    finally:
        secretary.__exit__(None, None, None)


def _invite(client: TestClient[Litestar], stage: Stage, iin: str, **changes: str) -> object:
    data = {
        "iin": iin,
        "iin_confirm": iin,
        "name": "Жанар Бақылаушы",
        "organisation": "«Ашық қоғам» ҚБ",
        "category": "ngo",
    }
    return _post(client, f"{stage.url}/observers", data | changes)


def test_cl12_observer_invited_by_iin_sees_pseudonyms_only_and_is_refused_documents(
    app: Litestar, secretary: TestClient[Litestar], database: Settings
) -> None:
    stage = _stage(database, count=3)
    _generate(secretary, stage)
    # The IIN is checked and typed twice; a candidate of the selection cannot observe it.
    bad = _invite(secretary, stage, "123456789012")
    assert bad.status_code == 422 and "Enter a valid 12-digit IIN." in bad.text  # type: ignore[attr-defined]
    mismatch = _invite(secretary, stage, OBSERVER.iin, iin_confirm=CANDIDATE.iin)
    assert mismatch.status_code == 422 and "The two IINs do not match" in mismatch.text  # type: ignore[attr-defined]
    candidate = _invite(secretary, stage, stage.iins[1])
    assert candidate.status_code == 422 and "is a candidate in this selection" in candidate.text  # type: ignore[attr-defined]
    assert _invite(secretary, stage, OBSERVER.iin).status_code == 303  # type: ignore[attr-defined]
    listing = secretary.get(f"{stage.url}/observers").text
    assert "Жанар Бақылаушы" in listing and OBSERVER.iin not in listing
    assert f"{OBSERVER.iin[:4]}******{OBSERVER.iin[-2:]}" in listing
    assert "20 February 2025, 11:00" in listing  # invited at, Astana time
    assert _invite(secretary, stage, OBSERVER.iin).status_code == 422  # type: ignore[attr-defined]

    observe = f"/astana/observe/selections/{stage.selection_id}"
    observer = _client(app, OBSERVER.sub)
    try:
        first = observer.get(observe)
        assert first.status_code == 200 and "Confidentiality statement" in first.text
        assert "C-0" not in first.text  # nothing before the statement is accepted
        assert _post(observer, f"{observe}/confidentiality", {}).status_code == 303  # type: ignore[attr-defined]
        assert "Confidentiality statement" in observer.get(observe).text
        assert _post(observer, f"{observe}/confidentiality", {"agree": "yes"}).status_code == 303  # type: ignore[attr-defined]
        html = observer.get(observe).text
        for slot in _slots(database, stage):
            assert slot.pseudonym in html
        for private in (*stage.names, *stage.iins, *stage.references, *stage.applications):
            assert private not in html
        # Documents, the officer's pages and the manage pages are refused with a 403 page.
        application_id = stage.applications[0]
        for url in (
            f"/astana/officer/applications/{application_id}/documents/id_copy",
            f"/astana/officer/applications/{application_id}/documents/id_copy?inline=true",
            f"/astana/officer/applications/{application_id}",
            f"{stage.url}/interviews",
            f"{stage.url}/observers",
        ):
            refused = observer.get(url)
            assert refused.status_code == 403 and "Access denied" in refused.text, url
        # Another selection of the region is not opened by this invitation.
        other = _stage(database, count=1)
        assert observer.get(f"/astana/observe/selections/{other.selection_id}").status_code == 403
        # The access ends with the stage.
        _set_status(database, stage, SelectionStatus.CONSIDERATION)
        ended = observer.get(observe)
        assert ended.status_code == 403 and "Access denied" in ended.text
    finally:
        observer.__exit__(None, None, None)
    accepted = _rows(database, sa.select(ObserverInvitation).where(ObserverInvitation.iin == OBSERVER.iin))  # type: ignore[arg-type]
    assert accepted[0].confidentiality_accepted_at is not None
    audit = _rows(database, sa.select(AuditEvent).where(AuditEvent.object_id == str(accepted[0].id)))  # type: ignore[arg-type]
    assert {e.action for e in audit} == {"observer.invited", "observer.confidentiality_accepted"}
    assert all(OBSERVER.iin not in str(e.after) and e.clause == "12" for e in audit)


def test_cl12_a_revoked_invitation_or_a_standing_observer_role_opens_nothing(
    app: Litestar, secretary: TestClient[Litestar], database: Settings
) -> None:
    stage = _stage(database, count=1)
    observe = f"/astana/observe/selections/{stage.selection_id}"
    zhanna = _client(app, "observer-zhanna")  # holds the observer role in Astana, but no invitation
    try:
        refused = zhanna.get(observe)
        assert refused.status_code == 403 and "only with an invitation" in refused.text
    finally:
        zhanna.__exit__(None, None, None)
    _invite(secretary, stage, OBSERVER.iin)
    invitation = _rows(
        database,
        sa.select(ObserverInvitation).where(ObserverInvitation.selection_id == uuid.UUID(stage.selection_id)),  # type: ignore[arg-type]
    )[0]
    observer = _client(app, OBSERVER.sub)
    try:
        assert observer.get(observe).status_code == 200
        revoked = _post(secretary, f"{stage.url}/observers/{invitation.id}/revoke", {})
        assert revoked.status_code == 303  # type: ignore[attr-defined]
        assert "Revoked" in secretary.get(f"{stage.url}/observers").text
        assert observer.get(observe).status_code == 403
        anonymous = TestClient(app=app, base_url="http://127.0.0.1")
        with anonymous:
            assert anonymous.get(observe, follow_redirects=False).status_code == 303
    finally:
        observer.__exit__(None, None, None)


def test_no_show_and_reschedule_are_refused_once_the_stage_has_ended(
    app: Litestar, secretary: TestClient[Litestar], database: Settings
) -> None:
    stage = _stage(database, count=1)
    _generate(secretary, stage)
    slot = _slots(database, stage)[0]
    _set_status(database, stage, SelectionStatus.CONSIDERATION)
    late = _client(
        create_app(database, clock=Clock(fixed_now=AFTER_FRIDAY.now() + timedelta(days=7))),
        "secretary-gulnar",
    )
    try:
        _post(late, f"{stage.url}/interviews/{slot.id}/attendance", {"outcome": "no_show"})
        assert "The selection is not at the interview stage." in late.get(f"{stage.url}/interviews").text
        moved = _post(
            late,
            f"{stage.url}/interviews/{slot.id}/reschedule",
            {"starts_at": "2025-03-05T10:00", "reason": "Болезнь", "protocol": "№ 9"},
        )
        assert moved.status_code == 422 and "The selection is not at the interview stage." in moved.text  # type: ignore[attr-defined]
    finally:
        late.__exit__(None, None, None)
    assert _slots(database, stage)[0].status == SlotStatus.INVITED
