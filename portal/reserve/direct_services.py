"""Enrolment without selection (ch. 2-1, cl. 13-1..13-4; rules.md 1.4, 3.4, A-17, A-18): one
function per step, each in the caller's transaction with one audit event per state change (with
its clause) and the notices to the people concerned, in their language.

- cl. 13-1: an Agency officer uploads the National Commission's approved list
  (portal.reserve.direct_import checks it); a second Agency officer approves it (four eyes);
  its rows become `DirectEnrolmentEntry` rows. Only an IIN on an approved list may file a request.
- cl. 13-2: the listed person chooses one region and files a request by the deadline of
  portal.rules.terms.direct_enrolment_deadline (list approval + 1 year, moved off a non-working
  day). A second request is refused while one stands, or while a chapter 2-1 membership is
  active (A-17); withdrawing a request before the decision frees the choice again.
- cl. 13-3: the request joins the commission's agenda (`requests_ready_for_agenda`,
  `put_on_agenda`); the decision is due by portal.rules.terms.direct_enrolment_decision_due
  (receipt + 1 month, moved off a non-working day); overdue requests are flagged to the chair
  and the Agency (`tracked_requests`, `flag_overdue`). `record_decision` enrols for two years
  from the decision (portal.rules.terms.membership_end, A-10) or refuses with a recorded legal
  reason (A-18).
- cl. 13-4: the membership is outside the quota (`counted_in_quota=False`).

The dates are computed in portal.rules.terms only; this module picks the working-day calendar.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

import sqlalchemy as sa
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.auth.models import RoleAssignment, User
from portal.auth.roles import Role
from portal.core.audit import Change, record
from portal.core.settings import LANGUAGES
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.notifications.models import OutboxMessage
from portal.notifications.services import enqueue
from portal.reserve.direct_import import ListPreview, mark_known, read_list
from portal.reserve.direct_models import (
    STANDING_REQUEST_STATUSES,
    DirectEnrolmentEntry,
    DirectEnrolmentList,
    DirectEnrolmentRequest,
    DirectRequestStatus,
    ListImportStatus,
)
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.reserve.notices import Notice, email_of, localized
from portal.rules.calendar import WorkCalendar
from portal.rules.terms import (
    direct_enrolment_deadline,
    direct_enrolment_decision_due,
    direct_enrolment_request_in_time,
    membership_end,
)
from portal.selections.drafting import calendar_for
from portal.selections.models import SectorDirection
from portal.tenancy.models import Tenant

S = DirectRequestStatus
LIST_OBJECT: Final = "direct_enrolment_list"
REQUEST_OBJECT: Final = "direct_enrolment_request"
#: The clause of ch. 2-1 a direct membership is created under (ReserveMembership.clause).
DIRECT_CLAUSE: Final = "13-3"
#: rules.md R-13-3: escalation "at D-7" before the decision is due.
DUE_SOON_DAYS: Final = 7
CANDIDATE_PAGE: Final = "/me/direct-enrolment"
AGENCY_PAGE: Final = "/agency/direct-enrolment/requests"
_LIST_LIMIT: Final = 500


class DirectRefused(Exception):  # noqa: N818 - a refusal explained to the user
    """A step the Rules or the state do not allow; `field` names the form field to mark."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotListed(Exception):  # noqa: N818 - R-13-1: the action is not offered (403)
    """The person's IIN is on no approved list (cl. 13-1)."""


@dataclass(frozen=True, slots=True)
class Person:
    """The signed-in person filing or withdrawing (from the principal)."""

    user_id: uuid.UUID
    iin: str
    full_name: str


# --- the dates (cl. 13-2, 13-3): portal.rules.terms with the Kazakhstan working-day calendar ---------


def _calendar(first_year: int) -> WorkCalendar:
    """The years a period may end in: its own and the next (a last day rolled past New Year)."""
    return calendar_for((first_year, first_year + 1))


def request_deadline(approved_on: date) -> date:
    """The last day to apply: portal.rules.terms.direct_enrolment_deadline (cl. 13-2)."""
    return direct_enrolment_deadline(approved_on, _calendar(approved_on.year + 1))


def request_in_time(approved_on: date, on: date) -> bool:
    """portal.rules.terms.direct_enrolment_request_in_time (cl. 13-2)."""
    return direct_enrolment_request_in_time(approved_on, on, _calendar(approved_on.year + 1))


