"""/me/memberships: the reserve member's own pages (issue 8 items 1 and 6).

The member sees their term with a countdown in days, their appointments and proposals, the
exclusion proceedings concerning them (with the ground, its legal basis and the time to comment)
and their history; gives or withdraws the consent to be appointed in another region (cl. 17, the
form posts to portal.appointments' `me:consent`) and the consent to appear on the region's public
list of the enrolled (A-27, `me:publication-consent`); asks to leave the reserve (18(1): a draft case
opens by itself, A-23) and comments on a filed proposal. Anybody signed in may open these pages
(VIEW_OWN_ACCOUNT); another person's membership or case is not found.
"""

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NoRouteMatchFoundException, NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.appointments import consents
from portal.appointments.models import PROPOSAL_STATUS_LABELS
from portal.appointments.views import mail_for
from portal.auth.guards import signed_in
from portal.auth.policies import Permission
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.responses import NO_STORE, go_to
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.reserve import exclusions, publication, queries
from portal.reserve.exclusion_models import EXCLUSION_STATUS_LABELS, ExclusionStatus
from portal.reserve.models import MEMBERSHIP_STATUS_LABELS, MembershipStatus, ReserveMembership
from portal.rules.exclusion import EVIDENCE_TITLES, cl18_sub_basis
from portal.rules.grounds import EvidenceKind, ExclusionGround

OWN = requires(Permission.VIEW_OWN_ACCOUNT)
BASE = "/me/memberships"
ONE = f"{BASE}/{{membership_id:uuid}}"
STATEMENT_LIMIT = 2000


