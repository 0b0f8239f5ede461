"""Enrolment without selection through HTTP (ch. 2-1, cl. 13-1..13-4; issue 8 item 3): the Agency's
list import (preview, four eyes, SHA-256), the listed person's request to one region, the deadline
and the decision's due date of portal.rules.terms, overdue flags, and the decision outside the quota.

People: agency-madina (the demo Agency officer) uploads; TEST_CANDIDATES[35], made a second Agency
officer here, approves; TEST_CANDIDATES[10], [11], [14], [20], [24], [25] are listed; [23] is not.
"""

import asyncio
import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import col

from portal.app import create_app
from portal.auth.models import RoleAssignment, User
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.clock import Clock
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import DemoUser, make_iin
from portal.notifications.models import OutboxMessage
from portal.reserve import direct_services as direct
from portal.reserve.direct_models import (
    DirectEnrolmentEntry,
    DirectEnrolmentList,
    DirectEnrolmentRequest,
    DirectRequestStatus,
    ListImportStatus,
)
from portal.reserve.models import ReserveMembership
from portal.rules.calendar import kz_calendar
from portal.rules.terms import direct_enrolment_decision_due, membership_end
from tests.conftest import TEST_CANDIDATES, TODAY, sign_in
from tests.integration.appointments.support import browser, post, rows

ASTANA, SHYMKENT = "KZ-71", "KZ-79"
AGENCY, AGENCY_2 = "agency-madina", TEST_CANDIDATES[35]
LISTS = "/agency/direct-enrolment"
OFFER = "/me/direct-enrolment"
CAL = kz_calendar(range(2024, 2028))


def _grant_agency(settings: Settings, person: DemoUser) -> None:
    async def work() -> None:
        async with session_scope(settings) as session:
            found = await session.execute(
                sa.select(RoleAssignment.id).where(  # type: ignore[call-overload]
                    col(RoleAssignment.iin) == person.iin, col(RoleAssignment.role) == Role.AGENCY_OFFICER
                )
            )
            if found.first() is None:
                session.add(
                    RoleAssignment(
                        iin=person.iin,
                        tenant_id=None,
                        role=Role.AGENCY_OFFICER,
                        valid_from=TODAY - timedelta(days=400),
                        granted_by="test",
                    )
                )

    asyncio.run(work())


def _csv(*lines: tuple[str, str, str]) -> bytes:
    return ("iin;list number;approval date\r\n" + "".join(f"{a};{b};{c}\r\n" for a, b, c in lines)).encode()


def _upload(client: TestClient[Litestar], content: bytes) -> int:
    response = post(client, LISTS, files={"file": ("list.csv", content, "text/csv")})
    return response.status_code


def _list_id(settings: Settings, content: bytes) -> uuid.UUID:
    sha = hashlib.sha256(content).hexdigest()
    return rows(settings, sa.select(DirectEnrolmentList.id).where(col(DirectEnrolmentList.sha256) == sha))[0]  # type: ignore[call-overload]


def _approved_list(app: Litestar, settings: Settings, *lines: tuple[str, str, str]) -> bytes:
    """A list uploaded by the demo Agency officer and approved by the second one."""
    _grant_agency(settings, AGENCY_2)
    content = _csv(*lines)
    with browser(app, AGENCY) as agency:
        assert _upload(agency, content) == 303
    with browser(app, AGENCY_2.sub) as second:
        approved = post(second, f"{LISTS}/{_list_id(settings, content)}/approve")
        assert approved.status_code == 303
    return content


def _number() -> str:
    return f"№ {uuid.uuid4().hex[:8]}"


def _on(settings: Settings, day: date) -> Litestar:
    """The portal as it runs on `day`, 11:00 in Astana."""
    return create_app(
        settings, clock=Clock(fixed_now=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=6))
    )


def _request_of(settings: Settings, person: DemoUser) -> list[DirectEnrolmentRequest]:
    return rows(
        settings,
        sa.select(DirectEnrolmentRequest)
        .where(col(DirectEnrolmentRequest.iin) == person.iin)
        .order_by(col(DirectEnrolmentRequest.filed_at), col(DirectEnrolmentRequest.id)),
    )