def decision_due(received_on: date) -> date:
    """The last day for the decision: portal.rules.terms.direct_enrolment_decision_due (cl. 13-3)."""
    return direct_enrolment_decision_due(received_on, _calendar(received_on.year))


# --- cl. 13-1: the approved lists -------------------------------------------------------------------


async def _known(session: AsyncSession, people: Iterable[str]) -> set[tuple[str, str]]:
    """The (list number, IIN) pairs of these IINs that are already on an approved list."""
    iins = sorted(set(people))
    found: set[tuple[str, str]] = set()
    for start in range(0, len(iins), 500):
        rows = await session.execute(
            sa.select(col(DirectEnrolmentEntry.list_number), col(DirectEnrolmentEntry.iin)).where(
                col(DirectEnrolmentEntry.iin).in_(iins[start : start + 500])
            )
        )
        found.update((number, iin) for number, iin in rows.all())
    return found


async def upload_list(
    session: AsyncSession, *, content: bytes, file_name: str, actor: uuid.UUID, today: date
) -> tuple[ListPreview, DirectEnrolmentList | None]:
    """Check the file (cl. 13-1); when nothing is wrong, keep it waiting for a second Agency officer."""
    preview = read_list(content, file_name, today=today)
    preview = mark_known(preview, await _known(session, (row.iin for row in preview.rows)))
    if not preview.importable:
        return preview, None
    again = await session.execute(
        sa.select(col(DirectEnrolmentList.id)).where(
            col(DirectEnrolmentList.sha256) == preview.sha256,
            col(DirectEnrolmentList.status) != ListImportStatus.DISCARDED,
        )
    )
    if again.first() is not None:
        raise DirectRefused(_("This file has already been uploaded."), "file")
    batch = DirectEnrolmentList(
        file_name=file_name[:160],
        sha256=preview.sha256,
        rows=[
            {"iin": r.iin, "list_number": r.list_number, "approved_on": r.approved_on.isoformat()}
            for r in preview.rows
        ],
        uploaded_by=actor,
    )
    session.add(batch)
    await session.flush()
    await record(
        session,
        Change(
            "direct.list_uploaded",
            LIST_OBJECT,
            str(batch.id),
            str(actor),
            clause="13-1",
            after={"sha256": preview.sha256, "rows": len(preview.rows), "lists": _lists(preview)},
        ),
    )
    return preview, batch


def _lists(preview: ListPreview) -> list[dict[str, Any]]:
    return [{"number": n, "approved_on": d, "rows": c} for n, d, c in preview.summary()]


async def _pending(session: AsyncSession, list_id: uuid.UUID) -> DirectEnrolmentList:
    batch = (
        await session.execute(
            sa.select(DirectEnrolmentList).where(col(DirectEnrolmentList.id) == list_id).with_for_update()
        )
    ).scalar_one_or_none()
    if batch is None:
        raise LookupError(list_id)
    if batch.status != ListImportStatus.PENDING:
        raise DirectRefused(_("This list has already been decided."))
    return batch


async def approve_list(session: AsyncSession, list_id: uuid.UUID, *, actor: uuid.UUID, now: datetime) -> int:
    """The second Agency officer approves (four eyes): the rows become entries (cl. 13-1); how many."""
    batch = await _pending(session, list_id)
    if batch.uploaded_by == actor:
        raise DirectRefused(_("The person who uploaded the list cannot approve it: ask a colleague."))
    rows = [
        (str(r["list_number"]), str(r["iin"]), date.fromisoformat(str(r["approved_on"]))) for r in batch.rows
    ]
    known = await _known(session, (iin for _number, iin, _day in rows))
    if any((number, iin) in known for number, iin, _day in rows):
        raise DirectRefused(
            _("Some rows are already on an approved list: discard this upload and check the file.")
        )
    session.add_all(
        DirectEnrolmentEntry(list_id=batch.id, iin=iin, list_number=number, approved_on=day)
        for number, iin, day in rows
    )
    batch.status, batch.decided_by, batch.decided_at = ListImportStatus.APPROVED, actor, now
    await session.flush()
    await record(
        session,
        Change(
            "direct.list_approved",
            LIST_OBJECT,
            str(batch.id),
            str(actor),
            clause="13-1",
            before={"status": ListImportStatus.PENDING},
            after={"status": batch.status, "sha256": batch.sha256, "rows": len(rows)},
        ),
    )
    return len(rows)