@get(BASE, name="me:memberships", opt=OWN)
async def my_memberships(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> Template:
    """My memberships of the regions' reserves, each with its term and the days left."""
    principal = signed_in(request)
    return Template(
        "reserve/my_memberships.html",
        context={
            "memberships": await consents.memberships_of(db_session, principal.user_id, principal.iin),
            "today": clock.today(),
            "registry": request.app.state.registry,
            "membership_labels": MEMBERSHIP_STATUS_LABELS,
        },
        headers=NO_STORE,
    )


async def _own(
    request: Request[Any, Any, Any], db_session: AsyncSession, membership_id: uuid.UUID
) -> ReserveMembership:
    principal = signed_in(request)
    membership = await consents.own_membership(db_session, membership_id, principal.user_id, principal.iin)
    if membership is None:
        raise NotFoundException()
    return membership


def _consent_url(request: Request[Any, Any, Any], membership: ReserveMembership) -> str | None:
    """The consent form's address (portal.appointments' route), None while that route is not mounted."""
    try:
        return request.app.route_reverse("me:consent", membership_id=membership.id)
    except NoRouteMatchFoundException:
        return None


@get(ONE, name="me:membership", opt=OWN)
async def my_membership(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    membership_id: FromPath[uuid.UUID],
) -> Template:
    """My term and its countdown, appointments, exclusion proceedings, consent (cl. 17) and history."""
    membership = await _own(request, db_session, membership_id)
    cases = await exclusions.cases_of(db_session, membership.id)
    proposals = (await queries.appointments_of(db_session, [membership.id])).get(membership.id, [])
    today = clock.today()
    known = await queries.directions(db_session)
    filed = [c for c in cases if c.status != ExclusionStatus.DRAFT or c.requested_by_member]
    return Template(
        "reserve/my_membership.html",
        context={
            "m": membership,
            "today": today,
            "region": request.app.state.registry.by_code(membership.tenant_id),
            "direction": known[membership.direction_code].name(get_language())
            if membership.direction_code in known
            else "",
            "cases": [
                (c, ExclusionGround(c.ground), cl18_sub_basis(ExclusionGround(c.ground), c.sub_basis))
                for c in filed
            ],
            "evidence": {c.id: await exclusions.evidence_of(db_session, c.id) for c in filed},
            "proposals": proposals,
            "consent": await consents.current_consent(db_session, membership.id),
            "consent_history": await consents.history(db_session, membership.id),
            "consent_url": _consent_url(request, membership),
            "publication": await publication.current(db_session, membership.id),
            "publication_history": await publication.history(db_session, membership.id),
            "may_leave": membership.status == MembershipStatus.ACTIVE
            and membership.ends_on >= today
            and await exclusions.live_case(db_session, membership.id) is None,
            "history": await queries.history(
                db_session,
                membership,
                case_ids=[c.id for c in filed],
                proposal_ids=[p.proposal.id for p in proposals],
            ),
            "history_labels": queries.HISTORY_LABELS,
            "evidence_titles": EVIDENCE_TITLES,
            "evidence_kind": EvidenceKind,
            "language": get_language(),
            "membership_labels": MEMBERSHIP_STATUS_LABELS,
            "proposal_labels": PROPOSAL_STATUS_LABELS,
            "case_labels": EXCLUSION_STATUS_LABELS,
            "awaiting": ExclusionStatus.AWAITING_COMMENT,
        },
        headers=NO_STORE,
    )


@post(f"{ONE}/leave", name="me:membership-leave", opt=OWN, status_code=303, media_type=MediaType.HTML)
async def leave(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    membership_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """I ask to be excluded at my own wish (18(1)): a draft case opens by itself (A-23)."""
    membership = await _own(request, db_session, membership_id)
    data = await request.form()
    back = f"{BASE}/{membership_id}"
    try:
        if str(data.get("confirm", "")) != "yes":
            raise exclusions.ExclusionRefused(_("Confirm that you ask to leave the reserve."))
        await exclusions.request_own_exclusion(
            db_session,
            membership,
            user_id=signed_in(request).user_id,
            statement=str(data.get("statement", "")).strip()[:STATEMENT_LIMIT],
            language=get_language(),
            today=clock.today(),
            now=clock.now(),
            mail=mail_for(request),
        )
    except exclusions.ExclusionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(request, _("Your request has been sent to the territorial unit of the Agency."))
    return go_to(request, back)


@post(
    f"{ONE}/publication",
    name="me:publication-consent",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def publication_consent(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    membership_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """I give or withdraw my consent to the public list of the enrolled (A-27: name and direction)."""
    membership = await _own(request, db_session, membership_id)
    user_id = signed_in(request).user_id
    give = str((await request.form()).get("publication", "")) == "give"
    back = f"{BASE}/{membership_id}"
    try:
        if give:
            await publication.give(
                db_session, membership, user_id=user_id, today=clock.today(), now=clock.now()
            )
        else:
            await publication.withdraw(db_session, membership, user_id=user_id, now=clock.now())
    except publication.PublicationRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(
        request,
        _("Your name and sector direction are now on the public list of the reserve.")
        if give
        else _("Your name has been taken off the public list of the reserve."),
    )
    return go_to(request, back)


@post(
    f"{ONE}/cases/{{case_id:uuid}}/comment",
    name="me:case-comment",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def comment(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    membership_id: FromPath[uuid.UUID],
    case_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """My comment on a filed exclusion proposal, within the time set (cl. 18, rules.md 3.6)."""
    membership = await _own(request, db_session, membership_id)
    case = next((c for c in await exclusions.cases_of(db_session, membership.id) if c.id == case_id), None)
    if case is None:
        raise NotFoundException()
    text = str((await request.form()).get("comment", "")).strip()
    back = f"{BASE}/{membership_id}"
    try:
        if not text:
            raise exclusions.ExclusionRefused(_("Write your comment."))
        await exclusions.comment(
            db_session,
            case,
            user_id=signed_in(request).user_id,
            text=text[: STATEMENT_LIMIT * 2],
            language=get_language(),
            today=clock.today(),
            now=clock.now(),
            mail=mail_for(request),
        )
    except exclusions.ExclusionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(request, _("Your comment has been sent."))
    return go_to(request, back)


MEMBER_RESERVE_ROUTES = [my_memberships, my_membership, leave, publication_consent, comment]

__all__ = ["MEMBER_RESERVE_ROUTES"]