def _clauses(settings: Settings, object_id: object) -> list[tuple[str, str]]:
    events = rows(
        settings,
        sa.select(AuditEvent)
        .where(col(AuditEvent.object_id) == str(object_id))
        .order_by(col(AuditEvent.seq)),
    )
    return [(e.action, e.clause) for e in events]


# --- cl. 13-1: the import ---------------------------------------------------------------------------


def test_cl13_1_import_errors_of_each_kind_are_listed_before_anything_is_stored(
    app: Litestar, database: Settings
) -> None:
    good = make_iin(date(1997, 2, 2), False, 6101)
    content = _csv(
        ("970202300000", "17", "2024-03-23"),  # a wrong check digit
        (good, "17", "2024-03-23"),
        (good, "17", "2024-03-23"),  # the same person twice
        (make_iin(date(1997, 2, 3), True, 6102), "17", "2024-13-01"),  # no such date
        (make_iin(date(1997, 2, 4), True, 6103), "", "2024-03-23"),  # no list number
    )
    with browser(app, AGENCY) as agency:
        response = post(agency, LISTS, files={"file": ("list.csv", content, "text/csv")})
        assert response.status_code == 422
        for label in (
            "The IIN is not valid",
            "The same person twice, or already on an approved list",
            "The approval date is not a valid date",
            "The list number is empty or too long",
            "4 problems: nothing has been stored",
        ):
            assert label in response.text, label
        assert good not in response.text  # rules.md 5.11: IINs masked in the preview
        no_column = post(
            agency, LISTS, files={"file": ("list.csv", b"iin;list number\r\n1;2\r\n", "text/csv")}
        )
        assert no_column.status_code == 422 and "A required column is missing" in no_column.text
        no_file = post(agency, LISTS)
        assert no_file.status_code == 422 and "Choose the list file." in no_file.text
    sha = hashlib.sha256(content).hexdigest()
    assert (
        rows(database, sa.select(DirectEnrolmentList.id).where(col(DirectEnrolmentList.sha256) == sha)) == []
    )  # type: ignore[call-overload]


def test_cl13_1_four_eyes_the_uploader_cannot_approve_and_the_file_hash_is_kept(
    app: Litestar, database: Settings
) -> None:
    _grant_agency(database, AGENCY_2)
    number = _number()
    people = [make_iin(date(1998, 3, 3), n % 2 == 0, 6200 + n) for n in range(2)]
    content = _csv(*((iin, number, "2025-01-10") for iin in people))
    with browser(app, AGENCY) as agency:
        assert _upload(agency, content) == 303
        list_id = _list_id(database, content)
        page = agency.get(LISTS).text
        assert "2 rows checked without problems" in page
        assert f"{LISTS}/{list_id}/approve" not in page  # the uploader is not offered the approval
        assert "Waiting for approval by another Agency officer." in page
        refused = post(agency, f"{LISTS}/{list_id}/approve")
        assert refused.status_code == 303
        assert "cannot approve it" in agency.get(LISTS).text
    batch = rows(database, sa.select(DirectEnrolmentList).where(col(DirectEnrolmentList.id) == list_id))[0]
    assert batch.status == ListImportStatus.PENDING
    with browser(app, AGENCY_2.sub) as second:
        assert f"{LISTS}/{list_id}/approve" in second.get(LISTS).text
        assert post(second, f"{LISTS}/{list_id}/approve").status_code == 303
        assert "2 people have been added to the lists." in second.get(LISTS).text
        # the same file again: every row is already on the approved list
        again = post(second, LISTS, files={"file": ("list.csv", content, "text/csv")})
        assert again.status_code == 422 and "2 problems: nothing has been stored" in again.text
    batch = rows(database, sa.select(DirectEnrolmentList).where(col(DirectEnrolmentList.id) == list_id))[0]
    second_id = rows(database, sa.select(User.id).where(col(User.iin) == AGENCY_2.iin))[0]  # type: ignore[call-overload]
    assert (batch.status, batch.decided_by) == (ListImportStatus.APPROVED, second_id)
    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    entries = rows(
        database, sa.select(DirectEnrolmentEntry).where(col(DirectEnrolmentEntry.list_id) == list_id)
    )
    assert sorted(e.iin for e in entries) == sorted(people)
    assert {e.approved_on for e in entries} == {date(2025, 1, 10)}
    assert _clauses(database, list_id) == [("direct.list_uploaded", "13-1"), ("direct.list_approved", "13-1")]


