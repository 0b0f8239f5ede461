"""Shared steps of the reserve tests (issue 8): members put in the database as a commission's decision
leaves them, people signed in, and small readers of the database.

People: the territorial unit (tu-officer-dana, tu-head-marat), the secretary (secretary-gulnar), a
commission member (member-aliya), the appointing official (appointing-timur) and the Agency
(agency-madina) hold their roles in Astana (and Karaganda). Members who sign in are the test
candidates 36, 37 and 38 (no other test uses them); members who never act in the portal get an
account made here (an e-mail address, so their notices can be read).
"""

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import col

from portal.appointments.models import AppointmentProposal, Position, ProposalStatus
from portal.auth.models import User
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import DemoUser, make_iin
from portal.notifications.models import OutboxMessage
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.rules.routing import Addressee
from tests.conftest import TEST_CANDIDATES, TODAY, csrf_headers, sign_in

ASTANA, KARAGANDA = "KZ-71", "KZ-35"
TU_OFFICER, TU_HEAD, SECRETARY = "tu-officer-dana", "tu-head-marat", "secretary-gulnar"
COMMISSION_MEMBER, OFFICIAL, AGENCY = "member-aliya", "appointing-timur", "agency-madina"
#: The test candidates the reserve tests own (no other test signs them in).
MEMBER_PAGE_PERSON, EXCLUDED_PERSON, SPARE_PERSON = (TEST_CANDIDATES[n] for n in (36, 37, 38))
HTMX_PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def run[T](work: Any) -> T:
    result: T = asyncio.run(work)
    return result


def rows[T](settings: Settings, statement: sa.Select[tuple[T]]) -> list[T]:
    async def work() -> list[T]:
        async with session_scope(settings) as session:
            return list((await session.execute(statement)).scalars())

    return asyncio.run(work())


@contextmanager
def browser(app: Litestar, sub: str | None = None) -> Iterator[TestClient[Litestar]]:
    """A browser in English, signed in as `sub` (anonymous for None)."""
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as client:
        if sub is not None:
            assert sign_in(client, sub).status_code == 303, sub
        yield client


def post(
    client: TestClient[Litestar], url: str, data: dict[str, str] | None = None, **kwargs: Any
) -> httpx.Response:
    headers = csrf_headers(client) | dict(kwargs.pop("headers", {}) or {})
    return client.post(url, data=data or {}, headers=headers, follow_redirects=False, **kwargs)


def tag() -> str:
    return uuid.uuid4().hex[:6]


async def _user_of(session: Any, iin: str) -> uuid.UUID | None:
    found: uuid.UUID | None = (
        await session.execute(sa.select(col(User.id)).where(col(User.iin) == iin))
    ).scalar_one_or_none()
    return found


def account(settings: Settings, name: str) -> tuple[uuid.UUID, str]:
    """A person who signed in once (an account with an e-mail address); returns (user id, IIN)."""

    async def work() -> tuple[uuid.UUID, str]:
        async with session_scope(settings) as session:
            iin = make_iin(date(1994, 6, 6), False, uuid.uuid4().int % 9000)
            while await _user_of(session, iin) is not None:  # pragma: no cover - a rare clash
                iin = make_iin(date(1994, 6, 6), False, uuid.uuid4().int % 9000)
            user = User(
                iin=iin,
                issuer="test",
                sub=f"reserve-{uuid.uuid4().hex}",
                given_name=name,
                family_name="Резерв",
                birth_date=date(1994, 6, 6),
                email=f"{uuid.uuid4().hex[:10]}@example.kz",
            )
            session.add(user)
            await session.flush()
            return user.id, iin

    return asyncio.run(work())


def member(
    settings: Settings,
    tenant_id: str = ASTANA,
    *,
    name: str = "",
    person: DemoUser | None = None,
    user: tuple[uuid.UUID, str] | None = None,
    starts_on: date = TODAY - timedelta(days=100),
    ends_on: date | None = None,
    direction: str | None = None,
    status: MembershipStatus = MembershipStatus.ACTIVE,
) -> uuid.UUID:
    """A membership (clause 12) of a signed-in test person, of an account, or of nobody who signed in."""

    async def work() -> uuid.UUID:
        async with session_scope(settings) as session:
            if person is not None:
                iin, full_name = person.iin, f"{person.family_name} {person.given_name}"
                user_id = await _user_of(session, iin)
            elif user is not None:
                (user_id, iin), full_name = user, name
            else:
                iin, full_name, user_id = (
                    make_iin(date(1995, 3, 3), True, uuid.uuid4().int % 9000),
                    name,
                    None,
                )
            membership = ReserveMembership(
                tenant_id=tenant_id,
                user_id=user_id,
                candidate_iin=iin,
                candidate_name=full_name or name,
                direction_code=direction,
                clause="12",
                starts_on=starts_on,
                ends_on=ends_on or starts_on.replace(year=starts_on.year + 2),
                status=status,
                counted_in_quota=True,
            )
            session.add(membership)
            await session.flush()
            return membership.id

    return asyncio.run(work())


def open_proposal(
    settings: Settings, membership_id: uuid.UUID, official: uuid.UUID, tenant_id: str = ASTANA
) -> uuid.UUID:
    """A submitted cl. 16 proposal of the member for a new post (as the appointments leave it)."""

    async def work() -> uuid.UUID:
        async with session_scope(settings) as session:
            post = Position(
                tenant_id=tenant_id,
                executive_body="Akimat",
                title=f"Post {tag()}",
                category="C-O-1",
                created_by=official,
            )
            session.add(post)
            await session.flush()
            proposal = AppointmentProposal(
                tenant_id=tenant_id,
                position_id=post.id,
                membership_id=membership_id,
                member_tenant_id=tenant_id,
                proposer_id=official,
                addressee=Addressee.TERRITORIAL_UNIT,
                route_clause="16",
                status=ProposalStatus.SUBMITTED,
            )
            session.add(proposal)
            await session.flush()
            return proposal.id

    return asyncio.run(work())


def sign_in_once(app: Litestar, sub: str) -> None:
    """Make the person's account exist (the first sign-in creates it)."""
    with browser(app, sub):
        pass


def membership(settings: Settings, membership_id: uuid.UUID) -> ReserveMembership:
    return rows(settings, sa.select(ReserveMembership).where(col(ReserveMembership.id) == membership_id))[0]


def messages_to(settings: Settings, user_id: uuid.UUID, since: datetime | None = None) -> list[OutboxMessage]:
    statement = sa.select(OutboxMessage).where(col(OutboxMessage.user_id) == user_id)
    if since is not None:
        statement = statement.where(col(OutboxMessage.created_at) >= since)
    # created_at comes from the (fixed) test clock: the ids (UUID v7, time-ordered) break the ties
    return rows(settings, statement.order_by(col(OutboxMessage.created_at), col(OutboxMessage.id)))


def user_id_of(settings: Settings, sub: str) -> uuid.UUID:
    return rows(settings, sa.select(col(User.id)).where(col(User.sub) == sub))[0]
