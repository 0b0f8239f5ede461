"""Appointment proposals through HTTP (issue 8 item 5; cl. 14-17, rules.md 3.5, A-19, A-21, A-22).

The three routes land in the right queue and nowhere else: cl. 16 in the territorial unit's queue of
the post's region, cl. 15 and cl. 17 in the Agency's. Each queue page is read as each reviewer; the
demo territorial-unit officers also hold their role in Karaganda, whose queue must stay empty of
Astana's proposals. A member under exclusion review cannot be proposed (A-22).
"""

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import col

from portal.applications.cleanup import sweep_documents
from portal.appointments.models import AppointmentProposal, Position, ProposalStatus
from portal.auth.models import User
from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.notifications.models import OutboxMessage
from portal.reserve.exclusion_models import ExclusionCase, ExclusionStatus
from portal.reserve.models import MembershipStatus, ReserveMembership
from tests.conftest import TEST_CANDIDATES, csrf_headers
from tests.integration.applications.journey import HTMX_PARTIAL, pdf_bytes
from tests.integration.appointments.support import (
    ADMIN,
    AGENCY,
    ASTANA,
    KARAGANDA,
    OFFICIAL,
    TU_HEAD,
    TU_OFFICER,
    add_post,
    browser,
    make_member,
    post,
    rows,
    unique,
)

#: The test people who are reserve members here (portal.demo.users via tests.conftest).
MEMBER_16, MEMBER_15, MEMBER_17, MEMBER_BACK = (TEST_CANDIDATES[n] for n in (26, 27, 28, 29))


@dataclass
class Desks:
    """Browsers signed in as every person of the story, in English."""

    admin: TestClient[Litestar]
    official: TestClient[Litestar]
    tu_officer: TestClient[Litestar]
    tu_head: TestClient[Litestar]
    agency: TestClient[Litestar]


@pytest.fixture
def desks(app: Litestar) -> Iterator[Desks]:
    with (
        browser(app, ADMIN) as admin,
        browser(app, OFFICIAL) as official,
        browser(app, TU_OFFICER) as tu_officer,
        browser(app, TU_HEAD) as tu_head,
        browser(app, AGENCY) as agency,
    ):
        yield Desks(admin, official, tu_officer, tu_head, agency)


def _proposal(settings: Settings, proposal_id: str) -> AppointmentProposal:
    return rows(
        settings, sa.select(AppointmentProposal).where(col(AppointmentProposal.id) == uuid.UUID(proposal_id))
    )[0]


