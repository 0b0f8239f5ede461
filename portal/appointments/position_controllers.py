"""/{region}/admin/positions: the region's administrator keeps the corps "B" posts (cl. 14); the
Agency confirms the cl. 15 mark at /agency/positions (rules.md A-39). Permissions: MANAGE_POSITIONS
(the region's administrator), DECIDE_CL15_CL17_PROPOSAL (the Agency: cl. 15 is its competence)."""

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.appointments import positions
from portal.appointments.forms import position_form, read_position
from portal.appointments.models import Position
from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.responses import NO_STORE, go_to
from portal.i18n import gettext as _
from portal.tenancy.registry import TenantConfig

MANAGE = requires(Permission.MANAGE_POSITIONS)
CONFIRM = requires(Permission.DECIDE_CL15_CL17_PROPOSAL)
BASE = "/admin/positions"
ONE = f"{BASE}/{{position_id:uuid}}"


def _url(tenant: TenantConfig, position_id: uuid.UUID | None = None) -> str:
    return f"/{tenant.slug}{BASE}/{position_id}" if position_id else f"/{tenant.slug}{BASE}"


async def _list_page(
    db_session: AsyncSession, tenant: TenantConfig, *, form: Form | None = None, status_code: int = 200
) -> Template:
    return Template(
        "appointments/positions.html",
        context={
            "tenant": tenant,
            "posts": await positions.positions_of(db_session, tenant.code),
            "form": form or position_form(),
            "awaiting": positions.awaiting_cl15_confirmation,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


async def _post_or_404(db_session: AsyncSession, tenant: TenantConfig, position_id: uuid.UUID) -> Position:
    position = await positions.position_of(db_session, tenant.code, position_id)
    if position is None:
        raise NotFoundException()
    return position


@get(BASE, name="positions:list", opt=MANAGE)
async def positions_page(
    db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantConfig]
) -> Template:
    """The region's posts with their cl. 14 and cl. 15 marks, and the form to add one."""
    return await _list_page(db_session, tenant)


@post(BASE, name="positions:create", opt=MANAGE, status_code=303, media_type=MediaType.HTML)
async def create_position(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    form, fields = read_position(await request.form())
    if fields is not None:
        try:
            await positions.add_position(
                db_session, tenant.code, fields, actor=signed_in(request).user_id, now=clock.now()
            )
        except positions.PositionError as error:
            form.error(error.field or "title", error.message)
    if fields is None or not form.valid:
        await db_session.rollback()
        return await _list_page(db_session, tenant, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
    await db_session.commit()
    flash(request, _("The post has been added."))
    return go_to(request, _url(tenant))


async def _edit_page(
    tenant: TenantConfig, position: Position, *, form: Form | None = None, status_code: int = 200
) -> Template:
    return Template(
        "appointments/position_edit.html",
        context={
            "tenant": tenant,
            "post": position,
            "form": form or position_form(position),
            "awaiting": positions.awaiting_cl15_confirmation(position),
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(ONE, name="positions:edit", opt=MANAGE)
async def edit_page(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    position_id: FromPath[uuid.UUID],
) -> Template:
    return await _edit_page(tenant, await _post_or_404(db_session, tenant, position_id))


@post(ONE, name="positions:update", opt=MANAGE, status_code=303, media_type=MediaType.HTML)
async def update_position(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    position_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    position = await _post_or_404(db_session, tenant, position_id)
    form, fields = read_position(await request.form())
    if fields is not None:
        try:
            await positions.update_position(
                db_session, position, fields, actor=signed_in(request).user_id, now=clock.now()
            )
        except positions.PositionError as error:
            form.error(error.field or "title", error.message)
    if fields is None or not form.valid:
        await db_session.rollback()
        position = await _post_or_404(db_session, tenant, position_id)
        return await _edit_page(tenant, position, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
    await db_session.commit()
    flash(request, _("The post has been saved."))
    return go_to(request, _url(tenant))


@post(
    f"{ONE}/deactivate", name="positions:deactivate", opt=MANAGE, status_code=303, media_type=MediaType.HTML
)
async def deactivate_position(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    position_id: FromPath[uuid.UUID],
) -> Response[Any]:
    position = await _post_or_404(db_session, tenant, position_id)
    try:
        await positions.deactivate_position(
            db_session, position, actor=signed_in(request).user_id, now=clock.now()
        )
    except positions.PositionError as error:
        await db_session.rollback()
        flash(request, error.message, "error")
        return go_to(request, _url(tenant))
    await db_session.commit()
    flash(request, _("The post has been deactivated."))
    return go_to(request, _url(tenant))


# --- the Agency (central) -------------------------------------------------------------------------


@get("/agency/positions", name="agency:positions", opt=CONFIRM)
async def agency_positions(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    """The posts of every region whose cl. 15 mark waits for the Agency's confirmation (A-39)."""
    return Template(
        "appointments/agency_positions.html",
        context={
            "posts": await positions.awaiting_confirmation(db_session),
            "registry": request.app.state.registry,
        },
        headers=NO_STORE,
    )


@post(
    "/agency/positions/{position_id:uuid}/confirm",
    name="agency:position-confirm",
    opt=CONFIRM,
    status_code=303,
    media_type=MediaType.HTML,
)
async def confirm_position(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    position_id: FromPath[uuid.UUID],
) -> Response[Any]:
    position = await positions.any_position(db_session, position_id)
    if position is None:
        raise NotFoundException()
    try:
        await positions.confirm_cl15(db_session, position, actor=signed_in(request).user_id, now=clock.now())
    except positions.PositionError as error:
        await db_session.rollback()
        flash(request, error.message, "error")
        return go_to(request, "/agency/positions")
    await db_session.commit()
    flash(request, _("The clause 15 mark of the post has been confirmed."))
    return go_to(request, "/agency/positions")


POSITION_ROUTES = [positions_page, create_position, edit_page, update_position, deactivate_position]
AGENCY_POSITION_ROUTES = [agency_positions, confirm_position]

__all__ = ["AGENCY_POSITION_ROUTES", "POSITION_ROUTES"]
