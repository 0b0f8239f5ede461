"""The services of appointment from the reserve (cl. 14-17; rules.md 3.5, A-19, A-21, A-22, A-39) on a
throw-away in-memory database: the portal's tables, no migrations, no HTTP, no foreign rows needed."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import col

from portal.applications.uploads import Received
from portal.appointments import consents, positions, proposals
from portal.appointments.models import AppointmentProposal, Position, ProposalStatus
from portal.core.audit import CHAIN_HEAD_ID, AuditChainHead, AuditEvent
from portal.core.storage import LocalStorage
from portal.i18n import set_language
from portal.models import metadata
from portal.notifications.models import OutboxMessage
from portal.reserve.exclusion_models import ExclusionCase, ExclusionStatus
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.rules.calendar import kz_calendar
from portal.rules.routing import Addressee, Route

ASTANA, KARAGANDA = "KZ-71", "KZ-35"
TODAY = date(2025, 2, 20)
NOW = datetime(2025, 2, 20, 6, 0, tzinfo=UTC)
ADMIN, OFFICIAL, MEMBER, REVIEWER = (uuid.uuid4() for _ in range(4))
MAIL = proposals.Mail(
    "https://reserve.example.kz",
    {ASTANA: {"kk": "Астана", "ru": "Астана", "en": "Astana"}},
    {ASTANA: "astana", KARAGANDA: "karaganda"},
)

Work = Callable[[AsyncSession], Awaitable[None]]


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.fixture
def run() -> Iterator[Callable[[Work], None]]:
    """Run a piece of work in a session of one in-memory database kept for the whole test."""
    engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool)
    factory = async_sessionmaker(engine, expire_on_commit=False)
    loop = asyncio.new_event_loop()

    async def setup() -> None:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        async with factory() as session:
            session.add(AuditChainHead(id=CHAIN_HEAD_ID))
            await session.commit()

    loop.run_until_complete(setup())

    def go(work: Work) -> None:
        async def inside() -> None:
            async with factory() as session:
                await work(session)
                await session.commit()

        loop.run_until_complete(inside())

    yield go
    loop.run_until_complete(engine.dispose())
    loop.close()


def _fields(
    title: str = "Head of section", *, head: bool = False, elective: bool = False
) -> positions.PostFields:
    return positions.PostFields("Akimat", title, "C-O-1", elective, head, True)


async def _post(
    session: AsyncSession, *, tenant: str = ASTANA, head: bool = False, confirm: bool = False
) -> Position:
    position = await positions.add_position(session, tenant, _fields(head=head), actor=ADMIN, now=NOW)
    if confirm:
        await positions.confirm_cl15(session, position, actor=REVIEWER, now=NOW)
    return position


async def _member(session: AsyncSession, tenant: str = ASTANA, **values: object) -> ReserveMembership:
    membership = ReserveMembership(
        tenant_id=tenant,
        user_id=values.pop("user_id", MEMBER),  # type: ignore[arg-type]
        candidate_iin="950303300011",
        candidate_name="Member",
        clause="12",
        starts_on=TODAY - timedelta(days=30),
        ends_on=TODAY + timedelta(days=700),
        status=values.pop("status", MembershipStatus.ACTIVE),  # type: ignore[arg-type]
        counted_in_quota=True,
    )
    session.add(membership)
    await session.flush()
    return membership


async def _create(session: AsyncSession, position: Position, membership: ReserveMembership) -> proposals.Row:
    proposal = await proposals.create_proposal(
        session,
        ASTANA,
        position_id=position.id,
        membership_id=membership.id,
        actor=OFFICIAL,
        language="ru",
        today=TODAY,
        now=NOW,
        mail=MAIL,
    )
    row = await proposals.region_proposal(session, ASTANA, proposal.id)
    assert row is not None
    return row


def _upload(tmp_path: Path) -> proposals.Upload:
    source = tmp_path / f"upload-{uuid.uuid4().hex}"
    source.write_bytes(b"%PDF-1.4 test")
    return proposals.Upload(
        Received(source, "application/pdf", 1, "record.pdf"), LocalStorage(tmp_path / "store"), 10_000
    )


async def _ready(session: AsyncSession, row: proposals.Row, tmp_path: Path) -> None:
    await proposals.answer(session, row, confirm=True, actor=MEMBER, language="en", now=NOW, mail=MAIL)
    await proposals.attach_service_record(session, row, _upload(tmp_path), actor=OFFICIAL, now=NOW)


def test_cl16_an_ordinary_post_of_the_members_own_region_goes_to_the_territorial_unit(
    run: Callable[[Work], None],
) -> None:
    async def work(session: AsyncSession) -> None:
        row = await _create(session, await _post(session), await _member(session))
        assert (row.proposal.addressee, row.proposal.route_clause) == (Addressee.TERRITORIAL_UNIT, "16")
        assert row.proposal.status == ProposalStatus.AWAITING_MEMBER and not row.proposal.routed_on_cl15_flag
        event = (
            await session.execute(sa.select(AuditEvent).where(col(AuditEvent.action) == "proposal.created"))
        ).scalar_one()
        assert (
            event.clause == "16"
            and event.after is not None
            and event.after["addressee"] == "TERRITORIAL_UNIT"
        )

    run(work)


def test_cl15_a_confirmed_head_post_goes_to_the_agency(run: Callable[[Work], None]) -> None:
    async def work(session: AsyncSession) -> None:
        row = await _create(session, await _post(session, head=True, confirm=True), await _member(session))
        assert (row.proposal.addressee, row.proposal.route_clause, row.proposal.routed_on_cl15_flag) == (
            Addressee.AGENCY,
            "15",
            True,
        )

    run(work)


def test_a39_a_head_post_awaiting_the_agencys_confirmation_is_not_offered(
    run: Callable[[Work], None],
) -> None:
    async def work(session: AsyncSession) -> None:
        position = await _post(session, head=True)
        assert positions.awaiting_cl15_confirmation(position) and not positions.offerable(position)
        assert position not in await proposals.offerable_posts(session, ASTANA)
        with pytest.raises(proposals.ProposalRefused):
            await _create(session, position, await _member(session))

    run(work)


def test_cl17_another_regions_member_needs_their_standing_consent(run: Callable[[Work], None]) -> None:
    async def work(session: AsyncSession) -> None:
        position, membership = await _post(session), await _member(session, KARAGANDA)
        assert membership not in await proposals.proposable_members(session, ASTANA, today=TODAY)
        with pytest.raises(proposals.ProposalRefused, match="consent"):
            await _create(session, position, membership)
        consent = await consents.give(session, membership, user_id=MEMBER, today=TODAY, now=NOW)
        assert membership in await proposals.proposable_members(session, ASTANA, today=TODAY)
        row = await _create(session, position, membership)
        assert (row.proposal.addressee, row.proposal.route_clause, row.proposal.consent_id) == (
            Addressee.AGENCY,
            "17",
            consent.id,
        )
        assert row.proposal.tenant_id == ASTANA and row.proposal.member_tenant_id == KARAGANDA

    run(work)


def test_a22_a_member_under_exclusion_review_is_neither_listed_nor_proposed(
    run: Callable[[Work], None],
) -> None:
    async def work(session: AsyncSession) -> None:
        position, membership = await _post(session), await _member(session)
        session.add(
            ExclusionCase(
                tenant_id=ASTANA,
                membership_id=membership.id,
                ground="18.6",
                clause="18(6)",
                status=ExclusionStatus.AWAITING_COMMENT,
                created_by=ADMIN,
            )
        )
        await session.flush()
        assert await proposals.under_review(session, membership.id)
        assert membership not in await proposals.proposable_members(session, ASTANA, today=TODAY)
        with pytest.raises(proposals.ProposalRefused, match="exclusion review"):
            await _create(session, position, membership)

    run(work)


def test_a22_an_expired_membership_cannot_be_proposed(run: Callable[[Work], None]) -> None:
    async def work(session: AsyncSession) -> None:
        position = await _post(session)
        with pytest.raises(proposals.ProposalRefused, match="not active"):
            await _create(session, position, await _member(session, status=MembershipStatus.EXPIRED))

    run(work)


def test_rules_3_5_filing_needs_the_members_application_and_the_service_record_and_sets_the_review_date(
    run: Callable[[Work], None], tmp_path: Path
) -> None:
    calendar = kz_calendar([2025, 2026])

    async def work(session: AsyncSession) -> None:
        row = await _create(session, await _post(session), await _member(session))

        async def submit() -> Route:
            return await proposals.submit(
                session, row, actor=OFFICIAL, today=TODAY, now=NOW, calendar=calendar, mail=MAIL
            )

        with pytest.raises(proposals.ProposalRefused):
            await submit()  # still with the member
        await proposals.answer(session, row, confirm=True, actor=MEMBER, language="en", now=NOW, mail=MAIL)
        with pytest.raises(proposals.ProposalRefused, match="service record"):
            await submit()
        await proposals.attach_service_record(session, row, _upload(tmp_path), actor=OFFICIAL, now=NOW)
        route = await submit()
        assert route.clause == "16" and row.proposal.status == ProposalStatus.SUBMITTED
        # 10 working days after 20 February 2025 (a Thursday; no holiday in between)
        assert row.proposal.due_on == date(2025, 3, 6)
        assert row.proposal.member_language == "en" and row.proposal.service_record_sha256

    run(work)


def test_a39_routing_is_decided_again_at_filing_on_the_post_as_it_stands(
    run: Callable[[Work], None], tmp_path: Path
) -> None:
    async def work(session: AsyncSession) -> None:
        position = await _post(session)
        row = await _create(session, position, await _member(session))
        await _ready(session, row, tmp_path)
        await positions.update_position(session, position, _fields(head=True), actor=ADMIN, now=NOW)
        with pytest.raises(proposals.ProposalRefused, match="no longer be offered"):
            await proposals.submit(
                session, row, actor=OFFICIAL, today=TODAY, now=NOW, calendar=kz_calendar([2025]), mail=MAIL
            )
        await positions.confirm_cl15(session, position, actor=REVIEWER, now=NOW)
        route = await proposals.submit(
            session, row, actor=OFFICIAL, today=TODAY, now=NOW, calendar=kz_calendar([2025]), mail=MAIL
        )
        assert (route.addressee, row.proposal.route_clause, row.proposal.routed_on_cl15_flag) == (
            Addressee.AGENCY,
            "15",
            True,
        )

    run(work)


def test_a19_only_the_addressee_decides_and_a_return_needs_reasons(
    run: Callable[[Work], None], tmp_path: Path
) -> None:
    async def work(session: AsyncSession) -> None:
        row = await _create(session, await _post(session), await _member(session))
        await _ready(session, row, tmp_path)
        await proposals.submit(
            session, row, actor=OFFICIAL, today=TODAY, now=NOW, calendar=kz_calendar([2025]), mail=MAIL
        )

        async def decide(addressee: Addressee, *, accept: bool) -> None:
            await proposals.decide(
                session,
                row,
                addressee=addressee,
                accept=accept,
                reason="",
                actor=REVIEWER,
                now=NOW,
                mail=MAIL,
            )

        with pytest.raises(proposals.ProposalRefused, match="not waiting for your decision"):
            await decide(Addressee.AGENCY, accept=True)
        with pytest.raises(proposals.ProposalRefused, match="reasons"):
            await decide(Addressee.TERRITORIAL_UNIT, accept=False)
        await decide(Addressee.TERRITORIAL_UNIT, accept=True)
        assert row.proposal.status == ProposalStatus.ACCEPTED and row.proposal.reviewer_id == REVIEWER

    run(work)


def test_a21_the_act_appoints_the_member_fills_the_post_and_the_membership_goes_on(
    run: Callable[[Work], None], tmp_path: Path
) -> None:
    async def work(session: AsyncSession) -> None:
        position, membership = await _post(session), await _member(session)
        row = await _create(session, position, membership)
        await _ready(session, row, tmp_path)
        await proposals.submit(
            session, row, actor=OFFICIAL, today=TODAY, now=NOW, calendar=kz_calendar([2025]), mail=MAIL
        )
        await proposals.decide(
            session,
            row,
            addressee=Addressee.TERRITORIAL_UNIT,
            accept=True,
            reason="",
            actor=REVIEWER,
            now=NOW,
            mail=MAIL,
        )
        await proposals.record_act(
            session,
            row,
            _upload(tmp_path),
            act_number="7-k",
            act_date=TODAY,
            actor=OFFICIAL,
            now=NOW,
            mail=MAIL,
        )
        assert row.proposal.status == ProposalStatus.APPOINTED and position.vacant is False
        assert membership.status == MembershipStatus.ACTIVE
        await positions.deactivate_position(session, position, actor=ADMIN, now=NOW)  # nothing open on it now
        with pytest.raises(positions.PositionError, match="already"):
            await positions.deactivate_position(session, position, actor=ADMIN, now=NOW)

    run(work)


def test_a22_an_ended_membership_voids_its_open_proposals_once(run: Callable[[Work], None]) -> None:
    async def work(session: AsyncSession) -> None:
        membership = await _member(session)
        first = await _create(session, await _post(session), membership)
        second = await _create(session, await _post(session), membership)
        membership.status = MembershipStatus.EXCLUDED
        voided = await proposals.void_open_proposals(
            session,
            membership,
            reason="Excluded from the reserve",
            clause="18(9)",
            actor="system",
            now=NOW,
            mail=MAIL,
        )
        assert voided == 2 and {first.proposal.status, second.proposal.status} == {ProposalStatus.VOID}
        again = await proposals.void_open_proposals(
            session,
            membership,
            reason="Excluded from the reserve",
            clause="18(9)",
            actor="system",
            now=NOW,
            mail=MAIL,
        )
        assert again == 0
        events = (
            await session.execute(
                sa.select(AuditEvent.clause).where(col(AuditEvent.action) == "proposal.voided")
            )
        ).scalars()
        assert list(events) == ["18(9)", "18(9)"]
        notices = (
            await session.execute(
                # the subject is in the recipient's language: find the notices by their keys
                sa.select(OutboxMessage).where(col(OutboxMessage.idempotency_key).like("proposal:%:voided%"))
            )
        ).scalars()
        # the official (in Russian, the language they filed in) and the member, once per proposal
        assert sorted((m.language, m.user_id == OFFICIAL) for m in notices) == [
            ("kk", False),
            ("kk", False),
            ("ru", True),
            ("ru", True),
        ]

    run(work)


def test_a39_changing_the_cl15_mark_drops_the_confirmation_and_an_open_proposal_keeps_the_post(
    run: Callable[[Work], None],
) -> None:
    async def work(session: AsyncSession) -> None:
        position = await _post(session, head=True, confirm=True)
        assert position.cl15_confirmed
        await positions.update_position(session, position, _fields(head=True), actor=ADMIN, now=NOW)
        assert position.cl15_confirmed  # unchanged mark: still confirmed
        await positions.update_position(session, position, _fields(head=False), actor=ADMIN, now=NOW)
        await positions.update_position(session, position, _fields(head=True), actor=ADMIN, now=NOW)
        assert not position.cl15_confirmed and positions.awaiting_cl15_confirmation(position)
        with pytest.raises(positions.PositionError, match="clause 15 mark"):
            await positions.add_position(
                session, ASTANA, _fields(head=True, elective=True), actor=ADMIN, now=NOW
            )
        ordinary = await _post(session)
        await _create(session, ordinary, await _member(session))
        with pytest.raises(positions.PositionError, match="under way"):
            await positions.deactivate_position(session, ordinary, actor=ADMIN, now=NOW)
        total = (
            await session.execute(sa.select(sa.func.count()).select_from(AppointmentProposal))
        ).scalar_one()
        assert total == 1

    run(work)
