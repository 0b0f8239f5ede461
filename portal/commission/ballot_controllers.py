"""/{region}/commission/ballots: the members, the chair and the deputy chair vote (VOTE; cl. 6(5), 10, 12).

A member sees the meetings of their region whose date falls in their term, votes for, against or
abstains on the item put to the vote, once, and may declare a conflict of interest instead (they
are then recused from the item). Works on a phone without JavaScript: plain forms, 303 back.
"""

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.commission import ballots, composition, forms, meetings, views
from portal.commission.models import AgendaItem, CommissionMember, Meeting
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.responses import NO_STORE, go_to
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.selections.drafting import TransitionRefused
from portal.tenancy.registry import TenantConfig

VOTE = requires(Permission.VOTE)
BASE = "/commission/ballots"
MEETING = f"{BASE}/{{meeting_id:uuid}}"
ITEM = f"{MEETING}/items/{{item_id:uuid}}"


def _url(tenant: TenantConfig, meeting_id: uuid.UUID | None = None) -> str:
    return f"/{tenant.slug}{BASE}/{meeting_id}" if meeting_id else f"/{tenant.slug}{BASE}"


async def _mine(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    clock: Clock,
    meeting_id: uuid.UUID,
) -> tuple[Meeting, CommissionMember]:
    """The meeting, if the signed-in person votes at it (their term covers its date); else not found."""
    meeting = await meetings.region_meeting(db_session, tenant.code, meeting_id)
    if meeting is None:
        raise NotFoundException()
    member = await views.member_of(db_session, meeting, signed_in(request).iin, ZoneInfo(clock.timezone))
    if member is None:
        raise NotFoundException()
    return meeting, member


@get(BASE, name="commission:ballots", opt=VOTE)
async def ballots_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Template:
    """The region's meetings at which the signed-in member votes."""
    zone = ZoneInfo(clock.timezone)
    iin = signed_in(request).iin
    terms = [t for t in await composition.history(db_session, tenant.code) if t.iin == iin and t.votes]
    mine = [
        m
        for m in await meetings.region_meetings(db_session, tenant.code)
        if any(t.in_force_on(meetings.meeting_day(m, zone)) for t in terms)
    ]
    return Template(
        "commission/ballots.html",
        context={"tenant": tenant, "meetings": mine, "zone": zone},
        headers=NO_STORE,
    )


@get(MEETING, name="commission:ballot", opt=VOTE)
async def ballot_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
) -> Template:
    """The agenda as the member sees it: the item put to the vote, their own standing on each item."""
    meeting, member = await _mine(request, db_session, tenant, clock, meeting_id)
    view = await views.meeting_view(db_session, meeting, ZoneInfo(clock.timezone), language=get_language())
    standings = {v.item.id: await ballots.standing(db_session, meeting, v.item, member) for v in view.items}
    own = await _own_votes(db_session, view, member)
    return Template(
        "commission/ballot.html",
        context={
            "tenant": tenant,
            "view": view,
            "member": member,
            "standings": standings,
            "own": own,
            "kind_labels": views.KIND_LABELS,
            "stage_labels": views.STAGE_LABELS,
            "outcome_labels": views.OUTCOME_LABELS,
            "choice_labels": views.CHOICE_LABELS,
            "zone": ZoneInfo(clock.timezone),
        },
        headers=NO_STORE,
    )


async def _own_votes(
    db_session: AsyncSession, view: views.MeetingView, member: CommissionMember
) -> dict[uuid.UUID, str]:
    """The member's own open-ballot votes (a secret ballot keeps none)."""
    if view.rule.secret_ballot:
        return {}
    found = {}
    for v in view.items:
        choice = (await ballots.open_votes(db_session, v.item)).get(member.id)
        if choice is not None:
            found[v.item.id] = choice.value
    return found


async def _item(db_session: AsyncSession, meeting: Meeting, item_id: uuid.UUID) -> AgendaItem:
    item = await ballots.meeting_item(db_session, meeting, item_id)
    if item is None:
        raise NotFoundException()
    return item


@post(f"{ITEM}/vote", name="commission:vote", opt=VOTE, status_code=303, media_type=MediaType.HTML)
async def vote(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
    item_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """One vote: for, against or abstain. A second one, even sent at the same moment, is refused."""
    meeting, member = await _mine(request, db_session, tenant, clock, meeting_id)
    item = await _item(db_session, meeting, item_id)
    choice = forms.read_choice(await request.form())
    try:
        if choice is None:
            raise TransitionRefused(_("Choose for, against or abstain."))
        await ballots.cast_vote(db_session, meeting, item, member, choice, actor=signed_in(request).user_id)
        await db_session.commit()
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, _url(tenant, meeting_id))
    flash(request, _("Your vote has been recorded."))
    return go_to(request, _url(tenant, meeting_id))


@post(f"{ITEM}/recuse", name="commission:recuse", opt=VOTE, status_code=303, media_type=MediaType.HTML)
async def recuse(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    meeting_id: FromPath[uuid.UUID],
    item_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """A declared conflict of interest: the member is recused from the item and its quorum base."""
    meeting, member = await _mine(request, db_session, tenant, clock, meeting_id)
    item = await _item(db_session, meeting, item_id)
    reason = str((await request.form()).get("reason", ""))
    try:
        await ballots.declare_recusal(
            db_session, meeting, item, member, reason=reason, actor=signed_in(request).user_id
        )
        await db_session.commit()
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, _url(tenant, meeting_id))
    flash(request, _("Your conflict of interest has been recorded: you do not vote on this item."))
    return go_to(request, _url(tenant, meeting_id))


BALLOT_ROUTES = [ballots_page, ballot_page, vote, recuse]
