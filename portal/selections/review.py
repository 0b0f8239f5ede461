"""Stage 1 (cl. 6(1), 8, 13): the territorial unit reviews each document, then its head admits the
application or refuses it on a cl. 13 ground (rules.md A-16); testing starts when all are decided.

Every decision is one audit event with its clause, one history event the candidate sees, and one
notification in the candidate's language.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationDocument, ApplicationStatus
from portal.applications.services import record_status
from portal.core.audit import Change, record
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.notifications.services import enqueue
from portal.rules.grounds import RefusalGround
from portal.rules.intake import intake_is_open
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import DocumentReview, Verdict

#: Why a document is not accepted (cl. 8): shown to the candidate with the refusal.
DOCUMENT_REASONS: dict[str, str] = {
    "illegible": N_("The copy cannot be read."),
    "incomplete": N_("Pages or supplements are missing."),
    "wrong_document": N_("It is not the document required."),
    "not_certified": N_(
        "The copy is not certified by the HR service of the last place of work (clause 8(4))."
    ),
    "expired": N_("The document is no longer valid."),
}
UNDECIDED = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
ADMITTED_TEXT = N_("Admitted to the selection")
REFUSED_TEXT = N_("Refused admission to the selection")
NEXT_TESTING = N_("You will be invited to testing on the knowledge of legislation (clause 6(2)).")


@dataclass(frozen=True, slots=True)
class Notice:
    """How to tell the candidate: their language, their e-mail, and what the e-mail names."""

    language: str
    email: str | None
    context: dict[str, str]


async def review_document(
    session: AsyncSession,
    application: Application,
    document: ApplicationDocument,
    *,
    verdict: Verdict,
    reason: str,
    reviewer: uuid.UUID,
) -> None:
    """One document accepted, or rejected with a coded reason (cl. 8)."""
    if application.status not in UNDECIDED:
        raise TransitionRefused(_("The application has already been decided."))
    if verdict == Verdict.REJECTED and reason not in DOCUMENT_REASONS:
        raise TransitionRefused(_("Choose why the document is not accepted."))
    existing = (
        await session.execute(sa.select(DocumentReview).where(col(DocumentReview.document_id) == document.id))
    ).scalar_one_or_none()
    if existing is None:
        existing = DocumentReview(
            tenant_id=application.tenant_id,
            application_id=application.id,
            document_id=document.id,
            verdict=verdict,
            reviewer=reviewer,
        )
        session.add(existing)
    existing.verdict, existing.reason, existing.reviewer = (
        verdict,
        reason if verdict == Verdict.REJECTED else "",
        reviewer,
    )
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.UNDER_REVIEW
    await session.flush()
    await record(
        session,
        Change(
            "application.document_reviewed",
            "application",
            str(application.id),
            str(reviewer),
            application.tenant_id,
            clause="8",
            after={"slot": document.slot, "verdict": verdict, "reason": reason},
        ),
    )


async def reviews_of(session: AsyncSession, application_id: uuid.UUID) -> dict[uuid.UUID, DocumentReview]:
    rows = await session.execute(
        sa.select(DocumentReview).where(col(DocumentReview.application_id) == application_id)
    )
    return {review.document_id: review for review in rows.scalars()}


async def _decide(
    session: AsyncSession,
    application: Application,
    status: ApplicationStatus,
    *,
    actor: uuid.UUID,
    clause: str,
    reason: str,
    notice: Notice,
    decision: str,
    now: datetime,
) -> None:
    if application.status not in UNDECIDED:
        raise TransitionRefused(_("The application has already been decided."))
    application.status = status
    await session.flush()
    await record_status(session, application, str(actor), clause=clause, reason=reason)
    await enqueue(
        session,
        template="application_decision",
        language=notice.language,
        context={
            **notice.context,
            "decision": decision,
            "clause": clause,
            "reason": reason,
            "next_step": NEXT_TESTING if status == ApplicationStatus.ADMITTED else "",
            "decided_at": now.isoformat(),
        },
        recipient=notice.email,
        user_id=application.user_id,
        tenant_id=application.tenant_id,
        idempotency_key=f"decision:{application.id}:{status}",
    )


async def admit(
    session: AsyncSession, application: Application, *, actor: uuid.UUID, notice: Notice, now: datetime
) -> None:
    """cl. 4, 5, 8 satisfied: the candidate takes part in testing."""
    await _decide(
        session,
        application,
        ApplicationStatus.ADMITTED,
        actor=actor,
        clause="8",
        reason="",
        notice=notice,
        decision=ADMITTED_TEXT,
        now=now,
    )


async def refuse(
    session: AsyncSession,
    application: Application,
    *,
    ground: RefusalGround,
    explanation: str,
    actor: uuid.UUID,
    notice: Notice,
    now: datetime,
) -> None:
    """cl. 13: refusal with its ground (13(1)-(3)) and the officer's explanation."""
    if not explanation.strip():
        raise TransitionRefused(_("Explain the refusal: the candidate reads it."))
    await _decide(
        session,
        application,
        ApplicationStatus.REFUSED,
        actor=actor,
        clause=ground.value,
        reason=explanation.strip(),
        notice=notice,
        decision=REFUSED_TEXT,
        now=now,
    )


async def undecided_count(session: AsyncSession, selection: Selection) -> int:
    """How many applications still wait for the admission decision (cl. 13, rules.md A-16)."""
    total = await session.execute(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(col(Application.selection_id) == selection.id, col(Application.status).in_(UNDECIDED))
    )
    return int(total.scalar_one())


async def start_testing(session: AsyncSession, selection: Selection, *, actor: uuid.UUID, today: date) -> int:
    """Intake closed and every application decided: the selection moves to testing (rules.md 3.1).

    Returns how many admitted candidates go to testing.
    """
    if selection.status not in (
        SelectionStatus.ANNOUNCED,
        SelectionStatus.INTAKE_OPEN,
        SelectionStatus.INTAKE_CLOSED,
    ):
        raise TransitionRefused(_("The selection is not at the document stage."))
    if today <= selection.intake_end or intake_is_open(selection.intake_start, selection.intake_end, today):
        raise TransitionRefused(_("Document intake has not closed yet."))
    undecided = await undecided_count(session, selection)
    if undecided:
        raise TransitionRefused(
            _("%(count)s applications are still waiting for a decision.", count=undecided)
        )
    admitted = cast(
        "CursorResult[Any]",
        await session.execute(
            sa.update(Application)
            .where(
                col(Application.selection_id) == selection.id,
                col(Application.status) == ApplicationStatus.ADMITTED,
            )
            .values(status=ApplicationStatus.IN_TESTING)
        ),
    ).rowcount
    selection.status = SelectionStatus.TESTING
    await session.flush()
    await record(
        session,
        Change(
            "selection.testing",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause="6(2)",
            after={"status": selection.status, "admitted": admitted},
        ),
    )
    return int(admitted)