async def discard_list(session: AsyncSession, list_id: uuid.UUID, *, actor: uuid.UUID, now: datetime) -> None:
    """A pending upload is dropped (by its uploader or another Agency officer); nothing was stored."""
    batch = await _pending(session, list_id)
    batch.status, batch.decided_by, batch.decided_at = ListImportStatus.DISCARDED, actor, now
    await session.flush()
    await record(
        session,
        Change(
            "direct.list_discarded",
            LIST_OBJECT,
            str(batch.id),
            str(actor),
            clause="13-1",
            before={"status": ListImportStatus.PENDING},
            after={"status": batch.status, "sha256": batch.sha256},
        ),
    )


async def recent_lists(session: AsyncSession, limit: int = 50) -> Sequence[DirectEnrolmentList]:
    rows = await session.execute(
        sa.select(DirectEnrolmentList).order_by(col(DirectEnrolmentList.uploaded_at).desc()).limit(limit)
    )
    return rows.scalars().all()


# --- notices ----------------------------------------------------------------------------------------

FILED_SUBJECT: Final = N_("Your request for enrolment without selection has been received")
FILED_TEXT: Final = N_(
    "The commission of the region has received your request for enrolment in the regional personnel "
    "reserve without selection on %(received)s. Its decision is due by %(due)s."
)
WITHDRAWN_SUBJECT: Final = N_("Your request for enrolment without selection has been withdrawn")
WITHDRAWN_TEXT: Final = N_(
    "You have withdrawn your request. You may apply to the commission of a region of your choice "
    "until %(deadline)s."
)
ENROLLED_SUBJECT: Final = N_("You have been enrolled in the regional personnel reserve")
ENROLLED_TEXT: Final = N_(
    "The commission has enrolled you in the regional personnel reserve without selection, in addition "
    "to the number set for the selection. You are a member from %(start)s to %(end)s inclusive."
)
REFUSED_SUBJECT: Final = N_("Your request for enrolment without selection has been refused")
REFUSED_TEXT: Final = N_("The commission has refused to enrol you in the regional personnel reserve.")
OVERDUE_SUBJECT: Final = N_("A request for enrolment without selection is overdue")
OVERDUE_TEXT: Final = N_(
    "The commission's decision on a request for enrolment without selection was due by %(due)s "
    "and has not been recorded."
)


def _day(day: date, language: str) -> str:
    return str(format_date(day, "d MMMM y", locale=language))


async def _region(session: AsyncSession, tenant_id: str) -> Tenant | None:
    return await session.get(Tenant, tenant_id)


def _region_names(tenant: Tenant | None, tenant_id: str) -> dict[str, str] | str:
    return {lang: tenant.name(lang) for lang in LANGUAGES} if tenant is not None else tenant_id


def _filed_key(request: DirectEnrolmentRequest) -> str:
    return f"direct:{request.id}:filed"


async def _language(session: AsyncSession, request: DirectEnrolmentRequest) -> str:
    """The language the person filed in (their receipt's); Kazakh when unknown (rules.md A-32)."""
    row = await session.execute(
        sa.select(col(OutboxMessage.language)).where(
            col(OutboxMessage.idempotency_key) == _filed_key(request)
        )
    )
    language = row.scalar_one_or_none()
    return language if language in LANGUAGES else "kk"


async def _tell_person(
    session: AsyncSession,
    request: DirectEnrolmentRequest,
    notice: Notice,
    *,
    event: str,
    language: str,
    now: datetime,
    base_url: str,
) -> None:
    await enqueue(
        session,
        template="reserve_notice",
        language=language if language in LANGUAGES else "kk",
        context={
            "subject": notice.subject,
            "message": notice.message,
            "url": f"{base_url.rstrip('/')}{notice.path}",
            "region": _region_names(await _region(session, request.tenant_id), request.tenant_id),
            "reason": notice.reason,
            "clause": notice.clause,
            "at": now.isoformat(),
        },
        recipient=await email_of(session, request.user_id),
        user_id=request.user_id,
        tenant_id=request.tenant_id,
        idempotency_key=f"direct:{request.id}:{event}",
        now=now,
    )