def _propose(official: TestClient[Litestar], position_id: str, membership_id: str) -> str:
    response = post(
        official,
        "/astana/appointments/proposals",
        {"position_id": position_id, "membership_id": membership_id},
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


def _file(
    desks: Desks,
    member: TestClient[Litestar],
    position_id: str,
    membership_id: str,
    *,
    title: str = "",
) -> str:
    """Prepare, confirm as the member, attach the service record and file; returns the proposal id.

    With the post's title, also checks that no queue shows the proposal before it is filed.
    """
    proposal_id = _propose(desks.official, position_id, membership_id)
    base = f"/astana/appointments/proposals/{proposal_id}"
    assert "asked to confirm" in desks.official.get(base).text
    assert post(member, f"/me/proposals/{proposal_id}/answer", {"answer": "confirm"}).status_code == 303
    attached = desks.official.post(
        f"{base}/service-record",
        files={"service_record": ("service-record.pdf", pdf_bytes(), "application/pdf")},
        headers=csrf_headers(desks.official),
        follow_redirects=False,
    )
    assert attached.status_code == 303, attached.text
    if title:
        assert not any(_queues(desks, title).values())
    assert post(desks.official, f"{base}/submit").status_code == 303
    assert _proposal_status(desks, proposal_id) == ProposalStatus.SUBMITTED
    return proposal_id


def _proposal_status(desks: Desks, proposal_id: str) -> str:
    page = desks.official.get(f"/astana/appointments/proposals/{proposal_id}").text
    for status in ("Submitted", "Accepted", "Returned", "Appointed"):
        if f">{status}</span>" in page:
            return status.lower()
    return "?"


def _queues(desks: Desks, title: str) -> dict[str, bool]:
    """Where the post's proposal shows: each reviewer's queue page, read as that reviewer."""
    found = {
        "astana TU officer": desks.tu_officer.get("/astana/appointments/review"),
        "astana TU head": desks.tu_head.get("/astana/appointments/review"),
        "karaganda TU officer": desks.tu_officer.get("/karaganda/appointments/review"),
        "karaganda TU head": desks.tu_head.get("/karaganda/appointments/review"),
        "agency": desks.agency.get("/agency/proposals"),
    }
    assert {name: r.status_code for name, r in found.items()} == dict.fromkeys(found, 200)
    assert desks.tu_officer.get("/shymkent/appointments/review").status_code == 403
    return {name: title in r.text for name, r in found.items()}


def _confirmed_head_post(desks: Desks, settings: Settings, title: str) -> str:
    position_id = add_post(desks.admin, settings, "astana", title, head=True)
    assert post(desks.agency, f"/agency/positions/{position_id}/confirm").status_code == 303
    return position_id


def _actions(settings: Settings, proposal_id: str) -> list[tuple[str, str]]:
    return [
        (e.action, e.clause)
        for e in rows(
            settings,
            sa.select(AuditEvent)
            .where(col(AuditEvent.object_id) == proposal_id)
            .order_by(col(AuditEvent.seq)),
        )
    ]


def test_cl16_a_proposal_goes_to_the_territorial_unit_of_the_post_and_nowhere_else(
    desks: Desks, app: Litestar, database: Settings
) -> None:
    title = unique("Head of the sports section")
    position_id = add_post(desks.admin, database, "astana", title)
    with browser(app, MEMBER_16.sub) as member:
        membership_id = make_member(database, ASTANA, person=MEMBER_16)
        proposal_id = _file(desks, member, position_id, membership_id, title=title)
        assert _queues(desks, title) == {
            "astana TU officer": True,
            "astana TU head": True,
            "karaganda TU officer": False,
            "karaganda TU head": False,
            "agency": False,
        }
        assert desks.agency.get(f"/agency/proposals/{proposal_id}").status_code == 404
        assert desks.tu_officer.get(f"/karaganda/appointments/review/{proposal_id}").status_code == 404
        review = desks.tu_officer.get(f"/astana/appointments/review/{proposal_id}")
        assert review.status_code == 200 and "Clause 16" in review.text
        record = desks.tu_officer.get(f"/astana/appointments/review/{proposal_id}/files/service-record")
        assert record.status_code == 200 and record.content.startswith(b"%PDF")

        assert (
            post(
                desks.tu_officer, f"/astana/appointments/review/{proposal_id}/decide", {"decision": "accept"}
            ).status_code
            == 303
        )
        assert _proposal(database, proposal_id).status == ProposalStatus.ACCEPTED
        act = desks.official.post(
            f"/astana/appointments/proposals/{proposal_id}/act",
            data={"act_number": "125-k", "act_date": "2025-02-20"},
            files={"act": ("act.pdf", pdf_bytes(), "application/pdf")},
            headers=csrf_headers(desks.official),
            follow_redirects=False,
        )
        assert act.status_code == 303, act.text
        assert "Appointed" in member.get(f"/me/proposals/{proposal_id}").text

    saved = _proposal(database, proposal_id)
    assert saved.status == ProposalStatus.APPOINTED and saved.act_sha256 and saved.act_number == "125-k"
    # The orphan sweep keeps the proposal's files (issue 5: nothing lost).
    swept = asyncio.run(sweep_documents(database, 0))
    assert saved.service_record_key not in swept and saved.act_key not in swept
    position = rows(database, sa.select(Position).where(col(Position.id) == uuid.UUID(position_id)))[0]
    assert position.vacant is False
    membership = rows(
        database, sa.select(ReserveMembership).where(col(ReserveMembership.id) == uuid.UUID(membership_id))
    )[0]
    assert membership.status == MembershipStatus.ACTIVE  # an appointment does not end the membership
    assert _actions(database, proposal_id) == [
        ("proposal.created", "16"),
        ("proposal.member_confirmed", "16"),
        ("proposal.service_record_attached", "16"),
        ("proposal.submitted", "16"),
        ("proposal.accepted", "16"),
        ("proposal.appointed", "16"),
    ]
    letters = rows(
        database,
        sa.select(OutboxMessage)
        .where(col(OutboxMessage.body).contains(title))
        # created_at comes from the (fixed) test clock: the ids (UUID v7, time-ordered) break the ties
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id)),
    )
    member_user = membership.user_id
    to_member = [(m.language, m.subject) for m in letters if m.user_id == member_user]
    to_others = {(m.language, m.subject) for m in letters if m.user_id != member_user}
    # the member is first written to in Kazakh (no application of theirs says otherwise), then in
    # the language they confirmed in; the official in the language they filed in (rules.md A-32)
    assert to_member[0][0] == "kk" and to_member[-1] == ("en", "You have been appointed")
    assert ("en", "Appointment proposal accepted") in to_member
    assert {
        ("en", "Appointment proposal: the member has confirmed"),
        ("en", "Appointment proposal accepted"),
    } <= to_others


