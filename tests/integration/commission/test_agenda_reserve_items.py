"""Chapter 2-1 requests (cl. 13-3, 13-4; rules.md A-18) and cl. 18 exclusion cases on the commission's
agenda, through HTTP: the secretary puts them on a meeting, the members vote, the decision is
carried out by the proceedings (portal.reserve.direct_services, portal.reserve.exclusions).

Astana's demo commission: 6 voting members; quorum 2/3 -> 4.
"""

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from litestar import Litestar
from sqlmodel import col

from portal.app import create_app
from portal.appointments.models import AppointmentProposal, ProposalStatus
from portal.commission.models import ItemKind, ItemOutcome, ItemStatus
from portal.core.audit import AuditEvent
from portal.core.clock import Clock
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.notifications.models import OutboxMessage
from portal.reserve import direct_services as direct
from portal.reserve.direct_models import (
    DirectEnrolmentEntry,
    DirectEnrolmentList,
    DirectEnrolmentRequest,
    DirectRequestStatus,
    ListImportStatus,
)
from portal.reserve.exclusion_models import ExclusionCase, ExclusionDecision, ExclusionStatus
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.rules.terms import membership_end
from tests.conftest import FIXED_CLOCK, TODAY
from tests.integration.applications.journey import pdf_bytes
from tests.integration.commission.support import (
    ALIYA,
    BERIK,
    CHAIR,
    SAULE,
    SECRETARY,
    YERLAN,
    Meeting,
    People,
    flashes,
    new_meeting,
    post,
    rows,
)
from tests.integration.reserve.support import (
    TU_HEAD,
    account,
    browser,
    member,
    membership,
    messages_to,
    open_proposal,
)
from tests.integration.reserve.support import post as reserve_post

ASTANA = "KZ-71"
MEETINGS = "/astana/commission/meetings"
QUORUM = [CHAIR, ALIYA, BERIK, SAULE]
#: The day the commission sits on the cl. 18 cases: the members' comment periods (to 6 March) are over.
AFTER_COMMENTS = date(2025, 3, 10)


@pytest.fixture
def people(app: Litestar) -> Iterator[People]:
    found = People(app)
    yield found
    found.close()


@pytest.fixture
def later() -> Iterator[list[People]]:
    """Browsers of the portal as it runs on AFTER_COMMENTS (made by `on_later`)."""
    made: list[People] = []
    yield made
    for found in made:
        found.close()


def on_later(settings: Settings, made: list[People]) -> People:
    app = create_app(settings, clock=Clock(fixed_now=datetime(2025, 3, 10, 6, tzinfo=UTC)))
    made.append(People(app))
    return made[-1]


# --- chapter 2-1 ------------------------------------------------------------------------------------


def listed_request(settings: Settings, name: str, *, language: str = "ru") -> DirectEnrolmentRequest:
    """A person on an approved National Commission list (cl. 13-1) who filed a request with Astana
    today (cl. 13-2), in `language`."""
    user_id, iin = account(settings, name)

    async def work() -> DirectEnrolmentRequest:
        async with session_scope(settings) as session:
            batch = DirectEnrolmentList(
                file_name="list.csv",
                sha256=uuid.uuid4().hex * 2,
                status=ListImportStatus.APPROVED,
                uploaded_by=user_id,
            )
            session.add(batch)
            await session.flush()
            session.add(
                DirectEnrolmentEntry(
                    list_id=batch.id,
                    iin=iin,
                    list_number=f"№ {uuid.uuid4().hex[:6]}",
                    approved_on=date(2024, 6, 1),
                )
            )
            await session.flush()
            return await direct.file_request(
                session,
                direct.Person(user_id, iin, f"{name} Резерв"),
                tenant_id=ASTANA,
                direction_code=None,
                language=language,
                today=TODAY,
                now=FIXED_CLOCK.now(),
                base_url="http://127.0.0.1",
            )

    return asyncio.run(work())


def request_row(settings: Settings, request_id: uuid.UUID) -> DirectEnrolmentRequest:
    return rows(
        settings, sa.select(DirectEnrolmentRequest).where(col(DirectEnrolmentRequest.id) == request_id)
    )[0]


def actions(settings: Settings, object_id: object) -> list[tuple[str, str]]:
    found = rows(
        settings,
        sa.select(AuditEvent)
        .where(col(AuditEvent.object_id) == str(object_id))
        .order_by(col(AuditEvent.seq)),
    )
    return [(e.action, e.clause) for e in found]


def quota_members(settings: Settings) -> int:
    return len(
        rows(
            settings,
            sa.select(ReserveMembership.id).where(  # type: ignore[call-overload]
                col(ReserveMembership.tenant_id) == ASTANA, col(ReserveMembership.counted_in_quota)
            ),
        )
    )