# --- cl. 13-1, 13-2: the offer and the request --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Offer:
    """What a listed person is offered (cl. 13-1) and how their requests stand (cl. 13-2)."""

    entry: DirectEnrolmentEntry
    deadline: date
    open: bool
    requests: Sequence[DirectEnrolmentRequest]
    #: A chapter 2-1 membership in force (A-17: no second region meanwhile).
    membership: ReserveMembership | None

    @property
    def standing(self) -> DirectEnrolmentRequest | None:
        return next((r for r in self.requests if r.status in STANDING_REQUEST_STATUSES), None)

    @property
    def may_file(self) -> bool:
        return self.open and self.standing is None and self.membership is None


async def _entry(session: AsyncSession, iin: str) -> DirectEnrolmentEntry | None:
    """The person's entry with the latest approval date (the longest window, cl. 13-2)."""
    row = await session.execute(
        sa.select(DirectEnrolmentEntry)
        .where(col(DirectEnrolmentEntry.iin) == iin)
        .order_by(col(DirectEnrolmentEntry.approved_on).desc(), col(DirectEnrolmentEntry.created_at).desc())
        .limit(1)
    )
    return row.scalar_one_or_none()


async def _direct_membership(session: AsyncSession, iin: str, today: date) -> ReserveMembership | None:
    row = await session.execute(
        sa.select(ReserveMembership)
        .where(
            col(ReserveMembership.candidate_iin) == iin,
            col(ReserveMembership.clause) == DIRECT_CLAUSE,
            col(ReserveMembership.status) == MembershipStatus.ACTIVE,
            col(ReserveMembership.ends_on) >= today,
        )
        .limit(1)
    )
    return row.scalar_one_or_none()


async def offer_for(session: AsyncSession, iin: str, today: date) -> Offer | None:
    """The person's offer, or None when their IIN is on no approved list (cl. 13-1)."""
    entry = await _entry(session, iin)
    if entry is None:
        return None
    requests = await session.execute(
        sa.select(DirectEnrolmentRequest)
        .where(col(DirectEnrolmentRequest.iin) == iin)
        .order_by(col(DirectEnrolmentRequest.filed_at).desc(), col(DirectEnrolmentRequest.id).desc())
    )
    return Offer(
        entry=entry,
        deadline=request_deadline(entry.approved_on),
        open=request_in_time(entry.approved_on, today),
        requests=requests.scalars().all(),
        membership=await _direct_membership(session, iin, today),
    )


async def _check_choice(session: AsyncSession, tenant_id: str, direction_code: str | None) -> None:
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None or not tenant.active:
        raise DirectRefused(_("Choose the region whose commission you apply to."), "region")
    if direction_code is not None:
        direction = await session.get(SectorDirection, direction_code)
        if direction is None or not direction.active:
            raise DirectRefused(_("Choose one of the options."), "direction")


async def file_request(
    session: AsyncSession,
    person: Person,
    *,
    tenant_id: str,
    direction_code: str | None,
    language: str,
    today: date,
    now: datetime,
    base_url: str,
) -> DirectEnrolmentRequest:
    """The listed person applies to the commission of the region they chose (cl. 13-1, 13-2)."""
    # Lock the person's entries: two requests at once wait for each other (PostgreSQL).
    entries = await session.execute(
        sa.select(col(DirectEnrolmentEntry.id))
        .where(col(DirectEnrolmentEntry.iin) == person.iin)
        .with_for_update()
    )
    if not entries.first():
        raise NotListed()
    offer = await offer_for(session, person.iin, today)
    if offer is None:  # pragma: no cover - the entry was just read
        raise NotListed()
    await _check_choice(session, tenant_id, direction_code)
    if (standing := offer.standing) is not None:
        region = _region_names(await _region(session, standing.tenant_id), standing.tenant_id)
        name = region.get(language, standing.tenant_id) if isinstance(region, dict) else region
        raise DirectRefused(
            _(
                "You already have a request to the commission of %(region)s. A request to another region "
                "is possible only after that one is decided or withdrawn (clause 13-2).",
                region=name,
            ),
            "region",
        )
    if offer.membership is not None:
        raise DirectRefused(
            _("You are already a member of a regional reserve enrolled without selection (clause 13-2).")
        )
    if not offer.open:
        raise DirectRefused(
            _(
                "The time to apply ended on %(date)s: one year from the approval of the list (clause 13-2).",
                date=_day(offer.deadline, language),
            )
        )
    request = DirectEnrolmentRequest(
        tenant_id=tenant_id,
        entry_id=offer.entry.id,
        user_id=person.user_id,
        iin=person.iin,
        candidate_name=person.full_name,
        direction_code=direction_code,
        filed_at=now,
        received_on=today,
        deadline=offer.deadline,
        decision_due=decision_due(today),
    )
    session.add(request)
    await session.flush()
    await record(
        session,
        Change(
            "direct.request_filed",
            REQUEST_OBJECT,
            str(request.id),
            str(person.user_id),
            tenant_id,
            clause="13-2",
            after={
                "status": request.status,
                "list_number": offer.entry.list_number,
                "list_approved_on": offer.entry.approved_on,
                "received_on": request.received_on,
                "deadline": request.deadline,
                "decision_due": request.decision_due,
            },
        ),
    )
    text = localized(FILED_TEXT, received=request.received_on, due=request.decision_due)
    notice = Notice(FILED_SUBJECT, text, CANDIDATE_PAGE, "13-2")
    await _tell_person(session, request, notice, event="filed", language=language, now=now, base_url=base_url)
    return request


