"""PORTAL_SMTP_URL, the MIME message, the choice of mailer, the retry schedule and error texts."""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest

from portal.core.settings import Environment, Settings
from portal.notifications.config import mail_settings
from portal.notifications.mailer import NullMailer, SmtpMailer, compose, mailer_from_settings, parse_smtp_url
from portal.notifications.services import MAX_ATTEMPTS, describe_error, retry_delay


def test_smtp_url_with_starttls_and_credentials() -> None:
    config = parse_smtp_url("smtp://portal%40kz:p%3Ass@mail.example.kz?starttls=1")
    assert (config.hostname, config.port, config.use_tls, config.start_tls) == (
        "mail.example.kz",
        587,
        False,
        True,
    )
    assert (config.username, config.password) == ("portal@kz", "p:ss")
    assert "p:ss" not in repr(config) and "p:ss" not in repr(SmtpMailer("smtp://u:p:ss@h"))


@pytest.mark.parametrize(
    ("url", "port", "use_tls", "start_tls"),
    [
        ("smtps://relay.example.kz", 465, True, False),
        ("smtp://relay.example.kz", 25, False, None),  # STARTTLS when offered
        ("smtp://relay.example.kz:2525?starttls=0", 2525, False, False),
        ("smtp://127.0.0.1:1025?starttls=true&timeout=2.5", 1025, False, True),
    ],
)
def test_smtp_url_forms(url: str, port: int, use_tls: bool, start_tls: bool | None) -> None:
    config = parse_smtp_url(url)
    assert (config.port, config.use_tls, config.start_tls) == (port, use_tls, start_tls)
    assert config.username is None and config.password is None


def test_smtp_url_timeout() -> None:
    assert parse_smtp_url("smtp://h?timeout=2.5").timeout == 2.5
    assert parse_smtp_url("smtp://h").timeout == 30.0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://relay.example.kz", "smtp://"),
        ("smtp://", "no host"),
        ("smtp://h?starttls=maybe", "neither"),
        ("smtps://h?starttls=1", "TLS already"),
        ("smtp://h:port", "not a number"),
        ("smtp://h?timeout=soon", "not a number"),
    ],
)
def test_bad_smtp_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_smtp_url(url)


def test_compose_builds_utf8_plain_text_with_the_language() -> None:
    message = compose(
        sender="noreply@reserve.example.kz",
        recipient="aigerim@example.kz",
        subject="Өтінім KZ-71-2026-000123 қабылданды",
        body="Сәлеметсіз бе!\nӨтініміңіз қабылданды.\n",
        language="kk",
        message_id="01950f3a-0000-7000-8000-000000000000",
        date=datetime(2025, 2, 20, 6, tzinfo=UTC),
    )
    wire = message.as_bytes()
    assert b"\xd3\xa8" not in wire.split(b"\n\n", 1)[0]  # headers are encoded, not raw UTF-8
    parsed = message_from_bytes(wire, policy=policy.default)
    assert parsed["Subject"] == "Өтінім KZ-71-2026-000123 қабылданды"
    assert parsed["Content-Language"] == "kk"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"] == "<01950f3a-0000-7000-8000-000000000000@reserve.example.kz>"
    assert parsed["Date"] == "Thu, 20 Feb 2025 06:00:00 +0000"
    assert parsed.get_content_type() == "text/plain" and parsed.get_content_charset() == "utf-8"
    assert parsed.get_content() == "Сәлеметсіз бе!\nӨтініміңіз қабылданды.\n"


def test_development_without_smtp_keeps_mail_and_production_refuses() -> None:
    assert isinstance(mailer_from_settings(Settings(env=Environment.DEV)), NullMailer)
    production = Settings(
        env=Environment.PRODUCTION, secret_key="x" * 48, base_url="https://reserve.example.kz"
    )
    with pytest.raises(RuntimeError, match="PORTAL_SMTP_URL"):
        mailer_from_settings(production)
    with_smtp = production.model_copy(update={"smtp_url": "smtps://u:p@relay.example.kz"})
    mailer = mailer_from_settings(with_smtp)
    assert isinstance(mailer, SmtpMailer) and mailer.config.use_tls


def test_mail_settings_defaults_by_environment() -> None:
    assert mail_settings(Settings(env=Environment.DEV)).in_process is True
    assert mail_settings(Settings(env=Environment.TEST)).in_process is False
    configured = mail_settings(
        Settings(env=Environment.DEV).model_copy(
            update={
                "mail_delivery_in_process": False,
                "mail_from": "portal@kz.kz",
                "mail_delivery_interval_seconds": 1,
            }
        )
    )
    assert (configured.in_process, configured.mail_from, configured.interval_seconds) == (
        False,
        "portal@kz.kz",
        1.0,
    )


def test_retry_schedule() -> None:
    waits = [retry_delay(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
        None,
    ]


def test_error_texts_are_short_single_lines_without_an_iin() -> None:
    text = describe_error(ConnectionError("refused\nfor 900515301234 " + "x" * 1000))
    assert text.startswith("ConnectionError: refused for 9005")
    assert "900515301234" not in text and "\n" not in text and len(text) <= 300


async def _send(mailer: NullMailer) -> None:
    message = compose(
        sender="a@b.kz", recipient="c@d.kz", subject="s", body="b", language="ru", message_id="1",
        date=datetime(2025, 2, 20, tzinfo=UTC),
    )  # fmt: skip
    await mailer.send(message)


@pytest.mark.anyio
async def test_the_null_mailer_keeps_the_last_messages() -> None:
    mailer = NullMailer(keep=2)
    for _ in range(3):
        await _send(mailer)
    assert len(mailer.sent) == 2


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
