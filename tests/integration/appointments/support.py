"""Shared steps of the appointment tests: posts added through HTTP, reserve members put in the
database (as a commission's enrolment decision leaves them), and small readers of the database.

The demo people (portal.demo.users): the region's administrator admin-daniyar, the appointing
official appointing-timur and the territorial unit's officers tu-officer-dana and tu-head-marat
hold their roles in Astana and Karaganda; the Agency's officer agency-madina is central.
"""

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import col

from portal.appointments.models import Position
from portal.auth.models import User
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import DemoUser, make_iin
from portal.reserve.models import MembershipStatus, ReserveMembership
from tests.conftest import TODAY, csrf_headers, sign_in

ASTANA, KARAGANDA = "KZ-71", "KZ-35"
ADMIN, OFFICIAL, AGENCY = "admin-daniyar", "appointing-timur", "agency-madina"
TU_OFFICER, TU_HEAD = "tu-officer-dana", "tu-head-marat"


def rows[T](settings: Settings, statement: sa.Select[tuple[T]]) -> list[T]:
    async def work() -> list[T]:
        async with session_scope(settings) as session:
            return list((await session.execute(statement)).scalars())

    return asyncio.run(work())


@contextmanager
def browser(app: Litestar, sub: str | None = None) -> Iterator[TestClient[Litestar]]:
    """A browser in English, signed in as the demo or test person `sub` (anonymous for None)."""
    with TestClient(app=app, base_url="http://127.0.0.1", cookies={"lang": "en"}) as client:
        if sub is not None:
            assert sign_in(client, sub).status_code == 303, sub
        yield client


def post(
    client: TestClient[Litestar], url: str, data: dict[str, str] | None = None, **kwargs: Any
) -> httpx.Response:
    headers = csrf_headers(client) | dict(kwargs.pop("headers", {}) or {})
    return client.post(url, data=data or {}, headers=headers, follow_redirects=False, **kwargs)


def add_post(
    client: TestClient[Litestar],
    settings: Settings,
    region: str,
    title: str,
    *,
    head: bool = False,
    elective: bool = False,
    body: str = "Akimat",
) -> str:
    """Add a vacant post as the region's administrator (signed in on `client`); returns its id.

    Titles are unique per test run (`unique`), so the post is found again by its title.
    """
    data = {"executive_body": body, "title": title, "category": "C-O-1", "vacant": "on"}
    if head:
        data["heads_regional_budget_body"] = "on"
    if elective:
        data["is_elective"] = "on"
    response = post(client, f"/{region}/admin/positions", data)
    assert response.status_code == 303, response.text
    return str(rows(settings, sa.select(Position.id).where(col(Position.title) == title))[0])


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:6]}"


async def _user_of(session: Any, person: DemoUser) -> uuid.UUID | None:
    row = await session.execute(sa.select(User.id).where(User.iin == person.iin))  # type: ignore[arg-type]
    found: uuid.UUID | None = row.scalar_one_or_none()
    return found


def make_member(
    settings: Settings,
    tenant_id: str,
    *,
    person: DemoUser | None = None,
    name: str = "",
    starts_on: date = TODAY - timedelta(days=100),
) -> str:
    """An active membership (clause 12) of a person, signed in before (person) or not; returns its id."""

    async def work() -> str:
        async with session_scope(settings) as session:
            if person is not None:
                iin = person.iin
                full_name = f"{person.family_name} {person.given_name}"
                user_id = await _user_of(session, person)
            else:
                serial = uuid.uuid4().int % 9000
                iin, full_name, user_id = make_iin(date(1995, 3, 3), False, serial), name, None
            membership = ReserveMembership(
                tenant_id=tenant_id,
                user_id=user_id,
                candidate_iin=iin,
                candidate_name=full_name or name,
                clause="12",
                starts_on=starts_on,
                ends_on=starts_on.replace(year=starts_on.year + 2),
                status=MembershipStatus.ACTIVE,
                counted_in_quota=True,
            )
            session.add(membership)
            await session.commit()
            return str(membership.id)

    return asyncio.run(work())