def test_cl13_1_nobody_but_the_agency_imports_and_the_agency_follows_every_region(
    app: Litestar, database: Settings
) -> None:
    content = _csv((make_iin(date(1998, 4, 4), True, 6300), _number(), "2025-01-10"))
    for sub in ("tu-head-marat", "secretary-gulnar", "chair-askar", "admin-daniyar", "candidate-aigerim"):
        with browser(app, sub) as someone:
            assert someone.get(LISTS).status_code == 403, sub
            assert _upload(someone, content) == 403, sub
            assert someone.get(f"{LISTS}/requests").status_code == 403, sub
    with browser(app, AGENCY) as agency:
        for region in ("astana", "shymkent", "karaganda"):
            assert agency.get(f"/{region}/commission/direct-requests").status_code == 200, region
        assert agency.get(f"{LISTS}/requests").status_code == 200
    with browser(app, "chair-askar") as chair:
        assert chair.get("/astana/commission/direct-requests").status_code == 200
        assert chair.get("/shymkent/commission/direct-requests").status_code == 403
    # rules.md R-13-1: a person on no approved list is not offered the request, and a direct POST is refused
    with browser(app, TEST_CANDIDATES[23].sub) as stranger:
        assert stranger.get(OFFER).status_code == 403
        assert post(stranger, OFFER, {"region": ASTANA}).status_code == 403
        assert "Enrolment without selection" not in stranger.get("/me").text


# --- cl. 13-2: one region at a time ------------------------------------------------------------------


def test_cl13_2_a_second_region_is_refused_while_the_first_request_stands(
    app: Litestar, database: Settings
) -> None:
    person = TEST_CANDIDATES[10]
    _approved_list(app, database, (person.iin, _number(), "2024-06-01"))
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "ru"}) as russian:
        assert sign_in(russian, person.sub).status_code == 303
        assert f'href="{OFFER}"' in russian.get("/me").text  # the offer after login
        assert russian.get(OFFER).status_code == 200
        assert post(russian, OFFER, {"region": ASTANA}).status_code == 303
    with browser(app, person.sub) as listed:
        page = listed.get(OFFER).text
        assert "Astana" in page and "Withdraw the request" in page
        for region in (SHYMKENT, ASTANA):
            second = post(listed, OFFER, {"region": region})
            assert second.status_code == 422
            assert "You already have a request to the commission of Astana" in second.text
        [first] = _request_of(database, person)
        assert first.status == DirectRequestStatus.SUBMITTED
        assert post(listed, f"{OFFER}/{first.id}/withdraw").status_code == 303
        assert post(listed, OFFER, {"region": SHYMKENT}).status_code == 303
        assert post(listed, f"{OFFER}/{uuid.uuid4()}/withdraw").status_code == 404
    first, second_request = _request_of(database, person)
    assert (first.tenant_id, first.status) == (ASTANA, DirectRequestStatus.WITHDRAWN)
    assert (second_request.tenant_id, second_request.status) == (SHYMKENT, DirectRequestStatus.SUBMITTED)
    assert _clauses(database, first.id) == [
        ("direct.request_filed", "13-2"),
        ("direct.request_withdrawn", "13-2"),
    ]
    # notices in the language the person filed in, whatever the language of the later request
    notices = rows(
        database,
        sa.select(OutboxMessage).where(col(OutboxMessage.idempotency_key).like(f"direct:{first.id}:%")),
    )
    assert {(m.idempotency_key, m.language) for m in notices} == {
        (f"direct:{first.id}:filed", "ru"),
        (f"direct:{first.id}:withdrawn", "ru"),
    }
    with browser(app, "tu-officer-dana") as officer:  # no other person withdraws someone's request
        assert post(officer, f"{OFFER}/{second_request.id}/withdraw").status_code in {403, 404}


# --- cl. 13-2, 13-3: the dates of portal.rules.terms through HTTP -------------------------------------