def test_cl15_a_head_of_a_regionally_financed_body_goes_to_the_agency_only(
    desks: Desks, app: Litestar, database: Settings
) -> None:
    title = unique("Head of the education department")
    position_id = _confirmed_head_post(desks, database, title)
    with browser(app, MEMBER_15.sub) as member:
        membership_id = make_member(database, ASTANA, person=MEMBER_15)
        proposal_id = _file(desks, member, position_id, membership_id)
    assert _queues(desks, title) == {
        "astana TU officer": False,
        "astana TU head": False,
        "karaganda TU officer": False,
        "karaganda TU head": False,
        "agency": True,
    }
    assert desks.tu_officer.get(f"/astana/appointments/review/{proposal_id}").status_code == 404
    page = desks.agency.get(f"/agency/proposals/{proposal_id}")
    assert page.status_code == 200 and "Clause 15" in page.text
    # the territorial unit cannot decide it, even by posting to its own desk
    assert (
        post(
            desks.tu_head, f"/astana/appointments/review/{proposal_id}/decide", {"decision": "accept"}
        ).status_code
        == 404
    )
    assert (
        post(desks.agency, f"/agency/proposals/{proposal_id}/decide", {"decision": "accept"}).status_code
        == 303
    )
    assert _proposal(database, proposal_id).status == ProposalStatus.ACCEPTED
    assert [c for _a, c in _actions(database, proposal_id)] == ["15"] * 5


def test_cl15_a_head_post_is_not_offered_until_the_agency_confirms_the_mark(
    desks: Desks, database: Settings
) -> None:
    title = unique("Head of the health department")
    position_id = add_post(desks.admin, database, "astana", title, head=True)
    membership_id = make_member(database, ASTANA, name="Awaiting Mark")
    assert title not in desks.official.get("/astana/appointments/proposals/new").text
    refused = post(
        desks.official,
        "/astana/appointments/proposals",
        {"position_id": position_id, "membership_id": membership_id},
    )
    assert refused.status_code == 422 and "Choose a vacant post" in refused.text


