"""How a message leaves the portal: SMTP (aiosmtplib), or nowhere in development.

PORTAL_SMTP_URL names the relay:

    smtp://user:password@host:587?starttls=1   STARTTLS required (port 25 by default, 587 here)
    smtp://host:25?starttls=0                   plain SMTP (a relay on a trusted network)
    smtp://host:25                              STARTTLS when the server offers it
    smtps://user:password@host                  TLS from the first byte (port 465 by default)

User and password are percent-decoded; `timeout=<seconds>` is optional (30 by default).
"""

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Final, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib
import structlog

from portal.core.settings import Settings
from portal.notifications.config import mail_settings

_log = structlog.get_logger("portal.notifications")
DEFAULT_TIMEOUT: Final = 30.0
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class PermanentDeliveryError(Exception):
    """The message can never be delivered (the relay refused the address for good): no retry."""


class Mailer(Protocol):
    """Sends one message or raises; a message that raised is retried later by the delivery loop,
    unless the error is a PermanentDeliveryError."""

    async def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    hostname: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    use_tls: bool = False
    #: True: STARTTLS required; False: never; None: when the server offers it.
    start_tls: bool | None = None
    timeout: float = DEFAULT_TIMEOUT


def _flag(query: dict[str, list[str]], name: str) -> bool | None:
    values = query.get(name)
    if not values:
        return None
    value = values[-1].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"PORTAL_SMTP_URL: {name}={value!r} is neither 1 nor 0")


def parse_smtp_url(url: str) -> SmtpConfig:
    """The relay named by an smtp:// or smtps:// URL (the error messages never repeat the password)."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError("PORTAL_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("PORTAL_SMTP_URL names no host")
    query = parse_qs(parts.query)
    use_tls = parts.scheme == "smtps"
    start_tls = _flag(query, "starttls")
    if use_tls and start_tls:
        raise ValueError("PORTAL_SMTP_URL: smtps:// is TLS already; starttls=1 applies to smtp://")
    default_port = 465 if use_tls else 587 if start_tls else 25
    try:
        port = parts.port or default_port
        timeout = float(query["timeout"][-1]) if "timeout" in query else DEFAULT_TIMEOUT
    except ValueError as error:
        raise ValueError("PORTAL_SMTP_URL: the port or the timeout is not a number") from error
    return SmtpConfig(
        hostname=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        use_tls=use_tls,
        start_tls=False if use_tls else start_tls,
        timeout=timeout,
    )


class SmtpMailer:
    """One SMTP connection per message: a relay that dropped us costs one retry, not a batch."""

    def __init__(self, url: str) -> None:
        self.config = parse_smtp_url(url)

    def __repr__(self) -> str:
        return f"SmtpMailer({self.config.hostname}:{self.config.port})"

    async def send(self, message: EmailMessage) -> None:
        config = self.config
        try:
            await aiosmtplib.send(
                message,
                hostname=config.hostname,
                port=config.port,
                username=config.username,
                password=config.password,
                use_tls=config.use_tls,
                start_tls=config.start_tls,
                timeout=config.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as refused:
            # 5xx is final (no such mailbox, domain refused); 4xx may pass later.
            if refused.recipients and all(r.code >= 500 for r in refused.recipients):
                codes = ", ".join(str(r.code) for r in refused.recipients)
                raise PermanentDeliveryError(f"the relay refused the recipient ({codes})") from refused
            raise


class NullMailer:
    """Development without SMTP: nothing leaves; the outbox rows stay readable at /dev/mail.

    The last messages are kept in memory as well (`sent`), which tests may read.
    """

    def __init__(self, keep: int = 100) -> None:
        self.sent: deque[EmailMessage] = deque(maxlen=keep)

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)
        _log.debug("mail kept, not sent (no PORTAL_SMTP_URL)", message_id=message["Message-ID"])


def compose(
    *,
    sender: str,
    recipient: str,
    subject: str,
    body: str,
    language: str,
    message_id: str,
    date: datetime,
) -> EmailMessage:
    """A UTF-8 plain-text message; Content-Language tells mail readers (and screen readers) the language.

    `message_id` is stable for one outbox row (its id), so a retry after a lost answer from the
    relay carries the same Message-ID and receiving systems can drop the duplicate.
    """
    message = EmailMessage()
    # First: set_content clears every Content-* header, Content-Language included.
    message.set_content(body, subtype="plain", charset="utf-8")
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    domain = sender.rpartition("@")[2].strip("<> ") or "localhost"
    message["Message-ID"] = f"<{message_id}@{domain}>"
    message["Content-Language"] = language
    # RFC 3834: no vacation replies to the portal.
    message["Auto-Submitted"] = "auto-generated"
    return message


def mailer_from_settings(settings: Settings) -> Mailer:
    """SMTP when PORTAL_SMTP_URL is set; otherwise the null mailer, which production refuses."""
    smtp_url = mail_settings(settings).smtp_url
    if smtp_url:
        return SmtpMailer(smtp_url)
    if settings.is_production:
        raise RuntimeError("PORTAL_SMTP_URL must be set in production: mail would be marked sent unsent")
    return NullMailer()


__all__ = [
    "Mailer",
    "NullMailer",
    "PermanentDeliveryError",
    "SmtpConfig",
    "SmtpMailer",
    "compose",
    "mailer_from_settings",
    "parse_smtp_url",
]