def voted(meeting: Meeting, choices: dict[str, str], present: list[str] = QUORUM) -> None:
    """The members attend, the meeting opens, item 1 is put to the vote and the members vote."""
    assert meeting.attend(present).status_code == 303
    assert meeting.open().status_code == 303
    assert meeting.put_to_vote().status_code == 303
    meeting.votes(choices)


def close_with(meeting: Meeting, reason: str, n: int = 0) -> int:
    return post(
        meeting.secretary, f"{meeting.url}/items/{meeting.item(n).id}/close", {"reason": reason}
    ).status_code


def test_cl13_3_a_request_goes_on_the_agenda_and_is_not_offered_twice(
    people: People, database: Settings
) -> None:
    request = listed_request(database, "Агенда")
    key = f"direct_enrolment:{request.id}"
    page = people(SECRETARY).get(MEETINGS).text
    assert key in page and "Агенда Резерв" in page
    assert "Enrolment without selection" in page and "Clause 13-3 of the Rules" in page
    assert f"decision due by {request.decision_due.day} March 2025" in page
    meeting = new_meeting(people, database, [key])
    item = meeting.item()
    assert (item.kind, item.clause, item.subject, item.selection_id) == (
        ItemKind.DIRECT_ENROLMENT,
        "13-3",
        {"request_id": str(request.id)},
        None,
    )
    stored = request_row(database, request.id)
    assert (stored.status, stored.agenda_item_id) == (DirectRequestStatus.ON_AGENDA, item.id)
    assert ("direct.request_on_agenda", "13-3") in actions(database, request.id)
    assert key not in people(SECRETARY).get(MEETINGS).text  # on a live agenda: not offered again
    assert "Агенда Резерв" in meeting.page()
    # a second meeting cannot take it while the first holds it
    again = post(
        people(SECRETARY), MEETINGS, {"scheduled_at": "2025-02-21T10:00", "place": "Hall", "agenda": [key]}
    )
    assert again.status_code == 422 and "no longer waiting for a decision" in again.text


def test_cl13_3_cl13_4_adopted_enrols_for_two_years_outside_the_quota_and_tells_the_person(
    people: People, database: Settings
) -> None:
    request = listed_request(database, "Тікелей", language="ru")
    meeting = new_meeting(people, database, [f"direct_enrolment:{request.id}"])
    voted(meeting, {CHAIR: "for", ALIYA: "for", BERIK: "for", SAULE: "against"})
    assert "Тікелей Резерв" in people(ALIYA).get(meeting.ballot_url).text  # the members see whom they vote on
    counted = quota_members(database)
    item = meeting.decided()
    assert item.outcome == ItemOutcome.ADOPTED
    [enrolled] = rows(
        database, sa.select(ReserveMembership).where(col(ReserveMembership.decision_item_id) == item.id)
    )
    assert (enrolled.clause, enrolled.counted_in_quota, enrolled.selection_id) == ("13-3", False, None)
    assert (enrolled.starts_on, enrolled.ends_on) == (TODAY, membership_end(TODAY))
    assert (enrolled.meeting_id, enrolled.status) == (uuid.UUID(meeting.id), MembershipStatus.ACTIVE)
    assert quota_members(database) == counted  # cl. 13-4: in addition to the number set under cl. 3
    stored = request_row(database, request.id)
    assert (stored.status, stored.membership_id) == (DirectRequestStatus.ENROLLED, enrolled.id)
    assert actions(database, enrolled.id) == [("reserve.membership_created", "13-4")]
    [letter] = rows(
        database,
        sa.select(OutboxMessage).where(col(OutboxMessage.idempotency_key) == f"direct:{request.id}:decided"),
    )
    assert (letter.user_id, letter.language) == (request.user_id, "ru")
    assert "Enrolled in the reserve from 20 February 2025 to 20 February 2027." in meeting.page()


def test_a18_not_adopted_needs_the_recorded_reason_and_refuses_the_request(
    people: People, database: Settings
) -> None:
    request = listed_request(database, "Бас тарту", language="kk")
    meeting = new_meeting(people, database, [f"direct_enrolment:{request.id}"])
    voted(meeting, {CHAIR: "against", ALIYA: "against", BERIK: "against", SAULE: "for"})
    assert 'name="reason"' in meeting.page()
    no_reason = meeting.close_item()
    assert no_reason.status_code == 422
    assert "give the recorded legal reason of the refusal" in no_reason.text
    assert meeting.item().status == ItemStatus.OPEN  # nothing was recorded
    assert request_row(database, request.id).status == DirectRequestStatus.ON_AGENDA
    reason = "Not on the approved list on the date of the request (rules.md A-18)"
    assert close_with(meeting, reason) == 303
    item = meeting.item()
    assert (item.status, item.outcome) == (ItemStatus.CLOSED, ItemOutcome.REJECTED)
    stored = request_row(database, request.id)
    assert (stored.status, stored.refusal_reason, stored.membership_id) == (
        DirectRequestStatus.REFUSED,
        reason,
        None,
    )
    assert (
        rows(database, sa.select(ReserveMembership).where(col(ReserveMembership.decision_item_id) == item.id))
        == []
    )
    refused = messages_to(database, request.user_id)
    assert any(m.idempotency_key == f"direct:{request.id}:decided" and m.language == "kk" for m in refused)
    page = meeting.page()
    assert "Refused" in page and reason in page
    assert f"direct_enrolment:{request.id}" not in people(SECRETARY).get(MEETINGS).text  # decided