def test_cl13_2_cl13_3_the_deadline_moved_off_a_holiday_and_the_decision_due_at_month_end(
    app: Litestar, database: Settings
) -> None:
    on_time, late, month_end = TEST_CANDIDATES[11], TEST_CANDIDATES[14], TEST_CANDIDATES[20]
    number = _number()
    _approved_list(
        app,
        database,
        # + 1 year = Sunday 23 March 2025; 24-25 March are the observed Nauryz: the last day is 26 March
        (on_time.iin, number, "2024-03-23"),
        (late.iin, number, "2024-03-23"),
        (month_end.iin, f"{number}-b", "2024-06-01"),
    )
    with browser(_on(database, date(2025, 3, 26)), on_time.sub) as listed:
        assert "26 March 2025" in listed.get(OFFER).text
        assert post(listed, OFFER, {"region": ASTANA}).status_code == 303
    [request] = _request_of(database, on_time)
    assert (request.received_on, request.deadline) == (date(2025, 3, 26), date(2025, 3, 26))
    # + 1 month = Saturday 26 April: the decision is due on Monday 28 April
    assert request.decision_due == date(2025, 4, 28) == direct_enrolment_decision_due(date(2025, 3, 26), CAL)
    with browser(_on(database, date(2025, 3, 27)), late.sub) as listed:
        refused = post(listed, OFFER, {"region": ASTANA})
        assert refused.status_code == 422
        assert "The time to apply ended on 26 March 2025" in refused.text
    assert _request_of(database, late) == []
    with browser(_on(database, date(2025, 1, 31)), month_end.sub) as listed:
        assert post(listed, OFFER, {"region": ASTANA}).status_code == 303
    [request] = _request_of(database, month_end)
    assert request.decision_due == date(2025, 2, 28)  # 31 January + 1 month = the end of February


# --- cl. 13-3, 13-4: the agenda, the overdue flag and the decision ------------------------------------


async def _quota_memberships(settings: Settings) -> int:
    async with session_scope(settings) as session:
        count = await session.execute(
            sa.select(sa.func.count())
            .select_from(ReserveMembership)
            .where(col(ReserveMembership.tenant_id) == ASTANA, col(ReserveMembership.counted_in_quota))
        )
        return int(count.scalar_one())


def _file_on(settings: Settings, person: DemoUser, day: date) -> DirectEnrolmentRequest:
    with browser(_on(settings, day), person.sub) as listed:
        assert post(listed, OFFER, {"region": ASTANA}).status_code == 303
    return _request_of(settings, person)[-1]


def _decide(settings: Settings, request: DirectEnrolmentRequest, *, enrol: bool, reason: str = "") -> object:
    async def work() -> object:
        async with session_scope(settings) as session:
            actor = (await session.execute(sa.select(User.id).limit(1))).scalar_one()  # type: ignore[call-overload]
            return await direct.record_decision(
                session,
                request,
                enrol=enrol,
                actor=actor,
                decided_on=date(2025, 3, 3),
                now=datetime(2025, 3, 3, 6, tzinfo=UTC),
                base_url="http://127.0.0.1",
                refusal_reason=reason,
            )

    return asyncio.run(work())


def _flag_overdue(settings: Settings, today: date) -> int:
    async def work() -> int:
        async with session_scope(settings) as session:
            now = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=6)
            return await direct.flag_overdue(session, today=today, now=now, base_url="http://127.0.0.1")

    return asyncio.run(work())


def _check_overdue(settings: Settings, first: DirectEnrolmentRequest, later: DirectEnrolmentRequest) -> None:
    """1 March 2025: the first request is overdue (due 28 February), the second is due in two days."""
    late_app = _on(settings, date(2025, 3, 1))
    with browser(late_app, "chair-askar") as chair:
        page = chair.get("/astana/commission/direct-requests").text
        assert "Overdue" in page and "2 days left" in page
    with browser(late_app, AGENCY) as agency:
        page = agency.get(f"{LISTS}/requests").text
        assert "Overdue" in page and "Astana" in page
    assert _flag_overdue(settings, date(2025, 3, 1)) >= 1
    assert _flag_overdue(settings, date(2025, 3, 1)) == 0  # once
    notices = rows(
        settings,
        sa.select(OutboxMessage).where(
            col(OutboxMessage.idempotency_key).like(f"direct:{first.id}:overdue:%")
        ),
    )
    chair_id, agency_id = (
        rows(settings, sa.select(User.id).where(col(User.sub) == sub))[0]  # type: ignore[call-overload]
        for sub in ("chair-askar", AGENCY)
    )
    assert {m.user_id for m in notices} >= {chair_id, agency_id}
    assert ("direct.request_overdue", "13-3") in _clauses(settings, first.id)
    assert _clauses(settings, later.id) == [("direct.request_filed", "13-2")]  # not yet overdue


