"""E-mail through a real SMTP server started here (aiosmtpd): recipient, subject, language and content."""

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from portal.notifications.mailer import SmtpMailer
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import BACKOFF, deliver_due, enqueue
from portal.tenancy.models import Tenant
from portal.tenancy.registry import TenantKind
from tests.integration.notifications.conftest import NOW, SENDER, SUBMITTED, OutboxDb

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning"),
]
USER, PASSWORD = "portal", "p@ss:word/1"
REFUSED = "nobody@example.kz"  # 550: no such mailbox
BUSY = "busy@example.kz"  # 451: try again later


@dataclass
class Sink:
    """Keeps every message it accepts; refuses two addresses, one for good and one for now."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 No such mailbox"
        if address == BUSY:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[tuple[Sink, int]]:
    sink, port = Sink(), _free_port()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_required=True,
        auth_require_tls=False,  # a test server on the loopback interface; production uses TLS
    )
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
async def region(outbox_db: OutboxDb) -> None:
    """The tenant the messages belong to (a foreign key)."""
    async with outbox_db.factory() as session, session.begin():
        session.add(
            Tenant(
                id="KZ-71",
                slug="astana",
                kind=TenantKind.CAPITAL,
                name_kk="Астана",
                name_ru="Астана",
                name_en="Astana",
            )
        )


def _url(port: int) -> str:
    return f"smtp://{USER}:p%40ss%3Aword%2F1@127.0.0.1:{port}?starttls=0&timeout=5"


async def _queue(db: OutboxDb, language: str, recipient: str) -> OutboxMessage:
    async with db.factory() as session, session.begin():
        return await enqueue(
            session,
            template="application_submitted",
            language=language,
            context=SUBMITTED,
            recipient=recipient,
            user_id=None,
            tenant_id="KZ-71",
            idempotency_key=f"{recipient}:submitted",
            now=NOW,
        )


@pytest.mark.parametrize(("language", "title", "when"), [
    ("ru", "Руководитель отдела", "20 февраля 2025, 11:00"),
    ("kk", "Бөлім басшысы", "20 ақпан 2025, 11:00"),
    ("en", "Head of department", "20 February 2025, 11:00"),
])  # fmt: skip
async def test_submission_mail_reaches_the_smtp_server_in_the_candidates_language(
    outbox_db: OutboxDb, smtp_server: tuple[Sink, int], language: str, title: str, when: str
) -> None:
    sink, port = smtp_server
    queued = await _queue(outbox_db, language, "aigerim@example.kz")

    report = await deliver_due(outbox_db.factory, SmtpMailer(_url(port)), now=NOW, sender=SENDER)

    assert (report.claimed, report.sent) == (1, 1)
    [(recipients, message)] = sink.received
    assert recipients == ["aigerim@example.kz"]
    assert message["To"] == "aigerim@example.kz"
    assert message["From"] == SENDER
    assert message["Subject"] == queued.subject and "KZ-71-2026-000123" in message["Subject"]
    assert message["Content-Language"] == language
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content().replace("\r\n", "\n")
    assert body == queued.body
    assert "KZ-71-2026-000123" in body and title in body and when in body
    assert "http://127.0.0.1/me/applications" in body
    async with outbox_db.factory() as session:
        row = await session.get(OutboxMessage, queued.id)
        assert row is not None and row.status == OutboxStatus.SENT and row.sent_at == NOW


async def test_english_source_text_of_the_submission_mail(
    outbox_db: OutboxDb, smtp_server: tuple[Sink, int]
) -> None:
    sink, port = smtp_server
    await _queue(outbox_db, "en", "dana@example.kz")
    await deliver_due(outbox_db.factory, SmtpMailer(_url(port)), now=NOW, sender=SENDER)
    [(_rcpt, message)] = sink.received
    assert message["Subject"] == "Application KZ-71-2026-000123 received"
    body = message.get_content()
    assert "Your application to the selection into the regional personnel reserve has been received." in body
    assert "Reference number: KZ-71-2026-000123" in body
    assert "Region: Astana" in body
    assert "Submitted: 20 February 2025, 11:00 (Astana time)" in body


async def test_a_refused_mailbox_is_dead_and_a_busy_one_is_retried(
    outbox_db: OutboxDb, smtp_server: tuple[Sink, int]
) -> None:
    _sink, port = smtp_server
    refused = await _queue(outbox_db, "ru", REFUSED)
    busy = await _queue(outbox_db, "ru", BUSY)
    report = await deliver_due(outbox_db.factory, SmtpMailer(_url(port)), now=NOW, sender=SENDER)
    assert (report.claimed, report.sent, report.retried, report.dead) == (2, 0, 1, 1)
    async with outbox_db.factory() as session:
        dead = await session.get(OutboxMessage, refused.id)
        later = await session.get(OutboxMessage, busy.id)
    assert dead is not None and dead.status == OutboxStatus.DEAD and "550" in (dead.last_error or "")
    assert later is not None and later.status == OutboxStatus.FAILED
    assert later.next_attempt_at == NOW + BACKOFF[0]