def test_cl17_another_regions_member_who_consented_goes_to_the_agency_only(
    desks: Desks, app: Litestar, database: Settings
) -> None:
    title = unique("Deputy head of the agriculture department")
    position_id = add_post(desks.admin, database, "astana", title)
    with browser(app, MEMBER_17.sub) as member:
        membership_id = make_member(database, KARAGANDA, person=MEMBER_17)
        name = f"{MEMBER_17.family_name} {MEMBER_17.given_name}"
        # without the member's consent the official of another region neither sees nor may propose them
        assert name not in desks.official.get("/astana/appointments/proposals/new").text
        refused = post(
            desks.official,
            "/astana/appointments/proposals",
            {"position_id": position_id, "membership_id": membership_id},
        )
        assert refused.status_code == 422 and "only with their consent" in refused.text

        assert (
            post(member, f"/me/memberships/{membership_id}/consent", {"consent": "give"}).status_code == 303
        )
        assert "You consented on" in member.get("/me/proposals").text
        assert name in desks.official.get("/astana/appointments/proposals/new").text
        proposal_id = _propose(desks.official, position_id, membership_id)
        answer_page = member.get(f"/me/proposals/{proposal_id}").text
        assert "consent to be appointed in that region (clause 17)" in answer_page
        assert post(member, f"/me/proposals/{proposal_id}/answer", {"answer": "confirm"}).status_code == 303
        base = f"/astana/appointments/proposals/{proposal_id}"
        desks.official.post(
            f"{base}/service-record",
            files={"service_record": ("record.pdf", pdf_bytes(), "application/pdf")},
            headers=csrf_headers(desks.official),
        )
        assert post(desks.official, f"{base}/submit").status_code == 303
        # the consent may be withdrawn later: the proposal keeps the member's own confirmation
        assert (
            post(member, f"/me/memberships/{membership_id}/consent", {"consent": "withdraw"}).status_code
            == 303
        )

    assert _queues(desks, title) == {
        "astana TU officer": False,
        "astana TU head": False,
        "karaganda TU officer": False,
        "karaganda TU head": False,
        "agency": True,
    }
    page = desks.agency.get(f"/agency/proposals/{proposal_id}").text
    assert "Clause 17" in page and "The Agency consents to the appointment (clause 17)" in page
    assert (
        post(desks.agency, f"/agency/proposals/{proposal_id}/decide", {"decision": "accept"}).status_code
        == 303
    )
    saved = _proposal(database, proposal_id)
    assert (saved.status, saved.route_clause, saved.member_tenant_id, saved.tenant_id) == (
        ProposalStatus.ACCEPTED,
        "17",
        KARAGANDA,
        ASTANA,
    )
    consent_events = rows(
        database,
        sa.select(AuditEvent.clause).where(
            col(AuditEvent.object_id) == membership_id, col(AuditEvent.action).startswith("member.consent")
        ),
    )
    assert consent_events == ["17", "17"]
    # the member's home territorial unit reads the proposal, and cannot act on it
    home = desks.tu_officer.get("/karaganda/appointments/review/other-regions")
    assert home.status_code == 200 and title in home.text
    assert (
        "Other regions' proposals for members of this reserve"
        in desks.tu_officer.get("/karaganda/appointments/review").text
    )
    page = desks.tu_head.get(f"/karaganda/appointments/review/other-regions/{proposal_id}")
    assert page.status_code == 200 and "Clause 17" in page.text and "record.pdf" in page.text
    assert "/decide" not in page.text and "/files/" not in page.text
    assert desks.tu_officer.get(f"/karaganda/appointments/review/{proposal_id}").status_code == 404
    assert title not in desks.tu_officer.get("/astana/appointments/review/other-regions").text
    assert desks.tu_officer.get(f"/astana/appointments/review/other-regions/{proposal_id}").status_code == 404
    assert desks.tu_officer.get("/shymkent/appointments/review/other-regions").status_code == 403


def test_a22_a_member_under_exclusion_review_cannot_be_proposed(desks: Desks, database: Settings) -> None:
    position_id = add_post(desks.admin, database, "astana", unique("Head of the archive section"))
    membership_id = make_member(database, ASTANA, name="Under Review Member")

    async def open_case() -> None:
        async with session_scope(database) as session:
            creator = (await session.execute(sa.select(col(User.id)).limit(1))).scalar_one()
            session.add(
                ExclusionCase(
                    tenant_id=ASTANA,
                    membership_id=uuid.UUID(membership_id),
                    ground="18.4",
                    clause="18(4)",
                    status=ExclusionStatus.OPEN,
                    created_by=creator,
                    opened_at=datetime(2025, 2, 19, tzinfo=UTC),
                )
            )
            await session.commit()

    asyncio.run(open_case())
    assert "Under Review Member" not in desks.official.get("/astana/appointments/proposals/new").text
    refused = post(
        desks.official,
        "/astana/appointments/proposals",
        {"position_id": position_id, "membership_id": membership_id},
    )
    assert refused.status_code == 422 and "under exclusion review" in refused.text
    assert not rows(
        database,
        sa.select(AppointmentProposal).where(
            col(AppointmentProposal.membership_id) == uuid.UUID(membership_id)
        ),
    )


def test_cl14_an_elective_post_is_never_offered(desks: Desks, database: Settings) -> None:
    title = unique("Akim of a rural district")
    position_id = add_post(desks.admin, database, "astana", title, elective=True)
    membership_id = make_member(database, ASTANA, name="Elective Test")
    assert title not in desks.official.get("/astana/appointments/proposals/new").text
    refused = post(
        desks.official,
        "/astana/appointments/proposals",
        {"position_id": position_id, "membership_id": membership_id},
    )
    assert refused.status_code == 422


