"""Stage 4 (cl. 6(4)): the structured interview's schedule, the candidates' invitations, attendance
and no-shows (rules.md A-13), and force-majeure reschedules.

Who: the commission's secretary (Permission.RUN_MEETING) schedules, records attendance and records
the commission's reschedule decisions: the interview is held at the commission (cl. 6(4)), and
rules.md 2.2 gives the secretary the recording of the interview; the territorial unit's part ends
with the cl. 11 checks. The territorial unit and the secretary read the schedule (DRAFT_SELECTION).

Only a candidate at the interview stage whose every cl. 11 check is clear can be given a time
(R-6(4), portal.rules.vetting.cl11_may_schedule_interview). Each slot has a pseudonym ("C-07")
drawn at random among the free numbers of the selection: never derived from the name, the IIN,
the reference or the order of the list; observers (cl. 12) know the candidates by it only.

A no-show is recorded as absent: the candidate stays in the selection and ranks below everyone
present (A-13). The commission may reschedule on proven force majeure before the stage ends, by a
recorded decision (reason and minutes). Every change is one audit event with clause 6(4), one
history event the candidate sees, and (but for attendance) a message in the candidate's language.
"""

import random
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_datetime
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationEvent, ApplicationStatus, CandidateProfile
from portal.applications.queries import titles_of
from portal.core.audit import Change, record
from portal.core.settings import LANGUAGES
from portal.i18n import N_, gettext_in, ngettext
from portal.i18n import gettext as _
from portal.notifications.services import enqueue
from portal.rules.calendar import WorkCalendar
from portal.rules.vetting import Conclusion, cl11_conclusion, cl11_may_schedule_interview
from portal.selections.drafting import TransitionRefused, calendar_for
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import InterviewSlot, SlotStatus, VettingCheck

CLAUSE = "6(4)"
PSEUDONYM_PREFIX = "C-"
#: The longest and shortest interview a generated schedule gives each candidate, in minutes.
MINUTES_RANGE = (10, 240)
INVITED_TEXT = N_("Invited to the structured interview")
RESCHEDULED_TEXT = N_("The structured interview has been rescheduled")
NO_SHOW_TEXT = N_("Recorded as absent from the structured interview")
NEXT_STEP = N_("Come at the time and to the place given, with your identity document.")
NO_SHOW_NEXT = N_(
    "Without an interview result you rank below every candidate who attended (clause 10). If a proven "
    "force majeure kept you away, tell the commission's secretary before the interview stage ends."
)
WHEN_AND_WHERE = N_("Time: %(time)s (Astana time). Place: %(place)s.")
RESCHEDULE_REASON = N_("Reason: %(reason)s (commission's decision, minutes %(protocol)s).")
HISTORY_TEXTS: dict[str, str] = {
    "scheduled": N_("Invited to the structured interview: see the time and place above."),
    "rescheduled": N_("The interview was rescheduled by the commission's decision (force majeure)."),
    "no_show": N_("Did not attend the interview: recorded as absent."),
    "attended": N_("Attended the interview."),
}
CONCLUSION_LABELS: dict[Conclusion, str] = {
    Conclusion.PENDING: N_("Checks pending"),
    Conclusion.CLEARED: N_("Cleared"),
    Conclusion.NON_COMPLIANT: N_("Non-compliant (clause 13(3))"),
}
SLOT_LABELS: dict[SlotStatus, str] = {
    SlotStatus.INVITED: N_("Invited"),
    SlotStatus.ATTENDED: N_("Attended"),
    SlotStatus.NO_SHOW: N_("Absent (no-show)"),
}


# --- pure decisions ---------------------------------------------------------------------------------


