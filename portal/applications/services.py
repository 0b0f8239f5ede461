"""The application's life (rules.md 3.2): start, direction, documents, consent, submit, withdraw.

Each public function is one user action inside the caller's transaction, checks its legal
preconditions with portal/rules, and writes one audit event and one history event per state
change. Functions take the application already scoped to its owner (see queries.own_application).
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.consent import CURRENT_CONSENT
from portal.applications.eligibility import snapshot
from portal.applications.models import (
    FINAL_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    Channel,
    DocumentSlot,
)
from portal.applications.references import next_reference
from portal.core.audit import Change, record
from portal.notifications.services import enqueue
from portal.rules.eligibility import Eligibility
from portal.rules.intake import intake_is_open
from portal.selections.models import PUBLISHED_STATUSES, Selection, SelectionDirection, SelectionStatus


class Refusal(StrEnum):
    """Why an action cannot be done now; each has a translated message in views.REFUSAL_TEXTS."""

    INTAKE_CLOSED = "intake_closed"
    NOT_ELIGIBLE = "not_eligible"
    PROFILE_INCOMPLETE = "profile_incomplete"
    DOCUMENTS_MISSING = "documents_missing"
    NO_CONSENT = "no_consent"
    NO_DIRECTION = "no_direction"
    UNKNOWN_DIRECTION = "unknown_direction"
    NOT_EDITABLE = "not_editable"
    FINAL = "final"


class ApplicationRefused(Exception):  # noqa: N818 - a refusal the page explains, not a fault
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason = reason


_OPEN_FOR_INTAKE = (SelectionStatus.ANNOUNCED, SelectionStatus.INTAKE_OPEN)


def intake_open(selection: Selection, today: date) -> bool:
    """cl. 8, A-35: an announced selection takes documents on the days of its intake window."""
    return selection.status in _OPEN_FOR_INTAKE and intake_is_open(
        selection.intake_start, selection.intake_end, today
    )


async def record_status(
    session: AsyncSession, application: Application, actor: str, *, clause: str = "", reason: str = ""
) -> None:
    """The history event the candidate sees and the audit event, for the application's new status."""
    session.add(
        ApplicationEvent(
            application_id=application.id,
            tenant_id=application.tenant_id,
            status=application.status,
            clause=clause,
            reason=reason,
        )
    )
    await record(
        session,
        Change(
            f"application.{application.status}",
            "application",
            str(application.id),
            actor,
            application.tenant_id,
            clause=clause,
            after={"status": application.status, "reference": application.reference},
        ),
    )


