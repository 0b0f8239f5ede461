"""/{region}/observe/selections/{id}: an invited observer's view of the interview schedule (cl. 12).

Pseudonyms, times and places only: no names, no IIN, no documents, no scores. The route guard
asks for WATCH_INTERVIEW, which an invited person holds for these routes only and only while the
invitation is live (portal.selections.observer_access); the handlers check the invitation again,
so a standing observer role without an invitation opens nothing. The confidentiality statement is
accepted before the first view.
"""

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.errors import PageError
from portal.core.flash import flash
from portal.core.responses import NO_STORE, go_to
from portal.i18n import gettext as _
from portal.selections import interviews, observers, queries
from portal.selections.models import Selection
from portal.selections.observer_access import InvitedObserver
from portal.selections.stage_models import ObserverInvitation
from portal.tenancy.registry import TenantConfig

WATCH = requires(Permission.WATCH_INTERVIEW)
BASE = "/observe/selections/{selection_id:uuid}"


async def _invited(
    request: Request[Any, Any, Any], db_session: AsyncSession, tenant: TenantConfig, selection_id: uuid.UUID
) -> tuple[ObserverInvitation, Selection]:
    """The caller's live invitation to this selection, or a clear refusal (fail closed)."""
    invitation = await observers.live_invitation(
        db_session, tenant.code, selection_id, signed_in(request).iin
    )
    selection = await queries.region_selection(db_session, tenant.code, selection_id)
    if invitation is None or selection is None:
        raise PageError(
            status_code=403,
            detail=_(
                "You can watch a selection's interviews only with an invitation from its commission, "
                "and only during the interview stage."
            ),
        )
    return invitation, selection


@get(BASE, name="observe:schedule", opt=WATCH, middleware=[InvitedObserver()])
async def schedule_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Template:
    invitation, selection = await _invited(request, db_session, tenant, selection_id)
    accepted = invitation.confidentiality_accepted_at is not None
    slots = (
        await interviews.public_schedule(db_session, selection, ZoneInfo(clock.timezone)) if accepted else []
    )
    return Template(
        "selections/observe/schedule.html",
        context={
            "tenant": tenant,
            "s": selection,
            "accepted": accepted,
            "slots": slots,
            "statement": observers.CONFIDENTIALITY_STATEMENT,
        },
        headers=NO_STORE,
    )


@post(
    f"{BASE}/confidentiality",
    name="observe:accept",
    opt=WATCH,
    middleware=[InvitedObserver()],
    status_code=303,
    media_type=MediaType.HTML,
)
async def accept_confidentiality(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
) -> Response[Any]:
    invitation, _selection = await _invited(request, db_session, tenant, selection_id)
    back = f"/{tenant.slug}/observe/selections/{selection_id}"
    if (await request.form()).get("agree") != "yes":
        flash(request, _("Accept the confidentiality statement to see the schedule."), "error")
        return go_to(request, back)
    actor = signed_in(request).user_id
    await observers.accept_confidentiality(db_session, invitation, actor=actor, now=clock.now())
    await db_session.commit()
    flash(request, _("Thank you. The interview schedule is below."))
    return go_to(request, back)


OBSERVER_ROUTES = [schedule_page, accept_confidentiality]
