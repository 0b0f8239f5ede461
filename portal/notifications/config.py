"""The mail settings, read in one place.

PORTAL_SMTP_URL, PORTAL_MAIL_FROM and PORTAL_MAIL_DELIVERY_INTERVAL_SECONDS are fields of
portal.core.settings.Settings. PORTAL_MAIL_DELIVERY_IN_PROCESS is read with getattr until it is one
too (unset: the loop runs inside the web process in development only).
"""

from dataclasses import dataclass, field
from typing import Final

from portal.core.settings import Environment, Settings

DEFAULT_MAIL_FROM: Final = "noreply@reserve.example.kz"
DEFAULT_INTERVAL_SECONDS: Final = 5.0


@dataclass(frozen=True, slots=True)
class MailSettings:
    #: smtp:// or smtps:// URL of the relay (portal.notifications.mailer); None: nothing is sent.
    smtp_url: str | None = field(default=None, repr=False)
    #: The From address of every message.
    mail_from: str = DEFAULT_MAIL_FROM
    #: Seconds between two delivery rounds when the outbox has nothing due.
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS
    #: Run the delivery loop inside the web process (`make run`); production runs `portal worker`.
    in_process: bool = False


def mail_settings(settings: Settings) -> MailSettings:
    in_process: bool | None = getattr(settings, "mail_delivery_in_process", None)
    return MailSettings(
        smtp_url=settings.smtp_url or None,
        mail_from=settings.mail_from,
        interval_seconds=float(settings.mail_delivery_interval_seconds),
        in_process=settings.env == Environment.DEV if in_process is None else in_process,
    )


__all__ = ["DEFAULT_INTERVAL_SECONDS", "DEFAULT_MAIL_FROM", "MailSettings", "mail_settings"]