async def start_application(
    session: AsyncSession,
    *,
    selection: Selection,
    user_id: uuid.UUID,
    iin: str,
    name: str,
    today: date,
) -> Application:
    """Open (or return) the candidate's one application to a selection that is taking documents."""
    existing = (
        await session.execute(
            sa.select(Application).where(
                col(Application.selection_id) == selection.id, col(Application.candidate_iin) == iin
            )
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    if selection.status not in PUBLISHED_STATUSES or not intake_open(selection, today):
        raise ApplicationRefused(Refusal.INTAKE_CLOSED)
    application = Application(
        tenant_id=selection.tenant_id,
        selection_id=selection.id,
        candidate_iin=iin,
        user_id=user_id,
        candidate_name=name,
    )
    session.add(application)
    await session.flush()
    await record_status(session, application, str(user_id), clause="8")
    return application


def editable(application: Application, selection: Selection, today: date) -> bool:
    """Documents and answers may change until intake closes, before or after submission (A-07)."""
    return application.status in {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED} and intake_open(
        selection, today
    )


async def selection_directions(session: AsyncSession, selection_id: uuid.UUID) -> list[str]:
    rows = await session.execute(
        sa.select(col(SelectionDirection.direction_code)).where(
            col(SelectionDirection.selection_id) == selection_id
        )
    )
    return list(rows.scalars())


async def choose_direction(
    session: AsyncSession,
    application: Application,
    selection: Selection,
    *,
    code: str,
    actor: str,
    today: date,
) -> None:
    """One sector direction per candidate (rules.md A-09), among those of the selection (cl. 3)."""
    if not editable(application, selection, today):
        raise ApplicationRefused(Refusal.NOT_EDITABLE)
    if code not in await selection_directions(session, selection.id):
        raise ApplicationRefused(Refusal.UNKNOWN_DIRECTION)
    application.direction_code = code
    await session.flush()
    await record(
        session,
        Change(
            "application.direction_chosen",
            "application",
            str(application.id),
            actor,
            application.tenant_id,
            clause="3",
            after={"direction": code},
        ),
    )


async def give_consent(
    session: AsyncSession,
    application: Application,
    selection: Selection,
    *,
    actor: str,
    today: date,
    now: datetime,
) -> None:
    """cl. 9: the current consent text, accepted at this moment."""
    if not editable(application, selection, today):
        raise ApplicationRefused(Refusal.NOT_EDITABLE)
    application.consent_version, application.consent_at = CURRENT_CONSENT, now
    await session.flush()
    await record(
        session,
        Change(
            "application.consent_given",
            "application",
            str(application.id),
            actor,
            application.tenant_id,
            clause="9",
            after={"version": CURRENT_CONSENT},
        ),
    )


async def documents_of(
    session: AsyncSession, application_id: uuid.UUID
) -> dict[DocumentSlot, ApplicationDocument]:
    rows = await session.execute(
        sa.select(ApplicationDocument).where(col(ApplicationDocument.application_id) == application_id)
    )
    return {document.slot: document for document in rows.scalars()}


@dataclass(frozen=True, slots=True)
class Readiness:
    """What still stands between the candidate and submission (the task list reads this too)."""

    refusals: tuple[Refusal, ...]

    @property
    def ready(self) -> bool:
        return not self.refusals


async def readiness(
    session: AsyncSession,
    application: Application,
    selection: Selection,
    eligibility: Eligibility | None,
    today: date,
) -> Readiness:
    refusals: list[Refusal] = []
    if not intake_open(selection, today):
        refusals.append(Refusal.INTAKE_CLOSED)
    if eligibility is None:
        refusals.append(Refusal.PROFILE_INCOMPLETE)
    elif not eligibility.eligible:
        refusals.append(Refusal.NOT_ELIGIBLE)
    if await selection_directions(session, selection.id) and application.direction_code is None:
        refusals.append(Refusal.NO_DIRECTION)
    if len(await documents_of(session, application.id)) < len(DocumentSlot):
        refusals.append(Refusal.DOCUMENTS_MISSING)
    if application.consent_version != CURRENT_CONSENT:
        refusals.append(Refusal.NO_CONSENT)
    return Readiness(tuple(refusals))


async def submit(
    session: AsyncSession,
    application: Application,
    selection: Selection,
    *,
    eligibility: Eligibility | None,
    actor: str,
    today: date,
    now: datetime,
    language: str,
    email: str | None,
    notice: Mapping[str, str],
) -> Application:
    """Submit once (cl. 8): every check passes, a reference is given, the candidate is told.

    Submitting an application that is already submitted changes nothing (a double click, a
    resent form): the caller shows the same confirmation.
    """
    if application.status != ApplicationStatus.DRAFT:
        return application
    state = await readiness(session, application, selection, eligibility, today)
    if not state.ready:
        raise ApplicationRefused(state.refusals[0])
    if eligibility is None:  # readiness() has refused already; this keeps the type checker sure
        raise ApplicationRefused(Refusal.PROFILE_INCOMPLETE)
    application.reference = await next_reference(session, application.tenant_id, today.year)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at, application.reference_date = now, today
    application.language = language
    application.eligibility = snapshot(eligibility)
    await session.flush()
    await record_status(session, application, actor, clause="8")
    await enqueue(
        session,
        template="application_submitted",
        language=language,
        context={**notice, "reference": application.reference, "submitted_at": now.isoformat()},
        recipient=email or None,
        user_id=application.user_id,
        tenant_id=application.tenant_id,
        idempotency_key=f"submitted:{application.id}",
    )
    return application


async def withdraw(
    session: AsyncSession,
    application: Application,
    *,
    actor: str,
    language: str,
    email: str | None,
    notice: Mapping[str, str],
    now: datetime,
) -> None:
    """The candidate leaves the selection (rules.md 3.2: any non-final state; not a cl. 13 ground)."""
    if application.status in FINAL_STATUSES:
        raise ApplicationRefused(Refusal.FINAL)
    application.status = ApplicationStatus.WITHDRAWN
    await session.flush()
    await record_status(session, application, actor)
    await enqueue(
        session,
        template="application_withdrawn",
        language=language,
        context={**notice, "reference": application.reference or "", "withdrawn_at": now.isoformat()},
        recipient=email or None,
        user_id=application.user_id,
        tenant_id=application.tenant_id,
        idempotency_key=f"withdrawn:{application.id}",
    )


__all__ = [
    "ApplicationRefused",
    "Channel",
    "Readiness",
    "Refusal",
    "choose_direction",
    "documents_of",
    "editable",
    "give_consent",
    "intake_open",
    "readiness",
    "start_application",
    "submit",
    "withdraw",
]
