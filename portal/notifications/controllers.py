"""The development mailbox (/dev/mail) and marking in-app notifications read.

The /me page shows the unread notifications: its handler reads `services.unread_for` and the page
includes templates/notifications/_inbox.html, whose forms post here.
"""

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.auth.forms import safe_next
from portal.auth.policies import Permission
from portal.core.access import PUBLIC, requires
from portal.core.clock import Clock
from portal.i18n import N_
from portal.notifications.models import OutboxStatus
from portal.notifications.services import mark_read, recent_mail

NO_STORE = {"Cache-Control": "no-store"}
MAILBOX_SIZE = 50
#: More ids than an inbox page shows are not a mistake we need to serve.
MAX_IDS = 100
STATUS_LABELS = {
    OutboxStatus.PENDING: N_("Waiting to be sent"),
    OutboxStatus.SENDING: N_("Being sent"),
    OutboxStatus.SENT: N_("Sent"),
    OutboxStatus.FAILED: N_("Failed, will be retried"),
    OutboxStatus.DEAD: N_("Not delivered"),
}


@get("/dev/mail", name="dev:mail", opt=PUBLIC)
async def dev_mailbox(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
    """Every message the portal wrote lately, sent or not; absent in production."""
    if request.app.state.settings.is_production:
        raise NotFoundException()
    messages = await recent_mail(db_session, limit=MAILBOX_SIZE)
    return Template(
        "notifications/dev_mail.html",
        context={"messages": messages, "status_labels": STATUS_LABELS},
        headers={**NO_STORE, "X-Robots-Tag": "noindex"},
    )


def _ids(values: list[str]) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    for value in values[:MAX_IDS]:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue  # a forged or stale value marks nothing
    return ids


@post(
    "/me/notifications/read",
    name="notifications:mark-read",
    opt=requires(Permission.VIEW_OWN_ACCOUNT),
    status_code=303,
    media_type=MediaType.HTML,
)
async def mark_notifications_read(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
) -> Redirect:
    """Mark the posted notification ids (`id`, repeated) read; only the signed-in person's own."""
    form = await request.form()
    ids = _ids([str(value) for value in form.getall("id", [])])
    await mark_read(db_session, request.scope["user"].user_id, ids, now=clock.now())
    await db_session.commit()
    return Redirect(safe_next(str(form.get("next") or "")), status_code=303, headers=NO_STORE)


__all__ = ["dev_mailbox", "mark_notifications_read"]