def test_cl13_3_a_request_without_quorum_is_offered_again_at_the_next_meeting(
    people: People, database: Settings
) -> None:
    request = listed_request(database, "Кворум")
    key = f"direct_enrolment:{request.id}"
    first = new_meeting(people, database, [key])
    voted(first, {CHAIR: "for", ALIYA: "for", BERIK: "for"}, present=[CHAIR, ALIYA, BERIK])  # 3 of 6
    assert first.decided().outcome == ItemOutcome.NO_QUORUM
    assert request_row(database, request.id).status == DirectRequestStatus.ON_AGENDA  # nothing decided
    assert post(first.secretary, f"{first.url}/close").status_code == 303
    assert key in people(SECRETARY).get(MEETINGS).text
    second = new_meeting(people, database, [key])
    assert request_row(database, request.id).agenda_item_id == second.item().id
    # the second meeting closes before the vote: the request is offered again
    assert second.open().status_code == 303
    assert post(second.secretary, f"{second.url}/close").status_code == 303
    assert key in people(SECRETARY).get(MEETINGS).text
    third = new_meeting(people, database, [key])
    voted(
        third,
        {CHAIR: "for", ALIYA: "for", BERIK: "for", YERLAN: "for"},
        present=[CHAIR, ALIYA, BERIK, YERLAN],
    )
    assert third.decided().outcome == ItemOutcome.ADOPTED
    assert request_row(database, request.id).status == DirectRequestStatus.ENROLLED


def withdrawn(settings: Settings, request: DirectEnrolmentRequest) -> None:
    """The person withdraws the request (cl. 13-2) while its item is being voted on."""

    async def work() -> None:
        async with session_scope(settings) as session:
            person = direct.Person(request.user_id, request.iin, "Кері Резерв")
            await direct.withdraw_request(
                session, person, request.id, now=FIXED_CLOCK.now(), base_url="http://127.0.0.1"
            )

    asyncio.run(work())


def test_cl13_3_a_request_withdrawn_during_the_vote_closes_as_no_longer_decidable(
    people: People, database: Settings
) -> None:
    request = listed_request(database, "Кері")
    meeting = new_meeting(people, database, [f"direct_enrolment:{request.id}"])
    voted(meeting, {CHAIR: "against", ALIYA: "against", BERIK: "against", SAULE: "for"})
    withdrawn(database, request)
    closed = meeting.close_item()  # not adopted, no reason: no longer needed, nothing is decided
    assert closed.status_code == 303, closed.text
    shown = " ".join(flashes(meeting.secretary.get(closed.headers["location"]).text))
    assert "nothing was decided: the subject of the item changed while it was being voted on" in shown
    item = meeting.item()
    assert (item.status, item.outcome) == (ItemStatus.CLOSED, ItemOutcome.SUBJECT_CHANGED)
    assert actions(database, item.id)[-1] == ("commission.item_closed", "13-3")
    stored = request_row(database, request.id)
    assert (stored.status, stored.membership_id) == (DirectRequestStatus.WITHDRAWN, None)  # nothing applied
    assert (
        rows(database, sa.select(ReserveMembership).where(col(ReserveMembership.decision_item_id) == item.id))
        == []
    )
    assert 'data-outcome="subject_changed"' in meeting.page()
    assert "No longer decidable: the subject changed before the decision" in meeting.page()
    ended = post(meeting.secretary, f"{meeting.url}/close")
    assert ended.status_code == 303
    assert "The meeting is closed." in flashes(meeting.secretary.get(ended.headers["location"]).text)


# --- cl. 18 -------------------------------------------------------------------------------------------


def filed_case(app: Litestar, settings: Settings, name: str) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """The territorial unit opens and files a case on ground 18(2) through HTTP; (case, membership,
    the member's user id). The member may comment until 6 March 2025."""
    user = account(settings, name)
    mine = member(settings, user=user, name=f"{name} Резерв")
    with browser(app, TU_HEAD) as head:
        data = {"membership": str(mine), "ground": "18.2", "summary": "Notice of the migration service"}
        created = reserve_post(head, "/astana/exclusions", data)
        assert created.status_code == 303, created.text
        url = created.headers["location"]
        pdf = {"file": ("notice.pdf", pdf_bytes(), "application/pdf")}
        assert (
            reserve_post(head, f"{url}/evidence", {"kind": "official_notice"}, files=pdf).status_code == 303
        )
        assert reserve_post(head, f"{url}/file").status_code == 303
    return uuid.UUID(url.rsplit("/", 1)[1]), mine, user[0]