def slot_times(
    calendar: WorkCalendar, first: datetime, *, count: int, minutes: int, day_end: time
) -> list[datetime]:
    """The start of each of `count` interviews from `first` (a local time), `minutes` apart, on
    working days only (rules.md 5.3): a slot that would end after `day_end` moves to the next
    working day at the first slot's time of day."""
    if not calendar.is_working_day(first.date()):
        raise TransitionRefused(_("The first day of the interviews must be a working day."))
    length = timedelta(minutes=minutes)

    def fits(start: datetime) -> bool:
        end = start + length
        return end.date() == start.date() and end.time() <= day_end

    if not fits(first):
        raise TransitionRefused(_("The first interview must end before the end of the day."))
    times: list[datetime] = []
    current = first
    for _index in range(count):
        if not fits(current):
            day = calendar.roll_forward(current.date() + timedelta(days=1))
            current = datetime.combine(day, first.timetz())
        times.append(current)
        current += length
    return times


def _number(pseudonym: str) -> int | None:
    digits = pseudonym.removeprefix(PSEUDONYM_PREFIX)
    return int(digits) if digits.isdigit() else None


def pseudonyms(used: Iterable[str], count: int, *, pool: int, rng: random.Random | None = None) -> list[str]:
    """`count` new pseudonyms ("C-07"), drawn at random among the numbers 1..pool not yet used.

    The pool grows when too small, so there is always room; the draw is random (cl. 12: nothing in
    the number says who the candidate is or where they are in any list).
    """
    taken = {n for n in (_number(p) for p in used) if n is not None}
    size = max(pool, len(taken) + count)
    free = [n for n in range(1, size + 1) if n not in taken]
    chosen = (rng or secrets.SystemRandom()).sample(free, count)
    return [f"{PSEUDONYM_PREFIX}{n:02d}" for n in chosen]


def may_mark_attendance(slot: InterviewSlot, now: datetime) -> bool:
    """Attendance is known once the interview's time has come (A-13)."""
    return now >= slot.starts_at


# --- reading ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate of the interview stage, as the secretary sees them."""

    application: Application
    conclusion: Conclusion
    slot: InterviewSlot | None
    #: The slot's start in the portal's time zone.
    starts_at: datetime | None


@dataclass(frozen=True, slots=True)
class PublicSlot:
    """What an observer sees of one interview: the pseudonym, the time, the place; nobody's name."""

    pseudonym: str
    starts_at: datetime
    place: str


async def conclusions(
    session: AsyncSession, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Conclusion]:
    """Cl. 11: each candidate's conclusion from their recorded checks (no row counts as pending)."""
    rows = await session.execute(
        sa.select(col(VettingCheck.application_id), col(VettingCheck.item), col(VettingCheck.status)).where(
            col(VettingCheck.application_id).in_(application_ids)
        )
    )
    statuses: dict[uuid.UUID, dict[str, str]] = {i: {} for i in application_ids}
    for application_id, item, status in rows.all():
        statuses[application_id][item] = str(status)
    return {i: cl11_conclusion(found) for i, found in statuses.items()}


async def slots_of(session: AsyncSession, selection: Selection) -> list[InterviewSlot]:
    rows = await session.execute(
        sa.select(InterviewSlot)
        .where(
            col(InterviewSlot.selection_id) == selection.id,
            col(InterviewSlot.tenant_id) == selection.tenant_id,
        )
        .order_by(col(InterviewSlot.starts_at), col(InterviewSlot.pseudonym))
    )
    return list(rows.scalars())


async def candidates(session: AsyncSession, selection: Selection, zone: ZoneInfo) -> list[Candidate]:
    """Everyone at the interview stage, and everyone who has a slot, by reference."""
    slots = {slot.application_id: slot for slot in await slots_of(session, selection)}
    rows = await session.execute(
        sa.select(Application)
        .where(
            col(Application.selection_id) == selection.id,
            col(Application.tenant_id) == selection.tenant_id,
            sa.or_(col(Application.status) == ApplicationStatus.IN_INTERVIEW, col(Application.id).in_(slots)),
        )
        .order_by(col(Application.reference), col(Application.id))
    )
    applications = list(rows.scalars())
    found = await conclusions(session, [a.id for a in applications])
    return [
        Candidate(
            a, found[a.id], slots.get(a.id), _local(slots[a.id].starts_at, zone) if a.id in slots else None
        )
        for a in applications
    ]