def test_a19_a_returned_proposal_needs_reasons_and_may_be_filed_again(
    desks: Desks, app: Litestar, database: Settings
) -> None:
    title = unique("Head of the transport section")
    position_id = add_post(desks.admin, database, "astana", title)
    with browser(app, MEMBER_BACK.sub) as member:
        membership_id = make_member(database, ASTANA, person=MEMBER_BACK)
        proposal_id = _file(desks, member, position_id, membership_id)
        decide = f"/astana/appointments/review/{proposal_id}/decide"
        without = post(desks.tu_head, decide, {"decision": "return"})
        assert without.status_code == 422 and "This field is required." in without.text
        assert (
            post(
                desks.tu_head, decide, {"decision": "return", "reason": "The service record is outdated."}
            ).status_code
            == 303
        )
        assert "The service record is outdated." in member.get(f"/me/proposals/{proposal_id}").text
        # the act cannot be uploaded before acceptance
        early = desks.official.post(
            f"/astana/appointments/proposals/{proposal_id}/act",
            data={"act_number": "1", "act_date": "2025-02-20"},
            files={"act": ("act.pdf", pdf_bytes(), "application/pdf")},
            headers=csrf_headers(desks.official),
            follow_redirects=False,
        )
        assert early.status_code == 422
        assert post(desks.official, f"/astana/appointments/proposals/{proposal_id}/submit").status_code == 303
    saved = _proposal(database, proposal_id)
    assert saved.status == ProposalStatus.SUBMITTED and saved.reason == ""
    assert ("proposal.returned", "16") in _actions(database, proposal_id)


def test_rules_3_5_a_member_who_declines_may_be_asked_again_and_nobody_else_sees_the_proposal(
    desks: Desks, app: Litestar, database: Settings
) -> None:
    person = TEST_CANDIDATES[30]
    position_id = add_post(desks.admin, database, "astana", unique("Head of the youth section"))
    with browser(app, person.sub) as member, browser(app, TEST_CANDIDATES[31].sub) as stranger:
        membership_id = make_member(database, ASTANA, person=person)
        proposal_id = _propose(desks.official, position_id, membership_id)
        assert stranger.get(f"/me/proposals/{proposal_id}").status_code == 404
        assert post(stranger, f"/me/proposals/{proposal_id}/answer", {"answer": "confirm"}).status_code == 404
        assert (
            post(stranger, f"/me/memberships/{membership_id}/consent", {"consent": "give"}).status_code == 404
        )
        assert post(member, f"/me/proposals/{proposal_id}/answer", {"answer": "decline"}).status_code == 303
        base = f"/astana/appointments/proposals/{proposal_id}"
        assert post(desks.official, f"{base}/submit").status_code == 303
        assert "has not confirmed" in desks.official.get(base).text
        assert post(desks.official, f"{base}/ask").status_code == 303
        assert "I confirm my application" in member.get(f"/me/proposals/{proposal_id}").text
        assert post(desks.official, f"{base}/withdraw", {"reason": "Post reorganised"}).status_code == 303
        assert "I confirm my application" not in member.get(f"/me/proposals/{proposal_id}").text
    assert _proposal(database, proposal_id).status == ProposalStatus.WITHDRAWN


def test_a_second_proposal_for_the_same_post_is_refused(desks: Desks, database: Settings) -> None:
    position_id = add_post(desks.admin, database, "astana", unique("Head of the water section"))
    first = make_member(database, ASTANA, name="First Member")
    second = make_member(database, ASTANA, name="Second Member")
    _propose(desks.official, position_id, first)
    refused = post(
        desks.official,
        "/astana/appointments/proposals",
        {"position_id": position_id, "membership_id": second},
    )
    assert refused.status_code == 422


def test_htmx_the_member_search_swaps_only_the_list(desks: Desks, database: Settings) -> None:
    make_member(database, ASTANA, name="Zhanibek Searchable")
    fragment = desks.official.get("/astana/appointments/proposals/new?q=Searchable", headers=HTMX_PARTIAL)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<fieldset id="members"') and "<html" not in fragment.text
    assert "Zhanibek Searchable" in fragment.text
    assert (
        "Zhanibek"
        not in desks.official.get(
            "/astana/appointments/proposals/new?q=nobody-like-this", headers=HTMX_PARTIAL
        ).text
    )
    full = desks.official.get("/astana/appointments/proposals/new?q=Searchable")
    assert "<html" in full.text and "Zhanibek Searchable" in full.text


def test_csrf_the_proposal_forms_need_the_token(desks: Desks) -> None:
    for url in ("/astana/appointments/proposals", f"/me/proposals/{uuid.uuid4()}/answer"):
        assert desks.official.post(url, data={}, follow_redirects=False).status_code == 403