async def withdraw_request(
    session: AsyncSession, person: Person, request_id: uuid.UUID, *, now: datetime, base_url: str
) -> DirectEnrolmentRequest:
    """The person withdraws a standing request before the decision (A-17: the choice is free again)."""
    request = (
        await session.execute(
            sa.select(DirectEnrolmentRequest)
            .where(
                col(DirectEnrolmentRequest.id) == request_id, col(DirectEnrolmentRequest.iin) == person.iin
            )
            .with_for_update()
        )
    ).scalar_one_or_none()
    if request is None:
        raise LookupError(request_id)
    if request.status not in STANDING_REQUEST_STATUSES:
        raise DirectRefused(_("The request has already been decided or withdrawn."))
    before = request.status
    request.status, request.withdrawn_at = S.WITHDRAWN, now
    await session.flush()
    await record(
        session,
        Change(
            "direct.request_withdrawn",
            REQUEST_OBJECT,
            str(request.id),
            str(person.user_id),
            request.tenant_id,
            clause="13-2",
            before={"status": before},
            after={"status": request.status},
        ),
    )
    notice = Notice(
        WITHDRAWN_SUBJECT, localized(WITHDRAWN_TEXT, deadline=request.deadline), CANDIDATE_PAGE, "13-2"
    )
    language = await _language(session, request)
    await _tell_person(
        session, request, notice, event="withdrawn", language=language, now=now, base_url=base_url
    )
    return request


# --- cl. 13-3, 13-4: the commission's agenda and decision ----------------------------------------------


async def requests_ready_for_agenda(session: AsyncSession, tenant_id: str) -> list[DirectEnrolmentRequest]:
    """The region's requests waiting for the commission's decision (cl. 13-3, A-RC-4(8)), earliest due first.

    Every standing request (submitted or already on an agenda): the commission's agenda builder
    leaves out those on a meeting that is not closed, and offers again one whose item ended
    without quorum.
    """
    rows = await session.execute(
        sa.select(DirectEnrolmentRequest)
        .where(
            col(DirectEnrolmentRequest.tenant_id) == tenant_id,
            col(DirectEnrolmentRequest.status).in_(tuple(STANDING_REQUEST_STATUSES)),
        )
        .order_by(col(DirectEnrolmentRequest.decision_due), col(DirectEnrolmentRequest.filed_at))
    )
    return list(rows.scalars())


