"""/{region}/commission/meetings/{id}/minutes: the secretary draws up, signs off and corrects the minutes
of a closed meeting (RUN_MEETING; cl. 6(5); A-RC-12); /{region}/commission/ballots/{id}/minutes: the
members read the signed-off versions (VOTE). Nobody else reads them.

The PDF is sent as an attachment, never cached, after its SHA-256 is checked against the one
recorded when it was drawn up (portal.commission.minutes.read_pdf).
"""

import uuid
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.commission import meetings, minutes
from portal.commission.models import Meeting, Minutes
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.htmx import VARY_HEADERS, wants_partial
from portal.core.responses import NO_STORE, go_to
from portal.i18n import gettext as _
from portal.selections.drafting import TransitionRefused
from portal.tenancy.registry import TenantConfig

RUN = requires(Permission.RUN_MEETING)
VOTE = requires(Permission.VOTE)
MEETING = "/commission/meetings/{meeting_id:uuid}"
MINUTES = f"{MEETING}/minutes"
VERSION = f"{MINUTES}/{{minutes_id:uuid}}"
BALLOT_MINUTES = "/commission/ballots/{meeting_id:uuid}/minutes"


def _url(tenant: TenantConfig, meeting_id: uuid.UUID) -> str:
    return f"/{tenant.slug}/commission/meetings/{meeting_id}/minutes"


def _letterhead(tenant: TenantConfig, clock: Clock) -> minutes.Letterhead:
    return minutes.Letterhead({"kk": tenant.name.kk, "ru": tenant.name.ru}, ZoneInfo(clock.timezone))


async def _version(db_session: AsyncSession, meeting: Meeting, minutes_id: uuid.UUID) -> Minutes:
    found = await minutes.version_of(db_session, meeting, minutes_id)
    if found is None:
        raise NotFoundException()
    return found


async def _page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    meeting: Meeting,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Template:
    rows = await minutes.versions(db_session, meeting)
    context = {
        "tenant": tenant,
        "m": meeting,
        "versions": rows,
        "latest": rows[-1] if rows else None,
        "signers": await minutes.signers(db_session, rows),
        "form": form or Form(),
        "zone": ZoneInfo(clock.timezone),
    }
    return Template(
        "commission/_minutes_versions.html" if wants_partial(request) else "commission/minutes.html",
        context=context,
        status_code=status_code,
        headers={**VARY_HEADERS, **NO_STORE},
    )


@get(MINUTES, name="commission:minutes", opt=RUN)
async def minutes_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
) -> Template:
    """The meeting's minutes: every version, its hash and sign-off, and what can be done next."""
    return await _page(
        request,
        db_session,
        tenant,
        clock,
        await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id),
    )


async def _refused(
    request: Request[Any, Any, Any], db_session: AsyncSession, refused: TransitionRefused, url: str
) -> Response[Any]:
    await db_session.rollback()
    flash(request, refused.message, "error")
    return go_to(request, url)


@post(MINUTES, name="commission:minutes-draw", opt=RUN, status_code=303, media_type=MediaType.HTML)
async def draw_up(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Draw up the minutes (version 1, or the unsigned latest version again)."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    storage = request.app.state.storage
    try:
        drawn, replaced = await minutes.draw_up(
            db_session,
            storage,
            meeting,
            _letterhead(tenant, clock),
            actor=signed_in(request).user_id,
            now=clock.now(),
        )
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    number = f"{drawn.number}/{drawn.year}"
    await db_session.commit()
    if replaced is not None and replaced != drawn.storage_key:
        await storage.delete(replaced)  # an unsigned draft's previous PDF: no row points at it now
    flash(
        request,
        _("The minutes No. %(number)s have been drawn up. Check them, then sign them off.", number=number),
    )
    return go_to(request, _url(tenant, meeting_id))


@post(f"{VERSION}/sign", name="commission:minutes-sign", opt=RUN, status_code=303, media_type=MediaType.HTML)
async def sign_off(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
    minutes_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Sign the latest version off: it never changes afterwards."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    version = await _version(db_session, meeting, minutes_id)
    try:
        await minutes.sign_off(
            db_session, meeting, version, actor=signed_in(request).user_id, now=clock.now()
        )
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    await db_session.commit()
    flash(request, _("The minutes have been signed off. They can no longer change."))
    return go_to(request, _url(tenant, meeting_id))


@post(
    f"{VERSION}/correct",
    name="commission:minutes-correct",
    opt=RUN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def correct(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
    minutes_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    """A correction: a new version with the same number that replaces this one (kept readable)."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    version = await _version(db_session, meeting, minutes_id)
    form = Form.of(await request.form(), ("note",))
    note = form.text("note", max_length=2000)
    if not form.valid:
        return await _page(
            request, db_session, tenant, clock, meeting, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    try:
        corrected = await minutes.correct(
            db_session,
            request.app.state.storage,
            meeting,
            version,
            _letterhead(tenant, clock),
            note=note,
            actor=signed_in(request).user_id,
            now=clock.now(),
        )
    except TransitionRefused as refused:
        return await _refused(request, db_session, refused, _url(tenant, meeting_id))
    number = corrected.version
    await db_session.commit()
    flash(
        request,
        _(
            "Version %(version)s of the minutes has been drawn up. Check it, then sign it off.",
            version=number,
        ),
    )
    return go_to(request, _url(tenant, meeting_id))


async def _pdf(request: Request[Any, Any, Any], version: Minutes) -> Response[bytes]:
    data = await minutes.read_pdf(request.app.state.storage, version)
    name = minutes.file_name(version)
    return Response(
        data,
        media_type=minutes.MEDIA_TYPE,
        headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "no-store",
        },
    )


@get(f"{VERSION}/pdf", name="commission:minutes-pdf", opt=RUN)
async def minutes_pdf(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    meeting_id: FromPath[uuid.UUID],
    minutes_id: FromPath[uuid.UUID],
) -> Response[bytes]:
    """One version's PDF (drafts too), for the secretary."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    return await _pdf(request, await _version(db_session, meeting, minutes_id))


@get(BALLOT_MINUTES, name="commission:ballot-minutes", opt=VOTE)
async def member_minutes_page(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
) -> Template:
    """The signed-off versions of a meeting's minutes, for the members."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    rows = [v for v in await minutes.versions(db_session, meeting) if v.signed_off_at is not None]
    return Template(
        "commission/minutes_signed.html",
        context={"tenant": tenant, "m": meeting, "versions": rows, "zone": ZoneInfo(clock.timezone)},
        headers=NO_STORE,
    )


@get(f"{BALLOT_MINUTES}/{{minutes_id:uuid}}/pdf", name="commission:ballot-minutes-pdf", opt=VOTE)
async def member_minutes_pdf(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    meeting_id: FromPath[uuid.UUID],
    minutes_id: FromPath[uuid.UUID],
) -> Response[bytes]:
    """A signed-off version's PDF, for the members (a draft is not found)."""
    meeting = await meetings.region_meeting_or_404(db_session, tenant.code, meeting_id)
    version = await _version(db_session, meeting, minutes_id)
    if version.signed_off_at is None:
        raise NotFoundException()
    return await _pdf(request, version)


MINUTES_ROUTES = [
    minutes_page,
    draw_up,
    sign_off,
    correct,
    minutes_pdf,
    member_minutes_page,
    member_minutes_pdf,
]