def _check_decisions(
    settings: Settings, first: DirectEnrolmentRequest, later: DirectEnrolmentRequest
) -> ReserveMembership:
    """A-18: a refusal needs its legal reason; cl. 13-3, 13-4: two years, outside the quota."""
    with pytest.raises(direct.DirectRefused):
        _decide(settings, later, enrol=False)
    assert _decide(settings, later, enrol=False, reason="Not on the list of the request's date") is None
    counted = asyncio.run(_quota_memberships(settings))
    membership = _decide(settings, first, enrol=True)
    assert isinstance(membership, ReserveMembership)
    assert (membership.clause, membership.counted_in_quota, membership.selection_id) == ("13-3", False, None)
    assert (membership.starts_on, membership.ends_on) == (date(2025, 3, 3), membership_end(date(2025, 3, 3)))
    assert membership.ends_on == date(2027, 3, 3)
    assert asyncio.run(_quota_memberships(settings)) == counted  # cl. 13-4: in addition to the quota
    with pytest.raises(direct.DirectRefused):
        _decide(settings, first, enrol=True)  # decided once
    assert _clauses(settings, first.id)[-1] == ("direct.request_decided", "13-3")
    assert _clauses(settings, membership.id) == [("reserve.membership_created", "13-4")]
    languages = rows(
        settings,
        sa.select(OutboxMessage.language).where(  # type: ignore[call-overload]
            col(OutboxMessage.idempotency_key) == f"direct:{first.id}:decided"
        ),
    )
    assert languages == ["en"]
    return membership


def test_cl13_3_cl13_4_overdue_flags_and_enrolment_outside_the_quota(
    app: Litestar, database: Settings
) -> None:
    enrolled, refused = TEST_CANDIDATES[24], TEST_CANDIDATES[25]
    _approved_list(
        app, database, (enrolled.iin, _number(), "2024-06-01"), (refused.iin, _number(), "2024-06-01")
    )
    for official in ("chair-askar", AGENCY):  # signed in once: their accounts exist
        with browser(app, official):
            pass
    first = _file_on(database, enrolled, date(2025, 1, 30))
    later = _file_on(database, refused, date(2025, 2, 3))
    assert (first.decision_due, later.decision_due) == (date(2025, 2, 28), date(2025, 3, 3))

    async def ready() -> list[uuid.UUID]:
        async with session_scope(database) as session:
            return [r.id for r in await direct.requests_ready_for_agenda(session, ASTANA)]

    waiting = asyncio.run(ready())
    assert waiting.index(first.id) < waiting.index(later.id)  # the earliest due first
    _check_overdue(database, first, later)
    membership = _check_decisions(database, first, later)
    [decided] = _request_of(database, enrolled)
    assert (decided.status, decided.membership_id) == (DirectRequestStatus.ENROLLED, membership.id)
    [no] = _request_of(database, refused)
    assert (no.status, no.refusal_reason) == (
        DirectRequestStatus.REFUSED,
        "Not on the list of the request's date",
    )
    # while the chapter 2-1 membership is active, no request to another region
    with browser(_on(database, date(2025, 3, 10)), enrolled.sub) as member:
        page = member.get(OFFER).text
        assert "You are a member of a regional reserve enrolled without selection" in page
        again = post(member, OFFER, {"region": SHYMKENT})
        assert again.status_code == 422 and "already a member" in again.text
    with browser(app, "chair-askar") as chair:
        assert "Enrolled" in chair.get("/astana/commission/direct-requests").text
