"""/dev/mail lists what the portal wrote (never in production); a person marks their notifications read."""

import asyncio
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from litestar import Litestar, get
from litestar.di import NamedDependency
from litestar.response import Template
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.app import create_app
from portal.auth.models import User
from portal.core.access import PUBLIC
from portal.core.db import session_scope
from portal.core.settings import Environment, Settings
from portal.notifications.models import OutboxMessage
from portal.notifications.services import enqueue, unread_for
from tests.conftest import FIXED_CLOCK, csrf_headers, sign_in
from tests.integration.notifications.conftest import NOW, SUBMITTED

CANDIDATE = "candidate-aigerim"
INBOX_PAGE = '{% from "notifications/_inbox.html" import inbox with context %}{{ inbox(notifications) }}'


def _app(database: Settings) -> Litestar:
    return create_app(database, clock=FIXED_CLOCK)


@pytest.fixture
def client(database: Settings) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=_app(database), base_url="http://127.0.0.1") as test_client:
        yield test_client


def _write(
    database: Settings, *, recipient: str | None, user_id: uuid.UUID | None, reference: str
) -> uuid.UUID:
    async def work() -> uuid.UUID:
        async with session_scope(database) as session:
            message = await enqueue(
                session,
                template="application_withdrawn",
                language="ru",
                context={**SUBMITTED, "reference": reference, "withdrawn_at": NOW},
                recipient=recipient,
                user_id=user_id,
                tenant_id=None,
                now=NOW,
            )
            return message.id

    return asyncio.run(work())


def test_the_development_mailbox_shows_recipient_subject_body_and_status(
    database: Settings, client: TestClient[Litestar]
) -> None:
    _write(database, recipient="aigerim@example.kz", user_id=None, reference="KZ-71-2026-000777")
    page = client.get("/dev/mail?lang=en")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "aigerim@example.kz" in page.text
    assert "Заявление KZ-71-2026-000777 отозвано" in page.text  # the subject, in the message's language
    assert "Руководитель отдела" in page.text  # the body, in the recipient's language
    assert "Waiting to be sent" in page.text


def test_there_is_no_development_mailbox_in_production(database: Settings) -> None:
    production = database.model_copy(
        update={
            "env": Environment.PRODUCTION,
            "secret_key": "x" * 48,
            "base_url": "https://reserve.example.kz",
            "allowed_hosts": ("reserve.example.kz",),
        }
    )
    with TestClient(app=_app(production), base_url="https://reserve.example.kz") as client:
        assert client.get("/dev/mail").status_code == 404


def _user_id(database: Settings, sub: str) -> uuid.UUID:
    async def work() -> uuid.UUID:
        async with session_scope(database) as session:
            return (await session.execute(sa.select(col(User.id)).where(col(User.sub) == sub))).scalar_one()

    return asyncio.run(work())


def _read_at(database: Settings, message_id: uuid.UUID) -> object:
    async def work() -> object:
        async with session_scope(database) as session:
            row = await session.get(OutboxMessage, message_id)
            assert row is not None
            return row.read_at

    return asyncio.run(work())


def test_a_person_marks_their_own_notifications_read(
    database: Settings, client: TestClient[Litestar]
) -> None:
    assert sign_in(client, CANDIDATE).status_code == 303
    mine = _write(
        database, recipient=None, user_id=_user_id(database, CANDIDATE), reference="KZ-71-2026-000001"
    )
    with TestClient(app=_app(database), base_url="http://127.0.0.1") as other_client:
        assert sign_in(other_client, "tu-officer-dana").status_code == 303
        theirs = _write(database, recipient=None, user_id=_user_id(database, "tu-officer-dana"),
                        reference="KZ-71-2026-000002")  # fmt: skip

    answer = client.post(
        "/me/notifications/read",
        data={"id": [str(mine), str(theirs), "not-a-uuid"], "next": "/me#notifications"},
        headers=csrf_headers(client),
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/me#notifications"
    assert _read_at(database, mine) is not None
    assert _read_at(database, theirs) is None  # another person's notification stays unread

    offsite = client.post(
        "/me/notifications/read", data={"next": "https://evil.example"}, headers=csrf_headers(client),
        follow_redirects=False,
    )  # fmt: skip
    assert offsite.headers["location"] == "/me"


def test_marking_read_needs_a_signed_in_person(client: TestClient[Litestar]) -> None:
    answer = client.post(
        "/me/notifications/read",
        data={"id": str(uuid.uuid4())},
        headers=csrf_headers(client),
        follow_redirects=False,
    )
    assert answer.status_code == 401


def test_the_inbox_macro_lists_unread_notifications_with_their_forms(database: Settings) -> None:
    with TestClient(app=_app(database), base_url="http://127.0.0.1") as signing:
        assert sign_in(signing, CANDIDATE).status_code == 303  # the person exists from the first sign-in
    user_id = _user_id(database, CANDIDATE)
    message_id = _write(database, recipient=None, user_id=user_id, reference="KZ-71-2026-000555")

    @get("/test/inbox", opt=PUBLIC)
    async def page(db_session: NamedDependency[AsyncSession]) -> Template:
        notifications = await unread_for(db_session, user_id)
        return Template(
            template_str=INBOX_PAGE,
            context={"notifications": notifications},
        )

    app = _app(database)
    app.register(page)
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        html = client.get("/test/inbox?lang=en").text
    assert "Заявление KZ-71-2026-000555 отозвано" in html
    assert f'name="id" value="{message_id}"' in html
    assert 'action="/me/notifications/read"' in html and 'name="_csrf_token"' in html
    assert "Руководитель отдела" in html  # the body, in the message's language