def case_row(settings: Settings, case_id: uuid.UUID) -> ExclusionCase:
    return rows(settings, sa.select(ExclusionCase).where(col(ExclusionCase.id) == case_id))[0]


def test_cl18_a_case_runs_from_opening_to_exclusion_through_the_commission(
    app: Litestar, database: Settings, later: list[People]
) -> None:
    case_id, mine, person = filed_case(app, database, "Шығарылатын")
    proposal = open_proposal(database, mine, account(database, "Official")[0])
    key = f"exclusion:{case_id}"
    with browser(app, SECRETARY) as secretary:  # the member may still comment
        assert key not in secretary.get(MEETINGS).text
    people = on_later(database, later)
    page = people(SECRETARY).get(MEETINGS).text
    assert key in page and "Шығарылатын Резерв" in page and "Clause 18(2) of the Rules" in page
    assert "loss of citizenship" in page.lower()
    meeting = new_meeting(people, database, [key])
    item = meeting.item()
    assert (item.kind, item.clause, item.subject) == (ItemKind.EXCLUSION, "18(2)", {"case_id": str(case_id)})
    assert (case_row(database, case_id).status, case_row(database, case_id).agenda_item_id) == (
        ExclusionStatus.ON_AGENDA,
        item.id,
    )
    assert key not in people(SECRETARY).get(MEETINGS).text
    voted(meeting, {CHAIR: "for", ALIYA: "for", BERIK: "for", SAULE: "abstain"})
    assert "Шығарылатын Резерв" in people(BERIK).get(meeting.ballot_url).text
    assert close_with(meeting, "Confirmed by the migration service") == 303
    assert meeting.item().outcome == ItemOutcome.ADOPTED
    decided = case_row(database, case_id)
    assert (decided.status, decided.decision, decided.decision_reason, decided.agenda_item_id) == (
        ExclusionStatus.DECIDED,
        ExclusionDecision.EXCLUDED,
        "Confirmed by the migration service",
        item.id,
    )
    assert membership(database, mine).status == MembershipStatus.EXCLUDED
    voided = rows(database, sa.select(AppointmentProposal).where(col(AppointmentProposal.id) == proposal))[0]
    assert voided.status == ProposalStatus.VOID  # open proposals are void
    assert f"exclusion:{case_id}:decided" in {m.idempotency_key for m in messages_to(database, person)}
    assert ("exclusion.on_agenda", "18(2)") in actions(database, case_id)
    assert actions(database, case_id)[-1] == ("exclusion.decided", "18(2)")
    text = meeting.page()
    assert "Excluded" in text and "Confirmed by the migration service" in text


def test_cl18_without_quorum_the_case_comes_back_and_not_adopted_closes_it(
    app: Litestar, database: Settings, later: list[People]
) -> None:
    case_id, mine, person = filed_case(app, database, "Қалатын")
    key = f"exclusion:{case_id}"
    people = on_later(database, later)
    first = new_meeting(people, database, [key])
    voted(first, {CHAIR: "for", ALIYA: "for"}, present=[CHAIR, ALIYA])
    assert first.decided().outcome == ItemOutcome.NO_QUORUM
    assert case_row(database, case_id).status == ExclusionStatus.OPEN  # back to ready, nothing decided
    assert key in people(SECRETARY).get(MEETINGS).text
    second = new_meeting(people, database, [key])  # put on the agenda, never voted: back to ready
    assert second.open().status_code == 303
    closed = post(second.secretary, f"{second.url}/close")
    assert "1 item was not put to the vote" in " ".join(
        flashes(second.secretary.get(closed.headers["location"]).text)
    )
    assert case_row(database, case_id).status == ExclusionStatus.OPEN
    third = new_meeting(people, database, [key])
    voted(third, {CHAIR: "against", ALIYA: "against", BERIK: "against", SAULE: "for"})
    assert close_with(third, "") == 303  # the reason of a cl. 18 decision is optional
    assert third.item().outcome == ItemOutcome.REJECTED
    decided = case_row(database, case_id)
    assert (decided.status, decided.decision) == (ExclusionStatus.DECIDED, ExclusionDecision.NOT_EXCLUDED)
    assert membership(database, mine).status == MembershipStatus.ACTIVE
    assert f"exclusion:{case_id}:decided" in {m.idempotency_key for m in messages_to(database, person)}
    assert "Not excluded" in third.page()
    assert ("exclusion.off_agenda", "18(2)") in actions(database, case_id)
