"""/{tenant}/admin/roles: the region's administrator grants and revokes roles by IIN."""

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from portal.auth.forms import GrantRoleForm, regional_roles
from portal.auth.policies import Permission
from portal.auth.roles import ROLE_LABELS, Role
from portal.auth.services import RoleError, active_assignments, grant_role, revoke_role
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.tenancy.registry import TenantConfig

MANAGE_ROLES = requires(Permission.MANAGE_ROLES)
NO_STORE = {"Cache-Control": "no-store"}
ROLE_ERRORS = {
    "duplicate": ("iin", N_("This person already holds this role in the region.")),
}
CANNOT_GRANT = ("role", N_("This role cannot be granted here."))


async def _page(
    db_session: AsyncSession, tenant: TenantConfig, form: GrantRoleForm, status_code: int = 200
) -> Template:
    assignments = await active_assignments(db_session, tenant.code)
    return Template(
        "admin/roles.html",
        context={
            "tenant": tenant,
            "assignments": assignments,
            "form": form,
            "roles": regional_roles(),
            "role_labels": ROLE_LABELS,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get("/admin/roles", name="admin:roles", opt=MANAGE_ROLES)
async def roles_page(
    db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantConfig]
) -> Template:
    return await _page(db_session, tenant, GrantRoleForm())


@post("/admin/roles", name="admin:roles-grant", opt=MANAGE_ROLES, status_code=303, media_type=MediaType.HTML)
async def grant(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Template | Redirect:
    form = GrantRoleForm.parse(dict(await request.form()), clock.today())
    if form.valid:
        try:
            await grant_role(
                db_session,
                iin=form.iin,
                role=Role(form.role),
                tenant_id=tenant.code,
                actor=str(request.scope["user"].user_id),
                valid_from=clock.today(),
                valid_to=form.until,
            )
        except RoleError as error:
            field, message = ROLE_ERRORS.get(error.code, CANNOT_GRANT)
            form.errors[field] = _(message)
    if not form.valid:
        return await _page(db_session, tenant, form, HTTP_422_UNPROCESSABLE_ENTITY)
    # Commit before the response: the session store writes the flash on its own connection.
    await db_session.commit()
    flash(request, _("The role has been granted."))
    return Redirect(f"/{tenant.slug}/admin/roles", status_code=303)


@post(
    "/admin/roles/{assignment_id:uuid}/revoke",
    name="admin:roles-revoke",
    opt=MANAGE_ROLES,
    status_code=303,
    media_type=MediaType.HTML,
)
async def revoke(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    assignment_id: FromPath[uuid.UUID],
) -> Redirect:
    try:
        await revoke_role(
            db_session,
            assignment_id=assignment_id,
            tenant_id=tenant.code,
            actor=str(request.scope["user"].user_id),
        )
    except RoleError as error:
        raise NotFoundException() from error
    await db_session.commit()
    flash(request, _("The role has been revoked."))
    return Redirect(f"/{tenant.slug}/admin/roles", status_code=303)
