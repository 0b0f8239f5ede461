"""/{region}/admin/commission: the region's administrator keeps the commission's composition
(A-RC-1, A-RC-COMP) and its voting settings (rules.md A-20). Permission: MANAGE_ROLES (rules.md 2.2,
"assign roles (by IIN), tenant settings")."""

import uuid
from datetime import date
from typing import Any

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
from portal.commission import composition, forms
from portal.commission import settings as voting_settings
from portal.commission.models import POSITION_LABELS, CommissionMember, Position
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
from portal.core.responses import NO_STORE, go_to
from portal.i18n import gettext as _
from portal.rules.voting import MajorityBase
from portal.tenancy.registry import TenantConfig

ADMIN = requires(Permission.MANAGE_ROLES)
BASE = "/admin/commission"


def _running(term: CommissionMember, today: date) -> bool:
    """Current or future, and not ended by the administrator; everything else is history."""
    return term.ended_on is None and (term.term_to is None or term.term_to >= today)


async def _composition_page(
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    *,
    form: Form | None = None,
    end_form: Form | None = None,
    end_member: uuid.UUID | None = None,
    status_code: int = 200,
) -> Template:
    today = clock.today()
    terms = await composition.history(db_session, tenant.code)
    return Template(
        "commission/composition.html",
        context={
            "tenant": tenant,
            "current": [t for t in terms if _running(t, today)],
            "past": [t for t in terms if not _running(t, today)],
            "form": form or Form({"term_from": today.isoformat()}),
            "end_form": end_form or Form({"ended_on": today.isoformat()}),
            "end_member": end_member,
            "positions": [(p.value, _(POSITION_LABELS[p])) for p in Position],
            "position_labels": POSITION_LABELS,
            "today": today,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(BASE, name="commission:composition", opt=ADMIN)
async def composition_page(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Template:
    """The composition in force and its history (A-RC-1)."""
    return await _composition_page(db_session, tenant, clock)


@post(BASE, name="commission:composition-add", opt=ADMIN, status_code=303, media_type=MediaType.HTML)
async def add_term(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Response[Any] | Template:
    form, term = forms.read_term(await request.form(), clock.today())
    if term is not None:
        try:
            await composition.add_term(
                db_session, tenant.code, term, actor=str(signed_in(request).user_id), today=clock.today()
            )
        except composition.CompositionError as error:
            form.error(error.field, error.message)
    if term is None or not form.valid:
        await db_session.rollback()
        return await _composition_page(
            db_session, tenant, clock, form=form, status_code=HTTP_422_UNPROCESSABLE_ENTITY
        )
    await db_session.commit()
    flash(request, _("The term has been added to the commission's composition."))
    return go_to(request, f"/{tenant.slug}{BASE}")


@post(
    f"{BASE}/{{member_id:uuid}}/end",
    name="commission:composition-end",
    opt=ADMIN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def end_term(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    member_id: FromPath[uuid.UUID],
) -> Response[Any] | Template:
    if await composition.term_of(db_session, tenant.code, member_id) is None:
        raise NotFoundException()
    form, ended_on, reason = forms.read_end(await request.form())
    if form.valid and ended_on is not None:
        try:
            await composition.end_term(
                db_session,
                tenant.code,
                member_id,
                ended_on=ended_on,
                reason=reason,
                actor=str(signed_in(request).user_id),
                today=clock.today(),
            )
        except composition.CompositionError as error:
            form.error("ended_on" if error.field == "member" else error.field, error.message)
    if not form.valid:
        await db_session.rollback()
        return await _composition_page(
            db_session,
            tenant,
            clock,
            end_form=form,
            end_member=member_id,
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    await db_session.commit()
    flash(request, _("The term has ended; it stays in the history."))
    return go_to(request, f"/{tenant.slug}{BASE}")


def _settings_page(tenant: TenantConfig, form: Form, status_code: int = 200) -> Template:
    return Template(
        "commission/settings.html",
        context={
            "tenant": tenant,
            "form": form,
            "quorum_choices": voting_settings.QUORUM_CHOICES,
            "majority_choices": [
                (MajorityBase.PRESENT.value, _("A majority of the members present")),
                (MajorityBase.MEMBERS.value, _("A majority of all the members")),
            ],
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(f"{BASE}/voting", name="commission:settings", opt=ADMIN)
async def settings_page(
    db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantConfig]
) -> Template:
    """The region's voting rule (rules.md A-20); meetings already opened keep the rule they froze."""
    rule = await voting_settings.current_rule(db_session, tenant.code)
    return _settings_page(tenant, forms.settings_form(rule))


@post(
    f"{BASE}/voting", name="commission:settings-save", opt=ADMIN, status_code=303, media_type=MediaType.HTML
)
async def save_settings(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
) -> Response[Any] | Template:
    form, rule = forms.read_settings(await request.form())
    if rule is None:
        return _settings_page(tenant, form, HTTP_422_UNPROCESSABLE_ENTITY)
    await voting_settings.save(db_session, tenant.code, rule, actor=str(signed_in(request).user_id))
    await db_session.commit()
    flash(request, _("The voting settings have been saved. Meetings already opened keep their rule."))
    return go_to(request, f"/{tenant.slug}{BASE}/voting")


ADMIN_ROUTES = [composition_page, add_term, end_term, settings_page, save_settings]