def blockers_of(people: Sequence[Candidate], now: datetime) -> list[str]:
    """What stands between the interview stage and the commission's consideration (rules.md 3.1)."""
    waiting = [c for c in people if c.application.status == ApplicationStatus.IN_INTERVIEW]
    unscheduled = sum(1 for c in waiting if c.slot is None)
    invited = [c.slot for c in waiting if c.slot is not None and c.slot.status == SlotStatus.INVITED]
    unrecorded = sum(1 for slot in invited if may_mark_attendance(slot, now))
    found = []
    if unscheduled:
        found.append(
            ngettext(
                "%(num)s candidate has no interview time yet (clause 6(4)).",
                "%(num)s candidates have no interview time yet (clause 6(4)).",
                unscheduled,
            )
        )
    if len(invited) > unrecorded:
        found.append(
            ngettext(
                "%(num)s interview is still to be held.",
                "%(num)s interviews are still to be held.",
                len(invited) - unrecorded,
            )
        )
    if unrecorded:
        found.append(
            ngettext(
                "Attendance is not recorded for %(num)s interview already held.",
                "Attendance is not recorded for %(num)s interviews already held.",
                unrecorded,
            )
        )
    return found


async def blockers(session: AsyncSession, selection: Selection, now: datetime) -> list[str]:
    if selection.status != SelectionStatus.INTERVIEW:
        return []
    return blockers_of(await candidates(session, selection, ZoneInfo("UTC")), now)


async def public_schedule(session: AsyncSession, selection: Selection, zone: ZoneInfo) -> list[PublicSlot]:
    """The schedule for observers (cl. 12): pseudonyms, times and places only."""
    rows = await session.execute(
        sa.select(col(InterviewSlot.pseudonym), col(InterviewSlot.starts_at), col(InterviewSlot.place))
        .where(
            col(InterviewSlot.selection_id) == selection.id,
            col(InterviewSlot.tenant_id) == selection.tenant_id,
        )
        .order_by(col(InterviewSlot.starts_at), col(InterviewSlot.pseudonym))
    )
    return [PublicSlot(pseudonym, _local(at, zone), place) for pseudonym, at, place in rows.all()]


@dataclass(frozen=True, slots=True)
class CandidateInterview:
    """The candidate's own interview, for their application page."""

    starts_at: datetime
    place: str
    status: SlotStatus


async def candidate_interview(
    session: AsyncSession, application_id: uuid.UUID, timezone: str
) -> CandidateInterview | None:
    slot = (
        await session.execute(
            sa.select(InterviewSlot).where(col(InterviewSlot.application_id) == application_id)
        )
    ).scalar_one_or_none()
    if slot is None:
        return None
    return CandidateInterview(_local(slot.starts_at, ZoneInfo(timezone)), slot.place, slot.status)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


async def emails_of(session: AsyncSession, selection: Selection) -> dict[uuid.UUID, str]:
    """The e-mail addresses of the selection's candidates at the interview stage (user id -> address)."""
    rows = await session.execute(
        sa.select(col(Application.user_id), col(CandidateProfile.email))
        .join(CandidateProfile, col(CandidateProfile.user_id) == col(Application.user_id))
        .where(
            col(Application.selection_id) == selection.id,
            col(Application.status) == ApplicationStatus.IN_INTERVIEW,
        )
    )
    return {user_id: email for user_id, email in rows.all() if email and user_id is not None}


# --- changes ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Letterhead:
    """What every message about the interview names, in each language."""

    title: dict[str, str]
    region: dict[str, str]
    base_url: str


