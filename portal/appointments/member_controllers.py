"""/me/proposals: the reserve member's side of an appointment proposal (cl. 15-17; rules.md 3.5).

The member sees the proposals naming them, confirms their application for the post in the portal
(cl. 17: this is also the consent to the region and the post) or declines it, and gives or
withdraws the standing consent to be proposed by other regions (cl. 17). Anybody signed in may
open these pages (VIEW_OWN_ACCOUNT); another person's proposal or membership is not found.
"""

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.appointments import consents, policies, proposals
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
from portal.reserve.models import MEMBERSHIP_STATUS_LABELS, MembershipStatus

OWN = requires(Permission.VIEW_OWN_ACCOUNT)
BASE = "/me/proposals"


@get(BASE, name="me:proposals", opt=OWN)
async def my_proposals(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> Template:
    """The proposals naming me, and my consent to be proposed by other regions (cl. 17)."""
    principal = signed_in(request)
    memberships = await consents.memberships_of(db_session, principal.user_id, principal.iin)
    return Template(
        "appointments/my_proposals.html",
        context={
            "rows": await proposals.member_proposals(db_session, principal.user_id, principal.iin),
            "memberships": memberships,
            "consents": await consents.consents_of(db_session, [m.id for m in memberships]),
            "active": MembershipStatus.ACTIVE,
            "today": clock.today(),
            "status_labels": PROPOSAL_STATUS_LABELS,
            "membership_labels": MEMBERSHIP_STATUS_LABELS,
            "registry": request.app.state.registry,
        },
        headers=NO_STORE,
    )


async def _row(
    request: Request[Any, Any, Any], db_session: AsyncSession, proposal_id: uuid.UUID
) -> proposals.Row:
    principal = signed_in(request)
    row = await proposals.member_proposal(db_session, proposal_id, principal.user_id, principal.iin)
    if row is None:
        raise NotFoundException()
    return row


@get(f"{BASE}/{{proposal_id:uuid}}", name="me:proposal", opt=OWN)
async def my_proposal(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    proposal_id: FromPath[uuid.UUID],
) -> Template:
    row = await _row(request, db_session, proposal_id)
    return Template(
        "appointments/my_proposal.html",
        context={
            "row": row,
            "p": row.proposal,
            "may_answer": row.proposal.status in policies.MAY_ANSWER,
            "status_labels": PROPOSAL_STATUS_LABELS,
            "registry": request.app.state.registry,
        },
        headers=NO_STORE,
    )


@post(
    f"{BASE}/{{proposal_id:uuid}}/answer",
    name="me:proposal-answer",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def answer(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    proposal_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """The member confirms their application (cl. 15-16; cl. 17 with the consent) or declines."""
    row = await _row(request, db_session, proposal_id)
    choice = str((await request.form()).get("answer", ""))
    back = f"{BASE}/{proposal_id}"
    try:
        if choice not in {"confirm", "decline"}:
            raise proposals.ProposalRefused(_("Choose whether you confirm or decline."))
        await proposals.answer(
            db_session,
            row,
            confirm=choice == "confirm",
            actor=signed_in(request).user_id,
            language=get_language(),
            now=clock.now(),
            mail=mail_for(request),
        )
    except proposals.ProposalRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(
        request,
        _("You have confirmed your application for the post.")
        if choice == "confirm"
        else _("You have declined the proposal."),
    )
    return go_to(request, back)


@post(
    "/me/memberships/{membership_id:uuid}/consent",
    name="me:consent",
    opt=OWN,
    status_code=303,
    media_type=MediaType.HTML,
)
async def consent(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    membership_id: FromPath[uuid.UUID],
) -> Response[Any]:
    """Give or withdraw the consent to be proposed for posts in other regions (cl. 17)."""
    principal = signed_in(request)
    membership = await consents.own_membership(db_session, membership_id, principal.user_id, principal.iin)
    if membership is None:
        raise NotFoundException()
    give = str((await request.form()).get("consent", "")) == "give"
    try:
        if give:
            await consents.give(
                db_session, membership, user_id=principal.user_id, today=clock.today(), now=clock.now()
            )
        else:
            await consents.withdraw(db_session, membership, user_id=principal.user_id, now=clock.now())
    except consents.ConsentRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, BASE)
    await db_session.commit()
    flash(
        request,
        _("Your consent to be appointed in another region has been recorded.")
        if give
        else _("Your consent to be appointed in another region has been withdrawn."),
    )
    return go_to(request, BASE)


MEMBER_ROUTES = [my_proposals, my_proposal, answer, consent]

__all__ = ["MEMBER_ROUTES"]