async def _locked(session: AsyncSession, request: DirectEnrolmentRequest) -> DirectEnrolmentRequest:
    """The request re-read under a row lock (two decisions at once wait for each other)."""
    row = await session.execute(
        sa.select(DirectEnrolmentRequest)
        .where(col(DirectEnrolmentRequest.id) == request.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return row.scalar_one()


async def put_on_agenda(
    session: AsyncSession, request: DirectEnrolmentRequest, *, item_id: uuid.UUID, actor: uuid.UUID
) -> None:
    """The request is an item of a meeting's agenda (cl. 13-3): status "on the agenda"."""
    request = await _locked(session, request)
    if request.status not in STANDING_REQUEST_STATUSES:
        raise DirectRefused(_("The request has already been decided or withdrawn."))
    before = request.status
    request.status, request.agenda_item_id = S.ON_AGENDA, item_id
    await session.flush()
    await record(
        session,
        Change(
            "direct.request_on_agenda",
            REQUEST_OBJECT,
            str(request.id),
            str(actor),
            request.tenant_id,
            clause="13-3",
            before={"status": before},
            after={"status": request.status, "agenda_item": item_id},
        ),
    )


async def record_decision(
    session: AsyncSession,
    request: DirectEnrolmentRequest,
    *,
    enrol: bool,
    actor: uuid.UUID,
    decided_on: date,
    now: datetime,
    base_url: str,
    meeting_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
    refusal_reason: str = "",
) -> ReserveMembership | None:
    """The commission's decision on a request (cl. 13-3): enrolled for two years from `decided_on`
    (portal.rules.terms.membership_end, A-10), outside the quota (cl. 13-4), or refused with a
    recorded legal reason (A-18). Returns the membership, or None for a refusal."""
    request = await _locked(session, request)
    if request.status not in STANDING_REQUEST_STATUSES:
        raise DirectRefused(_("The request has already been decided or withdrawn."))
    reason = refusal_reason.strip()
    if not enrol and not reason:
        raise DirectRefused(_("A refusal needs its recorded legal reason."), "reason")
    before = request.status
    late = decided_on > request.decision_due
    membership: ReserveMembership | None = None
    if enrol:
        membership = ReserveMembership(
            tenant_id=request.tenant_id,
            user_id=request.user_id,
            candidate_iin=request.iin,
            candidate_name=request.candidate_name,
            direction_code=request.direction_code,
            decision_item_id=item_id,
            meeting_id=meeting_id,
            clause=DIRECT_CLAUSE,
            starts_on=decided_on,
            ends_on=membership_end(decided_on),
            status=MembershipStatus.ACTIVE,
            counted_in_quota=False,  # cl. 13-4: in addition to the number set under cl. 3
        )
        session.add(membership)
        await session.flush()
        request.status, request.membership_id = S.ENROLLED, membership.id
    else:
        request.status, request.refusal_reason = S.REFUSED, reason
    request.decided_at = now
    request.agenda_item_id = item_id or request.agenda_item_id
    await session.flush()
    await record(
        session,
        Change(
            "direct.request_decided",
            REQUEST_OBJECT,
            str(request.id),
            str(actor),
            request.tenant_id,
            clause="13-3",
            before={"status": before},
            after={
                "status": request.status,
                "decided_on": decided_on,
                "decision_due": request.decision_due,
                "late": late,
                "meeting": meeting_id,
                "agenda_item": item_id,
                "reason": reason or None,
            },
        ),
    )
    language = await _language(session, request)
    if membership is None:
        notice = Notice(REFUSED_SUBJECT, REFUSED_TEXT, CANDIDATE_PAGE, "13-3", reason)
        await _tell_person(
            session, request, notice, event="decided", language=language, now=now, base_url=base_url
        )
        return None
    await record(
        session,
        Change(
            "reserve.membership_created",
            "reserve_membership",
            str(membership.id),
            str(actor),
            membership.tenant_id,
            clause="13-4",
            after={
                "basis": "ch2-1",
                "request": request.id,
                "starts_on": membership.starts_on,
                "ends_on": membership.ends_on,
                "counted_in_quota": False,
            },
        ),
    )
    text = localized(ENROLLED_TEXT, start=membership.starts_on, end=membership.ends_on)
    await _tell_person(
        session,
        request,
        Notice(ENROLLED_SUBJECT, text, CANDIDATE_PAGE, "13-3"),
        event="decided",
        language=language,
        now=now,
        base_url=base_url,
    )
    return membership


# --- cl. 13-3: following the requests, and flagging the overdue ones ----------------------------------


@dataclass(frozen=True, slots=True)
class Tracked:
    """A request as the chair, the secretary and the Agency follow it (cl. 13-3)."""

    request: DirectEnrolmentRequest
    today: date

    @property
    def standing(self) -> bool:
        return self.request.status in STANDING_REQUEST_STATUSES

    @property
    def overdue(self) -> bool:
        """No decision by the due date (rules.md 3.4: Registered -> Overdue)."""
        return self.standing and self.today > self.request.decision_due

    @property
    def days_left(self) -> int:
        return (self.request.decision_due - self.today).days

    @property
    def due_soon(self) -> bool:
        """rules.md R-13-3: escalation at D-7."""
        return self.standing and 0 <= self.days_left <= DUE_SOON_DAYS


async def tracked_requests(
    session: AsyncSession, *, tenant_id: str | None, today: date, decided: int = 50
) -> tuple[list[Tracked], list[Tracked]]:
    """(standing requests, earliest due first; the latest decided or withdrawn) of one region, or of
    every region for tenant_id None (the Agency, rules.md 2.3.2)."""
    where = [] if tenant_id is None else [col(DirectEnrolmentRequest.tenant_id) == tenant_id]
    standing = await session.execute(
        sa.select(DirectEnrolmentRequest)
        .where(*where, col(DirectEnrolmentRequest.status).in_(tuple(STANDING_REQUEST_STATUSES)))
        .order_by(col(DirectEnrolmentRequest.decision_due), col(DirectEnrolmentRequest.filed_at))
        .limit(_LIST_LIMIT)
    )
    closed = await session.execute(
        sa.select(DirectEnrolmentRequest)
        .where(*where, col(DirectEnrolmentRequest.status).not_in(tuple(STANDING_REQUEST_STATUSES)))
        .order_by(col(DirectEnrolmentRequest.filed_at).desc())
        .limit(decided)
    )
    return (
        [Tracked(r, today) for r in standing.scalars()],
        [Tracked(r, today) for r in closed.scalars()],
    )


async def _holders(session: AsyncSession, role: Role, tenant_id: str | None, today: date) -> list[uuid.UUID]:
    """The users holding a role today in a region (or centrally), who have signed in once."""
    place = (
        col(RoleAssignment.tenant_id).is_(None)
        if tenant_id is None
        else col(RoleAssignment.tenant_id) == tenant_id
    )
    rows = await session.execute(
        sa.select(RoleAssignment, col(User.id))
        .join(User, col(User.iin) == col(RoleAssignment.iin))
        .where(place, col(RoleAssignment.role) == role, col(RoleAssignment.revoked_at).is_(None))
    )
    return sorted({user_id for assignment, user_id in rows.all() if assignment.in_force_on(today)})


async def flag_overdue(
    session: AsyncSession, *, today: date, now: datetime, base_url: str, language: str = "kk"
) -> int:
    """Flag every request whose decision is overdue (cl. 13-3) to the region's commission chair and
    to the Agency's officers, once; returns how many were flagged. Safe to run twice at once: the
    flag is set by a conditional update, and only the run that set it sends the notices."""
    due = await session.execute(
        sa.select(DirectEnrolmentRequest).where(
            col(DirectEnrolmentRequest.status).in_(tuple(STANDING_REQUEST_STATUSES)),
            col(DirectEnrolmentRequest.decision_due) < today,
            col(DirectEnrolmentRequest.overdue_flagged_at).is_(None),
        )
    )
    agency = await _holders(session, Role.AGENCY_OFFICER, None, today)
    flagged = 0
    for request in list(due.scalars()):
        claimed = await session.execute(
            sa.update(DirectEnrolmentRequest)
            .where(
                col(DirectEnrolmentRequest.id) == request.id,
                col(DirectEnrolmentRequest.overdue_flagged_at).is_(None),
            )
            .values(overdue_flagged_at=now)
            .returning(col(DirectEnrolmentRequest.id))
        )
        if claimed.first() is None:
            continue  # another run flagged it
        flagged += 1
        await record(
            session,
            Change(
                "direct.request_overdue",
                REQUEST_OBJECT,
                str(request.id),
                "system",
                request.tenant_id,
                clause="13-3",
                after={"decision_due": request.decision_due, "flagged_on": today},
            ),
        )
        tenant = await _region(session, request.tenant_id)
        slug = tenant.slug if tenant is not None else request.tenant_id
        chairs = await _holders(session, Role.COMMISSION_CHAIR, request.tenant_id, today)
        for user_id, path in [
            *((u, f"/{slug}/commission/direct-requests") for u in chairs),
            *((u, AGENCY_PAGE) for u in agency),
        ]:
            await enqueue(
                session,
                template="reserve_notice",
                language=language,
                context={
                    "subject": OVERDUE_SUBJECT,
                    "message": localized(OVERDUE_TEXT, due=request.decision_due),
                    "url": f"{base_url.rstrip('/')}{path}",
                    "region": _region_names(tenant, request.tenant_id),
                    "clause": "13-3",
                    "at": now.isoformat(),
                },
                recipient=await email_of(session, user_id),
                user_id=user_id,
                tenant_id=request.tenant_id,
                idempotency_key=f"direct:{request.id}:overdue:{user_id}",
                now=now,
            )
    return flagged
