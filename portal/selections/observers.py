"""Cl. 12 (rules.md R-12, A-15): observers of the structured interview.

The commission's secretary (Permission.RUN_MEETING) invites representatives of public
associations, NGOs, the media, business and sector experts to one selection, by IIN. An
invitation is the only way in: it opens the selection's interview schedule, with pseudonyms only,
while the selection is at the interview stage and the invitation is not revoked; the observer
accepts a confidentiality statement before the first view. Observers watch; they never vote,
score, or open a document (A-15). See docs/decisions/observer-access.md for how the access is
granted and why it fails closed.

The IIN is stored to recognise the observer when they sign in; it is never shown unmasked, put
in a URL, or written to the audit log or a log line (masked there).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationStatus
from portal.core.audit import Change, record
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.rules.iin import mask_iin
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import ObserverCategory, ObserverInvitation

CLAUSE = "12"
#: Observers may be invited while the candidates are checked and during the interviews.
INVITING = (SelectionStatus.VETTING, SelectionStatus.INTERVIEW)
#: The only status in which an invitation opens anything (R-12: access stops with the stage).
WATCHING = SelectionStatus.INTERVIEW
CATEGORY_LABELS: dict[ObserverCategory, str] = {
    ObserverCategory.PUBLIC_ASSOCIATION: N_("Public association"),
    ObserverCategory.NGO: N_("Non-governmental organisation"),
    ObserverCategory.MEDIA: N_("Mass media"),
    ObserverCategory.BUSINESS: N_("Business community"),
    ObserverCategory.SECTOR_EXPERT: N_("Sector expert"),
}
CONFIDENTIALITY_STATEMENT = N_(
    "I will keep confidential everything I learn about the candidates at the interviews. I will not "
    "record, photograph or pass on anything that could identify a candidate, and I will not interfere "
    "with the commission's work. I watch only: I do not score, vote or see the candidates' documents "
    "(clause 12 of the Rules)."
)


@dataclass(frozen=True, slots=True)
class Invitee:
    """A checked invitation form: a valid IIN, the person's name, organisation and category."""

    iin: str
    name: str
    organisation: str
    category: ObserverCategory


def may_watch(invitation: ObserverInvitation | None, selection: Selection | None, tenant_id: str) -> bool:
    """R-12: an unrevoked invitation to this region's selection, while it is at the interview stage."""
    return (
        invitation is not None
        and selection is not None
        and invitation.revoked_at is None
        and invitation.selection_id == selection.id
        and invitation.tenant_id == selection.tenant_id == tenant_id
        and selection.status == WATCHING
    )


async def live_invitation(
    session: AsyncSession, tenant_id: str, selection_id: uuid.UUID, iin: str
) -> ObserverInvitation | None:
    """The invitation that lets this IIN watch this selection now, or None (fail closed)."""
    row = (
        await session.execute(
            sa.select(ObserverInvitation, Selection)
            .join(Selection, col(Selection.id) == col(ObserverInvitation.selection_id))
            .where(
                col(ObserverInvitation.selection_id) == selection_id,
                col(ObserverInvitation.iin) == iin,
                col(ObserverInvitation.tenant_id) == tenant_id,
            )
        )
    ).first()
    if row is None:
        return None
    invitation, selection = row
    return invitation if may_watch(invitation, selection, tenant_id) else None


async def invitations(session: AsyncSession, selection: Selection) -> list[ObserverInvitation]:
    rows = await session.execute(
        sa.select(ObserverInvitation)
        .where(
            col(ObserverInvitation.selection_id) == selection.id,
            col(ObserverInvitation.tenant_id) == selection.tenant_id,
        )
        .order_by(col(ObserverInvitation.invited_at))
    )
    return list(rows.scalars())


async def _is_candidate(session: AsyncSession, selection: Selection, iin: str) -> bool:
    found = await session.execute(
        sa.select(col(Application.id)).where(
            col(Application.selection_id) == selection.id,
            col(Application.candidate_iin) == iin,
            col(Application.status) != ApplicationStatus.DRAFT,
        )
    )
    return found.first() is not None


async def invite(
    session: AsyncSession, selection: Selection, invitee: Invitee, *, actor: uuid.UUID, now: datetime
) -> ObserverInvitation:
    """Invite one observer to the selection's interviews (cl. 12); a revoked invitation is renewed."""
    if selection.status not in INVITING:
        raise TransitionRefused(_("Observers are invited for the checks and interview stages only."))
    if await _is_candidate(session, selection, invitee.iin):
        raise TransitionRefused(_("This person is a candidate in this selection and cannot observe it."))
    invitation = (
        await session.execute(
            sa.select(ObserverInvitation).where(
                col(ObserverInvitation.selection_id) == selection.id,
                col(ObserverInvitation.iin) == invitee.iin,
            )
        )
    ).scalar_one_or_none()
    if invitation is not None and invitation.revoked_at is None:
        raise TransitionRefused(_("This person is already invited to observe this selection."))
    if invitation is None:
        invitation = ObserverInvitation(
            tenant_id=selection.tenant_id,
            selection_id=selection.id,
            iin=invitee.iin,
            name=invitee.name,
            organisation=invitee.organisation,
            category=invitee.category,
            invited_by=actor,
        )
        session.add(invitation)
    invitation.name, invitation.organisation, invitation.category = (
        invitee.name,
        invitee.organisation,
        invitee.category,
    )
    invitation.invited_by, invitation.invited_at = actor, now
    invitation.revoked_at = invitation.revoked_by = invitation.confidentiality_accepted_at = None
    await session.flush()
    await _audit(session, invitation, "observer.invited", actor)
    return invitation


async def revoke(
    session: AsyncSession, invitation: ObserverInvitation, *, actor: uuid.UUID, now: datetime
) -> None:
    """The observer's access ends at once (their next request is refused)."""
    if invitation.revoked_at is not None:
        raise TransitionRefused(_("This invitation has already been revoked."))
    invitation.revoked_at, invitation.revoked_by = now, actor
    await session.flush()
    await _audit(session, invitation, "observer.revoked", actor)


async def accept_confidentiality(
    session: AsyncSession, invitation: ObserverInvitation, *, actor: uuid.UUID, now: datetime
) -> None:
    """R-12: the observer accepts the confidentiality statement before the first view (time kept)."""
    if invitation.confidentiality_accepted_at is not None:
        return
    invitation.confidentiality_accepted_at = now
    await session.flush()
    await _audit(session, invitation, "observer.confidentiality_accepted", actor)


async def _audit(
    session: AsyncSession, invitation: ObserverInvitation, action: str, actor: uuid.UUID
) -> None:
    await record(
        session,
        Change(
            action,
            "observer_invitation",
            str(invitation.id),
            str(actor),
            invitation.tenant_id,
            clause=CLAUSE,
            after={
                "selection_id": invitation.selection_id,
                "iin": mask_iin(invitation.iin),
                "category": invitation.category,
                "revoked": invitation.revoked_at is not None,
                "confidentiality_accepted_at": invitation.confidentiality_accepted_at,
            },
        ),
    )


__all__ = [
    "CATEGORY_LABELS",
    "CONFIDENTIALITY_STATEMENT",
    "Invitee",
    "accept_confidentiality",
    "invitations",
    "invite",
    "live_invitation",
    "may_watch",
    "revoke",
]