async def letterhead(
    session: AsyncSession, selection: Selection, region: Mapping[str, str], base_url: str
) -> Letterhead:
    titles = {
        lang: (await titles_of(session, {selection.id}, lang)).get(selection.id, "") for lang in LANGUAGES
    }
    return Letterhead({k: v or selection.reference for k, v in titles.items()}, dict(region), base_url)


@dataclass(frozen=True, slots=True)
class Act:
    """Who changes the schedule and when; how the candidates are written to."""

    actor: uuid.UUID
    now: datetime
    zone: ZoneInfo
    letterhead: Letterhead
    #: user id -> e-mail address
    emails: Mapping[uuid.UUID, str]


def _at_interview_stage(selection: Selection) -> None:
    if selection.status != SelectionStatus.INTERVIEW:
        raise TransitionRefused(_("The selection is not at the interview stage."))


def _check_time(starts_at: datetime, act: Act) -> None:
    local = _local(starts_at, act.zone)
    if starts_at <= act.now:
        raise TransitionRefused(_("The interview time must be in the future."))
    if not calendar_for((local.year, local.year + 1)).is_working_day(local.date()):
        raise TransitionRefused(_("%(day)s is not a working day.", day=local.date().isoformat()))


def _check_candidate(application: Application, selection: Selection, conclusion: Conclusion) -> None:
    """R-6(4): only a candidate at the interview stage, cleared by the cl. 11 check."""
    reference = application.reference or ""
    if application.selection_id != selection.id or application.status != ApplicationStatus.IN_INTERVIEW:
        raise TransitionRefused(_("%(ref)s is not at the interview stage.", ref=reference))
    if not cl11_may_schedule_interview(conclusion):
        raise TransitionRefused(
            _(
                "%(ref)s has not been cleared by the checks of clause 11: the interview cannot be scheduled.",
                ref=reference,
            )
        )


async def _history(
    session: AsyncSession,
    application: Application,
    slot: InterviewSlot,
    act: Act,
    *,
    change: str,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """The candidate's history event and the audit event of one change to their interview."""
    session.add(
        ApplicationEvent(
            application_id=application.id,
            tenant_id=application.tenant_id,
            status=application.status,
            clause=CLAUSE,
            reason=HISTORY_TEXTS[change],
        )
    )
    await record(
        session,
        Change(
            f"interview.{change}",
            "application",
            str(application.id),
            str(act.actor),
            application.tenant_id,
            clause=CLAUSE,
            after={
                "pseudonym": slot.pseudonym,
                "starts_at": slot.starts_at,
                "place": slot.place,
                "status": slot.status,
                **(extra or {}),
            },
        ),
    )


async def _tell(
    session: AsyncSession,
    application: Application,
    slot: InterviewSlot,
    act: Act,
    *,
    decision: str,
    reason: str,
    next_step: str,
    key: str,
) -> None:
    """The candidate's message, in their language; a paper candidate without an account is told by
    the territorial unit."""
    if application.user_id is None:
        return
    language = application.language
    when = format_datetime(_local(slot.starts_at, act.zone), "d MMMM y, HH:mm", locale=language)
    text = gettext_in(language, WHEN_AND_WHERE, time=when, place=slot.place)
    head = act.letterhead
    await enqueue(
        session,
        template="application_decision",
        language=language,
        context={
            "reference": application.reference or "",
            "selection_title": head.title,
            "region": head.region,
            "tracker_url": f"{head.base_url.rstrip('/')}/me/applications/{application.id}",
            "decision": decision,
            "clause": CLAUSE,
            "reason": f"{text} {reason}".strip(),
            "next_step": next_step,
            "decided_at": act.now.isoformat(),
        },
        recipient=act.emails.get(application.user_id),
        user_id=application.user_id,
        tenant_id=application.tenant_id,
        idempotency_key=f"interview:{slot.id}:{key}",
    )


async def _used_pseudonyms(session: AsyncSession, selection: Selection) -> list[str]:
    rows = await session.execute(
        sa.select(col(InterviewSlot.pseudonym)).where(col(InterviewSlot.selection_id) == selection.id)
    )
    return list(rows.scalars())


async def _in_interview_count(session: AsyncSession, selection: Selection) -> int:
    total = await session.execute(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(
            col(Application.selection_id) == selection.id,
            col(Application.status) == ApplicationStatus.IN_INTERVIEW,
        )
    )
    return int(total.scalar_one())


async def _place_slot(
    session: AsyncSession,
    selection: Selection,
    application: Application,
    act: Act,
    *,
    starts_at: datetime,
    place: str,
    pseudonym: str,
) -> InterviewSlot:
    slot = InterviewSlot(
        tenant_id=selection.tenant_id,
        selection_id=selection.id,
        application_id=application.id,
        pseudonym=pseudonym,
        starts_at=starts_at,
        place=place,
    )
    session.add(slot)
    await session.flush()
    await _history(session, application, slot, act, change="scheduled")
    await _tell(
        session,
        application,
        slot,
        act,
        decision=INVITED_TEXT,
        reason="",
        next_step=NEXT_STEP,
        key=f"at:{starts_at.astimezone(UTC).isoformat()}",
    )
    return slot


async def _has_slot(session: AsyncSession, application: Application) -> bool:
    found = await session.execute(
        sa.select(col(InterviewSlot.id)).where(col(InterviewSlot.application_id) == application.id)
    )
    return found.first() is not None


async def schedule_one(
    session: AsyncSession,
    selection: Selection,
    application: Application,
    act: Act,
    *,
    starts_at: datetime,
    place: str,
) -> InterviewSlot:
    """One candidate's interview time and place (cl. 6(4)); the candidate is invited."""
    _at_interview_stage(selection)
    _check_candidate(application, selection, (await conclusions(session, [application.id]))[application.id])
    if await _has_slot(session, application):
        raise TransitionRefused(
            _(
                "%(ref)s already has an interview time: reschedule it instead.",
                ref=application.reference or "",
            )
        )
    _check_time(starts_at, act)
    if not place.strip():
        raise TransitionRefused(_("Give the place of the interview."))
    pool = await _in_interview_count(session, selection)
    (pseudonym,) = pseudonyms(await _used_pseudonyms(session, selection), 1, pool=pool)
    return await _place_slot(
        session, selection, application, act, starts_at=starts_at, place=place.strip(), pseudonym=pseudonym
    )


@dataclass(frozen=True, slots=True)
class Generated:
    """What a generated schedule did: the new slots, and the candidates left out (not cleared)."""

    slots: list[InterviewSlot]
    not_cleared: list[str]


async def generate(
    session: AsyncSession,
    selection: Selection,
    act: Act,
    *,
    first: datetime,
    minutes: int,
    day_end: time,
    place: str,
) -> Generated:
    """A slot for every cleared candidate without one, by reference, on working days (cl. 6(4), R-6(4)).

    `first` is a local time in `act.zone`. Candidates whose cl. 11 check is not clear are not given
    a time and are named in the result.
    """
    _at_interview_stage(selection)
    if not MINUTES_RANGE[0] <= minutes <= MINUTES_RANGE[1]:
        raise TransitionRefused(
            _(
                "Give each interview between %(low)s and %(high)s minutes.",
                low=MINUTES_RANGE[0],
                high=MINUTES_RANGE[1],
            )
        )
    if not place.strip():
        raise TransitionRefused(_("Give the place of the interview."))
    if first <= act.now:
        raise TransitionRefused(_("The interview time must be in the future."))
    waiting = [c for c in await candidates(session, selection, act.zone) if c.slot is None]
    cleared = [c.application for c in waiting if cl11_may_schedule_interview(c.conclusion)]
    not_cleared = [
        c.application.reference or "" for c in waiting if not cl11_may_schedule_interview(c.conclusion)
    ]
    if not cleared:
        raise TransitionRefused(_("No cleared candidate is waiting for an interview time."))
    calendar = calendar_for((first.year, first.year + 1, first.year + 2))
    times = slot_times(calendar, first, count=len(cleared), minutes=minutes, day_end=day_end)
    names = pseudonyms(
        await _used_pseudonyms(session, selection),
        len(cleared),
        pool=await _in_interview_count(session, selection),
    )
    slots = [
        await _place_slot(
            session, selection, application, act, starts_at=at, place=place.strip(), pseudonym=name
        )
        for application, at, name in zip(cleared, times, names, strict=True)
    ]
    return Generated(slots, not_cleared)


async def record_attendance(
    session: AsyncSession,
    selection: Selection,
    slot: InterviewSlot,
    application: Application,
    act: Act,
    *,
    attended: bool,
) -> None:
    """Attended, or a no-show recorded as absent (A-13): the candidate stays but has no interview result."""
    _at_interview_stage(selection)
    if not may_mark_attendance(slot, act.now):
        raise TransitionRefused(_("The interview has not taken place yet."))
    status = SlotStatus.ATTENDED if attended else SlotStatus.NO_SHOW
    if slot.status == status:
        return
    before = slot.status
    slot.status = status
    await session.flush()
    change = "attended" if attended else "no_show"
    await _history(session, application, slot, act, change=change, extra={"before": before})
    if not attended:
        await _tell(
            session,
            application,
            slot,
            act,
            decision=NO_SHOW_TEXT,
            reason="",
            next_step=NO_SHOW_NEXT,
            key=f"no_show:{slot.starts_at.astimezone(UTC).isoformat()}",
        )


async def reschedule(
    session: AsyncSession,
    selection: Selection,
    slot: InterviewSlot,
    application: Application,
    act: Act,
    *,
    starts_at: datetime,
    place: str,
    reason: str,
    protocol: str,
) -> None:
    """A force-majeure reschedule by the commission's recorded decision, before the stage ends (A-13)."""
    _at_interview_stage(selection)
    if slot.status == SlotStatus.ATTENDED:
        raise TransitionRefused(_("The candidate has already been interviewed."))
    if not reason.strip() or not protocol.strip():
        raise TransitionRefused(
            _("Give the force-majeure reason and the minutes of the commission's decision.")
        )
    _check_time(starts_at, act)
    before = {"starts_at": slot.starts_at, "place": slot.place, "status": slot.status}
    slot.starts_at, slot.status = starts_at, SlotStatus.INVITED
    slot.place = place.strip() or slot.place
    slot.reschedule_reason, slot.reschedule_protocol = reason.strip(), protocol.strip()
    await session.flush()
    await _history(
        session,
        application,
        slot,
        act,
        change="rescheduled",
        extra={"before": before, "protocol": slot.reschedule_protocol},
    )
    because = gettext_in(
        application.language,
        RESCHEDULE_REASON,
        reason=slot.reschedule_reason,
        protocol=slot.reschedule_protocol,
    )
    await _tell(
        session,
        application,
        slot,
        act,
        decision=RESCHEDULED_TEXT,
        reason=because,
        next_step=NEXT_STEP,
        key=f"rescheduled:{starts_at.astimezone(UTC).isoformat()}:{slot.reschedule_protocol}",
    )


__all__ = [
    "CONCLUSION_LABELS",
    "SLOT_LABELS",
    "Act",
    "Candidate",
    "CandidateInterview",
    "Generated",
    "Letterhead",
    "PublicSlot",
    "blockers",
    "blockers_of",
    "candidate_interview",
    "candidates",
    "conclusions",
    "emails_of",
    "generate",
    "letterhead",
    "may_mark_attendance",
    "pseudonyms",
    "public_schedule",
    "record_attendance",
    "reschedule",
    "schedule_one",
    "slot_times",
    "slots_of",
]
